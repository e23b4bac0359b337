"""Search of the big tables' words through a text index instead of a scan (migration 0018).

A search word matches a row when one of the searched columns contains it (the back office's
LIKE '%word%': case-insensitive for Latin letters on SQLite, for every letter on PostgreSQL;
`%`, `_` and quotes are plain characters). The index only narrows the rows: each row it offers
is checked with that same LIKE, so the rows found are those a scan would find.

- SQLite: a contentless FTS5 table with the trigram tokenizer per table (`<table>_text`), kept in
  step by triggers. Each value is indexed with an end mark (U+001F), so every two-character word
  that occurs is the start of an indexed trigram: a word of two characters (补贴) is looked up
  through the index's vocabulary (the trigrams it starts), unless it starts too many of them.
  The index's rowid is the row's key in the list's default order (INDEX_ORDER): a list searched in
  that order joins the index and reads its matches from the index's end, stopping at a page,
  however many rows hold a common word (`narrow`, `IndexOrder`).
- PostgreSQL: GIN trigram indexes (pg_trgm) on each searched column, which the LIKE itself uses.
  Where the extension cannot be created (no privilege) the migration warns and the search
  scans, as before.

A word of one character (or of two that starts too many trigrams, or with letters whose case the
index folds otherwise than LIKE does) is checked with LIKE alone: on the rows the search's other
words leave, or over the table when it is the only word. On PostgreSQL a word without three
letters or digits in a row gives pg_trgm nothing to look up: a list in its own order then reads the
bucketed index of core.records.search_buckets, which holds every character and bigram.
"""
import contextlib
import functools
import logging
from dataclasses import dataclass

from peewee import SQL, BareField, BigIntegerField, ColumnBase, Expression, Model, NodeList, PostgresqlDatabase, Value

from core.records import search_buckets
from core.records.db import database, is_sqlite

log = logging.getLogger(__name__)

#: Table -> the columns its list searches (the back office's column_searchable_list, which a test
#: holds to this).
TEXT_INDEXES = {
    "ledger_entry": ("project", "voucher", "description"),
    "audit_log": ("actor", "remark"),
    "agency": ("name", "licence_no"),
}

#: Table -> the order its index keeps rows in (the FTS5 rowid): the list's default order. ("id",):
#: the rowid is the id; (a date column, "id"): the day's number above the id's ID_BITS bits.
INDEX_ORDER = {
    "ledger_entry": ("date", "id"),
    "audit_log": ("id",),
    "agency": ("id",),
}
ID_BITS = 32  # ids below 4,294,967,296: far beyond a province's ledger
ID_MASK = (1 << ID_BITS) - 1
#: CAST(julianday('YYYY-MM-DD') AS INTEGER) less this is the day's date.toordinal().
JULIAN_DAY_OF_ORDINAL_ZERO = 1_721_424

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
    """The names of the PostgreSQL text indexes of every table in TEXT_INDEXES: trigram and bucketed
    (migrations 0018 and 0021), which the models do not declare."""
    return ({trigram_index(table, column) for table, columns in TEXT_INDEXES.items() for column in columns}
            | {search_buckets.index_name(table) for table in TEXT_INDEXES})


def gin_indexes(db, tables=None):
    """The PostgreSQL text indexes (trigram and bucketed) of `tables` (default: every table in
    TEXT_INDEXES) that exist in the database; none on SQLite."""
    if is_sqlite(db):
        return []
    tables = TEXT_INDEXES if tables is None else tables
    names = sorted({trigram_index(table, column) for table in tables for column in TEXT_INDEXES[table]}
                   | {search_buckets.index_name(table) for table in tables})
    return [name for (name,) in db.execute_sql("SELECT relname FROM pg_class WHERE relkind = 'i' AND relname = ANY(%s) "
                                               "AND pg_table_is_visible(oid) ORDER BY relname", (names,))]


def without_pending_entries(db, tables=None):
    """The text indexes of `tables` take new rows at once from now on (INDEX_OPTIONS), and take now
    what their pending lists hold (migration 0022; after a bulk load)."""
    for name in gin_indexes(db, tables):
        db.execute_sql(f'ALTER INDEX "{name}" SET (fastupdate = off)')
        db.execute_sql("SELECT gin_clean_pending_list(%s::regclass)", (f'"{name}"',))


@contextlib.contextmanager
def bulk_loading(db, tables):
    """Around one big INSERT into `tables`: their text indexes gather the new rows in GIN's pending
    list (fastupdate) and sort them in once at the end, not row by row, then take new rows at once again."""
    for name in gin_indexes(db, tables):
        db.execute_sql(f'ALTER INDEX "{name}" SET (fastupdate = on)')
    try:
        yield
    finally:
        without_pending_entries(db, tables)


# --- the indexes (created by migration 0018) -----------------------------------------------------


