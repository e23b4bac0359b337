"""PostgreSQL: a list's search read in the list's own order, one bucket of rows at a time (migration 0021).

pg_trgm's GIN indexes (core.records.text_search) find the rows holding a word but keep no order. A
page of a common word then either walks the list's order checking every row, or reads every match
to sort it; and a word of two characters (补贴, 核查) gives pg_trgm no trigram at all.

So each searched table also has one GIN index of its rows' characters and bigrams, each tagged with the row's
*bucket*: a stretch of the list's default order (a week of the ledger's dates, 16,384 audit ids).
`核查:61` is indexed for every row of bucket 61 whose text holds 核查 (lower-cased as ILIKE compares),
and `核:61` for each that holds 核: a word of one character is looked up by its character.
A page is read bucket by bucket from the newest (generate_series joined LATERAL): each bucket's
matches are one small index lookup, sorted among themselves, and the read stops at the bucket that
fills the page. Every row the index offers is still checked with the back office's ILIKE, which
inside the bucketed read is written so that the planner cannot answer it by the trigram index
instead (it once chose to, and read a common trigram's rows once per bucket for minutes).
"""
from dataclasses import dataclass

from peewee import SQL, Expression, NodeList, fn

from core.records.db import is_sqlite

FUNCTION = "search_grams"
WORD_FUNCTION = "search_word_grams"
#: What FUNCTION costs the planner, in cpu_operator_cost units. A row's grams take some 30 µs (about
#: 1,000 units) against 100 assumed of any SQL function; and the planner guesses a bucket's rows from its
#: range alone, a few. At either cost it read a small table's bucket by its B-tree and worked out every
#: row's grams in a filter (9 ms for 2,000 audit rows) instead of asking the index, which at this cost it does.
FUNCTION_COST = 100_000
#: The searched tables' GIN indexes (bucketed and trigram) take each new row at once: with GIN's
#: pending list (fastupdate, the default) every search also reads the list's unsorted entries, up to
#: 4 MB between vacuums, and a province's ledger search took 57 ms instead of 21.
INDEX_OPTIONS = "WITH (fastupdate = off)"
#: The SQL of FUNCTION, a row's text: its distinct characters and bigrams of lower(text), each tagged
#: ":<bucket>"; of WORD_FUNCTION, a searched word's: its bigrams, or the character of a word of one.
#: Both lower-case in the database, as ILIKE compares.
FUNCTION_SQL = (f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(value text, bucket bigint) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST {FUNCTION_COST} AS $$
    SELECT coalesce(array_agg(DISTINCT gram || ':' || bucket), '{{}}') FROM (
        SELECT substr(lowered, i, 2) FROM (SELECT lower(value) AS lowered) AS v,
                                          generate_series(1, length(lowered) - 1) AS i
        UNION ALL SELECT regexp_split_to_table(lower(value), '')) AS g(gram)
    WHERE gram <> ''
$$""", f"""
CREATE OR REPLACE FUNCTION {WORD_FUNCTION}(word text, bucket bigint) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN length(lowered) = 1 THEN ARRAY[lowered || ':' || bucket]
                ELSE coalesce((SELECT array_agg(DISTINCT substr(lowered, i, 2) || ':' || bucket)
                               FROM generate_series(1, length(lowered) - 1) AS i), '{{}}') END
    FROM (SELECT lower(word) AS lowered) AS v
$$""")

#: Table -> (the column leading its list's default order, the width of a bucket of it). A date's
#: bucket is its week (days since 0001-01-01, divided); an id's, a run of ids. Sized so that a
#: province's bucket holds some ten thousand rows: few enough to sort a common word's matches, many
#: enough that a rare word crosses a whole table in a hundred index lookups.
BUCKETS = {
    "ledger_entry": ("date", 7),
    "audit_log": ("id", 16_384),
    "agency": ("id", 4_096),
}
DAY_ZERO = "DATE '0001-01-01'"
#: Between a row's columns in its indexed text: no word holds it, so no bigram spans two columns.
SEPARATOR = "E'\\x1f'"


def index_name(table):
    return f"{table}_grams"


def bucket_sql(table, column_sql):
    column, width = BUCKETS[table]
    return f"(({column_sql} - {DAY_ZERO}) / {width})" if column == "date" else f"({column_sql} / {width})"


def bucket_bounds(table, bucket="b.n"):
    """The SQL of the first value of the leading column in `bucket` and of the first after it."""
    column, width = BUCKETS[table]
    if column == "date":
        return tuple(f"({DAY_ZERO} + ({bucket} * {width} + {shift})::integer)" for shift in (0, width))
    return f"({bucket} * {width})", f"(({bucket} + 1) * {width})"


#: Where a column stands in the index's expression as `_expression_pieces` writes it.
_COLUMN = "\x00"


def _expression_pieces(table, columns):
    """The index's expression written once, as (SQL texts, column names): texts[i] comes before
    names[i], and the last text closes it. The migration writes the names quoted (`index_expression`),
    the read as its query's own columns (`BucketSearch._indexed`): the planner uses the index only
    for the same expression."""
    text = f"{FUNCTION}({f' || {SEPARATOR} || '.join(_COLUMN for _ in columns)}, {bucket_sql(table, _COLUMN)})"
    return text.split(_COLUMN), [*columns, BUCKETS[table][0]]


def index_expression(table, columns):
    texts, names = _expression_pieces(table, columns)
    return "".join(text + f'"{name}"' for text, name in zip(texts, names)) + texts[-1]


def create_indexes(db, text_indexes):
    """FUNCTION and one bucketed bigram index per table of `text_indexes` ({table: columns})."""
    if is_sqlite(db):
        return
    for sql in FUNCTION_SQL:
        db.execute_sql(sql)
    for table, columns in text_indexes.items():
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{index_name(table)}" ON "{table}" '
                       f'USING gin ({index_expression(table, columns)}) {INDEX_OPTIONS}')


def drop_indexes(db, text_indexes):
    if is_sqlite(db):
        return
    for table in text_indexes:
        db.execute_sql(f'DROP INDEX IF EXISTS "{index_name(table)}"')
    for name in (FUNCTION, WORD_FUNCTION):
        db.execute_sql(f"DROP FUNCTION IF EXISTS {name}(text, bigint)")


# --- the read --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketSearch:
    """A PostgreSQL list search whose rows can be read bucket by bucket in the list's order.

    `words`: the searched words (a word of one character is looked up by it, a longer one by its bigrams).
    `source`: the scoped, searched and filtered query of the table alone (no display joins), which
    the bucketed read selects ids from; set by `reading`."""

    model: object
    indexed_columns: tuple  # the columns the table's index holds, in its order
    words: tuple
    columns: tuple  # the list's order
    source: object = None

    @property
    def counts_by_buckets(self):
        """Whether the buckets count the rows better than the trigram index: when no word has a
        trigram (pg_trgm cuts only runs of three letters or digits: 核查, 补, %%%%), or for one word
        of three characters. A longer word, or several, is looked up in every bucket of a rare match
        by all its bigrams (1.2 s for `记-2025-000003-06` in a province's ledger against 61 ms by
        trigrams; see benchmarks/RESULTS.md)."""
        return not any(map(_has_trigram, self.words)) or (len(self.words) == 1 and len(self.words[0]) <= 3)

    def reading(self, source):
        return BucketSearch(self.model, self.indexed_columns, self.words, self.columns, source)

    def first_ids(self, query, descending, start=None, limit=1):
        """The ids of `query`'s first `limit` rows in the list's order (`descending` or not), from
        the bucket of `start` (the value of the order's leading column) or from the table's end: an
        SQL node, the subquery of an IN."""
        table = self.model._meta.table_name
        column, _width = BUCKETS[table]
        lead = getattr(self.model, column)
        extreme = "max" if descending else "min"
        other = "min" if descending else "max"
        if start is None:
            first, first_params = bucket_sql(table, f'(SELECT {extreme}("{column}") FROM "{table}")'), []
        else:
            first, first_params = bucket_sql(table, "%s" if column == "id" else "%s::date"), [lead.db_value(start)]
        last = bucket_sql(table, f'(SELECT {other}("{column}") FROM "{table}")')
        grams = NodeList([fn.search_word_grams(word, SQL("b.n")) for word in self.words], glue=" || ", parens=True)
        order = [Expression(getattr(self.model, c), "+", SQL("0")) for c in self.columns]  # no index serves it
        inner = (query.select(self.model._meta.primary_key)
                 .where(Expression(self._indexed(), "@>", grams))
                 .where(self._in_bucket(lead))
                 .order_by(*[o.desc() if descending else o.asc() for o in order])
                 .limit(limit))
        database = self.model._meta.database
        inner_sql, inner_params = database.get_sql_context(like_unindexed=True).sql(inner).query()
        step = -1 if descending else 1
        return SQL(f"(SELECT p.id FROM generate_series({first}, {last}, {step}) AS b(n) "
                   f"CROSS JOIN LATERAL ({inner_sql}) AS p LIMIT %s)",
                   [*first_params, *inner_params, limit])

    def _in_bucket(self, lead):
        """The bucket b.n as a range of the leading column: the same rows as the index's tag, which a
        B-tree reads where the table is small (else each bucket's lookup scans the table)."""
        start, end = bucket_bounds(self.model._meta.table_name)
        return (lead >= SQL(start)) & (lead < SQL(end))

    def _indexed(self):
        """The index's expression (every indexed column, whichever the view searches) over this
        query's own table alias (`_expression_pieces`)."""
        texts, names = _expression_pieces(self.model._meta.table_name, self.indexed_columns)
        nodes = []
        for text, name in zip(texts, names):
            nodes += [SQL(text), self.model._meta.columns[name]]
        return NodeList([*nodes, SQL(texts[-1])], glue="")


def _has_trigram(word):
    """Whether pg_trgm finds a trigram in `word`: a run of three letters or digits."""
    run = 0
    for character in word:
        run = run + 1 if character.isalnum() else 0
        if run == 3:
            return True
    return False


def search(model, indexed_columns, words, columns):
    """The BucketSearch of `words` (the search's words as typed) on `model`, whose index holds
    `indexed_columns`, read in the order of `columns`; None when buckets cannot read it (SQLite, a
    table without them, no word)."""
    table = model._meta.table_name
    if is_sqlite(model._meta.database) or table not in BUCKETS:
        return None
    words = tuple(word for word in words if word)
    if not words:
        return None
    return BucketSearch(model, tuple(indexed_columns), words, tuple(columns))
