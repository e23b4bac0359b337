"""Shared fixtures: a fresh, migrated database per test on SQLite and, where
HRPARK_TEST_DATABASE_URL is set, on PostgreSQL too (each test in a schema of its own, so runs
in parallel never meet)."""
import os
import uuid

import pytest
from argon2 import PasswordHasher
from argon2 import profiles as argon2_profiles
from peewee import PostgresqlDatabase

from core import accounts, schema
from core.db import database, open_database
from core.plugins import load_registry, set_registry
from core.settings import forget_cached_settings

# Cheap password hashing in tests: argon2id at its production cost (64 MiB, t=3) takes ~0.1 s a
# hash, paid by every account a fixture makes and every sign-in. The cheapest argon2id profile keeps
# the same code path; production hashes are untouched (a test's hash still verifies anywhere, as
# argon2 reads the cost from the hash itself).
PRODUCTION_PASSWORD_HASHER = accounts.PASSWORD_HASHER
accounts.PASSWORD_HASHER = PasswordHasher.from_parameters(argon2_profiles.CHEAPEST)
accounts._DUMMY_HASH = accounts.PASSWORD_HASHER.hash("dummy password")

PG_URL = os.environ.get("HRPARK_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


def _postgres_in_fresh_schema():
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = open_database(PG_URL)
    admin.execute_sql(f'CREATE SCHEMA "{name}"')
    admin.close()
    db = PostgresqlDatabase(
        admin.database,
        options=f"-c search_path={name}",
        **{k: v for k, v in admin.connect_params.items() if k != "options"},
    )
    return db, name


def make_database(backend, tmp_path):
    """A fresh database of `backend`, bound to the models and upgraded to the current schema."""
    if backend == "sqlite":
        db = open_database(f"sqlite:///{tmp_path / 'hrpark.db'}")
        cleanup = None
    else:
        db, name = _postgres_in_fresh_schema()

        def cleanup():
            db.close()
            admin = open_database(PG_URL)
            admin.execute_sql(f'DROP SCHEMA "{name}" CASCADE')
            admin.close()

    database.initialize(db)
    forget_cached_settings()  # settings read from the previous test's database must not leak
    db.connect(reuse_if_open=True)
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
