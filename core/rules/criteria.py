"""Eligibility criteria and their evaluation: one result per criterion, each citing its article.

A criterion is a function of an `EvaluationContext` returning a `CriterionResult`. Statuses follow
RULES.md: met / not met / not met but waivable (原则上) / needs reviewer judgement; and missing data,
when the facts a computed condition reads are not recorded yet (a park without any site has no
floor area to measure): neither met nor failed, it stands in the way until they are. Reviewer
verdicts and waivers recorded on an application are applied on top, giving `final_status`.
"""
import datetime
import functools
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable

from core.rules.parameters import ParameterError

MET = "met"
NOT_MET = "not_met"
NOT_MET_WAIVABLE = "not_met_waivable"
NEEDS_JUDGEMENT = "needs_judgement"
MISSING_DATA = "missing_data"
STATUSES = (MET, NOT_MET, NOT_MET_WAIVABLE, NEEDS_JUDGEMENT, MISSING_DATA)

# Final statuses once verdicts and waivers are applied.
WAIVED = "waived"
JUDGED_MET = "judged_met"
JUDGED_NOT_MET = "judged_not_met"


class _Unsaid:
    """The value of a result's text not written yet (see `_Said`)."""

    def __repr__(self):
        return "<unsaid>"


UNSAID = _Unsaid()


class _Said:
    """A text field of a `CriterionResult` (explanation, explanation_en) written when first read.

    A batch evaluates every criterion of a thousand parks and shows none of their explanations: a
    result given `explain` (a function answering (zh, en)) calls it the first time either text is
    read, and keeps both. The texts are those the check would have written at once."""

    def __init__(self, index):
        self.index = index

    def __set_name__(self, owner, name):
        self.slot = f"_{name}"

    def __get__(self, result, owner=None):
        if result is None:
            return UNSAID  # the field's default: nothing given
        value = result.__dict__[self.slot]
        if value is UNSAID:
            value = result._said()[self.index]
        return value

    def __set__(self, result, value):
        result.__dict__[self.slot] = value


@dataclass
class CriterionResult:
    criterion_id: str
    article: str
    title: str
    title_en: str
    status: str
    measured: object = None
    required: object = None
    explanation: str = _Said(0)
    explanation_en: str = _Said(1)
    source: str = ""  # the plugin that supplied the criterion
    final_status: str = ""
    verdict_remark: str = ""
    waiver_reason: str = ""
    #: () -> (zh, en): the explanation, written only when read (`_Said`); None when given as texts.
    explain: Callable | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"未知的结论 {self.status!r} — unknown status {self.status!r}")
        if not self.final_status:
            self.final_status = self.status
        if self.explain is None:
            for name in ("_explanation", "_explanation_en"):
                if self.__dict__[name] is UNSAID:
                    self.__dict__[name] = ""

    def _said(self):
        """(zh, en) written now by `explain`; a text already given or set stays as it is."""
        texts = self.explain()
        for name, text in zip(("_explanation", "_explanation_en"), texts):
            if self.__dict__[name] is UNSAID:
                self.__dict__[name] = text
        return self.__dict__["_explanation"], self.__dict__["_explanation_en"]

    def __getstate__(self):  # pickled with its texts written: `explain` is a closure over the facts
        if self.explain is not None:
            self._said()
        return {**self.__dict__, "explain": None}

    def in_words_of(self, inherited):
        """This result as `inherited` (a county's plugin reading its city's texts) words it; an
        explanation not written yet is reworded when it is."""
        if self.explain is None or UNSAID not in (self.__dict__["_explanation"], self.__dict__["_explanation_en"]):
            return inherited(self)
        said = self._said_later()
        return CriterionResult(
            self.criterion_id, self.article, inherited(self.title), inherited(self.title_en), self.status, self.measured,
            self.required, UNSAID, UNSAID, self.source, self.final_status, self.verdict_remark, self.waiver_reason,
            explain=lambda: tuple(inherited(list(said()))))

    def _said_later(self):
        """A function answering this result's (zh, en) when called (a text given stays)."""
        given, explain = (self.__dict__["_explanation"], self.__dict__["_explanation_en"]), self.explain

        def said():
            texts = explain()
            return tuple(text if g is UNSAID else g for g, text in zip(given, texts))

        return said

    def explanation_in(self, locale):
        """The explanation in `locale`'s language (anything Chinese: zh_CN; else English), as shown."""
        from core.rules.formatting import ZH, locale_of

        return self.explanation if locale_of(locale) == ZH else self.explanation_en

    @property
    def blocking(self) -> bool:
        """True while this result stands in the way of recognition."""
        return self.final_status in (NOT_MET, NOT_MET_WAIVABLE, NEEDS_JUDGEMENT, JUDGED_NOT_MET, MISSING_DATA)

    def as_dict(self):
        keys = ("article", "title", "title_en", "status", "final_status", "measured", "required", "explanation",
                "explanation_en", "source", "verdict_remark", "waiver_reason")
        return {"id": self.criterion_id, **{key: _plain(getattr(self, key)) for key in keys}}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date,)):
        return value.isoformat()
    return value


