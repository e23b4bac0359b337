"""第九条 (one-time award), 第十条 (yearly operating grant at its line and cap) and 第二十条 (only
合格 or better are paid), with property tests of the grant's invariants."""
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules.subsidy import SubsidyContext

YEAR = 2025
RECOGNISED = datetime.date(2024, 11, 20)


def proposals(changzhi, park, year=YEAR, recognised_on=RECOGNISED, grades=None, status="active", revoked_on=None,
              rectifications=None):
    ctx = SubsidyContext(
        park=park, year=year, recognised_on=recognised_on,
        recognition_status=status if recognised_on else None,
        grades={YEAR: "qualified"} if grades is None else grades, revoked_on=revoked_on,
        rectifications=rectifications or {},
    )
    return {p.rule_id: p for p in changzhi.subsidies(ctx)}


def grant(changzhi, park, **kwargs):
    return proposals(changzhi, park, **kwargs)["changzhi.operating_grant"]


def award(changzhi, park, **kwargs):
    return proposals(changzhi, park, **kwargs)["changzhi.recognition_award"]


# --- 第九条 -------------------------------------------------------------------------------------


def test_art9_one_time_award_in_the_year_of_recognition(changzhi, make_park):
    result = award(changzhi, make_park(), year=2024)
    assert result.due is True
    assert result.amount == Decimal("800000")
    assert result.kind == "recognition_award"
    assert result.article == "第九条"
    assert "一次性奖励80万元" in result.explanation


def test_art9_no_award_in_later_years(changzhi, make_park):
    result = award(changzhi, make_park(), year=2025)
    assert result.due is False
    assert result.amount == 0
    assert "一次性奖励已于2024年兑现" in result.explanation


def test_art9_no_award_without_recognition(changzhi, make_park):
    result = award(changzhi, make_park(), recognised_on=None)
    assert (result.due, result.amount) == (False, 0)
    assert "未被认定" in result.explanation


def test_art9_no_award_before_recognition(changzhi, make_park):
    result = award(changzhi, make_park(), year=2024, recognised_on=datetime.date(2025, 1, 2))
    assert (result.due, result.amount) == (False, 0)
    assert "2024年尚未认定" in result.explanation


def test_every_rule_answers_for_the_year(changzhi, make_park):
    result = proposals(changzhi, make_park(), recognised_on=None)
    assert set(result) == {"changzhi.recognition_award", "changzhi.operating_grant"}
    assert all(p.year == YEAR and p.source == "changzhi" for p in result.values())


# --- 第十条 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("promoted, due, amount", [(1499, False, 0), (1500, True, 300000), (1600, True, 303000)])
def test_art10_line_is_15_percent_of_the_city_targets(changzhi, make_grant_park, promoted, due, amount):
    result = grant(changzhi, make_grant_park(promoted=promoted))  # targets 8000 + 2000 = 10000, line 1500
    assert result.due is due
    assert result.amount == Decimal(amount)
    assert result.kind == "operating_grant"
    assert result.article == "第十条"
    if promoted == 1499:
        assert "未达到" in result.explanation and "差1人" in result.explanation
    if promoted == 1600:
        assert "促进就业1600人，达到全市2025年度任务10000人" in result.explanation
        assert "的15%（1500人）" in result.explanation
        assert "基础补助30万元 + 超出100人×30元 = 30.3万元" in result.explanation


@pytest.mark.parametrize("promoted, due, amount", [(1500, False, 0), (1501, True, 300000), (1502, True, 300030)])
def test_art10_a_fractional_line_needs_the_next_whole_person(changzhi, make_grant_park, promoted, due, amount):
    result = grant(changzhi, make_grant_park(promoted=promoted, urban=8001, rural=2000))  # 10001 × 15% = 1500.15
    assert (result.due, result.amount) == (due, Decimal(amount))
    if due:
        assert "1500.15人，即至少1501人" in result.explanation


@pytest.mark.parametrize("excess, amount", [(6666, 499980), (6667, 500000), (20000, 500000)])
def test_art10_total_per_year_at_most_500000(changzhi, make_grant_park, excess, amount):
    result = grant(changzhi, make_grant_park(promoted=1500 + excess))
    assert result.due is True
    assert result.amount == Decimal(amount)
    if excess >= 6667:
        assert "超过每年补助总额上限50万元，按50万元补助" in result.explanation
    else:
        assert "上限" not in result.explanation


def test_art10_cap_is_inclusive(changzhi, make_grant_park):
    # With a 50-yuan bonus, 4000 persons above the line reach exactly 50万元: paid in full, not cut.
    parameters = changzhi.parameters.overridden(
        {"bonus_per_person": {"reference": "第十条", "values": {"2024-01-01": 50}}}, {}, "test", "test"
    )
    ctx = SubsidyContext(park=make_grant_park(promoted=5500), year=YEAR, recognised_on=RECOGNISED,
                         recognition_status="active", grades={YEAR: "qualified"})
    from plugins.changzhi.subsidies import operating_grant

    ctx.parameters = parameters
    result = operating_grant(ctx)
    assert result.amount == Decimal("500000")
    assert "上限" not in result.explanation


def test_art10_missing_city_targets_means_nothing_can_be_computed(changzhi, make_grant_park):
    result = grant(changzhi, make_grant_park(urban=None))
    assert (result.due, result.amount) == (False, 0)
    assert "未录入全市年度目标任务" in result.explanation


def test_art10_missing_employment_figures_means_nothing_can_be_computed(changzhi, make_grant_park):
    result = grant(changzhi, make_grant_park(promoted=None))
    assert (result.due, result.amount) == (False, 0)
    assert "未录入园区2025年度促进就业人数" in result.explanation


