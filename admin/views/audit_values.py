"""How an audit row's before and after read: each column by its label, each value as people read
it — codes by their labels, states and steps by the jurisdiction's procedure, dates, money and
areas formatted, related records by their names, accounts by their display names.

The stored JSON is kept as it is (the audit export carries it raw); this is only how the page
shows it. Storage details (file paths and digests, password hashes) are left out of the page, and
a value kept in both languages (explanation / explanation_en) is shown in the page's language.
"""
import json

from flask_babel import gettext as _
from peewee import DateField, DateTimeField, ForeignKeyField

from admin import presentation
from admin.i18n import (
    current_language,
    format_area,
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_wan,
    is_chinese,
    localized,
)
from admin.views.workflow import programme_name, readable, rules_of_id, state_label, today
from core.records import vocab
from core.records.accounts import MODELS as ACCOUNT_MODELS
from core.rules.assessment import KINDS
from core.records.models import MODELS

MODELS_BY_TABLE = {model._meta.table_name: model for model in MODELS + ACCOUNT_MODELS}
#: Columns that record how a file or a secret is stored, not what anyone decided.
NOT_SHOWN = {"stored_path", "sha256", "password_hash", "key_hash", "token_hash", "content_type", "facts", "rule_id"}


def readable_fields(table, raw, jurisdiction_id=None):
    """[(label, text)] of a before/after JSON object of `table`; [] when there is none."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return [(_("Value"), raw)]
    if not isinstance(data, dict):
        return [(_("Value"), str(data))]
    model = MODELS_BY_TABLE.get(table)
    rules = rules_of_id(jurisdiction_id) if jurisdiction_id is not None else None
    order = {name: i for i, name in enumerate(model._meta.sorted_field_names)} if model is not None else {}
    rows = []
    for name, value in sorted(data.items(), key=lambda item: order.get(item[0], len(order))):
        if name in NOT_SHOWN:
            continue
        if name.endswith("_en") and name[:-3] in data:
            continue  # shown under its Chinese twin, in the page's language
        if f"{name}_en" in data and not is_chinese() and data[f"{name}_en"]:
            value = data[f"{name}_en"]
        label = presentation.label_for(model, name) if model is not None else presentation.FIELD_LABELS.get(name, name)
        rows.append((str(label), value_text(model, name, value, rules)))
    return rows


def value_text(model, name, value, rules):
    """One recorded value of column `name` of `model`, as people read it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    field = model._meta.fields.get(name) if model is not None else None
    vocabulary = presentation.vocabulary_of(model, name) if model is not None else None
    if vocabulary is not None:
        codes = value if isinstance(value, list) else [value]
        return presentation.vocab_labels(vocabulary, codes)
    if model is not None and (model, name) in presentation.MONEY_FIELDS:
        return format_money(value)
    if model is not None and (model, name) in presentation.WAN_FIELDS:
        return format_wan(value)
    if model is not None and (model, name) in presentation.AREA_FIELDS:
        return format_area(value)
    if isinstance(field, DateTimeField):
        return format_datetime(value)
    if isinstance(field, DateField):
        return format_date(value)
    if isinstance(field, ForeignKeyField):
        related = field.rel_model.get_or_none(field.rel_model._meta.primary_key == value)
        return presentation.record_label(related) if related is not None else f"#{value}"
    special = _SPECIAL.get(name)
    if special is not None:
        text = special(value, rules)
        if text is not None:
            return text
    if name in presentation.PERSON_FIELDS:
        return presentation.person_name(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value) if name != "year" else str(value)
    return readable(value)


# --- values whose meaning lives in the jurisdiction's rules -------------------------------------


def _state(value, rules):
    return state_label(rules, value) if rules is not None else None


def _transition(value, rules):
    procedure = rules.procedure() if rules is not None else None
    if procedure is None:
        return None
    try:
        step = procedure.transition(value)
    except KeyError:
        return None
    return localized(step.label, step.label_en)


def _titled(items, value, title=lambda item: localized(item.title, item.title_en)):
    for item in items:
        if item.id == value:
            return title(item)
    return None


def _criterion(value, rules):
    # Names only: the criteria as they stand today (an id keeps its title across dated versions).
    return _titled(rules.criteria(today()), value) if rules is not None else None


def _material(value, rules):
    return _titled(rules.materials(), value) if rules is not None else None


def _category(value, rules):
    if rules is None:
        return None
    return _titled(rules.ledger_categories(), value, lambda c: f"{localized(c.label, c.label_en)}（{c.article}）")


def _scores(value, rules):
    """Indicator id -> score, as 'economic development: 75' in the page's language."""
    if not isinstance(value, dict):
        return None
    labels = {i.id: localized(i.label, i.label_en) for i in rules.indicators(today())} if rules is not None else {}
    separator = "；" if is_chinese() else "; "
    return separator.join(f"{labels.get(k, k)}：{format_number(v)}" if is_chinese() else f"{labels.get(k, k)}: {format_number(v)}"
                          for k, v in value.items())


def _consequences(value, rules):
    """The consequences an assessment applied: each by its name, with its article and explanation."""
    if not isinstance(value, list):
        return None
    lines = []
    for item in value:
        if not isinstance(item, dict):
            continue
        zh, en = KINDS.get(item.get("kind"), (item.get("label") or "", item.get("label") or ""))
        explanation = localized(item.get("explanation", ""), item.get("explanation_en", ""))
        deadline = f" · {_('Deadline')} {format_date(item['deadline'])}" if item.get("deadline") else ""
        lines.append(f"{localized(zh, en)}（{item.get('article', '')}）{deadline}：{explanation}")
    return "\n".join(lines)


def _status(value, rules):
    from admin.views.assessments import ASSESSMENT_STATUSES
    from admin.views.money import LEDGER_STATUSES

    for table in (LEDGER_STATUSES, ASSESSMENT_STATUSES):
        if value in table:
            return str(table[value])
    for vocabulary in (vocab.SUBSIDY_STATUSES, vocab.RECOGNITION_STATUSES, vocab.OBJECTION_STATUSES):
        if value in vocabulary:
            return vocabulary.label(value, current_language())
    return None


def _size(value, rules):
    return format_number(value, "bytes") if isinstance(value, int) else None


_SPECIAL = {
    "state": _state,
    "from_state": _state,
    "to_state": _state,
    "transition": _transition,
    "criterion_id": _criterion,
    "material_id": _material,
    "category": _category,
    "scores": _scores,
    "consequences": _consequences,
    "status": _status,
    "grade": lambda value, rules: vocab.GRADES.label(value, current_language()),
    "outcome": lambda value, rules: vocab.RECTIFICATION_OUTCOMES.label(value, current_language())
    if value in vocab.RECTIFICATION_OUTCOMES else None,
    "size": _size,
    "channel": lambda value, rules: vocab.OBJECTION_CHANNELS.label(value, current_language())
    if value in vocab.OBJECTION_CHANNELS else None,
    # A governed record's programme by its place and level (Y市级); another text (a claim's
    # subsidy programme) as written.
    "programme": lambda value, rules: programme_name(value),
}
