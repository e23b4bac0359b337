"""Recognition applications: creation, evaluation, reviewer verdicts, waivers, the procedure's
transitions with their guards, and the public notice counted in working days."""
import contextlib
import datetime
import json
from dataclasses import dataclass

from core.records import reminders
from core.records.db import is_sqlite
from core.rules.facts import load_park_facts
from core.rules.formatting import EN, ZH, format_date
from core.records.models import (
    Application,
    AuditLog,
    CriterionVerdict,
    Material,
    Park,
    PublicNotice,
    Recognition,
    ReviewStep,
    Waiver,
)
from core.plugin.registry import rules_for
from core.rules.programmes import governing_rules, programmes_open_to, stamp
from core.rules.criteria import NEEDS_JUDGEMENT, NOT_MET_WAIVABLE, default_as_of
from core.records.services.base import (
    NotFound,
    PermissionDenied,
    ServiceError,
    change,
    check_version,
    require_reach,
    require_role,
    require_text,
    today,
)
from core.records.vocab import ROLES
from core.records.services.objections import refusal_of_recognition
from core.rules.workdays import calendar_from_database

def rules_of(application):
    """The rules of the programme the application is made under (never another's)."""
    return governing_rules(application)


def programme_for_new_application(park, programme=None):
    """The rules a new application of `park` is made under: `programme` when given (one whose issuing
    jurisdiction contains the park's place), else the nearest programme of its place."""
    open_to = programmes_open_to(park.jurisdiction)
    if programme is None:
        return rules_for(park.jurisdiction)  # RulesUnavailable where the place's own plugin failed
    for rules in open_to:
        if rules.code == programme:
            return rules
    raise ServiceError(
        f"园区所在地{park.jurisdiction.name_zh}不适用办法“{programme}”；可申请的办法：{'、'.join(r.info.measures_title for r in open_to) or '无'}",
        f"programme {programme!r} does not cover {park.jurisdiction.name_en or park.jurisdiction.code}; "
        f"open to it: {', '.join(r.code for r in open_to) or 'none'}",
        field="programme",
    )


def create_application(park, actor, year=None, programme=None):
    """Open a draft application for `park` under `programme` (see programme_for_new_application),
    filed by the role that programme's procedure names."""
    require_reach(actor, park)
    rules = programme_for_new_application(park, programme)
    procedure = rules.procedure()
    require_role(actor, (procedure.filer_role,), "发起认定申请", "open an application")
    open_states = [s.id for s in procedure.states if not s.final]
    with change(actor):
        existing = Application.select().where(
            (Application.park == park) & (Application.programme == rules.code) & (Application.state.in_(open_states))
        ).first()
        if existing is not None:
            raise ServiceError(
                f"该园区已有进行中的申请（#{existing.id}，{procedure.state(existing.state).label}）",
                f"the park already has an application in progress (#{existing.id})",
            )
        # A park may hold recognitions at several levels, but one at a time under each programme.
        if Recognition.select().where(
            (Recognition.park == park) & (Recognition.programme == rules.code) & (Recognition.status != "revoked")
        ).exists():
            raise ServiceError(f"该园区已按《{rules.info.measures_title}》认定，无需再次申请",
                               f"the park is already recognised under {rules.code}")
        return Application.create(
            park=park,
            jurisdiction=park.jurisdiction,
            year=year or today().year,
            state=procedure.initial,
            created_by=actor.username,
            **stamp(rules, today()),
        )


def get_application(application_id, actor):
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        raise NotFound("申请不存在", "application not found")
    require_reach(actor, application.park)
    return application


def evaluate_application(application, as_of=None):
    """The live eligibility panel: every criterion with the verdicts and waivers recorded so far."""
    facts = load_park_facts([application.park_id])[application.park_id]
    verdicts = {v.criterion_id: (v.met, v.remark) for v in application.verdicts}
    waivers = {w.criterion_id: w.reason for w in application.waivers}
    return rules_of(application).evaluate(facts, application.year, as_of=as_of, verdicts=verdicts, waivers=waivers)


