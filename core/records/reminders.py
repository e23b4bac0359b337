"""Who is told what, and when: the inbox rows written when something happens, and the daily scan
of deadlines drawing near.

Events are told in the transaction that makes them (core.records.services calls the functions
here), to the active accounts whose role is concerned and whose reach takes in the park: officers
bound to the park's jurisdiction or one above it, and the park's own operator. The one who acted is
not told of their own step. Mail is the back office's business (admin.reminders): it reads what
is written here.
"""
import contextvars
import datetime

from core.records import vocab
from core.records.accounts import User
from core.records.deadlines import acting_roles, deadlines_between, rules_or_none
from core.records.models import Jurisdiction, PublicNotice
from core.records.notifications import notify
from core.rules.formatting import EN, ZH, format_date, format_money
from core.rules.programmes import ancestors
from core.rules.workdays import calendar_from_database

#: A notice is "about to end" when at most this many working days of it are left after today.
NOTICE_WORKING_DAYS = 7
#: A rectification deadline or an assessment's last day is "approaching" this many days ahead.
DEADLINE_DAYS = 30

#: Ids of the notifications written in this context (a request, a command): mailed once it commits.
_written = contextvars.ContextVar("hrpark_notifications_written", default=None)


def collect_written():
    """Start collecting the ids of the notifications written from now on, in this context; returns
    the list they are added to."""
    ids = []
    _written.set(ids)
    return ids


def _tell(recipients, **fields):
    ids = notify(recipients, **fields)
    collected = _written.get()
    if collected is not None:
        collected.extend(ids)
    return ids


def users_reaching(park, roles, besides=None):
    """Active accounts holding one of `roles` whose reach takes in `park`, except `besides` (a user id)."""
    chain = [row.id for row in ancestors(Jurisdiction.get_by_id(park.jurisdiction_id))]
    query = User.select().where(
        (User.active == True)  # noqa: E712
        & User.role.in_(list(roles))
        & (User.jurisdiction.in_(chain) | (User.park == park.id))
    )
    if besides is not None:
        query = query.where(User.id != besides)
    return list(query)


def _of_application(application, park):
    return dict(jurisdiction=application.jurisdiction_id, park=park.id, record_table="application",
                record_id=application.id)


# --- events ----------------------------------------------------------------------------------------


def application_moved(application, procedure, transition, step, actor, notice=None):
    """Tell of a step taken: the application filed, returned, waiting for a role, decided, or put
    under public notice (`notice`, opened by the step)."""
    park = application.park
    target = procedure.state(transition.target)
    waiting = acting_roles(procedure, target.id)
    person = User.get_or_none(User.username == step.actor)  # a step taken by an account, not a script
    name = (person.display_name or person.username) if person is not None else ""
    who = f"{vocab.ROLES.label(step.role)}{name}"
    who_en = f"{vocab.ROLES.label(step.role, 'en')} {name}".strip()
    remark = f"意见：{step.remark}" if step.remark else ""
    remark_en = f" Remark: {step.remark}" if step.remark else ""
    if notice is not None:
        kind, roles = "notice_opened", set(waiting) | {"park_operator"}
        title = f"{park.name}认定公示开始（至{format_date(notice.end, ZH)}）"
        title_en = f"Public notice of {park.name} opened (until {format_date(notice.end, EN)})"
    elif target.id == procedure.initial:
        kind, roles = "application_returned", set(waiting) | {"park_operator"}
        title, title_en = f"{park.name}的认定申请被退回补正", f"The application of {park.name} was returned"
    elif target.final:
        kind, roles = "application_decided", {procedure.filer_role, "park_operator"}
        title = f"{park.name}的认定申请已办结：{target.label}"
        title_en = f"The application of {park.name} is decided: {target.label_en}"
    elif transition.source == procedure.initial:
        kind, roles = "application_filed", set(waiting)
        title = f"{park.name}的认定申请已提交，待您办理"
        title_en = f"The application of {park.name} was filed: waiting for you"
    else:
        kind, roles = "application_waiting", set(waiting)
        title = f"{park.name}的认定申请待您办理（{target.label}）"
        title_en = f"The application of {park.name} is waiting for you ({target.label_en})"
    body = f"{who}办理“{transition.label}”，申请（{application.year}年度）现为“{target.label}”。{remark}"
    body_en = (f"{who_en} took “{transition.label_en}”; the application ({application.year}) "
               f"is now “{target.label_en}”.{remark_en}")
    if notice is not None:
        body += f"公示期{format_date(notice.start, ZH)}至{format_date(notice.end, ZH)}（{notice.working_days}个工作日）。"
        body_en += f" Notice from {format_date(notice.start, EN)} to {format_date(notice.end, EN)}."
    return _tell(
        users_reaching(park, roles, besides=actor.user_id), kind=kind, title=title, title_en=title_en,
        body=body, body_en=body_en, article=transition.article, dedupe_key=f"step:{step.id}",
        **_of_application(application, park),
    )