def say(texts, name, /, **values):
    """(zh, en) of `texts[name]` filled with `values`; English reads `<key>_en` for `{key}` where given."""
    zh, en = texts[name]
    return zh.format(**values), en.format(**{**values, **{k[:-3]: v for k, v in values.items() if k.endswith("_en")}})


@dataclass(frozen=True)
class Criterion:
    """One condition of the measures. `check(ctx)` returns a CriterionResult.

    `waivable` marks a 原则上 rule; `judgement` marks a qualitative one (a reviewer decides).
    `parameters` names the numbers it reads that may begin later than the measures (a county's own
    number, dated from its measure's start): on a day one of them has no value the criterion is not
    a condition of that day (`criteria_in_force`), as the article did not yet exist.
    """

    id: str
    article: str
    title: str
    title_en: str
    check: Callable
    waivable: bool = False
    judgement: bool = False
    source: str = ""
    parameters: tuple = ()
    #: {name: (zh, en)}: the wording criteria.yaml gives its explanations (`say`).
    texts: dict = field(default_factory=dict, hash=False)
    #: Waivable while this number is true on the day evaluated (a chapeau's 原则上 a revision may drop).
    waivable_parameter: str = ""

    def say(self, name, /, **values):
        return say(self.texts, name, **values)

    def result(self, status, measured=None, required=None, explanation="", explanation_en="", explain=None):
        """A result of this criterion; a failing 原则上 rule becomes 'not met, waivable'. `explain`
        (() -> (zh, en)) instead of the texts: they are written only when read (CriterionResult)."""
        if status == NOT_MET and self.waivable:
            status = NOT_MET_WAIVABLE
        return CriterionResult(
            self.id, self.article, self.title, self.title_en, status, measured, required,
            UNSAID if explain else explanation, UNSAID if explain else explanation_en, self.source, explain=explain,
        )

    def run(self, ctx):
        waivable = bool(ctx.param(self.waivable_parameter)) if self.waivable_parameter else self.waivable
        return self.check(self if waivable == self.waivable else replace(self, waivable=waivable), ctx)


def criteria_in_force(criteria, parameters, on):
    """The `criteria` that are conditions on day `on`: those whose declared numbers (`parameters`)
    all have a value that day. A declared number that does not exist is an error, naming both."""
    in_force = []
    for criterion in criteria:
        missing = [pid for pid in criterion.parameters if pid not in parameters]
        if missing:
            raise ParameterError(
                f"条件 {criterion.id} 声明的参数 {', '.join(missing)} 不存在 "
                f"(criterion {criterion.id} declares unknown parameters {', '.join(missing)})"
            )
        if all(parameters.get(pid).has_value_on(on) for pid in criterion.parameters):
            in_force.append(criterion)
    return in_force


@functools.cache  # one check per declaration: a county's item inheriting it has the city's
def threshold(measure, pid, at_most=False):
    """The check criteria.yaml declares as `measure:` with `at_least:` (or `at_most:`) a parameter: the
    plugin's `measure(ctx)` answers {"value": …, names its texts read} or None while the facts are not
    recorded (its `missing` text); texts `met` / `not_met` read {value} {required} {gap}, in yuan where
    the parameter's unit is yuan; a waivable criterion's shortfall is followed by its `waived` text.
    A measure may give the names its texts read as "words": a function answering them, called only
    when the explanation is read (what it costs to write is then spent only when shown)."""

    def check(criterion, ctx):
        required = ctx.param(pid)
        in_yuan = ctx.parameters.get(pid).unit == "yuan"
        found = measure(ctx)
        if found is None:
            return criterion.result(MISSING_DATA, None, required, explain=lambda: criterion.say(
                "missing", **_numbers(in_yuan, required=required)))
        value = found["value"]
        met = value <= required if at_most else value >= required

        def explain():
            words = {**found, **found["words"]()} if "words" in found else found
            numbers = _numbers(in_yuan, required=required, value=value, gap=abs(value - required))
            zh, en = criterion.say(found.get("text", "met" if met else "not_met"), **{**words, **numbers})
            if not met and criterion.waivable and "waived" in criterion.texts:
                zh, en = (a + b for a, b in zip((zh, en), criterion.say("waived")))
            return zh, en

        return criterion.result(MET if met else NOT_MET, found.get("measured", value), required, explain=explain)

    return check


def _numbers(in_yuan, **values):
    """{name: the number as the texts write it, name_en: in English}: yuan (3000万元) or a plain number."""
    zh_of, en_of = (fmt_yuan, fmt_yuan_en) if in_yuan else (fmt_number, fmt_number)
    return {key: text for name, value in values.items() for key, text in ((name, zh_of(value)), (f"{name}_en", en_of(value)))}


def named(module, prefix):
    """{name: function} of the functions of `module` called `<prefix><name>` (a plugin's checks, measures)."""
    return {key[len(prefix):]: value for key, value in vars(module).items() if key.startswith(prefix) and callable(value)}


