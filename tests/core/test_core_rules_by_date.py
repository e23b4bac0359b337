"""Every rule takes its date (issue 12): a hook is asked for the day it judges, as OpenFisca's formulas
receive their period. An assessment of year Y is graded with Y's weights and cut-offs whenever it is
entered; a grade's consequences use the rectification period in force the day it was given; the
criteria are those of the application's as-of day. Each on both sides of a dated change, for both
cities (subsidies: test_core_subsidy_by_date.py)."""
import datetime
from decimal import Decimal

import pytest

from core.rules.assessment import GradeRecord, assessment_day
from core.rules.facts import AgencyFacts, ParkFacts
from core.records.models import Recognition
from core.plugin.registry import set_registry
from core.rules.programmes import governing_rules
from core.records.services import assessments
from plugins.changzhi import ChangzhiPlugin
from plugins.karamay import KaramayPlugin
from tests.builders import actor, make_park, registry_with

REVISION = datetime.date(2027, 1, 1)

LOCAL = "本地默认值（测试修订）"


def overrides(changes):
    """An `overrides:` file of {parameter id: (reference, {day: value})}."""
    lines = ["overrides:"]
    for pid, (reference, values) in changes.items():
        dated = ", ".join(f"{day}: {value}" for day, value in values.items())
        lines += [f"  {pid}:", f"    reference: {reference}", f"    values: {{{dated}}}"]
    return "\n".join(lines) + "\n"


# A revision of Changzhi's local defaults from 2027: 优秀 from 92 instead of 90, economic development
# weighted 50 instead of 40, rectification within 3 months instead of 6 from 2027-03-01; and 12
# resident agencies instead of 10.
REVISED = overrides({
    "grade_excellent_min": (LOCAL, {"2024-01-01": 90, "2027-01-01": 92}),
    "weight_economic_development": (LOCAL, {"2024-01-01": 40, "2027-01-01": 50}),
    "weight_role_played": (LOCAL, {"2024-01-01": 30, "2027-01-01": 20}),
    "rectification_months": (LOCAL, {"2024-01-01": 6, "2027-03-01": 3}),
    "min_agencies": ("第六条第（三）项（测试修订）", {"2024-01-01": 10, "2027-01-01": 12}),
})


def revised(tmp_path, registry, plugin_class, text):
    """`registry` with `plugin_class` reading the overrides `text` on top of its own numbers."""
    path = tmp_path / f"{plugin_class.code}-revised.yaml"
    path.write_text(text, encoding="utf-8")
    reg = registry_with(registry, plugin_class.code, type("Revised", (plugin_class,), {"parameter_overrides_file": path})())
    assert not reg.failures, [str(f) for f in reg.failures]
    return reg


@pytest.fixture
def changzhi(tmp_path, registry):
    reg = set_registry(revised(tmp_path, registry, ChangzhiPlugin, REVISED))
    yield reg.get("changzhi")
    set_registry(registry)


# 91.00 under either year's weights: 优秀 by 2026's cut-off (90), 合格 by 2027's (92).
AT_91 = {"economic_development": 100, "role_played": 100, "operation_management": 70}


def test_the_weights_of_the_year_assessed(changzhi):
    weights = {i.id: i.weight for i in changzhi.indicators(assessment_day(2026))}
    assert weights == {"economic_development": 40, "role_played": 30, "operation_management": 30}
    assert {i.id: i.weight for i in changzhi.indicators(assessment_day(2027))}["economic_development"] == 50
    scores = {"economic_development": 100, "role_played": 50, "operation_management": 80}
    assert changzhi.grade(scores, assessment_day(2026))[0] == Decimal("79.00")  # 40 + 15 + 24
    assert changzhi.grade(scores, assessment_day(2027))[0] == Decimal("84.00")  # 50 + 10 + 24


def test_the_cut_offs_of_the_year_assessed(changzhi):
    def cut_offs(year):
        return {t.grade: t.min_score for t in changzhi.grade_tiers(assessment_day(year))}

    assert (cut_offs(2026)["excellent"], cut_offs(2027)["excellent"]) == (90, 92)
    assert changzhi.grade(AT_91, assessment_day(2026)) == (Decimal("91.00"), "excellent")
    assert changzhi.grade(AT_91, assessment_day(2027)) == (Decimal("91.00"), "qualified")
    assert changzhi.grade(AT_91, datetime.date(2026, 12, 31))[1] == "excellent"  # the day before the revision


