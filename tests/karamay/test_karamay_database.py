"""Karamay's rules on facts read from the database (SQLite and, when configured, PostgreSQL)."""
import datetime
import importlib.metadata
from decimal import Decimal

import pytest

from core.rules.facts import load_park_facts
from core.records.models import Agency, AgencyYear, Jurisdiction, Park, ParkYear, Setting, Site
from core.plugin.registry import load_registry, sync_jurisdictions
from core.records.vocab import PUBLIC_SERVICES
from plugins.karamay import KaramayPlugin


@pytest.fixture
def karamay_only():
    eps = [ep for ep in importlib.metadata.entry_points(group="hrpark.jurisdictions") if ep.name == "karamay"]
    return load_registry(eps)


def _park_in_db(revenue_last):
    city = Jurisdiction.get(Jurisdiction.code == "karamay")
    district = Jurisdiction.create(code="karamay_baijiantan", name_zh="白碱滩区", level="county", parent=city)
    park = Park.create(
        jurisdiction=district,
        name="白碱滩区人力资源服务产业园",
        public_services=PUBLIC_SERVICES.codes(),
        operator_kind="committee",
        staff_fulltime=3,
        facts={"district_support_measures": ["房租补贴", "购买服务"], "special_fund": False},
    )
    Site.create(park=park, name="主园区", is_core=True, floor_area=Decimal("1500.50"))
    Site.create(park=park, name="分园区", floor_area=Decimal("499.50"))
    for i in range(10):
        agency = Agency.create(park=park, name=f"机构{i}", service_lines=["recruitment"],
                               admitted_on=datetime.date(2024, 3, 1))
        revenue = revenue_last if i == 9 else Decimal("5000000")
        AgencyYear.create(agency=agency, year=2025, revenue=revenue, pass_through=Decimal("800000.00"))
    Agency.create(park=park, name="公益机构", kind="public", admitted_on=datetime.date(2024, 3, 1))
    ParkYear.create(park=park, year=2025, events_held=6, employment_promoted=450, people_served=2000)
    return park


@pytest.mark.parametrize("last, status", [(Decimal("5000000.00"), "met"), (Decimal("4999999.99"), "not_met")])
def test_art5_on_database_facts(db, karamay_only, last, status):
    sync_jurisdictions(karamay_only)
    park = _park_in_db(last)
    facts = load_park_facts([park.id])[park.id]
    karamay = karamay_only.get("karamay")
    evaluation = karamay.evaluate(facts, 2026, as_of=datetime.date(2026, 6, 30))
    assert evaluation.by_id("floor_area").status == "met"  # 1500.50 + 499.50 = 2000
    assert evaluation.by_id("floor_area").measured == Decimal("2000")
    assert evaluation.by_id("operating_agencies").measured == 10
    assert evaluation.by_id("agency_revenue").status == status
    assert "代收代付800万元未计入" in evaluation.by_id("agency_revenue").explanation
    assert evaluation.by_id("public_services").status == "met"
    assert evaluation.by_id("district_support").status == "met"
    assert "2025年度举办活动6场" in evaluation.by_id("social_benefit").explanation


def test_art25_start_date_entered_in_the_back_office(db):
    assert KaramayPlugin().build_info().effective_from is None
    setting = Setting.create(jurisdiction_code="karamay", key="effective_from", value="2025-09-01")
    try:
        info = KaramayPlugin().build_info()
        assert info.effective_from == datetime.date(2025, 9, 1)
        assert info.effective_until == datetime.date(2027, 8, 31)
    finally:
        setting.delete_instance()
    assert KaramayPlugin().build_info().effective_from is None


def test_sync_makes_the_karamay_row(db, karamay_only):
    rows = sync_jurisdictions(karamay_only)
    row = rows["karamay"]
    assert (row.code, row.name_zh, row.name_en, row.level, row.parent) == ("karamay", "克拉玛依市", "Karamay", "city", None)
