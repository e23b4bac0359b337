"""How fields are labelled and shown: labels, vocabulary codes with their labels, money, dates.

Labels are English msgids translated by our catalog (Chinese by default). Vocabulary labels come
from core.records.vocab in the current language. Lookups are keyed by (model, field name): peewee fields
compare into SQL expressions, so they are not used as dictionary keys.
"""
import datetime
from decimal import Decimal

from flask import g, has_request_context
from flask_admin.model.typefmt import BASE_FORMATTERS, EXPORT_FORMATTERS
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from peewee import ForeignKeyField, IntegerField

from admin.i18n import (
    current_language,
    format_area,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_wan,
    localized,
)
from core.rules import shared_facts
from core.records import vocab
from core.records.accounts import User
from core.records.models import (
    Assessment,
    AuditLog,
    Jurisdiction,
    LedgerEntry,
    OtherSubsidyClaim,
    Park,
    Recognition,
    Rectification,
    ReviewStep,
    Site,
    Subsidy,
)
from core.rules.shared_facts import SHARED_FACTS, YEARLY, figures_of

#: Field name -> label, for every model (a model-specific label below wins).
FIELD_LABELS = {
    "id": _l("ID"),
    "jurisdiction": _l("Jurisdiction"),
    "name": _l("Name"),
    "address": _l("Address"),
    "contact_person": _l("Contact person"),
    "phone": _l("Phone"),
    "property_ownership": _l("Property ownership"),
    "registration_date": _l("Registration date"),
    "investment_wan": _l("Investment (10,000 yuan)"),
    "build_mode": _l("Build mode"),
    "public_services": _l("Public services"),
    "offered_services": _l("Services offered"),
    "operator_kind": _l("Operator kind"),
    "operator_name": _l("Operator name"),
    "staff_fulltime": _l("Full-time staff"),
    "staff_parttime": _l("Part-time staff"),
    "created_at": _l("Created at"),
    "version": _l("Version"),
    "park": _l("Park"),
    "agency.park": _l("Park"),
    "is_core": _l("Core site"),
    "floor_area": _l("Floor area (m²)"),
    "approved_on": _l("Approved on"),
    "kind": _l("Kind"),
    "licence_kind": _l("Licence kind"),
    "licence_no": _l("Licence number"),
    "service_lines": _l("Service lines"),
    "admitted_on": _l("Admitted on"),
    "exited_on": _l("Exited on"),
    "exit_reason": _l("Exit reason"),
    "agency": _l("Agency"),
    "year": _l("Year"),
    "application": _l("Application"),
    "official_name": _l("Official name"),
    "recognised_on": _l("Recognised on"),
    "status": _l("Status"),
    "revoked_on": _l("Revoked on"),
    "revocation_reason": _l("Revocation reason"),
    "revocation_article": _l("Revocation article"),
    "document_number": _l("Document number"),
    "recognition": _l("Recognition"),
    "amount": _l("Amount"),
    "rule_id": _l("Rule"),
    "article": _l("Article"),
    "explanation": _l("Explanation"),
    "status_reason": _l("Status reason"),
    "status_changed_by": _l("Status changed by"),
    "status_changed_at": _l("Status changed at"),
    "paid_on": _l("Day paid"),
    "payment_voucher": _l("Voucher number"),
    "fund_source": _l("Source of the funds"),
    "payee_account": _l("Payee account"),
    "amount_concerned": _l("Amount concerned"),
    "subsidy": _l("Subsidy"),
    "project": _l("Project"),
    "category": _l("Category"),
    "date": _l("Date"),
    "voucher": _l("Voucher"),
    "description": _l("Description"),
    "cancel_reason": _l("Cancellation reason"),
    "review": _l("Fund-use review"),
    "review_found": _l("Words of a forbidden use"),
    "review_reason": _l("Reason for the decision"),
    "reviewed_by": _l("Decided by"),
    "reviewed_at": _l("Decided at"),
    "day": _l("Day"),
    "is_workday": _l("Make-up working day"),
    "entered_by": _l("Entered by"),
    "jurisdiction_code": _l("Jurisdiction code"),
    "key": _l("Key"),
    "value": _l("Value"),
    "at": _l("Time"),
    "actor": _l("Actor"),
    "role": _l("Role"),
    "action": _l("Action"),
    "table": _l("Table"),
    "record_id": _l("Record ID"),
    "jurisdiction_id": _l("Jurisdiction"),
    "park_id": _l("Park"),
    "before": _l("Before"),
    "after": _l("After"),
    "remark": _l("Remark"),
    "username": _l("Username"),
    "display_name": _l("Display name"),
    "active": _l("Active"),
    "last_login_at": _l("Last sign-in"),
    "password_changed_at": _l("Password changed at"),
    "email": _l("E-mail address"),
    "mail_mode": _l("Mail"),
    "calendar_token_hash": _l("Calendar link"),
    "new_password": _l("New password"),
    "ladder": _l("Recognition ladder"),
    "programme": _l("Measures applied under"),
    "level": _l("Level"),
    "code": _l("Code"),
    # Columns shown in the audit log's before and after: every column of every table has a label.
    "name_zh": _l("Chinese name"),
    "name_en": _l("English name"),
    "parent": _l("Parent jurisdiction"),
    "facts": _l("Other facts"),
    "state": _l("State"),
    "created_by": _l("Created by"),
    "submitted_at": _l("Submitted at"),
    "withdrawn_reason": _l("Withdrawal reason"),
    "material_id": _l("Material"),
    "filename": _l("File name"),
    "stored_path": _l("Stored at"),
    "content_type": _l("File type"),
    "size": _l("File size"),
    "sha256": _l("File digest"),
    "uploaded_by": _l("Uploaded by"),
    "uploaded_at": _l("Uploaded at"),
    "withdrawn": _l("Replaced by a later file"),
    "transition": _l("Step"),
    "from_state": _l("From"),
    "to_state": _l("To"),
    "criterion_id": _l("Condition"),
    "met": _l("Met"),
    "reviewer": _l("Reviewer"),
    "reason": _l("Reason"),
    "granted_by": _l("Granted by"),
    "start": _l("Starts on"),
    "end": _l("Ends on"),
    "working_days": _l("Working days"),
    "calendar_warning": _l("Calendar warning"),
    "objections": _l("Objections"),
    "objection_count": _l("Number of objections"),
    "notice": _l("Public notice"),
    "reference": _l("Reference"),
    "objector_name": _l("Objector"),
    "objector_phone": _l("Objector's phone"),
    "filed_from": _l("Filed from (network address)"),
    "content": _l("Objection"),
    "attachment_name": _l("Attachment"),
    "attachment_path": _l("Stored attachment"),
    "channel": _l("Received by"),
    "received_on": _l("Received on"),
    "filed_at": _l("Filed at"),
    "recorded_by": _l("Recorded by"),
    "officer": _l("Investigated by"),
    "investigated_on": _l("Investigation began on"),
    "findings": _l("Findings"),
    "reply": _l("Reply to the objector"),
    "decided_on": _l("Decided on"),
    "erased_on": _l("Personal information erased on"),
    "scores": _l("Scores"),
    "total_score": _l("Total score"),
    "grade": _l("Grade"),
    "consequences": _l("Consequences"),
    "assessed_on": _l("Assessed on"),
    "assessed_by": _l("Assessed by"),
    "assessment": _l("Assessment"),
    "deadline": _l("Deadline"),
    "outcome": _l("Outcome"),
    "closed_on": _l("Closed on"),
    "explanation_en": _l("Explanation in English"),
    "programme_version": _l("Version of the measures"),
    "password_hash": _l("Password"),
    "ip": _l("Network address"),
    "key_hash": _l("Session key"),
    "user": _l("User"),
    "data": _l("Data"),
    "last_seen_at": _l("Last seen"),
    "revoked_at": _l("Revoked at"),
    "user_agent": _l("Browser"),
    "token_hash": _l("Token"),
    "last_used_at": _l("Last used"),
    # The shared yearly figures: named where they are declared, in the page's language. (An
    # agency's fields keep the labels above: "name", "kind" … are every model's.)
    **{fact.id: LazyString(localized, fact.zh, fact.en) for record in YEARLY for fact in figures_of(record)},
}

