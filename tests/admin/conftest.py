"""Fixtures of the back-office tests: an app built on the `db` fixture's database (so every test
runs on SQLite and, when configured, PostgreSQL), its test client, and the scoping world.

The helper modules here are loaded under unique names (admin_test_helpers, admin_test_world,
admin_test_plugin_double) so that other test directories' helpers never clash with them.
"""
import datetime
import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _load(name, filename):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


helpers = _load("admin_test_helpers", "helpers.py")
world_module = _load("admin_test_world", "world.py")
plugin_double = _load("admin_test_plugin_double", "plugin_double.py")


@pytest.fixture
def demo_registry():
    return plugin_double.demo_registry()


@pytest.fixture
def make_app(db, tmp_path, demo_registry):
    """Build an app (a worker) on the test database; call it again for a second worker."""
    from admin.app import create_app

    def build(**overrides):
        config = {
            "DATABASE": db,
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "REGISTRY": demo_registry,
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def scoping_world(app):
    """Two cities with their counties, a park with its records in each, one account of each kind."""
    return world_module.build_world(upload_dir=Path(app.config["UPLOAD_DIR"]))


class Clock:
    """The sign-in clock (admin.security.clock), moved by hand: throttles and session limits."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    from admin import security

    fake = Clock(datetime.datetime(2025, 10, 11, 9, 0, 0))  # the T0 of the sign-in tests
    monkeypatch.setattr(security, "clock", fake)
    return fake
