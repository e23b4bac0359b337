"""The park dossier: one park as a documented JSON file (format `hrpark-dossier/2`), to import,
export and evaluate without the back office.

`load_dossier` checks the shape and types (marshmallow 4) and returns `core.rules.facts.ParkFacts`
plus the evaluation-only extras (recognition, assessments). Every error names its field path,
Chinese first, then English. Whether a park meets a city's conditions (one core site, enough
floor area …) is for the city's plugin to judge, not for the format. docs/dossier.md describes
every field and the article that reads it.
"""
import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validates_schema

from core.rules import shared_facts
from core.records import vocab
from core.rules.assessment import GradeRecord
from core.records.bounds import YEAR
from core.rules.facts import (
    AgencyFacts,
    AgencyYearFacts,
    JurisdictionYearFacts,
    ParkFacts,
    ParkYearFacts,
    SiteFacts,
)
from core.io.ladder_schema import ParkLadder
from core.rules.subsidy import SubsidyContext

FORMAT = "hrpark-dossier/2"
#: The first format kept a park-year's declared facts beside its figures and a city's yearly targets
#: as `employment_targets`; it is read still, as `upgrade_first_format` rewrites it.
FIRST_FORMAT = "hrpark-dossier/1"
FIRST_YEAR, LAST_YEAR = int(YEAR.minimum), int(YEAR.maximum)  # core.records.bounds: the records' years
CENT = Decimal("0.01")
#: The keys of a dossier's `park`, named as ParkFacts and the Park model name them.
PARK_FIELDS = ("name", "address", "contact_person", "phone", "property_ownership", "registration_date",
               "investment_wan", "build_mode", "public_services", "offered_services")
#: The keys of `park.operator` and of a site, each with the ParkFacts (and model) attribute it fills.
OPERATOR_FIELDS = {"kind": "operator_kind", "name": "operator_name", "staff_fulltime": "staff_fulltime",
                   "staff_parttime": "staff_parttime"}
SITE_FIELDS = {"name": "name", "address": "address", "core": "is_core", "floor_area": "floor_area",
               "approved_on": "approved_on"}


