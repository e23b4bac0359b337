"""Objections to a public notice (公示异议), from filing to answer.

Anyone may object during the notice under their real name, online or by letter, phone or visit
(an officer records those). Each objection goes 已受理 → 调查核实 → 成立 / 不成立 by a city officer,
with findings and a reply to the objector, who looks it up by its reference number. While one is
open, recognition waits; an upheld one ends the application by the procedure's own transition.

The objector's name, phone, address and attachment are seen only by the city officers who reach
the application (`may_see_personal`), masked everywhere else, never written to the audit log, and
erased once the deployment's retention period has passed (`erase_expired`).
"""
import datetime
import hashlib
import re
import secrets
from pathlib import Path

from core.records import audit, reminders
from core.records.models import Application, AuditLog, Objection, PublicNotice
from core.records.services.base import (
    NotFound,
    ServiceError,
    change,
    check_version,
    require_reach,
    require_role,
    require_text,
    today,
)
from core.records.services.materials import CONTENT_TYPES, SIGNATURES, upload_dir
from core.records.vocab import OBJECTION_CHANNELS, OBJECTION_STATUSES
from core.rules.programmes import governing_rules
from core.rules.settings import DAYS, declare_setting

#: Who files an objection through the public site: nobody signed in.
PUBLIC = audit.Actor("public", "public", jurisdiction_ids=frozenset())
HANDLER_ROLES = ("city_officer",)
OPEN = ("received", "investigating")
#: Online objections allowed per hour from one address, and for one phone number.
PER_ADDRESS_PER_HOUR = 5
PER_PHONE_PER_HOUR = 3
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MAX_NAME, MAX_CONTENT, MAX_TEXT = 40, 2000, 4000
# Mobile (11 digits) or a landline with its area code.
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", re.ASCII)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]")
# No 0/O or 1/I: a reference read out over the phone is not misheard.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 12

RETENTION = declare_setting(
    "", "objection_retention_days", DAYS,  # the whole deployment's
    "公示异议个人信息保存期限（天）", "Days objectors' personal information is kept",
    "异议办结后超过此天数，由定时清理任务删除异议人姓名、电话和附件（默认365天）",
    "after this many days from the decision, hrpark erase-objections erases the objector's name, phone and attachment (365 by default)",
)
DEFAULT_RETENTION_DAYS = 365


# --- who sees what -------------------------------------------------------------------------------


def may_see_personal(actor, application):
    """Only the city officers who reach the application see who objected."""
    return actor.role in HANDLER_ROLES and actor.may_reach(application.jurisdiction_id, application.park_id)


def mask_phone(phone):
    """138****5678: the first three and last four digits."""
    digits = phone or ""
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(name):
    """张** : the family name only."""
    return (name[:1] + "*" * (len(name) - 1)) if name else ""


# --- checks of what was typed ----------------------------------------------------------------------


def clean_text(value, zh, en, field, limit, required=True):
    text = (value or "").strip() if isinstance(value, str) else ""
    if required:
        require_text(text, zh, en, field=field)
    if len(text) > limit:
        raise ServiceError(f"{zh}不能超过{limit}字", f"{en} is longer than {limit} characters", field=field)
    if CONTROL.search(text):
        raise ServiceError(f"{zh}含有不可见的控制字符", f"{en} contains control characters", field=field)
    return text


def clean_phone(value, required=True):
    phone = re.sub(r" ", "", value or "") if isinstance(value, str) else ""
    if not phone and not required:
        return ""
    if not PHONE.match(phone):
        raise ServiceError("请填写有效的手机号码或带区号的固定电话", "enter a valid mobile or landline number", field="phone")
    return phone


