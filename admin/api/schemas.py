"""The API's marshmallow schemas: what each resource looks like in JSON, the bodies a park
operator may send, and the query parameters of the lists. The OpenAPI document is generated from
these same classes, so the document and the behaviour cannot drift apart.

Money and scores are decimal strings ("1234.50"), never floats; dates are YYYY-MM-DD; times are
local (Asia/Shanghai) without an offset. Input fields reuse the park dossier's fields
(core.io.dossier): the same checks, the same bilingual messages.
"""
import re
from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

from core.rules import shared_facts
from core.records import vocab
from core.records.bounds import OutOfBounds
from core.io.dossier import Amount, Count, DossierPart, Text, Year, declared_field
from core.io.ladder_schema import ParkLadder

CENT = Decimal("0.01")
MAX_ID = 2_147_483_647
MAX_COUNT = 2_147_483_647
MAX_TEXT = 255  # the VARCHAR columns' size


# --- output fields -----------------------------------------------------------------------------


class DecimalString(fields.Field):
    """A Decimal as a string with two places: "1234.50"."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(Decimal(value).quantize(CENT), "f")

    def json_schema(self):
        return {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}


class LocalDateTime(fields.Field):
    """A local time, ISO 8601 without an offset: "2025-10-11T09:30:00"."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()

    def json_schema(self):
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"}


