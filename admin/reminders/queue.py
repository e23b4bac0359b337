"""Reminder work outside requests: on an RQ queue in Redis where HRPARK_REDIS_URL is set (run
`rq worker hrpark`, and `hrpark remind --enqueue` from cron), else inline.

Without Redis (the embedded default: SQLite, one command) a request's mails are sent after its
response has gone out, and a failure is logged, never shown to the person who acted; the mail not
sent is tried again by the next `hrpark remind`.
"""
import contextlib
import datetime
import logging
import os

from admin.reminders import mail
from core.records import reminders
from core.records.db import connect, database

log = logging.getLogger("hrpark.reminders")

DEFAULT_QUEUE = "hrpark"


def redis_url():
    return os.environ.get("HRPARK_REDIS_URL", "").strip() or None


def queue_name():
    return os.environ.get("HRPARK_RQ_QUEUE", "").strip() or DEFAULT_QUEUE


def rq_queue(name=None):
    """The RQ queue of the reminders, or None without HRPARK_REDIS_URL."""
    url = redis_url()
    if url is None:
        return None
    from redis import Redis
    from rq import Queue

    return Queue(name or queue_name(), connection=Redis.from_url(url))


@contextlib.contextmanager
def _database():
    """The database of a job: the one bound already (the back office, a test), else the worker's
    (HRPARK_DATABASE_URL); connected for the job and closed after it if opened here."""
    if database.obj is None:
        connect()
    opened = database.is_closed()
    database.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened:
            database.close()


# --- the jobs (importable by name: the worker runs them) --------------------------------------------


def mail_each_job(ids):
    """Mail the notifications `ids` to the accounts that want each one mailed."""
    with _database():
        return mail.send_each(ids).sent


def remind_job(on=None):
    """The daily run: write the reminders of deadlines drawing near on `on` (ISO day, default
    today), then mail what is waiting: each to 'each' accounts, one digest to 'daily' accounts."""
    day = datetime.date.fromisoformat(on) if on else datetime.date.today()
    with _database():
        with database.atomic():
            written = reminders.scan(day)
        each, digests = mail.send_each(), mail.send_digests()
    return {"written": len(written), "mailed": each.sent, "digests": digests.sent,
            "failed": each.failed + digests.failed}


# --- what the back office calls after a request ----------------------------------------------------


def mail_soon(ids):
    """Have the notifications `ids` (just committed) mailed: queued, else sent now, best-effort."""
    if not ids:
        return
    try:
        if not mail.mail_enabled():
            return
        queue = rq_queue()
        if queue is not None:
            queue.enqueue(mail_each_job, list(ids))
        else:
            mail_each_job(list(ids))
    except Exception:  # mail never breaks what the person did; the next `hrpark remind` retries
        log.exception("reminder mail of notifications %s not sent", ids)
