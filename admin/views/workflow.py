"""What the workflow pages share: calling a core.records.services function from a POST and telling the user
how it went, the day the office works on, and how the plugins' texts and values read.

A refused step (core.records.services.base.ServiceError) is flashed in the page's language;
NotFound answers 404 and PermissionDenied 403, as for a forged request; a stale version is refused
with the first editor's change kept. The services run each step in one transaction, so a refusal
leaves nothing half-written.
"""
import datetime

from flask import abort, current_app, flash, g, request
from flask_babel import gettext as _

from admin import measured_values
from admin.forms import date_refusal
from admin.ids import as_id, as_whole
from admin.i18n import bilingual, current_language, is_chinese, localized
from core.records import vocab
from core.rules.dates import DateFormatError, parse_date
from core.records.models import Jurisdiction, StaleEditError
from core.plugin.registry import RulesUnavailable, UnknownJurisdiction, rules_for
from core.rules.programmes import governing_rules
from core.rules.criteria import JUDGED_MET, JUDGED_NOT_MET, WAIVED
from core.records.services.base import NotFound, PermissionDenied, ServiceError

STALE_MESSAGE = (
    "Not saved: someone else changed this record after you opened it. Their change is kept; "
    "reload the page to see it, then make your change again."
)



def today() -> datetime.date:
    """The day a step is taken on (notices, deadlines and the dashboard count from it)."""
    return datetime.date.today()


# --- calling the services --------------------------------------------------------------------------


def service_message(exc: ServiceError) -> str:
    """A refusal in the page's language only: the Chinese in Chinese, the English in English."""
    return localized(exc.zh, exc.en)


def stale_message() -> str:
    return bilingual(STALE_MESSAGE)


def run(step, *args, **kwargs):
    """Call a service; on a refusal flash why and return None. Forged requests end in 403 / 404."""
    try:
        return step(*args, **kwargs)
    except PermissionDenied:
        abort(403)
    except NotFound:
        abort(404)
    except StaleEditError:
        flash(stale_message(), "error")
    except (ServiceError, RulesUnavailable) as exc:  # a broken programme is named, never replaced
        flash(service_message(exc), "error")
    return None


def posted_version():
    """The version of the record as the user read it (a hidden field), or None with a message."""
    version = as_id(request.form.get("version"))
    if version is None:
        flash(bilingual("The form carried no version number; reload the page and try again."), "error")
    return version


def posted_text(name) -> str:
    return (request.form.get(name) or "").strip()


def as_int(value):
    """A posted or queried whole number (an id, a year …) within an integer column's range, or None."""
    return as_whole(value)


def posted_year(name="year"):
    """A year such as 2025 from the form, or None with a message."""
    year = as_int(request.form.get(name))
    if year is None or not 2000 <= year <= 2100:
        flash(bilingual("The year must be a whole number such as 2025."), "error")
        return None
    return year


def posted_date(name):
    """A date from the form, written as people write it (core.rules.dates), or None with a message."""
    try:
        day = parse_date(request.form.get(name))
    except DateFormatError:
        day = None
    if day is None:
        flash(date_refusal(), "error")
    return day


# --- the jurisdiction's rules ----------------------------------------------------------------------


def app_registry():
    return current_app.extensions["hrpark_registry"]


def rules_of(jurisdiction_row):
    """The rules in force in a jurisdiction row (its own plugin or its nearest ancestor's), or None
    when no plugin governs it; asked once per request and jurisdiction."""
    cache = g.setdefault("hrpark_rules", {})
    if jurisdiction_row.id not in cache:
        try:
            cache[jurisdiction_row.id] = rules_for(jurisdiction_row, app_registry())
        except UnknownJurisdiction:
            cache[jurisdiction_row.id] = None
    return cache[jurisdiction_row.id]


def rules_of_id(jurisdiction_id):
    """`rules_of` for a jurisdiction id (lists read it from a column without loading the row).
    Every jurisdiction is read once per request, parents linked in memory: a page showing rows of
    twenty counties asks one query, not one or two per county."""
    cache = g.setdefault("hrpark_rules", {})
    if jurisdiction_id not in cache:
        rows = g.get("hrpark_jurisdictions")
        if rows is None:
            rows = g.hrpark_jurisdictions = {j.id: j for j in Jurisdiction.select()}
            for row in rows.values():
                row.parent = rows.get(row.parent_id)
        row = rows.get(jurisdiction_id)
        return None if row is None else rules_of(row)
    return cache[jurisdiction_id]


def programme_rules(code):
    """The rules of programme `code`, or None where it cannot load (a list shows the raw state then;
    the record's own page says why)."""
    reg = app_registry()
    return reg.get(code) if code in reg else None


def programme_name(code) -> str:
    """“Y市级” for a programme code: its issuing place and level, as a list column shows it."""
    rules = programme_rules(code)
    if rules is None:
        return code or "—"
    return localized(f"{rules.info.name}级", f"{rules.info.name_en} ({rules.info.level})")


def record_rules(record):
    """The rules of the programme a record belongs to, asked once per request and programme.
    RulesUnavailable (a 503 page naming the plugin's error) where that programme cannot load: a
    record is never shown or worked on under another programme's rules (issue 12)."""
    cache = g.setdefault("hrpark_programmes", {})
    if record.programme not in cache:
        cache[record.programme] = governing_rules(record, app_registry())
    rules = cache[record.programme]
    if rules.procedure() is None:
        abort(404)
    return rules


def rules_or_404(jurisdiction_row):
    """The rules of a record's jurisdiction; a record no installed plugin governs cannot be worked on."""
    rules = rules_of(jurisdiction_row)
    if rules is None or rules.procedure() is None:
        abort(404)
    return rules


def state_label(rules, state_id) -> str:
    """A procedure state in the current language."""
    return localized(*state_labels(rules, state_id))


def state_labels(rules, state_id) -> tuple:
    """(Chinese, English) label of a procedure state; the id when the procedure does not know it."""
    procedure = rules.procedure() if rules is not None else None
    if procedure is None:
        return state_id, state_id
    try:
        state = procedure.state(state_id)
    except KeyError:
        return state_id, state_id
    return state.label, state.label_en or state.label


def role_label(role) -> str:
    return vocab.ROLES.label(role, current_language())


def roles_label(roles) -> str:
    return ("、" if is_chinese() else ", ").join(role_label(r) for r in roles)


# --- values as people read them --------------------------------------------------------------------


def readable(value) -> str:
    """A recorded or measured value as people read it (admin.measured_values.plain): numbers
    grouped, codes by their labels, dates as dates."""
    return measured_values.plain(value)


def criterion_status_label(status) -> str:
    """A criterion's status (met, not met, waivable, needs judgement) or its final status once
    a verdict or a waiver is recorded."""
    finals = {
        WAIVED: (_("Waived (in principle)")),
        JUDGED_MET: _("Judged met by the reviewers"),
        JUDGED_NOT_MET: _("Judged not met by the reviewers"),
    }
    if status in finals:
        return finals[status]
    return vocab.CRITERION_STATUSES.label(status, current_language())
