"""core.rules.criteria: number formatting for explanations, reviewer decisions on results, and the outcome of
an evaluation for every mix of statuses."""
import datetime
from decimal import Decimal

import pytest

from core.rules.criteria import (
    JUDGED_MET,
    JUDGED_NOT_MET,
    MET,
    NEEDS_JUDGEMENT,
    NOT_MET,
    NOT_MET_WAIVABLE,
    WAIVED,
    Criterion,
    CriterionResult,
    Evaluation,
    apply_decisions,
    default_as_of,
    fmt_number,
    fmt_yuan,
    fmt_yuan_en,
    judgement_criterion,
)


@pytest.mark.parametrize(
    "value, text",
    [
        (1999, "1999"),
        (Decimal("2000.50"), "2000.5"),
        (Decimal("2000.00"), "2000"),
        (Decimal("30000000"), "30000000"),  # not 3E+7
        (Decimal("3E+7"), "30000000"),
        (Decimal("0.15"), "0.15"),
        (Decimal("0.00"), "0"),
        (Decimal("-1.50"), "-1.5"),
        (Decimal("3000000.01"), "3000000.01"),
    ],
)
def test_fmt_number_writes_numbers_as_an_official_does(value, text):
    assert fmt_number(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (30000000, "3000万元"),
        (Decimal("500000.00"), "50万元"),
        (Decimal("50000000"), "5000万元"),
        (Decimal("3000000.01"), "3000000.01元"),
        (Decimal("2999999.99"), "2999999.99元"),
        (Decimal("303000"), "303000元"),
        (Decimal("15000"), "15000元"),
        (0.1, "0.1元"),  # a float slipped in: no 0.1000000000000000055511151231257827元
    ],
)
def test_fmt_yuan_uses_wan_only_when_round(value, text):
    assert fmt_yuan(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (Decimal("3000000"), "CNY 3,000,000"),
        (Decimal("3000000.01"), "CNY 3,000,000.01"),
        (Decimal("1000.50"), "CNY 1,000.50"),
        (0.1, "CNY 0.10"),
    ],
)
def test_fmt_yuan_en(value, text):
    assert fmt_yuan_en(value) == text


def always(status):
    return lambda criterion, ctx: criterion.result(status, explanation="说明", explanation_en="explanation")


def result(criterion_id, status):
    return CriterionResult(criterion_id, "第六条", "标题", "title", status)


def test_a_failing_in_principle_criterion_is_waivable_and_a_strict_one_is_not():
    strict = Criterion("operator", "第六条第（四）项", "运营", "operator", always(NOT_MET))
    in_principle = Criterion("branch_sites", "第六条第（二）项", "分园区", "branch sites", always(NOT_MET), waivable=True)
    assert strict.run(None).status == NOT_MET
    assert in_principle.run(None).status == NOT_MET_WAIVABLE
    met = Criterion("branch_sites", "第六条第（二）项", "分园区", "branch", always(MET), waivable=True, source="changzhi")
    assert (met.run(None).status, met.run(None).source) == (MET, "changzhi")


def test_a_result_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="unknown status 'passed'"):
        result("x", "passed")


def test_a_judgement_criterion_asks_the_reviewer():
    criterion = judgement_criterion("social_benefit", "第六条第（五）项", "社会效益", "social benefit", "请评审", "please judge", "changzhi")
    r = criterion.run(None)
    assert (r.status, r.explanation, r.source, criterion.judgement) == (NEEDS_JUDGEMENT, "请评审", "changzhi", True)


