"""The workbench (工作台): every account's home page.

One table of everything waiting on the account across its whole jurisdiction — what, park, since
when, deadline, the button to act — with counts per kind, filtered by kind and by district and
sorted by any column. Below it what falls due: public notices ending within 7 working days, the
annual assessments due, rectification deadlines and grants approved but not yet paid.

Each kind is one scoped query, capped (TASK_CAP rows read, the count made by the database), so the
page costs the same whatever the number of parks. The statistics the front page used to show
(parks by state, subsidies per year) are on the overview page (admin.views.dashboard)."""
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import fn

from admin import permissions
from admin.auth import current_scope, current_user
from admin.i18n import current_language, format_money, localized
from admin.scoping import scoped_select
from admin.sums import fen_sum, yuan
from admin.views import workflow
from admin.views.base import HomeView
from admin.views.dashboard import (
    Section, assessment_progress, in_notice_condition, judged_criteria, latest_notice, links, notice_article,
    quarter_end, step_labels, unjudged, waiting_condition,
)
from admin.views.rules import plugin_failures, visible_jurisdictions
from admin.views.workflow import state_label
from core.records import vocab
from core.records.models import (
    Application, Assessment, Jurisdiction, LedgerEntry, Park, PublicNotice, Recognition, Rectification, ReviewStep, Subsidy,
)
from core.records.reminders import NOTICE_WORKING_DAYS, notice_horizon
from core.records.services.assessments import ASSESSOR_ROLES
from core.records.services.ledger import REVIEWER_ROLES
from core.records.services.subsidies import ACTION_LABELS, ACTIONS

#: Rows read per kind of task (the oldest first); the count beside each kind is the database's.
TASK_CAP = 200
#: Rows of the task table per page.
PAGE_SIZE = 50
#: Rows listed in each panel below the table; its heading counts them all.
PANEL_CAP = 10

#: The kinds of task, in the order their counts are shown: code -> label.
KINDS = {
    "application": _l("Applications to act on"),
    "verdicts": _l("Verdicts to record"),
    "subsidy_approve": _l("Subsidies to approve"),
    "subsidy_pay": _l("Grants to pay"),
    "assessment_confirm": _l("Assessments to confirm"),
    "rectification": _l("Rectifications to close"),
    "ledger_review": _l("Ledger lines to review"),
}
SORTS = ("deadline", "since", "park", "kind")


@dataclass
class Task:
    kind: str
    what: str
    park: str
    jurisdiction_id: int
    since: datetime.date | None
    deadline: datetime.date | None
    url: str
    action: str

    @property
    def kind_label(self):
        return str(KINDS[self.kind])


def as_day(value):
    """A date from a datetime, a date or a stored ISO text (SQLite); None stays None."""
    if value is None or isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    return datetime.date.fromisoformat(str(value)[:10])


# --- the tasks -------------------------------------------------------------------------------------


def application_tasks(sections, scope, role, jurisdiction_ids):
    """Applications on which `role` may take a step, and those in the panel's state with criteria
    left to judge: ({kind: count}, [Task])."""
    waits = waiting_condition(sections, role)
    if waits is None:
        return {}, []
    query = scoped_select(Application, scope).where(waits & Application.jurisdiction.in_(jurisdiction_ids))
    counts = {}
    for jurisdiction_id, state, n in query.select(Application.jurisdiction, Application.state, fn.COUNT(Application.id)) \
            .group_by(Application.jurisdiction, Application.state).tuples():
        kind = "application" if step_labels(sections[jurisdiction_id].procedure, state, role) else "verdicts"
        counts[kind] = counts.get(kind, 0) + n
    entered = ReviewStep.select(fn.MAX(ReviewStep.at)).where(ReviewStep.application == Application.id)
    rows = list(query.select(Application.id, Application.jurisdiction, Application.state, Application.created_at,
                             entered.alias("entered"), Park.name)
                .join_from(Application, Park).order_by(Application.id).limit(TASK_CAP).tuples())
    ends = notice_ends([row[0] for row in rows])
    judged = judged_criteria([row[0] for row in rows]) if rows else {}
    detail = links("application.details_view")
    to_judge = _("%(n)s condition(s) to judge")
    tasks = []
    for application_id, jurisdiction_id, state, created, entered_at, park in rows:
        section = sections[jurisdiction_id]
        steps = step_labels(section.procedure, state, role)
        since, deadline = as_day(entered_at or created), ends.get(application_id)
        what = state_label(section.rules, state)
        if steps:
            tasks.append(Task("application", f"{what}：{'；'.join(steps)}", park, jurisdiction_id, since, deadline,
                              detail(application_id) + "#workflow", _("Act")))
        else:
            pending = unjudged(section, state, role, judged.get(application_id, set()))
            tasks.append(Task("verdicts", f"{what}：{to_judge % {'n': pending}}", park, jurisdiction_id, since, deadline,
                              detail(application_id) + "#criteria", _("Judge")))
    return counts, tasks


