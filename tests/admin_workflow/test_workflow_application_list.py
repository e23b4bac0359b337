"""The application list answers "which notices end this week": each application's 公示截止 (running,
or over and awaiting the decision) and its next deadline (下一期限), a state filter, notice-end and
next-deadline filters (boundaries on both sides, the day itself included), the filters in the address so a list can be shared as a link, and the
same number of queries whatever the page holds."""
import datetime
import re
from pathlib import Path

import pytest

from core.records.models import Application, PublicNotice
from tests.admin_workflow.pages import DAY, application_at, element_text, filter_index
from tests.builders import make_park
from tests.statements import counting

LIST = "/admin/application/"


def rows(html, column="notice_end"):
    """{park name: the text of its `column` cell (公示截止 unless said)} of the list page."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        park = re.search(r'class="col-park"[^>]*>(.*?)</td>', row, re.S)
        cell = re.search(rf'class="col-{column}"[^>]*>(.*?)</td>', row, re.S)
        if park and cell:
            found[re.sub(r"<[^>]+>|\s+", "", park.group(1))] = re.sub(r"<[^>]+>|\s+", "", cell.group(1))
    return found


@pytest.fixture
def in_notice(town, app, on_day):
    on_day(DAY(2025, 9, 29))
    application = application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "public_notice")
    return application, PublicNotice.get(PublicNotice.application == application).end


def test_the_notice_end_shows_running_then_over_awaiting_the_decision(browse, in_notice, on_day):
    application, end = in_notice
    city = browse("cz_city")
    assert end == DAY(2025, 10, 11)
    on_day(end)  # its last day: still running
    assert rows(city.html(LIST))["上党人力资源服务产业园"] == "2025年10月11日（公示中）"
    on_day(end + datetime.timedelta(days=1))
    assert rows(city.html(LIST))["上党人力资源服务产业园"] == "2025年10月11日（已期满，待办理）"


def test_state_and_notice_end_filters_include_the_day_on_both_sides(browse, in_notice, world):
    application, end = in_notice
    Application.create(park=make_park(world["shangdang"], name="上党草稿园区"), jurisdiction=world["shangdang"], year=2025)
    city = browse("cz_city")
    page = city.html(LIST)
    assert set(rows(page)) == {"上党人力资源服务产业园", "上党草稿园区"}
    state = filter_index(page, "状态", "等于")
    assert set(rows(city.html(f"{LIST}?flt0_{state}=public_notice"))) == {"上党人力资源服务产业园"}
    assert set(rows(city.html(f"{LIST}?flt0_{state}=draft"))) == {"上党草稿园区"}
    until, since = filter_index(page, "公示截止", "不晚于"), filter_index(page, "公示截止", "不早于")
    day = end.isoformat()
    before, after = (end - datetime.timedelta(days=1)).isoformat(), (end + datetime.timedelta(days=1)).isoformat()
    assert set(rows(city.html(f"{LIST}?flt0_{until}={day}"))) == {"上党人力资源服务产业园"}
    assert set(rows(city.html(f"{LIST}?flt0_{until}={before}"))) == set()
    assert set(rows(city.html(f"{LIST}?flt0_{since}={day}"))) == {"上党人力资源服务产业园"}
    assert set(rows(city.html(f"{LIST}?flt0_{since}={after}"))) == set()
    # a shared link is the list as filtered: a second officer opening it sees the same rows
    shared = f"{LIST}?flt0_{state}=public_notice&flt1_{until}={day}"
    assert rows(browse("cz_city2").html(shared)) == rows(city.html(shared))
    page = city.html(f"{LIST}?flt0_{until}=2025-02-30")  # an impossible day is refused by name, not a 500
    assert "2025-02-30" in page


def test_the_next_deadline_is_the_running_notice_s_last_day_and_none_after_it(browse, in_notice, world, on_day):
    application, end = in_notice
    Application.create(park=make_park(world["shangdang"], name="上党草稿园区"), jurisdiction=world["shangdang"], year=2025)
    city = browse("cz_city")
    on_day(end)
    cells = rows(city.html(LIST), "next_deadline")
    assert cells == {"上党人力资源服务产业园": "2025年10月11日公示期满", "上党草稿园区": "—"}
    on_day(end + datetime.timedelta(days=1))
    assert rows(city.html(LIST), "next_deadline")["上党人力资源服务产业园"] == "—"


def test_the_next_deadline_filter_takes_the_day_itself_and_not_the_day_before(browse, in_notice, world, on_day):
    application, end = in_notice
    Application.create(park=make_park(world["shangdang"], name="上党草稿园区"), jurisdiction=world["shangdang"], year=2025)
    city = browse("cz_city")
    index = filter_index(city.html(LIST), "下一期限", "不晚于")
    assert set(rows(city.html(f"{LIST}?flt0_{index}={end.isoformat()}"))) == {"上党人力资源服务产业园"}
    assert set(rows(city.html(f"{LIST}?flt0_{index}={(end - datetime.timedelta(days=1)).isoformat()}"))) == set()
    on_day(end + datetime.timedelta(days=1))  # the notice is over: no deadline ahead, whatever the day chosen
    assert set(rows(city.html(f"{LIST}?flt0_{index}=2030-01-01"))) == set()


def test_the_page_costs_the_same_queries_for_one_application_or_many(browse, in_notice, world, db):
    city = browse("cz_city")
    city.html(LIST)
    with counting(db) as one:
        city.html(LIST)
    for i in range(6):
        park = make_park(world["shangdang"], name=f"上党园区{i}")
        other = Application.create(park=park, jurisdiction=world["shangdang"], year=2025, state="public_notice")
        PublicNotice.create(application=other, start=DAY(2025, 9, 1), end=DAY(2025, 9, 8), working_days=5)
    with counting(db) as seven:
        page = city.html(LIST)
    assert len(rows(page)) == 7
    assert len(seven) == len(one), (one, seven)
