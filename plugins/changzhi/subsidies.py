"""Changzhi's subsidies: the one-time recognition award (第九条) and the yearly operating grant
tied to employment promoted (第十条), paid only for years graded 合格 or better (第二十条): a 不合格
year's grant is held while the park rectifies, paid if the rectification passes, cancelled if not.

A county whose measures repeat these articles (plugins/luzhou) calls the same functions with its
own `GrantScheme`: its rule ids, article citations, wording and which employment targets count.
"""
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from core.rules.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED
from core.rules.criteria import fmt_number, fmt_yuan_en
from core.rules.subsidy import SubsidyProposal

SOURCE = "changzhi"
ZERO = Decimal("0")
QUARTERS_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class GrantScheme:
    """Whose 第九条 award and 第十条 grant these are, as their proposals name and cite them.
    The defaults are Changzhi's; a county subclasses it for its targets and wording."""

    source: str = SOURCE
    #: Written before every article cited: "" for Changzhi's own measures, e.g. "潞州区办法" for a county's.
    measures: str = ""
    level_zh: str = "市级人力资源服务产业园"
    level_short_zh: str = "市级"
    level_en: str = "a city-level park"
    #: Whose employment targets 第十条 counts (全市 / the city's).
    area_zh: str = "全市"
    area_en: str = "the city's"
    #: Who pays the 第九条 award, where the measures name it ("区级财政", " from the district budget").
    award_payer_zh: str = ""
    award_payer_en: str = ""
    #: Whether the English explanations cite the article, e.g. " (art. 20)".
    cites_articles_en: bool = True

    def cite(self, article):
        return self.measures + article

    def cite_en(self, number):
        return f" (art. {number})" if self.cites_articles_en else ""

    @property
    def award(self):
        return (f"{self.source}.recognition_award", "recognition_award", self.cite("第九条"))

    @property
    def grant(self):
        return (f"{self.source}.operating_grant", "operating_grant", self.cite("第十条"))

    def target(self, ctx, year):
        """The employment targets of `year` that 第十条 counts, or None."""
        return targets_of(ctx, year)

    def missing_target(self, ctx, year):
        """(zh, en) when `target` found none."""
        return (f"未录入全市年度目标任务（{year}年城镇新增就业、农村劳动力转移就业），暂无法计算",
                f"the city's {year} targets (urban new jobs, rural labour transfer) are not entered")

    def awaiting_assessment(self, year, quarter):
        """(zh, en) appended when `year` is not graded yet: payable after the assessment in `quarter` of year + 1."""
        quarter_zh = QUARTERS_ZH.get(quarter, str(quarter))
        return (f"；{year}年度尚未考核，待第{quarter_zh}季度考核后兑现（第十八条：{year + 1}年"
                f"第{quarter_zh}季度考核{year}年度运营情况，合格及以上方予兑现）",
                f"; {year} not yet assessed: payable once graded qualified or better in quarter "
                f"{quarter} of {year + 1} (art. 18)")


CHANGZHI = GrantScheme()
#: The fields of a scheme that name its level: a county's read Changzhi's in its own (core.rules.level_words).
LEVEL_FIELDS = ("level_zh", "level_short_zh", "level_en", "area_zh", "area_en")


def _wan(amount) -> str:
    """Yuan written in 万元 as the measures write them: 303000 -> '30.3万元'."""
    return f"{fmt_number(Decimal(amount) / 10000)}万元"


def _proposal(scheme, rule, ctx, amount, zh, en, due=True, withheld=False, article=None, held=False):
    rule_id, kind, own_article = rule
    return SubsidyProposal(
        rule_id=rule_id, kind=kind, year=ctx.year, amount=Decimal(amount), article=article or own_article,
        explanation=zh, explanation_en=en, due=due, withheld=withheld, held=held, source=scheme.source,
    )


