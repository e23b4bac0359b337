"""Programmes (issue 12): each plugin's measures recognise parks at one level; a park in a county with
measures of its own may apply under the county's (长治 第二十二条) and the city's (第五条); every record
keeps the programme that judged it, whatever plugins are installed, broken or removed later."""
import datetime
from decimal import Decimal

import pytest

from core.rules.jurisdiction import JurisdictionInfo
from core.records.models import Application, Jurisdiction, Recognition, Subsidy
from core.plugin.registry import RulesUnavailable, rules_for, set_registry
from core.rules.programmes import Programme, assign_unassigned, governing_rules, ladder, ladder_text, programmes_open_to
from core.records.services import applications as apps
from core.records.services import subsidies
from core.records.services.base import ServiceError
from plugins.luzhou import LuzhouPlugin
from tests.builders import actor, make_park, registry_with


class TunliuPlugin(LuzhouPlugin):
    """屯留区's own measures (a test double): Luzhou's numbers and subsidies under another county's name."""

    code = "changzhi-tunliu"

    def build_info(self):
        return JurisdictionInfo(
            code=self.code, name="屯留区", name_en="Tunliu", measures_title="屯留区人力资源服务产业园认定管理办法（测试）",
            name_prefix="屯留", parent="changzhi", level="county",
        )


class BrokenCountyPlugin(LuzhouPlugin):
    def build_info(self):
        raise RuntimeError("parameters.yaml 第3行格式错误")


@pytest.fixture
def installed(registry):
    yield registry
    set_registry(registry)


def recognised_park(place, name, on=datetime.date(2024, 6, 18)):
    park = make_park(place, name=name, year=2024, agencies=12, revenue="3000000")
    recognition = Recognition.create(park=park, jurisdiction=place, official_name=f"长治{name}", recognised_on=on)
    return park, recognition


def test_a_park_in_a_county_with_measures_of_its_own_may_apply_under_both_programmes(world, installed):
    luzhou = Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")
    park = make_park(luzhou, name="潞州区双级园")
    open_to = programmes_open_to(luzhou)
    assert [rules.code for rules in open_to] == ["changzhi-luzhou", "changzhi"]
    assert [Programme.of(rules).level for rules in open_to] == ["county", "city"]

    operator = actor("park_operator", park=park)
    county_level = apps.create_application(park, operator, year=2025, programme="changzhi-luzhou")
    city_level = apps.create_application(park, operator, year=2025, programme="changzhi")
    assert (county_level.programme, city_level.programme) == ("changzhi-luzhou", "changzhi")
    # Each is judged by its own programme's numbers: 潞州区办法 asks 1,500 m² of a single site, 长治 3,000.
    single_site = {
        app.programme: next(r for r in apps.evaluate_application(app).results if r.criterion_id == "site_area")
        for app in (county_level, city_level)
    }
    assert single_site["changzhi-luzhou"].required == {"single_site_min_area": Decimal("1500")}
    assert single_site["changzhi"].required == {"single_site_min_area": Decimal("3000")}

    with pytest.raises(ServiceError) as second:
        apps.create_application(park, operator, year=2025, programme="changzhi")
    assert "已有进行中的申请" in second.value.zh
    with pytest.raises(ServiceError) as elsewhere:
        apps.create_application(park, operator, year=2025, programme="karamay")
    assert "不适用" in elsewhere.value.zh and "潞州区" in elsewhere.value.zh and elsewhere.value.field == "programme"


def test_installing_a_county_plugin_changes_no_record_of_the_city(world, installed):
    """Issue 12: installing a 屯留区 plugin moved the city's 屯留区 parks onto the county's numbers."""
    tunliu = Jurisdiction.create(code="changzhi-tunliu", name_zh="屯留区", level="county", parent=world["changzhi"])
    park, recognition = recognised_park(tunliu, "屯留人力资源服务产业园")
    assert (recognition.programme, rules_for(tunliu).code) == ("changzhi", "changzhi")
    before = subsidies.compute(recognition, 2024)
    assert any(p.amount == Decimal("800000") for p in before)  # 第九条's one-off award of the city

    set_registry(registry_with(installed, "changzhi-tunliu", TunliuPlugin()))
    recognition = Recognition.get_by_id(recognition.id)
    assert governing_rules(recognition).code == "changzhi"
    assert subsidies.compute(recognition, 2024) == before
    # The county's measures are a new programme open to the park, beside the city's.
    assert [rules.code for rules in programmes_open_to(tunliu)] == ["changzhi-tunliu", "changzhi"]
    assert rules_for(tunliu).code == "changzhi-tunliu"


def test_removing_a_county_plugin_leaves_its_records_without_rules_never_under_the_city(world, installed):
    luzhou = Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")
    park, recognition = recognised_park(luzhou, "潞州人力资源服务产业园")
    assert recognition.programme == "changzhi-luzhou"

    set_registry(registry_with(installed, "changzhi-luzhou", BrokenCountyPlugin()))
    with pytest.raises(RulesUnavailable) as unavailable:
        governing_rules(Recognition.get_by_id(recognition.id))
    assert "parameters.yaml 第3行格式错误" in str(unavailable.value) and "规则不可用" in str(unavailable.value)
    with pytest.raises(RulesUnavailable):
        subsidies.compute(Recognition.get_by_id(recognition.id), 2025)
    with pytest.raises(RulesUnavailable):
        rules_for(luzhou)  # the place's default is not quietly the city's either
    operator = actor("park_operator", park=park)
    with pytest.raises(RulesUnavailable):
        apps.create_application(park, operator, year=2025)
    # The city's own programme is not broken: the park may still apply for city-level recognition.
    assert apps.create_application(park, operator, year=2025, programme="changzhi").programme == "changzhi"


