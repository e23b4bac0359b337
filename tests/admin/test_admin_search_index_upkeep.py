"""PostgreSQL's search indexes stay quick to read (migration 0022): every GIN index of a searched table
takes new rows at once (no pending list for each search to read), a bulk load gathers its rows and sorts
them in once, and the planner knows what a row's grams cost, so a bucket is read through its index even
in a small table."""
import importlib

import pytest

from admin_test_helpers import login_as, make_user
from core.records import search_buckets, text_search
from core.records.db import database, is_sqlite
from core.records.models import AuditLog
from tests.statements import recording

MIGRATION = importlib.import_module("core.records.migrations.0022_search_indexes_take_rows_at_once")


@pytest.fixture
def postgres(db):
    if is_sqlite(db):
        pytest.skip("SQLite's FTS5 tables have no pending list")
    return db


def fastupdate(db):
    """{index: its fastupdate option as stored ('' when not set)} of every search index."""
    rows = db.execute_sql("SELECT relname, coalesce(array_to_string(reloptions, ','), '') FROM pg_class "
                          "WHERE relname = ANY(%s) AND pg_table_is_visible(oid)", (text_search.gin_indexes(db),))
    return {name: next((o.split("=")[1] for o in options.split(",") if o.startswith("fastupdate=")), "")
            for name, options in rows}


def cost(db):
    return db.execute_sql("SELECT procost FROM pg_proc WHERE oid = %s::regprocedure",
                          (f"{search_buckets.FUNCTION}(text, bigint)",)).fetchone()[0]


def pending_pages(db, names):
    """Pages each index still held in its pending list (taking them in now)."""
    return {name: db.execute_sql("SELECT gin_clean_pending_list(%s::regclass)", (name,)).fetchone()[0] for name in names}


def test_every_search_index_takes_new_rows_at_once(postgres):
    found = fastupdate(postgres)
    assert set(found) == text_search.text_index_names()  # ten: seven trigram, three bucketed
    assert set(found.values()) == {"off"}, found
    assert cost(postgres) == search_buckets.FUNCTION_COST


def test_a_row_added_is_in_the_index_itself_not_in_a_pending_list(postgres):
    AuditLog.insert(actor="官员", role="city_officer", action="update", table="agency_year", remark="按核查意见更正").execute()
    assert set(pending_pages(postgres, text_search.gin_indexes(postgres, ["audit_log"])).values()) == {0}


def test_a_bulk_load_gathers_its_rows_then_sorts_them_in(postgres):
    audit = text_search.gin_indexes(postgres, ["audit_log"])
    with text_search.bulk_loading(database, ["audit_log"]):
        inside = fastupdate(postgres)
        AuditLog.insert_many([{"actor": "生成", "role": "system", "action": "generate", "table": "agency",
                               "remark": f"第{i}行"} for i in range(200)]).execute()
    assert {inside[name] for name in audit} == {"on"}
    assert {inside[name] for name in set(inside) - set(audit)} == {"off"}  # the other tables' untouched
    assert set(fastupdate(postgres).values()) == {"off"}
    assert set(pending_pages(postgres, audit).values()) == {0}  # taken in when the load ended
    assert AuditLog.select().where(AuditLog.remark == "第199行").count() == 1


def test_a_failed_bulk_load_leaves_the_indexes_taking_rows_at_once(postgres):
    with pytest.raises(ZeroDivisionError), text_search.bulk_loading(database, ["ledger_entry"]):
        1 / 0
    assert set(fastupdate(postgres).values()) == {"off"}


def test_the_migration_sets_and_resets_the_options_and_the_cost(postgres):
    with postgres.atomic() as transaction:
        MIGRATION.down(None, postgres)
        assert set(fastupdate(postgres).values()) == {""} and cost(postgres) == MIGRATION.DEFAULT_COST
        MIGRATION.up(None, postgres)
        assert set(fastupdate(postgres).values()) == {"off"} and cost(postgres) == search_buckets.FUNCTION_COST
        transaction.rollback()


@pytest.fixture
def one_bucket_of_audit_rows(postgres):
    """400 audit rows, all in the first bucket of ids; every tenth remarks 按核查意见更正."""
    rows = [{"actor": "官员", "role": "city_officer", "action": "update", "table": "agency_year", "record_id": i,
             "remark": "按核查意见更正营业收入" if i % 10 == 0 else "更正营业收入"} for i in range(400)]
    with postgres.atomic():
        AuditLog.insert_many(rows).execute()
    postgres.execute_sql("ANALYZE audit_log")
    return postgres


@pytest.mark.parametrize("function_cost, through_index", [(search_buckets.FUNCTION_COST, True),
                                                          (MIGRATION.DEFAULT_COST, False)])
def test_a_small_bucket_is_read_through_its_index_not_by_working_out_every_row(client, one_bucket_of_audit_rows,
                                                                               function_cost, through_index):
    """At PostgreSQL's assumed cost the planner walks the bucket's ids and works out every row's grams
    (9 ms for 2,000 rows); at FUNCTION_COST it asks the bucketed index."""
    db = one_bucket_of_audit_rows
    login_as(client, make_user("root", "admin"))
    set_cost = f"ALTER FUNCTION {search_buckets.FUNCTION}(text, bigint) COST %s"
    db.execute_sql(set_cost % function_cost)  # this test's own schema: no other test sees it
    try:
        with recording(db) as sent:
            response = client.get("/admin/audit_log/?search=核查")
        assert response.status_code == 200 and response.get_data(as_text=True).count("按核查意见更正营业收入") >= 20
        reads = [(sql, params) for sql, params in sent if "generate_series" in sql]
        assert reads
        plans = ["\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall()) for sql, params in reads]
    finally:
        db.execute_sql(set_cost % search_buckets.FUNCTION_COST)
    for plan in plans:
        assert ("audit_log_grams" in plan) == through_index, plan