def _criterion(application, criterion_id):
    for c in rules_of(application).criteria(default_as_of(application.year, today())):
        if c.id == criterion_id:
            return c
    raise ServiceError(f"未知条件 {criterion_id}", f"unknown criterion {criterion_id}")


def _locked(application):
    """The stored application (not the caller's copy), its row locked until the transaction ends
    (FOR UPDATE; SQLite lets one writer in at a time anyway): a step taken at the same moment
    either waits for this change or is seen by it."""
    query = Application.select().where(Application.id == application.id)
    return (query if is_sqlite() else query.for_update()).get()


def _require_stage(application, stage, what_zh, what_en):
    """Refuse unless `application` is in a state of `stage`, the one the procedure names for it."""
    procedure = rules_of(application).procedure()
    current = procedure.state(application.state)
    if stage is None:
        raise ServiceError(
            f"《{rules_of(application).info.measures_title}》的认定程序中没有{what_zh}的环节",
            f"the recognition procedure of these measures has no stage to {what_en}",
        )
    if application.state not in stage.states:
        states = [procedure.state(s) for s in stage.states]
        raise ServiceError(
            f"{what_zh}只能在申请处于“{'”“'.join(s.label for s in states)}”时办理（{stage.article}），"
            f"申请当前为“{current.label}”",
            f"one can {what_en} only in the state “{'” or “'.join(s.label_en for s in states)}” "
            f"({stage.article}); the application is now “{current.label_en}”",
        )


@contextlib.contextmanager
def _at_stage(application, criterion_id, actor, stage_name, role_words, stage_words):
    """The change of a verdict or a waiver, at the procedure's `stage_name` (verdict_stage or
    waiver_stage): the actor must reach the park and hold one of the stage's roles (`role_words`:
    what is refused, zh and en), the application, locked, be in one of its states (`stage_words`).
    Yields (the locked application, the criterion) inside the change's transaction."""
    require_reach(actor, application.park)
    stage = getattr(rules_of(application).procedure(), stage_name)
    if stage is not None:
        require_role(actor, stage.roles, *role_words)
    with change(actor):
        application = _locked(application)
        _require_stage(application, stage, *stage_words)
        yield application, _criterion(application, criterion_id)


def record_verdict(application, criterion_id, met, remark, actor):
    """A reviewer's verdict on a criterion that needs judgement (met or not, with a remark), recorded
    only at the stage the procedure names for verdicts; a changed verdict keeps the earlier one in
    the audit log (see `verdict_history`)."""
    with _at_stage(application, criterion_id, actor, "verdict_stage", ("评审判断", "record a verdict"),
                   ("记录评审判断", "record a verdict")) as (application, criterion):
        if not criterion.judgement:
            raise ServiceError(
                f"“{criterion.title}”由系统计算，不需评审判断",
                f"{criterion.title_en} is computed, not judged",
            )
        remark = require_text(remark, "评审意见", "a remark", field="remark")
        verdict = CriterionVerdict.get_or_none(
            (CriterionVerdict.application == application) & (CriterionVerdict.criterion_id == criterion_id)
        )
        if verdict is None:
            verdict = CriterionVerdict(application=application, criterion_id=criterion_id)
        verdict.met = bool(met)
        verdict.remark = remark
        verdict.reviewer = actor.username
        verdict.at = datetime.datetime.now().replace(microsecond=0)
        verdict.save()
        return verdict


def record_verdicts(application, verdicts, actor):
    """The panel's verdicts on several criteria ({criterion_id: (met, remark)}), saved together: all
    or none. A refusal names the criterion it is about. Returns how many were saved."""
    with change(actor):
        for criterion_id, (met, remark) in verdicts.items():
            try:
                record_verdict(application, criterion_id, met, remark, actor)
            except PermissionDenied:
                raise
            except ServiceError as exc:
                criterion = _criterion(application, criterion_id)
                raise ServiceError(f"“{criterion.title}”：{exc.zh}", f"{criterion.title_en}: {exc.en}",
                                   field=criterion_id) from None
    return len(verdicts)


@dataclass(frozen=True)
class EarlierVerdict:
    """A verdict as it stood before a reviewer changed it."""

    met: bool
    remark: str
    reviewer: str
    at: datetime.datetime
    changed_by: str
    changed_at: datetime.datetime


