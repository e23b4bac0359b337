"""Search of the big tables' words through a text index instead of a scan (migration 0018).

A search word matches a row when one of the searched columns contains it (the back office's
LIKE '%word%': case-insensitive for Latin letters on SQLite, for every letter on PostgreSQL;
`%`, `_` and quotes are plain characters). The index only narrows the rows: each row it offers
is checked with that same LIKE, so the rows found are those a scan would find.

- SQLite: a contentless FTS5 table with the trigram tokenizer per table (`<table>_text`), kept in
  step by triggers. Each value is indexed with an end mark (U+001F), so every two-character word
  that occurs is the start of an indexed trigram: a word of two characters (补贴) is looked up
  through the index's vocabulary (the trigrams it starts), unless it starts too many of them.
- PostgreSQL: GIN trigram indexes (pg_trgm) on each searched column, which the LIKE itself uses.
  Where the extension cannot be created (no privilege) the migration warns and the search
  scans, as before.

A word of one character (or of two that starts too many trigrams, or with letters whose case the
index folds otherwise than LIKE does) is checked with LIKE alone: on the rows the search's other
words leave, or over the table when it is the only word. On PostgreSQL a word under three
characters gives pg_trgm nothing to look up: the planner scans.
"""
import logging

from peewee import SQL, NodeList, PostgresqlDatabase, Value

from core.records.db import database, is_sqlite

log = logging.getLogger(__name__)

#: Table -> the columns its list searches (the back office's column_searchable_list, which a test
#: holds to this).
TEXT_INDEXES = {
    "ledger_entry": ("project", "voucher", "description"),
    "audit_log": ("actor", "remark"),
    "agency": ("name", "licence_no"),
}

END_MARK = "char(31)"
#: A two-character word starting more trigrams than this is checked with LIKE alone: the index's
#: answer would be a query as long as the list of trigrams.
MAX_TRIGRAMS_PER_WORD = 200
LIKE_ESCAPE = "\\"


def index_table(table):
    return f"{table}_text"


def vocabulary_table(table):
    return f"{table}_text_terms"


def trigram_index(table, column):
    return f"{table}_{column}_trgm"


def text_index_names():
    """The names of the PostgreSQL trigram indexes of every table in TEXT_INDEXES."""
    return {trigram_index(table, column) for table, columns in TEXT_INDEXES.items() for column in columns}


# --- the indexes (created by migration 0018) -----------------------------------------------------


def create_indexes(db):
    """The text indexes of every table in TEXT_INDEXES, filled from the rows already there."""
    if is_sqlite(db):
        for table, columns in TEXT_INDEXES.items():
            _create_fts(db, table, columns)
        return
    schema = _trigram_extension_schema(db)
    if schema is None:
        log.warning("pg_trgm could not be created: list searches will scan their tables "
                    "(ask the database's owner to run CREATE EXTENSION pg_trgm SCHEMA public, "
                    "then create the indexes with core.records.text_search.create_indexes)")
        return
    for table, columns in TEXT_INDEXES.items():
        for column in columns:
            db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{trigram_index(table, column)}" ON "{table}" '
                           f'USING gin ("{column}" {schema}.gin_trgm_ops)')


def drop_indexes(db):
    if is_sqlite(db):
        for table in TEXT_INDEXES:
            for event in ("insert", "delete", "update"):
                db.execute_sql(f'DROP TRIGGER IF EXISTS "{index_table(table)}_{event}"')
            db.execute_sql(f'DROP TABLE IF EXISTS "{vocabulary_table(table)}"')
            db.execute_sql(f'DROP TABLE IF EXISTS "{index_table(table)}"')
        return
    for table, columns in TEXT_INDEXES.items():
        for column in columns:
            db.execute_sql(f'DROP INDEX IF EXISTS "{trigram_index(table, column)}"')