def create_indexes(db, orders=None):
    """The text indexes of every table in TEXT_INDEXES, filled from the rows already there; on SQLite
    each keeps its rows in INDEX_ORDER's order, or in `orders[table]` (a migration's own)."""
    if is_sqlite(db):
        for table, columns in TEXT_INDEXES.items():
            create_index_table(db, table, columns, (orders or {}).get(table))
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
                           f'USING gin ("{column}" {schema}.gin_trgm_ops) {search_buckets.INDEX_OPTIONS}')


def drop_indexes(db):
    if is_sqlite(db):
        for table in TEXT_INDEXES:
            drop_index_table(db, table)
        return
    for table, columns in TEXT_INDEXES.items():
        for column in columns:
            db.execute_sql(f'DROP INDEX IF EXISTS "{trigram_index(table, column)}"')


def key_sql(table, prefix="", order=None):
    """SQL of a row's key in its table's index (INDEX_ORDER, or `order`), `prefix` naming the row
    (new., old.)."""
    order = order or INDEX_ORDER.get(table, ("id",))
    if order == ("id",):
        return f'{prefix}"id"'
    day_column, _id = order
    day = f'coalesce(CAST(julianday({prefix}"{day_column}") AS INTEGER) - {JULIAN_DAY_OF_ORDINAL_ZERO}, 0)'
    return f'(({day} << {ID_BITS}) | {prefix}"id")'


