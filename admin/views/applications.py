"""Recognition applications: the list, opening one, and the application page — the jurisdiction's
materials checklist with uploads, the live eligibility panel (every criterion with its article,
measured value, requirement and status), reviewers' verdicts, waivers with reasons, the public
notice counted in working days, and the procedure as buttons: exactly the transitions the
jurisdiction's plugin allows this role in this state. Every change goes through core.records.services."""
import operator
from functools import reduce

from flask import abort, current_app, flash, has_request_context, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.filters import BasePeeweeFilter, FilterEqual, FilterLike, IntEqualFilter
from flask_admin.model.filters import BaseDateFilter
from peewee import fn
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin import permissions, presentation
from admin.auth import current_actor, current_scope, current_user
from admin.i18n import bilingual, both, current_language, format_date, format_datetime, localized
from admin.measured_values import MEASURED, REQUIRED, criterion_value
from admin.scoping import scoped_select
from admin.views import confirmation, workflow
from admin.views.base import ScopedModelView
from admin.views.documents import document_links
from admin.views.objections import objection_rows, posted_attachment
from admin.views.workflow import (
    as_int,
    criterion_status_label,
    posted_text,
    posted_version,
    posted_year,
    role_label,
    roles_label,
    app_registry,
    programme_name,
    programme_rules,
    rules_of,
    record_rules,
    run,
    state_label,
    state_labels,
)
from core.records.models import Application, Jurisdiction, Material, Park, PublicNotice, Recognition, ReviewStep
from core.rules.programmes import programmes_open_to
from core.rules.criteria import NEEDS_JUDGEMENT, NOT_MET_WAIVABLE, WAIVED, default_as_of
from core.records.services import applications as apps
from core.records.services import materials as material_service
from core.records.vocab import OBJECTION_CHANNELS

def ends_badly(procedure, transition):
    """Returning, rejecting and withdrawing: drawn as such, and asked about before they are taken."""
    return (procedure.state(transition.target).final and "recognise" not in transition.guards) or \
        transition.target == procedure.initial


#: What a transition's guards ask of the user, shown by its button.
GUARD_HINTS = {
    "materials_complete": _l("every required material uploaded"),
    "eligibility_clear": _l("every condition met, judged or waived"),
    "notice_open": _l("opens the public notice"),
    "notice_period_over": _l("the notice period is over"),
    "no_objections": _l("no objection during the notice"),  # or every one dismissed
    "remark_required": _l("a remark is required"),
    "recognise": _l("recognises the park under its official name"),
}
OUTCOME_LABELS = {
    "eligible": _l("Eligible"),
    "not_eligible": _l("Not eligible"),
    "pending": _l("Pending: conditions await a reviewer's judgement or a waiver"),
    "incomplete": _l("Incomplete: facts some conditions read are not recorded yet"),
}


def _state_column(view, context, model, name):
    return state_label(programme_rules(model.programme), model.state)


def _programme_column(view, context, model, name):
    return programme_name(model.programme)


def filer_jurisdiction_ids(role):
    """Ids of the jurisdictions whose procedure lets `role` open an application (one query)."""
    ids, rows = [], {row.id: row for row in Jurisdiction.select()}
    for row in rows.values():
        row.parent = rows.get(row.parent_id) if row.parent_id else None  # linked here: no query per row
        rules = rules_of(row)
        if rules is not None and rules.procedure() is not None and rules.procedure().filer_role == role:
            ids.append(row.id)
    return ids


def filer_parks(scope, role):
    """The parks within `scope` whose jurisdiction's procedure lets `role` open an application.
    Decided per jurisdiction, not per park: a province's thousand parks cost no extra query."""
    ids = filer_jurisdiction_ids(role)
    if not ids:
        return []
    return list(scoped_select(Park, scope).where(Park.jurisdiction.in_(ids)).order_by(Park.name, Park.id))


