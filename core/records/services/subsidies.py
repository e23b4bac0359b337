"""Subsidies: proposed by the jurisdiction's formula, then approved → paid, or withheld /
cancelled / recovered, each step with its actor and reason."""
import datetime
from dataclasses import dataclass

from core.records import reminders
from core.rules.facts import load_park_facts
from core.records.models import Assessment, Rectification, Subsidy
from core.rules.programmes import governing_rules
from core.records.services.base import ServiceError, change, check_version, require_reach, require_role, require_text
from core.rules.subsidy import SubsidyContext
from core.records.vocab import SUBSIDY_STATUSES

#: status -> {action: (new status, roles, reason required)}
ACTIONS = {
    "approve": ("proposed", "approved", ("city_officer",), False),
    "pay": ("approved", "paid", ("city_finance",), False),
    "withhold": (("proposed", "approved"), "withheld", ("city_officer",), True),
    "cancel": (("proposed", "approved"), "cancelled", ("city_officer",), True),
    "recover": ("paid", "recovered", ("city_officer", "city_finance"), True),
}
ACTION_LABELS = {
    "approve": ("核准", "approve"),
    "pay": ("拨付", "pay"),
    "withhold": ("不予兑现", "withhold"),
    "cancel": ("取消", "cancel"),
    "recover": ("追回", "recover"),
}
#: The longest voucher number, fund source or payee account taken (the VARCHAR columns hold 255).
MAX_PAYMENT_TEXT = 100
#: A subsidy in one of these statuses stands: a second proposal of the same kind and year is not made.
STANDING = ("proposed", "approved", "paid", "held", "withheld", "recovered")


def grades_of(recognition):
    """{year: grade} of the recognition's confirmed assessments."""
    return {
        a.year: a.grade
        for a in Assessment.select(Assessment.year, Assessment.grade).where(
            (Assessment.recognition == recognition) & (Assessment.status == "confirmed")
        )
    }


def rectifications_of(recognition):
    """{year: outcome} of the rectification each confirmed assessment of the recognition ordered
    (the latest, where one was ordered twice)."""
    rows = (
        Rectification.select(Assessment.year, Rectification.outcome)
        .join(Assessment)
        .where((Assessment.recognition == recognition) & (Assessment.status == "confirmed"))
        .order_by(Rectification.id)
        .tuples()
    )
    return dict(rows)


def subsidy_context(recognition, year, facts=None):
    facts = facts or load_park_facts([recognition.park_id])[recognition.park_id]
    return SubsidyContext(
        park=facts,
        year=year,
        recognised_on=recognition.recognised_on,
        recognition_status=recognition.status,
        revoked_on=recognition.revoked_on,
        grades=grades_of(recognition),
        rectifications=rectifications_of(recognition),
    )


def compute(recognition, year):
    """The formula's proposals for `year`, without writing anything."""
    return governing_rules(recognition).subsidies(subsidy_context(recognition, year))


def propose_subsidies(recognition, year, actor):
    """Record what the formula says is due (or withheld) for `year`; return the rows created."""
    require_reach(actor, recognition.park)
    require_role(actor, ("city_officer",), "测算补贴", "propose subsidies")
    created = []
    with change(actor):
        for proposal in compute(recognition, year):
            if not (proposal.due or proposal.withheld or proposal.held):
                continue
            exists = Subsidy.select().where(
                (Subsidy.park == recognition.park_id)
                & (Subsidy.kind == proposal.kind)
                & (Subsidy.year == proposal.year)
                & (Subsidy.status.in_(STANDING))
            ).exists()
            if exists:
                continue
            created.append(
                Subsidy.create(
                    park=recognition.park_id,
                    jurisdiction=recognition.jurisdiction_id,
                    recognition=recognition,
                    programme=recognition.programme,
                    programme_version=recognition.programme_version,
                    kind=proposal.kind,
                    year=proposal.year,
                    amount=proposal.amount,
                    rule_id=proposal.rule_id,
                    article=proposal.article,
                    explanation=proposal.explanation,
                    explanation_en=proposal.explanation_en,
                    status="held" if proposal.held else "withheld" if proposal.withheld else "proposed",
                    status_reason=proposal.explanation if (proposal.withheld or proposal.held) else "",
                    amount_concerned=proposal.withheld_amount if proposal.withheld else None,
                    status_changed_by=actor.username,
                    status_changed_at=datetime.datetime.now().replace(microsecond=0),
                )
            )
    return created


def allowed_actions(subsidy, role):
    result = []
    for action, (sources, _target, roles, _reason) in ACTIONS.items():
        sources = (sources,) if isinstance(sources, str) else sources
        if subsidy.status in sources and role in roles:
            result.append(action)
    return result