def test_apply_decisions_records_verdicts_and_waivers_with_their_reasons():
    results = [
        result("plan", NEEDS_JUDGEMENT),
        result("social_benefit", NEEDS_JUDGEMENT),
        result("branch_sites", NOT_MET_WAIVABLE),
        result("site_area", NOT_MET),
        result("operator", MET),
        result("facilities", NEEDS_JUDGEMENT),
    ]
    apply_decisions(
        results,
        verdicts={"plan": (True, "规划论证充分"), "social_benefit": (False, "公益活动不足"), "site_area": (True, "想放行")},
        waivers={"branch_sites": "第四个分园区经市局同意保留", "site_area": "想豁免", "operator": "无关"},
    )
    finals = {r.criterion_id: (r.final_status, r.verdict_remark, r.waiver_reason) for r in results}
    assert finals == {
        "plan": (JUDGED_MET, "规划论证充分", ""),
        "social_benefit": (JUDGED_NOT_MET, "公益活动不足", ""),
        "branch_sites": (WAIVED, "", "第四个分园区经市局同意保留"),
        "site_area": (NOT_MET, "", ""),  # a computed, strict failure is neither judged nor waived
        "operator": (MET, "", ""),
        "facilities": (NEEDS_JUDGEMENT, "", ""),  # no verdict yet
    }
    assert [r.status for r in results][:3] == [NEEDS_JUDGEMENT, NEEDS_JUDGEMENT, NOT_MET_WAIVABLE]  # kept


def test_a_waiver_does_not_answer_a_judgement_nor_a_verdict_a_waivable_rule():
    judged, waivable = result("plan", NEEDS_JUDGEMENT), result("branch_sites", NOT_MET_WAIVABLE)
    apply_decisions([judged, waivable], verdicts={"branch_sites": (True, "x")}, waivers={"plan": "y"})
    assert (judged.final_status, waivable.final_status) == (NEEDS_JUDGEMENT, NOT_MET_WAIVABLE)


@pytest.mark.parametrize(
    "finals, outcome",
    [
        ([MET], "eligible"),
        ([MET, WAIVED, JUDGED_MET], "eligible"),
        ([MET, NOT_MET], "not_eligible"),
        ([MET, JUDGED_NOT_MET], "not_eligible"),
        ([NOT_MET, NEEDS_JUDGEMENT, NOT_MET_WAIVABLE], "not_eligible"),  # a strict failure decides
        ([JUDGED_NOT_MET, NOT_MET_WAIVABLE], "not_eligible"),
        ([MET, NOT_MET_WAIVABLE], "pending"),  # a waiver still to be recorded
        ([MET, NEEDS_JUDGEMENT], "pending"),  # a verdict still to be given
        ([WAIVED, JUDGED_MET, NEEDS_JUDGEMENT], "pending"),
    ],
)
def test_evaluation_outcome_for_each_combination(finals, outcome):
    results = []
    for n, final in enumerate(finals):
        base = {WAIVED: NOT_MET_WAIVABLE, JUDGED_MET: NEEDS_JUDGEMENT, JUDGED_NOT_MET: NEEDS_JUDGEMENT}.get(final, final)
        r = result(f"c{n}", base)
        r.final_status = final
        results.append(r)
    evaluation = Evaluation("changzhi", "示范园", 2026, datetime.date(2026, 6, 30), results)
    assert evaluation.outcome == outcome
    assert evaluation.as_dict()["outcome"] == outcome
    assert [r.blocking for r in results] == [f in (NOT_MET, NOT_MET_WAIVABLE, NEEDS_JUDGEMENT, JUDGED_NOT_MET) for f in finals]


def test_a_result_as_dict_keeps_money_exact_and_dates_as_text():
    r = CriterionResult(
        "agency_revenue", "第六条第（三）项", "营收", "revenue", MET,
        measured={"total": Decimal("30000000.00"), "counts": [Decimal("3000000.01")]},
        required=Decimal("30000000"),
    )
    data = r.as_dict()
    assert data["measured"] == {"total": "30000000.00", "counts": ["3000000.01"]}
    assert data["required"] == "30000000"
    evaluation = Evaluation("changzhi", "示范园", 2026, datetime.date(2026, 6, 30), [r])
    assert evaluation.as_dict()["as_of"] == "2026-06-30"
    assert evaluation.by_id("agency_revenue") is r
    with pytest.raises(KeyError):
        evaluation.by_id("site_area")


@pytest.mark.parametrize(
    "year, today, as_of",
    [
        (2025, datetime.date(2026, 3, 1), datetime.date(2025, 12, 31)),  # a past year: its last day
        (2026, datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),  # the running year: today
        (2026, datetime.date(2026, 12, 31), datetime.date(2026, 12, 31)),
        (2027, datetime.date(2026, 3, 1), datetime.date(2027, 12, 31)),  # a future year: its last day
    ],
)
def test_default_as_of(year, today, as_of):
    assert default_as_of(year, today) == as_of
