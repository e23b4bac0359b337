"""A searched list reads its text index in the list's own order (core.records.text_search.INDEX_ORDER):
the pages of a searched ledger — next, previous, last, a city officer's scope, another sort — are the
rows a LIKE scan finds, in the same order; a row whose date changes moves in the index too; the
count of a search stops at paging.SEARCH_COUNT_CAP and says so; and on SQLite the page is read from
the index's end, without sorting every match (which is what made a common word cost seconds)."""
import datetime
import re
from decimal import Decimal

import pytest

from admin import paging
from admin_test_helpers import login_as, make_user
from core.records import schema, text_search
from core.records.db import database, is_sqlite, open_database
from core.records.models import Jurisdiction, LedgerEntry, Park
from tests.admin.test_admin_list_paging import LEDGER, PAGE, ids_on, link, sign_in, small_pages, walk  # noqa: F401 (a fixture)
from tests.statements import recording
from tests.admin.test_admin_search_buckets import widths  # noqa: F401 (a fixture: PostgreSQL's buckets, narrower too)

@pytest.fixture
def searched_ledger(app, db):
    """Two cities, the first with a county; 45 lines entered out of date order (days repeat: ties by
    id), every second holding 补贴资金 and every fifth 补贴 in its description."""
    first = Jurisdiction.create(code="first", name_zh="甲市", level="city")
    county = Jurisdiction.create(code="first-county", name_zh="甲县", level="county", parent=first)
    other = Jurisdiction.create(code="other", name_zh="乙市", level="city")
    parks = [Park.create(jurisdiction=j, name=name) for j, name in ((first, "甲园区"), (county, "甲县园区"), (other, "乙园区"))]
    rows = []
    for i in range(45):
        rows.append({"park": parks[i % 3].id, "project": f"项目{i}" + ("补贴资金" if i % 2 == 0 else ""),
                     "category": "rent", "amount": Decimal(100 + (i % 4) * 10),
                     "date": datetime.date(2025, 3, 1) + datetime.timedelta(days=(i * 7) % 11),
                     "voucher": f"V-{i:03d}", "description": "房租补贴" if i % 5 == 0 else "",
                     "programme": "", "programme_version": ""})
    with db.atomic():
        LedgerEntry.insert_many(rows).execute()
    return first, other


def scanned(words, order=(LedgerEntry.date.desc(), LedgerEntry.id.desc()), jurisdiction=None):
    """The ids a LIKE scan finds for every word, in `order`, within `jurisdiction` and its counties."""
    query = LedgerEntry.select(LedgerEntry.id).join(Park)
    for word in words:
        pattern = f"%{word}%"
        query = query.where(LedgerEntry.project ** pattern | LedgerEntry.voucher ** pattern | LedgerEntry.description ** pattern)
    if jurisdiction is not None:
        query = query.where(Park.jurisdiction.in_(Jurisdiction.select(Jurisdiction.id).where(
            (Jurisdiction.id == jurisdiction.id) | (Jurisdiction.parent == jurisdiction.id))))
    return [i for (i,) in query.order_by(*order).tuples()]


#: The list's own order (the index's), and by amount (the ledger's column_list: park, date, project,
#: category, amount, …): the index finds the rows, the sort reads them all.
ORDERS = {"": (LedgerEntry.date.desc(), LedgerEntry.id.desc()),
          "&sort=4&desc=1": (LedgerEntry.amount.desc(), LedgerEntry.id.desc())}


@pytest.mark.parametrize("sort", ORDERS)
@pytest.mark.parametrize("search", ["补贴资金", "补贴", "补贴 V-0", "项目1"])
@pytest.mark.parametrize("who", ["admin", "official"])
def test_a_searched_list_pages_through_its_matches_in_order(client, searched_ledger, small_pages, widths, who, search, sort):
    first, other = searched_ledger
    scope = sign_in(client, who, first)
    wanted = scanned(search.split(" "), order=ORDERS[sort], jurisdiction=scope)
    assert len(wanted) > PAGE  # more than a page: next, previous and last are walked
    start = f"{LEDGER}?page_size={PAGE}&search={search}{sort}"
    forwards, last_text = walk(client, start, "next")
    assert [i for page in forwards for i in page] == wanted
    assert link(last_text, "next") is None
    backwards, first_text = walk(client, link(client.get(start).get_data(as_text=True), "last"), "previous")
    assert [i for page in reversed(backwards) for i in page] == wanted
    assert link(first_text, "previous") is None
    if scope is not None:
        foreign = set(scanned(search.split(" "), jurisdiction=other))
        assert foreign and not foreign & {i for page in forwards + backwards for i in page}


