"""Subsidies: proposed by the jurisdiction's formula, then approved → paid, or withheld /
cancelled / recovered, each step with its actor and reason."""
import datetime

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


def act(subsidy, action, actor, reason="", expected_version=None):
    """Approve, pay, withhold, cancel or recover a subsidy."""
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
        subsidy.status = target
        subsidy.status_reason = reason or ""
        subsidy.status_changed_by = actor.username
        subsidy.status_changed_at = datetime.datetime.now().replace(microsecond=0)
        subsidy.save()
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
        subsidy.status = target
        subsidy.status_reason = reason(subsidy) if callable(reason) else reason
        subsidy.status_changed_by = actor_name
        subsidy.status_changed_at = datetime.datetime.now().replace(microsecond=0)
        subsidy.save()
        changed.append(subsidy)
    return changed