MODEL_LABELS = {
    ("OtherSubsidyClaim", "programme"): _l("Programme"),  # a subsidy programme of other rules
    ("HolidayDay", "name"): _l("Holiday name"),
    ("Site", "name"): _l("Site name"),
    ("Application", "created_by"): _l("Opened by"),
    ("LoginAttempt", "outcome"): _l("Result"),
}


#: Table name -> what the table holds (the audit log's filter, refusal messages).
TABLE_LABELS = {
    "jurisdiction": _l("Jurisdictions"),
    "park": _l("Parks"),
    "site": _l("Sites"),
    "agency": _l("Agencies"),
    "agency_year": _l("Agency yearly figures"),
    "park_year": _l("Park yearly figures"),
    "jurisdiction_year": _l("Yearly facts of jurisdictions"),
    "application": _l("Applications"),
    "material": _l("Materials"),
    "review_step": _l("Review steps"),
    "criterion_verdict": _l("Reviewer verdicts"),
    "waiver": _l("Waivers"),
    "public_notice": _l("Public notices"),
    "objection": _l("Objections to public notices"),
    "recognition": _l("Recognitions"),
    "assessment": _l("Assessments"),
    "rectification": _l("Rectifications"),
    "subsidy": _l("Subsidies"),
    "ledger_entry": _l("Ledger"),
    "other_subsidy_claim": _l("Other subsidy claims"),
    "holiday_day": _l("Holiday days"),
    "setting": _l("Deployment settings"),
    "audit_log": _l("Audit log"),
    "user_account": _l("Users"),
    "server_session": _l("Sessions"),
    "api_token": _l("API tokens"),
}