def notice_ends(application_ids):
    """{application id: the end of its latest public notice}."""
    if not application_ids:
        return {}
    query = PublicNotice.select(PublicNotice.application, PublicNotice.end).where(
        PublicNotice.application.in_(application_ids) & latest_notice())
    return {application_id: as_day(end) for application_id, end in query.tuples()}


def subsidy_tasks(scope, role, jurisdiction_ids):
    """Subsidies waiting on `role`: to approve (proposed) or to pay (approved)."""
    counts, tasks = {}, []
    detail = links("subsidy.details_view")
    for action, kind in (("approve", "subsidy_approve"), ("pay", "subsidy_pay")):
        source, _target, roles, _reason = ACTIONS[action]
        if vocab.core_role(role) not in roles:
            continue
        query = scoped_select(Subsidy, scope).where((Subsidy.status == source) & Subsidy.jurisdiction.in_(jurisdiction_ids))
        counts[kind] = query.count()
        label = localized(*ACTION_LABELS[action])
        for subsidy_id, jurisdiction_id, year, code, amount, changed, park in query.select(
                Subsidy.id, Subsidy.jurisdiction, Subsidy.year, Subsidy.kind, Subsidy.amount, Subsidy.status_changed_at,
                Park.name).join_from(Subsidy, Park).order_by(Subsidy.id).limit(TASK_CAP).tuples():
            what = _("%(year)s %(kind)s, %(amount)s", year=year, amount=format_money(amount),
                     kind=vocab.SUBSIDY_KINDS.label(code, current_language()))
            tasks.append(Task(kind, what, park, jurisdiction_id, as_day(changed), None, detail(subsidy_id), label))
    return counts, tasks


def assessment_tasks(scope, role, jurisdiction_ids):
    """Draft assessments to confirm and pending rectifications to close, for an assessor."""
    if vocab.core_role(role) not in ASSESSOR_ROLES:
        return {}, []
    detail = links("assessment.details_view")
    drafts = (scoped_select(Assessment, scope).join_from(Assessment, Recognition)
              .where((Assessment.status == "draft") & Recognition.jurisdiction.in_(jurisdiction_ids)))
    pending = (scoped_select(Rectification, scope).join_from(Rectification, Assessment).join_from(Assessment, Recognition)
               .where((Rectification.outcome == "pending") & Recognition.jurisdiction.in_(jurisdiction_ids)))
    counts = {"assessment_confirm": drafts.count(), "rectification": pending.count()}
    tasks = []
    columns = (Assessment.id, Assessment.year, Assessment.assessed_on, Recognition.official_name, Recognition.jurisdiction)
    for assessment_id, year, assessed_on, name, jurisdiction_id in drafts.select(*columns).order_by(
            Assessment.id).limit(TASK_CAP).tuples():
        tasks.append(Task("assessment_confirm", _("Assessment of %(year)s, draft", year=year), name, jurisdiction_id,
                          as_day(assessed_on), None, detail(assessment_id), _("Confirm")))
    for assessment_id, year, assessed_on, name, jurisdiction_id, deadline in pending.select(
            *columns, Rectification.deadline).order_by(Rectification.deadline, Rectification.id).limit(TASK_CAP).tuples():
        tasks.append(Task("rectification", _("Rectification after the assessment of %(year)s", year=year), name,
                          jurisdiction_id, as_day(assessed_on), as_day(deadline), detail(assessment_id) + "#rectification",
                          _("Close")))
    return counts, tasks


