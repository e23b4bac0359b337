"""The front page: for each jurisdiction the user reaches, its parks by state, the applications
waiting on the user, the deadlines of the next 30 days (public notices ending, rectification
deadlines, the annual assessment of the quarter the measures name — Changzhi 第十八条: the first
quarter, so 3月31日) and the subsidies of each year as a chart drawn on the server (inline SVG:
the machine has no internet, so no script from a CDN). Each list is read in a fixed number of
queries, whatever the number of parks."""
import calendar
import datetime
from decimal import Decimal

from flask_admin import expose
from flask_babel import gettext as _
from markupsafe import Markup, escape

from admin.auth import current_scope, current_user
from admin.i18n import current_language, format_money, localized
from admin.scoping import scoped_select
from admin.views import workflow
from admin.views.base import HomeView
from admin.views.rules import plugin_failures, visible_jurisdictions
from admin.views.workflow import rules_of, state_label
from core import vocab
from core.models import Application, Assessment, CriterionVerdict, Park, PublicNotice, Recognition, Rectification, Subsidy
from core.rules import fmt_number
from core.services.applications import REVIEWER_ROLES

HORIZON_DAYS = 30
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
        self.parks_by_state = {}  # key -> [label, count]
        self.park_count = 0
        self.waiting = []
        self.deadlines = []
        self.subsidies = {}  # year -> {status: Decimal}
        self.chart = None

    @property
    def empty(self):
        return not (self.park_count or self.waiting or self.deadlines or self.subsidies)

    def count_park(self, key, label):
        entry = self.parks_by_state.setdefault(key, [label, 0])
        entry[1] += 1
        self.park_count += 1

    def subsidy_rows(self):
        rows = []
        for year in sorted(self.subsidies):
            by_status = self.subsidies[year]
            rows.append((year, [(status, by_status.get(status, Decimal(0))) for status in vocab.SUBSIDY_STATUSES.codes()]))
        return rows


def build_dashboard(user, scope, on):
    """{sections, totals} of the front page for `user` on day `on`."""
    horizon = on + datetime.timedelta(days=HORIZON_DAYS)
    sections = {row.id: Section(row) for row in visible_jurisdictions(scope)}
    parks = {p.id: p for p in scoped_select(Park, scope)}

    def section_of(jurisdiction_id):
        return sections.get(jurisdiction_id)

    # --- parks by state: the recognition in force, else the application in progress -----------
    latest_application, open_applications = {}, []
    applications = list(scoped_select(Application, scope).order_by(Application.id))
    for a in applications:
        latest_application[a.park_id] = a
    latest_recognition = {}
    for r in scoped_select(Recognition, scope).order_by(Recognition.id):
        latest_recognition[r.park_id] = r
    for park in parks.values():
        section = section_of(park.jurisdiction_id)
        if section is None:
            continue
        recognition = latest_recognition.get(park.id)
        application = latest_application.get(park.id)
        application_open = application is not None and not _is_final(section.rules, application.state)
        if recognition is not None and (recognition.status != "revoked" or not application_open):
            section.count_park(f"recognition:{recognition.status}", _("Recognised: %(status)s",
                               status=vocab.RECOGNITION_STATUSES.label(recognition.status, current_language())))
        elif application is not None:
            section.count_park(f"application:{application.state}", state_label(section.rules, application.state))
        else:
            section.count_park(NOT_APPLIED, _("Not applied"))

    # --- applications waiting on me -------------------------------------------------------------
    for a in applications:
        section = section_of(a.jurisdiction_id)
        if section is not None and section.rules is not None and not _is_final(section.rules, a.state):
            open_applications.append((a, section))
    judged = {}
    if user.role in REVIEWER_ROLES and open_applications:
        ids = [a.id for a, _s in open_applications]
        for application_id, criterion_id in CriterionVerdict.select(
            CriterionVerdict.application, CriterionVerdict.criterion_id
        ).where(CriterionVerdict.application.in_(ids)).tuples():
            judged.setdefault(application_id, set()).add(criterion_id)
    for a, section in open_applications:
        procedure = section.rules.procedure()
        steps = [localized(t.label, t.label_en) for t in procedure.available(a.state, user.role)]
        if user.role in REVIEWER_ROLES and _awaits_judgement(procedure, a.state):
            pending = [c for c in section.rules.criteria() if c.judgement and c.id not in judged.get(a.id, set())]
            if pending:
                steps.append(_("%(n)s condition(s) to judge", n=len(pending)))
        if steps:
            section.waiting.append({"application": a, "park": parks.get(a.park_id), "state": state_label(section.rules, a.state),
                                    "steps": steps})

    # --- deadlines in the next 30 days ------------------------------------------------------------
    in_notice = [(a, section) for a, section in open_applications if a.state == _notice_state(section.rules.procedure())]
    if in_notice:
        latest_notice = {}
        for notice in PublicNotice.select().where(PublicNotice.application.in_([a.id for a, _s in in_notice])).order_by(PublicNotice.id):
            latest_notice[notice.application_id] = notice
        for a, section in in_notice:
            notice = latest_notice.get(a.id)
            if notice is not None and notice.end <= horizon:
                section.deadlines.append(_deadline(
                    notice.end, on, "notice", _("Public notice of %(park)s ends", park=parks[a.park_id].name),
                    _notice_article(section.rules.procedure()), ("application.details_view", a.id)))
    rectifications = (
        scoped_select(Rectification, scope, Rectification, Assessment, Recognition)
        .join_from(Rectification, Assessment).join_from(Assessment, Recognition)
        .where((Rectification.outcome == "pending") & (Rectification.deadline <= horizon))
    )
    for r in rectifications:
        recognition = r.assessment.recognition
        section = section_of(recognition.jurisdiction_id)
        if section is not None:
            article = next((c.get("article", "") for c in (r.assessment.consequences or []) if c.get("kind") == "rectify"), "")
            section.deadlines.append(_deadline(
                r.deadline, on, "rectification",
                _("Rectification of %(name)s (assessment of %(year)s)", name=recognition.official_name, year=r.assessment.year),
                article, ("assessment.details_view", r.assessment_id)))
    _assessment_deadlines(sections, scope, on, horizon)
    for section in sections.values():
        section.deadlines.sort(key=lambda d: d["date"])

    # --- subsidies per year ------------------------------------------------------------------------
    for jurisdiction_id, year, status, amount in scoped_select(
        Subsidy, scope, Subsidy.jurisdiction, Subsidy.year, Subsidy.status, Subsidy.amount
    ).tuples():
        section = section_of(jurisdiction_id)
        if section is not None:
            by_status = section.subsidies.setdefault(year, {})
            by_status[status] = by_status.get(status, Decimal(0)) + Decimal(amount)
    for section in sections.values():
        section.chart = subsidy_chart(section.subsidies, section.row.code)

    return list(sections.values())


