"""Changzhi's rules on a park stored in the database (SQLite and PostgreSQL): figures come back as
Decimal, revenue includes pass-through, the city's targets reach the grant, boundaries hold."""
import datetime
from decimal import Decimal

from core.rules.facts import load_park_facts
from core.records.models import Agency, AgencyYear, JurisdictionYear, Jurisdiction, Park, ParkYear, Site
from core.plugin.registry import sync_jurisdictions
from core.rules.criteria import MET, NOT_MET_WAIVABLE
from core.rules.subsidy import SubsidyContext
from core.records.vocab import PUBLIC_SERVICES

AS_OF = datetime.date(2025, 6, 30)


def store_park(core_area, branch_area, revenue_each, pass_through_each, promoted):
    city = Jurisdiction.get(Jurisdiction.code == "changzhi")
    park = Park.create(jurisdiction=city, name="潞州人力资源服务产业园", operator_kind="company",
                       public_services=PUBLIC_SERVICES.codes())
    Site.create(park=park, name="核心园区", is_core=True, floor_area=Decimal(core_area))
    Site.create(park=park, name="分园区", floor_area=Decimal(branch_area))
    for i in range(10):
        agency = Agency.create(park=park, name=f"机构{i}", licence_no=f"L{i}", admitted_on=datetime.date(2023, 1, 1))
        AgencyYear.create(agency=agency, year=2024, revenue=Decimal(revenue_each), pass_through=Decimal(pass_through_each))
    ParkYear.create(park=park, year=2025, employment_promoted=promoted)
    JurisdictionYear.create(jurisdiction=city, year=2025, facts={"urban_new_jobs": 8000, "rural_transfer": 2000})
    return park


def test_stored_park_meets_the_lines_exactly(db, registry):
    sync_jurisdictions(registry)
    park = store_park("2000.00", "2000.00", "2000000.00", "1000000.00", 1500)
    facts = load_park_facts([park.id])[park.id]
    changzhi = registry.get("changzhi")
    evaluation = changzhi.evaluate(facts, 2025, as_of=AS_OF)
    assert evaluation.by_id("site_area").status == MET
    revenue = evaluation.by_id("agency_revenue")
    assert revenue.status == MET
    assert revenue.measured["total_revenue"] == Decimal("30000000")
    assert isinstance(revenue.measured["total_revenue"], Decimal)
    ctx = SubsidyContext(park=facts, year=2025, recognised_on=datetime.date(2025, 3, 1),
                         recognition_status="active", grades={2025: "qualified"})
    grant = {p.rule_id: p for p in changzhi.subsidies(ctx)}["changzhi.operating_grant"]
    assert (grant.due, grant.amount) == (True, Decimal("300000"))


def test_stored_park_one_fen_and_one_person_short(db, registry):
    sync_jurisdictions(registry)
    park = store_park("1999.99", "2000.01", "2000000.00", "999999.99", 1499)
    facts = load_park_facts([park.id])[park.id]
    changzhi = registry.get("changzhi")
    evaluation = changzhi.evaluate(facts, 2025, as_of=AS_OF)
    site = evaluation.by_id("site_area")
    assert site.status == NOT_MET_WAIVABLE
    assert "核心园区面积1999.99㎡，低于2000㎡，差0.01㎡" in site.explanation
    assert "园区总面积4000㎡，不少于4000㎡" in site.explanation
    revenue = evaluation.by_id("agency_revenue")
    assert revenue.status == NOT_MET_WAIVABLE
    assert "差0.1元" in revenue.explanation
    ctx = SubsidyContext(park=facts, year=2025, recognised_on=datetime.date(2025, 3, 1),
                         recognition_status="active", grades={2025: "qualified"})
    grant = {p.rule_id: p for p in changzhi.subsidies(ctx)}["changzhi.operating_grant"]
    assert (grant.due, grant.amount) == (False, Decimal("0"))
    assert "差1人" in grant.explanation
