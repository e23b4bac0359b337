"""第二十条 (operating subsidy: 50万元 a year, three consecutive years) with 第十八条 and 第二十五条."""
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules.facts import ParkFacts, ParkYearFacts
from core.rules.subsidy import SubsidyContext

RECOGNISED_ON = datetime.date(2026, 5, 20)
FULL = Decimal("500000")


def subsidy(karamay, year, grades=None, recognised_on=RECOGNISED_ON, status="active", park=None, revoked_on=None):
    ctx = SubsidyContext(
        park=park or ParkFacts(name="克拉玛依测试产业园"),
        year=year,
        recognised_on=recognised_on,
        recognition_status=status if recognised_on else None,
        revoked_on=revoked_on,
        grades=dict(grades or {}),
    )
    proposals = karamay.subsidies(ctx)
    assert len(proposals) == 1
    proposal = proposals[0]
    assert proposal.rule_id == "karamay.operating_subsidy" and proposal.kind == "operating"
    assert proposal.year == year and proposal.source == "karamay"
    assert isinstance(proposal.amount, Decimal)
    return proposal


@pytest.mark.parametrize("grade", ["excellent", "qualified"])
def test_art20_recognition_year_is_year_1_and_pays_500000(karamay, grade):
    p = subsidy(karamay, 2026, {2026: grade})
    assert (p.amount, p.due, p.withheld) == (FULL, True, False)
    assert p.article == "第十八条、第二十条"
    assert "第1年（共3年）" in p.explanation
    assert "每年50万元 × 1 = 50万元" in p.explanation
    assert "year 1 of 3" in p.explanation_en


def test_art20_three_consecutive_years_then_nothing(karamay):
    grades = {y: "qualified" for y in range(2026, 2030)}
    paid = [subsidy(karamay, y, grades) for y in (2026, 2027, 2028)]
    assert [p.amount for p in paid] == [FULL, FULL, FULL]
    assert "第3年（共3年）" in paid[-1].explanation
    fourth = subsidy(karamay, 2029, grades)
    assert (fourth.amount, fourth.due, fourth.withheld) == (Decimal("0"), False, False)
    assert "第4年" in fourth.explanation and "连续3年补贴期已满" in fourth.explanation


def test_art20_year_before_recognition_gets_nothing(karamay):
    p = subsidy(karamay, 2025, {2025: "excellent"})
    assert (p.amount, p.due) == (Decimal("0"), False)
    assert "早于认定年度（2026年）" in p.explanation


def test_art20_first_year_offset_is_a_local_reading(karamay):
    parameter = karamay.parameters.get("operating_subsidy_first_year_offset")
    assert parameter.local_default is True and "本地解读" in parameter.description
    shifted = karamay.parameters.overridden(
        {"operating_subsidy_first_year_offset": {"reference": "第二十条", "values": {"2025-01-01": -1}}}, {}, "test", "t")
    original = karamay.parameters
    try:
        karamay.parameters = shifted
        recognition_year = subsidy(karamay, 2026, {2026: "excellent"})
        assert (recognition_year.amount, recognition_year.due) == (Decimal("0"), False)
        assert "第0年" in recognition_year.explanation and "补贴期尚未开始" in recognition_year.explanation
        assert subsidy(karamay, 2029, {2029: "qualified"}).amount == FULL  # year 3
        assert subsidy(karamay, 2030, {2030: "qualified"}).amount == 0
    finally:
        karamay.parameters = original


def test_art18_unqualified_year_is_withheld(karamay):
    p = subsidy(karamay, 2027, {2026: "excellent", 2027: "unqualified"})
    assert (p.amount, p.due, p.withheld) == (Decimal("0"), False, True)
    assert p.withheld_amount == FULL  # what the withholding concerns: the year's 50万元
    assert "第2年（共3年）" in p.explanation and "当年不予兑现运营补贴（第十八条）" in p.explanation
    # the next year stands on its own grade (年度 by 年度)
    assert subsidy(karamay, 2028, {2027: "unqualified", 2028: "qualified"}).amount == FULL


def test_art18_not_yet_assessed_waits(karamay):
    p = subsidy(karamay, 2027, {2026: "excellent"})
    assert (p.amount, p.due, p.withheld, p.withheld_amount) == (Decimal("0"), False, False, None)
    assert "待年度考核后兑现" in p.explanation


def test_art20_not_with_the_incubation_base_subsidy(karamay):
    claimed = ParkFacts(name="园", years={2027: ParkYearFacts(2027, facts={"incubation_subsidy_claimed": True})})
    p = subsidy(karamay, 2027, {2027: "excellent"}, park=claimed)
    assert (p.amount, p.due, p.withheld, p.withheld_amount) == (Decimal("0"), False, True, FULL)
    assert p.article == "第二十条" and "不得重复申领" in p.explanation
    other_year = ParkFacts(name="园", years={2026: ParkYearFacts(2026, facts={"incubation_subsidy_claimed": True}),
                                             2027: ParkYearFacts(2027, facts={"incubation_subsidy_claimed": False})})
    assert subsidy(karamay, 2027, {2027: "excellent"}, park=other_year).amount == FULL


def test_art20_unqualified_and_incubation_both_named(karamay):
    claimed = ParkFacts(name="园", years={2027: ParkYearFacts(2027, facts={"incubation_subsidy_claimed": True})})
    p = subsidy(karamay, 2027, {2027: "unqualified"}, park=claimed)
    assert p.withheld and p.amount == 0
    assert "不合格" in p.explanation and "创业孵化示范基地补贴" in p.explanation


def test_art20_not_recognised_gets_nothing(karamay):
    p = subsidy(karamay, 2026, {2026: "excellent"}, recognised_on=None)
    assert (p.amount, p.due, p.withheld) == (Decimal("0"), False, False)
    assert "未认定" in p.explanation


