"""PostgreSQL: the searched tables' GIN indexes (trigram, migration 0018; bucketed, 0021) take each new
row at once instead of gathering rows in a pending list that every search reads, and the planner is
told what working out a row's grams costs, so that it reads a bucket through its index
(core.records.search_buckets: FUNCTION_COST, INDEX_OPTIONS). SQLite: nothing changes."""
from core.records import search_buckets, text_search
from core.records.db import is_sqlite

#: What PostgreSQL assumes of a SQL function without a COST.
DEFAULT_COST = 100


def _set_cost(db, cost):
    db.execute_sql(f"ALTER FUNCTION {search_buckets.FUNCTION}(text, bigint) COST {cost}")


def up(migrator, db):
    if is_sqlite(db):
        return
    _set_cost(db, search_buckets.FUNCTION_COST)
    text_search.without_pending_entries(db)


def down(migrator, db):
    if is_sqlite(db):
        return
    _set_cost(db, DEFAULT_COST)
    for name in text_search.gin_indexes(db):
        db.execute_sql(f'ALTER INDEX "{name}" RESET (fastupdate)')
