"""PostgreSQL reads a searched list bucket by bucket in the list's own order (core.records.search_buckets,
migration 0021): the rows found are those a LIKE scan finds, in the list's order, across buckets and
from a key, for words of every kind; a page and a short word's count are read through the bucketed
index and stop there, never scanning the table or sorting every match."""
import datetime
import re
from decimal import Decimal

import pytest
from flask_admin.contrib.peewee.tools import parse_like_term
from peewee import SQL, Expression

from admin import paging
from admin.text_search import IndexedSearch
from admin_test_helpers import login_as, make_user
from core.records import search_buckets, text_search
from core.records.db import is_sqlite
from core.records.models import AuditLog, Jurisdiction, LedgerEntry, Park
from tests.admin.test_admin_list_paging import PAGE, ids_on, link, small_pages, walk  # noqa: F401 (a fixture)
from tests.admin.test_admin_text_search import LEDGER_TEXTS, WORDS, brute_force
from tests.statements import recording

FIELDS = (LedgerEntry.project, LedgerEntry.voucher, LedgerEntry.description)
DAY = datetime.date(2025, 3, 3)  # a Monday: the ledger's weeks start on Mondays


@pytest.fixture
def postgres(db):
    if is_sqlite(db):
        pytest.skip("SQLite reads its FTS5 index in the list's order (test_admin_search_paging)")
    return db


@pytest.fixture(params=["weeks", "two days"])
def widths(request, monkeypatch, db):
    """The migrated widths, or narrower ones: the same rows in more buckets (the planner then cannot
    use the index, whose expression names the migrated width, but the rows read are the same)."""
    if request.param == "two days":
        if is_sqlite(db):
            pytest.skip("SQLite has no buckets")
        monkeypatch.setitem(search_buckets.BUCKETS, "ledger_entry", ("date", 2))
        monkeypatch.setitem(search_buckets.BUCKETS, "audit_log", ("id", 3))
    return request.param


@pytest.fixture
def dated_ledger(postgres):
    """LEDGER_TEXTS on five days a week apart and more (buckets of either width), days repeated."""
    park = Park.create(jurisdiction=Jurisdiction.create(code="city", name_zh="城市", level="city"), name="园区")
    rows = []
    for i in range(5):
        for j, (project, voucher, description) in enumerate(LEDGER_TEXTS):
            rows.append({"park": park.id, "project": project, "category": "rent", "amount": Decimal("1.00"),
                         "date": DAY + datetime.timedelta(days=(7 * i + 3 * j) % 40), "voucher": voucher,
                         "description": description, "programme": "", "programme_version": ""})
    with postgres.atomic():
        LedgerEntry.insert_many(rows).execute()
    return park


def bucket_read(words, descending=True, limit=1000):
    """The ids the bucketed read gives for `words` (as typed in the search box), in its order."""
    query, order = text_search.narrow(LedgerEntry.select(LedgerEntry.id), LedgerEntry, FIELDS,
                                      [IndexedSearch.word(parse_like_term(w)) for w in words])
    ids = order.first_ids(query, descending, limit=limit)
    return [i for (i,) in LedgerEntry._meta.database.execute_sql(f"SELECT * FROM {ids.sql} AS p", ids.params)]


def in_list_order(ids, descending=True):
    rows = LedgerEntry.select(LedgerEntry.id).where(LedgerEntry.id.in_(list(ids)))
    order = (LedgerEntry.date.desc(), LedgerEntry.id.desc()) if descending else (LedgerEntry.date, LedgerEntry.id)
    return [i for (i,) in rows.order_by(*order).tuples()]


def test_search_grams_cut_text_as_ilike_folds_it(postgres):
    row, one, word, letter = postgres.execute_sql(
        "SELECT search_grams(%s, 7), search_grams(%s, 3), search_word_grams(%s, 7), search_word_grams(%s, 2)",
        ("AbÄ补贴b", "X", "Ä补贴", "Ä")).fetchone()
    assert sorted(row) == sorted(["a:7", "b:7", "ä:7", "补:7", "贴:7", "ab:7", "bä:7", "ä补:7", "补贴:7", "贴b:7"])
    assert one == ["x:3"]
    assert sorted(word) == ["ä补:7", "补贴:7"] and letter == ["ä:2"]  # a word: its bigrams, or its one letter