def ledger_tasks(scope, role, jurisdiction_ids):
    """Ledger lines flagged for a forbidden use, waiting on the finance officer's review."""
    if vocab.core_role(role) not in REVIEWER_ROLES:
        return {}, []
    query = (scoped_select(LedgerEntry, scope).join_from(LedgerEntry, Park)
             .where((LedgerEntry.review == "pending") & (LedgerEntry.status == "active")
                    & Park.jurisdiction.in_(jurisdiction_ids)))
    detail = links("ledger.details_view")
    tasks = [Task("ledger_review", f"{project} {format_money(amount)}", park, jurisdiction_id, as_day(day), None,
                  detail(entry_id), _("Review"))
             for entry_id, project, amount, day, park, jurisdiction_id in query.select(
                 LedgerEntry.id, LedgerEntry.project, LedgerEntry.amount, LedgerEntry.date, Park.name, Park.jurisdiction)
             .order_by(LedgerEntry.id).limit(TASK_CAP).tuples()]
    return {"ledger_review": query.count()}, tasks


def sort_tasks(tasks, sort, descending):
    """Tasks by `sort`; undated ones last whatever the direction."""
    far = datetime.date.max
    keys = {
        "deadline": lambda t: (t.deadline is None, t.deadline or far, t.since or far),
        "since": lambda t: (t.since is None, t.since or far),
        "park": lambda t: (t.park, t.since or far),
        "kind": lambda t: (list(KINDS).index(t.kind), t.since or far),
    }
    ordered = sorted(tasks, key=keys[sort])
    if descending:
        dated = [t for t in ordered if getattr(t, sort, True) is not None]
        ordered = dated[::-1] + [t for t in ordered if getattr(t, sort, True) is None]
    return ordered


# --- what falls due ---------------------------------------------------------------------------------


def notices_ending(sections, scope, jurisdiction_ids, until):
    """(count, the first PANEL_CAP rows) of public notices in progress ending by `until` (the overdue too)."""
    in_notice = in_notice_condition(sections)
    if in_notice is None:
        return 0, []
    query = (scoped_select(Application, scope).join_from(Application, PublicNotice).join_from(Application, Park)
             .where(in_notice & latest_notice() & (PublicNotice.end <= until) & Application.jurisdiction.in_(jurisdiction_ids)))
    link = links("application.details_view")
    rows = [{"park": park, "end": as_day(end), "objections": objections, "url": link(application_id) + "#notice",
             "article": notice_article(sections[jurisdiction_id].procedure)}
            for application_id, jurisdiction_id, park, end, objections in query.select(
                Application.id, Application.jurisdiction, Park.name, PublicNotice.end, PublicNotice.objection_count)
            .order_by(PublicNotice.end, Application.id).limit(PANEL_CAP).tuples()]
    return query.count(), rows


def assessments_due(sections, scope, jurisdiction_ids, on):
    """Per jurisdiction with recognised parks: last year's assessment, how many parks are confirmed,
    and its deadline where the measures name the quarter (e.g. the first: 3月31日)."""
    year = on.year - 1
    rows = []
    for jurisdiction_id, n, done in assessment_progress(scope, jurisdiction_ids, year):
        if not n or done >= n:
            continue
        section = sections[jurisdiction_id]
        deadline = article = None
        parameters = section.rules.parameters if section.rules is not None else None
        if parameters is not None and "assessment_quarter" in parameters:
            quarter = parameters.value("assessment_quarter", on)
            if quarter in (1, 2, 3, 4):
                deadline, article = quarter_end(on.year, quarter), parameters.get("assessment_quarter").reference
        rows.append({"jurisdiction": section.name, "year": year, "parks": n, "confirmed": done, "deadline": deadline,
                     "article": article, "url": url_for("assessment.grid_view", year=year)})
    return sorted(rows, key=lambda r: (r["deadline"] is None, r["deadline"] or datetime.date.max))


def rectification_deadlines(scope, jurisdiction_ids):
    """(count, the first PANEL_CAP) pending rectifications, the earliest deadline first."""
    query = (scoped_select(Rectification, scope).join_from(Rectification, Assessment).join_from(Assessment, Recognition)
             .where((Rectification.outcome == "pending") & Recognition.jurisdiction.in_(jurisdiction_ids)))
    link = links("assessment.details_view")
    rows = [{"name": name, "year": year, "deadline": as_day(deadline), "url": link(assessment_id) + "#rectification"}
            for deadline, assessment_id, year, name in query.select(
                Rectification.deadline, Assessment.id, Assessment.year, Recognition.official_name)
            .order_by(Rectification.deadline, Rectification.id).limit(PANEL_CAP).tuples()]
    return query.count(), rows


