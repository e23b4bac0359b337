"""第十八条–第二十条: indicators, grade tiers at their cut-offs, and what a grade history leads to."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
from decimal import Decimal

import pytest

from core.rules.assessment import KINDS, GradeRecord


def kinds(consequences):
    return [c.kind for c in consequences]


def test_art19_three_indicators_with_local_default_weights(changzhi):
    indicators = changzhi.indicators(RULES_DAY)
    assert [(i.id, i.label, i.article) for i in indicators] == [
        ("economic_development", "经济发展情况", "第十九条第（一）项"),
        ("role_played", "作用发挥情况", "第十九条第（二）项"),
        ("operation_management", "运营管理水平", "第十九条第（三）项"),
    ]
    assert [i.weight for i in indicators] == [Decimal(40), Decimal(30), Decimal(30)]
    for i in indicators:
        assert i.weight_param == f"weight_{i.id}"
        assert changzhi.parameters.get(i.weight_param).local_default is True


def test_art20_grade_tiers_from_local_default_cutoffs(changzhi):
    tiers = changzhi.grade_tiers(RULES_DAY)
    assert [(t.grade, t.min_score, t.label) for t in tiers] == [
        ("excellent", Decimal(90), "优秀"), ("qualified", Decimal(60), "合格"), ("unqualified", Decimal(0), "不合格"),
    ]
    assert {t.article for t in tiers} == {"第二十条"}
    for t in tiers[:2]:
        assert changzhi.parameters.get(t.cutoff_param).local_default is True


def scores(value):
    return {"economic_development": value, "role_played": value, "operation_management": value}


@pytest.mark.parametrize("score, grade", [
    ("89.99", "qualified"), ("90", "excellent"), ("59.99", "unqualified"), ("60", "qualified"), ("0", "unqualified"),
])
def test_art20_grade_cutoffs_include_the_cutoff(changzhi, score, grade):
    total, got = changzhi.grade(scores(score), RULES_DAY)
    assert total == Decimal(score)
    assert got == grade


def test_art19_weighted_total(changzhi):
    total, grade = changzhi.grade({"economic_development": 100, "role_played": 80, "operation_management": 80}, RULES_DAY)
    assert total == Decimal("88.00")  # (40×100 + 30×80 + 30×80) / 100
    assert grade == "qualified"


def test_art18_assessment_in_the_first_quarter(changzhi):
    parameter = changzhi.parameters.get("assessment_quarter")
    assert parameter.reference == "第十八条"
    assert parameter.values[0][1] == 1


# --- 第二十条 consequences ---------------------------------------------------------------------


def test_art20_1_excellent_grants_commends_and_recommends(changzhi):
    result = changzhi.consequences([GradeRecord(2025, "excellent")], RULES_DAY)
    assert kinds(result) == ["grant_subsidy", "commendation", "recommend_provincial"]
    assert {c.article for c in result} == {"第二十条第（一）项"}
    assert result[0].year == 2025
    assert "全市通报表扬" in result[1].explanation
    assert "省级" in result[2].explanation


def test_art20_1_qualified_grants_only(changzhi):
    result = changzhi.consequences([GradeRecord(2025, "qualified")], RULES_DAY)
    assert kinds(result) == ["grant_subsidy"]
    assert result[0].year == 2025


def test_issue_11_item_17_art20_2_unqualified_rectifies_and_holds_that_years_grant(changzhi):
    result = changzhi.consequences([GradeRecord(2024, "qualified"), GradeRecord(2025, "unqualified", "pending")], RULES_DAY)
    assert kinds(result) == ["rectify", "hold_subsidy"]
    rectify, hold = result
    assert rectify.deadline_months == 6
    assert rectify.article == "第二十条第（二）项"
    assert rectify.failure_from_deadline is False  # “整改后仍不合格”: no 期满 in Changzhi's text
    assert hold.year == 2025
    assert hold.article == "第二十条第（一）项、第（二）项"
    assert hold.subsidy_kinds == ("operating_grant",)  # the 第九条 award rewards recognition itself
    assert "合格及以上" in hold.explanation and "暂缓兑现" in hold.explanation


def test_issue_11_item_17_art20_2_a_passed_rectification_releases_the_held_grant(changzhi):
    assert kinds(changzhi.consequences([GradeRecord(2025, "unqualified")], RULES_DAY)) == ["rectify", "hold_subsidy"]
    (release,) = changzhi.consequences([GradeRecord(2025, "unqualified", "passed")], RULES_DAY)
    assert (release.kind, release.year, release.article) == ("release_subsidy", 2025, "第二十条第（二）项")
    assert release.subsidy_kinds == ("operating_grant",) and "恢复兑现" in release.explanation


def test_art20_2_rectification_months_is_a_local_default(changzhi):
    parameter = changzhi.parameters.get("rectification_months")
    assert parameter.local_default is True
    assert parameter.reference.startswith("办法未规定，本地默认值")


@pytest.mark.parametrize("outcome", [None, "pending", "passed"])
def test_art20_2_no_cancellation_unless_rectification_failed(changzhi, outcome):
    result = changzhi.consequences([GradeRecord(2025, "unqualified", outcome)], RULES_DAY)
    assert "cancel_previous_cycle_subsidy" not in kinds(result)


def test_art20_2_still_unqualified_after_rectification_cancels_that_cycles_subsidy(changzhi):
    result = changzhi.consequences([GradeRecord(2024, "qualified"), GradeRecord(2025, "unqualified", "failed")], RULES_DAY)
    assert kinds(result) == ["cancel_previous_cycle_subsidy"]
    cancel = result[-1]
    assert cancel.year == 2025  # the cycle just assessed
    assert cancel.subsidy_kinds == ("operating_grant",)
    assert cancel.article == "第二十条第（二）项"
    assert "整改后仍不合格" in cancel.explanation
    assert "revoke" not in kinds(result)


@pytest.mark.parametrize("outcome", [None, "pending", "passed", "failed"])
def test_art20_2_two_consecutive_unqualified_revoke_whatever_the_rectification(changzhi, outcome):
    history = [GradeRecord(2024, "unqualified", "passed"), GradeRecord(2025, "unqualified", outcome)]
    result = changzhi.consequences(history, RULES_DAY)
    assert "revoke" in kinds(result)
    revoke = next(c for c in result if c.kind == "revoke")
    assert revoke.article == "第二十条第（二）项"
    assert "2024年度、2025年度连续两次" in revoke.explanation


def test_art20_2_unqualified_years_with_a_gap_do_not_revoke(changzhi):
    result = changzhi.consequences([GradeRecord(2023, "unqualified", "passed"), GradeRecord(2025, "unqualified")], RULES_DAY)
    assert "revoke" not in kinds(result)


def test_art20_2_a_qualified_year_between_does_not_revoke(changzhi):
    history = [GradeRecord(2023, "unqualified", "passed"), GradeRecord(2024, "qualified"), GradeRecord(2025, "unqualified")]
    assert "revoke" not in kinds(changzhi.consequences(history, RULES_DAY))


def test_art20_only_the_latest_record_counts(changzhi):
    history = [GradeRecord(2023, "unqualified"), GradeRecord(2024, "unqualified"), GradeRecord(2025, "qualified")]
    assert kinds(changzhi.consequences(history, RULES_DAY)) == ["grant_subsidy"]


def test_art20_empty_history_has_no_consequence(changzhi):
    assert changzhi.consequences([], RULES_DAY) == []


def test_art20_every_consequence_kind_is_known_and_bilingual(changzhi):
    histories = [
        [GradeRecord(2025, "excellent")],
        [GradeRecord(2024, "unqualified", "failed"), GradeRecord(2025, "unqualified", "failed")],
    ]
    for history in histories:
        for c in changzhi.consequences(history, RULES_DAY):
            assert c.kind in KINDS
            assert c.explanation and c.explanation_en
            assert c.article.startswith("第二十条")


@pytest.mark.parametrize("record, word", [
    (GradeRecord(2025, "good"), "考核等次"), (GradeRecord(2025, "unqualified", "done"), "整改结果"),
])
def test_art20_bad_history_is_refused_with_a_bilingual_message(changzhi, record, word):
    with pytest.raises(ValueError) as raised:
        changzhi.consequences([record], RULES_DAY)
    message = str(raised.value)
    assert word in message and "2025" in message and " — " in message