@pytest.mark.parametrize("word", WORDS)
def test_the_bucketed_read_finds_what_a_scan_finds_in_the_list_order(dated_ledger, postgres, widths, word):
    words = [w for w in word.split(" ") if w]
    found = bucket_read(words)
    wanted = in_list_order(brute_force(postgres, words))
    assert found == wanted, word
    assert bucket_read(words, descending=False) == wanted[::-1], word
    if len(wanted) > 3:
        assert bucket_read(words, limit=3) == wanted[:3], word  # stops at its limit, newest first


def test_the_bucketed_read_is_not_vacuous(dated_ledger, postgres, widths):
    assert len(bucket_read(["补贴"])) == 15 and len(bucket_read(["ab"])) == 10 and bucket_read(["无此词"]) == []
    assert len(bucket_read(["补"])) == 20 and len(bucket_read(["%"])) == 10 and bucket_read(["谬"]) == []
    dates = {LedgerEntry.get_by_id(i).date for i in bucket_read(["补贴"])}
    assert len({search_buckets.BUCKETS["ledger_entry"][1] and (d.toordinal() - 1) // search_buckets.BUCKETS["ledger_entry"][1]
                for d in dates}) >= 3  # the matches lie in several buckets


def test_a_row_moved_to_another_week_is_found_in_its_new_bucket(dated_ledger, postgres):
    oldest = bucket_read(["补贴"])[-1]
    entry = LedgerEntry.get_by_id(oldest)
    entry.date = DAY + datetime.timedelta(days=400)
    entry.save()
    assert bucket_read(["补贴"])[0] == oldest
    entry.project, entry.voucher, entry.description = "办公", "", ""
    entry.save()
    assert oldest not in bucket_read(["补贴"])


@pytest.fixture
def searched_audit_log(app, postgres):
    """31 audit rows, every third remarking 按核查意见更正 (the list reads newest id first)."""
    rows = [{"actor": "官员", "role": "city_officer", "action": "update", "table": "agency_year", "record_id": i,
             "remark": "按核查意见更正营业收入" if i % 3 == 0 else "更正"} for i in range(31)]
    with postgres.atomic():
        AuditLog.insert_many(rows).execute()
    return [a.id for a in AuditLog.select(AuditLog.id).where(AuditLog.remark.contains("核查")).order_by(AuditLog.id.desc())]


@pytest.mark.parametrize("cap", [paging.SEARCH_COUNT_CAP, 4])
@pytest.mark.parametrize("word", ["核查", "核查意", "核查意见", "核查 意见"])
def test_the_audit_log_pages_through_a_searched_word_bucket_by_bucket(client, searched_audit_log, small_pages, widths,
                                                                       monkeypatch, word, cap):
    """Every kind of read: counted by buckets or by trigrams, read by buckets or (few matches, a long
    word) sorted whole; a capped count sends even a long word to the buckets."""
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", cap)
    login_as(client, make_user("root", "admin"))
    start = f"/admin/audit_log/?page_size={PAGE}&search={word}"
    forwards, _ = walk(client, start, "next")
    assert [i for page in forwards for i in page] == searched_audit_log
    backwards, _ = walk(client, link(client.get(start).get_data(as_text=True), "last"), "previous")
    assert [i for page in reversed(backwards) for i in page] == searched_audit_log
    text = client.get(start).get_data(as_text=True)
    if cap < len(searched_audit_log):
        assert f"({cap}+ 条)" in text
    else:
        assert re.search(rf"列表\s*\({len(searched_audit_log)}\)", text)


def _sent(db, client, url):
    with recording(db) as sent:
        assert client.get(url).status_code == 200
    return sent


def _plan(db, sql, params, index_scans=True):
    with db.atomic():  # a few test rows: a scan would win; is the index usable at all?
        db.execute_sql("SET LOCAL enable_seqscan = off")
        if not index_scans:  # nor a walk of a B-tree checking every row
            db.execute_sql("SET LOCAL enable_indexscan = off")
        return "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall())


