"""Paging a back-office list at a province's size: a capped count and keyset pages.

Counting a million ledger lines to print "page 1 of 50,000", or skipping 999,980 of them by OFFSET
to show the last page, costs a full scan on every click. Here the count stops at a cap (the list
then says "10,000+"), and the pager's links carry a key — the sort column's value and the id of the
row at the page's edge — so the next, previous and last pages are each one index range read of one
page, as cheap as the first. The last page reads the order backwards from its end.

A key is the JSON list of the values of the order's columns, as strings (`["2025-03-01", 812]`); a
key that does not parse as the order's columns is no key at all (the first page is shown).
"""
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from peewee import SQL, DateField, DateTimeField, DecimalField, IntegerField, Select, Tuple, fn

from admin.ids import as_whole
from core.records.db import database
from core.records.search_buckets import BucketSearch
from core.records.text_search import IndexOrder

#: Where the count stops: past it the list says "10,000+", never counting the whole table.
COUNT_CAP = 10_000
#: The furthest row an old `?page=N` link reaches by OFFSET; beyond it the pager's keys go on.
OFFSET_LIMIT = 10_000
#: A key is a few short values; anything longer is not one.
MAX_KEY_LENGTH = 200
#: A searched list's count stops sooner: "1,000+ 条" tells a reader what "10,000+" would (refine
#: the words), and each row counted is one the text index offered and LIKE checked again.
SEARCH_COUNT_CAP = 1_000

#: The pager's query-string arguments: rows after a key, rows before a key, the last page.
AFTER, BEFORE, LAST = "after", "before", "last"
POSITION_ARGS = (AFTER, BEFORE, LAST)


class CappedCount(int):
    """A count that stopped at its cap: the number is the cap, the text says "10,000+ 条"."""

    @property
    def figure(self):
        return f"{int(self):,}+"

    def __str__(self):
        return gettext("%(count)s records", count=self.figure)


def count_figure(count):
    """The count as the list writes it in a sentence: 25, or 10,000+ when capped."""
    return count.figure if isinstance(count, CappedCount) else count


def capped_count(query, cap):
    """The rows of `query` counted up to `cap`: an int, or CappedCount(cap) when there are more.

    Reads at most cap + 1 rows (`SELECT count(*) FROM (SELECT 1 … LIMIT cap + 1)`)."""
    counted = query.select(SQL("1")).order_by().limit(cap + 1).alias("capped")
    database = query.model._meta.database
    (n,) = database.execute(Select([counted], [fn.COUNT(SQL("*"))])).fetchone()
    return CappedCount(cap) if n > cap else n


def capped_count_of_ids(ids, cap):
    """The ids an SQL subquery `ids` answers (it reads at most cap + 1 of them), counted as by
    capped_count."""
    (n,) = database.obj.execute_sql(f"SELECT count(*) FROM {ids.sql} AS capped", ids.params).fetchone()
    return CappedCount(cap) if n > cap else n


@dataclass(frozen=True)
class Position:
    """Where a page starts: after or before a key, the last page, or (neither) the first."""

    mode: str = ""
    key: tuple = ()


FIRST = Position()


def _key_value(field, text):
    """`text` read as a value of `field`, or None."""
    if not isinstance(text, (str, int)) or isinstance(text, bool):
        return None
    try:
        if isinstance(field, IntegerField):  # ids and foreign keys too
            return as_whole(text)
        if isinstance(field, DateTimeField):
            return datetime.fromisoformat(text)
        if isinstance(field, DateField):
            return date.fromisoformat(text)
        if isinstance(field, DecimalField):
            value = Decimal(text)
            return value if value.is_finite() else None
    except (TypeError, ValueError, InvalidOperation):
        return None
    return text if isinstance(text, str) else None


