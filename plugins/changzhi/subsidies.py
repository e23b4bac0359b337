"""Changzhi's subsidies: the one-time recognition award (第九条) and the yearly operating grant
tied to employment promoted (第十条), paid only for years graded 合格 or better (第二十条): a 不合格
year's grant is held while the park rectifies, paid if the rectification passes, cancelled if not.

A county whose measures repeat these articles (plugins/luzhou) calls the same functions with its
own `GrantScheme`: its rule ids, article citations, wording and which employment targets count.
"""
import functools
from dataclasses import asdict, dataclass
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from core.rules.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED
from core.rules.criteria import fmt_number, fmt_yuan_en, say
from core.rules.programme_data import read_texts
from core.rules.subsidy import SubsidyProposal

SOURCE = "changzhi"
ZERO = Decimal("0")
QUARTERS_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}
#: The explanations' wording (subsidies.yaml `texts`).
TEXTS = read_texts(Path(__file__).parent / "subsidies.yaml")


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

    def say(self, name, **values):
        """(zh, en) of text `name` (subsidies.yaml) in this scheme's words."""
        return say(TEXTS, name, **self._words, **values)

    @functools.cached_property
    def _words(self):
        """What every text may name: the scheme's fields, and its English citation of 第二十条."""
        return {**asdict(self), "cite20": " (art. 20)" if self.cites_articles_en else ""}

    @property
    def award(self):
        return (f"{self.source}.recognition_award", "recognition_award", self.cite("第九条"))

    @property
    def grant(self):
        return (f"{self.source}.operating_grant", "operating_grant", self.cite("第十条"))

    def target(self, ctx, year):
        """The year (core.rules.facts.JurisdictionYearFacts) holding both employment targets of `year` that
        第十条 counts — as the park's jurisdiction entered them or, when it entered none, its parent — or None."""
        entered = ctx.park.jurisdiction_years.get(year)
        if entered is None or None in (entered.facts.get("urban_new_jobs"), entered.facts.get("rural_transfer")):
            return None
        return entered

    def missing_target(self, ctx, year):
        """(zh, en) when `target` found none."""
        return self.say("missing_target", year=year)

    def awaiting_assessment(self, year, quarter):
        """(zh, en) appended when `year` is not graded yet: payable after the assessment in `quarter` of year + 1."""
        return self.say("awaiting", year=year, next_year=year + 1, quarter=QUARTERS_ZH.get(quarter, str(quarter)),
                        quarter_en=quarter)


CHANGZHI = GrantScheme()
#: The fields of a scheme that name its level: a county's read Changzhi's in its own (core.rules.level_words).
LEVEL_FIELDS = ("level_zh", "level_short_zh", "level_en", "area_zh", "area_en")


def wan(amount) -> str:
    """Yuan written in 万元 as the measures write them: 303000 -> '30.3万元'."""
    return f"{fmt_number(Decimal(amount) / 10000)}万元"


def _money(name, amount):
    return {name: wan(amount), f"{name}_en": fmt_yuan_en(amount)}


def _proposal(scheme, rule, ctx, amount, text, due=True, withheld=False, article=None, held=False):
    rule_id, kind, own_article = rule
    return SubsidyProposal(
        rule_id=rule_id, kind=kind, year=ctx.year, amount=Decimal(amount), article=article or own_article,
        explanation=text[0], explanation_en=text[1], due=due, withheld=withheld, held=held, source=scheme.source,
    )


def _recognition_gap(scheme, rule, ctx):
    """A not-due proposal when the park is not (or no longer) recognised for ctx.year, else None."""
    if ctx.recognised_on is None:
        return _proposal(scheme, rule, ctx, ZERO, scheme.say("not_recognised", year=ctx.year), due=False)
    if ctx.recognised_on.year > ctx.year:
        return _proposal(scheme, rule, ctx, ZERO, scheme.say("recognised_later", day=ctx.recognised_on.isoformat(),
                                                             year=ctx.year), due=False)
    if ctx.recognition_status == "revoked" and (ctx.revoked_on is None or ctx.revoked_on.year <= ctx.year):
        when = ctx.revoked_on.isoformat() if ctx.revoked_on else None
        return _proposal(scheme, rule, ctx, ZERO, scheme.say(
            "revoked", year=ctx.year, when=when or "（日期未录入）", when_en=when or "(date not entered)"), due=False)
    return None


