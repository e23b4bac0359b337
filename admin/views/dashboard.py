"""The front page: for each jurisdiction the user reaches, its parks by state, the applications
waiting on the user, the deadlines of the next 30 days (public notices ending, rectification
deadlines, the annual assessment of the quarter the measures name — e.g. the first
quarter, so 3月31日) and the subsidies of each year as a chart with the table of its numbers
(admin.charts: ECharts served by the app itself, no CDN).

The page costs the same whatever the number of parks: a fixed number of queries, counts and sums
made by the database (GROUP BY), and of the lists that grow with the data (applications waiting,
deadlines) only the first few of each jurisdiction are read, with their total beside them."""
import calendar
import datetime
import operator
from decimal import Decimal
from functools import reduce
from urllib.parse import urlencode

from flask import url_for
from flask_admin import expose
from flask_babel import gettext as _
from peewee import JOIN, SQL, Case, Expression, fn

from admin import permissions
from admin.auth import current_scope, current_user
from admin.charts import Chart, Series
from admin.i18n import current_language, localized
from admin.scoping import scoped_select
from admin.sums import fen_sum, yuan
from admin.views import workflow
from admin.views.base import SecuredBaseView
from admin.views.rules import plugin_failures, visible_jurisdictions
from admin.views.workflow import rules_of, state_label
from core.records import vocab
from core.records.models import Application, Assessment, CriterionVerdict, Park, PublicNotice, Recognition, Rectification, Subsidy

HORIZON_DAYS = 30
#: Applications listed per jurisdiction under "waiting on me" (oldest first); the header counts them all.
WAITING_CAP = 20
#: Deadlines listed per jurisdiction (earliest first, so the overdue ones lead); the header counts them all.
DEADLINE_CAP = 10
#: Subsidy statuses drawn, bottom to top, with their colours; the others are money not (or no longer) due.
CHART_SERIES = (("paid", "#2e7d32"), ("approved", "#1565c0"), ("proposed", "#90a4ae"))
NOT_APPLIED = "not_applied"


def quarter_end(year, quarter) -> datetime.date:
    month = 3 * quarter
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


class Section:
    """What the front page shows for one jurisdiction."""

    def __init__(self, row):
        self.row = row
        self.name = localized(row.name_zh, row.name_en)
        rules = rules_of(row)
        # A plugin without a procedure (a partial one) reads like no plugin here: nothing to advance.
        self.rules = rules if rules is not None and rules.procedure() is not None else None
        # The plugin builds these anew on each call: read once.
        self.procedure = self.rules.procedure() if self.rules is not None else None
        self.judgement_criteria = [c.id for c in self.rules.criteria(workflow.today()) if c.judgement] if self.rules is not None else []
        self.parks_by_state = {}  # key -> [label, count]
        self.park_count = 0
        self.waiting = []  # the first WAITING_CAP applications waiting on the user
        self.waiting_total = 0
        self.deadlines = []  # the first DEADLINE_CAP deadlines by date
        self.deadline_totals = {}  # kind -> its deadlines by the horizon, listed or not
        self.subsidies = {}  # year -> {status: Decimal}
        self.chart = None

    @property
    def deadline_total(self):
        return sum(self.deadline_totals.values())

    @property
    def empty(self):
        return not (self.park_count or self.waiting_total or self.deadline_total or self.subsidies)

    def count_parks(self, key, label, n):
        entry = self.parks_by_state.setdefault(key, [label, 0])
        entry[1] += n
        self.park_count += n


def build_dashboard(user, scope, on):
    """The front page's [Section] for `user` on day `on`."""
    horizon = on + datetime.timedelta(days=HORIZON_DAYS)
    sections = {row.id: Section(row) for row in visible_jurisdictions(scope)}
    _count_parks_by_state(sections, scope)
    _list_waiting(sections, scope, user.role)
    _notice_deadlines(sections, scope, on, horizon)
    _rectification_deadlines(sections, scope, on, horizon)
    _assessment_deadlines(sections, scope, on, horizon)
    for section in sections.values():
        section.deadlines.sort(key=lambda d: d["date"])  # stable: on a tie, notices, rectifications, assessment
        del section.deadlines[DEADLINE_CAP:]
    _say_when(sections)
    _sum_subsidies(sections, scope)
    for section in sections.values():
        section.chart = subsidy_chart(section.subsidies, section.row.code)
    return list(sections.values())