class DossierError(Exception):
    """A dossier that cannot be used: every problem as (field path, bilingual message)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(format_error(path, message) for path, message in self.errors))


def format_error(path, message):
    return f"{path or '（整个文件） (whole file)'}: {message}"


# --- messages: Chinese first, then English --------------------------------------------------------

REQUIRED = "缺少必填字段 / Missing data for required field."
NULL = "不能为空值 null / Field may not be null."
UNKNOWN = "未知字段（请核对拼写） / Unknown field (check the spelling)."
NOT_OBJECT = "应为对象 {…} / Not a JSON object."
NOT_LIST = "应为数组 […] / Not a valid list."
NOT_TEXT = "应为文本 / Not a valid string."
BLANK = "不能为空 / May not be blank."
NOT_INTEGER = "不是有效的整数 / Not a valid integer."
NOT_NUMBER = "不是有效的数字 / Not a valid number."
NEGATIVE = "不能为负数 / Must not be negative."
TOO_PRECISE = "最多两位小数 / At most two decimal places."
NOT_BOOLEAN = "应为 true 或 false / Not a valid boolean (true or false)."
NOT_DATE = "不是有效的日期，应为 YYYY-MM-DD / Not a valid date (YYYY-MM-DD)."
YEAR_RANGE = f"年份应在{FIRST_YEAR}至{LAST_YEAR}之间 / Year must be between {FIRST_YEAR} and {LAST_YEAR}."


class Bilingual:
    """Mixed into every field: the messages every field can give, in both languages."""

    default_error_messages = {"required": REQUIRED, "null": NULL, "validator_failed": "无效的值 / Invalid value."}


# --- field types: each knows its JSON Schema ------------------------------------------------------


class Text(Bilingual, fields.String):
    default_error_messages = {"invalid": NOT_TEXT, "invalid_utf8": NOT_TEXT, "blank": BLANK}

    def __init__(self, *, blank=True, **kwargs):
        self.blank = blank
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", "")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and not self.blank:
            raise self.make_error("blank")
        return text

    def json_schema(self):
        return {"type": "string"} if self.blank else {"type": "string", "pattern": r"\S"}


class Code(Bilingual, fields.String):
    """A code of a controlled vocabulary (core.records.vocab)."""

    default_error_messages = {"invalid": NOT_TEXT, "invalid_utf8": NOT_TEXT, "choice": ""}

    def __init__(self, vocabulary, **kwargs):
        self.vocabulary = vocabulary
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs)
        if code not in self.vocabulary:
            choices = "、".join(f"{t.code}（{t.zh}）" for t in self.vocabulary)
            raise ValidationError(
                f"“{code}”不是有效的代码，可选：{choices} / {code!r} is not a valid code; "
                f"one of: {', '.join(self.vocabulary.codes())}."
            )
        return code

    def json_schema(self):
        return {"type": "string", "enum": self.vocabulary.codes()}


class Choice(Bilingual, fields.String):
    """One of a few fixed strings (the format marker)."""

    default_error_messages = {"invalid": NOT_TEXT, "invalid_utf8": NOT_TEXT}

    def __init__(self, choices, **kwargs):
        self.choices = tuple(choices)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise ValidationError(f"应为 {' / '.join(self.choices)} / Must be {' or '.join(self.choices)}.")
        return text

    def json_schema(self):
        return {"type": "string", "enum": list(self.choices)}


class Amount(Bilingual, fields.Field):
    """A non-negative decimal with at most two places (yuan, m², 万元): a JSON number or a
    decimal string, read through str so no binary float ever reaches a sum."""

    default_error_messages = {"invalid": NOT_NUMBER, "negative": NEGATIVE, "places": TOO_PRECISE}
    STRING_PATTERN = r"^\d+(\.\d{1,2})?$"

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise self.make_error("invalid")
        text = value.strip() if isinstance(value, str) else str(value)
        if isinstance(value, str) and not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise self.make_error("invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise self.make_error("invalid") from None
        if not number.is_finite():
            raise self.make_error("invalid")
        if number < 0:
            raise self.make_error("negative")
        if number != number.quantize(CENT):
            raise self.make_error("places")
        return number.quantize(CENT)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return format(Decimal(value).quantize(CENT), "f")

    def json_schema(self):
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": self.STRING_PATTERN}]}


class Count(Bilingual, fields.Integer):
    """A whole number, not negative (agencies, persons, events)."""

    default_error_messages = {"invalid": NOT_INTEGER, "too_large": NOT_INTEGER, "negative": NEGATIVE}

    def __init__(self, **kwargs):
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", 0)
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        if number < 0:
            raise self.make_error("negative")
        return number

    def json_schema(self):
        return {"type": "integer", "minimum": 0}


class Year(Bilingual, fields.Integer):
    default_error_messages = {"invalid": NOT_INTEGER, "too_large": YEAR_RANGE, "range": YEAR_RANGE}

    def __init__(self, **kwargs):
        super().__init__(strict=True, required=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        year = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise self.make_error("range")
        return year

    def json_schema(self):
        return {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}


class Day(Bilingual, fields.Field):
    """A date written YYYY-MM-DD (null allowed where the field is optional)."""

    default_error_messages = {"invalid": NOT_DATE}

    def __init__(self, **kwargs):
        if not kwargs.get("required"):
            kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise self.make_error("invalid")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.make_error("invalid") from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()

    def json_schema(self):
        day = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        return {"anyOf": [day, {"type": "null"}]} if self.allow_none else day


class Flag(Bilingual, fields.Field):
    """true or false, nothing else (no "yes", no 1)."""

    default_error_messages = {"invalid": NOT_BOOLEAN}

    def __init__(self, **kwargs):
        kwargs.setdefault("load_default", False)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value is True or value is False:
            return value
        raise self.make_error("invalid")

    def json_schema(self):
        return {"type": "boolean"}


class ListOf(Bilingual, fields.List):
    default_error_messages = {"invalid": NOT_LIST}

    def __init__(self, inner, **kwargs):
        kwargs.setdefault("load_default", list)
        super().__init__(inner, **kwargs)


class Object(Bilingual, fields.Nested):
    default_error_messages = {"type": NOT_OBJECT}


class WrittenOnExport(fields.Field):
    """A section export writes for people to read, worked out on the export day (the ladder): any
    value is accepted on load and discarded, so an exported dossier validates and imports as it is.
    Its JSON Schema is the shape export writes."""

    def __init__(self, schema_class, **kwargs):
        self.schema_class = schema_class
        super().__init__(load_default=None, allow_none=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return None

    def json_schema(self):
        return {**_object_schema(self.schema_class()), "description": self.metadata.get("description", "")}


# --- the schemas ----------------------------------------------------------------------------------


class DossierPart(Schema):
    """Unknown keys are refused (a misspelt key would otherwise be silently ignored)."""

    error_messages = {"type": NOT_OBJECT, "unknown": UNKNOWN}

    class Meta:
        unknown = RAISE
        ordered = True


def _year_of(item):
    year = item.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _text_of(name):
    def key(item):
        value = item.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    return key


def _duplicate_errors(original, list_name, key, field_name, what_zh, what_en, scope=("", "")):
    """Errors for the items of `list_name` repeating an earlier item's key; `scope` says whose
    list it is when the path of the owner is not known here (an agency's years)."""
    items = original.get(list_name)
    first_with, errors = {}, {}  # key -> index of the first item with it
    for index, item in enumerate(items if isinstance(items, list) else []):
        value = key(item) if isinstance(item, Mapping) else None
        first = index if value is None else first_with.setdefault(value, index)
        if first != index:
            errors[index] = {field_name: [f"与{scope[0]} {list_name}.{first} 的{what_zh}重复 / "
                                          f"Same {what_en} as {list_name}.{first}{scope[1]}."]}
    return {list_name: errors} if errors else {}


class OperatorSchema(DossierPart):
    kind = Code(vocab.OPERATOR_KINDS, load_default="none")
    name = Text()
    staff_fulltime = Count()
    staff_parttime = Count()


class ParkSchema(DossierPart):
    name = Text(blank=False, required=True)
    address = Text()
    contact_person = Text()
    phone = Text()
    property_ownership = Text()
    registration_date = Day()
    investment_wan = Amount(load_default=None, allow_none=True)
    build_mode = Code(vocab.BUILD_MODES, load_default="new")
    public_services = ListOf(Code(vocab.PUBLIC_SERVICES))
    offered_services = ListOf(Code(vocab.OFFERED_SERVICES))
    operator = Object(OperatorSchema, load_default=lambda: OperatorSchema().load({}))


class SiteSchema(DossierPart):
    name = Text(blank=False, required=True)
    address = Text()
    core = Flag()
    floor_area = Amount(required=True)
    approved_on = Day()


def declared_field(fact):
    """The dossier field of a shared field (core.rules.shared_facts), by its type."""
    if fact.type == "text":
        return Text(blank=not fact.required, required=fact.required)
    if fact.type == "code":
        return Code(fact.terms, load_default=fact.default)
    if fact.type == "codes":
        return ListOf(Code(fact.terms))
    if fact.type in ("money", "area"):
        return Amount(load_default=Decimal("0.00"))
    return {"year": Year, "count": Count, "bool": Flag, "date": Day}[fact.type]()


def record_schema(name, record):
    """The dossier schema of a shared record, one field per declared field (core.rules.shared_facts)."""
    return type(name, (DossierPart,), {fact.id: declared_field(fact) for fact in shared_facts.fields_of(record)})


def record_as_dict(facts, record) -> dict:
    """A record's facts (core.rules.facts' dataclass) as the dossier writes them, in declared order."""
    return {fact.id: getattr(facts, fact.id) for fact in shared_facts.fields_of(record)}


AgencyYearSchema = record_schema("AgencyYearSchema", "agency_year")


class AgencySchema(record_schema("AgencyFields", "agency")):
    years = ListOf(Object(AgencyYearSchema))

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def check_years_and_dates(self, data, original_data, **kwargs):
        errors = {}
        if isinstance(original_data, Mapping):
            errors.update(_duplicate_errors(original_data, "years", _year_of, "year", "年份", "year", ("本机构", " of this agency")))
        admitted, exited = data.get("admitted_on"), data.get("exited_on")
        if admitted and exited and exited < admitted:
            errors["exited_on"] = [
                f"退出日期 {exited} 早于入驻日期 {admitted} / Exit date {exited} is before admission date {admitted}."
            ]
        if errors:
            raise ValidationError(errors)


class DeclaredFacts(Bilingual, fields.Dict):
    """Facts a programme declares (its facts.yaml), by id: checked against the declarations of the
    dossier's jurisdiction once the whole dossier is read (`check_declared_facts`); ids no
    installed programme declares are kept as given."""

    default_error_messages = {"invalid": NOT_OBJECT}

    def __init__(self, owner, **kwargs):
        self.owner = owner  # the record the facts belong to (core.rules.fact_declarations.OWNERS)
        super().__init__(keys=fields.String(), load_default=dict, **kwargs)

    def json_schema(self):
        """An object with a property per fact the installed programmes declare for this record."""
        from core.plugin.registry import registry

        properties = {}
        for jurisdiction in registry():
            for fact in jurisdiction.facts().values():
                if fact.owner == self.owner:
                    described = properties.setdefault(fact.id, {**FACT_TYPES[fact.type](fact), "description": [
                        f"{fact.name_zh} / {fact.name_en}"]})
                    described["description"].append(f"{jurisdiction.info.name}{fact.article}")
        for described in properties.values():
            name, *cited = described["description"]
            described["description"] = f"{name}（{'；'.join(cited)}）"
        return {"type": "object", "properties": properties}


#: The JSON Schema of a declared fact's value, by its type.
FACT_TYPES = {
    "bool": lambda fact: {"type": "boolean"},
    "int": lambda fact: {"type": "integer"},
    "decimal": lambda fact: {"type": ["number", "string"]},
    "text": lambda fact: {"type": "string"},
    "choice": lambda fact: {"type": "string", "enum": list(fact.choices)},
    "list_of_text": lambda fact: {"type": "array", "items": {"type": "string"}},
}


ParkYearSchema = type("ParkYearSchema", (record_schema("ParkYearFigures", "park_year"),), {"facts": DeclaredFacts("park_year")})


class JurisdictionYearSchema(DossierPart):
    """A jurisdiction's facts of a year that its programme declares (owner jurisdiction_year)."""

    year = Year()
    facts = DeclaredFacts("jurisdiction_year")


class RecognitionSchema(DossierPart):
    recognised_on = Day(required=True, allow_none=False)
    status = Code(vocab.RECOGNITION_STATUSES, load_default="active")
    revoked_on = Day()

    @validates_schema(skip_on_field_errors=False)
    def check_revocation(self, data, **kwargs):
        recognised, revoked = data.get("recognised_on"), data.get("revoked_on")
        if revoked and data.get("status") not in (None, "revoked"):
            raise ValidationError(
                {"revoked_on": ["只有状态为 revoked（已取消资格）时才填写取消日期 / Only a revoked recognition has a revocation date."]}
            )
        if recognised and revoked and revoked < recognised:
            raise ValidationError(
                {"revoked_on": [f"取消日期 {revoked} 早于认定日期 {recognised} / Revoked {revoked}, before recognition on {recognised}."]}
            )


class AssessmentSchema(DossierPart):
    year = Year()
    grade = Code(vocab.GRADES, required=True)
    rectification = Code(vocab.RECTIFICATION_OUTCOMES, load_default=None, allow_none=True)


class DossierSchema(DossierPart):
    format = Choice([FORMAT], required=True)
    jurisdiction = Text(blank=False, required=True)
    description = Text()
    park = Object(ParkSchema, required=True)
    sites = ListOf(Object(SiteSchema))
    agencies = ListOf(Object(AgencySchema))
    park_years = ListOf(Object(ParkYearSchema))
    facts = DeclaredFacts("park")
    jurisdiction_years = ListOf(Object(JurisdictionYearSchema))
    recognition = Object(RecognitionSchema, load_default=None, allow_none=True)
    assessments = ListOf(Object(AssessmentSchema))
    ladder = WrittenOnExport(ParkLadder, metadata={
        "description": "导出日计算的认定层级，只读，导入时忽略 / the park's ladder on the export day: output only, ignored on load"})

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def check_uniqueness(self, data, original_data, **kwargs):
        if not isinstance(original_data, Mapping):
            return
        errors = {}
        for part in (
            _duplicate_errors(original_data, "sites", _text_of("name"), "name", "名称", "name"),
            _duplicate_errors(original_data, "agencies", _text_of("licence_no"), "licence_no", "许可证/备案编号", "licence number"),
            _duplicate_errors(original_data, "park_years", _year_of, "year", "年份", "year"),
            _duplicate_errors(original_data, "jurisdiction_years", _year_of, "year", "年份", "year"),
            _duplicate_errors(original_data, "assessments", _year_of, "year", "年份", "year"),
        ):
            errors.update(part)
        if errors:
            raise ValidationError(errors)


def _flatten(messages, path=()):
    """marshmallow's nested error dict as [(dotted path, message)], in document order."""
    if isinstance(messages, Mapping):
        return [error for key, value in messages.items()
                for error in _flatten(value, path if key == "_schema" else path + (str(key),))]
    if isinstance(messages, (list, tuple)):
        return [error for item in messages for error in _flatten(item, path)]
    return [(".".join(path), str(messages))]


def upgrade_first_format(data):
    """A dossier of the first format in today's: a park-year's keys that are not shared figures
    go to its `facts`, and `employment_targets` become `jurisdiction_years` with their facts."""
    if not isinstance(data, Mapping) or data.get("format") != FIRST_FORMAT:
        return data
    figures = set(shared_facts.names_of("park_year"))

    def year_with_facts(item, kept):
        if not isinstance(item, Mapping):
            return item
        return {**{k: v for k, v in item.items() if k in kept}, "facts": {k: v for k, v in item.items() if k not in kept}}

    upgraded = {key: value for key, value in data.items() if key != "employment_targets"}
    upgraded["format"] = FORMAT
    if isinstance(data.get("park_years"), list):
        upgraded["park_years"] = [year_with_facts(item, figures) for item in data["park_years"]]
    if "employment_targets" in data:
        targets = data["employment_targets"]
        upgraded["jurisdiction_years"] = [year_with_facts(t, {"year"}) for t in targets] if isinstance(targets, list) else targets
    return upgraded


def check_declared_facts(content, declared):
    """Clean each declared fact of `content` by its declaration (`declared`: {id: FactDeclaration})
    where the dossier has it; DossierError naming every value that does not fit, or that sits on
    another record than the one its declaration names."""
    from core.rules.fact_declarations import FactValueError

    errors = []

    def clean(values, owner, where):
        for key, value in values.items():
            fact = declared.get(key)
            if fact is None:
                continue
            if fact.owner != owner:
                errors.append((f"{where}.{key}", f"{fact.name_zh}应记在 {fact.owner} 上，不在 {owner} / "
                                                 f"{fact.name_en} belongs to the {fact.owner}, not the {owner}."))
                continue
            try:
                values[key] = fact.clean(value)
            except FactValueError as exc:
                errors.append((f"{where}.{key}", str(exc)))

    clean(content["facts"], "park", "facts")
    for index, year in enumerate(content["park_years"]):
        clean(year["facts"], "park_year", f"park_years.{index}.facts")
    for index, year in enumerate(content["jurisdiction_years"]):
        clean(year["facts"], "jurisdiction_year", f"jurisdiction_years.{index}.facts")
    if errors:
        raise DossierError(errors)
    return content


def _declared_facts(code, reg=None):
    """The facts the programme of jurisdiction `code` declares; none when no plugin has that code."""
    from core.plugin.registry import registry

    reg = reg or registry()
    return reg.get(code).facts() if code in reg.codes() else {}


def validate_dossier(data, reg=None) -> dict:
    """The dossier's content, typed (Decimal, date) with defaults filled and its declared facts
    cleaned by their declarations; DossierError if wrong."""
    try:
        content = DossierSchema().load(upgrade_first_format(data))
    except ValidationError as exc:
        raise DossierError(_flatten(exc.messages)) from None
    return check_declared_facts(content, _declared_facts(content["jurisdiction"], reg))


# --- from a dossier to the facts the rules read ---------------------------------------------------


@dataclass
class DossierExtras:
    """What a dossier carries besides the park's facts: inputs to subsidy and grade what-ifs."""

    jurisdiction: str
    description: str = ""
    recognised_on: datetime.date | None = None
    recognition_status: str | None = None
    revoked_on: datetime.date | None = None
    assessments: list = field(default_factory=list)  # GradeRecord, oldest first

    @property
    def grades(self) -> dict:
        return {record.year: record.grade for record in self.assessments}

    def subsidy_context(self, park, year) -> SubsidyContext:
        return SubsidyContext(
            park=park,
            year=year,
            recognised_on=self.recognised_on,
            recognition_status=self.recognition_status,
            revoked_on=self.revoked_on,
            grades=self.grades,
            rectifications={r.year: r.rectification for r in self.assessments if r.rectification},
        )


def _park_values(park) -> dict:
    """A dossier's `park` and its operator as one dict of ParkFacts' (and the Park model's) fields."""
    operator = park["operator"]
    return {**{name: park[name] for name in PARK_FIELDS},
            **{attribute: operator[key] for key, attribute in OPERATOR_FIELDS.items()}}


def _site_values(site) -> dict:
    return {attribute: site[key] for key, attribute in SITE_FIELDS.items()}


def _known_facts(content) -> dict:
    return {k: v for k, v in content["facts"].items() if v is not None}


def _facts_from_content(content) -> ParkFacts:
    agencies = []
    for a in content["agencies"]:
        years = {y["year"]: AgencyYearFacts(**y) for y in a["years"]}
        agencies.append(AgencyFacts(**{k: v for k, v in a.items() if k != "years"}, years=years))
    return ParkFacts(
        jurisdiction=content["jurisdiction"],
        **_park_values(content["park"]),
        facts=_known_facts(content),
        sites=[SiteFacts(**_site_values(s)) for s in content["sites"]],
        agencies=agencies,
        years={y["year"]: ParkYearFacts(**y) for y in content["park_years"]},
        jurisdiction_years={t["year"]: JurisdictionYearFacts(t["year"], dict(t["facts"])) for t in content["jurisdiction_years"]},
    )


def _extras_from_content(content) -> DossierExtras:
    recognition = content["recognition"] or {}
    return DossierExtras(
        jurisdiction=content["jurisdiction"],
        description=content["description"],
        recognised_on=recognition.get("recognised_on"),
        recognition_status=recognition.get("status"),
        revoked_on=recognition.get("revoked_on"),
        assessments=[
            GradeRecord(a["year"], a["grade"], a["rectification"])
            for a in sorted(content["assessments"], key=lambda a: a["year"])
        ],
    )


def load_dossier(data) -> tuple[ParkFacts, DossierExtras]:
    """(ParkFacts, DossierExtras) from a parsed dossier; DossierError listing every problem."""
    content = validate_dossier(data)
    return _facts_from_content(content), _extras_from_content(content)


def read_json(path) -> object:
    """A JSON file parsed with decimals kept exact; DossierError (path: the file) if missing or malformed."""
    path = Path(path)
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DossierError([(where, "文件不存在 / File not found.")]) from None
    except IsADirectoryError:
        raise DossierError([(where, "这是目录而不是文件 / Is a directory, not a file.")]) from None
    except UnicodeDecodeError:
        raise DossierError([(where, "文件不是 UTF-8 编码 / File is not UTF-8 text.")]) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DossierError(
            [(where, f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列：{exc.msg}） / Malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]
        ) from None


def load_dossier_file(path) -> tuple[ParkFacts, DossierExtras]:
    return load_dossier(read_json(path))


# --- from facts back to a dossier ---------------------------------------------------------------


def facts_to_dossier(facts: ParkFacts, extras: DossierExtras | None = None) -> dict:
    """The dossier of `facts` (money as decimal strings), in the order docs/dossier.md lists."""
    content = {
        "format": FORMAT,
        "jurisdiction": extras.jurisdiction if extras else facts.jurisdiction,
        "description": extras.description if extras else "",
        "park": {
            **{name: getattr(facts, name) for name in PARK_FIELDS},
            "operator": {key: getattr(facts, attribute) for key, attribute in OPERATOR_FIELDS.items()},
        },
        "sites": [{key: getattr(s, attribute) for key, attribute in SITE_FIELDS.items()} for s in facts.sites],
        "agencies": [
            {**record_as_dict(a, "agency"), "years": [record_as_dict(y, "agency_year") for _, y in sorted(a.years.items())]}
            for a in facts.agencies
        ],
        "park_years": [{**record_as_dict(y, "park_year"), "facts": dict(y.facts)} for _, y in sorted(facts.years.items())],
        "facts": dict(facts.facts),
        "jurisdiction_years": [{"year": t.year, "facts": dict(t.facts)} for _, t in sorted(facts.jurisdiction_years.items())],
        "recognition": None,
        "assessments": [],
    }
    if extras and extras.recognised_on:
        content["recognition"] = {
            "recognised_on": extras.recognised_on,
            "status": extras.recognition_status or "active",
            "revoked_on": extras.revoked_on,
        }
    if extras:
        content["assessments"] = [
            {"year": r.year, "grade": r.grade, "rectification": r.rectification} for r in extras.assessments
        ]
    dumped = DossierSchema().dump(content)
    return json.loads(json.dumps(dumped, ensure_ascii=False, default=json_default))


def json_default(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def normalise_dossier(data) -> dict:
    """A dossier as export writes it: defaults filled in, money as two-place strings."""
    facts, extras = load_dossier(data)
    return facts_to_dossier(facts, extras)


# --- the database: export and import --------------------------------------------------------------


def export_dossier(park_id, on=None, reg=None) -> dict:
    """The dossier of park `park_id` in the bound database, with its latest recognition and
    confirmed assessments (as evaluation inputs), and its ladder on `on` (default today) under the
    installed programmes (output only: load discards it)."""
    from core.rules.facts import load_park_facts
    from core.records.models import Assessment, Park, Recognition, Rectification
    from core.rules.programmes import ladder, ladder_as_dict

    facts = load_park_facts([park_id]).get(park_id)
    if facts is None:
        raise DossierError([("park_id", f"园区 #{park_id} 不存在 / Park #{park_id} does not exist.")])
    extras = DossierExtras(jurisdiction=facts.jurisdiction)
    recognition = (
        Recognition.select().where(Recognition.park == park_id).order_by(Recognition.recognised_on.desc(), Recognition.id.desc()).first()
    )
    if recognition is not None:
        extras.recognised_on = recognition.recognised_on
        extras.recognition_status = recognition.status
        extras.revoked_on = recognition.revoked_on
        assessments = (
            Assessment.select()
            .where((Assessment.recognition == recognition) & (Assessment.status == "confirmed") & Assessment.grade.is_null(False))
            .order_by(Assessment.year, Assessment.id)
        )
        by_year = {a.year: a for a in assessments}  # a later confirmed row of the same year wins
        outcomes = {}
        if by_year:
            for r in Rectification.select().where(Rectification.assessment.in_([a.id for a in by_year.values()])).order_by(Rectification.id):
                outcomes[r.assessment_id] = r.outcome
        extras.assessments = [GradeRecord(y, a.grade, outcomes.get(a.id)) for y, a in sorted(by_year.items())]
    dossier = facts_to_dossier(facts, extras)
    on = on or datetime.date.today()
    dossier["ladder"] = ladder_as_dict(ladder(Park.get_by_id(park_id), on=on, reg=reg, facts=facts), on)
    return dossier


def import_dossier(data, actor, reg=None):
    """Create the park of a dossier, its sites, agencies, figures and the city's employment
    targets, in one transaction; nothing is written when anything is wrong. Returns the Park.

    Recognition and assessments in the dossier are evaluation inputs only: they are not imported
    (a recognition is made by the review procedure, an assessment by the assessors).
    """
    from core.records import audit
    from core.records.db import database
    from core.records.models import Agency, AgencyYear, Jurisdiction, JurisdictionYear, Park, ParkYear, Site
    from core.plugin.registry import sync_jurisdictions

    content = validate_dossier(data, reg)
    park_data = content["park"]
    with audit.acting_as(actor), database.atomic():
        sync_jurisdictions(reg)
        jurisdiction = Jurisdiction.get_or_none(Jurisdiction.code == content["jurisdiction"])
        if jurisdiction is None:
            known = ", ".join(j.code for j in Jurisdiction.select().order_by(Jurisdiction.code)) or "无 none"
            raise DossierError(
                [("jurisdiction", f"辖区 “{content['jurisdiction']}” 不存在，已有：{known} / Unknown jurisdiction; known: {known}.")]
            )
        existing = Park.get_or_none((Park.jurisdiction == jurisdiction) & (Park.name == park_data["name"]))
        if existing is not None:
            raise DossierError(
                [(
                    "park.name",
                    f"{jurisdiction.name_zh}已有同名园区“{park_data['name']}”（#{existing.id}） / "
                    f"A park named {park_data['name']!r} already exists in {jurisdiction.name_en or jurisdiction.code} (#{existing.id}).",
                )]
            )
        years_to_create = _jurisdiction_years_to_create(content["jurisdiction_years"], jurisdiction, JurisdictionYear)
        park = Park.create(jurisdiction=jurisdiction, **_park_values(park_data), facts=_known_facts(content))
        for s in content["sites"]:
            Site.create(park=park, **_site_values(s))
        for a in content["agencies"]:
            agency = Agency.create(park=park, **{k: v for k, v in a.items() if k != "years"})
            for y in a["years"]:
                AgencyYear.create(agency=agency, **y)
        for y in content["park_years"]:
            ParkYear.create(park=park, **y)
        for year in years_to_create:
            JurisdictionYear.create(jurisdiction=jurisdiction, **year)
    return park


def _jurisdiction_years_to_create(years, jurisdiction, JurisdictionYear):
    """The jurisdiction's yearly facts it has not entered yet; a value differing from an entered one is an error."""
    entered = {row.year: row.facts or {} for row in JurisdictionYear.select().where(JurisdictionYear.jurisdiction == jurisdiction)}
    to_create, errors = [], []
    for index, given in enumerate(years):
        if given["year"] not in entered:
            to_create.append(given)
            continue
        for key, value in given["facts"].items():
            if entered[given["year"]].get(key) != value:
                errors.append((
                    f"jurisdiction_years.{index}.facts.{key}",
                    f"{jurisdiction.name_zh}{given['year']}年已录入 {key} 为 {entered[given['year']].get(key)}，与档案（{value}）不一致 / "
                    f"{key} of {given['year']} is already entered as {entered[given['year']].get(key)}, not the dossier's {value}.",
                ))
    if errors:
        raise DossierError(errors)
    return to_create


# --- JSON Schema ----------------------------------------------------------------------------------


def _field_schema(f):
    if isinstance(f, fields.Nested):
        schema = _object_schema(f.schema)
    elif isinstance(f, fields.List):
        schema = {"type": "array", "items": _field_schema(f.inner)}
    else:
        schema = f.json_schema()
    if f.allow_none and not isinstance(f, Day):
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def _object_schema(schema_instance):
    properties = {name: _field_schema(f) for name, f in schema_instance.fields.items()}
    required = [name for name, f in schema_instance.fields.items() if f.required]
    result = {"type": "object", "properties": properties}
    if required:
        result["required"] = required
    if schema_instance.unknown == RAISE:
        result["additionalProperties"] = False
    if schema_instance.__doc__ and type(schema_instance) is not DossierSchema:
        result["description"] = schema_instance.__doc__.strip().splitlines()[0]
    return result


def dossier_json_schema() -> dict:
    """A JSON Schema (draft 2020-12) of the dossier, generated from the same marshmallow schemas.

    It checks shape, types and codes; the loader also checks what JSON Schema cannot say simply
    (unique names, years and licence numbers; exit after admission; at most two decimal places).
    """
    schema = _object_schema(DossierSchema())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://hrpark.example/schemas/hrpark-dossier-2.json",
        "title": "人力资源服务产业园档案 / HR service industrial park dossier (" + FORMAT + ")",
        **schema,
    }
