"""core.rules.assessment (weighted totals, grades at the exact cut-offs) and core.rules.ledger (spending
categories, refusals citing the article)."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
from decimal import Decimal

import pytest

from core.rules.assessment import GradeTier, Indicator, grade_for, weighted_total
from core.rules.ledger import ForbiddenCategory, LedgerCategory, check_category

INDICATORS = [
    Indicator("economic_development", "经济发展", "经济发展情况", "economic development", "第十九条第（一）项", Decimal("40")),
    Indicator("role_played", "作用发挥", "作用发挥情况", "role played", "第十九条第（二）项", Decimal("30")),
    Indicator("operation_management", "运营管理", "运营管理水平", "operation", "第十九条第（三）项", Decimal("30")),
]
TIERS = [
    GradeTier("excellent", Decimal("90"), "优秀", "excellent", "第二十条", "grade_excellent_min"),
    GradeTier("qualified", Decimal("60"), "合格", "qualified", "第二十条", "grade_qualified_min"),
    GradeTier("unqualified", Decimal("0"), "不合格", "unqualified", "第二十条"),
]


def scores(a, b, c):
    return {"economic_development": a, "role_played": b, "operation_management": c}


def test_weighted_total_is_the_weighted_mean_to_two_places():
    assert weighted_total(INDICATORS, scores(100, 50, 80)) == Decimal("79.00")  # (4000+1500+2400)/100
    assert weighted_total(INDICATORS, scores("90.5", Decimal("88"), 91)) == Decimal("89.90")
    thirds = [Indicator(f"i{n}", "g", "l", "l", "a", Decimal(1)) for n in range(3)]
    assert weighted_total(thirds, {"i0": 0, "i1": 0, "i2": 1}) == Decimal("0.33")
    assert weighted_total(thirds, {"i0": 0, "i1": 1, "i2": 1}) == Decimal("0.67")
    halves = thirds[:2]
    assert weighted_total(halves, {"i0": 0, "i1": "0.01"}) == Decimal("0.01")  # 0.005: half-up, not banker's


@pytest.mark.parametrize(
    "total, grade",
    [
        ("100", "excellent"),
        ("90", "excellent"),  # 90分以上: the cut-off itself is excellent
        ("89.99", "qualified"),
        ("60", "qualified"),
        ("59.99", "unqualified"),
        ("0", "unqualified"),
    ],
)
def test_grade_for_at_the_exact_cut_offs(total, grade):
    assert grade_for(TIERS, Decimal(total)) == grade
    assert grade_for(list(reversed(TIERS)), Decimal(total)) == grade  # whatever order the tiers come in


@pytest.mark.parametrize("score", ["100.01", "-0.01", "150"])
def test_a_score_out_of_range_is_refused_naming_the_indicator(score):
    with pytest.raises(ValueError) as refused:
        weighted_total(INDICATORS, scores(score, 80, 80))
    zh, en = refused.value.zh, refused.value.en
    # Issue 11 item 4: the indicator by its name in each language, never by its id.
    assert "经济发展情况" in zh and "超出0–100" in zh and "economic_development" not in zh
    assert "out of range" in en and "economic development" in en and "economic_development" not in en


@pytest.mark.parametrize("score", ["八十", "", None, "nan"])
def test_a_score_that_is_not_a_number_is_refused_naming_the_indicator(score):
    with pytest.raises(ValueError, match=r"指标“作用发挥情况”的得分“.*”不是数值") as refused:
        weighted_total(INDICATORS, scores(80, score, 80))
    assert "role_played" not in str(refused.value) and "is not a number" in refused.value.en


def test_a_missing_score_is_named():
    """Issue 11 item 4: a missing score names the indicator (运营管理水平), not its id."""
    with pytest.raises(ValueError) as refused:
        weighted_total(INDICATORS, {"economic_development": 80, "role_played": 80})
    assert refused.value.zh == "未打分的指标：运营管理水平"
    assert refused.value.en.startswith("indicators not scored: ") and "operation_management" not in str(refused.value)


def test_weights_adding_up_to_nothing_are_refused():
    zero = [Indicator("a", "g", "l", "l", "第十七条", Decimal(0))]
    with pytest.raises(ValueError, match="weights must add up to more than 0"):
        weighted_total(zero, {"a": 80})


@pytest.mark.parametrize("code", ["karamay", "changzhi"])
@pytest.mark.parametrize(
    "score, grade", [("90", "excellent"), ("89.99", "qualified"), ("60", "qualified"), ("59.99", "unqualified")]
)
def test_each_city_grades_at_its_cut_offs(registry, code, score, grade):
    """Every indicator scored the same gives that score as the total, whatever the weights."""
    j = registry.get(code)
    total, got = j.grade({i.id: score for i in j.indicators(RULES_DAY)}, RULES_DAY)
    assert (total, got) == (Decimal(score).quantize(Decimal("0.01")), grade)


# --- ledger ----------------------------------------------------------------------------------------

CATEGORIES = [
    LedgerCategory("rent_utilities", "入驻机构场地租金、水、电、暖减免及补贴", "rent and utilities", "第二十条第（一）项"),
    LedgerCategory("promotion_events", "招商、宣传、招聘会等", "promotion and events", "第二十条第（三）项"),
    LedgerCategory("staff_wages", "工作人员工资、津补贴", "staff wages and allowances", "第二十条", allowed=False),
]


def test_an_allowed_category_is_returned():
    assert check_category(CATEGORIES, "rent_utilities").article == "第二十条第（一）项"


def test_a_forbidden_category_is_refused_citing_its_article():
    with pytest.raises(ForbiddenCategory) as refused:
        check_category(CATEGORIES, "staff_wages")
    message = str(refused.value)
    assert message.startswith("“工作人员工资、津补贴”不得列支（第二十条）")
    assert "staff wages and allowances is a forbidden use (第二十条)" in message


def test_an_unknown_category_is_refused_citing_where_the_allowed_uses_are_listed():
    with pytest.raises(ForbiddenCategory) as refused:
        check_category(CATEGORIES, "banquet")
    message = str(refused.value)
    assert "类别 banquet 不在允许的资金使用范围内（第二十条第（一）项、第二十条第（三）项）" in message
    assert "入驻机构场地租金、水、电、暖减免及补贴、招商、宣传、招聘会等" in message
    assert "工作人员工资" not in message  # a forbidden use is not offered as allowed
    assert "category banquet is not an allowed use" in message


@pytest.mark.parametrize(
    "code, forbidden, article", [("karamay", "staff_wages", "第二十条"), ("changzhi", "outside_fund_scope", "第十一条")]
)
def test_each_citys_ledger_refusals_cite_its_own_article(registry, code, forbidden, article):
    categories = registry.get(code).ledger_categories()
    with pytest.raises(ForbiddenCategory, match=f"（{article}）"):
        check_category(categories, forbidden)
    with pytest.raises(ForbiddenCategory, match=article):
        check_category(categories, "banquet")
