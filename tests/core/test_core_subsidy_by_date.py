"""Subsidies use their year's parameters (issue 12 point 3): for each kind — Karamay's operating
subsidy (第二十条), Changzhi's one-time award (第九条) and operating grant (第十条), Luzhou's own award
and grant (潞州区办法第九条、第十条) — a revision changes a number from 2027-01-01, and the subsidy of
2026 uses the old number, that of 2027 the new one, each citing its article. The award takes the
standard in force on the day of recognition (the amount its approval reply states), on both sides
of a change made mid-year."""
import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.io.documents.writing import yuan_figures
from core.rules.facts import JurisdictionYearFacts, ParkFacts, ParkYearFacts
from core.rules.jurisdiction import Revision
from core.records.models import Recognition
from core.plugin.registry import Registry, set_registry
from core.records.services.subsidies import compute
from core.rules.subsidy import SubsidyContext
from plugins.changzhi import ChangzhiPlugin
from plugins.changzhi.documents import approval_reply_context
from plugins.karamay import KaramayPlugin
from plugins.luzhou import LuzhouPlugin
from tests.builders import make_park, registry_with

REVISION = datetime.date(2027, 1, 1)
BEFORE, AFTER = 2026, 2027


def revised(tmp_path, plugin_class, overrides, start=REVISION):
    """`plugin_class` with a revision from `start` changing {parameter id: (reference, value)}."""
    lines = ["label: 修订（测试）", f"effective_from: {start.isoformat()}", "overrides:"]
    for pid, (reference, value) in overrides.items():
        lines += [f"  {pid}:", f"    reference: {reference}", f"    values: {{{start.isoformat()}: {value}}}"]
    path = tmp_path / f"{plugin_class.code}-{start.isoformat()}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    class Revised(plugin_class):
        revisions = (Revision("修订（测试）", start, path),)

    reg = Registry()
    reg.add(plugin_class.code, Revised())
    assert not reg.failures, [str(f) for f in reg.failures]
    return reg.get(plugin_class.code)


def subsidy(rules, kind, year, recognised_on, park=None, grade="qualified"):
    context = SubsidyContext(park=park or ParkFacts(name="测试产业园"), year=year, recognised_on=recognised_on,
                             recognition_status="active", grades={year: grade} if grade else {})
    return next(p for p in rules.subsidies(context) if p.kind == kind)


def cited(rules, pid, year):
    return rules.parameters.get(pid).citation_at(datetime.date(year, 12, 31))[0]


# --- Karamay 第二十条: the operating subsidy of each year ---------------------------------------------


def test_karamays_operating_subsidy_of_each_year_at_that_years_rate(tmp_path):
    karamay = revised(tmp_path, KaramayPlugin, {"operating_subsidy_per_year": ("第二十条（2027年修订，测试）", 600000)})
    recognised = datetime.date(2026, 5, 20)
    before, after = (subsidy(karamay, "operating", year, recognised) for year in (BEFORE, AFTER))
    assert (before.amount, before.due, before.article) == (Decimal("500000"), True, "第十八条、第二十条")
    assert (after.amount, after.due, after.article) == (Decimal("600000"), True, "第十八条、第二十条")
    assert "第1年（共3年）" in before.explanation and "每年50万元 × 1 = 50万元" in before.explanation
    assert "第2年（共3年）" in after.explanation and "每年60万元 × 1 = 60万元" in after.explanation
    assert (cited(karamay, "operating_subsidy_per_year", BEFORE), cited(karamay, "operating_subsidy_per_year", AFTER)) == (
        "第二十条", "第二十条（2027年修订，测试）")


# --- Changzhi 第九条: the award of the year of recognition -------------------------------------------


def test_changzhis_award_of_a_park_recognised_before_and_after_the_change(tmp_path):
    changzhi = revised(tmp_path, ChangzhiPlugin, {"recognition_award": ("第九条（2027年修订，测试）", 1000000)})
    before = subsidy(changzhi, "recognition_award", BEFORE, datetime.date(2026, 12, 31))
    after = subsidy(changzhi, "recognition_award", AFTER, datetime.date(2027, 1, 1))
    assert (before.amount, before.article) == (Decimal("800000"), "第九条") and "一次性奖励80万元" in before.explanation
    assert (after.amount, after.article) == (Decimal("1000000"), "第九条") and "一次性奖励100万元" in after.explanation
    assert cited(changzhi, "recognition_award", AFTER) == "第九条（2027年修订，测试）"


@pytest.mark.parametrize("recognised_on, amount", [(datetime.date(2027, 6, 30), "800000"), (datetime.date(2027, 7, 1), "1000000")])
def test_the_award_is_the_standard_of_the_day_of_recognition_as_the_reply_says(tmp_path, recognised_on, amount):
    """A change from 1 July 2027: a park recognised on 30 June gets the old award, as its approval reply
    states it, not the standard the year ends with."""
    changzhi = revised(tmp_path, ChangzhiPlugin, {"recognition_award": ("第九条（年中修订，测试）", 1000000)},
                       start=datetime.date(2027, 7, 1))
    award = subsidy(changzhi, "recognition_award", 2027, recognised_on)
    assert award.amount == Decimal(amount)
    reply = approval_reply_context(SimpleNamespace(recognised_on=recognised_on), {"park": {"county_bureau": "", "applicant": "园"}},
                                   changzhi)
    assert reply["award"]["figures"] == yuan_figures(Decimal(amount))


