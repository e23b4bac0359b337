"""How a county extends its city (core/plugin/base.py): overrides by id change the county only,
unknown ids fail at load naming the plugin and the id, additions carry the county as source, and
a county without its city is a failure."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import importlib.metadata
from decimal import Decimal

import pytest

from core.rules.facts import ParkFacts, SiteFacts
from core.plugin.registry import ENTRY_POINT_GROUP, load_registry, rules_for
from core.rules.criteria import MET, NOT_MET, NOT_MET_WAIVABLE

AS_OF = datetime.date(2026, 6, 30)
FAILING = (NOT_MET, NOT_MET_WAIVABLE)  # Changzhi's art. 6 is 原则上: a failure there may be waivable


def entry_point(name, value):
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def with_cities(*extra):
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)) + list(extra)


@pytest.fixture
def counties(sample_modules):
    """Both cities and the well-formed county plugins."""
    registry = load_registry(with_cities(
        entry_point("luzhou", "coretest_county:LuzhouPlugin"),
        entry_point("strict", "coretest_county:StrictOperatorCounty"),
    ))
    assert not registry.failures, [str(f) for f in registry.failures]
    return registry


def single_site_park(area, training_rooms=0):
    return ParkFacts(
        name="试点园",
        sites=[SiteFacts("园区", Decimal(area), is_core=True)],
        facts={"training_rooms": training_rooms},
    )


def site_area(registry, code, area):
    return registry.get(code).evaluate(single_site_park(area), 2026, as_of=AS_OF).by_id("site_area")


def test_the_county_is_installed_under_its_city(counties):
    luzhou = counties.get("luzhou")
    assert luzhou.info.parent == "changzhi" and luzhou.info.level == "county"
    # Installed county plugins (the worked example 潞州区) stand beside the test's own two.
    assert {"luzhou", "strict"} <= {j.code for j in counties.children("changzhi")}
    assert {j.code for j in counties.cities()} == {"changzhi", "karamay"}


@pytest.mark.parametrize("area, status", [("2499", FAILING), ("2500", (MET,))])
def test_a_county_parameter_override_moves_the_county_line(counties, area, status):
    result = site_area(counties, "luzhou", area)
    assert result.status in status
    assert result.source == "changzhi"  # the city's rule, read with the county's number


@pytest.mark.parametrize("area, status", [("2500", FAILING), ("2999", FAILING), ("3000", (MET,))])
def test_the_city_keeps_its_own_line(counties, area, status):
    assert site_area(counties, "changzhi", area).status in status


def test_the_override_is_sourced_to_the_county_and_the_rest_to_the_city(counties):
    luzhou, changzhi = counties.get("luzhou").parameters, counties.get("changzhi").parameters
    overridden = luzhou.get("single_site_min_area")
    assert (overridden.source, overridden.reference) == ("luzhou", "潞州区办法第六条第（二）项")
    assert overridden.description == changzhi.get("single_site_min_area").description
    assert luzhou.get("min_agencies").source == "changzhi"
    assert changzhi.get("single_site_min_area").source == "changzhi"
    assert changzhi.value("single_site_min_area", AS_OF) == 3000
    assert "min_training_rooms" in luzhou and "min_training_rooms" not in changzhi


@pytest.mark.parametrize("rooms, status", [(1, NOT_MET), (2, MET)])
def test_a_county_criterion_is_added_with_the_county_as_source(counties, rooms, status):
    park = single_site_park("3000", training_rooms=rooms)
    result = counties.get("luzhou").evaluate(park, 2026, as_of=AS_OF).by_id("training_rooms")
    assert (result.status, result.source, result.article) == (status, "luzhou", "潞州区办法第六条第（六）项")
    criteria = counties.get("luzhou").criteria(RULES_DAY)
    assert criteria[-1].id == "training_rooms"  # after the city's, in article order
    assert [c.id for c in criteria[:-1]] == [c.id for c in counties.get("changzhi").criteria(RULES_DAY)]
    assert "training_rooms" not in {c.id for c in counties.get("changzhi").criteria(RULES_DAY)}


def test_a_criterion_overridden_by_id_carries_the_county_and_keeps_its_place(counties):
    strict = {c.id: c for c in counties.get("strict").criteria(RULES_DAY)}
    city = {c.id: c for c in counties.get("changzhi").criteria(RULES_DAY)}
    assert list(strict) == list(city) + ["training_rooms"]
    assert (strict["operator"].source, strict["operator"].article) == ("strict", "潞州区办法第六条第（四）项")
    assert (city["operator"].source, city["operator"].article) == ("changzhi", "第六条第（四）项")


def test_rules_for_a_district_row_without_a_plugin_are_its_citys(counties, db):
    from core.records.models import Jurisdiction

    city = Jurisdiction.create(code="changzhi", name_zh="长治市")
    county = Jurisdiction.create(code="luzhou", name_zh="潞州区", level="county", parent=city)
    district = Jurisdiction.create(code="shangdang", name_zh="上党区", level="county", parent=city)
    assert rules_for(county, counties).code == "luzhou"
    assert rules_for(district, counties).code == "changzhi"


@pytest.mark.parametrize(
    "name, target, ids",
    [
        ("badparam", "UnknownParameterCounty", ["single_site_minimum_area"]),
        ("badcriterion", "UnknownCriterionCounty", ["site_areas"]),
        ("renaming", "RenamingCriterionCounty", ["site_area", "training_rooms"]),
        ("clash", "ClashingCriterionCounty", ["site_area"]),
        ("badtemplate", "UnknownTemplateCounty", ["changzhi.no_such_form"]),
    ],
)
def test_a_wrong_override_fails_at_load_naming_the_plugin_and_the_id(sample_modules, name, target, ids):
    registry = load_registry(with_cities(entry_point(name, f"coretest_county:{target}")))
    assert name not in registry.codes()
    assert {"changzhi", "karamay"} <= set(registry.codes())  # the cities still load
    [failure] = registry.failures
    assert failure.name == name
    message = str(failure)
    assert name in failure.error  # the plugin's code, in the error itself
    for override_id in ids:
        assert override_id in failure.error
    assert "(" in message and any("\u4e00" <= ch <= "\u9fff" for ch in failure.error)  # Chinese, then English


def test_a_county_whose_city_is_not_installed_is_a_failure(sample_modules):
    karamay_only = [ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name == "karamay"]
    registry = load_registry(karamay_only + [entry_point("luzhou_alone", "coretest_county:LuzhouPlugin")])
    assert registry.codes() == ["karamay"]
    [failure] = registry.failures
    assert failure.name == "luzhou_alone"  # the entry point's name, as for every other failure
    assert "changzhi" in failure.error and "未安装" in failure.error and "not installed" in failure.error