def verdict_history(application):
    """{criterion id: [EarlierVerdict, newest first]} for the verdicts changed after they were first
    recorded. The audit log keeps every version (append-only, in the change's own transaction), so
    it is read here rather than copied, by its (table, record_id) index; only changed verdicts
    (version > 1) are looked up."""
    changed = {v.id: v.criterion_id for v in application.verdicts if (v.version or 1) > 1}
    if not changed:
        return {}
    rows = (
        AuditLog.select(AuditLog.record_id, AuditLog.before, AuditLog.actor, AuditLog.at)
        .where((AuditLog.table == CriterionVerdict._meta.table_name)
               & (AuditLog.record_id.in_(list(changed)))
               & (AuditLog.action == "update"))
        .order_by(AuditLog.id.desc())
    )
    history = {}
    for row in rows:
        before = json.loads(row.before)
        history.setdefault(changed[row.record_id], []).append(EarlierVerdict(
            met=bool(before["met"]), remark=before["remark"], reviewer=before["reviewer"],
            at=datetime.datetime.fromisoformat(before["at"]), changed_by=row.actor, changed_at=row.at,
        ))
    return history


def grant_waiver(application, criterion_id, reason, actor):
    """Waive a 原则上 criterion that is not met, recording who, when and why — only at the stage the
    procedure names for waivers."""
    with _at_stage(application, criterion_id, actor, "waiver_stage", ("豁免条件", "waive a criterion"),
                   ("豁免“原则上”条件", "waive an in-principle condition")) as (application, criterion):
        reason = require_text(reason, "豁免理由", "a reason", field="reason")
        result = evaluate_application(application).by_id(criterion_id)
        if result.status != NOT_MET_WAIVABLE:
            raise ServiceError(
                f"“{criterion.title}”（{criterion.article}）当前不是“原则上”未达标的条件，不能豁免",
                f"{criterion.title_en} ({criterion.article}) is not an in-principle condition that is unmet: nothing to waive",
            )
        if Waiver.select().where((Waiver.application == application) & (Waiver.criterion_id == criterion_id)).exists():
            raise ServiceError("该条件已豁免", "this criterion is already waived")
        return Waiver.create(application=application, criterion_id=criterion_id, reason=reason, granted_by=actor.username)


def available_transitions(application, role):
    return rules_of(application).procedure().available(application.state, role)


def latest_notice(application):
    return application.notices.order_by(PublicNotice.id.desc()).first()


def missing_materials(application):
    present = {
        m.material_id for m in Material.select(Material.material_id).where(
            (Material.application == application) & (Material.withdrawn == False)  # noqa: E712
        )
    }
    return [spec for spec in rules_of(application).materials() if spec.required and spec.id not in present]


#: The longest 批复文号 taken (a number such as 〔2026〕12号 with its issuing office's prefix is a dozen or so).
MAX_DOCUMENT_NUMBER = 60


