"""A park's ladder (issue 12): every programme open to it from the nearest level up, recognised or with
the conditions it is short under the version in force that day; a programme whose plugin cannot load
named as unavailable. The dossier export carries it as an output-only section that load discards."""
import copy
import datetime

import pytest
from jsonschema import Draft202012Validator

from core.io.dossier import dossier_json_schema, export_dossier, import_dossier, load_dossier, normalise_dossier, validate_dossier
from core.rules.jurisdiction import Revision
from core.io.ladder_schema import LadderRung, ParkLadder, ShortCondition
from core.records.models import Jurisdiction, Park, Recognition
from core.plugin.registry import set_registry
from core.rules.programmes import ladder, ladder_as_dict, ladder_text
from core.records.services import applications as apps
from plugins.changzhi import ChangzhiPlugin
from plugins.luzhou import LuzhouPlugin
from tests.builders import actor, make_park, registry_with

ON = datetime.date(2026, 6, 30)  # figures of 2025 are read
ERROR_TEXT = "parameters.yaml 第7行：单位 ㎡² 未知"


class BrokenLuzhou(LuzhouPlugin):
    def build_info(self):
        raise ValueError(ERROR_TEXT)


@pytest.fixture
def installed(registry):
    yield registry
    set_registry(registry)


@pytest.fixture
def luzhou(world, installed):
    return Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")


def county_recognised_park(luzhou):
    """2,000 m² and 8 agencies of 4,000,000 each: 潞州区 recognised it in 2024 (1,500 m², 6 agencies);
    Changzhi asks 3,000 m² and 10 agencies (its 32,000,000 of revenue is enough)."""
    park = make_park(luzhou, name="潞州区级园", sites=((True, "2000"),), agencies=8, revenue="4000000", year=2025)
    Recognition.create(park=park, jurisdiction=luzhou, official_name="潞州潞州区级园", recognised_on=datetime.date(2024, 5, 6))
    return park


def short_ids(rung):
    return [condition.criterion_id for condition in rung.short]


def test_a_county_recognised_park_applying_for_city_level_shows_both_rungs(luzhou):
    park = county_recognised_park(luzhou)
    application = apps.create_application(park, actor("park_operator", park=park), year=2026, programme="changzhi")
    assert application.programme == "changzhi"

    rungs = ladder(park, on=ON)
    assert ladder_text(rungs) == "潞州区级 ✓ 2024 → 长治市级：差2项条件"
    assert ladder_text(rungs, english=True) == (
        "Luzhou District (county-level) ✓ 2024 → Changzhi (city-level): 2 condition(s) short")
    county, city = (rung.as_dict() for rung in rungs)
    assert (county["programme"], county["level"], county["issuer"]) == ("changzhi-luzhou", "county", "潞州区")
    assert (county["recognised_on"], county["status"], county["outcome"], county["short"]) == (
        "2024-05-06", "active", None, [])
    assert county["title"] == "潞州区人力资源服务产业园认定管理办法（示例）"
    assert (city["programme"], city["level"], city["issuer"], city["version"]) == ("changzhi", "city", "长治市", "试行")
    assert (city["recognised_on"], city["status"], city["outcome"]) == (None, None, "pending")  # 第六条 原则上: waivable
    assert city["title"] == "长治市级人力资源服务产业园管理办法（试行）"
    assert [(c["criterion"], c["article"], c["title"], c["status"]) for c in city["short"]] == [
        ("site_area", "第六条第（二）项", "园区建筑面积", "not_met_waivable"),
        ("agency_count", "第六条第（三）项", "入驻机构数量", "not_met_waivable"),
    ]


def test_one_shape_the_rung_dict_is_what_the_schema_declares(luzhou):
    data = ladder_as_dict(ladder(county_recognised_park(luzhou), on=ON), ON)
    assert list(data) == list(ParkLadder._declared_fields)
    for rung in data["rungs"]:
        assert list(rung) == list(LadderRung._declared_fields)
        for condition in rung["short"]:
            assert list(condition) == list(ShortCondition._declared_fields)
    assert ParkLadder().dump(data) == data  # the API dumps it through the schema unchanged


def test_a_park_in_a_county_without_measures_of_its_own_has_one_rung(world, installed):
    park = make_park(world["shangdang"], name="上党一级园", year=2025)
    rungs = ladder(park, on=ON)
    assert [(rung.programme.code, rung.programme.level) for rung in rungs] == [("changzhi", "city")]
    assert ladder_text(rungs) == "长治市级：待评审"  # every computed condition met; the panel judges the rest
    assert rungs[0].short == [] and rungs[0].evaluation.outcome == "pending"


