"""Changzhi's subsidies: the one-time recognition award (第九条) and the yearly operating grant
tied to employment promoted (第十条), paid only for years graded 合格 or better (第二十条)."""
from decimal import ROUND_CEILING, Decimal

from core.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED
from core.rules import fmt_number, fmt_yuan_en
from core.subsidy import SubsidyProposal

SOURCE = "changzhi"
ZERO = Decimal("0")
AWARD = ("changzhi.recognition_award", "recognition_award", "第九条")
GRANT = ("changzhi.operating_grant", "operating_grant", "第十条")
QUARTERS_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


def _wan(amount) -> str:
    """Yuan written in 万元 as the measures write them: 303000 -> '30.3万元'."""
    return f"{fmt_number(Decimal(amount) / 10000)}万元"


def _proposal(rule, ctx, amount, zh, en, due=True, withheld=False, article=None):
    rule_id, kind, own_article = rule
    return SubsidyProposal(
        rule_id=rule_id, kind=kind, year=ctx.year, amount=Decimal(amount), article=article or own_article,
        explanation=zh, explanation_en=en, due=due, withheld=withheld, source=SOURCE,
    )


def _recognition_gap(rule, ctx):
    """A not-due proposal when the park is not (or no longer) recognised for ctx.year, else None."""
    if ctx.recognised_on is None:
        return _proposal(rule, ctx, ZERO, f"{ctx.year}年未被认定为市级人力资源服务产业园，不予补助",
                         f"not recognised as a city-level park in {ctx.year}: nothing due", due=False)
    if ctx.recognised_on.year > ctx.year:
        return _proposal(rule, ctx, ZERO,
                         f"{ctx.recognised_on.isoformat()}才被认定，{ctx.year}年尚未认定，不予补助",
                         f"recognised only on {ctx.recognised_on.isoformat()}: nothing due for {ctx.year}", due=False)
    if ctx.recognition_status == "revoked" and (ctx.revoked_on is None or ctx.revoked_on.year <= ctx.year):
        when = ctx.revoked_on.isoformat() if ctx.revoked_on else "（日期未录入）"
        when_en = ctx.revoked_on.isoformat() if ctx.revoked_on else "(date not entered)"
        return _proposal(rule, ctx, ZERO, f"市级产业园资格已于{when}取消，{ctx.year}年不予补助（第二十条第（二）项）",
                         f"recognition revoked on {when_en}: nothing due for {ctx.year}", due=False)
    return None


def recognition_award(ctx):
    """第九条: 80万元 once, in the year of recognition."""
    gap = _recognition_gap(AWARD, ctx)
    if gap is not None:
        return gap
    award = ctx.param("recognition_award")
    recognised_year = ctx.recognised_on.year
    if ctx.year != recognised_year:
        return _proposal(AWARD, ctx, ZERO, f"一次性奖励已于{recognised_year}年兑现（认定当年），{ctx.year}年不再奖励",
                         f"the one-time award belongs to {recognised_year}, the year of recognition: nothing due for {ctx.year}",
                         due=False)
    return _proposal(AWARD, ctx, award,
                     f"{ctx.recognised_on.isoformat()}被认定为市级人力资源服务产业园，一次性奖励{_wan(award)}",
                     f"recognised on {ctx.recognised_on.isoformat()}: one-time award {fmt_yuan_en(award)}")


def employment_line(target_total, ratio):
    """(L, the smallest head count reaching L): 达到 includes L itself, so E ≥ L ⇔ E ≥ ceil(L)."""
    line = Decimal(target_total) * Decimal(ratio)
    return line, int(line.to_integral_value(rounding=ROUND_CEILING))


def grant_amount(promoted, line_persons, base, per_person, cap):
    """(amount, uncapped) for `promoted` ≥ `line_persons`: base + per_person × excess, at most cap."""
    uncapped = Decimal(base) + Decimal(per_person) * (promoted - line_persons)
    return min(uncapped, Decimal(cap)), uncapped


