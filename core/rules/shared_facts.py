"""The shared facts every programme reads — a park's agencies and their and the park's yearly
figures — declared once.

Each field is written here and nowhere else: its record, type, unit, names in zh and en, its
spreadsheet header and its bounds. The layers that carry a figure read this table instead of
writing the field out again: the facts loader and its dataclasses (core.rules.facts), the dossier's
schema and JSON Schema (core.io.dossier), the spreadsheet import and its template (core.io.tabular),
the API's schemas and so its OpenAPI document (admin.api.schemas), and the back office's labels,
units and columns (admin.presentation, admin.views.parks).

The database columns stay in core.records.models (a new column needs a migration); a test holds the two
to the same fields, types and bounds. Facts a single programme reads are declared by its plugin
(facts.yaml, core.rules.fact_declarations), not here.
"""
from dataclasses import dataclass
from decimal import Decimal

from core.records import vocab
from core.records.bounds import AREA, COUNT, MONEY, YEAR, Bounds

#: Records a shared field belongs to (the names of core.rules.fact_declarations.OWNERS).
RECORDS = ("agency", "park_year", "agency_year")
#: The records of a year's figures (a year, then figures).
YEARLY = ("park_year", "agency_year")
#: Types of a field, with the bounds a column of that type holds (core.records.bounds). A `code` is one
#: code of a core.records.vocab vocabulary, `codes` a list of them; a `long` text has no length limit.
TYPE_BOUNDS = {"year": YEAR, "money": MONEY, "area": AREA, "count": COUNT, "bool": None,
               "text": None, "date": None, "code": None, "codes": None}
#: The value a field has when nobody entered it.
ZEROS = {"money": Decimal("0.00"), "area": Decimal("0.00"), "count": 0, "bool": False, "text": ""}


@dataclass(frozen=True)
class SharedFact:
    """One field of a shared record. `unit` is a core.rules.formatting.UNITS key; `header` the Chinese
    spreadsheet header (the zh name when empty); `note` how to fill its spreadsheet column;
    `description` what the API's document says of it ("zh / en"); `vocabulary` the core.records.vocab
    name of a code's terms, `default` its code when none is given; `required` a field a record
    cannot be without; `long` a text longer than a line."""

    id: str
    record: str
    type: str
    zh: str
    en: str
    unit: str = ""
    header: str = ""
    header_en: str = ""
    note: str = ""
    description: str = ""
    vocabulary: str = ""
    default: str | None = None
    required: bool = False
    long: bool = False

    @property
    def bounds(self) -> Bounds | None:
        return TYPE_BOUNDS[self.type]

    @property
    def zero(self):
        return self.default if self.type == "code" else ZEROS.get(self.type)

    @property
    def terms(self):
        """The core.records.vocab vocabulary of a code or codes field."""
        return getattr(vocab, self.vocabulary)

    @property
    def spreadsheet_header(self) -> tuple[str, str]:
        return self.header or self.zh, self.header_en or self.en.lower()


def _year(record):
    return SharedFact("year", record, "year", "年度", "Year")


SHARED_FACTS = [
    SharedFact("name", "agency", "text", "机构名称", "Agency name", required=True),
    SharedFact("kind", "agency", "code", "机构性质", "Agency kind", vocabulary="AGENCY_KINDS", default="operating"),
    SharedFact("licence_kind", "agency", "code", "许可类型", "Licence kind", vocabulary="LICENCE_KINDS", default="licence"),
    SharedFact("licence_no", "agency", "text", "许可证/备案编号", "Licence number"),
    SharedFact("service_lines", "agency", "codes", "服务业态", "Service lines", vocabulary="SERVICE_LINES"),
    SharedFact("admitted_on", "agency", "date", "入驻日期", "Admitted on"),
    SharedFact("exited_on", "agency", "date", "退出日期", "Exited on"),
    SharedFact("exit_reason", "agency", "text", "退出原因", "Exit reason", long=True),
    _year("agency_year"),
    SharedFact("revenue", "agency_year", "money", "营业收入", "Revenue", unit="yuan",
               header="营业收入（元）", header_en="revenue (yuan)", note="不含代收代付 / excluding pass-through",
               description="营业收入（元，不含代收代付） / revenue in yuan"),
    SharedFact("pass_through", "agency_year", "money", "代收代付", "Collected and paid on behalf", unit="yuan",
               header="代收代付（元）", header_en="collected and paid on behalf (yuan)"),
    SharedFact("tax", "agency_year", "money", "纳税额", "Tax", unit="yuan", header="纳税额（元）", header_en="tax (yuan)"),
    SharedFact("employment_helped", "agency_year", "count", "帮助实现就业人数", "Employment helped", unit="persons",
               header="帮助就业人数"),
    _year("park_year"),
    SharedFact("events_held", "park_year", "count", "举办活动次数", "Events held", unit="events"),
    SharedFact("service_products", "park_year", "count", "服务产品数", "Service products", unit="items"),
    SharedFact("complaints_handled", "park_year", "count", "处理投诉数", "Complaints handled", unit="items"),
    SharedFact("employment_promoted", "park_year", "count", "促进就业人数", "Employment promoted", unit="persons"),
    SharedFact("people_served", "park_year", "count", "服务人次", "People served", unit="person_times"),
]


class SharedFactError(ValueError):
    """The table above is wrong; the message names the field."""


def check(declarations=None):
    """Refuse a declaration the layers could not derive from: an unknown record or type, a repeated id."""
    seen = set()
    for fact in SHARED_FACTS if declarations is None else declarations:
        where = f"core/rules/shared_facts.py: {fact.record}.{fact.id}"
        if fact.record not in RECORDS:
            raise SharedFactError(f"{where}: 未知的记录 {fact.record!r}，可选 {', '.join(RECORDS)} (unknown record)")
        if fact.type not in TYPE_BOUNDS:
            raise SharedFactError(f"{where}: 未知的类型 {fact.type!r}，可选 {', '.join(TYPE_BOUNDS)} (unknown type)")
        if (fact.type in ("code", "codes")) != bool(fact.vocabulary):
            raise SharedFactError(f"{where}: 代码类字段须指明 vocabulary，其他字段不得指明 "
                                  f"(a code or codes field names its core.records.vocab vocabulary; no other field does)")
        if fact.vocabulary and not hasattr(vocab, fact.vocabulary):
            raise SharedFactError(f"{where}: core.records.vocab 中没有 {fact.vocabulary} (unknown vocabulary)")
        if (fact.record, fact.id) in seen:
            raise SharedFactError(f"{where}: 重复声明 (declared twice)")
        seen.add((fact.record, fact.id))


def fields_of(record) -> list[SharedFact]:
    """The declared fields of `record`, in their order (the year first)."""
    return [fact for fact in SHARED_FACTS if fact.record == record]


def figures_of(record) -> list[SharedFact]:
    """The fields of a yearly `record` after its year: the figures themselves."""
    return [fact for fact in fields_of(record) if fact.type != "year"]


def names_of(record) -> tuple[str, ...]:
    """The declared field names of `record`, in order: a list's or a form's columns."""
    return tuple(fact.id for fact in fields_of(record))


def by_id(record) -> dict[str, SharedFact]:
    return {fact.id: fact for fact in fields_of(record)}


def model_of(record):
    """The core.records.models table a record is stored in."""
    from core.records.models import Agency, AgencyYear, ParkYear

    return {"agency": Agency, "agency_year": AgencyYear, "park_year": ParkYear}[record]


check()
