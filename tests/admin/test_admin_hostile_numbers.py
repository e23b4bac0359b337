"""Issue 11 item 14: no server error for an oversized or odd number anywhere. Every route of the app
(app.url_map), every query argument of the lists and pages, every number of every create and edit
form and of every form the pages carry, and every path, query and body parameter of the API, is
sent each of HOSTILE; every answer must be below 500 (a refusal: 400, 404 or 422 with a message,
or a page that says what was wrong). The figures — requests, 4xx, 5xx — are printed at the end of
each sweep (run with -s to see them)."""
import json
import os
import re
import sqlite3
import uuid
from collections import Counter
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from peewee import PostgresqlDatabase
from werkzeug.routing import IntegerConverter

from admin.api.tokens import issue_token
from admin.demo_accounts import DEMO_PASSWORD
from admin_test_helpers import csrf_token, login
from core.records.accounts import User
from core.records.db import open_database

HOSTILE = [
    "99999999999999999999",  # beyond any integer column
    "9223372036854775808",  # 2^63: one past SQLite's (and bigint's) largest
    "2147483648",  # 2^31: one past PostgreSQL's integer
    "-1",
    "1e309",  # a float overflows to infinity
    "Infinity",
    "NaN",
    "1.5",
]
#: Digits only: what a path's <int:…> accepts at all.
HOSTILE_DIGITS = [v for v in HOSTILE if v.isdigit()]

#: Where each sweep appends its figures (the lead's closing note quotes them).
FIGURES = Path(__file__).resolve().parents[2] / "test-output" / "hostile-sweep.txt"

#: Query arguments each kind of page reads: a list (Flask-Admin's paging, sorting and filters),
#: a record's page, an ajax lookup, and the workflow pages.
LIST_ARGS = ["page", "page_size", "sort", "desc", "flt0_0", "flt1_1", "flt2_2"]
RECORD_ARGS = ["id"]
LOOKUP_ARGS = ["offset", "limit"]
PAGE_ARGS = ["id", "year", "park_id", "recognition_id", "application_id", "subsidy_id", "page", "version"]


def query_args(rule):
    if rule.endpoint.endswith(".index_view"):
        return LIST_ARGS
    if rule.endpoint.endswith((".details_view", ".edit_view", ".create_view")):
        return RECORD_ARGS
    if rule.endpoint.endswith(".ajax_lookup"):
        return LOOKUP_ARGS
    return PAGE_ARGS


class Sweep:
    """Counts every answer; keeps each server error with what was sent."""

    def __init__(self, name):
        self.name = name
        self.counts = Counter()
        self.errors = []

    def record(self, what, response):
        self.counts["requests"] += 1
        status = response.status_code
        if status >= 500:
            self.counts["5xx"] += 1
            self.errors.append((what, status, response.get_data(as_text=True)[:200]))
        elif status >= 400:
            self.counts["4xx"] += 1
        return response

    def report(self):
        line = (f"hostile sweep [{self.name}]: {self.counts['requests']} requests, {self.counts['4xx']} 4xx, "
                f"{self.counts['5xx']} 5xx")
        print(line)
        FIGURES.parent.mkdir(parents=True, exist_ok=True)
        with FIGURES.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        # one line per kind of failure (the same request shape with any hostile value)
        shapes = Counter(re.sub(r"id=\d+", "id=…", str(what[:4])) for what, _status, _body in self.errors)
        for shape, n in shapes.most_common(40):
            print(f"  5xx ×{n}: {shape}")
        return line


@pytest.fixture(scope="session")
def demo_worlds(tmp_path_factory):
    """The demo world as built for the first sweep of each database kind in this test process, saved
    (uploads folder, saved copy) so that every later sweep starts from the same records without
    building them again: building costs seconds a sweep, restoring a copy a fraction of one."""
    worlds = {}
    yield worlds
    saved = [name for kind, (_uploads, name) in worlds.items() if kind == "postgres"]
    if saved:
        admin = open_database(os.environ["HRPARK_TEST_DATABASE_URL"])
        for name in saved:
            admin.execute_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.close()