def test_the_rectification_period_of_the_day_the_grade_was_given(changzhi):
    history = [GradeRecord(2026, "unqualified")]

    def months(on):
        return next(c.deadline_months for c in changzhi.consequences(history, on) if c.kind == "rectify")

    assert months(datetime.date(2027, 2, 28)) == 6
    assert months(datetime.date(2027, 3, 1)) == 3


def test_a_2026_assessment_entered_in_2027_is_graded_by_2026s_rules(changzhi, world):
    park = make_park(world["shangdang"], name="上党人力资源服务产业园", year=2025)
    recognition = Recognition.create(park=park, jurisdiction=world["shangdang"], official_name="长治上党人力资源服务产业园",
                                     recognised_on=datetime.date(2025, 3, 1))
    assert governing_rules(recognition).code == "changzhi"
    officer = actor("city_officer", world["changzhi"])
    for year, grade in ((2026, "excellent"), (2027, "qualified")):
        assessment = assessments.create_assessment(recognition, year, AT_91, officer,
                                                   assessed_on=datetime.date(2028, 3, 1))
        assert assessment.grade == grade, year
    unqualified = {"economic_development": 40, "role_played": 40, "operation_management": 40}
    for assessed_on, months in ((datetime.date(2027, 2, 28), 6), (datetime.date(2027, 3, 1), 3)):
        assessment = assessments.create_assessment(recognition, 2025 if months == 6 else 2028, unqualified, officer,
                                                   assessed_on=assessed_on)
        rectify = next(c for c in assessments.preview_consequences(assessment) if c.kind == "rectify")
        assert rectify.deadline_months == months, assessed_on


def test_the_criteria_of_the_day_judged(changzhi):
    """第六条第（三）项 read on each side of the change: 11 licensed agencies meet 10, not 12."""
    agencies = [AgencyFacts(name=f"机构{n}", admitted_on=datetime.date(2024, 1, 1)) for n in range(11)]
    park = ParkFacts(name="上党人力资源服务产业园", jurisdiction="changzhi", agencies=agencies)

    def agency_count(on):
        return changzhi.evaluate(park, on.year, as_of=on).by_id("agency_count")

    before, after = agency_count(datetime.date(2026, 12, 31)), agency_count(REVISION)
    assert (before.status, before.required) == ("met", 10)
    assert (after.status, after.required) == ("not_met_waivable", 12) and "少于12家，差1家" in after.explanation


# Karamay: its own local defaults revised from 2027 (优秀 from 92, rectification within 3 months).
KARAMAY_REVISED = overrides({
    "grade_excellent_min": (LOCAL, {"2025-01-01": 90, "2027-01-01": 92}),
    "weight_agencies": (LOCAL, {"2025-01-01": 10, "2027-01-01": 20}),
    "rectification_months": (LOCAL, {"2025-01-01": 6, "2027-01-01": 3}),
})


@pytest.fixture
def karamay(tmp_path, registry):
    return revised(tmp_path, registry, KaramayPlugin, KARAMAY_REVISED).get("karamay")


def test_karamays_indicators_tiers_and_consequences_of_their_day(karamay):
    last_day, first_day = datetime.date(2026, 12, 31), REVISION
    weights = {day: {i.id: i.weight for i in karamay.indicators(day)}["agencies"] for day in (last_day, first_day)}
    assert weights == {last_day: 10, first_day: 20}
    tiers = {day: {t.grade: t.min_score for t in karamay.grade_tiers(day)}["excellent"] for day in (last_day, first_day)}
    assert tiers == {last_day: 90, first_day: 92}
    history = [GradeRecord(2026, "unqualified")]
    months = {day: next(c.deadline_months for c in karamay.consequences(history, day) if c.kind == "rectify")
              for day in (last_day, first_day)}
    assert months == {last_day: 6, first_day: 3}
