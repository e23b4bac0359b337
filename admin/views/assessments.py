"""Recognitions and their annual assessments: indicator entry, the computed grade, and the
consequences of the grade history — rectification with its deadline, subsidies withheld or
cancelled, revocation — previewed with their articles and applied only when an officer confirms
them; rectifications closed with an outcome. Every change goes through core.records.services."""
import datetime
from decimal import Decimal

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import FilterEqual, IntEqualFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin import permissions, presentation
from admin.auth import current_actor, current_scope, current_user
from admin.i18n import bilingual, current_language, format_date, localized
from admin.scoping import scoped_select
from admin.views import assessment_grid, assessment_workbook, confirmation, records, workflow
from admin.views.base import ScopedModelView
from admin.views.documents import document_links
from admin.views.workflow import as_int, posted_text, posted_version, posted_year, record_rules, run
from core.records import vocab
from core.rules.assessment import KINDS, assessment_day
from core.records.models import Assessment, Jurisdiction, Recognition, Rectification, Subsidy
from core.rules.criteria import fmt_number
from core.records.services import assessments as assessment_service

ASSESSMENT_STATUSES = {
    "draft": _l("Draft: not yet confirmed"),
    "confirmed": _l("Confirmed"),
    "cancelled": _l("Cancelled"),
}


def grade_label(grade):
    return vocab.GRADES.label(grade, current_language()) if grade else "—"


def score_text(value):
    """A total score with two places (SQLite hands back 50 for 50.00)."""
    return "—" if value is None else str(Decimal(str(value)).quantize(Decimal("0.01")))


def consequence_label(kind):
    zh, en = KINDS.get(kind, (kind, kind))
    return localized(zh, en)


def _recognition_column(view, context, model, name):
    return model.recognition.official_name


class RecognitionView(records.RecognitionView):
    """The foundation's list of recognitions, with a page for each: its assessments, its subsidies,
    entering an assessment and proposing the year's subsidies."""

    @expose("/details/")
    def details_view(self):
        recognition = self.get_one(request.args.get("id"))
        user = current_user()
        rules = record_rules(recognition)
        assessments = list(recognition.assessments.order_by(Assessment.year.desc(), Assessment.id.desc()))
        subsidies = list(Subsidy.select().where(Subsidy.recognition == recognition).order_by(Subsidy.year.desc(), Subsidy.id))
        return self.render(
            "hrpark/recognition.html",
            recognition=recognition,
            rules=rules,
            jurisdiction_name=localized(recognition.jurisdiction.name_zh, recognition.jurisdiction.name_en),
            status_label=vocab.RECOGNITION_STATUSES.label(recognition.status, current_language()),
            assessments=[{
                "record": a,
                "total": score_text(a.total_score),
                "grade": grade_label(a.grade),
                "status": str(ASSESSMENT_STATUSES.get(a.status, a.status)),
            } for a in assessments],
            subsidies=[{
                "record": s,
                "status": vocab.SUBSIDY_STATUSES.label(s.status, current_language()),
            } for s in subsidies],
            may_assess=rules is not None and user.role in assessment_service.ASSESSOR_ROLES and recognition.status != "revoked",
            may_see_assessments=permissions.allowed(user.role, "assessment", permissions.VIEW),
            may_see_subsidies=permissions.allowed(user.role, "subsidy", permissions.VIEW),
            may_propose=rules is not None and user.role == "city_officer",
            default_year=workflow.today().year - 1,
            documents=document_links("recognition", recognition),
        )


def years_entered(recognition_ids):
    """{recognition id: the years it has an assessment of (entered or confirmed)}, in one query."""
    entered = {}
    for recognition_id, year in Assessment.select(Assessment.recognition, Assessment.year).where(
            Assessment.recognition.in_(recognition_ids) & (Assessment.status != "cancelled")).tuples():
        entered.setdefault(recognition_id, set()).add(year)
    return entered


def year_due(recognition, today, entered=None):
    """The year to assess: the earliest year of operation since recognition, up to last year (each year
    is assessed in the next, as the measures' assessment articles say), with no assessment entered or confirmed;
    when every one has one, last year (or, recognised this year, this year: assessed next year).
    `entered`: its years with an assessment, when already read (years_entered)."""
    entered = years_entered([recognition.id]).get(recognition.id, set()) if entered is None else entered
    first = recognition.recognised_on.year
    return next((y for y in range(first, today.year) if y not in entered), max(today.year - 1, first))


