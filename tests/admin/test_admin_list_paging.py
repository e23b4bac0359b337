"""Back-office lists page by keys and count up to a cap (admin.paging): next, previous and last visit
every row once, in order, within the user's scope and the filters; the count stops at its cap and
says so; the count query joins only what a filter needs; sorting is offered only where an index
serves it; and no hostile page or key answers 500."""
import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest

from admin_test_helpers import login_as, make_user
from core.records.models import Jurisdiction, LedgerEntry, Park
from tests.statements import counting

LEDGER = "/admin/ledger/"
PAGE = 5


@pytest.fixture
def small_pages(monkeypatch):
    from admin.views.base import ScopedModelView

    monkeypatch.setattr(ScopedModelView, "page_size_options", (PAGE, 20, 50, 100))


@pytest.fixture
def two_cities(app, db):
    """Two cities, the first with a county: 23 + 9 ledger lines, days repeated (ties broken by id),
    amounts repeated, two categories."""
    first = Jurisdiction.create(code="first", name_zh="甲市", level="city")
    county = Jurisdiction.create(code="first-county", name_zh="甲县", level="county", parent=first)
    other = Jurisdiction.create(code="other", name_zh="乙市", level="city")
    parks = [Park.create(jurisdiction=j, name=name) for j, name in
             ((first, "甲园区"), (county, "甲县园区"), (other, "乙园区"))]
    rows = []
    for i in range(32):
        park = parks[2] if i % 4 == 3 and i < 36 else parks[i % 2]
        rows.append({"park": park.id, "project": f"项目{i}", "category": "rent" if i % 3 else "training",
                     "amount": Decimal(100 + (i % 4) * 10), "date": datetime.date(2025, 3, 1 + i % 6),
                     "programme": "", "programme_version": ""})
    with db.atomic():
        LedgerEntry.insert_many(rows).execute()
    return first, other


def ids_on(page_html):
    return list(dict.fromkeys(int(i) for i in re.findall(r"details/\?id=(\d+)", page_html)))


def link(page_html, name):
    found = re.search(rf'id="pager-{name}" href="([^"]+)"', page_html)
    return html_lib.unescape(found.group(1)) if found else None


def walk(client, start, direction):
    """The ids of every page from `start` following the `direction` link, page by page."""
    pages, url = [], start
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        pages.append(ids_on(text))
        assert len(pages) < 50, "the pager goes round in circles"
        url = link(text, direction)
    return pages, text


def expected(query_filter=None, order=(LedgerEntry.date.desc(), LedgerEntry.id.desc()), jurisdiction=None):
    query = LedgerEntry.select(LedgerEntry.id).join(Park)
    if jurisdiction is not None:
        query = query.where(Park.jurisdiction.in_(
            Jurisdiction.select(Jurisdiction.id).where((Jurisdiction.id == jurisdiction.id) | (Jurisdiction.parent == jurisdiction.id))))
    if query_filter is not None:
        query = query.where(query_filter)
    return [i for (i,) in query.order_by(*order).tuples()]


def sign_in(client, who, city):
    """Sign in as the administrator (scope None: every row) or as `city`'s officer (scope: city)."""
    if who == "admin":
        login_as(client, make_user("root", "admin"))
        return None
    login_as(client, make_user("first_officer", "city_officer", jurisdiction=city))
    return city


@pytest.mark.parametrize("who", ["admin", "official"])
def test_next_previous_and_last_visit_every_row_once_in_order(client, two_cities, small_pages, who):
    first, other = two_cities
    scope = sign_in(client, who, first)
    rent = expected(LedgerEntry.category == "rent", jurisdiction=scope)
    start = f"{LEDGER}?page_size={PAGE}&flt0_1=rent"
    forwards, last_text = walk(client, start, "next")
    assert [i for page in forwards for i in page] == rent
    assert all(len(page) == PAGE for page in forwards[:-1]) and 0 < len(forwards[-1]) <= PAGE
    assert link(last_text, "next") is None and link(last_text, "last") is None

    first_page = client.get(start).get_data(as_text=True)
    assert link(first_page, "previous") is None and link(first_page, "first") is None
    backwards, first_text = walk(client, link(first_page, "last"), "previous")
    assert backwards[0] == rent[-PAGE:]  # the last page: the last rows, read from the end
    assert [i for page in reversed(backwards) for i in page] == rent
    assert link(first_text, "previous") is None

    if scope is not None:  # nothing of the other city, and the other city's rows exist
        foreign = set(expected(jurisdiction=other))
        assert foreign and not foreign & {i for page in forwards + backwards for i in page}


def test_a_sorted_filtered_list_pages_by_the_sort_column_then_id(client, two_cities, small_pages):
    first, _other = two_cities
    login_as(client, make_user("first_officer", "city_officer", jurisdiction=first))
    amount = 4  # the ledger's column_list: park, date, project, category, amount, …
    order = (LedgerEntry.amount.desc(), LedgerEntry.id.desc())
    wanted = expected(LedgerEntry.category == "training", order=order, jurisdiction=first)
    forwards, _text = walk(client, f"{LEDGER}?page_size={PAGE}&flt0_1=training&sort={amount}&desc=1", "next")
    assert [i for page in forwards for i in page] == wanted and len(forwards) > 1


def test_the_count_stops_at_its_cap_and_says_so(client, two_cities, monkeypatch):
    from admin.views.base import ScopedModelView

    login_as(client, make_user("root", "admin"))
    monkeypatch.setattr(ScopedModelView, "count_cap", 9)
    above = client.get(LEDGER).get_data(as_text=True)  # 32 lines
    assert "(9+ 条)" in above or "(9+ records)" in above, re.findall(r"\([^()]*\)", above)[:5]
    monkeypatch.setattr(ScopedModelView, "count_cap", 32)
    exact = client.get(LEDGER).get_data(as_text=True)
    assert re.search(r"(列表|List)\s*\(32\)", exact) and "32+" not in exact


