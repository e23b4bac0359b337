"""How fields are labelled and shown: labels, vocabulary codes with their labels, money, dates.

Labels are English msgids translated by our catalog (Chinese by default). Vocabulary labels come
from core.vocab in the current language. Lookups are keyed by (model, field name): peewee fields
compare into SQL expressions, so they are not used as dictionary keys.
"""
import datetime
from decimal import Decimal

from flask_admin.model.typefmt import BASE_FORMATTERS, EXPORT_FORMATTERS
from flask_babel import lazy_gettext as _l

from admin.i18n import current_language, format_date, format_datetime, format_money, format_wan, localized
from core import vocab
from core.accounts import User
from core.models import (
    Agency,
    AgencyYear,
    AuditLog,
    Jurisdiction,
    LedgerEntry,
    OtherSubsidyClaim,
    Park,
    Recognition,
    Site,
    Subsidy,
)

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
    "revenue": _l("Revenue"),
    "pass_through": _l("Collected and paid on behalf"),
    "tax": _l("Tax"),
    "employment_helped": _l("Employment helped"),
    "events_held": _l("Events held"),
    "service_products": _l("Service products"),
    "complaints_handled": _l("Complaints handled"),
    "employment_promoted": _l("Employment promoted"),
    "people_served": _l("People served"),
    "incubation_subsidy_claimed": _l("Incubation-base subsidy claimed"),
    "urban_new_jobs": _l("Urban new jobs target"),
    "rural_transfer": _l("Rural labour transfer target"),
    "application": _l("Application"),
    "official_name": _l("Official name"),
    "recognised_on": _l("Recognised on"),
    "status": _l("Status"),
    "revoked_on": _l("Revoked on"),
    "revocation_reason": _l("Revocation reason"),
    "revocation_article": _l("Revocation article"),
    "recognition": _l("Recognition"),
    "amount": _l("Amount"),
    "rule_id": _l("Rule"),
    "article": _l("Article"),
    "explanation": _l("Explanation"),
    "status_reason": _l("Status reason"),
    "status_changed_by": _l("Status changed by"),
    "status_changed_at": _l("Status changed at"),
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
    "new_password": _l("New password"),
    "level": _l("Level"),
    "code": _l("Code"),
}

MODEL_LABELS = {
    ("HolidayDay", "name"): _l("Holiday name"),
    ("Site", "name"): _l("Site name"),
}


#: Table name -> what the table holds (the audit log's filter, refusal messages).
TABLE_LABELS = {
    "jurisdiction": _l("Jurisdictions"),
    "park": _l("Parks"),
    "site": _l("Sites"),
    "agency": _l("Agencies"),
    "agency_year": _l("Agency yearly figures"),
    "park_year": _l("Park yearly figures"),
    "employment_target": _l("Employment targets"),
    "application": _l("Applications"),
    "material": _l("Materials"),
    "review_step": _l("Review steps"),
    "criterion_verdict": _l("Reviewer verdicts"),
    "waiver": _l("Waivers"),
    "public_notice": _l("Public notices"),
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
    (Agency, "kind"): vocab.AGENCY_KINDS,
    (Agency, "licence_kind"): vocab.LICENCE_KINDS,
    (Agency, "service_lines"): vocab.SERVICE_LINES,
    (Recognition, "status"): vocab.RECOGNITION_STATUSES,
    (Subsidy, "status"): vocab.SUBSIDY_STATUSES,
    (LedgerEntry, "review"): vocab.LEDGER_REVIEWS,
    (Subsidy, "kind"): vocab.SUBSIDY_KINDS,
    (User, "role"): vocab.ROLES,
    (AuditLog, "role"): vocab.ROLES,
    (Jurisdiction, "level"): vocab.JURISDICTION_LEVELS,
}
LIST_FIELDS = {(Park, "public_services"), (Park, "offered_services"), (Agency, "service_lines")}

MONEY_FIELDS = {
    (AgencyYear, "revenue"),
    (AgencyYear, "pass_through"),
    (AgencyYear, "tax"),
    (Subsidy, "amount"),
    (LedgerEntry, "amount"),
    (OtherSubsidyClaim, "amount"),
}
WAN_FIELDS = {(Park, "investment_wan")}
AREA_FIELDS = {(Site, "floor_area")}


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


def record_label(obj):
    """How a related record is named in lists, dropdowns and lookups, in the current language."""
    if obj is None:
        return ""
    if isinstance(obj, Jurisdiction):
        return localized(obj.name_zh, obj.name_en)
    return str(obj)


def format_area(value):
    return "" if value is None else f"{Decimal(value):,.2f} m²"


def column_formatters_for(model, export=False):
    """Formatters for every column of `model` that holds a code, money, 万元 or an area."""
    formatters = {}
    for name in model._meta.fields:
        vocabulary = vocabulary_of(model, name)
        if vocabulary is not None:
            if is_list_field(model, name):
                formatters[name] = lambda v, c, m, n, voc=vocabulary: vocab_labels(voc, getattr(m, n))
            else:
                formatters[name] = lambda v, c, m, n, voc=vocabulary: voc.label(getattr(m, n), current_language())
        elif (model, name) in MONEY_FIELDS:
            if export:  # a spreadsheet wants the number itself
                formatters[name] = lambda v, c, m, n: "" if getattr(m, n) is None else f"{getattr(m, n):.2f}"
            else:
                formatters[name] = lambda v, c, m, n: format_money(getattr(m, n))
        elif (model, name) in WAN_FIELDS and not export:
            formatters[name] = lambda v, c, m, n: format_wan(getattr(m, n))
        elif (model, name) in AREA_FIELDS and not export:
            formatters[name] = lambda v, c, m, n: format_area(getattr(m, n))
    return formatters


def _date_fmt(view, value, name):
    return format_date(value)


def _datetime_fmt(view, value, name):
    return format_datetime(value)


def _record_fmt(view, value, name):
    return record_label(value)


TYPE_FORMATTERS = dict(BASE_FORMATTERS)
TYPE_FORMATTERS.update({
    datetime.datetime: _datetime_fmt,  # before date: a datetime is also a date
    datetime.date: _date_fmt,
    Jurisdiction: _record_fmt,
})

EXPORT_TYPE_FORMATTERS = dict(EXPORT_FORMATTERS)
EXPORT_TYPE_FORMATTERS.update({
    datetime.datetime: lambda view, value, name: value.isoformat(sep=" "),
    datetime.date: lambda view, value, name: value.isoformat(),
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