def create_index_table(db, table, columns=None, order=None):
    """One table's FTS5 index, its vocabulary and triggers, filled from the rows already there; its
    rows kept in `order` (INDEX_ORDER's by default)."""
    columns = columns or TEXT_INDEXES[table]
    order = order or INDEX_ORDER.get(table, ("id",))
    fts = index_table(table)
    names = ", ".join(f'"{c}"' for c in columns)
    marked = lambda prefix: ", ".join(f'{prefix}"{c}" || {END_MARK}' for c in columns)  # noqa: E731
    # Contentless, without lengths (only ranking reads them): the rows are read from the table itself.
    db.execute_sql(f'CREATE VIRTUAL TABLE "{fts}" USING fts5({names}, content=\'\', columnsize=0, tokenize=\'trigram\')')
    db.execute_sql(f'CREATE VIRTUAL TABLE "{vocabulary_table(table)}" USING fts5vocab("{fts}", \'row\')')
    insert = f'INSERT INTO "{fts}"(rowid, {names}) VALUES ({key_sql(table, "new.", order)}, {marked("new.")});'
    # A contentless index forgets a row only when told the key and the values it indexed.
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, {names}) VALUES (\'delete\', {key_sql(table, "old.", order)}, {marked("old.")});'
    watched = ", ".join(f'"{c}"' for c in dict.fromkeys([*columns, *order]))
    db.execute_sql(f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END')
    db.execute_sql(f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END')
    db.execute_sql(f'CREATE TRIGGER "{fts}_update" AFTER UPDATE OF {watched} ON "{table}" BEGIN {delete} {insert} END')
    db.execute_sql(f'INSERT INTO "{fts}"(rowid, {names}) SELECT {key_sql(table, "", order)}, {marked("")} '
                   f'FROM "{table}"')


def drop_index_table(db, table):
    for event in ("insert", "delete", "update"):
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{index_table(table)}_{event}"')
    db.execute_sql(f'DROP TABLE IF EXISTS "{vocabulary_table(table)}"')
    db.execute_sql(f'DROP TABLE IF EXISTS "{index_table(table)}"')


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
    return _Like(field, pattern)


class _Like(ColumnBase):
    """field LIKE pattern; written `(field || '') ILIKE …` where the query is rendered with
    like_unindexed (core.records.search_buckets): the same rows, which no trigram index answers."""

    def __init__(self, field, pattern):
        super().__init__()
        self.field, self.pattern = field, pattern

    def __sql__(self, ctx):
        postgres = isinstance(database.obj, PostgresqlDatabase)
        field = NodeList((SQL("("), self.field, SQL("|| '')")), glue="") if postgres and ctx.state.like_unindexed else self.field
        return ctx.sql(NodeList((field, SQL("ILIKE" if postgres else "LIKE"), Value(self.pattern),
                                 SQL(f"ESCAPE '{LIKE_ESCAPE}'"))))


def word_condition(model, fields, word, anchored_start=False, anchored_end=False, indexed=True):
    """The rows of `model` where one of `fields` holds `word` (at the start or as the whole value
    when anchored), read through the table's text index where it has one and `indexed` (`narrow`
    joins the index itself and wants the LIKE alone)."""
    word = word.replace("\x00", "")  # no stored text holds NUL; PostgreSQL refuses it in a query
    pattern = like_pattern(word, anchored_start, anchored_end)
    condition = None
    for field in fields:
        condition = like(field, pattern) if condition is None else condition | like(field, pattern)
    if indexed and is_sqlite() and is_indexed(model, fields):
        candidates = _fts_candidates(model, word)
        if candidates is not None:
            condition = model._meta.primary_key.in_(candidates) & condition
    return condition


def _fts_candidates(model, word):
    """The query of the ids whose indexed text may hold `word`; None if the index cannot tell."""
    table = model._meta.table_name
    if not _has_table(index_table(table)):
        return None
    term = _match_term(table, word)
    if term is None:
        return None
    if term is NOTHING:
        return SQL("(SELECT NULL WHERE 0)")
    return SQL(f'(SELECT {_id_of_rowid(table)} FROM "{index_table(table)}" WHERE "{index_table(table)}" MATCH ?)', [term])


def _id_of_rowid(table, rowid="rowid"):
    return rowid if INDEX_ORDER.get(table, ("id",)) == ("id",) else f"({rowid} & {ID_MASK})"


#: A word no row holds (a two-character word that starts no indexed trigram).
NOTHING = object()


def _match_term(table, word):
    """The FTS5 query of the rows that may hold `word`; None when the index cannot narrow by it (a
    word of one character, or of two that starts too many trigrams or has letters the index folds
    otherwise than LIKE); NOTHING when no row holds it."""
    if len(word) >= 3:
        return _phrase(word)
    if len(word) == 2 and all(c.isascii() or c.lower() == c.upper() for c in word):
        trigrams = _trigrams_starting(table, word.lower())
        if trigrams is None:
            return None
        if not trigrams:
            return NOTHING
        return "(" + " OR ".join(map(_phrase, trigrams)) + ")"
    return None


def _trigrams_starting(table, start):
    memo = _request_memo()
    if memo is not None and (table, start) in memo:
        return memo[(table, start)]
    rows = database.obj.execute_sql(
        f'SELECT term FROM "{vocabulary_table(table)}" WHERE term >= ? AND term < ? LIMIT ?',
        (start, start + "\U0010ffff", MAX_TRIGRAMS_PER_WORD + 1)).fetchall()
    found = None if len(rows) > MAX_TRIGRAMS_PER_WORD else [term for (term,) in rows]
    if memo is not None:
        memo[(table, start)] = found
    return found


def _request_memo():
    """A dict living as long as the request (a list page counts and reads with the same words: the
    vocabulary is asked once); None outside a request."""
    try:
        from flask import g, has_request_context
    except ImportError:  # pragma: no cover - the core runs without Flask too
        return None
    if not has_request_context():
        return None
    if "text_search_vocabulary" not in g:
        g.text_search_vocabulary = {}
    return g.text_search_vocabulary


def _phrase(text):
    """`text` as an FTS5 string: its quotes doubled, so NEAR, AND, * and " are plain characters."""
    return '"' + text.replace('"', '""') + '"'


def _has_table(name):
    memo = _request_memo()
    if memo is not None and ("table", name) in memo:
        return memo[("table", name)]
    found = database.obj.execute_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None
    if memo is not None:
        memo[("table", name)] = found
    return found


# --- a list searched through its index, read in the index's order --------------------------------


@functools.lru_cache(maxsize=None)
def index_model(model):
    """A peewee model of `model`'s FTS5 index: its rowid, and the table-named column MATCH takes."""
    table = index_table(model._meta.table_name)
    meta = type("Meta", (), {"database": model._meta.database, "table_name": table, "primary_key": False})
    return type(f"{model.__name__}TextIndex", (Model,), {
        "rowid": BigIntegerField(column_name="rowid"), "text": BareField(column_name=table), "Meta": meta})


@dataclass(frozen=True)
class IndexOrder:
    """A list joined to its text index: read in the index's order (its rowid), which is the list's
    order on the columns INDEX_ORDER names, a page of a common word is the index's last matches."""

    rowid: object  # the index model's rowid field
    columns: tuple

    def key(self, values):
        """The rowid of the row whose order columns hold `values` (a date and an id, or an id)."""
        if len(values) == 1:
            return values[0]
        day, row_id = values
        return (day.toordinal() << ID_BITS) | row_id


def narrow(query, model, fields, words):
    """`query` (of `model`) narrowed to the rows where each of `words` — (word, anchored_start,
    anchored_end) — is in one of `fields`: each checked by LIKE, and on SQLite the rows first found
    in the table's index by a join. Returns (query, IndexOrder or None when there is no join)."""
    for word, start, end in words:
        query = query.where(word_condition(model, fields, word, start, end, indexed=False))
    table = model._meta.table_name
    if not is_indexed(model, fields):
        return query, None
    if not is_sqlite():
        return query, search_buckets.search(model, TEXT_INDEXES[table], [w.replace("\x00", "") for w, _s, _e in words],
                                            INDEX_ORDER.get(table, ("id",)))
    if not _has_table(index_table(table)):
        return query, None
    terms = [_match_term(table, word.replace("\x00", "")) for word, _start, _end in words]
    if any(term is NOTHING for term in terms):
        return query.where(SQL("0 = 1")), None
    terms = [term for term in terms if term is not None]
    if not terms:
        return query, None
    index = index_model(model)
    row_id = index.rowid if INDEX_ORDER.get(table, ("id",)) == ("id",) else index.rowid.bin_and(ID_MASK)
    query = query.join_from(model, index, on=(row_id == model._meta.primary_key)).where(
        Expression(index.text, "MATCH", " AND ".join(terms)))
    return query, IndexOrder(index.rowid, INDEX_ORDER.get(table, ("id",)))