def _count_statements(statements):
    return [s for s in statements if '"capped"' in s]  # paging.capped_count's subquery


def test_the_count_joins_only_what_a_filter_needs(client, two_cities, db):
    login_as(client, make_user("root", "admin"))
    client.get(LEDGER)
    with counting(db) as plain:
        assert client.get(LEDGER).status_code == 200
    with counting(db) as by_category:
        assert client.get(f"{LEDGER}?flt0_1=rent").status_code == 200
    with counting(db) as by_park:
        assert client.get(f"{LEDGER}?flt0_0=甲").status_code == 200
    with counting(db) as by_agency_park:
        assert client.get("/admin/agency_year/?flt0_1=甲").status_code == 200
    for statements, joins in ((plain, 0), (by_category, 0), (by_park, 1), (by_agency_park, 2)):
        (count,) = _count_statements(statements)
        assert count.upper().count(" JOIN ") == joins, count
    list_query = [s for s in plain if "ledger_entry" in s and "ORDER BY" in s and " JOIN " in s]
    assert list_query  # the page's own query still joins the park, to name it


def test_sorting_only_by_offered_columns(client, two_cities, small_pages):
    login_as(client, make_user("root", "admin"))
    default = ids_on(client.get(f"{LEDGER}?page_size={PAGE}").get_data(as_text=True))
    assert default == expected()[:PAGE]
    project = 2  # not offered: no index serves it
    for sort in (project, -1, 99, 2**40):
        response = client.get(f"{LEDGER}?page_size={PAGE}&sort={sort}")
        assert response.status_code == 200
        assert ids_on(response.get_data(as_text=True)) == default, sort
    page = client.get(LEDGER).get_data(as_text=True)
    assert f"sort={project}" not in page and "sort=4" in page  # amount is offered, project is not


def _leading_columns(model):
    """The first column of each index of `model` (its id, unique and foreign-key columns too)."""
    leading = {"id"}
    for field in model._meta.sorted_fields:
        if field.index or field.unique or field.primary_key:
            leading.add(field.name)
    for columns, _unique in model._meta.indexes:
        leading.add(columns[0])
    return leading


def test_every_offered_sort_and_filter_leads_an_index(app):
    from flask_admin.contrib.peewee.filters import FilterLike

    from admin.views.base import ScopedModelView

    views = [v for v in app.extensions["hrpark_admin"]._views if isinstance(v, ScopedModelView)]
    assert len(views) > 10
    missing = []
    for view in views:
        leading = _leading_columns(view.model)
        sortable = [name if isinstance(name, str) else name.name for name in view._sortable_columns.values()]
        defaults = [name for name, _desc in view._get_default_order() or ()]
        for name in sortable + defaults:
            if name not in leading:
                missing.append((view.endpoint, "sort", name))
        for flt in view._filters or ():
            column = getattr(flt, "column", None)
            # a LIKE '%…%' filter (a name containing a word) no B-tree serves: the search indexes do
            if getattr(column, "model", None) is view.model and not isinstance(flt, FilterLike):
                if column.name not in leading:
                    missing.append((view.endpoint, "filter", column.name))
    assert missing == []


HOSTILE_POSITIONS = (
    "after=", "after=x", "after=[]", "after=[1]", 'after=["x","y"]', 'after=["2025-13-45",3]', "after=[1e999,2]",
    'after=["2025-03-01",99999999999999]', 'after=["2025-03-01",-5]', 'after={"a":1}', "after=" + "9" * 5000,
    'before=["2025-03-01",null]', "before=[true,false]", "last=0", "last=yes", "page=-1", "page=99999999999",
    "page=3", 'after=["2025-03-01",3]&before=["2025-03-01",3]&last=1', 'after=["NaN",1]&sort=4',
    "sort=4&after=[\"Infinity\",1]",
)


def test_hostile_page_and_key_values_give_a_clean_page(client, two_cities):
    login_as(client, make_user("root", "admin"))
    for query in HOSTILE_POSITIONS:
        response = client.get(f"{LEDGER}?{query}")
        assert response.status_code == 200, query
        text = response.get_data(as_text=True)
        # rows, or (past the end) no rows and the way back to the first page
        assert "details/?id=" in text or 'id="pager-first"' in text, query


def test_the_audit_log_pages_by_time_with_its_keys(client, app, small_pages):
    """A time key (a datetime) and a descending time order, forwards and backwards."""
    from core.records.models import AuditLog

    city = Jurisdiction.create(code="timed", name_zh="计时市", level="city")
    for i in range(11):
        Park.create(jurisdiction=city, name=f"计时园区{i}")
    login_as(client, make_user("root", "admin"))
    by_time = [i for (i,) in AuditLog.select(AuditLog.id).order_by(AuditLog.at.desc(), AuditLog.id.desc()).tuples()]
    assert len(by_time) > 2 * PAGE
    forwards, _text = walk(client, f"/admin/audit_log/?page_size={PAGE}&sort=0&desc=1", "next")
    assert [i for page in forwards for i in page] == by_time
    first_page = client.get(f"/admin/audit_log/?page_size={PAGE}&sort=0&desc=1").get_data(as_text=True)
    backwards, _text = walk(client, link(first_page, "last"), "previous")
    assert [i for page in reversed(backwards) for i in page] == by_time