def take_transition(application, transition_id, actor, remark="", expected_version=None, on=None, document_number=""):
    """Move the application along its procedure, after checking role, reach and every guard. A step
    that recognises the park keeps `document_number`, the written approval's 批复文号, if given."""
    on = on or today()
    require_reach(actor, application.park)
    rules = rules_of(application)
    procedure = rules.procedure()
    try:
        transition = procedure.transition(transition_id)
    except KeyError:
        raise ServiceError(f"未知操作 {transition_id}", f"unknown transition {transition_id}") from None
    with change(actor):
        application = Application.get_by_id(application.id)
        check_version(application, expected_version)
        if transition.source != application.state:
            raise ServiceError(
                f"申请当前为“{procedure.state(application.state).label}”，不能执行“{transition.label}”",
                f"the application is {application.state}; {transition.label_en} is not possible now",
            )
        if actor.role not in transition.roles:
            allowed = "、".join(ROLES.label(r) for r in transition.roles)
            raise PermissionDenied(
                f"“{transition.label}”只能由{allowed}执行（{transition.article}）",
                f"{transition.label_en} is taken only by {', '.join(transition.roles)} ({transition.article})",
            )
        remark = (remark or "").strip()
        document_number = (document_number or "").strip() if "recognise" in transition.guards else ""
        if len(document_number) > MAX_DOCUMENT_NUMBER:
            raise ServiceError(f"批复文号不能超过{MAX_DOCUMENT_NUMBER}个字", f"the document number is longer than {MAX_DOCUMENT_NUMBER} characters")
        notice = None
        for guard in transition.guards:
            if guard == "remark_required":
                require_text(remark, "意见或理由", "a remark", field="remark")
            elif guard == "materials_complete":
                missing = missing_materials(application)
                if missing:
                    raise ServiceError(
                        "申报材料不全，缺少：" + "；".join(f"{m.title}（{m.article}）" for m in missing),
                        "materials missing: " + "; ".join(m.title_en for m in missing),
                    )
            elif guard == "eligibility_clear":
                evaluation = evaluate_application(application, as_of=on)
                blocking = [r for r in evaluation.results if r.blocking]
                if blocking:
                    raise ServiceError(
                        "以下条件尚未满足、未评审或未豁免：" + "；".join(f"{r.title}（{r.article}）" for r in blocking),
                        "conditions not met, not judged or not waived: " + "; ".join(r.title_en for r in blocking),
                    )
            elif guard in ("notice_period_over", "no_objections"):
                notice = notice or latest_notice(application)
                if notice is None:
                    raise ServiceError("尚未公示", "no public notice has been held")
                if guard == "notice_period_over" and on <= notice.end:
                    raise ServiceError(
                        f"公示期至{format_date(notice.end, ZH)}（{notice.working_days}个工作日），公示期满后方可办理",
                        f"the notice runs until {format_date(notice.end, EN)} ({notice.working_days} working days)",
                    )
                refusal = guard == "no_objections" and refusal_of_recognition(application, notice)
                if refusal:
                    raise ServiceError(*refusal)
        source = application.state
        application.state = transition.target
        if source == procedure.initial and application.submitted_at is None:
            application.submitted_at = datetime.datetime.now().replace(microsecond=0)
        application.save()
        step = ReviewStep.create(
            application=application,
            transition=transition.id,
            from_state=source,
            to_state=transition.target,
            actor=actor.username,
            role=actor.role,
            remark=remark,
        )
        opened = open_notice(application, rules, on) if "notice_open" in transition.guards else None
        if "recognise" in transition.guards:
            park = Park.get_by_id(application.park_id)
            Recognition.create(
                park=park,
                jurisdiction=application.jurisdiction,
                application=application,
                official_name=rules.recognised_name(park.name),
                recognised_on=on,
                document_number=document_number,
                **stamp(rules, on),
            )
        reminders.application_moved(application, procedure, transition, step, actor, notice=opened)
        return application


def open_notice(application, rules, start):
    """Open the public notice: its last day is the Nth working day from `start` (start included)."""
    days = rules.parameters.value(rules.procedure().notice_param, start)
    calendar = calendar_from_database()
    end = calendar.add_working_days(start, days)
    return PublicNotice.create(
        application=application,
        start=start,
        end=end,
        working_days=days,
        calendar_warning="\n".join(calendar.warnings),
    )


def record_objection(application, text, actor, on=None, name="", phone="", channel="letter", attachment=None,
                     directory=None):
    """An objection received by letter, phone or visit during the notice, recorded by a city
    officer; recognition waits until it is decided (core.records.services.objections)."""
    from core.records.services import objections

    on = on or today()
    require_reach(actor, application.park)
    require_role(actor, ("city_officer",), "登记公示异议", "record an objection")
    notice = latest_notice(Application.get_by_id(application.id))
    if notice is None:
        raise ServiceError("申请不在公示期", "the application is not under public notice")
    objections.file_objection(notice.id, name, phone, text, actor=actor, channel=channel, on=on, attachment=attachment,
                               directory=directory)
    return PublicNotice.get_by_id(notice.id)


def judgement_pending(application):
    """Judgement criteria without a verdict yet (for the reviewer's to-do list)."""
    return [r for r in evaluate_application(application).results if r.final_status == NEEDS_JUDGEMENT]
