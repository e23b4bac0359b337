"""Annual assessments: scores in, grade out, and the consequences of the grade history applied
once an officer confirms them (rectification, subsidies withheld or cancelled, revocation)."""
import calendar
import datetime

from core.assessment import KINDS, GradeRecord, assessment_day
from core.models import Assessment, Recognition, Rectification
from core.programmes import governing_rules
from core.services import subsidies as subsidy_service
from core.services.base import ServiceError, change, check_version, require_reach, require_role, require_text, today

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
    except ValueError as exc:
        raise ServiceError(str(exc), "invalid scores", field="scores") from None
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


def apply_consequences(assessment, consequences, actor, on):
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
        elif c.kind in ("withhold_subsidy", "cancel_previous_cycle_subsidy"):
            target = "withheld" if c.kind == "withhold_subsidy" else "cancelled"
            changed = subsidy_service.apply_to_year(
                recognition.park_id, c.year or assessment.year, c.subsidy_kinds, target,
                f"{c.explanation}（{c.article}）", actor.username,
            )
            if c.kind == "withhold_subsidy":
                # Put the withholding on record even where nothing had been proposed yet.
                changed += subsidy_service.propose_subsidies(recognition, c.year or assessment.year, actor)
            record["subsidies"] = [s.id for s in changed]
        elif c.kind == "revoke":
            if recognition.status != "revoked":
                recognition.status = "revoked"
                recognition.revoked_on = on
                recognition.revocation_reason = c.explanation
                recognition.revocation_article = c.article
                recognition.save()
        applied.append(record)
    return applied


def close_rectification(rectification, passed, remark, actor, expected_version=None, on=None):
    """Record the outcome of a rectification; a failed one sets off its own consequences."""
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
        rectification.outcome = "passed" if passed else "failed"
        rectification.closed_on = on
        rectification.remark = remark
        rectification.save()
        recognition = Recognition.get_by_id(assessment.recognition_id)
        applied = []
        if passed:
            if recognition.status == "rectifying":
                recognition.status = "active"
                recognition.save()
        else:
            consequences = governing_rules(recognition).consequences(history_of(recognition), assessment.assessed_on)
            # Only what the failed rectification adds: the grade's own consequences were applied at confirmation.
            done = {(c["kind"], c.get("year")) for c in assessment.consequences or []}
            new = [c for c in consequences if (c.kind, c.year) not in done and c.kind != "rectify"]
            applied = apply_consequences(assessment, new, actor, on)
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
