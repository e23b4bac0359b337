"""Every list's filters saved under a name by an account and shared as a link: the saved query keeps the
list's own arguments (never the page number), a name is required and short, each account sees and
deletes only its own (another's id is not found), and a shared link shows whoever opens it their own
scope."""
import re

import pytest

from core.records.accounts import SavedFilter
from core.records.models import Application
from tests.admin_workflow.pages import filter_index
from tests.builders import make_park

LIST = "/admin/application/"
SAVE = "/admin/application/saved-filters/"


def parks_listed(html):
    return {re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r'class="col-park"[^>]*>(.*?)</td>', html, re.S)}


@pytest.fixture
def both_cities(town, world):
    """A 2025 application in each city (drafts)."""
    Application.create(park=town.cz_park, jurisdiction=world["shangdang"], year=2025)
    Application.create(park=town.kr_park, jurisdiction=world["dushanzi"], year=2025)
    Application.create(park=make_park(world["shangdang"], name="上党旧申请园区"), jurisdiction=world["shangdang"], year=2024)


def saved(user):
    return [(f.endpoint, f.name, f.query) for f in SavedFilter.select().where(SavedFilter.user == user).order_by(SavedFilter.id)]


# --- saving, listing, deleting -------------------------------------------------------------------------


def test_saving_keeps_the_list_s_own_arguments_without_the_page_and_lists_it_for_its_account(browse, town, both_cities):
    city = browse("cz_city")
    year = filter_index(city.html(LIST), "年度", "等于")
    response = city.post(SAVE, {"name": "今年的申请", "query": f"flt0_{year}=2025&sort=2&desc=1&page=3&evil=1&search=上党"})
    assert response.status_code == 302
    assert saved(town.users["cz_city"]) == [("application", "今年的申请",
                                             f"flt0_{year}=2025&sort=2&desc=1&search=%E4%B8%8A%E5%85%9A")]
    assert response.headers["Location"].endswith(f"{LIST}?flt0_{year}=2025&sort=2&desc=1&search=%E4%B8%8A%E5%85%9A")
    page = city.html(LIST)
    assert "今年的申请" in page and 'id="save-filter"' in page and 'id="list-link"' in page
    assert "今年的申请" not in browse("cz_city2").html(LIST)  # another account's menu: its own filters only
    assert "今年的申请" not in city.html("/admin/assessment/")  # another list's menu: that list's only
    again = city.post(SAVE, {"name": "今年的申请", "query": f"flt0_{year}=2024"})  # the same name replaces it
    assert again.status_code == 302 and saved(town.users["cz_city"])[0][2] == f"flt0_{year}=2024"


@pytest.mark.parametrize("name, query, accepted", [
    ("", "sort=1", False), ("   ", "sort=1", False), ("名" * 60, "sort=1", True), ("名" * 61, "sort=1", False),
    ("坏\x01名", "sort=1", False),
    ("别的列表", "/admin/assessment/?sort=1", False), ("本列表", "/admin/application/?sort=1", True),
    ("太长", "search=" + "a" * 1993, True), ("太长", "search=" + "a" * 1994, False),
])
def test_a_filter_needs_a_short_name_and_this_list_s_query_of_at_most_2000_characters(browse, town, name, query, accepted):
    city = browse("cz_city")
    response = city.post(SAVE, {"name": name, "query": query})
    assert (response.status_code == 302) is accepted
    assert bool(saved(town.users["cz_city"])) is accepted
    if not accepted:
        assert response.status_code == 400
        assert re.search(r'id="error-message".*?<p[^>]*>(.+?)</p>', response.get_data(as_text=True), re.S)


def test_only_its_account_deletes_a_saved_filter_another_s_id_is_not_found(browse, town):
    city = browse("cz_city")
    city.post(SAVE, {"name": "我的筛选", "query": "sort=1"})
    mine = SavedFilter.get(SavedFilter.name == "我的筛选")
    for account in ("cz_city2", "kr_city"):
        assert browse(account).post(f"/admin/application/saved-filters/{mine.id}/delete/").status_code == 404
    assert city.post(f"/admin/assessment/saved-filters/{mine.id}/delete/").status_code == 404  # another list's path
    assert SavedFilter.select().count() == 1
    assert city.post(f"/admin/application/saved-filters/{mine.id}/delete/").status_code == 302
    assert SavedFilter.select().count() == 0


def test_a_shared_link_shows_whoever_opens_it_their_own_scope(browse, town, both_cities):
    city = browse("cz_city")
    year = filter_index(city.html(LIST), "年度", "等于")
    city.post(SAVE, {"name": "2025年", "query": f"flt0_{year}=2025"})
    link = f"{LIST}?{SavedFilter.get().query}"
    assert parks_listed(city.html(link)) == {"上党人力资源服务产业园"}
    assert parks_listed(browse("kr_city").html(link)) == {"独山子人力资源服务产业园"}


@pytest.mark.parametrize("path", ["/admin/assessment/", "/admin/park/", "/admin/subsidy/", "/admin/ledger/"])
def test_every_list_saves_its_filters(browse, town, path):
    city = browse("cz_city")
    assert 'id="saved-filters"' in city.html(path)
    assert city.post(f"{path}saved-filters/", {"name": "按编号", "query": "sort=1"}).status_code == 302
    endpoint = path.strip("/").split("/")[-1]
    assert saved(town.users["cz_city"]) == [(endpoint, "按编号", "sort=1")]