def grants_unpaid(scope, jurisdiction_ids):
    """(count, total, the first PANEL_CAP) subsidies approved and not yet paid, the oldest first."""
    query = scoped_select(Subsidy, scope).where((Subsidy.status == "approved") & Subsidy.jurisdiction.in_(jurisdiction_ids))
    count, total = query.select(fn.COUNT(Subsidy.id), fen_sum(Subsidy.amount)).tuples().get()
    link = links("subsidy.details_view")
    rows = [{"park": park, "year": year, "amount": amount, "url": link(subsidy_id),
             "kind": vocab.SUBSIDY_KINDS.label(code, current_language()), "since": as_day(changed)}
            for subsidy_id, year, code, amount, changed, park in query.select(
                Subsidy.id, Subsidy.year, Subsidy.kind, Subsidy.amount, Subsidy.status_changed_at, Park.name)
            .join_from(Subsidy, Park).order_by(Subsidy.status_changed_at, Subsidy.id).limit(PANEL_CAP).tuples()]
    return count, yuan(total or 0), rows


# --- the page --------------------------------------------------------------------------------------


def page_link(**changes):
    """This page's URL with `changes` to its query (None removes a key)."""
    args = {k: v for k, v in request.args.items()}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return f"{url_for('admin.index')}?{urlencode(args)}" if args else url_for("admin.index")


class WorkbenchView(HomeView):
    """The back office's index view: the welcome, then the account's workbench."""

    @expose("/")
    def index(self):
        user, scope, on = current_user(), current_scope(), workflow.today()
        sections = {row.id: Section(row) for row in visible_jurisdictions(scope)}
        district = request.args.get("district", "")
        chosen = [s for s in sections.values() if s.row.code == district]
        jurisdiction_ids = [s.row.id for s in chosen] if chosen else list(sections)
        counts, tasks = {}, []
        for found_counts, found in (application_tasks(sections, scope, user.role, jurisdiction_ids),
                                    subsidy_tasks(scope, user.role, jurisdiction_ids),
                                    assessment_tasks(scope, user.role, jurisdiction_ids),
                                    ledger_tasks(scope, user.role, jurisdiction_ids)):
            counts.update({k: v for k, v in found_counts.items() if v})
            tasks.extend(found)
        kind = request.args.get("kind", "")
        if kind in KINDS:
            tasks = [t for t in tasks if t.kind == kind]
        sort = request.args.get("sort", "deadline")
        sort = sort if sort in SORTS else "deadline"
        descending = request.args.get("desc") == "1"
        tasks = sort_tasks(tasks, sort, descending)
        pages = max(1, -(-len(tasks) // PAGE_SIZE))
        page = min(max(workflow.as_int(request.args.get("page")) or 1, 1), pages)
        until = notice_horizon(on)  # the same "about to end" as the reminders
        notice_count, notices = notices_ending(sections, scope, jurisdiction_ids, until) \
            if permissions.allowed(user.role, "application", permissions.VIEW) else (0, None)
        sees_assessments = permissions.allowed(user.role, "assessment", permissions.VIEW)
        rectification_count, rectifications = rectification_deadlines(scope, jurisdiction_ids) if sees_assessments else (0, [])
        unpaid = grants_unpaid(scope, jurisdiction_ids) if permissions.allowed(user.role, "subsidy", permissions.VIEW) else None
        return self.render(
            "hrpark/workbench.html", user=user, today=on, until=until,
            failures=plugin_failures() if user.role == "admin" else [],
            districts=[(s.row.code, s.name) for s in sections.values()] if len(sections) > 1 else [],
            district=district if chosen else "", kinds=[(k, str(label), counts[k]) for k, label in KINDS.items() if k in counts],
            kind=kind if kind in KINDS else "", total=sum(counts.values()), shown=len(tasks),
            tasks=tasks[(page - 1) * PAGE_SIZE:page * PAGE_SIZE], page=page, pages=pages, sort=sort, descending=descending,
            district_names={s.row.id: s.name for s in sections.values()}, page_link=page_link,
            notice_count=notice_count, notices=notices, working_days=NOTICE_WORKING_DAYS,
            assessments=assessments_due(sections, scope, jurisdiction_ids, on) if sees_assessments else [],
            rectification_count=rectification_count, rectifications=rectifications, unpaid=unpaid,
            subsidy_list=url_for("subsidy.index_view") if unpaid else None,
        )
