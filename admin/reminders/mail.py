"""Mail of the inbox's notifications through the deployment's SMTP server (Flask-Mail).

Configured by environment variables, read when mail is sent (so the worker, the command and the
back office need no restart to agree):
  HRPARK_MAIL_SERVER    the SMTP server; unset, no mail is sent (the inbox works all the same)
  HRPARK_MAIL_PORT      default 25
  HRPARK_MAIL_USERNAME, HRPARK_MAIL_PASSWORD   if the server wants a login
  HRPARK_MAIL_USE_TLS   STARTTLS (1/true/yes/on); HRPARK_MAIL_USE_SSL: SMTP over TLS
  HRPARK_MAIL_SENDER    the From address (default hrpark@localhost)

An account mailed "each" gets one mail per notification; "daily", one digest of everything not
yet mailed when `hrpark remind` runs. A notification is claimed (its `mailed_at` set, only if
still empty) before it is sent, so two workers never mail it twice; a failed send releases it for
the next run. Notifications older than RETRY_DAYS are never mailed: an account that turns mail on
is not sent its whole history.
"""
import datetime
import logging
import os
from dataclasses import dataclass

from flask import Flask
from flask_mail import Mail, Message

from admin.reminders.links import absolute_url, record_path
from core.records.accounts import User
from core.records.models import now
from core.records.notifications import Notification

log = logging.getLogger("hrpark.reminders")

RETRY_DAYS = 7
SUBJECT_PREFIX = "【人力资源服务产业园】"
FOOTER = ("——\n本邮件由人力资源服务产业园管理平台自动发送，请勿直接回复。"
          "在平台的“通知设置”中可更改接收方式或停止接收邮件。")


class MailConfigError(ValueError):
    """A mail setting in the environment cannot be used; the message names it."""


def _flag(value):
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def mail_settings(environ=None):
    """Flask-Mail's settings from the environment, or None when no server is set (mail is off)."""
    environ = os.environ if environ is None else environ
    server = environ.get("HRPARK_MAIL_SERVER", "").strip()
    if not server:
        return None
    port = environ.get("HRPARK_MAIL_PORT", "25").strip()
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise MailConfigError(f"HRPARK_MAIL_PORT 应为 1–65535 的端口号，现为 {port!r} (not a port number)")
    return {
        "MAIL_SERVER": server,
        "MAIL_PORT": int(port),
        "MAIL_USERNAME": environ.get("HRPARK_MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("HRPARK_MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag(environ.get("HRPARK_MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(environ.get("HRPARK_MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": environ.get("HRPARK_MAIL_SENDER", "").strip() or "hrpark@localhost",
    }


def mail_enabled():
    return mail_settings() is not None


def _mailer(settings):
    """A small Flask app carrying Flask-Mail for `settings` (the command and the queue's worker have
    no back office app; the back office's own requests need not be configured for mail)."""
    app = Flask("hrpark.mail")
    app.config.update(settings)
    return app, Mail(app)


# --- what a mail says ------------------------------------------------------------------------------


def greeting(user):
    return f"{user.display_name or user.username}，您好："


def describe(notification):
    """A notification as a mail tells it: what, the article it rests on, and the link to its record."""
    lines = [notification.title]
    if notification.body:
        lines.append(notification.body)
    if notification.article:
        lines.append(f"依据：{notification.article}")
    link = absolute_url(record_path(notification))
    if link:
        lines.append(f"查看：{link}")
    return "\n".join(lines)


def single_message(user, notification):
    body = f"{greeting(user)}\n\n{describe(notification)}\n\n{FOOTER}\n"
    return Message(subject=f"{SUBJECT_PREFIX}{notification.title}", recipients=[user.email], body=body)


def digest_message(user, notifications):
    items = "\n\n".join(f"{n}. {describe(item)}" for n, item in enumerate(notifications, 1))
    body = (f"{greeting(user)}\n\n以下是您尚未通过邮件收到的{len(notifications)}条消息：\n\n{items}\n\n{FOOTER}\n")
    return Message(subject=f"{SUBJECT_PREFIX}每日提醒：{len(notifications)}条新消息", recipients=[user.email], body=body)


# --- sending ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0


def _claim(notification_ids):
    """The ids among `notification_ids` this process claimed for mailing (none mailed or claimed yet)."""
    claimed = []
    stamp = now()
    for nid in notification_ids:
        if Notification.update(mailed_at=stamp).where((Notification.id == nid) & Notification.mailed_at.is_null()).execute():
            claimed.append(nid)
    return claimed


def _release(notification_ids):
    if notification_ids:
        Notification.update(mailed_at=None).where(Notification.id.in_(list(notification_ids))).execute()


def _unmailed(mode, ids=None):
    """(notification, recipient) not yet mailed, recent, of active accounts with an address and `mode`."""
    since = now() - datetime.timedelta(days=RETRY_DAYS)
    query = (Notification.select(Notification, User).join(User)
             .where(Notification.mailed_at.is_null() & (Notification.created_at >= since) & (User.active == True)  # noqa: E712
                    & (User.mail_mode == mode) & (User.email != ""))
             .order_by(Notification.recipient, Notification.id))
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    return list(query)


def _deliver(batches):
    """Send [(claimed ids, make_message)] on one connection; a batch not sent is released for a later
    run. (Messages are made inside the mail app's context: Flask-Mail reads its sender there.)"""
    outcome = Outcome()
    pending = list(batches)
    try:
        settings = mail_settings()
        if settings is None or not pending:
            return outcome
        app, mail = _mailer(settings)
        with app.app_context(), mail.connect() as connection:
            while pending:
                ids, make_message = pending[0]
                connection.send(make_message())
                pending.pop(0)
                outcome.sent += 1
    except Exception:  # the server refused or could not be reached: try again on the next run
        log.exception("reminder mail failed; %s mail(s) left for the next run", len(pending))
        outcome.failed = len(pending)
    finally:
        _release([nid for ids, _make in pending for nid in ids])
    return outcome


def send_each(ids=None):
    """Mail, one by one, the notifications (of `ids`, else all recent) of accounts that want each."""
    if not mail_enabled():
        return Outcome()
    rows = _unmailed("each", ids)
    claimed = set(_claim([n.id for n in rows]))
    return _deliver([([n.id], lambda n=n: single_message(n.recipient, n)) for n in rows if n.id in claimed])


def send_digests():
    """One mail to each account that wants a daily digest, of everything not yet mailed to it."""
    if not mail_enabled():
        return Outcome()
    by_user = {}
    for notification in _unmailed("daily"):
        by_user.setdefault(notification.recipient_id, (notification.recipient, []))[1].append(notification)
    batches = []
    for user, notifications in by_user.values():
        claimed = set(_claim([n.id for n in notifications]))
        mine = [n for n in notifications if n.id in claimed]
        if mine:
            batches.append(([n.id for n in mine], lambda user=user, mine=mine: digest_message(user, mine)))
    return _deliver(batches)
