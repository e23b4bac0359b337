"""Annual assessments: scores in, grade out, and the consequences of the grade history applied
once an officer confirms them (rectification, subsidies withheld, held, released or cancelled,
revocation), and those a closed rectification adds."""
import calendar
import datetime
from decimal import Decimal

from core.rules.assessment import KINDS, GradeRecord, assessment_day
from core.io.documents.writing import date_zh, yuan_figures
from core.records.models import Assessment, Recognition, Rectification
from core.rules.programmes import governing_rules
from core.records.services import subsidies as subsidy_service
from core.records.services.base import ServiceError, change, check_version, require_reach, require_role, require_text, today
from core.records.vocab import SUBSIDY_KINDS

ASSESSOR_ROLES = ("city_officer",)


def add_months(day, months):
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def history_of(recognition, extra=None):
    """GradeRecords of the recognition's confirmed assessments, oldest first (+ `extra` if given)."""
    records = []
    assessments = (
        Assessment.select()
        .where((Assessment.recognition == recognition) & (Assessment.status == "confirmed"))
        .order_by(Assessment.year, Assessment.id)
    )
    for a in assessments:
        if extra is not None and a.id == extra.id:
            continue
        records.append(GradeRecord(a.year, a.grade, _rectification_outcome(a)))
    if extra is not None:
        records.append(GradeRecord(extra.year, extra.grade, _rectification_outcome(extra)))
        records.sort(key=lambda r: r.year)
    return records


def _rectification_outcome(assessment):
    latest = assessment.rectifications.order_by(Rectification.id.desc()).first()
    return None if latest is None else latest.outcome


def create_assessment(recognition, year, scores, actor, assessed_on=None):
    """A draft assessment with its weighted total and grade; nothing follows until it is confirmed."""
    require_reach(actor, recognition.park)
    require_role(actor, ASSESSOR_ROLES, "录入年度考核", "enter an assessment")
    if recognition.status == "revoked":
        raise ServiceError("该园区资格已取消，不再考核", "the recognition is revoked")
    if year < recognition.recognised_on.year:
        raise ServiceError(
            f"{year}年早于认定年份{recognition.recognised_on.year}年",
            f"{year} is before the recognition year {recognition.recognised_on.year}",
        )
    rules = governing_rules(recognition)
    try:
        total, grade = rules.grade(scores, assessment_day(year))
    except ValueError as exc:  # ScoreError names the indicators in each language
        raise ServiceError(getattr(exc, "zh", str(exc)), getattr(exc, "en", "invalid scores"), field="scores") from None
    with change(actor):
        if Assessment.select().where(
            (Assessment.recognition == recognition) & (Assessment.year == year) & (Assessment.status != "cancelled")
        ).exists():
            raise ServiceError(f"{year}年度已有考核记录", f"an assessment of {year} already exists")
        return Assessment.create(
            recognition=recognition,
            year=year,
            scores={k: str(v) for k, v in scores.items()},
            total_score=total,
            grade=grade,
            assessed_on=assessed_on or today(),
            assessed_by=actor.username,
        )


def preview_consequences(assessment):
    """What confirming this assessment would set off, per the jurisdiction's rules."""
    recognition = assessment.recognition
    return governing_rules(recognition).consequences(history_of(recognition, extra=assessment), assessment.assessed_on)


def confirm_assessment(assessment, actor, expected_version=None, on=None):
    """Confirm the grade and apply its consequences, each recorded with its article."""
    on = on or today()
    require_reach(actor, assessment.recognition.park)
    require_role(actor, ASSESSOR_ROLES, "确认考核结果", "confirm an assessment")
    with change(actor):
        assessment = Assessment.get_by_id(assessment.id)
        check_version(assessment, expected_version)
        if assessment.status != "draft":
            raise ServiceError("考核结果已确认或已取消", "the assessment is already confirmed or cancelled")
        assessment.status = "confirmed"
        assessment.save()
        applied = apply_consequences(assessment, preview_consequences(assessment), actor, on)
        assessment.consequences = applied
        assessment.save()
        return assessment


def apply_consequences(assessment, consequences, actor, on, rectification=None):
    """Apply `consequences` of `assessment` (and of its closed `rectification`, when given); return
    what was applied, each with its article, as stored on the assessment."""
    recognition = Recognition.get_by_id(assessment.recognition_id)
    applied = []
    for c in consequences:
        record = {
            "kind": c.kind,
            "label": KINDS.get(c.kind, (c.kind, c.kind))[0],
            "article": c.article,
            "explanation": c.explanation,
            "explanation_en": c.explanation_en,
            "year": c.year,
        }
        if c.kind == "rectify":
            months = c.deadline_months
            if not months:  # the period is the jurisdiction's parameter, never a number of ours
                raise ServiceError(
                    f"整改期限未由辖区规则给出（{c.article}），请检查插件参数 rectification_months",
                    "the jurisdiction's rules give no rectification period (parameter rectification_months)",
                )
            rectification = Rectification.create(assessment=assessment, deadline=add_months(on, months))
            record["deadline"] = rectification.deadline.isoformat()
            if recognition.status == "active":
                recognition.status = "rectifying"
                recognition.save()
        elif c.kind == "grant_subsidy":
            created = subsidy_service.propose_subsidies(recognition, c.year or assessment.year, actor)
            record["subsidies"] = [s.id for s in created]
        elif c.kind in SUBSIDY_CONSEQUENCES:
            target, sources = SUBSIDY_CONSEQUENCES[c.kind]
            changed = subsidy_service.apply_to_year(
                recognition.park_id, c.year or assessment.year, c.subsidy_kinds, target,
                _subsidy_reason(c, rectification), actor.username, only_statuses=sources,
            )
            if c.kind != "cancel_previous_cycle_subsidy":
                # Put the withholding or holding on record even where nothing had been proposed yet,
                # and propose what a released year's formula now gives if nothing stood.
                changed += subsidy_service.propose_subsidies(recognition, c.year or assessment.year, actor)
            record["subsidies"] = [s.id for s in changed]
            if c.kind == "cancel_previous_cycle_subsidy":
                record["amount"] = str(sum((s.amount for s in changed), start=Decimal("0")))
        elif c.kind == "revoke":
            if recognition.status != "revoked":
                recognition.status = "revoked"
                recognition.revoked_on = on
                recognition.revocation_reason = c.explanation
                recognition.revocation_article = c.article
                recognition.save()
        applied.append(record)
    return applied