def test_a_row_whose_date_changes_moves_in_the_searched_order(client, searched_ledger, small_pages):
    login_as(client, make_user("root", "admin"))
    oldest = scanned(["补贴资金"])[-1]
    entry = LedgerEntry.get_by_id(oldest)
    entry.date = datetime.date(2026, 1, 1)
    entry.save()
    first_page = ids_on(client.get(f"{LEDGER}?page_size={PAGE}&search=补贴资金").get_data(as_text=True))
    assert first_page[0] == oldest and first_page == scanned(["补贴资金"])[:PAGE]


def test_the_count_of_a_search_stops_at_its_cap_and_says_so(client, searched_ledger, monkeypatch):
    login_as(client, make_user("root", "admin"))
    matches = len(scanned(["补贴资金"]))  # 15
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", matches)
    exact = client.get(LEDGER, query_string={"search": "补贴资金"}).get_data(as_text=True)
    assert re.search(rf"(列表|List)\s*\({matches}\)", exact) and f"{matches}+" not in exact
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", matches - 1)
    above = client.get(LEDGER, query_string={"search": "补贴资金"}).get_data(as_text=True)
    assert f"({matches - 1}+ 条)" in above or f"({matches - 1}+ records)" in above
    unsearched = client.get(LEDGER).get_data(as_text=True)  # the list without words keeps its own cap
    assert re.search(r"(列表|List)\s*\(45\)", unsearched)


def test_the_searched_page_is_read_from_the_index_end_without_sorting_the_matches(client, searched_ledger, db):
    if not is_sqlite(db):
        pytest.skip("PostgreSQL reads buckets of the order: test_admin_search_buckets")
    login_as(client, make_user("root", "admin"))
    with recording(db) as sent:
        assert client.get(LEDGER, query_string={"search": "补贴资金"}).status_code == 200
    sql, params = next((sql, params) for sql, params in sent
                       if sql.startswith('SELECT "t1"."id"') and "ledger_entry_text" in sql and "ORDER BY" in sql)
    assert '"rowid" DESC' in sql
    plan = " / ".join(r[-1] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert plan.startswith("SCAN t") and "VIRTUAL TABLE" in plan.split(" / ")[0], plan  # the index is the outer loop
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan  # and gives the order: the matches are not all sorted


@pytest.fixture
def sqlite_before_the_keyed_index(tmp_path):
    """A SQLite database migrated up to the migration before the ledger's index was keyed by day."""
    db = open_database(f"sqlite:///{tmp_path / 'before.db'}")
    database.initialize(db)
    db.connect(reuse_if_open=True)
    schema.upgrade(db, target="0019_audit_log_table_index")
    yield db
    db.close()


def test_the_ledger_index_is_keyed_by_day_and_id_after_its_migration(sqlite_before_the_keyed_index):
    db = sqlite_before_the_keyed_index
    park = Park.create(jurisdiction=Jurisdiction.create(code="c", name_zh="市", level="city"), name="园区")
    days = (datetime.date(2025, 5, 1), datetime.date(2024, 1, 2))
    entries = [LedgerEntry.create(park=park, project="补贴资金", category="rent", amount=Decimal("1.00"), date=day,
                                  programme="", programme_version="") for day in days]
    match = ('SELECT rowid FROM "ledger_entry_text" WHERE "ledger_entry_text" MATCH ?', ('"补贴资金"',))
    assert sorted(r for (r,) in db.execute_sql(*match).fetchall()) == sorted(e.id for e in entries)  # keyed by id

    assert schema.upgrade(db) == ["0020_ledger_text_index_by_date", "0021_search_buckets",
                                  "0022_search_indexes_take_rows_at_once"]

    keys = sorted(r for (r,) in db.execute_sql(*match).fetchall())
    order = text_search.IndexOrder(None, ("date", "id"))
    assert keys == sorted(order.key((e.date, e.id)) for e in entries)
    assert keys == sorted((day.toordinal() << 32) | e.id for day, e in zip(days, entries))
    assert not schema.pending_differences(db)
