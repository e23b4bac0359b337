"""Fixtures of the demo tests: one demo database (built as `hrpark demo` builds it) shared by the
read-only tests of this directory, and the back office on it. The back-office test helpers are
loaded as `admin_test_helpers` (as tests/admin/conftest.py does) when that directory is not run."""
import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

ADMIN_TESTS = Path(__file__).parent.parent / "admin"
#: The demo's "today" in these tests: fixed, so the demo's dates do not move with the clock.
DEMO_TODAY = datetime.date(2026, 11, 20)


def _load(name, path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_load("admin_test_helpers", ADMIN_TESTS / "helpers.py")


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """(database, its path, uploads directory) of a demo built once for the session."""
    from admin.commands import build_demo_database

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db, uploads, _summary = build_demo_database(path, today=DEMO_TODAY)
    return db, path, uploads


@pytest.fixture
def demo_db(demo_database):
    """The shared demo database, bound to the models for this test (other tests rebind the proxy)."""
    from core.records.db import database
    from core.rules.settings import forget_cached_settings

    db = demo_database[0]
    database.initialize(db)
    db.connect(reuse_if_open=True)
    yield db
    if not db.is_closed():
        db.close()
    database.initialize(None)  # the demo's start dates are not read by a later test without a database
    forget_cached_settings()


@pytest.fixture
def demo_client(demo_database, demo_db, tmp_path):
    """A test client of the back office on the demo database (CSRF on, as in production)."""
    from admin.app import create_app

    _db, path, uploads = demo_database
    app = create_app({
        "DATABASE": demo_db, "TESTING": True, "SECRET_KEY": "demo-test-key",
        "INSTANCE_PATH": str(tmp_path / "instance"), "UPLOAD_DIR": str(uploads),
    })
    return app.test_client()
