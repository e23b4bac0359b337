"""Builders shared by the tests: jurisdictions with a district each, parks that meet the rules, actors."""
import datetime
from decimal import Decimal

import pytest

from core.records.audit import Actor
from core.records.models import Jurisdiction
from core.plugin.registry import sync_jurisdictions
from core.world.factory import add_district, add_park_with_figures
from core.records.vocab import PUBLIC_SERVICES

PDF = b"%PDF-1.4\n% test material\n"


@pytest.fixture
def world(db, registry):
    """Both cities, one county / district under each."""
    rows = sync_jurisdictions(registry)
    # 上党区 has no measures of its own (潞州区 may: a county plugin), so Changzhi's rules govern it.
    shangdang = add_district(rows, "changzhi", "changzhi-shangdang", "上党区")
    dushanzi = add_district(rows, "karamay", "karamay-dushanzi", "独山子区")
    return {**rows, "shangdang": shangdang, "dushanzi": dushanzi}


def make_park(jurisdiction, name="示范人力资源服务产业园", sites=((True, "3500"),), agencies=12,
              revenue="3000000", pass_through="0", year=2024, operator="company", facts=None):
    """A park of `jurisdiction` meeting the usual lines, written by the world factory: `agencies`
    agencies with `revenue` / `pass_through` each in `year`, and `sites` as (core?, floor area)."""
    return add_park_with_figures(
        dict(jurisdiction=jurisdiction, name=name, address="测试路1号", operator_kind=operator, operator_name="运营公司",
             staff_fulltime=5, staff_parttime=2, public_services=PUBLIC_SERVICES.codes(),
             facts=facts if facts is not None else {"district_support_measures": ["房租补贴", "引才奖励"]}),
        [dict(name=f"园区{i + 1}", is_core=core, floor_area=Decimal(area)) for i, (core, area) in enumerate(sites)],
        lambda park: [
            dict(name=f"人力资源公司{i + 1}", kind="operating", licence_no=f"LIC-{park.id}-{i}",
                 service_lines=["recruitment" if i % 2 else "outsourcing"], admitted_on=datetime.date(2023, 1, 1),
                 years=[dict(year=year, revenue=Decimal(revenue), pass_through=Decimal(pass_through))])
            for i in range(agencies)
        ],
        [dict(year=year, events_held=20, employment_promoted=800)],
    )


def actor(role, jurisdiction=None, park=None, name=None):
    """An actor bound like an account: a jurisdiction (and its descendants), or a park."""
    ids = None
    if jurisdiction is not None:
        ids = {jurisdiction.id} | {c.id for c in Jurisdiction.select().where(Jurisdiction.parent == jurisdiction)}
        ids = frozenset(ids)
    return Actor(name or f"{role}@{getattr(jurisdiction, 'code', None) or getattr(park, 'id', 'all')}", role,
                 jurisdiction_ids=ids, park_id=getattr(park, "id", None))


def registry_with(base, code, plugin):
    """The plugins of registry `base`, with `plugin` registered under `code` instead of (or beside)
    the one there: a county installed, broken or revised for one test."""
    from core.plugin.registry import Registry

    reg = Registry()
    for rules in base:
        if rules.code != code:
            reg.add(rules.code, rules.plugin)
    reg.add(code, plugin)
    return reg