def test_art10_requires_recognition(changzhi, make_grant_park):
    assert grant(changzhi, make_grant_park(), recognised_on=None).due is False
    later = grant(changzhi, make_grant_park(), recognised_on=datetime.date(2026, 1, 5))
    assert later.due is False and "2025年尚未认定" in later.explanation
    same_year = grant(changzhi, make_grant_park(), recognised_on=datetime.date(2025, 12, 31))
    assert same_year.due is True


@pytest.mark.parametrize("revoked_on, due", [
    (datetime.date(2025, 12, 31), False), (datetime.date(2026, 1, 1), True), (None, False),
])
def test_art10_nothing_after_revocation(changzhi, make_grant_park, revoked_on, due):
    result = grant(changzhi, make_grant_park(), status="revoked", revoked_on=revoked_on)
    assert result.due is due
    if not due:
        assert result.amount == 0 and "资格已于" in result.explanation


@pytest.mark.parametrize("outcome", [None, "pending"])
def test_issue_11_item_17_art20_unqualified_year_holds_the_grant_while_the_park_rectifies(changzhi, make_grant_park, outcome):
    """第二十条第（一）项 with 第（二）项: a 不合格 year's grant is held (暂缓), not paid and not lost."""
    result = grant(changzhi, make_grant_park(promoted=1600), grades={YEAR: "unqualified"},
                   rectifications={YEAR: outcome} if outcome else None)
    assert (result.due, result.held, result.withheld, result.amount) == (False, True, False, Decimal(303000))
    assert "考核不合格" in result.explanation and "暂缓兑现" in result.explanation and "30.3万元" in result.explanation
    assert result.article == "第十条、第二十条"


def test_issue_11_item_17_art20_2_a_passed_rectification_makes_the_grant_payable(changzhi, make_grant_park):
    result = grant(changzhi, make_grant_park(promoted=1600), grades={YEAR: "unqualified"}, rectifications={YEAR: "passed"})
    assert (result.due, result.held, result.withheld, result.amount) == (True, False, False, Decimal(303000))
    assert "经限期整改合格，予以兑现（第二十条第（二）项）" in result.explanation


def test_issue_11_item_17_art20_2_a_failed_rectification_leaves_nothing_due(changzhi, make_grant_park):
    result = grant(changzhi, make_grant_park(promoted=1600), grades={YEAR: "unqualified"}, rectifications={YEAR: "failed"})
    assert (result.due, result.held, result.withheld, result.amount) == (False, False, False, 0)
    assert "整改后仍不合格，取消该考核评估周期应划拨的补助资金30.3万元（第二十条第（二）项）" in result.explanation


def test_art18_grant_waits_for_the_assessment(changzhi, make_grant_park):
    result = grant(changzhi, make_grant_park(promoted=1600), grades={})
    assert (result.due, result.withheld, result.amount) == (False, False, 0)
    assert "待第一季度考核后兑现（第十八条" in result.explanation


@pytest.mark.parametrize("grade", ["excellent", "qualified"])
def test_art20_qualified_or_better_is_paid(changzhi, make_grant_park, grade):
    result = grant(changzhi, make_grant_park(promoted=1600), grades={YEAR: grade})
    assert (result.due, result.withheld, result.amount) == (True, False, Decimal(303000))


def test_art10_below_the_line_is_not_withheld_but_not_due(changzhi, make_grant_park):
    result = grant(changzhi, make_grant_park(promoted=10), grades={YEAR: "unqualified"})
    assert (result.due, result.withheld, result.amount) == (False, False, 0)


# --- property tests -----------------------------------------------------------------------------

targets = st.tuples(st.integers(0, 200000), st.integers(0, 100000))
promoted = st.integers(0, 100000)
grades = st.sampled_from(["excellent", "qualified", "unqualified", None])


def _grant_for(changzhi, make_grant_park, urban, rural, persons, grade):
    park = make_grant_park(promoted=persons, urban=urban, rural=rural)
    return grant(changzhi, park, grades={} if grade is None else {YEAR: grade})


@settings(max_examples=200, deadline=None)
@given(targets, promoted, grades)
def test_property_grant_never_above_the_cap_and_never_negative(changzhi, make_grant_park, target, persons, grade):
    result = _grant_for(changzhi, make_grant_park, *target, persons, grade)
    assert isinstance(result.amount, Decimal)
    assert Decimal(0) <= result.amount <= Decimal(500000)
    assert (result.amount > 0) == (result.due or result.held)


@settings(max_examples=200, deadline=None)
@given(targets, promoted, st.integers(1, 5000), st.sampled_from(["excellent", "qualified"]))
def test_property_more_employment_never_less_grant(changzhi, make_grant_park, target, persons, more, grade):
    fewer = _grant_for(changzhi, make_grant_park, *target, persons, grade)
    higher = _grant_for(changzhi, make_grant_park, *target, persons + more, grade)
    assert higher.amount >= fewer.amount


@settings(max_examples=200, deadline=None)
@given(targets, promoted)
def test_property_nothing_due_in_an_unqualified_year(changzhi, make_grant_park, target, persons):
    """Until a rectification passes: what the formula gives is held, never due."""
    result = _grant_for(changzhi, make_grant_park, *target, persons, "unqualified")
    assert result.due is False
    assert result.held == (result.amount > 0)


@settings(max_examples=100, deadline=None)
@given(st.dates(datetime.date(2024, 1, 1), datetime.date(2030, 12, 31)))
def test_property_award_due_exactly_once(changzhi, make_park, recognised_on):
    park = make_park()
    due_years = [y for y in range(2024, 2031)
                 if award(changzhi, park, year=y, recognised_on=recognised_on).due]
    assert due_years == [recognised_on.year]
