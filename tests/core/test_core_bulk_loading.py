"""core.rules.facts.load_park_facts: one query per table whatever the number of parks, and the facts are
exactly what was stored."""
import datetime
from decimal import Decimal

from core.rules.facts import load_park_facts
from core.records.models import JurisdictionYear, Jurisdiction


def test_one_park_and_fifty_parks_cost_the_same_number_of_queries(make_park, count_queries):
    parks = [make_park(name=f"产业园{n:02d}", agencies=3) for n in range(50)]
    with count_queries() as one:
        facts_one = load_park_facts([parks[0].id])
    with count_queries() as fifty:
        facts_fifty = load_park_facts([p.id for p in parks])
    assert len(facts_one) == 1 and len(facts_fifty) == 50
    assert sum(len(f.agencies) for f in facts_fifty.values()) == 150
    assert len(one) > 0  # the counter does see the queries ...
    assert len(fifty) == len(one), fifty.statements  # ... and there are no more for fifty parks


def test_all_parks_cost_the_same_as_one(make_park, count_queries):
    first = make_park(name="甲园", agencies=2)
    with count_queries() as one:
        load_park_facts([first.id])
    for n in range(5):
        make_park(name=f"乙园{n}", agencies=4)
    with count_queries() as everything:
        facts = load_park_facts()
    assert len(facts) == 6
    assert len(everything) == len(one)


def test_facts_match_what_was_stored(make_park, city_row):
    park = make_park(agencies=3, year=2025)
    JurisdictionYear.create(jurisdiction=city_row, year=2025, facts={"urban_new_jobs": 8000, "rural_transfer": 2000})
    facts = load_park_facts([park.id])[park.id]

    assert (facts.id, facts.name, facts.jurisdiction) == (park.id, "潞州人力资源服务产业园", "changzhi")
    assert facts.public_services == ["employment_entrepreneurship", "vocational_training"]
    assert facts.facts == {"district_support_measures": ["房租补贴"]}
    assert (facts.operator_kind, facts.staff_fulltime, facts.staff_parttime) == ("company", 4, 0)
    assert [(s.name, s.floor_area, s.is_core) for s in facts.sites] == [("潞州人力资源服务产业园核心区", Decimal("3000.00"), True)]
    assert facts.total_floor_area() == Decimal("3000")

    assert [a.name for a in facts.agencies] == [f"潞州人力资源服务产业园机构{n}" for n in (1, 2, 3)]
    assert [a.kind for a in facts.agencies] == ["operating", "public", "operating"]
    assert facts.agencies[0].service_lines == ["recruitment", "training"]
    third = facts.agencies[2]
    assert third.exited_on == datetime.date(2025, 6, 30)
    assert third.resident_on(datetime.date(2025, 6, 29)) and not third.resident_on(datetime.date(2025, 6, 30))
    assert len(facts.resident_agencies(datetime.date(2025, 12, 31))) == 2

    figures = facts.agencies[1].figures(2024)
    assert figures.revenue == Decimal("3000001.01")  # exact, not 3000001.0100000002
    assert isinstance(figures.revenue, Decimal)
    assert figures.pass_through == Decimal("120000.50")
    assert figures.revenue_with_pass_through == Decimal("3120001.51")
    assert (figures.tax, figures.employment_helped) == (Decimal("81000.00"), 31)
    assert facts.agencies[1].figures(2025) is None

    assert (facts.years[2025].events_held, facts.years[2025].employment_promoted) == (12, 1600)
    assert sum(facts.jurisdiction_years[2025].facts.values()) == 10000


def test_parks_not_asked_for_are_not_loaded(make_park):
    wanted, other = make_park(name="甲园"), make_park(name="乙园", agencies=1)
    facts = load_park_facts([wanted.id])
    assert list(facts) == [wanted.id]
    assert len(facts[wanted.id].agencies) == 3 and len(facts[wanted.id].sites) == 1
    assert load_park_facts([]) == {}
    assert load_park_facts([other.id + 1000]) == {}


def test_a_district_park_reads_its_city_employment_targets(make_park, city_row):
    """Changzhi art. 10 compares with 全市 targets; a park registered under a district reads them."""
    district = Jurisdiction.create(code="luzhou", name_zh="潞州区", level="county", parent=city_row)
    elsewhere = Jurisdiction.create(code="karamay", name_zh="克拉玛依市", level="city")
    JurisdictionYear.create(jurisdiction=city_row, year=2024, facts={"urban_new_jobs": 7000, "rural_transfer": 1500})
    JurisdictionYear.create(jurisdiction=city_row, year=2025, facts={"urban_new_jobs": 8000, "rural_transfer": 2000})
    JurisdictionYear.create(jurisdiction=district, year=2025, facts={"urban_new_jobs": 900, "rural_transfer": 100})
    JurisdictionYear.create(jurisdiction=elsewhere, year=2026, facts={"urban_new_jobs": 1, "rural_transfer": 1})
    district_park = make_park(name="潞州园", jurisdiction=district)
    city_park = make_park(name="市直园")
    facts = load_park_facts([district_park.id, city_park.id])
    district_targets = facts[district_park.id].jurisdiction_years
    assert sum(district_targets[2024].facts.values()) == 8500  # the city's, for want of the district's own
    assert sum(district_targets[2025].facts.values()) == 1000  # the year the district entered itself
    assert 2026 not in district_targets  # never another city's
    assert {y: sum(t.facts.values()) for y, t in facts[city_park.id].jurisdiction_years.items()} == {2024: 8500, 2025: 10000}
