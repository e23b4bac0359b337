"""Shared fixtures: a fresh, migrated database per test on SQLite and, where
HRPARK_TEST_DATABASE_URL is set, on PostgreSQL too (each test in a schema of its own, so runs
in parallel never meet)."""
import atexit
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2 import profiles as argon2_profiles
from peewee import PostgresqlDatabase

from core.records import accounts, schema
from core.records.db import database, open_database
from core.plugin.registry import load_registry, set_registry
from core.rules.settings import forget_cached_settings

# Cheap password hashing in tests: argon2id at its production cost (64 MiB, t=3) takes ~0.1 s a
# hash, paid by every account a fixture makes and every sign-in. The cheapest argon2id profile keeps
# the same code path; production hashes are untouched (a test's hash still verifies anywhere, as
# argon2 reads the cost from the hash itself).
PRODUCTION_PASSWORD_HASHER = accounts.PASSWORD_HASHER
accounts.PASSWORD_HASHER = PasswordHasher.from_parameters(argon2_profiles.CHEAPEST)
accounts._DUMMY_HASH = accounts.PASSWORD_HASHER.hash("dummy password")

PG_URL = os.environ.get("HRPARK_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


# A migrated template per test process, copied for each test: migrating from scratch costs about
# 0.26 s on SQLite and 1.2 s on PostgreSQL (where an advisory lock also makes the two workers take
# turns); a copy costs 10 ms on SQLite (the file) and about half on PostgreSQL (the template
# schema's own SQL, from pg_dump, replayed into the test's schema). Without pg_dump, migrations.
_templates = {}


def _sqlite_template():
    if "sqlite" not in _templates:
        path = Path(tempfile.mkdtemp(prefix="hrpark-template-")) / "template.db"
        db = open_database(f"sqlite:///{path}")
        db.connect()
        schema.upgrade(db)
        db.close()
        _templates["sqlite"] = path
        atexit.register(shutil.rmtree, path.parent, True)
    return _templates["sqlite"]


def _in_schema(name):
    """A connection to the test server whose tables are those of schema `name`."""
    admin = open_database(PG_URL)
    return PostgresqlDatabase(
        admin.database,
        options=f"-c search_path={name}",
        **{k: v for k, v in admin.connect_params.items() if k != "options"},
    )


def _drop_schema(name):
    admin = open_database(PG_URL)
    admin.execute_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    admin.close()


def _postgres_template_sql():
    """The SQL that makes the migrated schema (tables, indexes, triggers, the migrations' rows),
    with its name as a placeholder; None where pg_dump is not installed."""
    if "postgres" not in _templates:
        _templates["postgres"] = None
        if shutil.which("pg_dump"):
            name = f"hrpark_template_{uuid.uuid4().hex[:12]}"
            admin = open_database(PG_URL)
            admin.execute_sql(f'CREATE SCHEMA "{name}"')
            admin.close()
            db = _in_schema(name)
            db.connect()
            schema.upgrade(db)
            params = db.connect_params
            db.close()
            dump = subprocess.run(
                ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "-n", name,
                 "-h", params.get("host") or "127.0.0.1", "-p", str(params.get("port") or 5432),
                 "-U", params.get("user") or "postgres", db.database],
                capture_output=True, text=True, check=True,
            ).stdout
            _drop_schema(name)
            # pg_dump's own lines (comments, psql meta-commands, the search_path it empties) and
            # the template's CREATE SCHEMA go: the test's schema exists already.
            statements = [
                line for line in dump.splitlines()
                if not line.startswith(("--", "\\", "CREATE SCHEMA")) and "set_config('search_path'" not in line
            ]
            _templates["postgres"] = "\n".join(statements).replace(f"{name}.", "{schema}.")
    return _templates["postgres"]


def _postgres_in_fresh_schema():
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = open_database(PG_URL)
    admin.execute_sql(f'CREATE SCHEMA "{name}"')
    template = _postgres_template_sql()
    if template is not None:
        admin.execute_sql(template.replace("{schema}.", f'"{name}".'))
    admin.close()
    return _in_schema(name), name, template is not None


def make_database(backend, tmp_path):
    """A fresh database of `backend`, bound to the models, at the current schema."""
    if backend == "sqlite":
        path = tmp_path / "hrpark.db"
        shutil.copyfile(_sqlite_template(), path)
        db = open_database(f"sqlite:///{path}")
        cleanup, migrated = None, True
    else:
        db, name, migrated = _postgres_in_fresh_schema()

        def cleanup():
            db.close()
            _drop_schema(name)

    database.initialize(db)
    forget_cached_settings()  # settings read from the previous test's database must not leak
    db.connect(reuse_if_open=True)
    if not migrated:
        schema.upgrade(db)
    return db, cleanup


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """A migrated empty database; every test using it runs on each configured backend."""
    database_obj, cleanup = make_database(request.param, tmp_path)
    yield database_obj
    if not database_obj.is_closed():
        database_obj.close()
    # Unbound again: a later test without a database must not read this one's deployment settings.
    database.initialize(None)
    forget_cached_settings()
    if cleanup:
        cleanup()


@pytest.fixture
def on_day(monkeypatch):
    """Fix the day the back office works on (notices, deadlines, the dashboard)."""

    def set_day(day):
        monkeypatch.setattr("admin.views.workflow.today", lambda: day)
        return day

    return set_day


@pytest.fixture
def production_password_hasher(monkeypatch):
    """The hasher production uses, for the tests of its cost."""
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PRODUCTION_PASSWORD_HASHER)
    return PRODUCTION_PASSWORD_HASHER


@pytest.fixture(scope="session")
def registry():
    """Both city plugins (and any installed county), loaded from the entry points."""
    reg = load_registry()
    assert not reg.failures, [str(f) for f in reg.failures]
    set_registry(reg)
    return reg


from tests.builders import world  # noqa: E402,F401 (a fixture shared by several test directories)


@pytest.fixture(autouse=True)
def no_leaked_revisions_dir():
    """`hrpark demo` installs its example revision by setting HRPARK_REVISIONS_DIR in its process;
    a test that runs the demo in-process must not leave it to the tests after it."""
    before = os.environ.get("HRPARK_REVISIONS_DIR")
    yield
    if before is None:
        os.environ.pop("HRPARK_REVISIONS_DIR", None)
    else:
        os.environ["HRPARK_REVISIONS_DIR"] = before