# --- reading the first rows of each jurisdiction ----------------------------------------------------


def _ranked(query, row_id, jurisdiction, order_by):
    """`query`'s rows as (row_id, jurisdiction_id, total, position): each row's place in its
    jurisdiction in `order_by` order, and how many rows the jurisdiction has. A subquery with window
    functions (SQLite 3.25+ and PostgreSQL), to join to the few rows shown (position <= cap), so
    that only those rows' columns are read and the totals need no second query."""
    window = {"partition_by": [jurisdiction]}
    return query.select(
        row_id.alias("row_id"), jurisdiction.alias("jurisdiction_id"), fn.COUNT(SQL("*")).over(**window).alias("total"),
        fn.ROW_NUMBER().over(order_by=order_by, **window).alias("position"),
    ).alias("ranked")


def _first_rows(model, ranked, cap, *columns):
    """(jurisdiction id, total, *columns) of the first `cap` rows of each jurisdiction in `ranked`, in order."""
    return (model.select(ranked.c.jurisdiction_id, ranked.c.total, *columns)
            .join_from(model, ranked, on=(ranked.c.row_id == model.id))
            .where(ranked.c.position <= cap).order_by(ranked.c.jurisdiction_id, ranked.c.position))


# --- parks by state: the recognition in force, else the application in progress ---------------------


def _latest_per_park(model, scope):
    """Each park's latest `model` row (the highest id), as a subquery (park_id, latest_id). Grouped
    rather than correlated with each park: PostgreSQL would run a correlated one park by park."""
    query = scoped_select(model, scope, model.park.alias("park_id"), fn.MAX(model.id).alias("latest_id"))
    return query.group_by(model.park).alias(f"latest_{model._meta.table_name}")


def _count_parks_by_state(sections, scope):
    """Parks counted in SQL by (jurisdiction, latest recognition's status, latest application's state);
    which of the two a park is counted under needs the procedure's final states, so that is decided
    on the grouped rows, whose number does not grow with the parks."""
    latest_recognition = _latest_per_park(Recognition, scope)
    latest_application = _latest_per_park(Application, scope)
    recognition, application = Recognition.alias("r"), Application.alias("a")
    query = (
        scoped_select(Park, scope, Park.jurisdiction, recognition.status, application.state, fn.COUNT(Park.id))
        .join_from(Park, latest_recognition, JOIN.LEFT_OUTER, on=(latest_recognition.c.park_id == Park.id))
        .join_from(Park, recognition, JOIN.LEFT_OUTER, on=(recognition.id == latest_recognition.c.latest_id))
        .join_from(Park, latest_application, JOIN.LEFT_OUTER, on=(latest_application.c.park_id == Park.id))
        .join_from(Park, application, JOIN.LEFT_OUTER, on=(application.id == latest_application.c.latest_id))
        .group_by(Park.jurisdiction, recognition.status, application.state)
    )
    for jurisdiction_id, status, state, n in query.tuples():
        section = sections.get(jurisdiction_id)
        if section is not None:
            section.count_parks(*_park_state(section, status, state), n)


def _park_state(section, recognition_status, application_state):
    """(key, label) of a park: its recognition, unless revoked while a new application is open;
    else its latest application; else not applied."""
    application_open = application_state is not None and not is_final(section.procedure, application_state)
    if recognition_status is not None and (recognition_status != "revoked" or not application_open):
        return f"recognition:{recognition_status}", _(
            "Recognised: %(status)s", status=vocab.RECOGNITION_STATUSES.label(recognition_status, current_language()))
    if application_state is not None:
        return f"application:{application_state}", state_label(section.rules, application_state)
    return NOT_APPLIED, _("Not applied")


# --- applications waiting on me ------------------------------------------------------------------


