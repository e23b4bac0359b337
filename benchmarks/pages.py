"""Back-office pages at scale, each beside its floor: the server time of a page through the test client
(signed in as an administrator), and the time of reading the page's own rows with plain SQL — its
SELECT of 20 rows in the same order under the same filter, and a count capped as a pager needs it
(`SELECT count(*) FROM (SELECT 1 … LIMIT 10001)`). A page near its floor spends little beyond reading
its rows; a page far above it pays for something else (a full count, an OFFSET, one query per row).

Also a stock Flask-Admin peewee ModelView of the ledger, in a minimal Flask app of its own (same
process, same database, no sign-in), beside hrpark's ledger list.

The URLs are found as a reader would find them: the last page from the pager's "last" link on the
first page as rendered (whatever paging the list uses), a sort from the column header's link (or
"not offered" when the list has none), the audit log's filters from the view's own filter list.
"""
import html
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from tests.statements import counting

PAGE_ROWS = 20
COUNT_CAP = 10_001
SEARCH_COUNT_CAP = 1_001  # admin.paging.SEARCH_COUNT_CAP + 1
ID_MASK = (1 << 32) - 1  # core.records.text_search.ID_MASK: the ledger index's rowid holds the id in its low bits
#: A term of the generated ledger's project names ("…（第7笔）…"): a Chinese word with a number.
LEDGER_SEARCH = "第7笔"
#: A word of the audit log's revenue corrections' remark (core.world.top_up.CORRECTION_REMARK).
AUDIT_SEARCH = "核查"
NOT_OFFERED = "not offered"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def signed_in_client(db, workdir, user, password):
    """(app, test client) of the back office, signed in as `user`."""
    from admin.app import create_app

    app = create_app({"DATABASE": db, "TESTING": True, "SECRET_KEY": "bench-secret",
                      "INSTANCE_PATH": str(Path(workdir) / "instance")})
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
             or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page))
    response = client.post("/auth/login", data={"csrf_token": token.group(1), "username": user.username,
                                                 "password": password})
    assert response.status_code == 302, response.status_code
    return app, client


def time_request(db, client, path, repeat, headers=None):
    """(median ms, p95 ms, queries, the first response) of `path`: warmed once, queries counted once."""
    first = client.get(path, headers=headers)
    with counting(db) as statements:
        client.get(path, headers=headers)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 95), len(statements), first


def time_page(db, client, path, repeat):
    """(median ms, p95 ms, queries, HTTP status) of `path`: warmed once, queries counted once."""
    median, p95, queries, first = time_request(db, client, path, repeat)
    return median, p95, queries, first.status_code


def revalidation_status(client, path):
    """The HTTP status of `path` asked again with the ETag its first answer gave (304 when it holds)."""
    etag = client.get(path).headers.get("ETag")
    return client.get(path, headers={"If-None-Match": etag}).status_code if etag else "no ETag"


# --- where a reader goes: links as the pages render them ----------------------------------------

def last_page_url(client, path):
    """The pager's link to the last page as the first page renders it, else `?page=N` from the count."""
    page = client.get(path).get_data(as_text=True)
    links = re.findall(r'<a[^>]*href="([^"#]+)"[^>]*>(.*?)</a>', page, re.S)
    for href, text in links:
        label = re.sub(r"<[^>]+>", "", html.unescape(text)).strip()
        if label in ("»", "末页", "尾页", "最后一页", "Last", "last") and "javascript" not in href:
            return html.unescape(href)
    rel_last = re.search(r'<a[^>]*rel="last"[^>]*href="([^"]+)"', page) or re.search(r'<a[^>]*href="([^"]+)"[^>]*rel="last"', page)
    if rel_last:
        return html.unescape(rel_last.group(1))
    # A short pager shows every page: its highest number is the last (none at all: one page).
    numbered = [(int(text), href) for href, text in links if text.strip().isdigit() and "page=" in href]
    return html.unescape(max(numbered)[1]) if numbered else path


def sort_url(client, path, column):
    """The link of `column`'s header (a Flask-Admin list names its header cells col-<column>), or None."""
    page = client.get(path).get_data(as_text=True)
    cell = re.search(rf'<th[^>]*class="[^"]*\bcol-{re.escape(column)}\b[^"]*"[^>]*>(.*?)</th>', page, re.S)
    link = cell and re.search(r'<a[^>]*href="([^"]+)"', cell.group(1))
    return html.unescape(link.group(1)) if link else None