def table_label(table_name):
    return str(TABLE_LABELS.get(table_name, table_name))


def label_for(model, name):
    return MODEL_LABELS.get((model.__name__, name)) or FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()


def labels_for(model, extra=()):
    names = list(model._meta.fields) + list(extra)
    return {name: label_for(model, name) for name in names}


#: (model, field) -> vocabulary of the codes it holds; a JSON list field holds several.
VOCABULARIES = {
    (Park, "build_mode"): vocab.BUILD_MODES,
    (Park, "operator_kind"): vocab.OPERATOR_KINDS,
    (Park, "public_services"): vocab.PUBLIC_SERVICES,
    (Park, "offered_services"): vocab.OFFERED_SERVICES,
    **{(shared_facts.model_of(fact.record), fact.id): fact.terms for fact in SHARED_FACTS if fact.vocabulary},
    (Recognition, "status"): vocab.RECOGNITION_STATUSES,
    (Subsidy, "status"): vocab.SUBSIDY_STATUSES,
    (LedgerEntry, "review"): vocab.LEDGER_REVIEWS,
    (Subsidy, "kind"): vocab.SUBSIDY_KINDS,
    (User, "role"): vocab.ROLES,
    (User, "mail_mode"): vocab.MAIL_MODES,
    (AuditLog, "role"): vocab.ACTOR_ROLES,
    (ReviewStep, "role"): vocab.ROLES,
    (Assessment, "grade"): vocab.GRADES,
    (Rectification, "outcome"): vocab.RECTIFICATION_OUTCOMES,
    (Jurisdiction, "level"): vocab.JURISDICTION_LEVELS,
}
LIST_FIELDS = {(Park, "public_services"), (Park, "offered_services"),
               *((shared_facts.model_of(fact.record), fact.id) for fact in SHARED_FACTS if fact.type == "codes")}

MONEY_FIELDS = {
    *((shared_facts.model_of(fact.record), fact.id) for fact in SHARED_FACTS if fact.type == "money"),
    (Subsidy, "amount"),
    (Subsidy, "amount_concerned"),
    (LedgerEntry, "amount"),
    (OtherSubsidyClaim, "amount"),
}
WAN_FIELDS = {(Park, "investment_wan")}
AREA_FIELDS = {(Site, "floor_area")}
#: Whole-number columns that name or number something rather than count it: written as they are
#: (2025, not 2,025); every other whole number is a count, written 1,234.
PLAIN_INTEGERS = {"id", "year", "version", "record_id", "jurisdiction_id", "park_id"}


def is_count(model, name):
    field = model._meta.fields.get(name)
    return isinstance(field, IntegerField) and not isinstance(field, ForeignKeyField) and name not in PLAIN_INTEGERS


def vocabulary_of(model, name):
    return VOCABULARIES.get((model, name))


def is_list_field(model, name):
    return (model, name) in LIST_FIELDS


