"""Karamay's operating subsidy (第二十条): 50万元 a year for three consecutive years after
recognition, each year paid only when that year's assessment is 合格 or better (第十八条), and
never together with the entrepreneurship-incubation demonstration-base subsidy (第二十条).
"""
import datetime
from decimal import Decimal

from core.rules.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED
from core.rules.criteria import fmt_yuan, fmt_yuan_en
from core.rules.subsidy import SubsidyProposal

RULE_ID = "karamay.operating_subsidy"
KIND = "operating"
ZERO = Decimal("0")
GRADE_LABELS = {EXCELLENT: ("优秀", "excellent"), QUALIFIED: ("合格", "qualified"), UNQUALIFIED: ("不合格", "unqualified")}


def build_subsidies(ctx, info, source):
    """One proposal for the operating subsidy of `ctx.year`, due or not, with the reason."""
    year = ctx.year

    def proposal(amount, article, zh, en, due=False, withheld=False):
        zh, en = _with_expiry_note(zh, en, year, info)
        return SubsidyProposal(RULE_ID, KIND, year, amount, article, zh, en, due=due, withheld=withheld, source=source,
                               withheld_amount=per_year if withheld else None)

    if ctx.recognised_on is None or ctx.recognition_status is None:
        return [proposal(ZERO, "第二十条", f"未认定为克拉玛依市级人力资源服务产业园，{year}年度无运营补贴",
                         f"Not recognised as a Karamay city-level park: no operating subsidy for {year}")]
    if ctx.recognition_status == "revoked" and _revoked_before(ctx):
        revoked_on = ctx.revoked_on
        when = f"已于{revoked_on.isoformat()}取消" if revoked_on else "已取消"
        when_en = f" on {revoked_on.isoformat()}" if revoked_on else ""
        return [proposal(ZERO, "第十八条、第二十条", f"市级产业园资格{when}（第十八条），{year}年度不再兑现运营补贴",
                         f"Recognition revoked{when_en} (art. 18): no operating subsidy for {year}")]
    recognised_year = ctx.recognised_on.year
    if year < recognised_year:
        return [proposal(ZERO, "第二十条", f"{year}年度早于认定年度（{recognised_year}年），无运营补贴",
                         f"{year} is before the year of recognition ({recognised_year}): no operating subsidy")]

    per_year = Decimal(ctx.param("operating_subsidy_per_year"))
    years = ctx.param("operating_subsidy_years")
    n = year - recognised_year + 1 + ctx.param("operating_subsidy_first_year_offset")
    if not 1 <= n <= years:
        when = "补贴期尚未开始" if n < 1 else f"连续{years}年补贴期已满"
        when_en = "the subsidy period has not begun" if n < 1 else f"the {years} consecutive years are over"
        return [proposal(ZERO, "第二十条", f"{year}年度为认定后第{n}年，{when}，无运营补贴",
                         f"{year} is year {n} after recognition: {when_en}, no operating subsidy")]

    nth = f"第{n}年（共{years}年）"
    nth_en = f"year {n} of {years}"
    grade = ctx.grades.get(year)
    if grade is not None and grade not in GRADE_LABELS:
        raise ValueError(
            f"{year}年度考核等次“{grade}”无法识别，应为 excellent、qualified 或 unqualified — unknown grade {grade!r} for {year}"
        )
    park_year = ctx.park.year(year) if ctx.park is not None else None
    incubation = bool(park_year and park_year.facts.get("incubation_subsidy_claimed"))
    incubation_zh = "；且该年度已申领创业孵化示范基地补贴，不得重复申领（第二十条）" if incubation else ""
    incubation_en = "; the incubation-base subsidy was also claimed for the year (art. 20)" if incubation else ""

    if grade == UNQUALIFIED:
        return [proposal(ZERO, "第十八条、第二十条",
                         f"运营补贴{nth}：{year}年度综合评估不合格，当年不予兑现运营补贴（第十八条），"
                         f"应发{fmt_yuan(per_year)} × 0 = 0元{incubation_zh}",
                         f"Operating subsidy, {nth_en}: graded unqualified for {year}, withheld for the year (art. 18), "
                         f"{fmt_yuan_en(per_year)} × 0 = CNY 0{incubation_en}",
                         withheld=True)]
    if incubation:
        return [proposal(ZERO, "第二十条",
                         f"运营补贴{nth}：{year}年度已申领创业孵化示范基地补贴，运营补贴不得重复申领（第二十条），"
                         f"应发{fmt_yuan(per_year)} × 0 = 0元",
                         f"Operating subsidy, {nth_en}: the incubation-base subsidy was claimed for {year}, and the two "
                         f"may not both be claimed (art. 20): {fmt_yuan_en(per_year)} × 0 = CNY 0",
                         withheld=True)]
    if grade is None:
        return [proposal(ZERO, "第十八条、第二十条",
                         f"运营补贴{nth}：{year}年度尚未考核，待年度考核后兑现（合格及以上发放{fmt_yuan(per_year)}，第十八条）",
                         f"Operating subsidy, {nth_en}: {year} not yet assessed; paid after the annual assessment "
                         f"({fmt_yuan_en(per_year)} if qualified or better, art. 18)")]
    grade_zh, grade_en = GRADE_LABELS[grade]
    return [proposal(per_year, "第十八条、第二十条",
                     f"运营补贴{nth}：{year}年度综合评估{grade_zh}（合格及以上，第十八条），"
                     f"每年{fmt_yuan(per_year)} × 1 = {fmt_yuan(per_year)}",
                     f"Operating subsidy, {nth_en}: graded {grade_en} for {year} (qualified or better, art. 18), "
                     f"{fmt_yuan_en(per_year)} a year × 1 = {fmt_yuan_en(per_year)}",
                     due=True)]


def _revoked_before(ctx):
    """Whether a revoked recognition no longer covers `ctx.year`.

    With the revocation date known, years from the year of revocation on get nothing (the park is
    no longer a city-level park when that year is assessed). Without it: under 第十八条 a park is
    revoked only after a 不合格 year whose rectification failed, so the revocation follows the
    latest 不合格 year on record; years up to that one keep their own outcome, later years get
    nothing, and with no 不合格 year on record every year is treated as after the revocation.
    A 不合格 year is always reported as withheld by its grade.
    """
    if ctx.grades.get(ctx.year) == UNQUALIFIED:
        return False
    revoked_on = ctx.revoked_on
    if revoked_on is not None:
        return ctx.year >= revoked_on.year
    unqualified = [y for y, grade in ctx.grades.items() if grade == UNQUALIFIED]
    return not unqualified or ctx.year > max(unqualified)


def _with_expiry_note(zh, en, year, info):
    """Note, without blocking, a subsidy year running past the measures' two years (第二十五条)."""
    until = getattr(info, "effective_until", None)
    if until is None or datetime.date(year, 12, 31) <= until:
        return zh, en
    return (
        f"{zh}。注意：本办法有效期至{until.isoformat()}（第二十五条），{year}年度超出有效期，请核实是否继续适用",
        f"{en}. Note: the measures expire on {until.isoformat()} (art. 25); {year} runs past that date — check "
        "whether they still apply",
    )
