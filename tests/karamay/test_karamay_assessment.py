"""第十六条至第十八条: indicators, grade tiers and the consequences of a grade history."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
from decimal import Decimal

import pytest

from core.rules.assessment import KINDS, GradeRecord

TODAY = datetime.date.today()


def test_art17_indicators_quantitative_and_qualitative(karamay):
    indicators = karamay.indicators(RULES_DAY)
    assert [(i.id, i.group) for i in indicators] == [
        ("agencies", "定量"), ("revenue", "定量"), ("tax", "定量"), ("employment", "定量"),
        ("service_products", "定量"), ("events", "定量"), ("fund_use", "定量"),
        ("plan", "定性"), ("management", "定性"), ("service_quality", "定性"), ("event_effect", "定性"),
        ("social_benefit", "定性"),
    ]
    labels = {i.id: i.label for i in indicators}
    assert labels["fund_use"] == "奖补资金使用情况" and labels["event_effect"] == "活动效果"
    assert all(i.article == "第十七条" and i.label_en for i in indicators)


def test_art17_weights_are_local_default_parameters(karamay):
    for indicator in karamay.indicators(RULES_DAY):
        assert indicator.weight_param == f"weight_{indicator.id}"
        parameter = karamay.parameters.get(indicator.weight_param)
        assert parameter.local_default is True
        assert indicator.weight == parameter.at(TODAY)
    assert sum(i.weight for i in karamay.indicators(RULES_DAY)) == 100


def test_art18_grade_tiers_from_parameters(karamay):
    tiers = karamay.grade_tiers(RULES_DAY)
    assert [(t.grade, t.min_score, t.label, t.article, t.cutoff_param) for t in tiers] == [
        ("excellent", Decimal("90"), "优秀", "第十八条", "grade_excellent_min"),
        ("qualified", Decimal("60"), "合格", "第十八条", "grade_qualified_min"),
        ("unqualified", 0, "不合格", "第十八条", ""),
    ]
    for tier in tiers[:2]:
        assert karamay.parameters.get(tier.cutoff_param).local_default is True


def _all(score):
    return {"agencies": score, "revenue": score, "tax": score, "employment": score, "service_products": score,
            "events": score, "fund_use": score, "plan": score, "management": score, "service_quality": score,
            "event_effect": score, "social_benefit": score}


@pytest.mark.parametrize(
    "score, grade",
    [("90", "excellent"), ("89.99", "qualified"), ("60", "qualified"), ("59.99", "unqualified"), ("0", "unqualified"),
     ("100", "excellent")],
)
def test_art18_grade_cutoffs_include_the_cutoff(karamay, score, grade):
    total, got = karamay.grade(_all(Decimal(score)), RULES_DAY)
    assert total == Decimal(score)
    assert got == grade


def test_art18_weighted_total_uses_the_weights(karamay):
    scores = _all(Decimal("100"))
    for qualitative in ("plan", "management", "service_quality", "event_effect", "social_benefit"):
        scores[qualitative] = Decimal("0")
    total, grade = karamay.grade(scores, RULES_DAY)
    assert total == Decimal("70.00")  # 7 quantitative × 10 points out of 100
    assert grade == "qualified"


def test_art18_excellent_grants_the_subsidy_and_commends(karamay):
    consequences = karamay.consequences([GradeRecord(2026, "excellent")], RULES_DAY)
    assert [(c.kind, c.year) for c in consequences] == [("grant_subsidy", 2026), ("commendation", None)]
    assert consequences[1].explanation == "2026年度综合评估优秀，予以通报表扬"
    assert all(c.article.startswith("第十八条") and c.explanation_en for c in consequences)


def test_art18_qualified_grants_the_subsidy_only(karamay):
    consequences = karamay.consequences([GradeRecord(2026, "qualified")], RULES_DAY)
    assert [(c.kind, c.year) for c in consequences] == [("grant_subsidy", 2026)]
    assert "合格" in consequences[0].explanation


@pytest.mark.parametrize("rectification", [None, "pending"])
def test_art18_unqualified_criticised_rectify_and_withheld(karamay, rectification):
    consequences = karamay.consequences([GradeRecord(2025, "qualified"), GradeRecord(2026, "unqualified", rectification)], RULES_DAY)
    assert [c.kind for c in consequences] == ["criticism", "rectify", "withhold_subsidy"]
    rectify = consequences[1]
    assert rectify.deadline_months == 6
    assert rectify.deadline_months == karamay.parameters.value("rectification_months", TODAY)
    withhold = consequences[2]
    assert withhold.year == 2026
    assert "当年不予兑现运营补贴" in withhold.explanation
    assert all(c.article == "第十八条" for c in consequences)


def test_art18_still_unqualified_after_rectification_revokes(karamay):
    consequences = karamay.consequences([GradeRecord(2026, "unqualified", "failed")], RULES_DAY)
    kinds = [c.kind for c in consequences]
    assert "revoke" in kinds and "withhold_subsidy" in kinds
    assert "rectify" not in kinds
    revoke = next(c for c in consequences if c.kind == "revoke")
    assert "整改期满仍不合格" in revoke.explanation and "取消其市级人力资源服务产业园资格" in revoke.explanation


def test_art18_rectified_keeps_recognition_but_not_the_years_subsidy(karamay):
    consequences = karamay.consequences([GradeRecord(2026, "unqualified", "passed")], RULES_DAY)
    kinds = [c.kind for c in consequences]
    assert "revoke" not in kinds and "rectify" not in kinds
    withhold = next(c for c in consequences if c.kind == "withhold_subsidy")
    assert withhold.year == 2026 and "仍不予兑现" in withhold.explanation


def test_art18_only_the_latest_record_counts(karamay):
    history = [GradeRecord(2025, "unqualified", "passed"), GradeRecord(2026, "excellent")]
    assert [c.kind for c in karamay.consequences(history, RULES_DAY)] == ["grant_subsidy", "commendation"]
    assert karamay.consequences([], RULES_DAY) == []


def test_art18_every_consequence_kind_is_known(karamay):
    histories = [[GradeRecord(2026, g, r)] for g in ("excellent", "qualified") for r in (None,)] + [
        [GradeRecord(2026, "unqualified", r)] for r in (None, "pending", "passed", "failed")]
    for history in histories:
        for consequence in karamay.consequences(history, RULES_DAY):
            assert consequence.kind in KINDS


@pytest.mark.parametrize("record, text", [(GradeRecord(2026, "good"), "等次“good”无法识别"),
                                          (GradeRecord(2026, "unqualified", "done"), "整改结果“done”无法识别")])
def test_art18_unknown_grade_or_rectification_is_refused(karamay, record, text):
    with pytest.raises(ValueError, match=text):
        karamay.consequences([record], RULES_DAY)
