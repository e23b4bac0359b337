"""Fixtures of the third-city tests: 青川市 (tests/third_city/qingchuan, a fictional city) installed
beside the real plugins for these tests only, as an entry point would install it; the city with a
county and a park in the database; the back office on that database; an account of each role.

Nothing outside this directory knows Qingchuan: the registry of the other tests is untouched, and
the process-wide registry is given back after each test."""
import datetime
import importlib.metadata
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.plugin import registry as plugins
from core.records import vocab
from core.records.models import Jurisdiction
from core.plugin.registry import ENTRY_POINT_GROUP, load_registry, sync_jurisdictions
from core.records.vocab import PUBLIC_SERVICES
from core.world.factory import add_park_with_figures
from tests.admin_workflow.pages import Browser, helpers

QINGCHUAN = "qingchuan"
PLUGIN = "tests.third_city.qingchuan:plugin"
REVISION_DAY = datetime.date(2026, 7, 1)  # revision_2026.yaml: 第三条第（四）项 20 → 30 apartments


def entry_points():
    """The installed plugins' entry points, and Qingchuan's as its package would declare it."""
    installed = [ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name != QINGCHUAN]
    return installed + [importlib.metadata.EntryPoint(name=QINGCHUAN, value=PLUGIN, group=ENTRY_POINT_GROUP)]


_loaded = {}


@pytest.fixture(autouse=True)
def programme_roles_forgotten(monkeypatch):
    """The roles Qingchuan declares (roles.yaml) are known during a test and forgotten after it, so
    that the tests of other directories run by this worker see the roles they know."""
    monkeypatch.setattr(vocab.ROLES, "terms", list(vocab.ROLES.terms))
    monkeypatch.setattr(vocab.ROLES, "_by_code", dict(vocab.ROLES._by_code))
    monkeypatch.setattr(vocab, "PROGRAMME_ROLES", dict(vocab.PROGRAMME_ROLES))


@pytest.fixture
def registry(programme_roles_forgotten):
    """The real plugins and Qingchuan, the process-wide registry for the test (restored after).
    Overrides the session-wide `registry` of tests/conftest.py in this directory only."""
    if "registry" not in _loaded:
        _loaded["registry"] = load_registry(entry_points())
    reg = _loaded["registry"]
    assert not reg.failures, [str(f) for f in reg.failures]
    for role in reg.get(QINGCHUAN).plugin.build_roles():  # declared when the registry loaded: again for this test
        vocab.declare_role(role["id"], role["label"], role["label_en"], role["like"])
    previous = plugins._registry
    plugins.set_registry(reg)
    yield reg
    plugins.set_registry(previous)


@pytest.fixture
def rules(registry):
    return registry.get(QINGCHUAN)


def make_park(county, apartments=25, floor_area="2500", agencies=9, name="青川白水人力资源服务产业园"):
    """A park of `county` that meets 第三条 as first issued (25 apartments: 20 before the revision, 30 after)."""
    return add_park_with_figures(
        dict(jurisdiction=county, name=name, address="青川市白水县人才路1号", operator_kind="company", operator_name="白水运营公司",
             staff_fulltime=4, staff_parttime=1, public_services=PUBLIC_SERVICES.codes(),
             facts={} if apartments is None else {"talent_apartments": apartments}),
        [dict(name="核心园区", is_core=True, floor_area=Decimal(floor_area))],
        lambda park: [
            dict(name=f"白水人力资源公司{i + 1}", kind="operating", licence_no=f"QC-{park.id}-{i}",
                 service_lines=["recruitment"], admitted_on=datetime.date(2024, 1, 1),
                 years=[dict(year=2025, revenue=Decimal("1200000"), pass_through=Decimal("0"))])
            for i in range(agencies)
        ],
        [dict(year=2025, events_held=6, employment_promoted=300)],
    )


@pytest.fixture
def town(db, registry):
    """Qingchuan with 白水县 under it, a park there, and an account of each role that acts on it."""
    rows = sync_jurisdictions(registry)
    baishui = Jurisdiction.create(code="qingchuan-baishui", name_zh="白水县", level="county", parent=rows[QINGCHUAN])
    t = SimpleNamespace(city=rows[QINGCHUAN], county=baishui, changzhi=rows["changzhi"])
    t.park = make_park(baishui)
    make_user = helpers.make_user
    t.users = {
        "admin": make_user("root", "admin"),
        "operator": make_user("qc_operator", "park_operator", park=t.park),
        "county": make_user("qc_county", "county_officer", jurisdiction=baishui),
        "expert": make_user("qc_expert", "expert", jurisdiction=t.city),  # the programme's own role (roles.yaml)
        "panel": make_user("qc_panel", "panel_member", jurisdiction=t.city),
        "city": make_user("qc_city", "city_officer", jurisdiction=t.city),
        "finance": make_user("qc_finance", "city_finance", jurisdiction=t.city),
        "changzhi_city": make_user("cz_city", "city_officer", jurisdiction=t.changzhi),
    }
    return t


@pytest.fixture
def app(db, tmp_path, registry):
    from admin.app import create_app

    return create_app({
        "DATABASE": db, "TESTING": True, "SECRET_KEY": "third-city-secret", "REGISTRY": registry,
        "INSTANCE_PATH": str(tmp_path / "instance"), "UPLOAD_DIR": str(tmp_path / "uploads"),
    })


@pytest.fixture
def browse(app, town):
    """browse('expert') -> a Browser signed in as that account of the town (a fresh client each time)."""
    return lambda account: Browser(app.test_client(), town.users[account])