def checked_attachment(filename, data):
    """(extension, data) of an acceptable attachment, or None when there is none."""
    if not filename and not data:
        return None
    name = Path(filename or "").name
    extension = Path(name).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise ServiceError(
            f"附件只接受{'、'.join(ATTACHMENT_TYPES)}文件", f"attachments must be {', '.join(ATTACHMENT_TYPES)}", field="attachment"
        )
    if not data:
        raise ServiceError("附件为空", "the attachment is empty", field="attachment")
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ServiceError(
            f"附件超过{ATTACHMENT_MAX_BYTES // (1024 * 1024)}MB", f"the attachment is over {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB",
            field="attachment",
        )
    if not data.startswith(SIGNATURES[extension]):
        raise ServiceError(f"附件内容与扩展名{extension}不符", f"the attachment's content is not {extension}", field="attachment")
    return name, extension, data


def attachment_content_type(objection):
    return CONTENT_TYPES.get(Path(objection.attachment_path).suffix.lower(), "application/octet-stream")


# --- the notice an objection is against ------------------------------------------------------------


def notice_state(procedure):
    """The state an application is in while its notice runs (where `notice_open` leads)."""
    for transition in procedure.transitions:
        if "notice_open" in transition.guards:
            return transition.target
    return None


def not_recognised_transition(procedure):
    """The procedure's way out of the notice when an objection is upheld."""
    state = notice_state(procedure)
    ways = [t for t in procedure.transitions if t.source == state and "recognise" not in t.guards
            and procedure.state(t.target).final and t.target != "withdrawn"]
    by_objection = [t for t in ways if "objection" in t.label_en.lower()]
    return (by_objection or ways or [None])[0]


def notice_open_for_objections(notice_id, on):
    """The notice `notice_id` if it takes objections on `on`: between its first and last day, its
    application still under that notice. Refused with the reason otherwise."""
    notice = PublicNotice.get_or_none(PublicNotice.id == notice_id) if _is_id(notice_id) else None
    if notice is None:
        raise NotFound("公示不存在", "no such public notice")
    application = Application.get_by_id(notice.application_id)
    procedure = governing_rules(application).procedure()
    latest = PublicNotice.select().where(PublicNotice.application == application).order_by(PublicNotice.id.desc()).first()
    if application.state != notice_state(procedure) or latest.id != notice.id:
        raise ServiceError("该公示已结束，不再受理异议", "this notice has ended and takes no more objections")
    if not notice.start <= on <= notice.end:
        raise ServiceError(
            f"公示期为{notice.start.isoformat()}至{notice.end.isoformat()}，期外不受理异议",
            f"the notice runs from {notice.start.isoformat()} to {notice.end.isoformat()}; objections are taken only then",
        )
    return notice, application


def _is_id(value):
    return isinstance(value, int) and 0 < value < 2**31


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


# --- filing ------------------------------------------------------------------------------------------


def file_objection(notice_id, name, phone, content, actor=PUBLIC, channel="online", on=None,
                   attachment=None, address="", now=None, directory=None):
    """File an objection to notice `notice_id`; returns the Objection (its `reference` is the
    objector's lookup key). Online: real name and phone required, rate-limited per address and
    phone. An officer records a letter, call or visit with whatever it gave."""
    on = on or today()
    now = now or datetime.datetime.now().replace(microsecond=0)
    online = channel == "online"
    if channel not in OBJECTION_CHANNELS:
        raise ServiceError("未知的异议来源", "unknown channel", field="channel")
    if online != (actor.role == "public"):
        raise ServiceError("网上异议由公众本人提交，来信来电由工作人员登记", "online objections are filed by the public, others by an officer", field="channel")
    name = clean_text(name, "异议人姓名", "the objector's name", "name", MAX_NAME, required=online)
    phone = clean_phone(phone, required=online)
    content = clean_text(content, "异议内容", "the objection", "text", MAX_CONTENT)
    attached = checked_attachment(*attachment) if attachment else None
    notice, application = notice_open_for_objections(notice_id, on)
    if not online:
        require_reach(actor, application.park)
        require_role(actor, HANDLER_ROLES, "登记公示异议", "record an objection")
    with change(actor):
        if online:
            _refuse_too_many(address, phone, now)
        reference = new_reference()
        objection = Objection.create(
            notice=notice, application=application, reference=reference, objector_name=name, objector_phone=phone,
            filed_from=address if online else "", content=content, channel=channel, received_on=on, filed_at=now,
            recorded_by="" if online else actor.username,
        )
        if attached:
            objection.attachment_name, objection.attachment_path = attached[0], _store(reference, *attached[1:], directory)
            objection.save()
        notice = PublicNotice.get_by_id(notice.id)
        notice.objection_count += 1
        notice.objections = (notice.objections + "\n" if notice.objections else "") + f"{on.isoformat()} [{reference}] {content}"
        notice.save()
        reminders.objection_received(application, governing_rules(application).procedure(), notice, actor, on)
        return objection