def _list_waiting(sections, scope, role):
    """The applications waiting on `role`: the oldest WAITING_CAP of each jurisdiction with their
    total, in one query; only those shown need the panel's verdicts."""
    waits = waiting_condition(sections, role)
    if waits is None:
        return
    ranked = _ranked(scoped_select(Application, scope).where(waits), Application.id, Application.jurisdiction, [Application.id])
    shown = list(_first_rows(Application, ranked, WAITING_CAP, Application.id, Application.state, Park.name)
                 .join_from(Application, Park).tuples())
    any_judge = any(judges(s.procedure, role) for s in sections.values())
    judged = judged_criteria([row[2] for row in shown]) if any_judge and shown else {}
    link, to_judge = links("application.details_view"), _("%(n)s condition(s) to judge")  # formatted per row
    labels = {}  # (jurisdiction, state) -> (state label, step labels): the same for every application there
    for jurisdiction_id, total, application_id, state, park_name in shown:
        section = sections[jurisdiction_id]
        section.waiting_total = total
        if (jurisdiction_id, state) not in labels:
            labels[jurisdiction_id, state] = (state_label(section.rules, state), step_labels(section.procedure, state, role))
        state_text, steps = labels[jurisdiction_id, state]
        pending = unjudged(section, state, role, judged.get(application_id, set()))
        steps = steps + ([to_judge % {"n": pending}] if pending else [])
        if steps:  # the query's condition says so; the verdicts were read a moment later
            section.waiting.append({"id": application_id, "url": link(application_id), "park": park_name,
                                    "state": state_text, "steps": "；".join(steps)})


def waiting_condition(sections, role):
    """Where an application waits on `role`, as one WHERE expression (None: nowhere).

    The procedure decides it state by state: an open state waits on the role if the role may take
    a step from it, or, for a reviewer, if it is the panel's state and a judgement criterion still
    has no verdict. Jurisdictions with the same procedure share one term."""
    groups = {}
    for section in sections.values():
        procedure = section.procedure
        if procedure is None:
            continue
        open_states = [s.id for s in procedure.states if not s.final]
        with_steps = tuple(s for s in open_states if procedure.available(s, role))
        criteria = tuple(section.judgement_criteria) if judges(procedure, role) else ()
        to_judge = tuple(s for s in open_states if s not in with_steps and judges(procedure, role, s)) if criteria else ()
        if with_steps or to_judge:
            groups.setdefault((with_steps, to_judge, criteria), []).append(section.row.id)
    terms = [Application.jurisdiction.in_(ids) & _waiting_states(*key) for key, ids in groups.items()]
    return reduce(operator.or_, terms) if terms else None


def _waiting_states(with_steps, to_judge, criteria):
    """Applications in a state with a step, or in the panel's state with a criterion unjudged."""
    terms = [Application.state.in_(with_steps)] if with_steps else []
    if to_judge:
        verdicts = (CriterionVerdict.select(fn.COUNT(CriterionVerdict.criterion_id.distinct()))
                    .where((CriterionVerdict.application == Application.id) & CriterionVerdict.criterion_id.in_(criteria)))
        terms.append(Application.state.in_(to_judge) & Expression(verdicts, "<", len(criteria)))
    return reduce(operator.or_, terms)


def judged_criteria(application_ids):
    """{application id: {criterion ids with a verdict}}."""
    judged = {}
    for application_id, criterion_id in CriterionVerdict.select(
        CriterionVerdict.application, CriterionVerdict.criterion_id
    ).where(CriterionVerdict.application.in_(application_ids)).tuples():
        judged.setdefault(application_id, set()).add(criterion_id)
    return judged


def step_labels(procedure, state, role):
    """The steps `role` may take on an application in `state`."""
    return [localized(t.label, t.label_en) for t in procedure.available(state, role)]


def unjudged(section, state, role, judged):
    """For a reviewer in the panel's state: how many judgement criteria still lack a verdict (else 0)."""
    if not judges(section.procedure, role, state):
        return 0
    return sum(1 for c in section.judgement_criteria if c not in judged)


def links(endpoint):
    """id -> the URL of `endpoint` for that id: url_for once, not once per row (it costs as much as
    the rest of a row); the same URL url_for(endpoint, id=id) builds."""
    base = url_for(endpoint)
    return lambda record_id: f"{base}?{urlencode({'id': record_id})}"


def applications_list_endpoint(user):
    """The list of every application (the dashboard shows the first few), for a role that may read it; else None."""
    return "application.index_view" if permissions.allowed(user.role, "application", permissions.VIEW) else None


# --- deadlines in the next 30 days ----------------------------------------------------------------


def is_final(procedure, state_id):
    """True for a final state; a state the procedure does not know counts as open."""
    if procedure is None:
        return False
    try:
        return procedure.state(state_id).final
    except KeyError:
        return False


