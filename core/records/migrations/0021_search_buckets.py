"""PostgreSQL: each searched table gains a GIN index of its rows' characters and bigrams tagged with
their bucket of the list's order (core.records.search_buckets), so a search reads its page from the
newest bucket and stops there, and a word of one or two characters is found through an index. No
extension is needed.
SQLite's FTS5 indexes already keep the lists' order (migration 0020) and are unchanged."""
from core.records import search_buckets, text_search


def up(migrator, db):
    search_buckets.create_indexes(db, text_search.TEXT_INDEXES)


def down(migrator, db):
    search_buckets.drop_indexes(db, text_search.TEXT_INDEXES)