def operating_grant(ctx):
    """第十条: 30万元 once the line is reached, +30元 per person above it, ≤ 50万元 a year."""
    gap = _recognition_gap(GRANT, ctx)
    if gap is not None:
        return gap
    year = ctx.year
    target = ctx.park.employment_targets.get(year)
    if target is None:
        return _proposal(GRANT, ctx, ZERO, f"未录入全市年度目标任务（{year}年城镇新增就业、农村劳动力转移就业），暂无法计算",
                         f"the city's {year} targets (urban new jobs, rural labour transfer) are not entered", due=False)
    figures = ctx.park.years.get(year)
    if figures is None:
        return _proposal(GRANT, ctx, ZERO, f"未录入园区{year}年度促进就业人数，暂无法计算",
                         f"the park's {year} employment promoted is not entered", due=False)
    promoted = figures.employment_promoted
    ratio = ctx.param("employment_ratio")
    line, line_persons = employment_line(target.total, ratio)
    percent = fmt_number(ratio * 100)
    target_zh = (f"全市{year}年度任务{target.total}人（城镇新增就业{target.urban_new_jobs}人+农村劳动力转移就业"
                 f"{target.rural_transfer}人）的{percent}%（{fmt_number(line)}人")
    target_zh += "）" if line == line_persons else f"，即至少{line_persons}人）"
    target_en = f"{percent}% of the city's {year} targets of {target.total} ("
    target_en += f"{line_persons} persons)" if line == line_persons else f"{fmt_number(line)}, i.e. {line_persons} persons)"
    if promoted < line_persons:
        gap_persons = line_persons - promoted
        return _proposal(GRANT, ctx, ZERO,
                         f"促进就业{promoted}人，未达到{target_zh}，差{gap_persons}人，不予补助",
                         f"{promoted} persons helped into employment, below {target_en} by {gap_persons}: nothing due",
                         due=False)

    base = ctx.param("base_operating_grant")
    per_person = ctx.param("bonus_per_person")
    cap = ctx.param("max_annual_grant")
    amount, uncapped = grant_amount(promoted, line_persons, base, per_person, cap)
    excess = promoted - line_persons
    zh = f"促进就业{promoted}人，达到{target_zh}，基础补助{_wan(base)} + 超出{excess}人×{fmt_number(per_person)}元 = {_wan(uncapped)}"
    en = (f"{promoted} persons helped into employment, reaching {target_en}: base {fmt_yuan_en(base)} + "
          f"{excess} × CNY {fmt_number(per_person)} = {fmt_yuan_en(uncapped)}")
    if uncapped > amount:
        zh += f"，超过每年补助总额上限{_wan(cap)}，按{_wan(cap)}补助"
        en += f", above the yearly cap of {fmt_yuan_en(cap)}: {fmt_yuan_en(cap)}"

    grade = ctx.grades.get(year)
    if grade is None:
        quarter = ctx.param("assessment_quarter")
        quarter_zh = QUARTERS_ZH.get(quarter, str(quarter))
        return _proposal(GRANT, ctx, ZERO,
                         zh + f"；{year}年度尚未考核，待第{quarter_zh}季度考核后兑现（第十八条：{year + 1}年"
                              f"第{quarter_zh}季度考核{year}年度运营情况，合格及以上方予兑现）",
                         en + f"; {year} not yet assessed: payable once graded qualified or better in quarter "
                              f"{quarter} of {year + 1} (art. 18)",
                         due=False)
    if grade == UNQUALIFIED:
        return _proposal(GRANT, ctx, ZERO,
                         zh + f"；但{year}年度考核不合格，合格及以上才给予扶持奖补，当年不予兑现（第二十条）",
                         en + f"; but {year} was graded unqualified and only qualified or better are paid: withheld (art. 20)",
                         due=False, withheld=True, article="第十条、第二十条")
    if grade not in (EXCELLENT, QUALIFIED):
        raise ValueError(f"{year}年考核等次“{grade}”无效 — grade {grade!r} of {year} is not a known grade")
    label = "优秀" if grade == EXCELLENT else "合格"
    return _proposal(GRANT, ctx, amount, zh + f"；{year}年度考核{label}，予以兑现",
                     en + f"; {year} graded {grade}: payable")


def build_subsidies(ctx):
    return [recognition_award(ctx), operating_grant(ctx)]