def judgement_criterion(id, article, title, title_en, prompt, prompt_en, source=""):
    """A qualitative condition: the checker lists it as needing reviewer judgement."""

    def check(criterion, ctx):
        return criterion.result(NEEDS_JUDGEMENT, explanation=prompt, explanation_en=prompt_en)

    return Criterion(id, article, title, title_en, check, judgement=True, source=source)


@dataclass
class EvaluationContext:
    park: object  # core.rules.facts.ParkFacts
    year: int  # the year of application; figures of the previous year are read
    as_of: datetime.date
    parameters: object  # core.rules.parameters.ParameterSet
    jurisdiction: object = None  # core.rules.jurisdiction.JurisdictionInfo
    warnings: list = field(default_factory=list)
    _resident: list | None = field(default=None, init=False, repr=False, compare=False)
    _once: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def param(self, pid):
        return self.parameters.value(pid, self.as_of)

    def once(self, compute):
        """`compute(self)`, worked out once for the several criteria of this evaluation that read it
        (a plugin's sorting of the resident agencies, say)."""
        try:
            return self._once[compute]
        except KeyError:
            value = self._once[compute] = compute(self)
            return value

    def resident_agencies(self):
        """The park's agencies resident on `as_of`, sorted out once for the several criteria that count them."""
        if self._resident is None:
            self._resident = self.park.resident_agencies(self.as_of)
        return self._resident

    @property
    def previous_year(self):
        return self.year - 1


@dataclass
class Evaluation:
    jurisdiction: str
    park: str
    year: int
    as_of: datetime.date
    results: list
    warnings: list = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """eligible / not_eligible / incomplete (facts still to be recorded) / pending (judgement or a
        waiver still to be recorded)."""
        finals = {r.final_status for r in self.results}
        if finals & {NOT_MET, JUDGED_NOT_MET}:
            return "not_eligible"
        if MISSING_DATA in finals:
            return "incomplete"
        if finals & {NOT_MET_WAIVABLE, NEEDS_JUDGEMENT}:
            return "pending"
        return "eligible"

    def by_id(self, criterion_id):
        for r in self.results:
            if r.criterion_id == criterion_id:
                return r
        raise KeyError(criterion_id)

    def as_dict(self):
        return {
            "jurisdiction": self.jurisdiction,
            "park": self.park,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "outcome": self.outcome,
            "warnings": list(self.warnings),
            "results": [r.as_dict() for r in self.results],
        }


def default_as_of(year, today):
    """The day agencies are counted on: the end of `year`, or `today` (the caller's day: the
    request's, the command's --on) while `year` is running."""
    end = datetime.date(year, 12, 31)
    return min(end, today) if today.year >= year else end


def apply_decisions(results, verdicts=None, waivers=None):
    """Apply reviewer verdicts {id: (met, remark)} and waivers {id: reason} to the results."""
    verdicts = verdicts or {}
    waivers = waivers or {}
    for r in results:
        if r.status == NEEDS_JUDGEMENT and r.criterion_id in verdicts:
            met, remark = verdicts[r.criterion_id]
            r.final_status = JUDGED_MET if met else JUDGED_NOT_MET
            r.verdict_remark = remark
        elif r.status == NOT_MET_WAIVABLE and r.criterion_id in waivers:
            r.final_status = WAIVED
            r.waiver_reason = waivers[r.criterion_id]
    return results


def evaluate_criteria(criteria, ctx, verdicts=None, waivers=None):
    return apply_decisions([criterion.run(ctx) for criterion in criteria], verdicts, waivers)


# --- explanation helpers: numbers read the way an official writes them ---------------------------


def fmt_number(value) -> str:
    """1999 -> '1999'; Decimal('2000.50') -> '2000.5'; no float noise."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def fmt_yuan(value) -> str:
    """Yuan as 万元 when round, else yuan: 30000000 -> '3000万元'."""
    value = value if isinstance(value, Decimal) else Decimal(str(value))  # str: no float noise
    if value % 10000 == 0 and value:
        return f"{fmt_number(value / 10000)}万元"
    return f"{fmt_number(value)}元"


def unlicensed_note(agencies, article, shown=10) -> tuple:
    """(zh, en) naming the operating agencies left out for holding no HR service licence or filing
    certificate, with the article that requires one; ('', '') when there are none."""
    if not agencies:
        return "", ""
    names = [a.name for a in agencies]
    more = len(names) - shown
    listed_zh = "、".join(names[:shown]) + (f"等{len(names)}家" if more > 0 else "")
    listed_en = ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")
    return (
        f"未取得人力资源服务许可证或备案凭证的经营性机构{len(names)}家（{listed_zh}）不计入（{article}）",
        f"{len(names)} operating agencies without an HR service licence or filing certificate ({listed_en}) "
        f"not counted ({article})",
    )


def fmt_yuan_en(value) -> str:
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"CNY {value:,.2f}".replace(".00", "")