def _refuse_too_many(address, phone, now):
    since = now - datetime.timedelta(hours=1)
    recent = Objection.select().where((Objection.channel == "online") & (Objection.filed_at > since))
    if address and recent.where(Objection.filed_from == address).count() >= PER_ADDRESS_PER_HOUR:
        raise ServiceError("提交过于频繁，请一小时后再试", "too many objections from this address; try again in an hour", field="rate")
    if recent.where(Objection.objector_phone == phone).count() >= PER_PHONE_PER_HOUR:
        raise ServiceError("该电话号码提交过于频繁，请一小时后再试", "too many objections for this phone; try again in an hour", field="rate")


def _store(reference, extension, data, directory=None):
    folder = Path(directory or upload_dir()) / "objections" / reference
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()}{extension}"
    path.write_bytes(data)
    return str(path)


# --- handling ----------------------------------------------------------------------------------------


def objection_for(actor, objection_id):
    """The objection `objection_id` if the actor reaches its application (else NotFound)."""
    objection = Objection.get_or_none(Objection.id == objection_id) if _is_id(objection_id) else None
    if objection is None:
        raise NotFound("异议不存在", "no such objection")
    require_reach(actor, Application.get_by_id(objection.application_id).park)
    return objection


def start_investigation(objection, actor, expected_version=None, on=None):
    """已受理 → 调查核实: the officer who investigates, from `on`."""
    return _move(objection, actor, expected_version, ("received",), "investigating", "开始调查核实", "start the investigation",
                 officer=actor.username, investigated_on=on or today())


def decide(objection, outcome, findings, reply, actor, expected_version=None, on=None):
    """调查核实 → 成立 / 不成立, with the findings and the reply to the objector. An upheld objection
    ends the application by the procedure's not-recognised transition, citing its article."""
    if outcome not in ("upheld", "dismissed"):
        raise ServiceError("请选择异议成立或不成立", "choose upheld or dismissed", field="outcome")
    findings = clean_text(findings, "核实情况", "the findings", "findings", MAX_TEXT)
    reply = clean_text(reply, "答复意见", "the reply", "reply", MAX_TEXT)
    on = on or today()
    with change(actor):
        objection = _move(objection, actor, expected_version, ("investigating",), outcome, "办结异议", "decide the objection",
                          findings=findings, reply=reply, decided_on=on)
        if outcome == "upheld":
            _end_application(objection, findings, actor, on)
        return objection


def _move(objection, actor, expected_version, sources, target, what_zh, what_en, **values):
    require_role(actor, HANDLER_ROLES, what_zh, what_en)
    objection = objection_for(actor, objection.id)
    with change(actor):
        objection = Objection.get_by_id(objection.id)
        check_version(objection, expected_version)
        if objection.status not in sources:
            raise ServiceError(
                f"异议{objection.reference}当前为“{OBJECTION_STATUSES.label(objection.status)}”，不能{what_zh}",
                f"objection {objection.reference} is {objection.status}; cannot {what_en}",
            )
        objection.status = target
        for key, value in values.items():
            setattr(objection, key, value)
        objection.save()
        return objection