def programme_choices(parks, role):
    """[(code, label)] of the programmes the listed parks may apply under and `role` files (a county's
    own measures and its city's), each named with its level."""
    seen = {}
    for jurisdiction_id in {park.jurisdiction_id for park in parks}:
        for rules in programmes_open_to(Jurisdiction.get_by_id(jurisdiction_id), app_registry()):
            procedure = rules.procedure()
            if procedure is not None and procedure.filer_role == role and rules.code not in seen:
                seen[rules.code] = f"《{rules.info.measures_title}》（{rules.info.name}级）"
    return sorted(seen.items(), key=lambda item: item[1])


def county_measures_articles(codes):
    """The articles letting a county make measures of its own, as each of these programmes declares
    it (its `county_measures_article`): ["X办法第五条"]; none for a programme that declares none."""
    infos = [app_registry().get(code).info for code in codes]
    return [f"{info.name_prefix}办法{info.county_measures_article}" for info in infos if info.county_measures_article]


def notice_state(procedure):
    """The state an application is in while its public notice runs (the target of `notice_open`)."""
    for transition in procedure.transitions:
        if "notice_open" in transition.guards:
            return transition.target
    return None


def state_options():
    """(state, label) of every installed programme's procedure, for the state filter: one entry a state
    (none at start-up, outside a request: the filter reads them again in each request)."""
    if not has_request_context():
        return []
    options = {}
    for rules in app_registry():
        procedure = rules.procedure()
        for state in (procedure.states if procedure is not None else ()):
            options.setdefault(state.id, localized(state.label, state.label_en))
    return list(options.items())


def latest_notices(application_ids):
    """{application id: its latest PublicNotice} for these applications, in one query."""
    latest = PublicNotice.select(fn.MAX(PublicNotice.id)).where(PublicNotice.application.in_(application_ids)) \
        .group_by(PublicNotice.application)
    return {n.application_id: n for n in PublicNotice.select().where(PublicNotice.id.in_(latest))}


class NoticeEndFilter(BasePeeweeFilter, BaseDateFilter):
    """Applications whose latest public notice ends on or before (`until`) / on or after the day chosen."""

    def __init__(self, name, until):
        super().__init__(Application.id, name)  # the id: no join to the notices, a subquery instead
        self.until = until

    def apply(self, query, value):
        latest = PublicNotice.select(fn.MAX(PublicNotice.id)).group_by(PublicNotice.application)
        ends = (PublicNotice.end <= value) if self.until else (PublicNotice.end >= value)
        return query.where(Application.id.in_(PublicNotice.select(PublicNotice.application).where(
            PublicNotice.id.in_(latest) & ends)))

    def operation(self):
        return _l("on or before") if self.until else _l("on or after")


def _notice_end_column(view, context, model, name):
    """公示截止: the latest notice's last day, and whether it is running or over with no decision yet."""
    notice = getattr(model, "latest_notice", None)
    if notice is None:
        return ""
    day = format_date(notice.end)
    if model.state != notice_state(programme_rules(model.programme).procedure()):
        return day
    if notice.end >= workflow.today():
        return _("%(day)s (notice running)", day=day)
    return _("%(day)s (over: awaiting the decision)", day=day)


def next_deadline(application):
    """(day, what) of the nearest deadline still ahead of `application`, or None. The one time limit a
    procedure declares is its public notice's: while the application is in the notice's state, the
    notice's last day (read from `latest_notice`, set for the page's rows by ApplicationView.get_list)."""
    notice = getattr(application, "latest_notice", None)
    rules = programme_rules(application.programme)
    if notice is None or rules is None or rules.procedure() is None:
        return None
    if application.state != notice_state(rules.procedure()) or notice.end < workflow.today():
        return None
    return notice.end, _("the public notice ends")


def _next_deadline_column(view, context, model, name):
    deadline = next_deadline(model)
    return "—" if deadline is None else _("%(day)s: %(what)s", day=format_date(deadline[0]), what=deadline[1])


