"""The ledger's text index (SQLite) keeps its rows in the ledger list's order, latest date first:
its rowid becomes the row's day and id (core.records.text_search.INDEX_ORDER), so a search in that
order reads the newest matches from the index's end and stops at a page, where it read every match
of a common word to sort them by date. PostgreSQL's trigram indexes are unchanged."""
from core.records import text_search
from core.records.db import is_sqlite

TABLE = "ledger_entry"


def up(migrator, db):
    if is_sqlite(db) and _has_index(db):
        text_search.drop_index_table(db, TABLE)
        text_search.create_index_table(db, TABLE)


def down(migrator, db):
    if is_sqlite(db) and _has_index(db):
        text_search.drop_index_table(db, TABLE)
        text_search.create_index_table(db, TABLE, order=("id",))


def _has_index(db):
    name = text_search.index_table(TABLE)
    return db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