def filter_arguments(app, endpoint, wanted):
    """{column name: URL argument} of the list's filters on `wanted` columns (equality ones first)."""
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == endpoint)
    arguments = {}
    for index, flt in enumerate(view._filters or ()):
        name = getattr(flt.column, "name", None)
        if name in wanted and name not in arguments and "equal" in type(flt).__name__.lower():
            arguments[name] = f"flt{len(arguments)}_{view.get_filter_arg(index, flt)}"
    return arguments


# --- the floor: the page's own rows with plain SQL ---------------------------------------------

@dataclass
class Floor:
    """A page's rows as plain SQL: FROM (with the list's joins), WHERE, ORDER BY; the count on `table`.

    A search's floor on SQLite reads the text index as well as SQL can: `text_index` is the FTS5 query,
    joined as the outer loop in the index's own order (its rowid: the list's order), each row checked
    by `where` (the LIKE); `id_of_rowid` turns the index's rowid into the row's id. On PostgreSQL,
    `bucket_word` is read bucket by bucket through the bucketed bigram index (migration 0021), and a
    word of up to three characters is counted the same way, as the list does."""

    table: str
    joins: str = ""
    where: str = "1 = 1"
    order: str = "id DESC"
    count_cap: int = COUNT_CAP
    text_index: str = ""
    id_of_rowid: str = "t.rowid"
    bucket_word: str = ""

    def _bucketed_ids(self, mark, where, limit):
        """PostgreSQL: the ids of the first `limit` matches read bucket by bucket (as
        core.records.search_buckets reads them), newest first; the LIKE on expressions no trigram
        index answers."""
        from core.records import search_buckets, text_search

        column, _width = search_buckets.BUCKETS[self.table]
        grams = search_buckets.index_expression(self.table, text_search.TEXT_INDEXES[self.table])
        first = search_buckets.bucket_sql(self.table, f'(SELECT max("{column}") FROM "{self.table}")')
        last = search_buckets.bucket_sql(self.table, f'(SELECT min("{column}") FROM "{self.table}")')
        unindexed = re.sub(r'("\w+"\.\w+) ILIKE', r"(\1 || '') ILIKE", where)
        order = ", ".join(f'"{self.table}"."{c}" + 0 DESC' for c in text_search.INDEX_ORDER[self.table])
        start, end = search_buckets.bucket_bounds(self.table)
        in_bucket = f'"{self.table}"."{column}" >= {start} AND "{self.table}"."{column}" < {end}'
        return (f"SELECT p.id FROM generate_series({first}, {last}, -1) AS b(n) CROSS JOIN LATERAL "
                f'(SELECT id FROM "{self.table}" WHERE {grams} @> {search_buckets.WORD_FUNCTION}({mark}, b.n) AND {in_bucket} '
                f"AND {unindexed} ORDER BY {order} LIMIT {limit}) AS p LIMIT {limit}")

    def statements(self, mark, percent="%", sqlite=False):
        """[(SQL, parameters)]: the limits are parameters, as the ORM sends them (SQLite plans a literal
        LIMIT differently, and once chose to join and sort a million rows for it). `percent`: how the
        driver wants a literal % written."""
        where = self.where.replace("%", percent)
        if sqlite and self.text_index:
            fts = f"{self.table}_text"
            source = (f'"{fts}" AS t JOIN "{self.table}" ON "{self.table}".id = {self.id_of_rowid} {self.joins} '
                      f'WHERE t."{fts}" MATCH {mark} AND {where}')
            rows = f"SELECT * FROM {source} ORDER BY t.rowid DESC LIMIT {mark}"
            count = f'SELECT count(*) FROM (SELECT 1 FROM {source} LIMIT {mark}) AS capped'
            return [(rows, (self.text_index, PAGE_ROWS)), (count, (self.text_index, self.count_cap))]
        if not sqlite and self.bucket_word:
            ids = self._bucketed_ids(mark, where, PAGE_ROWS)
            rows = (f'SELECT * FROM "{self.table}" {self.joins} WHERE "{self.table}".id IN ({ids}) AND {where} '
                    f"ORDER BY {self.order} LIMIT {mark}")
            statements = [(rows, (self.bucket_word, PAGE_ROWS))]
            if len(self.bucket_word) <= 3:  # as the list counts a short word: by buckets
                count = f"SELECT count(*) FROM ({self._bucketed_ids(mark, where, self.count_cap)}) AS capped"
                return statements + [(count, (self.bucket_word,))]
            count = f'SELECT count(*) FROM (SELECT 1 FROM "{self.table}" WHERE {where} LIMIT {mark}) AS capped'
            return statements + [(count, (self.count_cap,))]
        rows = f'SELECT * FROM "{self.table}" {self.joins} WHERE {where} ORDER BY {self.order} LIMIT {mark}'
        count = f'SELECT count(*) FROM (SELECT 1 FROM "{self.table}" WHERE {where} LIMIT {mark}) AS capped'
        return [(rows, (PAGE_ROWS,)), (count, (self.count_cap,))]