def notice_state(procedure):
    return next((t.target for t in procedure.transitions if "notice_open" in t.guards), None)


def notice_article(procedure):
    return next((t.article for t in procedure.transitions if t.source == notice_state(procedure)
                 and "notice_period_over" in t.guards), procedure.article)


def judges(procedure, role, state_id=None):
    """True if the procedure lets `role` record verdicts (in `state_id`, when given: the panel's turn)."""
    stage = procedure.verdict_stage if procedure is not None else None
    return stage is not None and role in stage.roles and (state_id is None or state_id in stage.states)


def _say_when(sections):
    """'overdue' or 'in n days' beside each deadline listed."""
    overdue, in_days = _("overdue"), _("in %(n)s days")  # translated once, formatted per row
    for section in sections.values():
        for deadline in section.deadlines:
            deadline["when"] = overdue if deadline["overdue"] else in_days % {"n": deadline["days"]}


def _deadline(day, on, kind, label, article, url):
    return {"date": day, "kind": kind, "label": label, "article": article, "url": url, "overdue": day < on,
            "days": (day - on).days}


def in_notice_condition(sections):
    """Applications in their procedure's (open) notice state, as a WHERE expression (None: none)."""
    by_state = {}
    for section in sections.values():
        procedure = section.procedure
        state = notice_state(procedure) if procedure is not None else None
        if state is not None and not is_final(procedure, state):
            by_state.setdefault(state, []).append(section.row.id)
    terms = [Application.jurisdiction.in_(ids) & (Application.state == state) for state, ids in by_state.items()]
    return reduce(operator.or_, terms) if terms else None


def latest_notice():
    """True for the latest public notice of its application (an application may be noticed again)."""
    later = PublicNotice.alias("later")
    return ~fn.EXISTS(later.select(later.id).where(
        (later.application == PublicNotice.application) & (later.id > PublicNotice.id)))


def _notice_deadlines(sections, scope, on, horizon):
    """Public notices (the latest of an application in its notice state) ending by the horizon."""
    in_notice = in_notice_condition(sections)
    if in_notice is None:
        return
    ending = (scoped_select(Application, scope).join_from(Application, PublicNotice)
              .where(in_notice & latest_notice() & (PublicNotice.end <= horizon)))
    ranked = _ranked(ending, PublicNotice.id, Application.jurisdiction, [PublicNotice.end, Application.id])
    first = (_first_rows(PublicNotice, ranked, DEADLINE_CAP, PublicNotice.end, Application.id, Park.name)
             .join_from(PublicNotice, Application).join_from(Application, Park))
    link, label = links("application.details_view"), _("Public notice of %(park)s ends")  # formatted per row
    articles = {}
    for jurisdiction_id, total, end, application_id, park_name in first.tuples():
        section = sections[jurisdiction_id]
        section.deadline_totals["notice"] = total
        if jurisdiction_id not in articles:
            articles[jurisdiction_id] = notice_article(section.procedure)
        section.deadlines.append(_deadline(end, on, "notice", label % {"park": park_name}, articles[jurisdiction_id],
                                           link(application_id)))


def _rectification_deadlines(sections, scope, on, horizon):
    """Pending rectifications due by the horizon (the overdue ones too)."""
    # Scoped through the recognition joined (the same rows as scoping the rectification through
    # its parents, without the nested IN lists).
    pending = (
        scoped_select(Recognition, scope)
        .join_from(Recognition, Assessment).join_from(Assessment, Rectification)
        .where((Rectification.outcome == "pending") & (Rectification.deadline <= horizon)
               & Recognition.jurisdiction.in_(list(sections)))
    )
    ranked = _ranked(pending, Rectification.id, Recognition.jurisdiction, [Rectification.deadline, Rectification.id])
    first = (_first_rows(Rectification, ranked, DEADLINE_CAP, Rectification.deadline, Rectification.assessment,
                         Assessment.year, Assessment.consequences, Recognition.official_name)
             .join_from(Rectification, Assessment).join_from(Assessment, Recognition))
    link, label = links("assessment.details_view"), _("Rectification of %(name)s (assessment of %(year)s)")
    for jurisdiction_id, total, deadline, assessment_id, year, consequences, name in first.tuples():
        section = sections[jurisdiction_id]
        section.deadline_totals["rectification"] = total
        article = next((c.get("article", "") for c in (consequences or []) if c.get("kind") == "rectify"), "")
        section.deadlines.append(_deadline(
            deadline, on, "rectification", label % {"name": name, "year": year}, article, link(assessment_id)))