def _create_fts(db, table, columns):
    fts = index_table(table)
    names = ", ".join(f'"{c}"' for c in columns)
    marked = lambda prefix: ", ".join(f'{prefix}"{c}" || {END_MARK}' for c in columns)  # noqa: E731
    # Contentless, without lengths (only ranking reads them): the rows are read from the table itself.
    db.execute_sql(f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, content=\'\', columnsize=0, tokenize=\'trigram\')')
    db.execute_sql(f'CREATE VIRTUAL TABLE "{vocabulary_table(table)}" USING fts5vocab("{fts}", \'row\')')
    insert = f'INSERT INTO "{fts}"(rowid, {names}) VALUES (new.id, {marked("new.")});'
    # A contentless index forgets a row only when told the values it indexed.
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, {names}) VALUES (\'delete\', old.id, {marked("old.")});'
    db.execute_sql(f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END')
    db.execute_sql(f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END')
    db.execute_sql(f'CREATE TRIGGER "{fts}_update" AFTER UPDATE OF {names} ON "{table}" BEGIN {delete} {insert} END')
    db.execute_sql(f'INSERT INTO "{fts}"(rowid, {names}) SELECT id, {marked("")} '
                   f'FROM "{table}"')


def _trigram_extension_schema(db):
    """The (quoted) schema holding pg_trgm, created in public if missing; None if it cannot be."""
    try:
        with db.atomic():  # a savepoint: a refusal must not abort the migration's transaction
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except Exception as exc:  # no privilege, or another session created it at the same moment
        log.info("CREATE EXTENSION pg_trgm refused: %s", exc)
    row = db.execute_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                         "WHERE extname = 'pg_trgm'").fetchone()
    return row[0] if row else None


# --- the search ----------------------------------------------------------------------------------


def is_indexed(model, fields):
    return model._meta.table_name in TEXT_INDEXES and all(
        f.model is model and f.column_name in TEXT_INDEXES[model._meta.table_name] for f in fields)


def like_pattern(word, anchored_start=False, anchored_end=False):
    """The LIKE pattern finding `word` as written: its own %, _ and \\ are escaped."""
    escaped = word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return ("" if anchored_start else "%") + escaped + ("" if anchored_end else "%")


def like(field, pattern):
    """`field` LIKE `pattern` as the back office has always searched (ILIKE on PostgreSQL)."""
    operator = "ILIKE" if isinstance(database.obj, PostgresqlDatabase) else "LIKE"
    return NodeList((field, SQL(operator), Value(pattern), SQL(f"ESCAPE '{LIKE_ESCAPE}'")))


def word_condition(model, fields, word, anchored_start=False, anchored_end=False):
    """The rows of `model` where one of `fields` holds `word` (at the start or as the whole value
    when anchored), read through the table's text index where it has one."""
    word = word.replace("\x00", "")  # no stored text holds NUL; PostgreSQL refuses it in a query
    pattern = like_pattern(word, anchored_start, anchored_end)
    condition = None
    for field in fields:
        condition = like(field, pattern) if condition is None else condition | like(field, pattern)
    if is_sqlite() and is_indexed(model, fields):
        candidates = _fts_candidates(model, word)
        if candidates is not None:
            condition = model._meta.primary_key.in_(candidates) & condition
    return condition


def _fts_candidates(model, word):
    """The query of the rowids whose indexed text may hold `word`; None if the index cannot tell."""
    table = model._meta.table_name
    fts = index_table(table)
    if not _has_table(fts):
        return None
    if len(word) >= 3:
        return SQL(f'(SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH ?)', [_phrase(word)])
    if len(word) == 2 and all(c.isascii() or c.lower() == c.upper() for c in word):
        trigrams = _trigrams_starting(table, word.lower())
        if trigrams is None:
            return None
        if not trigrams:
            return SQL("(SELECT NULL WHERE 0)")
        return SQL(f'(SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH ?)', [" OR ".join(map(_phrase, trigrams))])
    return None


def _trigrams_starting(table, start):
    rows = database.obj.execute_sql(
        f'SELECT term FROM "{vocabulary_table(table)}" WHERE term >= ? AND term < ? LIMIT ?',
        (start, start + "\U0010ffff", MAX_TRIGRAMS_PER_WORD + 1)).fetchall()
    return None if len(rows) > MAX_TRIGRAMS_PER_WORD else [term for (term,) in rows]


def _phrase(text):
    """`text` as an FTS5 string: its quotes doubled, so NEAR, AND, * and " are plain characters."""
    return '"' + text.replace('"', '""') + '"'


def _has_table(name):
    return database.obj.execute_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
