"""Annual assessment: indicators and weights, grade tiers, and the consequences of a grade history."""
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EXCELLENT, QUALIFIED, UNQUALIFIED = "excellent", "qualified", "unqualified"
GRADE_ORDER = (EXCELLENT, QUALIFIED, UNQUALIFIED)
#: Every indicator is scored within these bounds (inclusive).
LOWEST_SCORE, HIGHEST_SCORE = Decimal(0), Decimal(100)


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str  # e.g. 定量 / 定性, or the three headings of a city's indicators
    label: str
    label_en: str
    article: str
    weight: Decimal  # a local default unless the measures fix it
    weight_param: str = ""  # the parameter id the weight comes from


@dataclass(frozen=True)
class GradeTier:
    grade: str
    min_score: Decimal  # the lowest total score of this grade (inclusive)
    label: str
    label_en: str
    article: str  # where the grade itself is named
    cutoff_param: str = ""  # the parameter the cut-off comes from (a local default)


@dataclass(frozen=True)
class GradeRecord:
    """One annual assessment in a park's history, oldest first."""

    year: int
    grade: str
    rectification: str | None = None  # None, 'pending', 'passed', 'failed'


@dataclass(frozen=True)
class Consequence:
    kind: str  # see KINDS
    article: str
    explanation: str
    explanation_en: str
    year: int | None = None  # the year a subsidy consequence applies to
    deadline_months: int | None = None
    subsidy_kinds: tuple = ()  # the subsidy kinds a withhold/hold/release/cancel concerns; () = every kind
    #: rectify: "still unqualified" is found only on or after the deadline (整改期满).
    failure_from_deadline: bool = False


KINDS = {
    "grant_subsidy": ("发放/兑现补贴", "subsidy granted"),
    "commendation": ("通报表扬", "public commendation"),
    "recommend_provincial": ("推荐申报省级产业园", "recommended for provincial level"),
    "criticism": ("通报批评", "public criticism"),
    "rectify": ("限期整改", "rectification within a deadline"),
    "withhold_subsidy": ("当年不予兑现运营补贴", "operating subsidy withheld for the year"),
    "hold_subsidy": ("整改期间暂缓兑现补助资金", "subsidy held while the park rectifies"),
    "release_subsidy": ("整改合格，恢复兑现补助资金", "held subsidy released after a passed rectification"),
    "cancel_previous_cycle_subsidy": ("取消上一个考核评估周期应划拨的补助资金", "previous cycle's subsidy cancelled"),
    "revoke": ("取消市级产业园资格", "recognition revoked"),
}


class ScoreError(ValueError):
    """Scores that cannot be graded; the message names the indicators by their names in each
    language (`zh`, `en`), never by their ids. str() reads "中文 (English)"."""

    def __init__(self, zh, en):
        super().__init__(f"{zh} ({en})")
        self.zh, self.en = zh, en


def weighted_total(indicators, scores, places="0.01") -> Decimal:
    """Σ weight × score / Σ weight, to `places` (None: exact); every indicator scored 0–100."""
    missing = [i for i in indicators if i.id not in scores]
    if missing:
        raise ScoreError(f"未打分的指标：{'、'.join(i.label for i in missing)}",
                         f"indicators not scored: {', '.join(i.label_en or i.label for i in missing)}")
    total_weight = sum((Decimal(i.weight) for i in indicators), Decimal(0))
    if total_weight <= 0:
        raise ScoreError("指标权重之和须大于0", "weights must add up to more than 0")
    acc = Decimal(0)
    for i in indicators:
        try:
            score = Decimal(str(scores[i.id]).strip())
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite():
            raise ScoreError(f"指标“{i.label}”的得分“{scores[i.id] or ''}”不是数值",
                             f"the score of “{i.label_en or i.label}” is not a number: “{scores[i.id] or ''}”")
        if not LOWEST_SCORE <= score <= HIGHEST_SCORE:
            raise ScoreError(f"指标“{i.label}”的得分{score}超出0–100",
                             f"the score {score} of “{i.label_en or i.label}” is out of range 0–100")
        acc += Decimal(i.weight) * score
    exact = acc / total_weight
    return exact if places is None else exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def grade_for(tiers, total: Decimal) -> str:
    """The best tier whose cut-off the total reaches (以上: the cut-off itself is included)."""
    for tier in sorted(tiers, key=lambda t: t.min_score, reverse=True):
        if total >= tier.min_score:
            return tier.grade
    return UNQUALIFIED


def assessment_day(year) -> datetime.date:
    """The day whose rules grade the assessment of `year`: its last. The year is the period assessed,
    so its indicators, weights, cut-offs and tiers are those in force for it, whenever it is entered."""
    return datetime.date(year, 12, 31)
