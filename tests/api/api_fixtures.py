"""Fixtures the API and import tests share: an app on the `db` fixture's database (SQLite and, when
configured, PostgreSQL) with the real city plugins, its client, and the world of
tests/api/api_world.py. tests/api/conftest.py and tests/imports/conftest.py import them."""
import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def load(name, path):
    """The module at `path` under `name`, loaded once (the tests import it by that name)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


helpers = load("admin_test_helpers", HERE.parent / "admin" / "helpers.py")
api_world = load("api_test_world", HERE / "api_world.py")


@pytest.fixture
def api_app(db, tmp_path, registry):
    from admin.app import create_app

    return create_app({
        "DATABASE": db, "TESTING": True, "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(tmp_path / "instance"), "REGISTRY": registry,
    })


@pytest.fixture
def api_client(api_app):
    return api_app.test_client()


@pytest.fixture
def country(api_app, registry):
    return api_world.build(registry, helpers.make_user)
