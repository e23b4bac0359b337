"""Fixtures of the Karamay tests: the plugin as the registry serves it, and builders of ParkFacts.

The builders make a park that meets every computable condition of 第五条 by default, so a test
changes only the fact its clause is about. Applications are for 2026, agencies counted on
2026-06-30, revenue read for 2025.
"""
import datetime
from decimal import Decimal

import pytest

from core.rules.facts import AgencyFacts, AgencyYearFacts, ParkFacts, ParkYearFacts, SiteFacts
from core.plugin.registry import load_registry
from core.records.vocab import PUBLIC_SERVICES

YEAR = 2026
PREVIOUS_YEAR = 2025
AS_OF = datetime.date(2026, 6, 30)
LINES = ("recruitment", "dispatch", "outsourcing", "training", "consulting")


def make_agency(
    name="机构",
    revenue=Decimal("5000000"),
    pass_through=Decimal("0"),
    kind="operating",
    service_lines=("recruitment",),
    admitted_on=datetime.date(2024, 1, 1),
    exited_on=None,
    figures_year=PREVIOUS_YEAR,
):
    """An agency resident since 2024 with figures for `figures_year` (None: no figures at all)."""
    years = {}
    if figures_year is not None:
        years[figures_year] = AgencyYearFacts(figures_year, Decimal(revenue), Decimal(pass_through))
    return AgencyFacts(
        name=name,
        kind=kind,
        service_lines=list(service_lines),
        admitted_on=admitted_on,
        exited_on=exited_on,
        years=years,
    )


def make_park(
    floor_areas=(Decimal("2000"),),
    operating=10,
    revenue_each=Decimal("5000000"),
    agencies=None,
    public_services=None,
    operator_kind="company",
    staff_fulltime=2,
    staff_parttime=1,
    facts=None,
    years=None,
):
    """A park meeting every computable condition of 第五条 unless told otherwise."""
    if agencies is None:
        agencies = [
            make_agency(f"机构{i + 1}", revenue=revenue_each, service_lines=(LINES[i % len(LINES)],))
            for i in range(operating)
        ]
    return ParkFacts(
        name="克拉玛依测试人力资源服务产业园",
        jurisdiction="karamay",
        sites=[SiteFacts(f"场地{i + 1}", Decimal(area), is_core=(i == 0)) for i, area in enumerate(floor_areas)],
        agencies=agencies,
        public_services=PUBLIC_SERVICES.codes() if public_services is None else list(public_services),
        operator_kind=operator_kind,
        operator_name="克拉玛依人力资源运营公司",
        staff_fulltime=staff_fulltime,
        staff_parttime=staff_parttime,
        facts={"district_support_measures": ["房租补贴", "引才奖励", "购买服务"]} if facts is None else facts,
        years={PREVIOUS_YEAR: ParkYearFacts(PREVIOUS_YEAR, events_held=12, employment_promoted=800, people_served=3000)}
        if years is None
        else years,
    )


@pytest.fixture(scope="session")
def full_registry():
    """Every installed jurisdiction, loaded from the entry points; Karamay must be among them."""
    reg = load_registry()
    karamay_failures = [str(f) for f in reg.failures if f.name == "karamay"]
    assert not karamay_failures, karamay_failures
    return reg


@pytest.fixture(scope="session")
def karamay(full_registry):
    """The Karamay jurisdiction, as the registry serves it."""
    return full_registry.get("karamay")


@pytest.fixture
def agency():
    return make_agency


@pytest.fixture
def park():
    return make_park


@pytest.fixture
def check(karamay):
    """check(criterion_id, park, as_of=AS_OF) -> the CriterionResult of that criterion."""

    def run(criterion_id, park_facts, year=YEAR, as_of=AS_OF):
        return karamay.evaluate(park_facts, year, as_of=as_of).by_id(criterion_id)

    return run


@pytest.fixture(autouse=True)
def no_effective_date_in_environment(monkeypatch):
    """Tests set Karamay's start date (第二十五条) themselves when they need one."""
    monkeypatch.delenv("HRPARK_KARAMAY_EFFECTIVE_FROM", raising=False)