def test_records_made_before_programmes_get_the_one_that_governed_them_once(world, installed):
    luzhou = Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")
    city_park, city_recognition = recognised_park(world["shangdang"], "上党人力资源服务产业园")
    county_park, county_recognition = recognised_park(luzhou, "潞州人力资源服务产业园")
    subsidy = Subsidy.create(park=county_park, jurisdiction=luzhou, recognition=county_recognition, kind="x", year=2024,
                             amount=Decimal("1"), rule_id="x", article="第九条")
    # As migration 0010 leaves them: no programme yet.
    for model in (Recognition, Subsidy):
        model.update(programme="", programme_version="").execute()

    set_registry(registry_with(installed, "changzhi-luzhou", BrokenCountyPlugin()))
    assigned = assign_unassigned()
    assert assigned["recognition"] == 1 and assigned["subsidy"] == 0  # 潞州区's wait for their own plugin
    assert Recognition.get_by_id(city_recognition.id).programme == "changzhi"
    assert Recognition.get_by_id(county_recognition.id).programme == ""

    set_registry(installed)
    assert assign_unassigned()["recognition"] == 1
    assert [Recognition.get_by_id(r.id).programme for r in (city_recognition, county_recognition)] == [
        "changzhi", "changzhi-luzhou",
    ]
    assert Subsidy.get_by_id(subsidy.id).programme == "changzhi-luzhou"  # it follows its recognition
    assert sum(assign_unassigned().values()) == 0  # once: nothing moves on a second run
    assert Application.select().count() == 0


def test_a_parks_ladder_shows_its_county_recognition_and_what_the_city_would_say(world, installed):
    luzhou = Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")
    # 2,000 m² and 8 agencies: enough for 潞州区 (1,500 m², 6 agencies), short of 长治 (3,000 m², 10).
    park = make_park(luzhou, name="潞州区级园", sites=((True, "2000"),), agencies=8, year=2025)
    Recognition.create(park=park, jurisdiction=luzhou, official_name="潞州潞州区级园", recognised_on=datetime.date(2024, 5, 6))
    rungs = ladder(park, on=datetime.date(2026, 6, 30))
    assert [(r.programme.code, r.programme.level) for r in rungs] == [("changzhi-luzhou", "county"), ("changzhi", "city")]
    assert rungs[0].recognition is not None and rungs[0].short == []
    short = {r.criterion_id for r in rungs[1].short}
    assert {"site_area", "agency_count"} <= short
    assert ladder_text(rungs).startswith("潞州区级 ✓ 2024 → 长治市级：差")


def test_records_made_before_programmes_get_the_version_in_force_on_their_own_date(world, installed):
    """A deployment upgrading after a revision began stamps a 2026 record with the version of 2026,
    not the one in force on the day of the upgrade."""
    from pathlib import Path

    from core.rules.jurisdiction import Revision
    from plugins.changzhi import ChangzhiPlugin

    class Revised(ChangzhiPlugin):
        revisions = (Revision("正式", datetime.date(2027, 1, 1),
                              Path(__file__).parents[2] / "examples/revisions/changzhi/2027-zhengshi.yaml"),)

    before, on_start = (recognised_park(world["shangdang"], name, on=day)[1] for name, day in (
        ("上党甲园", datetime.date(2026, 12, 31)), ("上党乙园", datetime.date(2027, 1, 1))))
    subsidies_by_year = [Subsidy.create(park=r.park, jurisdiction=r.jurisdiction, recognition=r, kind="x", year=year,
                                        amount=Decimal("1"), rule_id="x", article="第九条")
                         for r, year in ((before, 2026), (on_start, 2027))]
    for model in (Recognition, Subsidy):
        model.update(programme="", programme_version="").execute()

    set_registry(registry_with(installed, "changzhi", Revised()))
    assign_unassigned()
    assert [Recognition.get_by_id(r.id).programme_version for r in (before, on_start)] == ["试行", "正式"]
    assert [Subsidy.get_by_id(s.id).programme_version for s in subsidies_by_year] == ["试行", "正式"]


@pytest.mark.parametrize("field", ["platform_article", "county_measures_article"])
def test_an_article_a_programme_declares_for_core_must_name_one(field):
    """JurisdictionInfo's articles core cites (the API's description, the county-measures hint) name 第N条."""
    from core.rules.jurisdiction import JurisdictionInfo

    info = dict(code="x", name="X市", name_en="X", measures_title="X市办法", name_prefix="X")
    assert getattr(JurisdictionInfo(**info, **{field: "第十条"}), field) == "第十条"
    with pytest.raises(ValueError, match=field):
        JurisdictionInfo(**info, **{field: "信息共享平台"})