class NextDeadlineFilter(BasePeeweeFilter, BaseDateFilter):
    """Applications with a deadline ahead on or before the day chosen: in their procedure's notice state,
    their latest notice ending between today and that day."""

    def __init__(self, name):
        super().__init__(Application.id, name)

    def apply(self, query, value):
        in_notice = [(Application.programme == rules.code) & (Application.state == notice_state(rules.procedure()))
                     for rules in app_registry() if rules.procedure() is not None and notice_state(rules.procedure())]
        if not in_notice:
            return query.where(Application.id.is_null())
        latest = PublicNotice.select(fn.MAX(PublicNotice.id)).group_by(PublicNotice.application)
        ahead = PublicNotice.select(PublicNotice.application).where(
            PublicNotice.id.in_(latest) & (PublicNotice.end >= workflow.today()) & (PublicNotice.end <= value))
        return query.where(reduce(operator.or_, in_notice) & Application.id.in_(ahead))

    def operation(self):
        return _l("on or before")


class ApplicationView(ScopedModelView):
    resource = "application"
    list_template = "hrpark/application_list.html"
    list_joins = (Application.park, Application.jurisdiction)
    column_list = ("park", "jurisdiction", "programme", "year", "state", "notice_end", "next_deadline", "submitted_at",
                   "created_by")
    column_export_list = ("park", "jurisdiction", "year", "state", "notice_end", "next_deadline", "submitted_at",
                          "created_by")
    column_labels = dict(
        presentation.labels_for(Application),
        state=_l("State"),
        programme=_l("Measures applied under"),
        submitted_at=_l("Submitted at"),
        created_by=_l("Opened by"),
        withdrawn_reason=_l("Withdrawal reason"),
        notice_end=_l("Public notice ends"),
        next_deadline=_l("Next deadline"),
    )
    column_sortable_list = ("year",)
    column_formatters = {"state": _state_column, "programme": _programme_column, "notice_end": _notice_end_column,
                         "next_deadline": _next_deadline_column}
    column_formatters_export = {"state": _state_column, "notice_end": _notice_end_column,
                                "next_deadline": _next_deadline_column}
    column_filters = (
        FilterLike(Park.name, _l("Park")),
        IntEqualFilter(Application.year, _l("Year")),
        FilterEqual(Application.state, _l("State"), options=state_options),
        NoticeEndFilter(_l("Public notice ends"), until=True),
        NoticeEndFilter(_l("Public notice ends"), until=False),
        NextDeadlineFilter(_l("Next deadline")),
    )

    def get_list(self, *args, **kwargs):
        """The page's applications, each with its latest notice (one query for the page, not one a row)."""
        count, rows = super().get_list(*args, **kwargs)
        rows = list(rows)
        notices = latest_notices([r.id for r in rows])
        for row in rows:
            row.latest_notice = notices.get(row.id)
        return count, rows

    # --- opening an application ---------------------------------------------------------------

    def may_open(self):
        user = current_user()
        if user is None:
            return False
        ids = filer_jurisdiction_ids(user.role)
        return bool(ids) and scoped_select(Park, current_scope(), Park.id).where(Park.jurisdiction.in_(ids)).exists()

    @expose("/open/", methods=("GET", "POST"))
    def open_view(self):
        user = current_user()
        parks = filer_parks(current_scope(), user.role)
        if request.method == "POST":
            park = scoped_select(Park, current_scope()).where(Park.id == as_int(request.form.get("park"))).first()
            if park is None:
                abort(404)
            year = posted_year()
            programme = posted_text("programme") or None  # "" = the nearest programme of the park's place
            if year is not None:
                application = run(apps.create_application, park, current_actor(), year=year, programme=programme)
                if application is not None:
                    flash(bilingual("Application #%(id)s opened.", id=application.id), "success")
                    return redirect(self.details_url(application))
        programmes = programme_choices(parks, user.role)
        return self.render("hrpark/application_open.html", parks=parks, default_year=workflow.today().year,
                           chosen=as_int(request.form.get("park")), programmes=programmes,
                           county_articles=county_measures_articles(code for code, _label in programmes),
                           chosen_programme=posted_text("programme"))

    # --- the application page -----------------------------------------------------------------

    def details_url(self, application):
        return url_for(".details_view", id=application.id)

    @expose("/details/")
    def details_view(self):
        application = self.get_one(request.args.get("id"))
        return self.render("hrpark/application.html", **self.page(application))

    def page(self, application):
        user = current_user()
        rules = record_rules(application)
        procedure = rules.procedure()
        state = procedure.state(application.state)
        is_open = not state.final
        # Counted on the day the office works on, as the eligibility guard of a step taken today counts.
        evaluation = apps.evaluate_application(application, as_of=workflow.today())
        verdicts = {v.criterion_id: v for v in application.verdicts}
        earlier_verdicts = apps.verdict_history(application)
        waivers = {w.criterion_id: w for w in application.waivers}
        # Verdicts and waivers only at the stage the procedure names for them, by its roles.
        may_judge = procedure.verdict_stage is not None and procedure.verdict_stage.admits(application.state, user.role)
        may_waive = procedure.waiver_stage is not None and procedure.waiver_stage.admits(application.state, user.role)
        criteria = []
        for r in evaluation.results:
            criteria.append({
                "id": r.criterion_id,
                "article": r.article,
                "title": localized(r.title, r.title_en),
                "measured": criterion_value(r.criterion_id, r.measured, MEASURED),
                "required": criterion_value(r.criterion_id, r.required, REQUIRED),
                "status": r.status,
                "status_label": criterion_status_label(r.status),
                "final_status": r.final_status,
                "final_label": criterion_status_label(r.final_status),
                "blocking": r.blocking,
                "explanation": localized(r.explanation, r.explanation_en),
                "verdict": verdicts.get(r.criterion_id),
                "earlier_verdicts": [{
                    "when": format_datetime(e.at),
                    "who": e.reviewer,
                    "met": _("Met") if e.met else _("Not met"),
                    "remark": e.remark,
                } for e in earlier_verdicts.get(r.criterion_id, [])],
                "waiver": waivers.get(r.criterion_id),
                "may_judge": may_judge and r.status == NEEDS_JUDGEMENT,
                "may_waive": may_waive and r.status == NOT_MET_WAIVABLE and r.final_status != WAIVED,
            })

        current = {}
        replaced = {}
        for m in application.materials.order_by(Material.id):
            if m.withdrawn:
                replaced[m.material_id] = replaced.get(m.material_id, 0) + 1
            else:
                current[m.material_id] = m
        may_upload = user.role == procedure.filer_role and application.state in material_service.EDITABLE_STATES
        materials = [{
            "id": spec.id,
            "title": localized(spec.title, spec.title_en),
            "article": spec.article,
            "required": spec.required,
            "extensions": " ".join(spec.extensions),
            "max_mb": spec.max_bytes // (1024 * 1024),
            "file": current.get(spec.id),
            "replaced": replaced.get(spec.id, 0),
        } for spec in rules.materials()]

        transitions = [{
            "id": t.id,
            "label": localized(t.label, t.label_en),
            "article": t.article,
            "hints": [str(GUARD_HINTS[g]) for g in t.guards if g in GUARD_HINTS],
            "remark_required": "remark_required" in t.guards,
            "ends_badly": ends_badly(procedure, t),
            "recognises": "recognise" in t.guards,
        } for t in apps.available_transitions(application, user.role)]
        next_steps = [{
            "label": localized(t.label, t.label_en),
            "article": t.article,
            "roles": roles_label(t.roles),
        } for t in procedure.transitions if t.source == application.state]

        steps = [{
            "at": s.at,
            "label": self._transition_label(procedure, s.transition),
            "from": state_label(rules, s.from_state),
            "to": state_label(rules, s.to_state),
            "actor": s.actor,
            "role": role_label(s.role),
            "remark": s.remark,
        } for s in application.steps.order_by(ReviewStep.id)]

        notice = apps.latest_notice(application)
        in_notice = notice is not None and application.state == notice_state(procedure)
        recognition = Recognition.select().where(Recognition.application == application).first()
        return {
            "application": application,
            "park": application.park,
            "jurisdiction_name": localized(application.jurisdiction.name_zh, application.jurisdiction.name_en),
            "measures": rules.info.measures_title,
            "procedure_article": procedure.article,
            "states": [(s.id, localized(s.label, s.label_en), s.final) for s in procedure.states],
            "state_label": localized(state.label, state.label_en),
            "is_open": is_open,
            "evaluation": evaluation,
            "outcome_label": str(OUTCOME_LABELS.get(evaluation.outcome, evaluation.outcome)),
            "criteria": criteria,
            "judgement": {
                "may_judge": any(c["may_judge"] for c in criteria),
                "total": sum(1 for c in criteria if c["status"] == NEEDS_JUDGEMENT),
                "judged": sum(1 for c in criteria if c["status"] == NEEDS_JUDGEMENT and c["verdict"] is not None),
            },
            "review_stages": self._review_stages(procedure),
            "materials": materials,
            "missing": [localized(m.title, m.title_en) for m in apps.missing_materials(application)],
            "may_upload": may_upload,
            "may_download": permissions.allowed(user.role, "material", permissions.VIEW),
            "filer_role": role_label(procedure.filer_role),
            "transitions": transitions,
            "next_steps": next_steps,
            "steps": steps,
            "notice": notice,
            "in_notice": in_notice,
            "may_object": in_notice and user.role == "city_officer",
            "objections": objection_rows(application, notice, current_actor()),
            "objection_channels": [(c, l) for c, l in OBJECTION_CHANNELS.choices(current_language()) if c != "online"],
            "recognition": recognition,
            "documents": document_links("application", application),
            "notice_documents": document_links("notice", notice),
        }

    @staticmethod
    def _review_stages(procedure):
        """When verdicts and waivers are recorded, and by whom, as the procedure names it."""
        stages = []
        for kind, stage in (("verdict", procedure.verdict_stage), ("waiver", procedure.waiver_stage)):
            if stage is None:
                continue
            states = "、".join(localized(s.label, s.label_en) for s in map(procedure.state, stage.states))
            stages.append({"kind": kind, "states": states, "roles": roles_label(stage.roles), "article": stage.article})
        return stages

    @staticmethod
    def _transition_label(procedure, transition_id):
        try:
            t = procedure.transition(transition_id)
        except KeyError:
            return transition_id
        return localized(t.label, t.label_en)

    # --- steps --------------------------------------------------------------------------------

    def _back(self, application):
        return redirect(self.details_url(application))

    @expose("/<int:application_id>/transition/", methods=("POST",))
    def transition_view(self, application_id):
        application = self.get_one(application_id)
        version = posted_version()
        if version is None:
            return self._back(application)
        transition_id = posted_text("transition")
        if not confirmation.confirmed() and (question := self._question(application, transition_id, version)):
            return self.render("hrpark/application.html", **self.page(application), confirm=question)
        moved = run(apps.take_transition, application, transition_id, current_actor(), remark=posted_text("remark"),
                    expected_version=version, on=workflow.today(), document_number=posted_text("document_number"))
        if moved is not None:
            rules = record_rules(moved)
            flash(bilingual("Done: the application is now “%(state)s”.", state=both(*state_labels(rules, moved.state))),
                  "success")
        return self._back(application)

    def _question(self, application, transition_id, version):
        """The dialog before this step, when it is one the user is asked to confirm and the service
        would take it."""
        procedure = record_rules(application).procedure()
        step = next((t for t in apps.available_transitions(application, current_user().role) if t.id == transition_id), None)
        if step is None:
            return None  # not this role's step here: the service says so
        unmet = []
        if step.source == procedure.initial:  # filing: the conditions not met are listed
            evaluation = apps.evaluate_application(application, as_of=workflow.today())
            unmet = [(localized(r.title, r.title_en), r.article, criterion_status_label(r.final_status))
                     for r in evaluation.results if r.final_status in confirmation.UNMET]
        if not (ends_badly(procedure, step) or unmet) or confirmation.dry_run(lambda: apps.take_transition(
                application, transition_id, current_actor(), remark=posted_text("remark"), expected_version=version,
                on=workflow.today(), document_number=posted_text("document_number"))) is None:
            return None
        target = procedure.state(step.target)
        labels = (localized(step.label, step.label_en), localized(target.label, target.label_en), application.park.name)
        return confirmation.transition_question(application, step, ends_badly(procedure, step), unmet, labels,
                                                self.details_url(application))

    @expose("/<int:application_id>/upload/", methods=("POST",))
    def upload_view(self, application_id):
        application = self.get_one(application_id)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(bilingual("Choose a file to upload."), "error")
            return self._back(application)
        stored = run(material_service.add_material, application, posted_text("material_id"), upload.filename,
                     upload.read(), current_actor(), directory=current_app.config["UPLOAD_DIR"])
        if stored is not None:
            flash(bilingual("Uploaded %(file)s.", file=stored.filename), "success")
        return self._back(application)

    @expose("/<int:application_id>/verdict/", methods=("POST",))
    def verdict_view(self, application_id):
        application = self.get_one(application_id)
        met = request.form.get("met")
        if met not in ("1", "0"):
            flash(bilingual("Choose whether the condition is met."), "error")
            return self._back(application)
        saved = run(apps.record_verdict, application, posted_text("criterion_id"), met == "1", posted_text("remark"),
                    current_actor())
        if saved is not None:
            flash(bilingual("Verdict recorded."), "success")
        return self._back(application)

    @expose("/<int:application_id>/verdicts/", methods=("POST",))
    def verdicts_view(self, application_id):
        """The panel's verdicts of one form (`met-<criterion>`, `remark-<criterion>`), saved together;
        a row left blank is left for later. Back to the conditions, where the user was."""
        application = self.get_one(application_id)
        verdicts, unanswered = {}, []
        for c in record_rules(application).criteria(default_as_of(application.year, workflow.today())):
            met, remark = request.form.get(f"met-{c.id}"), posted_text(f"remark-{c.id}")
            if met in ("1", "0"):
                verdicts[c.id] = (met == "1", remark)
            elif remark:
                unanswered.append(localized(c.title, c.title_en))
        if unanswered:
            flash(bilingual("Not saved: choose met or not met for %(conditions)s.", conditions="、".join(unanswered)), "error")
        elif not verdicts:
            flash(bilingual("Nothing to save: no verdict was chosen."), "error")
        elif run(apps.record_verdicts, application, verdicts, current_actor()) is not None:
            flash(bilingual("%(n)s verdict(s) recorded.", n=len(verdicts)), "success")
        return redirect(self.details_url(application) + "#criteria")

    @expose("/<int:application_id>/waiver/", methods=("POST",))
    def waiver_view(self, application_id):
        application = self.get_one(application_id)
        saved = run(apps.grant_waiver, application, posted_text("criterion_id"), posted_text("reason"), current_actor())
        if saved is not None:
            flash(bilingual("Waiver recorded."), "success")
        return self._back(application)

    @expose("/<int:application_id>/objection/", methods=("POST",))
    def objection_view(self, application_id):
        application = self.get_one(application_id)
        saved = run(apps.record_objection, application, posted_text("text"), current_actor(), on=workflow.today(),
                    name=posted_text("name"), phone=posted_text("phone"), channel=posted_text("channel") or "letter",
                    attachment=posted_attachment(), directory=current_app.config["UPLOAD_DIR"])
        if saved is not None:
            flash(bilingual("Objection recorded."), "success")
        return self._back(application)


def register(admin):
    from admin.views import FUNDS

    admin.add_view(ApplicationView(Application, _l("Applications"), category=FUNDS, endpoint="application"))

