"""Luzhou's subsidies: its one-time award on recognition as a district-level park (潞州区办法第九条)
and its yearly operating grant against the DISTRICT's employment targets (第十条), paid only for
years graded 合格 or better (第二十条). The arithmetic is Changzhi's (`employment_line`,
`grant_amount`); the amounts, the targets counted and the wording are Luzhou's own.
"""
from decimal import Decimal

from core.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED
from core.rules import fmt_number, fmt_yuan_en
from core.subsidy import SubsidyProposal
from plugins.changzhi.subsidies import QUARTERS_ZH, employment_line, grant_amount

SOURCE = "changzhi-luzhou"
ZERO = Decimal("0")
AWARD = (f"{SOURCE}.recognition_award", "recognition_award", "潞州区办法第九条")
GRANT = (f"{SOURCE}.operating_grant", "operating_grant", "潞州区办法第十条")
LEVEL = "潞州区级人力资源服务产业园"


def _wan(amount) -> str:
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
        return _proposal(rule, ctx, ZERO, f"{ctx.year}年未被认定为{LEVEL}，不予补助",
                         f"not recognised as a Luzhou district-level park in {ctx.year}: nothing due", due=False)
    if ctx.recognised_on.year > ctx.year:
        return _proposal(rule, ctx, ZERO, f"{ctx.recognised_on.isoformat()}才被认定，{ctx.year}年尚未认定，不予补助",
                         f"recognised only on {ctx.recognised_on.isoformat()}: nothing due for {ctx.year}", due=False)
    if ctx.recognition_status == "revoked" and (ctx.revoked_on is None or ctx.revoked_on.year <= ctx.year):
        when = ctx.revoked_on.isoformat() if ctx.revoked_on else "（日期未录入）"
        when_en = ctx.revoked_on.isoformat() if ctx.revoked_on else "(date not entered)"
        return _proposal(rule, ctx, ZERO, f"区级产业园资格已于{when}取消，{ctx.year}年不予补助（潞州区办法第二十条第（二）项）",
                         f"recognition revoked on {when_en}: nothing due for {ctx.year}", due=False)
    return None


def recognition_award(ctx):
    """潞州区办法第九条: the award once, in the year of recognition."""
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
                     f"{ctx.recognised_on.isoformat()}被认定为{LEVEL}，区级财政一次性奖励{_wan(award)}",
                     f"recognised on {ctx.recognised_on.isoformat()}: one-time award {fmt_yuan_en(award)} from the district budget")


def district_target(ctx, year):
    """The district's own targets of `year`, or None. A park of Luzhou reads its city's targets
    when the district entered none (core.facts); 第十条 counts the district's, so those do not do.
    Targets given directly (a dossier: `set_by` empty) are taken as the district's."""
    target = ctx.park.employment_targets.get(year)
    if target is None or target.set_by not in ("", SOURCE):
        return None
    return target


def operating_grant(ctx):
    """潞州区办法第十条: the base grant once the line is reached, plus a sum per person above it, capped."""
    gap = _recognition_gap(GRANT, ctx)
    if gap is not None:
        return gap
    year = ctx.year
    target = district_target(ctx, year)
    if target is None:
        found = ctx.park.employment_targets.get(year)
        other = f"（系统中只有{found.set_by}录入的任务，第十条按全区任务计算）" if found is not None else ""
        other_en = f" (only {found.set_by}'s targets are entered; art. 10 counts the district's)" if found is not None else ""
        return _proposal(GRANT, ctx, ZERO,
                         f"未录入潞州区{year}年度目标任务（城镇新增就业、农村劳动力转移就业）{other}，暂无法计算",
                         f"Luzhou District's {year} targets (urban new jobs, rural labour transfer) are not entered{other_en}",
                         due=False)
    figures = ctx.park.years.get(year)
    if figures is None:
        return _proposal(GRANT, ctx, ZERO, f"未录入园区{year}年度促进就业人数，暂无法计算",
                         f"the park's {year} employment promoted is not entered", due=False)
    promoted = figures.employment_promoted
    ratio = ctx.param("employment_ratio")
    line, line_persons = employment_line(target.total, ratio)
    percent = fmt_number(ratio * 100)
    target_zh = (f"全区{year}年度任务{target.total}人（城镇新增就业{target.urban_new_jobs}人+农村劳动力转移就业"
                 f"{target.rural_transfer}人）的{percent}%（{fmt_number(line)}人")
    target_zh += "）" if line == line_persons else f"，即至少{line_persons}人）"
    target_en = f"{percent}% of the district's {year} targets of {target.total} ("
    target_en += f"{line_persons} persons)" if line == line_persons else f"{fmt_number(line)}, i.e. {line_persons} persons)"
    if promoted < line_persons:
        short = line_persons - promoted
        return _proposal(GRANT, ctx, ZERO, f"促进就业{promoted}人，未达到{target_zh}，差{short}人，不予补助",
                         f"{promoted} persons helped into employment, below {target_en} by {short}: nothing due", due=False)

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
                         zh + f"；{year}年度尚未考核，待{year + 1}年第{quarter_zh}季度考核合格及以上后兑现（潞州区办法第十八条）",
                         en + f"; {year} not yet assessed: payable once graded qualified or better in quarter {quarter} of {year + 1}",
                         due=False)
    if grade == UNQUALIFIED:
        return _proposal(GRANT, ctx, ZERO,
                         zh + f"；但{year}年度考核不合格，合格及以上才给予扶持奖补，当年不予兑现（潞州区办法第二十条）",
                         en + f"; but {year} was graded unqualified and only qualified or better are paid: withheld",
                         due=False, withheld=True, article="潞州区办法第十条、第二十条")
    if grade not in (EXCELLENT, QUALIFIED):
        raise ValueError(f"{year}年考核等次“{grade}”无效 — grade {grade!r} of {year} is not a known grade")
    label = "优秀" if grade == EXCELLENT else "合格"
    return _proposal(GRANT, ctx, amount, zh + f"；{year}年度考核{label}，予以兑现", en + f"; {year} graded {grade}: payable")


def build_subsidies(ctx):
    return [recognition_award(ctx), operating_grant(ctx)]