@dataclass(frozen=True)
class Payment:
    """A payment as the finance bureau records it (拨付): the day, the voucher number (凭证号), the
    source of the funds (资金来源, e.g. 就业补助资金) and the payee's account."""

    paid_on: datetime.date | None
    voucher: str
    fund_source: str
    payee_account: str


def _checked_payment(payment, subsidy, today):
    """`payment` with its texts stripped, or a ServiceError naming the field that is wrong."""
    if payment is None or payment.paid_on is None:
        raise ServiceError("请填写有效的拨付日期，如 2025-10-11 或 2025年10月11日",
                           "enter the day paid as a real date, e.g. 2025-10-11", field="paid_on")
    if payment.paid_on > today:
        raise ServiceError(f"拨付日期{payment.paid_on.isoformat()}晚于今天，不能预先登记",
                           f"the day paid {payment.paid_on.isoformat()} is after today", field="paid_on")
    if payment.paid_on.year < subsidy.year:
        raise ServiceError(f"拨付日期{payment.paid_on.isoformat()}早于补贴所属的{subsidy.year}年度",
                           f"the day paid is before the subsidy's year {subsidy.year}", field="paid_on")
    texts = {}
    for name, zh, en in (("voucher", "凭证号", "the voucher number"), ("fund_source", "资金来源", "the source of the funds"),
                         ("payee_account", "收款账户", "the payee's account")):
        text = require_text(getattr(payment, name), zh, en, field=name)
        if len(text) > MAX_PAYMENT_TEXT:
            raise ServiceError(f"{zh}不能超过{MAX_PAYMENT_TEXT}个字符", f"{en}: at most {MAX_PAYMENT_TEXT} characters", field=name)
        texts[name] = text
    return Payment(payment.paid_on, **texts)


def act(subsidy, action, actor, reason="", expected_version=None, payment=None, today=None):
    """Approve, pay (with the `payment` details), withhold, cancel or recover a subsidy; the last three
    record the amount they concern."""
    if action not in ACTIONS:
        raise ServiceError(f"未知操作 {action}", f"unknown action {action}")
    require_reach(actor, subsidy.park)
    sources, target, roles, reason_required = ACTIONS[action]
    label, label_en = ACTION_LABELS[action]
    require_role(actor, roles, f"{label}补贴", f"{label_en} a subsidy")
    sources = (sources,) if isinstance(sources, str) else sources
    if reason_required:
        reason = require_text(reason, f"{label}理由", "a reason", field="reason")
    with change(actor):
        subsidy = Subsidy.get_by_id(subsidy.id)
        check_version(subsidy, expected_version)
        if subsidy.status not in sources:
            raise ServiceError(
                f"补贴当前为“{SUBSIDY_STATUSES.label(subsidy.status)}”，不能{label}",
                f"the subsidy is {subsidy.status}; it cannot be {label_en}d now",
            )
        if action == "pay":
            payment = _checked_payment(payment, subsidy, today or datetime.date.today())
            subsidy.paid_on, subsidy.payment_voucher = payment.paid_on, payment.voucher
            subsidy.fund_source, subsidy.payee_account = payment.fund_source, payment.payee_account
        elif reason_required:
            subsidy.amount_concerned = subsidy.amount
        subsidy.status = target
        subsidy.status_reason = reason or ""
        subsidy.status_changed_by = actor.username
        subsidy.status_changed_at = datetime.datetime.now().replace(microsecond=0)
        subsidy.save()
        if action == "pay":
            reminders.grant_paid(subsidy, actor)
        return subsidy


def apply_to_year(park_id, year, kinds, target, reason, actor_name, only_statuses=("proposed", "approved")):
    """Withhold, hold, release or cancel the park's subsidies of `year` (used by assessment
    consequences); `reason` is a text, or a function of the subsidy giving it."""
    changed = []
    query = Subsidy.select().where(
        (Subsidy.park == park_id) & (Subsidy.year == year) & (Subsidy.status.in_(only_statuses))
    )
    if kinds:
        query = query.where(Subsidy.kind.in_(kinds))
    for subsidy in query:
        if target in ("withheld", "cancelled") and subsidy.amount_concerned is None:
            subsidy.amount_concerned = subsidy.amount
        subsidy.status = target
        subsidy.status_reason = reason(subsidy) if callable(reason) else reason
        subsidy.status_changed_by = actor_name
        subsidy.status_changed_at = datetime.datetime.now().replace(microsecond=0)
        subsidy.save()
        changed.append(subsidy)
    return changed