def _is_final(rules, state_id):
    if rules is None:
        return False
    try:
        return rules.procedure().state(state_id).final
    except KeyError:
        return False


def _notice_state(procedure):
    return next((t.target for t in procedure.transitions if "notice_open" in t.guards), None)


def _notice_article(procedure):
    return next((t.article for t in procedure.transitions if t.source == _notice_state(procedure)
                 and "notice_period_over" in t.guards), procedure.article)


def _awaits_judgement(procedure, state_id):
    """True in the state whose next step needs every condition judged (the review panel's turn)."""
    return any(t.source == state_id and "eligibility_clear" in t.guards for t in procedure.transitions)


def _deadline(day, on, kind, label, article, link):
    return {"date": day, "kind": kind, "label": label, "article": article, "endpoint": link[0], "id": link[1],
            "overdue": day < on, "days": (day - on).days}


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
    recognitions = list(scoped_select(Recognition, scope).where(
        (Recognition.jurisdiction.in_(list(due))) & (Recognition.status != "revoked")
        & (Recognition.recognised_on <= datetime.date(assessed_year, 12, 31))
    ))
    done = {rid for (rid,) in Assessment.select(Assessment.recognition).where(
        (Assessment.recognition.in_([r.id for r in recognitions] or [0])) & (Assessment.year == assessed_year)
        & (Assessment.status == "confirmed")
    ).tuples()}
    for jurisdiction_id, (deadline, article) in due.items():
        mine = [r for r in recognitions if r.jurisdiction_id == jurisdiction_id]
        if not mine:
            continue
        section = sections[jurisdiction_id]
        label = _("Annual assessment of %(year)s: %(done)s of %(n)s park(s) confirmed",
                  year=assessed_year, done=sum(1 for r in mine if r.id in done), n=len(mine))
        section.deadlines.append(_deadline(deadline, on, "assessment", label, article, (None, None)))


def subsidy_chart(totals, code):
    """Stacked bars of the money due each year (paid, approved, proposed), as inline SVG."""
    if not totals:
        return None
    years = sorted(totals)
    stack = {y: [(s, colour, totals[y].get(s, Decimal(0))) for s, colour in CHART_SERIES] for y in years}
    peak = max(sum(v for _s, _c, v in stack[y]) for y in years)
    bar, gap, top, plot, bottom = 44, 28, 22, 150, 22
    width = gap + len(years) * (bar + gap)
    height = top + plot + bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="subsidy-chart" id="subsidy-chart-{escape(code)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(_("Subsidies per year"))}">',
        f'<line x1="0" y1="{top + plot}" x2="{width}" y2="{top + plot}" stroke="#999" stroke-width="1"/>',
    ]
    for index, year in enumerate(years):
        x = gap + index * (bar + gap)
        y = top + plot
        total = Decimal(0)
        for status, colour, value in stack[year]:
            if value <= 0 or peak <= 0:
                continue
            h = float(value / peak) * plot
            y -= h
            total += value
            label = f"{year} {vocab.SUBSIDY_STATUSES.label(status, current_language())} {format_money(value)}"
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{colour}" '
                f'data-year="{year}" data-status="{status}" data-amount="{value}"><title>{escape(label)}</title></rect>'
            )
        parts.append(f'<text x="{x + bar / 2}" y="{y - 6:.1f}" font-size="11" text-anchor="middle">{escape(_wan(total))}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{top + plot + 16}" font-size="12" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _wan(amount: Decimal) -> str:
    if current_language() == "zh":
        return f"{fmt_number((amount / 10000).quantize(Decimal('0.01')).normalize())}万"
    return f"{fmt_number((amount / 1000).quantize(Decimal('0.1')).normalize())}k"


class DashboardView(HomeView):
    """The back office's index view: the foundation's welcome, then the dashboard."""

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
            series=[(s, c, vocab.SUBSIDY_STATUSES.label(s, current_language())) for s, c in CHART_SERIES],
            status_labels=[(s, vocab.SUBSIDY_STATUSES.label(s, current_language())) for s in vocab.SUBSIDY_STATUSES.codes()],
        )