def test_art18_revoked_recognition_gets_nothing(karamay):
    p = subsidy(karamay, 2027, {2027: "qualified"}, status="revoked")
    assert (p.amount, p.due) == (Decimal("0"), False)
    assert "资格已取消" in p.explanation


def test_art18_revoked_from_the_year_of_revocation_on(karamay):
    grades = {2026: "qualified", 2027: "unqualified", 2028: "qualified"}
    revoked_on = datetime.date(2028, 8, 1)
    assert subsidy(karamay, 2026, grades, status="revoked", revoked_on=revoked_on).amount == FULL
    unqualified = subsidy(karamay, 2027, grades, status="revoked", revoked_on=revoked_on)
    assert (unqualified.amount, unqualified.withheld) == (Decimal("0"), True)
    revoked_year = subsidy(karamay, 2028, grades, status="revoked", revoked_on=revoked_on)
    assert (revoked_year.amount, revoked_year.due, revoked_year.withheld) == (Decimal("0"), False, False)
    assert "市级产业园资格已于2028-08-01取消" in revoked_year.explanation
    # a date earlier than the grades suggest wins over the inference from them
    early = subsidy(karamay, 2026, grades, status="revoked", revoked_on=datetime.date(2026, 12, 1))
    assert (early.amount, early.due) == (Decimal("0"), False)


def test_art18_revocation_without_date_follows_the_last_unqualified_year(karamay):
    grades = {2026: "qualified", 2027: "unqualified", 2028: "qualified"}
    before = subsidy(karamay, 2026, grades, status="revoked")
    assert before.amount == FULL  # the year before the failed rectification keeps its subsidy
    failed_year = subsidy(karamay, 2027, grades, status="revoked")
    assert (failed_year.amount, failed_year.withheld) == (Decimal("0"), True)
    after = subsidy(karamay, 2028, grades, status="revoked")
    assert (after.amount, after.due) == (Decimal("0"), False)
    assert "资格已取消" in after.explanation


def test_art18_rectifying_park_is_still_paid_for_a_qualified_year(karamay):
    assert subsidy(karamay, 2027, {2027: "qualified"}, status="rectifying").amount == FULL


def test_art18_unknown_grade_is_refused(karamay):
    with pytest.raises(ValueError, match="等次“good”无法识别"):
        subsidy(karamay, 2026, {2026: "good"})


def test_art25_year_past_the_measures_is_noted_not_blocked(karamay, monkeypatch):
    monkeypatch.setenv("HRPARK_KARAMAY_EFFECTIVE_FROM", "2026-03-01")  # in force until 2028-02-29
    inside = subsidy(karamay, 2027, {2027: "qualified"})
    assert "有效期至" not in inside.explanation
    past = subsidy(karamay, 2028, {2028: "qualified"})
    assert past.amount == FULL and past.due
    assert "本办法有效期至2028-02-29（第二十五条）" in past.explanation
    assert "expire on 2028-02-29" in past.explanation_en
    monkeypatch.delenv("HRPARK_KARAMAY_EFFECTIVE_FROM")
    assert "有效期至" not in subsidy(karamay, 2028, {2028: "qualified"}).explanation


# --- invariants -------------------------------------------------------------------------------

grades_st = st.sampled_from([None, "excellent", "qualified", "unqualified"])


@settings(max_examples=150, deadline=None)
@given(
    recognised_year=st.integers(2025, 2030),
    year=st.integers(2025, 2036),
    grade=grades_st,
    incubation=st.booleans(),
    employment=st.integers(0, 100000),
    status=st.sampled_from(["active", "rectifying", "revoked"]),
)
def test_subsidy_never_above_the_yearly_standard_and_never_in_an_unqualified_year(
        karamay, recognised_year, year, grade, incubation, employment, status):
    park = ParkFacts(name="园", years={year: ParkYearFacts(year, employment_promoted=employment,
                                                          facts={"incubation_subsidy_claimed": incubation})})
    grades = {} if grade is None else {year: grade}
    p = subsidy(karamay, year, grades, recognised_on=datetime.date(recognised_year, 7, 1), status=status, park=park)
    assert Decimal("0") <= p.amount <= FULL
    assert p.due == (p.amount > 0)
    if grade == "unqualified":
        assert p.amount == 0
        if 0 <= year - recognised_year <= 2:
            assert p.withheld
    if grade is None or incubation or (status == "revoked" and grade != "unqualified"):
        assert p.amount == 0
    if not 0 <= year - recognised_year <= 2:
        assert p.amount == 0
    # more employment never means less: the amount does not depend on it (第二十条 is a flat rate)
    more = ParkFacts(name="园", years={year: ParkYearFacts(year, employment_promoted=employment + 1000,
                                                          facts={"incubation_subsidy_claimed": incubation})})
    assert subsidy(karamay, year, grades, recognised_on=datetime.date(recognised_year, 7, 1), status=status,
                   park=more).amount >= p.amount


@settings(max_examples=100, deadline=None)
@given(
    recognised_year=st.integers(2025, 2030),
    grades=st.lists(st.sampled_from(["excellent", "qualified", "unqualified"]), min_size=8, max_size=8),
)
def test_subsidy_over_all_years_at_most_three_times_500000(karamay, recognised_year, grades):
    history = {recognised_year - 1 + i: g for i, g in enumerate(grades)}
    total = sum(subsidy(karamay, y, history, recognised_on=datetime.date(recognised_year, 1, 1)).amount
                for y in history)
    paid_years = sum(1 for y, g in history.items() if recognised_year <= y <= recognised_year + 2 and g != "unqualified")
    assert total == FULL * paid_years <= FULL * 3
