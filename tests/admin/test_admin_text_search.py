"""The lists' search reads a text index (migration 0018) and finds exactly the rows a scan with
LIKE finds: Chinese words of one, two and more characters, Latin letters in any case, digits, and
characters LIKE or FTS5 would read as syntax (%, _, quotes, *, NEAR, AND), taken as written."""
import datetime
import logging
from decimal import Decimal

import pytest
from flask_admin.contrib.peewee.tools import parse_like_term
from peewee import PostgresqlDatabase

from admin.text_search import IndexedSearch
from admin_test_helpers import login_as, make_user
from core.records import text_search
from core.records.models import Agency, AuditLog, Jurisdiction, LedgerEntry, Park

LEDGER_TEXTS = [  # (project, voucher, description)
    ("发放补贴资金", "记-0001", "三月补贴"),
    ("房租补贴", "记-0002", ""),
    ("补贴", "", "整笔"),  # the word is the whole value
    ("物业费", "ABC-12345", "Paid 50% in March"),
    ("培训费", "abc_def", 'he said "NEAR" AND left'),
    ("宣传", "x*y", "it's 0.50 yuan"),
    ("Émile 讲座", "EMILE", "near the park"),
    ("办公用品", "贴", "补"),
    ("a%b", "a_b", "aXb"),
]
WORDS = [
    "补", "贴", "补贴", "贴资", "补贴资", "发放补贴资金", "三月补贴", "租补", "物业", "补贴 资金", "补贴 房租",
    "abc", "ABC", "Ab", "a", "12345", "0001", "0.5", "50%", "%", "_", "a_b", "a%b", "\\", '"', "'", "*", "x*y",
    '"NEAR"', "NEAR", "near", "AND", "NEAR(", "NOT", "émi", "Émi", "emile", "^补贴", "=补贴", "^ABC", "=贴",
    "无此词", "zz", "q", "x\x00y",
]


@pytest.fixture
def ledger(db):
    city = Jurisdiction.create(code="city", name_zh="城市", level="city")
    park = Park.create(jurisdiction=city, name="园区")
    for project, voucher, description in LEDGER_TEXTS:
        LedgerEntry.create(park=park, project=project, category="rent", amount=Decimal("1.00"),
                           date=datetime.date(2025, 3, 1), voucher=voucher, description=description)
    return park


def brute_force(db, words):
    """The entries a scan finds: every word in one of the columns, case folded as the database's
    LIKE folds it (ASCII letters on SQLite, every letter with PostgreSQL's ILIKE)."""
    fold = (lambda s: s.lower()) if isinstance(db, PostgresqlDatabase) else (
        lambda s: "".join(c.lower() if c.isascii() else c for c in s))
    found = set()
    for entry in LedgerEntry.select():
        values = [fold(v) for v in (entry.project, entry.voucher, entry.description)]
        if all(_holds(values, fold(w.replace("\x00", ""))) for w in words):
            found.add(entry.id)
    return found


def _holds(values, word):
    if word.startswith("^"):
        return any(v.startswith(word[1:]) for v in values)
    if word.startswith("="):
        return any(v == word[1:] for v in values)
    return any(word in v for v in values)


def indexed(words):
    """The entries the back office's search finds: Flask-Admin's way of turning words into patterns."""
    search = IndexedSearch(LedgerEntry, [LedgerEntry.project, LedgerEntry.voucher, LedgerEntry.description])
    query = LedgerEntry.select(LedgerEntry.id)
    for word in words:
        query = query.where(search ** parse_like_term(word))
    return {entry.id for entry in query}


def test_the_indexed_search_finds_what_a_scan_finds(db, ledger):
    for word in WORDS:
        words = [w for w in word.split(" ") if w]
        assert indexed(words) == brute_force(db, words), word
    assert indexed(["补贴"]) == brute_force(db, ["补贴"]) and len(indexed(["补贴"])) == 3  # not vacuous
    assert len(indexed(["50%"])) == 1 and len(indexed(["a_b"])) == 1  # % and _ as written, not wildcards


def test_the_index_follows_edits_and_deletions(db, ledger):
    entry = LedgerEntry.get(LedgerEntry.project == "物业费")
    entry.project = "水电费用"
    entry.save()
    assert indexed(["水电费"]) == {entry.id} and indexed(["物业费"]) == set()
    assert indexed(["水电"]) == {entry.id} and indexed(["物业"]) == set()
    LedgerEntry.delete().where(LedgerEntry.id == entry.id).execute()
    assert indexed(["水电费"]) == set() and indexed(["ABC-123"]) == set()