@pytest.mark.parametrize("area, county_short, city_short", [
    ("1499.99", True, True),  # 潞州区办法 第六条第（二）项: 不少于1500㎡
    ("1500.00", False, True),
    ("2999.99", False, True),  # 长治办法 第六条第（二）项: 不少于3000㎡
    ("3000.00", False, False),
])
def test_the_short_list_follows_the_floor_area_across_each_programmes_line(luzhou, area, county_short, city_short):
    park = make_park(luzhou, name="潞州面积园", sites=((True, area),), year=2025)
    county, city = ladder(park, on=ON)
    assert ("site_area" in short_ids(county), "site_area" in short_ids(city)) == (county_short, city_short)
    assert county.text() == ("潞州区级：差1项条件" if county_short else "潞州区级：待评审")


@pytest.fixture
def revised(tmp_path, installed):
    """Changzhi's fictional 正式 version from 2027-01-01 (examples/revisions): 13 agencies, a title of its own."""
    path = tmp_path / "2027-正式.yaml"
    path.write_text("label: 正式\neffective_from: 2027-01-01\noverrides:\n  min_agencies:\n"
                    "    reference: 第六条第（三）项（2027年修订）\n    values: {2027-01-01: 13}\n", encoding="utf-8")

    class RevisedChangzhi(ChangzhiPlugin):
        revisions = (Revision("正式", datetime.date(2027, 1, 1), path, document_number="长人社发〔2026〕9号",
                              title="长治市级人力资源服务产业园管理办法"),)

    return set_registry(registry_with(installed, "changzhi", RevisedChangzhi()))


def test_each_rung_is_judged_by_the_version_in_force_on_the_ladders_day(world, revised):
    park = make_park(world["shangdang"], name="十二家机构园", agencies=12, year=2026)
    (before,) = ladder(park, on=datetime.date(2026, 12, 31))
    (after,) = ladder(park, on=datetime.date(2027, 1, 1))
    assert (before.programme.version, before.programme.title) == ("试行", "长治市级人力资源服务产业园管理办法（试行）")
    assert (after.programme.version, after.programme.title) == ("正式", "长治市级人力资源服务产业园管理办法")
    assert after.programme.document_number == "长人社发〔2026〕9号"
    assert "agency_count" not in short_ids(before) and "agency_count" in short_ids(after)


def test_a_programme_whose_plugin_cannot_load_is_named_unavailable_never_dropped(luzhou, installed):
    broken = registry_with(installed, "changzhi-luzhou", BrokenLuzhou())
    unrecognised = make_park(luzhou, name="潞州待申报园", year=2025)
    county, city = ladder(unrecognised, on=ON, reg=broken)
    assert county.unavailable.endswith(ERROR_TEXT) and county.evaluation is None and county.short == []
    assert county.text() == f"潞州区级：规则不可用（{county.unavailable}）"
    assert county.text_en() == f"Luzhou District (county-level): rules unavailable ({county.unavailable})"
    data = county.as_dict()
    assert (data["programme"], data["level"], data["issuer"], data["title"], data["version"]) == (
        "changzhi-luzhou", "county", "潞州区", "", "")
    assert data["unavailable"] == county.unavailable and data["outcome"] is None
    assert city.unavailable == "" and city.evaluation is not None  # the city's own programme still judges

    recognised = county_recognised_park(luzhou)
    county, _city = ladder(recognised, on=ON, reg=broken)
    assert county.text() == f"潞州区级 ✓ 2024；规则不可用（{county.unavailable}）"


def test_the_export_carries_the_ladder_which_validates_and_imports_as_output_only(luzhou):
    park = county_recognised_park(luzhou)
    exported = export_dossier(park.id, on=ON)
    assert exported["ladder"] == ladder_as_dict(ladder(park, on=ON), ON)
    assert exported["ladder"]["text"] == "潞州区级 ✓ 2024 → 长治市级：差2项条件"
    assert list(exported)[-1] == "ladder"
    Draft202012Validator(dossier_json_schema()).validate(exported)
    assert validate_dossier(exported)["ladder"] is None  # accepted, discarded

    again = copy.deepcopy(exported)
    again["park"]["name"] = "潞州区级园（二期）"
    imported = import_dossier(again, actor("admin"))
    assert Recognition.select().where(Recognition.park == imported).count() == 0  # nothing of the ladder is imported
    back = export_dossier(imported.id, on=ON)
    same = ("format", "jurisdiction", "sites", "agencies", "park_years", "facts", "jurisdiction_years")
    assert {k: back[k] for k in same} == {k: exported[k] for k in same}
    assert back["ladder"]["text"] == "潞州区级：待评审 → 长治市级：差2项条件"  # the new park's own ladder
    assert Park.select().where(Park.jurisdiction == luzhou).count() == 2


def test_a_ladder_written_into_a_dossier_by_hand_changes_nothing(luzhou):
    exported = export_dossier(county_recognised_park(luzhou).id, on=ON)
    forged = {**exported, "recognition": None, "ladder": {"text": "长治市级 ✓ 2020", "rungs": "anything"}}
    facts, extras = load_dossier(forged)
    assert extras.recognised_on is None and facts.name == "潞州区级园"
    assert "ladder" not in normalise_dossier(forged)
    assert load_dossier({**forged, "ladder": None})[1] == extras