def _tables(db):
    if isinstance(db, PostgresqlDatabase):
        return [row[0] for row in db.execute_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")]
    return db.get_tables()


def save_world(db, path):
    """A copy of every row of the test's database: a SQLite file at `path`, or a PostgreSQL schema."""
    if not isinstance(db, PostgresqlDatabase):
        with closing(sqlite3.connect(path)) as saved:
            db.connection().backup(saved)
        return str(path)
    name = f"hostile_demo_{uuid.uuid4().hex[:12]}"
    with db.atomic():
        db.execute_sql(f'CREATE SCHEMA "{name}"')
        for table in _tables(db):
            db.execute_sql(f'CREATE TABLE "{name}"."{table}" AS TABLE "{table}"')
    return name


def restore_world(db, saved):
    """The test's (migrated, empty) database made a copy of the saved one, row for row, with its
    sequences past the copied ids."""
    if not isinstance(db, PostgresqlDatabase):
        with closing(sqlite3.connect(saved)) as source:
            source.backup(db.connection())
        return
    with db.atomic():
        db.execute_sql("SET LOCAL session_replication_role = replica")  # the copy, not new changes: no triggers
        for table in _tables(db):
            db.execute_sql(f'DELETE FROM "{table}"')
            db.execute_sql(f'INSERT INTO "{table}" SELECT * FROM "{saved}"."{table}"')
        serials = db.execute_sql(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND (column_default LIKE 'nextval(%%' OR is_identity = 'YES')").fetchall()
        for table, column in serials:
            db.execute_sql(f"""SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'),
                               COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)""")


@pytest.fixture
def sweep_app(db, tmp_path, registry, demo_worlds):
    """The back office on the demo's records (every state of every procedure, every account): built
    by the first sweep of each database kind, a copy of those records for the others."""
    from admin.app import create_app
    from admin.demo_accounts import create_demo_accounts
    from core.records.audit import Actor, acting_as
    from core.rules.settings import forget_cached_settings
    from core.world.demo import build_demo_data

    kind = "postgres" if isinstance(db, PostgresqlDatabase) else "sqlite"
    if kind in demo_worlds:
        uploads, saved = demo_worlds[kind]
        restore_world(db, saved)
        forget_cached_settings()
    else:
        uploads = tmp_path / "uploads"
        uploads.mkdir()
        with acting_as(Actor("hostile sweep", "admin")), db.atomic():
            build_demo_data(upload_dir=uploads)
            create_demo_accounts()
        demo_worlds[kind] = (uploads, save_world(db, tmp_path / "demo-world.db"))
    app = create_app({"DATABASE": db, "TESTING": True, "SECRET_KEY": "test-secret-key", "REGISTRY": registry,
                      "INSTANCE_PATH": str(tmp_path / "instance"), "UPLOAD_DIR": str(uploads)})
    # A server error answers 500 here, as in production (the test client would re-raise it).
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def signed_in(app, username):
    client = app.test_client()
    response = login(client, username, DEMO_PASSWORD)
    assert response.status_code == 302, username
    return client


def int_args(rule):
    return [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]


def fill(rule, value):
    """The rule's path with `value` in its integer arguments and something plausible in the others."""
    path = rule.rule
    for name, conv in rule._converters.items():
        text = value if isinstance(conv, IntegerConverter) else {"fmt": "html"}.get(name, "x")
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", text, path)
    return path


def back_office_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "/static/" in rule.rule or rule.rule.startswith("/api/"):
            continue
        yield rule


class Forms(HTMLParser):
    """Every POST form of a page: its action and its fields (name, value, type)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") not in ("submit", "button", "file"):
                self._current["fields"].append((attrs["name"], attrs.get("value") or "", attrs.get("type") or tag))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html):
    reader = Forms()
    reader.feed(html)
    return reader.forms


# --- the back office -----------------------------------------------------------------------------------


#: Demo accounts (admin.demo_accounts): each role, in both cities.
ACCOUNTS = ["admin", "cz_city", "cz_finance", "cz_panel", "cz_lucheng", "cz_park_lucheng", "klmy_city"]


@pytest.mark.parametrize("account", ACCOUNTS)
def test_issue_11_item_14_every_route_s_integer_arguments(sweep_app, account):
    """Every rule of app.url_map with an <int:…> argument, GET and POST."""
    sweep = Sweep(f"back office: path integers, {account}")
    client = signed_in(sweep_app, account)
    token = csrf_token(client, "/admin/")
    for rule in back_office_rules(sweep_app):
        if not int_args(rule):
            continue
        for value in HOSTILE_DIGITS:
            path = fill(rule, value)
            if "GET" in rule.methods:
                sweep.record(("GET", path, account), client.get(path))
            if "POST" in rule.methods:
                sweep.record(("POST", path, account), client.post(path, data={"csrf_token": token}))
    sweep.report()
    assert sweep.errors == []
    assert sweep.counts["requests"] > 30


@pytest.mark.parametrize("account", ["admin", "cz_city"])
def test_issue_11_item_14_every_page_s_query_arguments(sweep_app, account):
    """Every GET page without path arguments (the lists, their details, edit and create pages, the
    ajax lookups, the workflow pages), with each query argument it reads set to each hostile value."""
    sweep = Sweep(f"back office: query arguments, {account}")
    client = signed_in(sweep_app, account)
    for rule in back_office_rules(sweep_app):
        if rule.arguments or "GET" not in rule.methods or rule.endpoint in ("auth.logout",):
            continue
        for name in query_args(rule):
            for value in HOSTILE:
                path = f"{rule.rule}?{name}={value}"
                sweep.record(("GET", path, account), client.get(path))
    sweep.report()
    assert sweep.errors == []


def model_views(app):
    from admin.views.base import ScopedModelView

    return [v for v in app.extensions["hrpark_admin"]._views if isinstance(v, ScopedModelView)]


NUMERIC_FIELD = re.compile(r"(^|-)(version|year|.*_count|count|.*amount|.*area|revenue|.*_no_?|score|.*jobs|"
                           r".*transfer|.*held|.*served|.*placed|.*_id|id|park|jurisdiction|agency|recognition|"
                           r"application|subsidy|assessment|site|.*employees|.*staff|.*number|.*total)$")


#: An inline row's fields: "agencies-3-licence_no" is row 3 of the form's agencies.
INLINE_ROW = re.compile(r"^([a-z_]+)-(\d+)-")


def inline_edge_rows(names):
    """The first and last row of each inline list ("agencies-0-", "agencies-12-"): the rows between
    carry the same fields through the same converters, and a park's dozen agencies would otherwise
    make its edit page (the largest of all) most of the sweep."""
    rows = {}
    for name in names:
        if row := INLINE_ROW.match(name):
            rows.setdefault(row.group(1), set()).add(int(row.group(2)))
    return {f"{inline}-{i}-" for inline, numbers in rows.items() for i in (min(numbers), max(numbers))}


@pytest.mark.parametrize("account", ["admin", "cz_city", "cz_lucheng", "cz_park_lucheng"])
def test_issue_11_item_14_every_number_of_every_create_and_edit_form(sweep_app, account):
    """Each create and edit form of the tables (as the roles that may use them get it), with each
    number field — and each foreign key and the version — set to each hostile value in turn (of an
    inline list, its first and last row)."""
    sweep = Sweep(f"back office: create and edit forms, {account}")
    client = signed_in(sweep_app, account)
    for view in model_views(sweep_app):
        base = view.url + "/"
        pages = [f"{base}new/"]
        listing = client.get(base)
        ids = re.findall(r"[?&]id=(\d+)", listing.get_data(as_text=True))
        if ids:
            pages.append(f"{base}edit/?id={ids[0]}")
        for page in pages:
            answer = client.get(page)
            if answer.status_code != 200:
                continue
            forms = [f for f in post_forms(answer.get_data(as_text=True)) if f["fields"]]
            form = max(forms, key=lambda f: len(f["fields"]), default=None)
            if form is None:
                continue
            fields = [(n, v) for n, v, _kind in form["fields"]]
            edge_rows = inline_edge_rows(n for n, _v in fields)
            for name, _value, kind in form["fields"]:
                if name == "csrf_token" or not (kind == "number" or NUMERIC_FIELD.search(name)):
                    continue
                if (row := INLINE_ROW.match(name)) and row.group(0) not in edge_rows:
                    continue
                for value in HOSTILE:
                    data = {}
                    for n, v in fields:
                        data.setdefault(n, []).append(v)
                    data[name] = [value]
                    sweep.record(("POST", page, name, value, account), client.post(page, data=data))
    sweep.report()
    assert sweep.errors == []
    assert sweep.counts["requests"] > 30


@pytest.mark.parametrize("account", ACCOUNTS)
def test_issue_11_item_14_every_form_the_pages_carry(sweep_app, account):
    """The workflow's forms (transitions, verdicts, uploads, assessments, subsidies, the ledger,
    imports, tokens …) as they appear on the records' pages: each field set to each hostile value."""
    sweep = Sweep(f"back office: workflow forms, {account}")
    client = signed_in(sweep_app, account)
    seen = set()
    pages = []
    for view in model_views(sweep_app):
        listing = client.get(view.url + "/")
        ids = re.findall(r"[?&]id=(\d+)", listing.get_data(as_text=True))[:1]
        pages += [f"{view.url}/details/?id={i}" for i in ids]
    pages += [r.rule for r in back_office_rules(sweep_app) if not r.arguments and "GET" in r.methods
              and r.endpoint not in ("auth.logout",)]
    visited = set()
    while pages:
        page = pages.pop(0)
        if page in visited:
            continue
        visited.add(page)
        answer = client.get(page)
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        html = answer.get_data(as_text=True)
        # the records' own pages linked from here (assessment entry, subsidy proposal …), once each
        for link in re.findall(r'href="(/admin/[^"#]*\d[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if not re.search(r"delete|export|documents|files|[?&](sort|page|flt)", link) and len(visited) < 120:
                pages.append(link)
        for form in post_forms(html):
            action = form["action"].split("?")[0]
            if not action or action in seen or action.startswith(("/auth/", "/admin/spreadsheets/upload")):
                continue
            if "delete" in action or "action" in action.rsplit("/", 2)[-2:]:
                continue  # deleting is not what this sweep is about (and would empty the world)
            seen.add(action)
            fields = [(n, v) for n, v, _kind in form["fields"]]
            for name, _value, _kind in form["fields"]:
                if name == "csrf_token":
                    continue
                for value in HOSTILE:
                    data = {}
                    for n, v in fields:
                        data.setdefault(n, []).append(v)
                    data[name] = [value]
                    sweep.record(("POST", form["action"], name, value, account),
                                 client.post(form["action"], data=data))
    sweep.report()
    assert sweep.errors == []


# --- the API -----------------------------------------------------------------------------------------


def raw_json(fields):
    """A JSON body with numbers written as given (1e309, NaN, Infinity are not JSON numbers a
    serializer would write, but a client may send them)."""
    return "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in fields.items()) + "}"


API_NUMBERS = ["99999999999999999999", "9223372036854775808", "2147483648", "-1", "1e309", "-1e309", "NaN",
               "Infinity", "1.5", '"1e309"', '"NaN"', '"99999999999999999999"']


@pytest.mark.parametrize("account", ["cz_city", "cz_park_luzhou"])
def test_issue_11_item_14_every_api_parameter_and_body_field(sweep_app, account):
    from admin.api.base import ENDPOINTS

    sweep = Sweep(f"API: path, query and body, {account}")
    _row, token = issue_token(User.get(User.username == account), "sweep")
    client = sweep_app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    for endpoint in ENDPOINTS:
        rule = f"/api/v1{endpoint.rule}"
        call = getattr(client, endpoint.method.lower())
        has_ints = bool(re.search(r"<int:", rule))
        values = HOSTILE_DIGITS if has_ints else ["1"]
        for value in values:
            path = re.sub(r"<int:\w+>", value, rule)
            sweep.record((endpoint.method, path, account), call(path, headers=auth, json={}))
        path = re.sub(r"<int:\w+>", "1", rule)
        if endpoint.query is not None:
            for name in endpoint.query._declared_fields:
                for value in HOSTILE:
                    sweep.record((endpoint.method, path, name, value, account),
                                 call(f"{path}?{name}={value}", headers=auth))
        if endpoint.body is not None:
            for name in endpoint.body.fields:
                for value in API_NUMBERS:
                    body = raw_json({name: value})
                    sweep.record((endpoint.method, path, name, value, account),
                                 call(path, headers={**auth, "Content-Type": "application/json"}, data=body))
    sweep.report()
    assert sweep.errors == []
    assert sweep.counts["requests"] > 300
