"""Every hook of the Karamay plugin answers through the registry, and answers as Karamay."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import importlib.metadata

import pytest

from core.rules.assessment import GradeRecord
from core.rules.facts import ParkFacts
from core.plugin.registry import load_registry
from core.rules.subsidy import SubsidyContext
from plugins.karamay import KaramayPlugin, two_years_on

def test_registry_serves_karamay_from_its_entry_point(full_registry):
    karamay = full_registry.get("karamay")
    assert isinstance(karamay.plugin, KaramayPlugin)
    assert karamay.plugin.version == "0.1.0"
    assert karamay in full_registry.cities()


def test_info_names_karamay(karamay):
    info = karamay.info
    assert (info.code, info.name, info.name_en, info.name_prefix, info.level, info.parent) == (
        "karamay", "克拉玛依市", "Karamay", "克拉玛依", "city", None)
    assert info.measures_title == "克拉玛依市级人力资源服务产业园建设管理办法"
    assert info.effective_note == "第二十五条：施行日期由部署设置，有效期两年"
    assert info.version == "0.1.0"


def test_every_hook_answers_as_karamay(karamay):
    criteria = karamay.criteria(RULES_DAY)
    assert criteria and all(c.source == "karamay" and c.article.startswith("第五条") for c in criteria)
    assert all(p.source == "karamay" for p in karamay.parameters)
    assert [m.article[:3] for m in karamay.materials()] == ["第七条"] * 7
    assert karamay.procedure().filer_role == "county_officer"
    assert all(i.article == "第十七条" for i in karamay.indicators(RULES_DAY))
    assert all(t.article == "第十八条" for t in karamay.grade_tiers(RULES_DAY))
    assert all(c.article.startswith("第二十条") for c in karamay.ledger_categories())
    templates = karamay.document_templates()
    assert {t.id for t in templates} >= {"karamay.application_report", "karamay.public_notice", "karamay.recognition_notice"}
    assert {t.source for t in templates} == {"karamay"}
    assert karamay.consequences([GradeRecord(2026, "qualified")], RULES_DAY)[0].kind == "grant_subsidy"
    proposals = karamay.subsidies(SubsidyContext(park=ParkFacts(name="园"), year=2026,
                                                 recognised_on=datetime.date(2026, 1, 1),
                                                 recognition_status="active", grades={2026: "excellent"}))
    assert [(p.rule_id, p.source) for p in proposals] == [("karamay.operating_subsidy", "karamay")]


def test_no_other_city_answers_for_karamay_and_karamay_for_none(full_registry):
    """Each jurisdiction has its own manager: no Karamay rule reaches another city's answers."""
    karamay = full_registry.get("karamay")
    assert sorted(name for name, _ in karamay.manager.list_name_plugin()) == ["hrpark.defaults", "hrpark.jurisdiction.karamay"]
    for other in full_registry:
        if other.code == "karamay":
            continue
        assert all(c.source != "karamay" for c in other.criteria(RULES_DAY))
        assert other.recognised_name("某人力资源服务产业园") != "克拉玛依某人力资源服务产业园"


def test_karamay_alone_loads_from_its_entry_point():
    eps = [ep for ep in importlib.metadata.entry_points(group="hrpark.jurisdictions") if ep.name == "karamay"]
    reg = load_registry(eps)
    assert reg.failures == [] and reg.codes() == ["karamay"]


def test_art6_3_recognised_name_is_prefixed_once(karamay):
    assert karamay.recognised_name("白碱滩区人力资源服务产业园") == "克拉玛依白碱滩区人力资源服务产业园"
    assert karamay.recognised_name(" 克拉玛依市人力资源服务产业园 ") == "克拉玛依市人力资源服务产业园"


# --- 第二十五条: the start date is a deployment setting; the measures run two years ---------


def test_art25_without_a_start_date_the_evaluation_warns(karamay):
    plugin = KaramayPlugin()
    assert plugin.build_info().effective_from is None and plugin.build_info().effective_until is None
    evaluation = karamay.evaluate(ParkFacts(name="园"), 2026, as_of=datetime.date(2026, 6, 30))
    assert any("施行日期尚未设置" in w for w in evaluation.warnings)


def test_art25_start_date_from_the_environment_runs_two_years(monkeypatch):
    monkeypatch.setenv("HRPARK_KARAMAY_EFFECTIVE_FROM", "2025-07-01")
    info = KaramayPlugin().build_info()
    assert info.effective_from == datetime.date(2025, 7, 1)
    assert info.effective_until == datetime.date(2027, 6, 30)
    assert info.in_force_on(datetime.date(2027, 6, 30)) is True
    assert info.in_force_on(datetime.date(2027, 7, 1)) is False
    assert info.in_force_on(datetime.date(2025, 6, 30)) is False


def test_art25_measures_out_of_force_are_warned_about(monkeypatch):
    monkeypatch.setenv("HRPARK_KARAMAY_EFFECTIVE_FROM", "2025-07-01")
    eps = [ep for ep in importlib.metadata.entry_points(group="hrpark.jurisdictions") if ep.name == "karamay"]
    karamay = load_registry(eps).get("karamay")
    inside = karamay.evaluate(ParkFacts(name="园"), 2027, as_of=datetime.date(2027, 6, 30))
    assert not inside.warnings
    outside = karamay.evaluate(ParkFacts(name="园"), 2027, as_of=datetime.date(2027, 7, 1))
    assert any("不在《克拉玛依市级人力资源服务产业园建设管理办法》有效期内" in w for w in outside.warnings)


@pytest.mark.parametrize(
    "start, last_day",
    [("2025-01-01", "2026-12-31"), ("2025-12-31", "2027-12-30"), ("2028-02-29", "2030-02-28"), ("2027-03-01", "2029-02-28")],
)
def test_art25_two_years_end_the_day_before_the_second_anniversary(start, last_day):
    assert two_years_on(datetime.date.fromisoformat(start)) == datetime.date.fromisoformat(last_day)


def test_art25_unreadable_start_date_counts_as_not_entered(monkeypatch):
    monkeypatch.setenv("HRPARK_KARAMAY_EFFECTIVE_FROM", "2025年×月×日")
    assert KaramayPlugin().build_info().effective_from is None