def position_from(args, fields):
    """The page's position from the request's arguments, for an order on `fields`; FIRST if none
    is given or the key is not one of this order (a hostile or stale link shows the first page)."""
    if args.get(LAST):
        return Position(LAST)
    for mode in (AFTER, BEFORE):
        text = args.get(mode)
        if text is None:
            continue
        if len(text) > MAX_KEY_LENGTH:
            return FIRST
        try:
            values = json.loads(text)
        except ValueError:
            return FIRST
        if not isinstance(values, list) or len(values) != len(fields):
            return FIRST
        key = tuple(_key_value(f, v) for f, v in zip(fields, values))
        return FIRST if any(v is None for v in key) else Position(mode, key)
    return FIRST


def key_text(row, fields):
    """The key of `row` in an order on `fields`, as the pager's links carry it."""
    values = []
    for field in fields:
        value = getattr(row, field.name)
        value = getattr(value, "id", value)  # a foreign key: its id
        values.append(value if isinstance(value, int) else str(value))
    return json.dumps(values, separators=(",", ":"))


@dataclass
class Page:
    """A page's rows (in the list's order) and whether there are rows before and after them."""

    rows: list
    has_previous: bool
    has_next: bool


def _after(fields, key, descending):
    """The rows past `key` in an order on `fields`, all in one direction (a row-value comparison,
    which an index on the same columns serves)."""
    left = Tuple(*fields)
    right = Tuple(*[f.db_value(v) for f, v in zip(fields, key)])
    return left < right if descending else left > right


def ordering(fields, descending):
    """The ORDER BY of an order on `fields`, all `descending` or all ascending."""
    return [f.desc() if descending else f.asc() for f in fields]


#: read_page's order for a search known to have few matches (its count was not capped).
SORT_ALL = object()


def read_page(query, fields, descending, page_size, position, page_number=0, index_order=None):
    """One page of `query` ordered by `fields` (the sort column, then id), all `descending` or not.

    Reads page_size + 1 rows to know whether more follow; before a key and on the last page it
    reads the order backwards and turns the rows round. `page_number` (an old ?page=N link) is
    read by OFFSET, bounded by OFFSET_LIMIT rows. `index_order` (a query joined to its text index
    whose order is `fields`, core.records.text_search.IndexOrder): the order and the keys are the
    index's rowid, so the page is the index's first matches from the key; a PostgreSQL search
    (core.records.search_buckets.BucketSearch): the page's ids are read bucket by bucket; SORT_ALL:
    every match is read and sorted, no index walking the order (a search with few matches)."""
    backwards = position.mode in (BEFORE, LAST)
    direction = descending != backwards
    offset = 0
    if not position.mode and page_number:
        offset = min(page_number, max_page_number(page_size)) * page_size
    buckets = isinstance(index_order, BucketSearch) and not offset
    by_rowid = isinstance(index_order, IndexOrder)  # SQLite's index in the list's order: keys are its rowids
    if by_rowid:
        order = [index_order.rowid.desc() if direction else index_order.rowid.asc()]
    elif index_order is SORT_ALL:  # few matches: read them all through the text index and sort
        order = ordering([f + SQL("0") for f in fields], direction)
    else:
        order = ordering(fields, direction)
    if position.mode in (AFTER, BEFORE):
        if by_rowid:
            key = index_order.key(position.key)
            query = query.where(index_order.rowid < key if direction else index_order.rowid > key)
        else:
            query = query.where(_after(fields, position.key, direction))
    if buckets:
        source = index_order.source
        if position.mode in (AFTER, BEFORE):
            source = source.where(_after(fields, position.key, direction))
        start = position.key[0] if position.mode in (AFTER, BEFORE) else None
        query = query.where(index_order.model._meta.primary_key.in_(
            index_order.first_ids(source, direction, start, page_size + 1)))
    rows = list(query.order_by(*order).limit(page_size + 1).offset(offset or None))
    more = len(rows) > page_size
    if backwards:
        return Page(rows[:page_size][::-1], has_previous=more, has_next=position.mode == BEFORE)
    return Page(rows[:page_size], has_previous=position.mode == AFTER or offset > 0, has_next=more)


def max_page_number(page_size):
    """The furthest page (from 0) an old ?page=N link reaches: OFFSET_LIMIT rows in."""
    return max(0, math.floor(OFFSET_LIMIT / page_size))
