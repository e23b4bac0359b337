"""The back office's list searches read a text index instead of scanning the table (LIKE '%word%'
cannot use a B-tree): FTS5 trigram tables kept by triggers on SQLite, GIN trigram indexes on
PostgreSQL (pg_trgm, created in schema public; where that is refused the searches scan, as before).
See core.records.text_search for the tables and columns, and for words too short for an index."""
from core.records import text_search


def up(migrator, db):
    # Keyed by id, as this migration first made them (0020 keys the ledger's by day and id).
    text_search.create_indexes(db, orders={table: ("id",) for table in text_search.TEXT_INDEXES})


def down(migrator, db):
    text_search.drop_indexes(db)