# --- Changzhi 第十条: the grant of each year ------------------------------------------------------------


def grant_park(promoted, total=10000):
    years = (BEFORE, AFTER)
    return ParkFacts(name="测试产业园", years={y: ParkYearFacts(y, employment_promoted=promoted) for y in years},
                     jurisdiction_years={y: JurisdictionYearFacts(y, {"urban_new_jobs": total - 4000, "rural_transfer": 4000}, set_by="changzhi") for y in years})


@pytest.mark.parametrize("pid, value, promoted, old, new", [
    ("base_operating_grant", 350000, 2000, "315000", "365000"),  # line 1500: base + 30 × 500
    ("bonus_per_person", 40, 2000, "315000", "320000"),          # 300000 + 40 × 500
    ("max_annual_grant", 600000, 9000, "500000", "525000"),      # 300000 + 30 × 7500 = 525000, capped at the year's cap
    ("employment_ratio", 0.2, 1600, "303000", "0"),              # the line: 15 % (1500) reached, 20 % (2000) not
])
def test_changzhis_grant_of_each_year_with_that_years_number(tmp_path, pid, value, promoted, old, new):
    changzhi = revised(tmp_path, ChangzhiPlugin, {pid: ("第十条（2027年修订，测试）", value)})
    park = grant_park(promoted)
    before, after = (subsidy(changzhi, "operating_grant", year, datetime.date(2025, 3, 1), park) for year in (BEFORE, AFTER))
    assert (before.amount, after.amount) == (Decimal(old), Decimal(new))
    assert before.article == after.article == "第十条"
    assert (cited(changzhi, pid, BEFORE), cited(changzhi, pid, AFTER)) == ("第十条", "第十条（2027年修订，测试）")


# --- Luzhou's own 第九条 and 第十条 ----------------------------------------------------------------------


def test_luzhous_award_and_grant_with_the_numbers_of_its_own_revision(tmp_path):
    luzhou = revised(tmp_path, LuzhouPlugin, {"recognition_award": ("潞州区办法第九条（2027年修订，测试）", 250000),
                                              "base_operating_grant": ("潞州区办法第十条（2027年修订，测试）", 120000)})
    award_before = subsidy(luzhou, "recognition_award", BEFORE, datetime.date(2026, 12, 31))
    award_after = subsidy(luzhou, "recognition_award", AFTER, datetime.date(2027, 1, 1))
    assert (award_before.amount, award_after.amount) == (Decimal("200000"), Decimal("250000"))
    assert award_before.article == award_after.article == "潞州区办法第九条"
    assert "潞州区级人力资源服务产业园，区级财政一次性奖励25万元" in award_after.explanation
    park = grant_park(2000)
    for year in (BEFORE, AFTER):
        park.jurisdiction_years[year] = JurisdictionYearFacts(year, {"urban_new_jobs": 6000, "rural_transfer": 4000}, set_by="changzhi-luzhou")
    before, after = (subsidy(luzhou, "operating_grant", year, datetime.date(2025, 3, 1), park) for year in (BEFORE, AFTER))
    assert (before.amount, after.amount) == (Decimal("110000"), Decimal("130000"))  # base + 20 × 500
    assert before.article == after.article == "潞州区办法第十条" and "全区2027年度任务10000人" in after.explanation
    assert cited(luzhou, "base_operating_grant", AFTER) == "潞州区办法第十条（2027年修订，测试）"
    assert cited(luzhou, "base_operating_grant", BEFORE) == "潞州区办法第十条"


# --- through the service, from the database ---------------------------------------------------------------


def test_the_service_computes_each_recognitions_award_with_its_years_number(tmp_path, world, registry):
    changzhi = revised(tmp_path, ChangzhiPlugin, {"recognition_award": ("第九条（2027年修订，测试）", 1000000)})
    set_registry(registry_with(registry, "changzhi", changzhi.plugin))
    try:
        amounts = {}
        for day in (datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)):
            park = make_park(world["shangdang"], name=f"上党{day.year}人力资源服务产业园", year=day.year - 1)
            recognition = Recognition.create(park=park, jurisdiction=world["shangdang"], recognised_on=day,
                                             official_name=f"长治上党{day.year}人力资源服务产业园")
            award = next(p for p in compute(recognition, day.year) if p.kind == "recognition_award")
            amounts[day.year] = (award.amount, award.article, award.due)
        assert amounts == {2026: (Decimal("800000"), "第九条", True), 2027: (Decimal("1000000"), "第九条", True)}
    finally:
        set_registry(registry)