def test_without_the_indexes_the_search_finds_the_same_rows(db, ledger):
    before = {word: indexed([word]) for word in ("补贴", "补贴资", "abc", "50%")}
    text_search.drop_indexes(db)
    assert {word: indexed([word]) for word in before} == before


def test_a_refused_pg_trgm_leaves_the_search_scanning(db, ledger, monkeypatch, caplog):
    """Where the database's owner may not create extensions, the migration warns and goes on."""
    if not isinstance(db, PostgresqlDatabase):
        pytest.skip("PostgreSQL's extension")
    trigram_indexes = ("SELECT 1 FROM pg_indexes WHERE indexname LIKE %s AND schemaname = current_schema()", ("%trgm",))
    assert len(db.execute_sql(*trigram_indexes).fetchall()) == 7  # the migrated schema has them
    text_search.drop_indexes(db)
    real = db.execute_sql

    def refusing(sql, params=None, *args, **kwargs):
        if sql.startswith("CREATE EXTENSION"):
            raise PermissionError("permission denied to create extension \"pg_trgm\"")
        if "FROM pg_extension" in sql:
            sql = sql + " AND false"  # as on a server where it was never created
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", refusing)
    with caplog.at_level(logging.WARNING, logger="core.records.text_search"):
        text_search.create_indexes(db)
    monkeypatch.undo()
    assert "pg_trgm could not be created" in caplog.text
    assert not db.execute_sql(*trigram_indexes).fetchall()
    assert len(indexed(["补贴"])) == 3


def _plan(db, query):
    sql, params = query.sql()
    if isinstance(db, PostgresqlDatabase):
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            db.execute_sql("SET LOCAL enable_indexscan = off")  # the id order's index too: is the GIN usable?
            return "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall())
    return "\n".join(r[-1] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())


@pytest.mark.parametrize("word", ["补贴资金", "补贴"])
def test_the_search_reads_the_index(db, ledger, word):
    search = IndexedSearch(LedgerEntry, [LedgerEntry.project, LedgerEntry.voucher, LedgerEntry.description])
    plan = _plan(db, LedgerEntry.select().where(search ** f"%{word}%").order_by(LedgerEntry.id.desc()).limit(20))
    if isinstance(db, PostgresqlDatabase):
        if len(word) >= 3:  # pg_trgm has no trigram to look up in a shorter word
            assert "Bitmap Index Scan on ledger_entry_project_trgm" in plan, plan
            assert "Bitmap Index Scan on ledger_entry_description_trgm" in plan, plan
    else:
        assert "ledger_entry_text VIRTUAL TABLE" in plan, plan
        assert "SCAN ledger_entry" not in plan.replace("ledger_entry_text", ""), plan


def test_the_big_tables_lists_search_the_indexed_columns():
    from admin.views.parks import AgencyView
    from admin.views.records import LedgerView
    from admin.views.system import AuditLogView

    for view, table in ((LedgerView, "ledger_entry"), (AuditLogView, "audit_log"), (AgencyView, "agency")):
        assert tuple(view.column_searchable_list) == text_search.TEXT_INDEXES[table], table


def test_the_lists_search_through_the_index(client, db, ledger):
    """The ledger, audit log and agency lists: words with FTS5 or LIKE syntax answer, never fail."""
    Agency.create(park=ledger, name="人力资源服务有限公司", licence_no="HR-2025-001")
    Agency.create(park=ledger, name="劳务派遣中心", licence_no="HR-2025-002")
    AuditLog.create(actor="finance_li", action="update", table="ledger_entry", remark='复核 "NEAR" 50%')
    login_as(client, make_user("root", "admin"))
    expectations = [
        ("ledger", "补贴", ["发放补贴资金", "房租补贴"], ["物业费"]),
        ("ledger", "abc_def", ["培训费"], ["物业费"]),
        ("ledger", '"NEAR" AND', ["培训费"], ["物业费", "宣传"]),
        ("agency", "人力", ["人力资源服务有限公司"], ["劳务派遣中心"]),
        ("agency", "hr-2025-002", ["劳务派遣中心"], ["人力资源服务有限公司"]),
        ("audit_log", "finance_li", ["复核"], []),
        ("audit_log", "50%", ["复核"], []),
    ]
    for endpoint, word, shown, hidden in expectations:
        response = client.get(f"/admin/{endpoint}/", query_string={"search": word})
        assert response.status_code == 200, (endpoint, word)
        page = response.get_data(as_text=True)
        assert all(text in page for text in shown), (endpoint, word)
        assert not any(text in page for text in hidden), (endpoint, word)
    for word in ('"', "*", "NEAR(", "'", "%", "_", "\\", "补", "x\x00y"):
        assert client.get("/admin/ledger/", query_string={"search": word}).status_code == 200, word