def _recognition_gap(scheme, rule, ctx):
    """A not-due proposal when the park is not (or no longer) recognised for ctx.year, else None."""
    if ctx.recognised_on is None:
        return _proposal(scheme, rule, ctx, ZERO, f"{ctx.year}年未被认定为{scheme.level_zh}，不予补助",
                         f"not recognised as {scheme.level_en} in {ctx.year}: nothing due", due=False)
    if ctx.recognised_on.year > ctx.year:
        return _proposal(scheme, rule, ctx, ZERO,
                         f"{ctx.recognised_on.isoformat()}才被认定，{ctx.year}年尚未认定，不予补助",
                         f"recognised only on {ctx.recognised_on.isoformat()}: nothing due for {ctx.year}", due=False)
    if ctx.recognition_status == "revoked" and (ctx.revoked_on is None or ctx.revoked_on.year <= ctx.year):
        when = ctx.revoked_on.isoformat() if ctx.revoked_on else "（日期未录入）"
        when_en = ctx.revoked_on.isoformat() if ctx.revoked_on else "(date not entered)"
        return _proposal(scheme, rule, ctx, ZERO,
                         f"{scheme.level_short_zh}产业园资格已于{when}取消，{ctx.year}年不予补助"
                         f"（{scheme.cite('第二十条第（二）项')}）",
                         f"recognition revoked on {when_en}: nothing due for {ctx.year}", due=False)
    return None


def recognition_award(ctx, scheme=CHANGZHI):
    """第九条: 80万元 once, in the year of recognition — the standard in force on the day of recognition,
    the amount the approval reply (第七条第（四）项) states."""
    rule = scheme.award
    gap = _recognition_gap(scheme, rule, ctx)
    if gap is not None:
        return gap
    award = ctx.param("recognition_award", on=ctx.recognised_on)
    recognised_year = ctx.recognised_on.year
    if ctx.year != recognised_year:
        return _proposal(scheme, rule, ctx, ZERO,
                         f"一次性奖励已于{recognised_year}年兑现（认定当年），{ctx.year}年不再奖励",
                         f"the one-time award belongs to {recognised_year}, the year of recognition: nothing due for {ctx.year}",
                         due=False)
    return _proposal(scheme, rule, ctx, award,
                     f"{ctx.recognised_on.isoformat()}被认定为{scheme.level_zh}，{scheme.award_payer_zh}一次性奖励{_wan(award)}",
                     f"recognised on {ctx.recognised_on.isoformat()}: one-time award {fmt_yuan_en(award)}"
                     f"{scheme.award_payer_en}")


@dataclass(frozen=True)
class Targets:
    """全市年度目标任务 of a year (第十条): the two yearly facts of a jurisdiction facts.yaml declares."""

    urban_new_jobs: int
    rural_transfer: int
    set_by: str  # code of the jurisdiction that entered them, "" when a dossier gave them

    @property
    def total(self) -> int:
        return self.urban_new_jobs + self.rural_transfer


def targets_of(ctx, year):
    """The targets of `year` the park's jurisdiction (or, when it entered none, its parent) entered, or None."""
    entered = ctx.park.jurisdiction_years.get(year)
    facts = entered.facts if entered is not None else {}
    if facts.get("urban_new_jobs") is None or facts.get("rural_transfer") is None:
        return None
    return Targets(facts["urban_new_jobs"], facts["rural_transfer"], entered.set_by)


def employment_line(target_total, ratio):
    """(L, the smallest head count reaching L): 达到 includes L itself, so E ≥ L ⇔ E ≥ ceil(L)."""
    line = Decimal(target_total) * Decimal(ratio)
    return line, int(line.to_integral_value(rounding=ROUND_CEILING))


def grant_amount(promoted, line_persons, base, per_person, cap):
    """(amount, uncapped) for `promoted` ≥ `line_persons`: base + per_person × excess, at most cap."""
    uncapped = Decimal(base) + Decimal(per_person) * (promoted - line_persons)
    return min(uncapped, Decimal(cap)), uncapped


