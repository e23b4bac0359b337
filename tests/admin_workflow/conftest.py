"""Fixtures of the workflow pages' tests: an app with the real jurisdiction plugins (Karamay,
Changzhi, 潞州区) on the `db` fixture's database — so every test runs on SQLite and, when
configured, PostgreSQL — a park in a Changzhi district and one in a Karamay district, and an
account of every kind in each city (helpers in pages.py)."""
from types import SimpleNamespace

import pytest

from tests.admin_workflow.pages import DAY, Browser, helpers, recognise
from tests.builders import make_park


@pytest.fixture
def app(db, tmp_path, registry):
    from admin.app import create_app

    return create_app({
        "DATABASE": db,
        "TESTING": True,
        "SECRET_KEY": "workflow-test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "REGISTRY": registry,
    })


@pytest.fixture
def town(app, world):
    """Both cities with a district each, a park in each district, an account of each kind."""
    make_user = helpers.make_user
    t = SimpleNamespace(j=world)
    t.cz_park = make_park(world["shangdang"], name="上党人力资源服务产业园")
    t.kr_park = make_park(world["dushanzi"], name="独山子人力资源服务产业园", sites=((True, "2500"),), revenue="5000000")
    t.users = {
        "admin": make_user("root", "admin"),
        "cz_operator": make_user("cz_operator", "park_operator", park=t.cz_park),
        "cz_county": make_user("cz_county", "county_officer", jurisdiction=world["shangdang"]),
        "cz_city": make_user("cz_city", "city_officer", jurisdiction=world["changzhi"]),
        "cz_city2": make_user("cz_city2", "city_officer", jurisdiction=world["changzhi"]),
        "cz_panel": make_user("cz_panel", "panel_member", jurisdiction=world["changzhi"]),
        "cz_finance": make_user("cz_finance", "city_finance", jurisdiction=world["changzhi"]),
        "kr_operator": make_user("kr_operator", "park_operator", park=t.kr_park),
        "kr_county": make_user("kr_county", "county_officer", jurisdiction=world["dushanzi"]),
        "kr_city": make_user("kr_city", "city_officer", jurisdiction=world["karamay"]),
        "kr_panel": make_user("kr_panel", "panel_member", jurisdiction=world["karamay"]),
        "kr_finance": make_user("kr_finance", "city_finance", jurisdiction=world["karamay"]),
    }
    return t


@pytest.fixture
def browse(app, town):
    """browse('cz_city') -> a Browser signed in as that account (a fresh client each time)."""

    def sign_in(account):
        return Browser(app.test_client(), town.users[account])

    return sign_in


@pytest.fixture
def grid_parks(town, world, on_day):
    """Two recognised parks of 长治's measures (the second with a name after the first's) and
    Karamay's park, recognised in 2024; the office works on 10 February 2026."""
    on_day(DAY(2026, 2, 10))
    first = recognise(town.cz_park)
    second = recognise(make_park(world["shangdang"], name="上党第二人力资源服务产业园"))
    return first, second, recognise(town.kr_park)
