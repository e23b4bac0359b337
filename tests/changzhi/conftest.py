"""Fixtures of the Changzhi tests: the plugin through the registry, and a builder of ParkFacts."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
from decimal import Decimal

import pytest

from core.rules.facts import AgencyFacts, AgencyYearFacts, JurisdictionYearFacts, ParkFacts, ParkYearFacts, SiteFacts
from core.plugin.registry import load_registry
from core.rules.criteria import EvaluationContext, evaluate_criteria
from core.records.vocab import PUBLIC_SERVICES

YEAR = 2025  # the year of application; revenue is read for 2024
AS_OF = datetime.date(2025, 6, 30)
ADMITTED = datetime.date(2023, 1, 1)


@pytest.fixture(scope="session")
def changzhi():
    """Changzhi's rules as every caller gets them: loaded from the entry points."""
    reg = load_registry()
    assert "changzhi" in reg, [str(f) for f in reg.failures]
    return reg.get("changzhi")


def agency(name, revenue=Decimal("3000000"), pass_through=Decimal("0"), year=YEAR - 1, kind="operating",
           admitted_on=ADMITTED, exited_on=None, figures=True):
    years = {year: AgencyYearFacts(year, Decimal(revenue), Decimal(pass_through))} if figures else {}
    return AgencyFacts(name=name, kind=kind, admitted_on=admitted_on, exited_on=exited_on, years=years)


def site(name, area, core=False):
    return SiteFacts(name=name, floor_area=Decimal(area), is_core=core)


def build_park(sites=None, agencies=None, public_services=None, operator_kind="company", **extra):
    """A park meeting every computed condition of 第六条 unless told otherwise: one site of 3000 m²,
    ten operating agencies with 300万元 each in the previous year (3000万元 in total), all four
    public services, an operating company."""
    return ParkFacts(
        name="测试人力资源服务产业园",
        jurisdiction="changzhi",
        sites=[site("主园区", 3000, core=True)] if sites is None else sites,
        agencies=[agency(f"机构{i}") for i in range(10)] if agencies is None else agencies,
        public_services=PUBLIC_SERVICES.codes() if public_services is None else public_services,
        operator_kind=operator_kind,
        operator_name="长治人力资源产业发展有限公司",
        **extra,
    )


def build_grant_park(promoted=1600, urban=8000, rural=2000, year=YEAR):
    park = build_park()
    if promoted is not None:
        park.years[year] = ParkYearFacts(year, employment_promoted=promoted)
    if urban is not None:
        park.jurisdiction_years[year] = JurisdictionYearFacts(year, {"urban_new_jobs": urban, "rural_transfer": rural})
    return park


@pytest.fixture(scope="session")
def make_park():
    return build_park


@pytest.fixture(scope="session")
def make_agency():
    return agency


@pytest.fixture(scope="session")
def make_site():
    return site


@pytest.fixture(scope="session")
def make_grant_park():
    return build_grant_park


@pytest.fixture
def check(changzhi):
    """check(criterion_id, park, parameters=None, year=YEAR, as_of=AS_OF) -> CriterionResult."""

    def run(criterion_id, park, parameters=None, year=YEAR, as_of=AS_OF):
        criterion = next(c for c in changzhi.criteria(RULES_DAY) if c.id == criterion_id)
        ctx = EvaluationContext(park=park, year=year, as_of=as_of, parameters=parameters or changzhi.parameters,
                                jurisdiction=changzhi.info)
        return evaluate_criteria([criterion], ctx)[0]

    return run


@pytest.fixture
def strict_parameters(changzhi):
    """Changzhi's parameters with 第六条's 原则上 read as strict (article6_in_principle: false)."""
    return changzhi.parameters.overridden(
        {"article6_in_principle": {"reference": "第六条", "values": {"2024-01-01": False}}}, {}, "test", "test"
    )
