"""Deadlines that fall on a park: the last day of a public notice still running, a pending
rectification's deadline, the last day of the yearly assessment where the measures name its quarter.

The daily reminder scan (core.records.reminders) reads the ones drawing near; each account's
calendar feed reads all of those within its reach. A deadline's `key` never changes, so a reminder
is not repeated and a calendar event keeps its UID.
"""
import calendar
import datetime
from dataclasses import dataclass

from core.plugin.registry import RulesUnavailable
from core.records.models import Application, Assessment, Park, PublicNotice, Recognition, Rectification
from core.rules.formatting import EN, ZH, format_date
from core.rules.programmes import governing_rules

#: Who is told of a rectification or an assessment falling due: the bureau that assesses, and the park.
ASSESSING_ROLES = ("city_officer", "park_operator")


@dataclass(frozen=True)
class Deadline:
    """One day something must be done by, said in both languages, with the article it rests on."""

    kind: str  # vocab.NOTIFICATION_KINDS
    key: str
    day: datetime.date
    park: Park
    record_table: str
    record_id: int
    title: str
    title_en: str
    body: str
    body_en: str
    article: str
    roles: tuple  # the roles told of it (among the accounts reaching the park)


def quarter_end(year, quarter) -> datetime.date:
    month = 3 * quarter
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def acting_roles(procedure, state):
    """The roles an application in `state` waits for: those that may take a step of `procedure` from
    it, and those that record verdicts or waivers in it (a review panel)."""
    roles = {role for t in procedure.transitions if t.source == state for role in t.roles}
    for stage in (procedure.verdict_stage, procedure.waiver_stage):
        if stage is not None and state in stage.states:
            roles.update(stage.roles)
    return tuple(sorted(roles))


def rules_or_none(record):
    """The rules governing `record`, or None where its programme cannot load."""
    try:
        return governing_rules(record)
    except RulesUnavailable:  # a programme that cannot load reminds of nothing rather than guessing
        return None


def _in_parks(query, park_column, park_ids):
    return query if park_ids is None else query.where(park_column.in_(sorted(park_ids)))


def notice_endings(first, last, park_ids=None):
    """Public notices still running whose last day is between `first` and `last`."""
    query = (PublicNotice.select(PublicNotice, Application, Park).join(Application).join(Park)
             .where(PublicNotice.end.between(first, last)).order_by(PublicNotice.id))
    latest = {}
    for notice in _in_parks(query, Application.park, park_ids):
        latest[notice.application_id] = notice  # an application noticed twice: its last notice
    for notice in latest.values():
        application = notice.application
        rules = rules_or_none(application)
        if rules is None:
            continue
        procedure = rules.procedure()
        opening = [t for t in procedure.transitions if "notice_open" in t.guards and t.target == application.state]
        if not opening:
            continue  # the notice is over: the application moved on
        park = application.park
        start_zh, end_zh = format_date(notice.start, ZH), format_date(notice.end, ZH)
        start_en, end_en = format_date(notice.start, EN), format_date(notice.end, EN)
        yield Deadline(
            kind="notice_ending", key=f"notice_ending:{notice.id}", day=notice.end, park=park,
            record_table="application", record_id=application.id,
            title=f"{park.name}认定公示将于{end_zh}期满",
            title_en=f"Public notice of {park.name} ends on {end_en}",
            body=(f"{park.name}的认定申请（{application.year}年度）正在公示，公示期{start_zh}至{end_zh}"
                  f"（{notice.working_days}个工作日），已收到异议{notice.objection_count}条。"),
            body_en=(f"The application of {park.name} ({application.year}) is under public notice from {start_en} "
                     f"to {end_en} ({notice.working_days} working days); objections received: {notice.objection_count}."),
            article=opening[0].article,
            roles=tuple(sorted(set(acting_roles(procedure, application.state)) | {"park_operator"})),
        )


def rectification_deadlines(first, last, park_ids=None):
    """Rectifications still pending whose deadline is between `first` and `last`."""
    query = (Rectification.select(Rectification, Assessment, Recognition, Park)
             .join(Assessment).join(Recognition).join(Park)
             .where((Rectification.outcome == "pending") & Rectification.deadline.between(first, last))
             .order_by(Rectification.deadline, Rectification.id))
    for rectification in _in_parks(query, Recognition.park, park_ids):
        assessment = rectification.assessment
        park = assessment.recognition.park
        article = next((c.get("article", "") for c in assessment.consequences or () if c.get("kind") == "rectify"), "")
        day_zh, day_en = format_date(rectification.deadline, ZH), format_date(rectification.deadline, EN)
        yield Deadline(
            kind="rectification_due", key=f"rectification_due:{rectification.id}", day=rectification.deadline, park=park,
            record_table="assessment", record_id=assessment.id,
            title=f"{park.name}整改期限{day_zh}",
            title_en=f"{park.name}: rectification due by {day_en}",
            body=f"{park.name}{assessment.year}年度考核不合格，限期整改至{day_zh}，整改结果尚未登记。",
            body_en=(f"{park.name} was graded unqualified for {assessment.year} and must rectify by {day_en}; "
                     f"the outcome is not yet recorded."),
            article=article, roles=ASSESSING_ROLES,
        )


def assessment_deadlines(first, last, park_ids=None):
    """The last day of each recognised park's yearly assessment between `first` and `last`, where the
    measures name the quarter it is held in (parameter `assessment_quarter`) and the year is not yet
    assessed (no confirmed assessment)."""
    query = (Recognition.select(Recognition, Park).join(Park)
             .where(Recognition.status != "revoked").order_by(Recognition.id))
    recognitions = list(_in_parks(query, Recognition.park, park_ids))
    if not recognitions:
        return
    confirmed = set(Assessment.select(Assessment.recognition, Assessment.year).where(
        Assessment.recognition.in_([r.id for r in recognitions]) & (Assessment.status == "confirmed")).tuples())
    for recognition in recognitions:
        rules = rules_or_none(recognition)
        if rules is None or "assessment_quarter" not in rules.parameters:
            continue
        for year in range(first.year, last.year + 1):
            quarter = rules.parameters.value("assessment_quarter", datetime.date(year, 1, 1))
            if quarter not in (1, 2, 3, 4):
                continue
            day, assessed = quarter_end(year, quarter), year - 1
            if not first <= day <= last or recognition.recognised_on.year > assessed:
                continue
            if (recognition.id, assessed) in confirmed:
                continue
            park = recognition.park
            yield Deadline(
                kind="assessment_due", key=f"assessment_due:{recognition.id}:{assessed}", day=day, park=park,
                record_table="recognition", record_id=recognition.id,
                title=f"{park.name}{assessed}年度考核应于{format_date(day, ZH)}前完成",
                title_en=f"{park.name}: the {assessed} assessment is due by {format_date(day, EN)}",
                body=f"{park.name}{assessed}年度运营情况的考核评估应在{year}年第{quarter}季度内完成，尚未确认考核结果。",
                body_en=(f"The assessment of {park.name}'s operation in {assessed} is held in quarter {quarter} "
                         f"of {year}; no result is confirmed yet."),
                article=rules.parameters.get("assessment_quarter").reference,
                roles=ASSESSING_ROLES,
            )


def deadlines_between(first, last, park_ids=None):
    """Every deadline between `first` and `last` (of the parks `park_ids`; None: all), by day."""
    found = [*notice_endings(first, last, park_ids), *rectification_deadlines(first, last, park_ids),
             *assessment_deadlines(first, last, park_ids)]
    return sorted(found, key=lambda d: (d.day, d.key))