class IsoDate(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.isoformat()

    def json_schema(self):
        return {"type": "string", "format": "date"}


def decimal_out(metadata=None, **kwargs):
    return DecimalString(metadata={"pattern": r"^-?\d+\.\d{2}$", **(metadata or {})}, **kwargs)


def date_out(**kwargs):
    return IsoDate(metadata={"pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}, **kwargs)


def codes_out(vocabulary, **kwargs):
    return fields.List(fields.String(metadata={"enum": vocabulary.codes()}), **kwargs)


def code_out(vocabulary, **kwargs):
    return fields.String(metadata={"enum": vocabulary.codes(), "description": "、".join(f"{t.code} {t.zh}" for t in vocabulary)}, **kwargs)


class Out(Schema):
    class Meta:
        ordered = True


class JurisdictionOut(Out):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name_zh = fields.String(required=True)
    name_en = fields.String(required=True)
    level = code_out(vocab.JURISDICTION_LEVELS, required=True)
    parent_id = fields.Integer(allow_none=True, required=True)


class ParkOut(Out):
    id = fields.Integer(required=True)
    jurisdiction_id = fields.Integer(required=True)
    name = fields.String(required=True)
    address = fields.String(required=True)
    contact_person = fields.String(required=True)
    phone = fields.String(required=True)
    property_ownership = fields.String(required=True)
    registration_date = date_out(allow_none=True, required=True)
    investment_wan = decimal_out(allow_none=True, required=True, metadata={"description": "建设投入资金（万元） / investment in 10,000 yuan"})
    build_mode = code_out(vocab.BUILD_MODES, required=True)
    public_services = codes_out(vocab.PUBLIC_SERVICES, required=True)
    offered_services = codes_out(vocab.OFFERED_SERVICES, required=True)
    operator_kind = code_out(vocab.OPERATOR_KINDS, required=True)
    operator_name = fields.String(required=True)
    staff_fulltime = fields.Integer(required=True)
    staff_parttime = fields.Integer(required=True)
    created_at = LocalDateTime(required=True)
    version = fields.Integer(required=True)


class ParkDetailOut(ParkOut):
    """One park, with its ladder worked out on the day asked (the list leaves it out: it costs an
    evaluation per programme)."""

    ladder = fields.Nested(ParkLadder, required=True, metadata={
        "description": "认定层级：可申报的每一项办法，由近及远，已认定的注明年度，未认定的列出所差条件 / "
                       "every programme open to the park, nearest level first: recognised, or the conditions short"})


def _declared_out(fact):
    """The output field of a shared field (core.rules.shared_facts), by its type."""
    if fact.type in ("money", "area"):
        return decimal_out(required=True, metadata={"description": fact.description} if fact.description else None)
    if fact.type == "code":
        return code_out(fact.terms, required=True)
    if fact.type == "codes":
        return codes_out(fact.terms, required=True)
    if fact.type == "date":
        return date_out(allow_none=True, required=True)
    return {"bool": fields.Boolean, "text": fields.String}.get(fact.type, fields.Integer)(required=True)


def record_out(name, record, owner):
    """The output schema of a shared record: its id, its owner's id, the declared fields, its version."""
    declared = {fact.id: _declared_out(fact) for fact in shared_facts.fields_of(record)}
    return type(name, (Out,), {"id": fields.Integer(required=True), owner: fields.Integer(required=True),
                               **declared, "version": fields.Integer(required=True)})


AgencyOut = record_out("AgencyOut", "agency", "park_id")
AgencyYearOut = record_out("AgencyYearOut", "agency_year", "agency_id")
ParkYearOut = type("ParkYearOut", (record_out("ParkYearFiguresOut", "park_year", "park_id"),), {
    "facts": fields.Dict(keys=fields.String(), required=True, metadata={"description": "各项办法声明的本年度其他情况，按编号 / the year's facts its programme declares (facts.yaml), by id"})})


class CriterionResultOut(Out):
    id = fields.String(required=True)
    article = fields.String(required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    status = fields.String(required=True)
    final_status = fields.String(required=True)
    measured = fields.String(allow_none=True, required=True)
    required = fields.String(allow_none=True, required=True)
    explanation = fields.String(required=True)
    explanation_en = fields.String(required=True)
    verdict_remark = fields.String(required=True)
    waiver_reason = fields.String(required=True)


class EligibilityOut(Out):
    outcome = fields.String(required=True, metadata={"enum": ["eligible", "not_eligible", "pending", "incomplete"]})
    as_of = date_out(required=True)
    warnings = fields.List(fields.String(), required=True)
    results = fields.List(fields.Nested(CriterionResultOut), required=True)


class ApplicationOut(Out):
    id = fields.Integer(required=True)
    park_id = fields.Integer(required=True)
    jurisdiction_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    state = fields.String(required=True)
    created_at = LocalDateTime(required=True)
    submitted_at = LocalDateTime(allow_none=True, required=True)
    version = fields.Integer(required=True)


class ApplicationDetailOut(ApplicationOut):
    eligibility = fields.Nested(EligibilityOut, allow_none=True, required=True)


class RecognitionOut(Out):
    id = fields.Integer(required=True)
    park_id = fields.Integer(required=True)
    jurisdiction_id = fields.Integer(required=True)
    application_id = fields.Integer(allow_none=True, required=True)
    official_name = fields.String(required=True)
    recognised_on = date_out(required=True)
    status = code_out(vocab.RECOGNITION_STATUSES, required=True)
    revoked_on = date_out(allow_none=True, required=True)
    revocation_reason = fields.String(required=True)
    revocation_article = fields.String(required=True)
    document_number = fields.String(required=True)


class AssessmentOut(Out):
    id = fields.Integer(required=True)
    recognition_id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    total_score = decimal_out(allow_none=True, required=True)
    grade = fields.String(allow_none=True, required=True, metadata={"enum": vocab.GRADES.codes() + [None]})
    status = fields.String(required=True)
    assessed_on = date_out(allow_none=True, required=True)


class SubsidyOut(Out):
    id = fields.Integer(required=True)
    park_id = fields.Integer(required=True)
    jurisdiction_id = fields.Integer(required=True)
    recognition_id = fields.Integer(allow_none=True, required=True)
    kind = fields.String(required=True)
    year = fields.Integer(required=True)
    amount = decimal_out(required=True)
    rule_id = fields.String(required=True)
    article = fields.String(required=True)
    explanation = fields.String(required=True)
    status = code_out(vocab.SUBSIDY_STATUSES, required=True)
    status_reason = fields.String(required=True)
    status_changed_at = LocalDateTime(allow_none=True, required=True)
    paid_on = date_out(allow_none=True, required=True)
    payment_voucher = fields.String(required=True)
    fund_source = fields.String(required=True)
    amount_concerned = decimal_out(allow_none=True, required=True, metadata={
        "description": "不予兑现、取消或追回所涉金额 / the amount a withholding, cancellation or recovery concerned"})


class LedgerEntryOut(Out):
    id = fields.Integer(required=True)
    park_id = fields.Integer(required=True)
    subsidy_id = fields.Integer(allow_none=True, required=True)
    project = fields.String(required=True)
    category = fields.String(required=True)
    amount = decimal_out(required=True)
    date = date_out(required=True)
    voucher = fields.String(required=True)
    description = fields.String(required=True)
    status = fields.String(required=True)
    cancel_reason = fields.String(required=True)
    review = fields.String(required=True, metadata={
        "enum": ["", *vocab.LEDGER_REVIEWS.codes()],
        "description": "空：未提示禁止用途 / nothing flagged；" + "、".join(f"{t.code} {t.zh}" for t in vocab.LEDGER_REVIEWS)})
    review_found = fields.String(required=True, metadata={"description": "发现的禁止用途词语及条款 / the words of a forbidden use found, with the article"})
    review_found_en = fields.String(required=True)
    review_reason = fields.String(required=True)
    reviewed_by = fields.String(required=True)
    reviewed_at = LocalDateTime(allow_none=True, required=True)


class ErrorOut(Out):
    """Every error answers with this body; `errors` names each field that is wrong."""

    status = fields.Integer(required=True)
    message = fields.String(required=True, metadata={"description": "中文 — English"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


#: Above this many matching rows a list stops counting (its `total` and `pages` are null): an exact
#: count of a province's quarter-million yearly figures would cost every page a full scan.
COUNT_LIMIT = 10_000


def page_of(item_schema):
    """The schema of one page of a list of `item_schema`."""
    return type(
        f"{item_schema.__name__.removesuffix('Out')}Page",
        (Out,),
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "page": fields.Integer(required=True, allow_none=True, metadata={
                "description": "页码；按键集（after_id、before_id、last）翻页时为 null / the page number; null on a keyset page"}),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True, allow_none=True, metadata={
                "description": f"符合条件的记录数；超过{COUNT_LIMIT}条时为 null / matching records; null above {COUNT_LIMIT}"}),
            "pages": fields.Integer(required=True, allow_none=True, metadata={
                "description": "总页数（total 为 null 时亦为 null）/ number of pages (null when total is)"}),
            "next": fields.String(required=True, allow_none=True, metadata={
                "description": "下一页的地址（键集分页），没有更多记录时为 null / the next page's URL (keyset), null at the end"}),
            "prev": fields.String(required=True, allow_none=True, metadata={
                "description": "上一页的地址（键集分页），前面没有记录时为 null / the previous page's URL (keyset), null at the start"}),
            "first": fields.String(required=True, metadata={"description": "第一页的地址 / the first page's URL"}),
            "last": fields.String(required=True, metadata={
                "description": "最后一页的地址（键集分页）/ the last page's URL (keyset)"}),
        },
    )


# --- input: what a park operator sends -----------------------------------------------------------

NO_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class BoundedText(Text):
    """Text that fits its column: at most 255 characters (VARCHAR), no control characters."""

    default_error_messages = {
        "too_long": f"不能超过{MAX_TEXT}个字符 / At most {MAX_TEXT} characters.",
        "control": "不能含有控制字符 / May not contain control characters.",
    }

    def __init__(self, *, max_length=MAX_TEXT, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if NO_CONTROL.search(text):
            raise self.make_error("control")
        if self.max_length is not None and len(text) > self.max_length:
            raise self.make_error("too_long")
        return text

    def json_schema(self):
        schema = dict(super().json_schema())
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema


def _within(bounds, number):
    """`number`, or a ValidationError saying which of its column's bounds (core.records.bounds) it breaks."""
    try:
        return bounds.check(number)
    except OutOfBounds as exc:
        raise ValidationError(str(exc)) from None


class _WithinBounds:
    """A whole-number field held to its figure's bounds (core.records.bounds, as core.rules.shared_facts declares
    them: the forms and the import hold the column to the same)."""

    def __init__(self, bounds, **kwargs):
        self.bounds = bounds
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return _within(self.bounds, super()._deserialize(value, attr, data, **kwargs))

    def json_schema(self):
        return {"type": "integer", **self.bounds.json_schema()}


class BoundedCount(_WithinBounds, Count):
    """A count within its bounds."""


class BoundedYear(_WithinBounds, Year):
    """A year within its bounds (core.records.bounds.YEAR)."""


class BoundedAmount(Amount):
    """Yuan as a JSON number or a decimal string, within its bounds (core.records.bounds: not negative, at
    most two places, at most the column's size)."""

    def __init__(self, bounds, **kwargs):
        self.bounds = bounds
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) > 40:
            raise self.make_error("invalid")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > self.bounds.maximum * 10:
            _within(self.bounds, self.bounds.maximum * 10)  # refused before Decimal arithmetic meets a huge exponent
        try:
            number = super()._deserialize(value, attr, data, **kwargs)
        except ArithmeticError:
            raise self.make_error("invalid") from None
        return _within(self.bounds, number)

    def json_schema(self):
        return {"anyOf": [{"type": "number", **self.bounds.json_schema()},
                          {"type": "string", "pattern": self.STRING_PATTERN, "maxLength": 40}]}


class Version(Count):
    """The version read, for optimistic locking: a change to a newer record is refused (409)."""

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def json_schema(self):
        return {"type": "integer", "minimum": 1, "maximum": MAX_COUNT}


class Input(DossierPart):
    """Unknown keys are refused: a misspelt key would otherwise be silently ignored."""

    class Meta:
        unknown = RAISE
        ordered = True


def declared_in(fact):
    """The input field of a shared field (core.rules.shared_facts), held to its bounds and its column's size."""
    if fact.type == "text":
        return BoundedText(blank=not fact.required, required=fact.required, max_length=4000 if fact.long else MAX_TEXT)
    if fact.type == "year":
        return BoundedYear(fact.bounds)
    if fact.type in ("money", "area"):
        return BoundedAmount(fact.bounds, load_default=Decimal("0.00"))
    if fact.type == "count":
        return BoundedCount(fact.bounds)
    return declared_field(fact)  # a flag, a date or codes: as the dossier reads them


def record_in(name, record):
    """The body a park operator sends for a shared record: one field per declared field."""
    return type(name, (Input,), {fact.id: declared_in(fact) for fact in shared_facts.fields_of(record)})


class AgencyIn(record_in("AgencyFieldsIn", "agency")):
    @validates_schema(skip_on_field_errors=False)
    def check_dates(self, data, **kwargs):
        admitted, exited = data.get("admitted_on"), data.get("exited_on")
        if admitted and exited and exited < admitted:
            raise ValidationError({"exited_on": [f"退出日期 {exited} 早于入驻日期 {admitted} / Exit date is before admission."]})


AgencyYearIn = record_in("AgencyYearIn", "agency_year")
ParkYearIn = type("ParkYearIn", (record_in("ParkYearFiguresIn", "park_year"),), {
    "facts": fields.Dict(keys=fields.String(), load_default=dict, metadata={"description": "各项办法声明的本年度其他情况，按编号 / the year's facts its programme declares (facts.yaml), by id"})})


def changes_of(schema_class):
    """The PATCH body of `schema_class`, as an instance: every field optional (absent ones are
    left as they are), and the version read required."""
    changes = type(schema_class.__name__.replace("In", "Changes"), (schema_class,), {"version": Version()})
    return changes(partial=tuple(name for name in schema_class._declared_fields))


AgencyChanges = changes_of(AgencyIn)
AgencyYearChanges = changes_of(AgencyYearIn)
ParkYearChanges = changes_of(ParkYearIn)


# --- query parameters of the lists ---------------------------------------------------------------


class QueryInt(fields.Integer):
    """An id or a number in the query string: digits only, within the database's integer range."""

    default_error_messages = {
        "invalid": "不是有效的整数 / Not a valid integer.",
        "range": f"应在1至{MAX_ID}之间 / Must be between 1 and {MAX_ID}.",
    }

    def __init__(self, minimum=1, maximum=MAX_ID, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,12}", value):
            raise self.make_error("invalid")
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise ValidationError(f"应在{self.minimum}至{self.maximum}之间 / Must be between {self.minimum} and {self.maximum}.")
        return number

    def json_schema(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


class QueryCode(fields.String):
    def __init__(self, choices, **kwargs):
        self.choices = list(choices)
        super().__init__(metadata={"enum": self.choices}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text not in self.choices:
            raise ValidationError(f"可选：{', '.join(self.choices)} / One of: {', '.join(self.choices)}.")
        return text


class QueryText(fields.String):
    """A short code in the query string (at most 64 characters, no control characters)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {"maxLength": 64, "pattern": r"^[A-Za-z0-9_.-]*$", **kwargs["metadata"]}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 64 or not re.fullmatch(r"[A-Za-z0-9_.-]*", text):
            raise ValidationError("应为最多64个英文字母、数字或 _ . - / At most 64 letters, digits or _ . -")
        return text


#: `page=last`: the last page, read backwards from the greatest id (keyset).
LAST_PAGE = "last"


class QueryPage(fields.Field):
    """A page number (from 1) or `last`."""

    default_error_messages = {"invalid": "应为从1开始的页码或 last / A page number from 1, or `last`."}

    def _deserialize(self, value, attr, data, **kwargs):
        if value == LAST_PAGE:
            return LAST_PAGE
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,12}", value) or not 1 <= int(value) <= MAX_ID:
            raise self.make_error("invalid")
        return int(value)

    def json_schema(self):
        return {"oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": [LAST_PAGE]}]}


class PageQuery(Schema):
    """page (a number from 1, or `last`), after_id or before_id (keyset), and per_page (1–100, default 20);
    unknown parameters are refused."""

    class Meta:
        unknown = RAISE

    page = QueryPage(load_default=1, metadata={
        "description": "页码，从1开始，或 last（最后一页）/ page number, from 1, or `last` (the last page)"})
    per_page = QueryInt(maximum=100, load_default=20, metadata={"description": "每页条数（1–100） / items per page"})
    after_id = QueryInt(minimum=0, metadata={
        "description": "只返回编号大于此值的记录（键集分页，按 next 链接翻页，适合同步大量数据）/ "
                       "only records with a greater id (keyset pagination: follow `next`; for syncing large lists)"})
    before_id = QueryInt(metadata={
        "description": "只返回编号小于此值的最后一页记录（键集分页，按 prev 链接向前翻页）/ "
                       "the records just before this id (keyset pagination backwards: follow `prev`)"})

    @validates_schema
    def _one_way_of_paging(self, data, **kwargs):
        ways = [name for name in ("after_id", "before_id") if data.get(name) is not None]
        if data.get("page", 1) != 1:
            ways.insert(0, "page")
        if len(ways) > 1:
            raise ValidationError(f"{' 与 '.join(ways)} 不能同时使用 / Use only one of {', '.join(ways)}.", ways[0])
        # A numbered page starts at the id found by walking the ids before it: numbers reach as far as
        # the count does; beyond, the keyset (after_id, before_id, `last`) costs the same anywhere.
        number = data.get("page", 1)
        if number != LAST_PAGE and (number - 1) * data.get("per_page", 20) >= COUNT_LIMIT:
            raise ValidationError(
                f"页码只能翻到前{COUNT_LIMIT}条记录，之后请用 after_id（按 next 链接）翻页，或 page=last / "
                f"Numbered pages reach the first {COUNT_LIMIT} records; beyond, page with after_id (follow `next`) "
                f"or page=last.",
                "page")


def query_schema(name, **filters):
    """A PageQuery with the list's own filters."""
    return type(name, (PageQuery,), filters)


def year_filter():
    return QueryInt(minimum=1990, maximum=2100, metadata={"description": "年度 / year"})