class AssessmentView(ScopedModelView):
    list_template = "hrpark/assessment_list.html"

    resource = "assessment"
    list_joins = (Assessment.recognition,)
    column_list = ("recognition", "year", "total_score", "grade", "status", "assessed_on", "assessed_by")
    column_export_list = column_list
    column_labels = dict(
        presentation.labels_for(Assessment),
        total_score=_l("Total score"),
        grade=_l("Grade"),
        assessed_on=_l("Assessed on"),
        assessed_by=_l("Assessed by"),
        scores=_l("Scores"),
        consequences=_l("Consequences"),
    )
    column_formatters = {
        "recognition": _recognition_column,
        "total_score": lambda v, c, m, n: score_text(m.total_score),
        "grade": lambda v, c, m, n: grade_label(m.grade),
        "status": lambda v, c, m, n: str(ASSESSMENT_STATUSES.get(m.status, m.status)),
    }
    column_formatters_export = column_formatters
    column_default_sort = ("id", True)
    column_sortable_list = ("year",)
    column_filters = (
        IntEqualFilter(Assessment.year, _l("Year")),
        FilterEqual(Assessment.grade, _l("Grade"), options=presentation.vocab_options(vocab.GRADES)),
    )

    def details_url(self, assessment):
        return url_for(".details_view", id=assessment.id)

    def scoped_recognition(self, recognition_id):
        recognition = scoped_select(Recognition, current_scope()).where(Recognition.id == as_int(recognition_id)).first()
        if recognition is None:
            abort(404)
        return recognition

    # --- entering the scores --------------------------------------------------------------------

    def may_enter(self):
        user = current_user()
        return user is not None and user.role in assessment_service.ASSESSOR_ROLES

    @expose("/enter/", methods=("GET", "POST"))
    def enter_view(self):
        if not self.may_enter():
            abort(403)
        if not request.values.get("recognition_id"):
            return self.choose_view()
        recognition = self.scoped_recognition(request.values.get("recognition_id"))
        rules = record_rules(recognition)
        year = posted_year() if request.method == "POST" else None
        default_year = year_due(recognition, workflow.today())
        # The indicators and weights of the year assessed (第十八条/第十七条), not of the day typed.
        indicators = rules.indicators(assessment_day(year or default_year))
        if request.method == "POST":
            scores = {i.id: posted_text(f"score-{i.id}") for i in indicators}
            scores = {k: v for k, v in scores.items() if v != ""}
            if year is not None:
                assessment = run(assessment_service.create_assessment, recognition, year, scores, current_actor(),
                                 assessed_on=workflow.today())
                if assessment is not None:
                    flash(bilingual("Scores entered: the grade is %(grade)s. Check the consequences, then confirm.",
                                    grade=grade_label(assessment.grade)), "success")
                    return redirect(self.details_url(assessment))
        return self.render(
            "hrpark/assessment_enter.html",
            recognition=recognition,
            indicators=self.describe_indicators(rules, {}, year or default_year),
            tiers=self.describe_tiers(rules, year or default_year),
            default_year=default_year,
        )

    def choose_view(self):
        """Which recognised park to assess: every one in the scope still assessed, with the year due."""
        today = workflow.today()
        recognitions = list(scoped_select(Recognition, current_scope(), Recognition, Jurisdiction)
                            .join(Jurisdiction, on=(Recognition.jurisdiction == Jurisdiction.id))
                            .where(Recognition.status != "revoked").order_by(Recognition.official_name))
        entered = years_entered([r.id for r in recognitions])  # the page costs three queries, whatever its length
        return self.render("hrpark/assessment_choose.html", rows=[
            {"recognition": r, "year": year_due(r, today, entered.get(r.id, set())),
             "jurisdiction": localized(r.jurisdiction.name_zh, r.jurisdiction.name_en)}
            for r in recognitions])

    @expose("/grid/", methods=("GET", "POST"))
    def grid_view(self):
        """A whole year's scores of one programme's parks on one grid (admin.views.assessment_grid)."""
        if not self.may_enter():
            abort(403)
        return assessment_grid.grid_page(self)

    @expose("/grid/workbook/")
    def grid_workbook_view(self):
        """下载评分表: the grid of the chosen programme and year as an empty workbook."""
        if not self.may_enter():
            abort(403)
        return assessment_workbook.workbook_response(assessment_grid.grid_choice())

    @expose("/grid/import/", methods=("POST",))
    def grid_import_view(self):
        """导入评分表: the filled workbook checked whole, then the grid's preview (nothing written)."""
        if not self.may_enter():
            abort(403)
        return assessment_workbook.import_page(self)

    @staticmethod
    def describe_indicators(rules, scores, year):
        rows = []
        for i in rules.indicators(assessment_day(year)):
            parameter = rules.parameters.get(i.weight_param) if i.weight_param and i.weight_param in rules.parameters else None
            rows.append({
                "id": i.id,
                "group": i.group,
                "label": localized(i.label, i.label_en),
                "article": i.article,
                "weight": fmt_number(i.weight),
                "local_default": bool(parameter and parameter.local_default),
                "score": scores.get(i.id, ""),
            })
        return rows

    @staticmethod
    def describe_tiers(rules, year):
        rows = []
        for t in sorted(rules.grade_tiers(assessment_day(year)), key=lambda t: t.min_score, reverse=True):
            parameter = rules.parameters.get(t.cutoff_param) if t.cutoff_param and t.cutoff_param in rules.parameters else None
            rows.append({
                "grade": t.grade,
                "label": localized(t.label, t.label_en),
                "min_score": fmt_number(t.min_score),
                "article": t.article,
                "local_default": bool(parameter and parameter.local_default),
            })
        return rows

    # --- the assessment page ---------------------------------------------------------------------

    def _question(self, assessment, version):
        """The dialog before confirming a grade that revokes the recognition, when the service would confirm."""
        added = self._added(assessment, lambda: assessment_service.confirm_assessment(
            assessment, current_actor(), expected_version=version, on=workflow.today()))
        if not any(c.get("kind") == "revoke" for c in added):
            return None
        what = _("%(name)s: confirming this grade applies:", name=assessment.recognition.official_name)
        return confirmation.consequences_question(_("Confirm the grade"), what, self._listed(added),
                                                  self.details_url(assessment))

    def _failure_question(self, rectification, version):
        """The dialog before closing a rectification as failed, listing what that adds (a held subsidy
        cancelled, a recognition revoked), when the service would close it."""
        assessment = rectification.assessment
        added = self._added(assessment, lambda: assessment_service.close_rectification(
            rectification, False, posted_text("remark"), current_actor(), expected_version=version, on=workflow.today()))
        if not added:
            return None
        what = _("%(name)s: the rectification closed as failed applies:", name=assessment.recognition.official_name)
        return confirmation.consequences_question(_("Rectification failed"), what, self._listed(added),
                                                  self.details_url(assessment), "outcome", "remark")

    @staticmethod
    def _added(assessment, step):
        """The consequences `step` would add to `assessment` (a dry run: nothing stays written); []
        when the service would refuse it (the refusal is shown when it is taken)."""
        before = len(assessment.consequences or []) if assessment.status == "confirmed" else 0

        def take():
            step()
            return (Assessment.get_by_id(assessment.id).consequences or [])[before:]

        return confirmation.dry_run(take) or []

    @staticmethod
    def _listed(consequences):
        return [(consequence_label(c.get("kind")), c.get("article", ""),
                 localized(c.get("explanation", ""), c.get("explanation_en", ""))) for c in consequences]

    @expose("/details/")
    def details_view(self, assessment=None, confirm=None):
        assessment = assessment or self.get_one(request.args.get("id"))
        recognition = assessment.recognition
        rules = record_rules(recognition)
        user = current_user()
        is_draft = assessment.status == "draft"
        if is_draft:
            consequences = [{
                "kind": c.kind,
                "label": consequence_label(c.kind),
                "article": c.article,
                "explanation": localized(c.explanation, c.explanation_en),
                "deadline_months": c.deadline_months,
                "year": c.year,
            } for c in assessment_service.preview_consequences(assessment)]
        else:
            consequences = [{
                "kind": c.get("kind"),
                "label": consequence_label(c.get("kind")),
                "article": c.get("article", ""),
                "explanation": localized(c.get("explanation", ""), c.get("explanation_en", "")),
                "deadline": format_date(datetime.date.fromisoformat(c["deadline"])) if c.get("deadline") else None,
                "year": c.get("year"),
                "subsidies": c.get("subsidies", []),
            } for c in (assessment.consequences or [])]
        rectifications = []
        for r in assessment.rectifications.order_by(Rectification.id):
            may_close = r.outcome == "pending" and user.role in assessment_service.ASSESSOR_ROLES
            # “整改期满仍不合格”: not found still unqualified before the deadline.
            failure_from = assessment_service.failure_refused_until(r, workflow.today()) if may_close else None
            rectifications.append({
                "record": r,
                "outcome": vocab.RECTIFICATION_OUTCOMES.label(r.outcome, current_language()),
                "may_close": may_close,
                "failure_from": format_date(failure_from) if failure_from else None,
                "failure_article": assessment_service.rectify_order(assessment).article if failure_from else "",
                "documents": document_links("rectification", r),
            })
        tier_article = next((t.article for t in rules.grade_tiers(assessment_day(assessment.year)) if t.grade == assessment.grade), "")
        return self.render(
            "hrpark/assessment.html",
            assessment=assessment,
            recognition=recognition,
            status_label=str(ASSESSMENT_STATUSES.get(assessment.status, assessment.status)),
            grade=grade_label(assessment.grade),
            total_score=score_text(assessment.total_score),
            grade_article=tier_article,
            indicators=self.describe_indicators(rules, assessment.scores or {}, assessment.year),
            tiers=self.describe_tiers(rules, assessment.year),
            consequences=consequences,
            is_draft=is_draft,
            may_confirm=is_draft and user.role in assessment_service.ASSESSOR_ROLES,
            rectifications=rectifications,
            documents=document_links("assessment", assessment),
            confirm=confirm,
        )

    # --- steps ------------------------------------------------------------------------------------

    @expose("/<int:assessment_id>/confirm/", methods=("POST",))
    def confirm_view(self, assessment_id):
        assessment = self.get_one(assessment_id)
        version = posted_version()
        if version is not None and not confirmation.confirmed() and (question := self._question(assessment, version)):
            return self.details_view(assessment, confirm=question)
        if version is not None:
            done = run(assessment_service.confirm_assessment, assessment, current_actor(), expected_version=version,
                       on=workflow.today())
            if done is not None:
                flash(bilingual("Assessment confirmed; its consequences are applied."), "success")
        return redirect(self.details_url(assessment))

    @expose("/<int:assessment_id>/cancel/", methods=("POST",))
    def cancel_view(self, assessment_id):
        assessment = self.get_one(assessment_id)
        done = run(assessment_service.cancel_assessment, assessment, posted_text("reason"), current_actor())
        if done is not None:
            flash(bilingual("Assessment cancelled."), "success")
        return redirect(self.details_url(assessment))

    @expose("/rectification/<int:rectification_id>/close/", methods=("POST",))
    def close_rectification_view(self, rectification_id):
        rectification = scoped_select(Rectification, current_scope()).where(Rectification.id == rectification_id).first()
        if rectification is None:
            abort(404)
        outcome = request.form.get("outcome")
        version = posted_version()
        if outcome not in ("passed", "failed"):
            flash(bilingual("Choose whether the rectification passed."), "error")
        elif (version is not None and outcome == "failed" and not confirmation.confirmed()
              and (question := self._failure_question(rectification, version))):
            return self.details_view(rectification.assessment, confirm=question)
        elif version is not None:
            done = run(assessment_service.close_rectification, rectification, outcome == "passed", posted_text("remark"),
                       current_actor(), expected_version=version, on=workflow.today())
            if done is not None:
                flash(bilingual("Rectification closed."), "success")
        return redirect(self.details_url(rectification.assessment))


def register(admin):
    from admin.views import FUNDS

    admin.add_view(AssessmentView(Assessment, _l("Assessments"), category=FUNDS, endpoint="assessment"))