def objection_received(application, procedure, notice, actor, on):
    """Tell the officers who decide after the notice, and the park, that an objection came in."""
    park = application.park
    roles = set(acting_roles(procedure, application.state)) | {"park_operator"}
    opening = next((t for t in procedure.transitions if "notice_open" in t.guards), None)
    return _tell(
        users_reaching(park, roles, besides=actor.user_id), kind="objection_received",
        title=f"{park.name}的认定公示收到异议", title_en=f"An objection to the public notice of {park.name}",
        body=(f"{format_date(on, ZH)}登记异议一条（共{notice.objection_count}条），"
              f"异议处理完毕前不能批复认定。"),
        body_en=(f"An objection was recorded on {format_date(on, EN)} ({notice.objection_count} in all); "
                 f"the park cannot be recognised until it is dealt with."),
        article=opening.article if opening else "", dedupe_key=f"objection:{notice.id}:{notice.objection_count}",
        **_of_application(application, park),
    )


def grant_paid(subsidy, actor):
    """Tell the park, and the bureau that approved it, that a subsidy was paid."""
    park = subsidy.park
    kind = vocab.SUBSIDY_KINDS.label(subsidy.kind)
    kind_en = vocab.SUBSIDY_KINDS.label(subsidy.kind, "en")
    return _tell(
        users_reaching(park, ("park_operator", "city_officer"), besides=actor.user_id), kind="grant_paid",
        title=f"{park.name}{subsidy.year}年度{kind}已拨付{format_money(subsidy.amount, ZH)}",
        title_en=f"{park.name}: {kind_en} of {subsidy.year} paid, {format_money(subsidy.amount, EN)}",
        body=(f"{format_date(subsidy.paid_on, ZH)}拨付，资金来源：{subsidy.fund_source}，"
              f"凭证号：{subsidy.payment_voucher}。"),
        body_en=(f"Paid on {format_date(subsidy.paid_on, EN)} from {subsidy.fund_source}, "
                 f"voucher {subsidy.payment_voucher}."),
        article=subsidy.article, dedupe_key=f"paid:{subsidy.id}", jurisdiction=subsidy.jurisdiction_id,
        park=park.id, record_table="subsidy", record_id=subsidy.id,
    )


def tell_what_waits():
    """Tell of the last step of every application still open, as when it was taken (each once):
    an inbox begins with what waits for its account, e.g. accounts made after the records were."""
    from core.records.audit import SYSTEM
    from core.records.models import Application, ReviewStep

    written = []
    for application in Application.select().order_by(Application.id):
        step = application.steps.order_by(ReviewStep.id.desc()).first()
        if step is None:
            continue
        rules = rules_or_none(application)
        if rules is None:
            continue
        procedure = rules.procedure()
        if procedure.state(application.state).final or step.to_state != application.state:
            continue
        notice = application.notices.order_by(PublicNotice.id.desc()).first() if step.transition in {
            t.id for t in procedure.transitions if "notice_open" in t.guards} else None
        written += application_moved(application, procedure, procedure.transition(step.transition), step, SYSTEM,
                                     notice=notice)
    return written


# --- the daily scan ----------------------------------------------------------------------------------


def notice_horizon(on, working_days=NOTICE_WORKING_DAYS):
    """The last day a notice may end on to be "about to end" on `on`: its remaining working days,
    counted from the day after `on`, are at most `working_days`."""
    calendar = calendar_from_database()
    after = on + datetime.timedelta(days=1)
    return calendar.add_working_days(after, working_days + 1) - datetime.timedelta(days=1)


def scan(on, working_days=NOTICE_WORKING_DAYS, days=DEADLINE_DAYS):
    """Write the reminders of deadlines drawing near on `on` (each told once); returns the ids written."""
    notices_until = notice_horizon(on, working_days)
    others_until = on + datetime.timedelta(days=days)
    written = []
    for deadline in deadlines_between(on, max(notices_until, others_until)):
        if deadline.day > (notices_until if deadline.kind == "notice_ending" else others_until):
            continue
        park = deadline.park
        written += _tell(
            users_reaching(park, deadline.roles), kind=deadline.kind, title=deadline.title, title_en=deadline.title_en,
            body=deadline.body, body_en=deadline.body_en, article=deadline.article, dedupe_key=deadline.key,
            jurisdiction=park.jurisdiction_id, park=park.id, record_table=deadline.record_table,
            record_id=deadline.record_id, due_on=deadline.day,
        )
    return written