def vocab_labels(vocabulary, codes):
    lang = current_language()
    labels = [vocabulary.label(code, lang) for code in (codes or [])]
    return ("、" if lang == "zh" else ", ").join(labels)


def vocab_options(vocabulary):
    """Filter options of a vocabulary, read in the current language when the page is drawn."""
    return lambda: vocabulary.choices(current_language())


#: Columns that hold who did something (an account's username, or a named system actor).
PERSON_FIELDS = {"created_by", "uploaded_by", "actor", "reviewer", "granted_by", "assessed_by", "status_changed_by",
                 "entered_by", "reviewed_by"}


def person_name(who) -> str:
    """Who did something, by the name people know: an account's display name, not its username.

    The accounts are read once per request; a name that is no account's (the demo builder, the
    command line) is shown as recorded, `cli:…` as the command line."""
    if not who:
        return ""
    names = g.get("hrpark_person_names") if has_request_context() else None
    if names is None:
        names = {u.username: u.display_name for u in User.select(User.username, User.display_name)}
        if has_request_context():
            g.hrpark_person_names = names
    if names.get(who):
        return names[who]
    if who.startswith("cli:"):
        return str(_l("command line (%(user)s)", user=who[4:]))
    if who == "system":
        return str(_l("the system"))
    if who == "public":
        return str(_l("a member of the public (public site)"))
    return who


def record_label(obj):
    """How a related record is named in lists, dropdowns and lookups, in the current language."""
    if obj is None:
        return ""
    if isinstance(obj, Jurisdiction):
        return localized(obj.name_zh, obj.name_en)
    return str(obj)


def column_formatters_for(model, export=False):
    """Formatters for every column of `model` that holds a code, money, 万元 or an area."""
    formatters = {}
    for name in model._meta.fields:
        if name in PERSON_FIELDS and not export:
            formatters[name] = lambda v, c, m, n: person_name(getattr(m, n))
            continue
        vocabulary = vocabulary_of(model, name)
        if vocabulary is not None:
            if is_list_field(model, name):
                formatters[name] = lambda v, c, m, n, voc=vocabulary: vocab_labels(voc, getattr(m, n))
            else:
                formatters[name] = lambda v, c, m, n, voc=vocabulary: voc.label(getattr(m, n), current_language())
        elif (model, name) in MONEY_FIELDS:
            if export:  # a spreadsheet wants the number itself: a numeric cell, to the fen
                formatters[name] = lambda v, c, m, n: _to_fen(getattr(m, n))
            else:
                formatters[name] = lambda v, c, m, n: format_money(getattr(m, n))
        elif (model, name) in WAN_FIELDS and not export:
            formatters[name] = lambda v, c, m, n: format_wan(getattr(m, n))
        elif (model, name) in AREA_FIELDS and not export:
            formatters[name] = lambda v, c, m, n: format_area(getattr(m, n))
        elif is_count(model, name) and not export:
            formatters[name] = lambda v, c, m, n: format_number(getattr(m, n))
    return formatters


def _to_fen(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _date_fmt(view, value, name):
    return format_date(value)


def _datetime_fmt(view, value, name):
    return format_datetime(value)


def _record_fmt(view, value, name):
    return record_label(value)


def _bool_fmt(view, value, name):
    # Flask-Admin draws an icon titled "active: true"; people read 是 / 否.
    return str(_l("Yes") if value else _l("No"))


TYPE_FORMATTERS = dict(BASE_FORMATTERS)
TYPE_FORMATTERS.update({
    bool: _bool_fmt,
    datetime.datetime: _datetime_fmt,  # before date: a datetime is also a date
    datetime.date: _date_fmt,
    Jurisdiction: _record_fmt,
})

# Exports keep numbers and dates as themselves: the .xlsx writes them as numeric and date cells,
# the CSV as 2025-10-11 and 38880000.02, which Excel reads as a date and a number.
EXPORT_TYPE_FORMATTERS = dict(EXPORT_FORMATTERS)
EXPORT_TYPE_FORMATTERS.update({
    datetime.datetime: lambda view, value, name: value.replace(microsecond=0),
    datetime.date: lambda view, value, name: value,
    Jurisdiction: _record_fmt,
    bool: lambda view, value, name: "1" if value else "0",
})

# CSV cells a spreadsheet would run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_csv_cell(value):
    """A cell that would start a formula gets a leading apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