def floor_ms(db, floor, repeat):
    """Median ms of the floor's two statements, run as plain SQL on the page's connection."""
    from core.records.db import is_sqlite

    statements = floor.statements(db.param, "%" if is_sqlite(db) else "%%", sqlite=is_sqlite(db))  # psycopg2: %% is a literal %
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        for sql, params in statements:
            db.execute_sql(sql, params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])  # the first warms the cache, as the page's first request does


def _like(db, column, term):
    from core.records.db import is_sqlite

    escaped = term.replace("'", "''")
    return f"{column} {'LIKE' if is_sqlite(db) else 'ILIKE'} '%{escaped}%'"


def _audit_index_query(db):
    """AUDIT_SEARCH as an FTS5 query of the audit log's index (a two-character word: the trigrams it
    starts, OR'ed; "" when it starts too many, and the floor is the LIKE scan)."""
    from core.records import text_search
    from core.records.db import is_sqlite

    if not is_sqlite(db):
        return ""
    term = text_search._match_term("audit_log", AUDIT_SEARCH)
    return "" if term is None or term is text_search.NOTHING else term


def _ledger_joins(table="ledger_entry"):
    return f'JOIN park ON park.id = "{table}".park_id'


def measurements(db, app, client):
    """[(name, path or NOT_OFFERED, Floor or None)] of the lists measured at scale."""
    ledger = "/admin/ledger/"
    ledger_order = '"ledger_entry"."date" DESC, "ledger_entry".id DESC'
    found = [
        ("parks", "/admin/park/", Floor("park", "JOIN jurisdiction ON jurisdiction.id = park.jurisdiction_id", order="park.id DESC")),
        ("agencies", "/admin/agency/", Floor("agency", "JOIN park ON park.id = agency.park_id", order="agency.id DESC")),
        ("agency-years", "/admin/agency_year/",
         Floor("agency_year", "JOIN agency ON agency.id = agency_year.agency_id JOIN park ON park.id = agency.park_id",
               order="agency_year.id DESC")),
        ("applications", "/admin/application/",
         Floor("application", "JOIN park ON park.id = application.park_id JOIN jurisdiction ON jurisdiction.id = "
                              "application.jurisdiction_id", order="application.id DESC")),
        ("subsidies", "/admin/subsidy/",
         Floor("subsidy", "JOIN park ON park.id = subsidy.park_id JOIN jurisdiction ON jurisdiction.id = "
                          "subsidy.jurisdiction_id", order="subsidy.id DESC")),
        ("ledger list", ledger, Floor("ledger_entry", _ledger_joins(), order=ledger_order)),
        # The last page's rows read from the other end: what a reader who knows the order pays.
        ("ledger last page", last_page_url(client, ledger),
         Floor("ledger_entry", _ledger_joins(), order='"ledger_entry"."date", "ledger_entry".id')),
    ]
    for column in ("amount", "project"):
        url = sort_url(client, ledger, column)
        found.append((f"ledger by {column}", url or NOT_OFFERED,
                      Floor("ledger_entry", _ledger_joins(), order=f'"ledger_entry"."{column}"')))
    search = " OR ".join(_like(db, f'"ledger_entry".{c}', LEDGER_SEARCH) for c in ("project", "voucher", "description"))
    found.append((f"ledger search {LEDGER_SEARCH}", f"{ledger}?search={LEDGER_SEARCH}",
                  Floor("ledger_entry", _ledger_joins(), where=f"({search})", order=ledger_order,
                        count_cap=SEARCH_COUNT_CAP, text_index=f'"{LEDGER_SEARCH}"', id_of_rowid=f"(t.rowid & {ID_MASK})",
                        bucket_word=LEDGER_SEARCH)))
    audit = "/admin/audit_log/"
    search = " OR ".join(_like(db, f'"audit_log".{c}', AUDIT_SEARCH) for c in ("actor", "remark"))
    found.append((f"audit log search {AUDIT_SEARCH}", f"{audit}?search={AUDIT_SEARCH}",
                  Floor("audit_log", where=f"({search})", order="id DESC", count_cap=SEARCH_COUNT_CAP,
                        text_index=_audit_index_query(db), bucket_word=AUDIT_SEARCH)))
    # A record with a history: the latest one updated (else the latest one with any row).
    table, record_id = (
        db.execute_sql("SELECT \"table\", record_id FROM audit_log WHERE action = 'update' AND record_id IS NOT NULL "
                       "ORDER BY id DESC LIMIT 1").fetchone()
        or db.execute_sql('SELECT "table", record_id FROM audit_log WHERE record_id IS NOT NULL ORDER BY id DESC LIMIT 1').fetchone()
        or (None, None))
    arguments = filter_arguments(app, "audit_log", {"table", "record_id"})
    if record_id is not None and len(arguments) == 2:
        found.append((f"audit log of {table} #{record_id}",
                      f"{audit}?{arguments['table']}={table}&{arguments['record_id']}={record_id}",
                      Floor("audit_log", where=f"\"table\" = '{table}' AND record_id = {int(record_id)}", order="id DESC")))
    else:
        found.append(("audit log of a record", NOT_OFFERED, None))
    return found