def operating_grant(ctx, scheme=CHANGZHI):
    """第十条: 30万元 once the line is reached, +30元 per person above it, ≤ 50万元 a year."""
    rule = scheme.grant
    gap = _recognition_gap(scheme, rule, ctx)
    if gap is not None:
        return gap
    year = ctx.year
    target = scheme.target(ctx, year)
    if target is None:
        zh, en = scheme.missing_target(ctx, year)
        return _proposal(scheme, rule, ctx, ZERO, zh, en, due=False)
    figures = ctx.park.years.get(year)
    if figures is None:
        return _proposal(scheme, rule, ctx, ZERO, f"未录入园区{year}年度促进就业人数，暂无法计算",
                         f"the park's {year} employment promoted is not entered", due=False)
    promoted = figures.employment_promoted
    ratio = ctx.param("employment_ratio")
    line, line_persons = employment_line(target.total, ratio)
    percent = fmt_number(ratio * 100)
    target_zh = (f"{scheme.area_zh}{year}年度任务{target.total}人（城镇新增就业{target.urban_new_jobs}人+农村劳动力转移就业"
                 f"{target.rural_transfer}人）的{percent}%（{fmt_number(line)}人")
    target_zh += "）" if line == line_persons else f"，即至少{line_persons}人）"
    target_en = f"{percent}% of {scheme.area_en} {year} targets of {target.total} ("
    target_en += f"{line_persons} persons)" if line == line_persons else f"{fmt_number(line)}, i.e. {line_persons} persons)"
    if promoted < line_persons:
        gap_persons = line_persons - promoted
        return _proposal(scheme, rule, ctx, ZERO,
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
        waiting_zh, waiting_en = scheme.awaiting_assessment(year, ctx.param("assessment_quarter"))
        return _proposal(scheme, rule, ctx, ZERO, zh + waiting_zh, en + waiting_en, due=False)
    if grade == UNQUALIFIED:
        return _unqualified_grant(scheme, rule, ctx, amount, zh, en)
    if grade not in (EXCELLENT, QUALIFIED):
        raise ValueError(f"{year}年考核等次“{grade}”无效 — grade {grade!r} of {year} is not a known grade")
    label = "优秀" if grade == EXCELLENT else "合格"
    return _proposal(scheme, rule, ctx, amount, zh + f"；{year}年度考核{label}，予以兑现",
                     en + f"; {year} graded {grade}: payable")


def _unqualified_grant(scheme, rule, ctx, amount, zh, en):
    """第二十条: a 不合格 year's grant is held (暂缓) while the park rectifies (第（一）项: only 合格及以上
    are paid), paid once the rectification passes, cancelled if it fails (第（二）项)."""
    year, article = ctx.year, scheme.cite("第十条、第二十条")
    outcome = ctx.rectifications.get(year)
    if outcome == "passed":
        return _proposal(scheme, rule, ctx, amount,
                         zh + f"；{year}年度考核不合格，经限期整改合格，予以兑现（{scheme.cite('第二十条第（二）项')}）",
                         en + f"; {year} was graded unqualified and the rectification passed: payable{scheme.cite_en(20)}",
                         article=article)
    if outcome == "failed":
        return _proposal(scheme, rule, ctx, ZERO,
                         zh + f"；但{year}年度考核不合格且整改后仍不合格，取消该考核评估周期应划拨的补助资金"
                              f"{_wan(amount)}（{scheme.cite('第二十条第（二）项')}）",
                         en + f"; but {year} was graded unqualified and still unqualified after rectification: the "
                              f"{fmt_yuan_en(amount)} due for that cycle is cancelled{scheme.cite_en(20)}",
                         due=False, article=article)
    return _proposal(scheme, rule, ctx, amount,
                     zh + f"；但{year}年度考核不合格，合格及以上才给予扶持奖补：限期整改期间暂缓兑现，整改合格后兑现，"
                          f"整改后仍不合格的予以取消（{scheme.cite('第二十条')}）",
                     en + f"; but {year} was graded unqualified and only qualified or better are paid: held while the "
                          f"park rectifies, paid if the rectification passes, cancelled if not{scheme.cite_en(20)}",
                     due=False, held=True, article=article)


def build_subsidies(ctx, scheme=CHANGZHI):
    return [recognition_award(ctx, scheme), operating_grant(ctx, scheme)]