def _assessment_deadlines(sections, scope, on, horizon):
    """The yearly assessment where the measures name its quarter (a parameter): its last day, if
    it falls in the next 30 days and the jurisdiction has recognised parks to assess."""
    due = {}
    for section in sections.values():
        rules = section.rules
        if rules is None or "assessment_quarter" not in rules.parameters:
            continue
        quarter = rules.parameters.value("assessment_quarter", on)
        if quarter not in (1, 2, 3, 4):
            continue
        deadline = quarter_end(on.year, quarter)
        if on <= deadline <= horizon:
            due[section.row.id] = (deadline, rules.parameters.get("assessment_quarter").reference)
    if not due:
        return
    assessed_year = on.year - 1
    for jurisdiction_id, n, done in assessment_progress(scope, list(due), assessed_year):
        deadline, article = due[jurisdiction_id]
        section = sections[jurisdiction_id]
        label = _("Annual assessment of %(year)s: %(done)s of %(n)s park(s) confirmed", year=assessed_year, done=done, n=n)
        section.deadlines.append(_deadline(deadline, on, "assessment", label, article, None))
        section.deadline_totals["assessment"] = 1


def assessment_progress(scope, jurisdiction_ids, assessed_year):
    """(jurisdiction id, parks to assess, parks with the year's assessment confirmed), counted in SQL:
    recognitions not revoked and made by the end of the year assessed."""
    confirmed = Assessment.select(Assessment.recognition).where(
        (Assessment.year == assessed_year) & (Assessment.status == "confirmed"))
    done = fn.SUM(Case(None, [(Recognition.id.in_(confirmed), 1)], 0))
    return (
        scoped_select(Recognition, scope, Recognition.jurisdiction, fn.COUNT(Recognition.id), done)
        .where(Recognition.jurisdiction.in_(jurisdiction_ids) & (Recognition.status != "revoked")
               & (Recognition.recognised_on <= datetime.date(assessed_year, 12, 31)))
        .group_by(Recognition.jurisdiction).tuples()
    )


# --- subsidies per year ---------------------------------------------------------------------------


def _sum_subsidies(sections, scope):
    """Subsidies summed in SQL by jurisdiction, year and status, exact to the fen: SQLite keeps
    DECIMAL as REAL, so each amount is summed as whole fen, never as a float."""
    query = (scoped_select(Subsidy, scope, Subsidy.jurisdiction, Subsidy.year, Subsidy.status, fen_sum(Subsidy.amount))
             .group_by(Subsidy.jurisdiction, Subsidy.year, Subsidy.status))
    for jurisdiction_id, year, status, total in query.tuples():
        section = sections.get(jurisdiction_id)
        if section is not None:
            section.subsidies.setdefault(year, {})[status] = yuan(total)


def subsidy_chart(totals, code):
    """The money of each year by status, as a chart (admin.charts) of stacked bars — paid, approved,
    proposed — whose table also holds the money not (or no longer) due; None without subsidies."""
    if not totals:
        return None
    years = sorted(totals)
    language = current_language()
    colours = dict(CHART_SERIES)
    statuses = [s for s, _colour in CHART_SERIES] + [s for s in vocab.SUBSIDY_STATUSES.codes() if s not in colours]
    series = [Series(status, vocab.SUBSIDY_STATUSES.label(status, language),
                     [totals[year].get(status, Decimal(0)) for year in years], colours.get(status), drawn=status in colours)
              for status in statuses]
    return Chart(f"subsidy-{code}", _("Subsidies per year"), _("Year"), [(year, str(year)) for year in years], series,
                 stacked=True)


class DashboardView(SecuredBaseView):
    """The overview: for each jurisdiction reached, its parks by state, what waits, deadlines and subsidies per year."""

    resource = "overview"

    @expose("/")
    def index(self):
        user = current_user()
        sections = build_dashboard(user, current_scope(), workflow.today())
        return self.render(
            "hrpark/dashboard.html",
            user=user,
            failures=plugin_failures() if user.role == "admin" else [],
            sections=sections,
            today=workflow.today(),
            horizon=HORIZON_DAYS,
            applications_endpoint=applications_list_endpoint(user),
        )