@pytest.mark.parametrize("word, cap, bucketed", [
    ("补贴", paging.SEARCH_COUNT_CAP, 2), ("补", paging.SEARCH_COUNT_CAP, 2), ("%25%25%25%25", paging.SEARCH_COUNT_CAP, 2),
    ("补贴资金", 4, 1)])  # the count too, for a word without a trigram; a capped long word's page
def test_the_page_and_a_short_word_s_count_read_the_bucketed_index(client, dated_ledger, postgres, monkeypatch, word, cap,
                                                                   bucketed):
    monkeypatch.setattr(paging, "SEARCH_COUNT_CAP", cap)
    login_as(client, make_user("root", "admin"))
    sent = _sent(postgres, client, f"/admin/ledger/?search={word}")
    reads = [(sql, params) for sql, params in sent if "generate_series" in sql]
    assert len(reads) == bucketed, [s[:80] for s, _p in sent]
    for sql, params in reads:
        plan = _plan(postgres, sql, params)
        # Each bucket through an index: the tagged bigrams, or (a table this small) the bucket's dates.
        assert "ledger_entry_grams" in plan or "Index Cond: ((date >=" in plan, plan
        assert "trgm" not in plan, plan  # inside the buckets the trigram index is not asked (it is not ordered)
        assert "Seq Scan on ledger_entry" not in plan, plan


def test_the_read_names_the_bucketed_index_s_own_expression(postgres):
    """The planner uses an expression index only for the same expression: the read's is the index's."""
    search = search_buckets.search(LedgerEntry, text_search.TEXT_INDEXES["ledger_entry"], ["补贴"], ("date", "id"))
    query = LedgerEntry.select(LedgerEntry.id).where(Expression(search._indexed(), "@>", SQL("search_grams('补贴', 105000)")))
    plan = _plan(postgres, *query.sql(), index_scans=False)
    assert "Bitmap Index Scan on ledger_entry_grams" in plan, plan


def test_a_long_word_with_few_matches_is_read_whole_through_the_trigram_index(client, dated_ledger, postgres):
    login_as(client, make_user("root", "admin"))
    sent = _sent(postgres, client, "/admin/ledger/?search=补贴资金")
    assert not [sql for sql, _p in sent if "generate_series" in sql]
    page = next((sql, params) for sql, params in sent if sql.startswith('SELECT "t1"."id"') and "ILIKE" in sql)
    assert '+ 0) DESC' in page[0]  # no index walks the order: the few matches are sorted
    assert "ledger_entry_project_trgm" in _plan(postgres, *page, index_scans=False)


def test_the_migration_creates_and_drops_the_bucketed_indexes(postgres):
    names = ("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s AND schemaname = current_schema()", ("%_grams",))
    assert {n for (n,) in postgres.execute_sql(*names)} == {f"{t}_grams" for t in text_search.TEXT_INDEXES}
    with postgres.atomic() as transaction:
        search_buckets.drop_indexes(postgres, text_search.TEXT_INDEXES)
        assert not postgres.execute_sql(*names).fetchall()
        transaction.rollback()
    assert len(postgres.execute_sql(*names).fetchall()) == 3


def test_the_postgresql_connection_turns_jit_off_and_keeps_the_caller_s_options(monkeypatch):
    """JIT compiling is costed on the planner's estimate, which a bucketed read overstates a
    thousandfold: the back office's connections turn it off, keeping PGOPTIONS and a URL's options."""
    from core.records.db import open_database

    monkeypatch.delenv("PGOPTIONS", raising=False)
    assert open_database("postgresql://u@h:5432/d").connect_params["options"] == "-c jit=off"
    monkeypatch.setenv("PGOPTIONS", "-c search_path=s1")
    assert open_database("postgresql://u@h:5432/d").connect_params["options"] == "-c search_path=s1 -c jit=off"
    own = open_database("postgresql://u@h:5432/d?options=-c%20work_mem%3D8MB").connect_params["options"]
    assert "jit" not in own and "work_mem" in own