def recognition_award(ctx, scheme=CHANGZHI):
    """第九条: 80万元 once, in the year of recognition — the standard in force on the day of recognition,
    the amount the approval reply (第七条第（四）项) states."""
    if (gap := _recognition_gap(scheme, rule := scheme.award, ctx)) is not None:
        return gap
    award = ctx.param("recognition_award", on=ctx.recognised_on)
    if ctx.year != ctx.recognised_on.year:
        return _proposal(scheme, rule, ctx, ZERO, scheme.say("award_paid", recognised_year=ctx.recognised_on.year,
                                                             year=ctx.year), due=False)
    return _proposal(scheme, rule, ctx, award, scheme.say("award", day=ctx.recognised_on.isoformat(), **_money("award", award)))


def employment_line(target_total, ratio):
    """(L, the smallest head count reaching L): 达到 includes L itself, so E ≥ L ⇔ E ≥ ceil(L)."""
    line = Decimal(target_total) * Decimal(ratio)
    return line, int(line.to_integral_value(rounding=ROUND_CEILING))


def operating_grant(ctx, scheme=CHANGZHI):
    """第十条: 30万元 once the line is reached, +30元 per person above it, ≤ 50万元 a year."""
    if (gap := _recognition_gap(scheme, rule := scheme.grant, ctx)) is not None:
        return gap
    year = ctx.year
    target = scheme.target(ctx, year)
    if target is None:
        return _proposal(scheme, rule, ctx, ZERO, scheme.missing_target(ctx, year), due=False)
    figures = ctx.park.years.get(year)
    if figures is None:
        return _proposal(scheme, rule, ctx, ZERO, scheme.say("no_figures", year=year), due=False)
    promoted = figures.employment_promoted
    ratio = ctx.param("employment_ratio")
    urban, rural = target.facts["urban_new_jobs"], target.facts["rural_transfer"]
    line, line_persons = employment_line(urban + rural, ratio)
    target_zh, target_en = scheme.say("target" if line == line_persons else "target_rounded", year=year, total=urban + rural,
                                      urban=urban, rural=rural, percent=fmt_number(ratio * 100),
                                      line=fmt_number(line), persons=line_persons)
    if promoted < line_persons:
        return _proposal(scheme, rule, ctx, ZERO, scheme.say("below_line", promoted=promoted, target=target_zh,
                                                             target_en=target_en, gap=line_persons - promoted), due=False)

    base, per_person, cap = (ctx.param(p) for p in ("base_operating_grant", "bonus_per_person", "max_annual_grant"))
    uncapped = Decimal(base) + Decimal(per_person) * (promoted - line_persons)  # base + per person above the line,
    amount = min(uncapped, Decimal(cap))  # at most the cap
    zh, en = scheme.say("grant", promoted=promoted, target=target_zh, target_en=target_en, excess=promoted - line_persons,
                        per_person=fmt_number(per_person), **_money("base", base), **_money("uncapped", uncapped))
    if uncapped > amount:
        zh, en = (a + b for a, b in zip((zh, en), scheme.say("capped", **_money("cap", cap))))

    grade = ctx.grades.get(year)
    if grade is None:
        waiting = scheme.awaiting_assessment(year, ctx.param("assessment_quarter"))
        return _proposal(scheme, rule, ctx, ZERO, (zh + waiting[0], en + waiting[1]), due=False)
    if grade == UNQUALIFIED:
        return _unqualified_grant(scheme, rule, ctx, amount, zh, en)
    if grade not in (EXCELLENT, QUALIFIED):
        raise ValueError(f"{year}年考核等次“{grade}”无效 — grade {grade!r} of {year} is not a known grade")
    paid = scheme.say("paid", year=year, grade="优秀" if grade == EXCELLENT else "合格", grade_en=grade)
    return _proposal(scheme, rule, ctx, amount, (zh + paid[0], en + paid[1]))


def _unqualified_grant(scheme, rule, ctx, amount, zh, en):
    """第二十条: a 不合格 year's grant is held (暂缓) while the park rectifies (第（一）项: only 合格及以上
    are paid), paid once the rectification passes, cancelled if it fails (第（二）项)."""
    article = scheme.cite("第十条、第二十条")
    outcome = ctx.rectifications.get(ctx.year)
    name = {"passed": "rectified", "failed": "cancelled"}.get(outcome, "held")
    more = scheme.say(name, year=ctx.year, **_money("amount", amount))
    return _proposal(scheme, rule, ctx, ZERO if outcome == "failed" else amount, (zh + more[0], en + more[1]),
                     due=outcome == "passed", held=name == "held", article=article)


def build_subsidies(ctx, scheme=CHANGZHI):
    return [recognition_award(ctx, scheme), operating_grant(ctx, scheme)]