def measure_lists(db, app, client, repeat):
    """{name: (path, (median ms, p95 ms, queries, status) or None, floor ms or None)}."""
    results = {}
    for name, path, floor in measurements(db, app, client):
        if path == NOT_OFFERED:
            results[name] = (path, None, None)
            continue
        results[name] = (path, time_page(db, client, path, repeat), floor_ms(db, floor, repeat) if floor else None)
    return results


def stock_ledger(db, repeat):
    """(median ms, p95 ms, queries, status) of a stock Flask-Admin peewee ModelView of the ledger."""
    from flask import Flask
    from flask_admin import Admin
    from flask_admin.contrib.peewee import ModelView

    from core.records.models import LedgerEntry

    app = Flask("stock_flask_admin")
    app.config["SECRET_KEY"] = "stock"
    try:
        from flask_babel import Babel  # Flask-Admin translates through it when it is installed
    except ImportError:
        pass
    else:
        Babel(app)
    Admin(app, name="stock").add_view(ModelView(LedgerEntry, endpoint="stock_ledger"))
    return time_page(db, app.test_client(), "/admin/stock_ledger/", repeat)


def report_lists(rows):
    """Markdown: each list's time beside its floor, and hrpark's ledger beside the stock view."""
    lines = ["", f"Lists at scale, server time (median / p95 ms, queries) beside the floor: the page's {PAGE_ROWS} rows "
                 f"by plain SQL in the same order and filter, plus a count capped at {COUNT_CAP - 1} (the last page's "
                 f"floor reads its rows from the other end of the order; a sort's floor sorts as the page does):", "",
             "| database | scale | page | URL | page (ms) | queries | floor (ms) | page ÷ floor |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        for name, (path, page, floor) in r.get("lists", {}).items():
            if page is None:
                lines.append(f"| {r['db']} | {r['scale']} | {name} | {path} | — | — | — | — |")
                continue
            median, p95, queries, status = page
            state = "" if status == 200 else f" (HTTP {status})"
            if not floor:
                floor_cells = "— | —"
            else:
                ratio = f"{median / floor:.0f}×" if median >= 10 * floor else f"{median / floor:.1f}×"
                floor_cells = f"{floor:.2f} | {ratio}" if floor < 1 else f"{floor:.1f} | {ratio}"
            lines.append(f"| {r['db']} | {r['scale']} | {name} | `{path}` | {median:.0f} / {p95:.0f}{state} | {queries} | {floor_cells} |")
    lines += ["", "The ledger list beside a stock Flask-Admin peewee `ModelView(LedgerEntry)` (same process and database, "
                  "no sign-in, its own default order and full count):", "",
              "| database | scale | hrpark ledger (ms, q) | stock ModelView (ms, q) | hrpark ÷ stock |", "|---|---|---|---|---|"]
    for r in rows:
        if "stock" not in r or not r.get("lists", {}).get("ledger list", (None, None))[1]:
            continue
        ours, stock = r["lists"]["ledger list"][1], r["stock"]
        lines.append(f"| {r['db']} | {r['scale']} | {ours[0]:.0f} ms, {ours[2]} q | {stock[0]:.0f} ms, {stock[2]} q"
                     + ("" if stock[3] == 200 else f" (HTTP {stock[3]})") + f" | {ours[0] / stock[0]:.2f}× |")
    return lines
