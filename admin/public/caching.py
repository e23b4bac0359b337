"""Conditional GETs of the public pages: an ETag and a Last-Modified on every page, and 304 Not
Modified — without rendering the page — when the browser (or WeChat's, or a proxy) already holds it.

The ETag is a digest of what the page is made of: the rows it shows (each with its version), the
day (a notice's state changes at midnight), the language and the programme's version. Last-Modified
is the latest change the audit log holds to the tables the site reads, and never earlier than
the start of the day shown.
"""
import datetime
import functools
import hashlib
import operator

from flask import make_response, request
from peewee import Select, fn
from werkzeug.http import is_resource_modified

from core.records.models import AuditLog

#: The tables whose rows the public pages show.
PUBLIC_TABLES = ("public_notice", "application", "park", "jurisdiction", "recognition", "assessment")

#: Seconds a browser or proxy may reuse a page without asking again: a notice's page stays fresh.
MAX_AGE = 300


def fingerprint(*parts) -> str:
    """A short, stable digest of the page's ingredients."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def last_change(day) -> datetime.datetime:
    """When the public tables last changed (UTC), and at the earliest midnight of `day`."""
    # The newest row of each public table is one seek of the (table, id) index (migration 0019), and
    # the newest of those the answer: walking the log back from its end instead reads every row other
    # tables wrote since the last public change (a million, after a big ledger import).
    newest = functools.reduce(operator.add, [  # UNION ALL
        AuditLog.select(fn.MAX(AuditLog.id).alias("last_id")).where(AuditLog.table == table) for table in PUBLIC_TABLES
    ]).alias("newest")
    latest = (AuditLog.select(AuditLog.at)
              .where(AuditLog.id == Select([newest], [fn.MAX(newest.c.last_id)])).scalar())
    midnight = datetime.datetime.combine(day, datetime.time())
    if isinstance(latest, str):  # SQLite hands back the text of the column
        latest = datetime.datetime.fromisoformat(latest)
    moment = max(latest or midnight, midnight)
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0)  # stored in local time


def conditional(etag, last_modified, render, mimetype="text/html"):
    """304 when the request's validators match; else the page `render()` makes, with its validators."""
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = make_response("", 304)
    else:
        response = make_response(render())
        response.mimetype = mimetype
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