#: consequence kind -> (the status it sets, the statuses it changes)
SUBSIDY_CONSEQUENCES = {
    "withhold_subsidy": ("withheld", ("proposed", "approved")),
    "hold_subsidy": ("held", ("proposed", "approved")),
    "release_subsidy": ("proposed", ("held",)),
    "cancel_previous_cycle_subsidy": ("cancelled", ("proposed", "approved", "held")),
}


def _subsidy_reason(consequence, rectification):
    """Why a subsidy changes status: the consequence with its article, the rectification that
    released it, or the amount a cancellation takes away."""
    reason = f"{consequence.explanation}（{consequence.article}）"
    if consequence.kind == "release_subsidy" and rectification is not None:
        reason += (f"：整改期限至{date_zh(rectification.deadline)}，{date_zh(rectification.closed_on)}复核整改合格"
                   f"（{rectification.remark}）")
    if consequence.kind == "cancel_previous_cycle_subsidy":
        return lambda subsidy: (f"{reason}：取消{subsidy.year}年度{SUBSIDY_KINDS.label(subsidy.kind)}"
                                f"{yuan_figures(subsidy.amount)}")
    return reason


def rectify_order(assessment):
    """The jurisdiction's `rectify` consequence for this assessment's grade (the rectification
    answers to it), or None."""
    recognition = Recognition.get_by_id(assessment.recognition_id)
    earlier = [r for r in history_of(recognition) if r.year < assessment.year]
    history = earlier + [GradeRecord(assessment.year, assessment.grade, "pending")]
    return next((c for c in governing_rules(recognition).consequences(history, assessment.assessed_on) if c.kind == "rectify"), None)


def failure_refused_until(rectification, on):
    """The deadline, if the rectification cannot yet be found still unqualified on `on` (“整改期满仍
    不合格” — on or after the deadline, not before); else None."""
    order = rectify_order(rectification.assessment)
    if order is not None and order.failure_from_deadline and on < rectification.deadline:
        return rectification.deadline
    return None


def close_rectification(rectification, passed, remark, actor, expected_version=None, on=None):
    """Record the outcome of a rectification and apply what it adds to the grade's consequences
    (a held subsidy released or cancelled, a recognition revoked)."""
    on = on or today()
    assessment = rectification.assessment
    require_reach(actor, assessment.recognition.park)
    require_role(actor, ASSESSOR_ROLES, "办结整改", "close a rectification")
    remark = require_text(remark, "整改复核意见", "a remark", field="remark")
    with change(actor):
        rectification = Rectification.get_by_id(rectification.id)
        check_version(rectification, expected_version)
        if rectification.outcome != "pending":
            raise ServiceError("该整改已办结", "the rectification is already closed")
        deadline = None if passed else failure_refused_until(rectification, on)
        if deadline is not None:
            article = rectify_order(rectification.assessment).article
            raise ServiceError(
                f"整改期限至{date_zh(deadline)}，整改期满（该日起）方可认定整改后仍不合格（{article}“整改期满仍不合格”）",
                f"the rectification runs until {deadline.isoformat()}: it can be found still unqualified only on or "
                f"after that day ({article})",
                field="outcome",
            )
        rectification.outcome = "passed" if passed else "failed"
        rectification.closed_on = on
        rectification.remark = remark
        rectification.save()
        recognition = Recognition.get_by_id(assessment.recognition_id)
        # The history up to the rectified year: a later year's assessment is not what it answers.
        history = [r for r in history_of(recognition) if r.year <= assessment.year]
        consequences = governing_rules(recognition).consequences(history, assessment.assessed_on)
        # Only what the closed rectification adds: the grade's own consequences were applied at confirmation.
        done = {(c["kind"], c.get("year")) for c in assessment.consequences or []}
        new = [c for c in consequences if (c.kind, c.year) not in done and c.kind != "rectify"]
        applied = apply_consequences(assessment, new, actor, on, rectification=rectification)
        if applied:
            assessment = Assessment.get_by_id(assessment.id)
            assessment.consequences = list(assessment.consequences or []) + applied
            assessment.save()
        recognition = Recognition.get_by_id(recognition.id)
        if recognition.status == "rectifying":
            recognition.status = "active"
            recognition.save()
        return rectification, applied


def cancel_assessment(assessment, reason, actor):
    """Withdraw a draft assessment entered in error (confirmed ones stand: they have consequences)."""
    require_reach(actor, assessment.recognition.park)
    require_role(actor, ASSESSOR_ROLES, "取消考核记录", "cancel an assessment")
    reason = require_text(reason, "取消理由", "a reason", field="reason")
    with change(actor):
        assessment = Assessment.get_by_id(assessment.id)
        if assessment.status != "draft":
            raise ServiceError("已确认的考核结果不能取消", "a confirmed assessment cannot be cancelled")
        assessment.status = "cancelled"
        assessment.cancel_reason = reason
        assessment.save()
        return assessment