def _end_application(objection, findings, actor, on):
    from core.records.services.applications import take_transition

    application = Application.get_by_id(objection.application_id)
    procedure = governing_rules(application).procedure()
    transition = not_recognised_transition(procedure)
    if transition is None or application.state != transition.source or actor.role not in transition.roles:
        return  # out of the notice already, or ended by whoever the procedure names (the guard says how)
    take_transition(application, transition.id, actor, remark=f"异议{objection.reference}成立：{findings}", on=on)


# --- the guard on recognition --------------------------------------------------------------------------


def refusal_of_recognition(application, notice):
    """Why recognition must wait, in (zh, en), or None: open objections named, an upheld one named
    with the procedure's way out, and objections recorded only as text before they were records."""
    objections = list(Objection.select().where(Objection.notice == notice).order_by(Objection.id))
    still_open = [o.reference for o in objections if o.status in OPEN]
    upheld = [o.reference for o in objections if o.status == "upheld"]
    if still_open:
        return (f"公示期间收到{notice.objection_count}条异议，须先处理异议：{'、'.join(still_open)}尚未办结",
                f"{notice.objection_count} objection(s) were raised during the notice; still open: {', '.join(still_open)}")
    if upheld:
        way = not_recognised_transition(governing_rules(application).procedure())
        how_zh = f"，应按“{way.label}”办理（{way.article}）" if way else ""
        how_en = f"; take \"{way.label_en}\" ({way.article})" if way else ""
        return (f"异议{'、'.join(upheld)}经核实成立，不予认定{how_zh}", f"objection(s) {', '.join(upheld)} upheld{how_en}")
    if notice.objection_count > len(objections):
        return (f"公示期间收到{notice.objection_count}条异议，须先处理异议",
                f"{notice.objection_count} objection(s) were raised during the notice")
    return None


# --- the objector's lookup ---------------------------------------------------------------------------


def look_up(reference, phone_last4):
    """The objection with `reference` whose phone ends in `phone_last4`; NotFound otherwise (the
    same answer either way, so a reference alone tells nothing)."""
    reference = (reference or "").strip().upper() if isinstance(reference, str) else ""
    last4 = (phone_last4 or "").strip() if isinstance(phone_last4, str) else ""
    found = None
    if len(reference) == REFERENCE_LENGTH and set(reference) <= set(REFERENCE_ALPHABET) and re.fullmatch(r"\d{4}", last4):
        found = Objection.get_or_none(Objection.reference == reference)
    if found is None or not found.objector_phone or not secrets.compare_digest(found.objector_phone[-4:], last4):
        raise NotFound("未找到该异议，请核对受理编号和电话号码后四位", "no objection matches this reference and phone")
    return found


# --- retention -----------------------------------------------------------------------------------------


def erase_expired(on=None, actor=audit.SYSTEM):
    """Erase the name, phone, address and attachment of objections decided more than the retention
    period before `on`; one audit row says how many and which references (never the data)."""
    on = on or today()
    days = RETENTION.read_days(DEFAULT_RETENTION_DAYS)
    cutoff = on - datetime.timedelta(days=days)
    erased = []
    with change(actor):
        for objection in Objection.select().where(
            (Objection.status.not_in(OPEN)) & (Objection.decided_on < cutoff) & (Objection.erased_on.is_null())
        ).order_by(Objection.id):
            if objection.attachment_path:
                Path(objection.attachment_path).unlink(missing_ok=True)
            for field in Objection.PERSONAL:
                setattr(objection, field, "")
            objection.erased_on = on
            objection.save()
            erased.append(objection.reference)
        AuditLog.create(
            actor=actor.username, role=actor.role, action="erase", table=Objection._meta.table_name,
            after=audit.dumps({"erased": len(erased), "references": erased, "decided_before": cutoff.isoformat(),
                               "retention_days": days}),
            remark=f"删除{len(erased)}条异议的异议人个人信息（保存期限{days}天）",
        )
    return erased
