"""What the rules read: a park as plain data (`ParkFacts`), built from the database or a dossier.

Rules never query the database: `load_park_facts` reads every park asked for in one query per
table, so evaluating a thousand parks costs the same number of queries as evaluating one.
"""
import datetime
import functools
import json
from collections import defaultdict
from collections.abc import MutableMapping
from dataclasses import dataclass, field, make_dataclass
from decimal import Decimal

from core.rules import shared_facts
from core.rules.bulk import collector_paused

ZERO = Decimal("0")
CENT = Decimal("0.01")
#: Below this many yuan a double times 100 rounds to the exact fen (2**52 / 100).
FAST_CENTS_LIMIT = 2**52 // 100


@dataclass
class SiteFacts:
    name: str
    floor_area: Decimal
    is_core: bool = False
    address: str = ""
    approved_on: datetime.date | None = None


class _AgencyYearMethods:
    @property
    def revenue_with_pass_through(self) -> Decimal:
        return self.revenue + self.pass_through


_PYTHON_TYPES = {"year": int, "money": Decimal, "area": Decimal, "count": int, "bool": bool, "text": str,
                 "code": str, "codes": list, "date": datetime.date | None}
_DEFAULTS = {"money": ZERO, "area": ZERO}  # as the facts were always built: Decimal("0"), not 0.00


def _declared_field(fact):
    """(name, type, default) of a dataclass field for a declared field: a required one and the year
    have no default, a list starts empty, any other its zero."""
    if fact.required or fact.type == "year":
        return fact.id, _PYTHON_TYPES[fact.type]
    if fact.type == "codes":
        return fact.id, list, field(default_factory=list)
    return fact.id, _PYTHON_TYPES[fact.type], field(default=_DEFAULTS.get(fact.type, fact.zero))


def _record_class(name, record, base=object, extra=()):
    """The dataclass of a record, its fields as core.rules.shared_facts declares them, then `extra`."""
    cls = make_dataclass(name, [*map(_declared_field, shared_facts.fields_of(record)), *extra], bases=(base,))
    cls.__module__ = __name__
    cls.__doc__ = f"{name}: {', '.join(shared_facts.names_of(record))} (core.rules.shared_facts)."
    return cls


AgencyYearFacts = _record_class("AgencyYearFacts", "agency_year", _AgencyYearMethods)


class YearNotRead(LookupError):
    """A rule read a year of figures the loader was told it would not need (`load_park_facts` years):
    an error, not an absent year — an absent year reads as "no figures" and would change the result."""

    def __init__(self, year, years):
        super().__init__(f"{year}年度数据未读取（只读取了 {sorted(years)}） — figures of {year} were not read "
                         f"(only {sorted(years)}): the rules read a year their plugin does not declare (figure_years_back)")
        self.year = year


class YearFigures(MutableMapping):
    """year -> AgencyYearFacts, holding the database's rows until a rule asks for a year.

    A province keeps ten years of figures per agency and an evaluation reads one or two of them:
    converting each money value to Decimal only when its year is read keeps the batch close to
    the cost of the read itself. Behaves as a dict for everything else (dossier export, equality).
    `read`: the years the loader read (None: every year); asking for another is `YearNotRead`.
    `years`: year -> the row as the driver gave it (a tuple: owner id, year, then the figures in
    declared order) or the figures built from it, one dict the loader fills after making this one:
    a province has a hundred thousand agencies, and a second dict each cost its making and freeing.
    """

    __slots__ = ("_years", "_read")

    def __init__(self, read=None, years=None):
        self._years = {} if years is None else years
        self._read = read

    #: (year, row) -> the figures: `_year_figures` itself, set below once it is written out (a method calling
    #: it cost a frame per agency read).
    _build = None

    def add_row(self, year, row):
        """Keep the driver's `row` (a tuple: owner id, year, figures…) of `year` until a rule reads it."""
        self._years[year] = row

    def _check_read(self, year):
        if self._read is not None and year not in self._read:
            raise YearNotRead(year, self._read)

    def __getitem__(self, year):
        figures = self.get(year)
        if figures is None:
            raise KeyError(year)  # no figures for that year
        return figures

    def get(self, year, default=None):  # what every rule calls (AgencyFacts.figures): no detour through the ABC
        figures = self._years.get(year)
        if figures.__class__ is tuple:  # a row not read yet
            figures = self._years[year] = self._build(year, figures)
        elif figures is None:
            self._check_read(year)
            return default
        return figures

    def __setitem__(self, year, figures):
        self._years[year] = figures

    def __delitem__(self, year):
        del self._years[year]

    def __contains__(self, year):
        if year in self._years:
            return True
        self._check_read(year)
        return False

    def __iter__(self):
        return iter(sorted(self._years))

    def __len__(self):
        return len(self._years)

    def __repr__(self):
        return f"{type(self).__name__}({dict(self)!r})"


class ParkYearFigures(YearFigures):
    """year -> ParkYearFacts (its declared facts' JSON last in the row), built when a rule reads the year."""

    __slots__ = ()

    @staticmethod
    def _build(year, row):
        figures = _park_year_figures(year, row)
        figures.facts = dict(_json(row[-1], {}))
        return figures


#: What an operating HR service agency holds to operate: an HR service licence (人力资源服务许可证), a
#: filing certificate (备案凭证) or another administrative permit. `none`, an empty kind or an unknown
#: code is none of them: such an agency is not counted as an operating HR service agency.
LICENSED_KINDS = ("licence", "filing", "other_permit")


class _AgencyMethods:
    @property
    def operating(self) -> bool:
        return self.kind == "operating"

    @property
    def licensed(self) -> bool:
        """Holds a licence, a filing certificate or another permit (LICENSED_KINDS)."""
        return self.licence_kind in LICENSED_KINDS

    def resident_on(self, day: datetime.date) -> bool:
        """In the park on `day`: admitted on or before it and not yet gone."""
        if self.admitted_on is not None and self.admitted_on > day:
            return False
        return self.exited_on is None or self.exited_on > day

    def figures(self, year) -> AgencyYearFacts | None:
        return self.years.get(year)


AgencyFacts = _record_class("AgencyFacts", "agency", _AgencyMethods, extra=(
    ("years", dict, field(default_factory=dict)),  # year -> AgencyYearFacts
    ("id", int | None, field(default=None)),
))


#: A park's figures of a year, then the year's facts its programme declares (facts.yaml, owner park_year).
ParkYearFacts = _record_class("ParkYearFacts", "park_year", extra=(("facts", dict, field(default_factory=dict)),))


@dataclass
class JurisdictionYearFacts:
    """A jurisdiction's facts of a year as its programme declares them (owner jurisdiction_year), by id."""

    year: int
    facts: dict = field(default_factory=dict)
    #: Code of the jurisdiction that entered them ("" when given directly, e.g. in a dossier): a
    #: county whose measures count its own figures can tell them from its city's.
    set_by: str = ""


@dataclass
class ParkFacts:
    name: str
    jurisdiction: str = ""  # code of the jurisdiction the park belongs to
    id: int | None = None
    address: str = ""
    contact_person: str = ""
    phone: str = ""
    property_ownership: str = ""
    registration_date: datetime.date | None = None
    investment_wan: Decimal | None = None
    build_mode: str = "new"
    public_services: list = field(default_factory=list)
    offered_services: list = field(default_factory=list)
    operator_kind: str = "none"
    operator_name: str = ""
    staff_fulltime: int = 0
    staff_parttime: int = 0
    facts: dict = field(default_factory=dict)
    sites: list = field(default_factory=list)
    agencies: list = field(default_factory=list)
    years: dict = field(default_factory=dict)  # year -> ParkYearFacts
    jurisdiction_years: dict = field(default_factory=dict)  # year -> JurisdictionYearFacts, nearest first

    def resident_agencies(self, day: datetime.date):
        return [a for a in self.agencies if a.resident_on(day)]

    def core_sites(self):
        return [s for s in self.sites if s.is_core]

    def branch_sites(self):
        return [s for s in self.sites if not s.is_core]

    def total_floor_area(self) -> Decimal:
        return sum((s.floor_area for s in self.sites), ZERO)

    def year(self, year) -> ParkYearFacts | None:
        return self.years.get(year)


def driver_rows(query, name=None):
    """The query's rows as the driver returns them (no per-value conversion by the ORM).

    A `name`d query's SQL is built once per kind of database and kept: the batch of every park
    runs the same seven statements each time, and at a city's size peewee composing them costs
    as much as the database answering them."""
    db = query.model._meta.database
    if name is None:
        return db.execute(query).fetchall()
    key = (name, type(db.obj))
    if key not in _SQL:
        _SQL[key] = query.sql()
    sql, params = _SQL[key]
    return db.execute_sql(sql, params).fetchall()


_SQL = {}


def _decimal(value) -> Decimal:
    """A money/area column (2 places) as Decimal: PostgreSQL's NUMERIC as is; SQLite's REAL or
    INTEGER through its 2-place text, exact to the fen (as core.records.models.FixedDecimalField reads it)."""
    if value is None:
        return ZERO
    if isinstance(value, str):  # a two-place text (SQLite's amount beyond a double's fen, _figure_columns)
        return Decimal(value).quantize(CENT)
    if isinstance(value, Decimal):
        return value.quantize(CENT)  # NUMERIC(…, 2) keeps its places: the same value, quicker than asking its exponent
    if -FAST_CENTS_LIMIT < value < FAST_CENTS_LIMIT:
        return Decimal(round(value * 100)).scaleb(-2)  # whole fen, exact in a double below the limit
    return Decimal(f"{value:.2f}")


#: How a raw value of a figure's column becomes its Python value (the driver's REAL, NUMERIC, 0/1):
#: the name of the function applied, none for a count.
_FROM_ROW = {"money": "_decimal", "area": "_decimal", "count": "", "bool": "bool"}


#: A figure's money or area as `_figure_columns` reads it, made Decimal in the reader (a call cost as much as
#: the conversion): whole fen from either database (an int; Decimal(fen) * 0.01 is exact), SQLite's two-place
#: text for an amount beyond a double's fen; anything else as `_decimal` reads it.
_INLINE_DECIMAL = ("(Decimal(v{i}) * CENT if (v{i} := row[{i}]).__class__ is int else Decimal(v{i}) if v{i}.__class__ is str "
                   "else _decimal(v{i}))")


def _written_out(signature, expression, namespace):
    """The function `def <signature>: return <expression>`, its names looked up in `namespace`: the
    readers below are written out as source, as dataclasses writes an __init__."""
    exec(f"def {signature}:\n    return {expression}\n", namespace)
    return namespace[signature.partition("(")[0]]


def _row_reader(record):
    """A function making the record's figures dataclass from (year, the driver's row: owner id, year, then
    the raw values in declared order). The row is read where it stands: slicing off its first two
    values cost a new tuple per agency and year.

    Written out as source, as dataclasses writes an __init__: a rule reads a year of figures of every
    agency of every park, and looping over a list of converters cost more than the conversions."""
    cls = {"agency_year": AgencyYearFacts, "park_year": ParkYearFacts}[record]
    values = ", ".join((_INLINE_DECIMAL.format(i=i) if _FROM_ROW[fact.type] == "_decimal" else f"{_FROM_ROW[fact.type]}(row[{i}])")
                       for i, fact in enumerate(shared_facts.figures_of(record), start=2))
    namespace = {"cls": cls, "_decimal": _decimal, "bool": bool, "Decimal": Decimal, "CENT": CENT}
    return _written_out(f"read_{record}(year, row)", f"cls(year, {values})", namespace)


_year_figures = _row_reader("agency_year")
_park_year_figures = _row_reader("park_year")
YearFigures._build = staticmethod(_year_figures)


@functools.cache  # the declared fields are fixed when AgencyFacts is made
def _agency_reader():
    """A function making AgencyFacts from (the driver's row: id, park, then the declared fields in order;
    its YearFigures; the load's cached date parser). Written out as source, as `_row_reader` is: a
    province has a hundred thousand agencies, and a loop over converters per row cost more than the rest."""
    values = []
    for i, fact in enumerate(shared_facts.fields_of("agency"), start=2):
        values.append(f"date_of(row[{i}])" if fact.type == "date" else f"list(codes(row[{i}]))" if fact.type == "codes"
                      else f"row[{i}]")
    namespace = {"cls": AgencyFacts, "codes": _codes, "list": list}
    return _written_out("read_agency(row, years, date_of)", f"cls({', '.join(values)}, years=years, id=row[0])", namespace)


#: How `_park_reader` writes a park's column that the driver does not give as ParkFacts keeps it.
_PARK_FROM_ROW = {"registration_date": "date_of({})", "investment_wan": "investment({})",
                  "public_services": "list(codes({}))", "offered_services": "list(codes({}))",
                  "facts": "dict(from_json({}, EMPTY))"}


@functools.cache
def _park_reader():
    """A function making ParkFacts from (the driver's row: id, jurisdiction code, jurisdiction id, then
    PARK_COLUMNS; the load's date parser). Written out as source, as `_agency_reader` is: a call per
    column through a table of converters cost more per park than the rest of its reading."""
    from core.records.models import Park

    values = [f"{name}={_PARK_FROM_ROW.get(name, '{}').format(f'row[{i}]')}" for i, name in enumerate(PARK_COLUMNS, start=3)]
    namespace = {"cls": ParkFacts, "codes": _codes, "list": list, "dict": dict, "from_json": _json, "EMPTY": {},
                 "investment": Park.investment_wan.python_value}  # as the model reads it
    return _written_out("read_park(row, date_of)", f"cls(id=row[0], jurisdiction=row[1], {', '.join(values)})", namespace)


def _figure_columns(model, record):
    """The model's columns of the record's declared figures, in declared order, a money or area column
    read as the reader makes its Decimal quickest (`_INLINE_DECIMAL`): the driver would convert every
    value of every year read (a province: six hundred thousand, a third of the batch's read), where
    the rules read one year in two. Both give whole fen: PostgreSQL its NUMERIC times 100 as a bigint
    (exact: a Decimal from an int cost a third of one from text); SQLite, which keeps a REAL, rounded
    as `_decimal` rounds it, or its two-place text beyond a double's fen."""
    from peewee import Case, Cast, Value, fn

    from core.records.db import is_sqlite

    sqlite = is_sqlite(model._meta.database)

    def number(value):  # a plain SQL number, not passed through the column's Decimal conversion
        return Value(value, converter=False)

    def read(column):
        if not sqlite:  # NUMERIC(…, 2) times 100 is whole: exact as a bigint, whatever the amount
            return Cast(column * number(100), "bigint")
        exact = (column > number(-FAST_CENTS_LIMIT)) & (column < number(FAST_CENTS_LIMIT))
        return Case(None, [(exact, Cast(fn.ROUND(column * number(100)), "INTEGER"))], fn.printf("%.2f", column))

    return [read(getattr(model, fact.id)) if _FROM_ROW[fact.type] == "_decimal" else getattr(model, fact.id)
            for fact in shared_facts.figures_of(record)]


def _json(value, empty):
    """A JSON column (core.records.models.JSONField stores text; a driver may already have decoded it)."""
    if value is None or value == "":
        return empty
    return json.loads(value) if isinstance(value, (str, bytes)) else value


@functools.lru_cache(maxsize=4096)  # parsed to an immutable tuple, a code list's text means the same every time
def _codes(text):
    """A JSON column of codes as a tuple."""
    return tuple(_json(text, ()))


def _date(value):
    """A date column: PostgreSQL gives a date, SQLite its ISO text."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value[:10])


#: The columns of a park that ParkFacts keeps, in the order they are read.
PARK_COLUMNS = (
    "name", "address", "contact_person", "phone", "property_ownership", "registration_date", "investment_wan",
    "build_mode", "public_services", "offered_services", "operator_kind", "operator_name", "staff_fulltime",
    "staff_parttime", "facts",
)


@collector_paused()  # a province's hundred thousand agencies: see core.rules.bulk
def load_park_facts(park_ids=None, years=None, park_years=()) -> dict:
    """ParkFacts for the given park ids (all parks when None), in one query per table.

    `years`: the years of the agencies' and the parks' yearly figures to read — those the rules
    about to run read (core.records.batch.figure_years), so a province's ten years of figures are
    not all carried for an evaluation reading one; None (the default) reads every year, as the
    back office and the documents need. `park_years`: more years of the parks' own figures (a
    subsidy's year, say). A rule asking for a year not read gets `YearNotRead`, never "no figures"."""
    from peewee import JOIN

    from core.records.models import Agency, AgencyYear, Jurisdiction, JurisdictionYear, Park, ParkYear, Site

    years = None if years is None else tuple(sorted(set(years)))
    park_years = None if years is None else tuple(sorted({*years, *park_years}))

    def read(query, name):  # every park's query is the same each time: its SQL is kept (see driver_rows)
        return driver_rows(query, name if park_ids is None else None)

    # Parks and agencies share a handful of code lists (services, service lines: `_codes`, kept from one
    # load to the next) and days: each distinct text is parsed once.
    date_of = functools.lru_cache(maxsize=None)(_date)
    parks = Park.select(Park.id, Jurisdiction.code, Park.jurisdiction, *(getattr(Park, name) for name in PARK_COLUMNS))
    parks = parks.join(Jurisdiction)
    if park_ids is not None:
        park_ids = list(park_ids)
        parks = parks.where(Park.id.in_(park_ids))
    read_park = _park_reader()
    result = {}
    jurisdiction_of = {}
    for row in read(parks, "parks"):
        result[row[0]] = read_park(row, date_of)
        jurisdiction_of[row[0]] = row[2]
    if not result:
        return result

    def scoped(query, column):
        return query if park_ids is None else query.where(column.in_(park_ids))

    def of_years(query, column, chosen):  # the years asked for; the kept SQL is the SQL of those years
        return (query, "") if chosen is None else (query.where(column.in_(chosen)), repr(chosen))

    # The three big tables are read through the raw cursor (`driver_rows`) and converted here: peewee's
    # per-value converters cost more than the read itself at a province's hundred thousand rows.
    site_query = Site.select(Site.park, Site.name, Site.floor_area, Site.is_core, Site.address, Site.approved_on)
    for park, name, area, is_core, address, approved_on in read(scoped(site_query, Site.park).order_by(Site.id), "sites"):
        result[park].sites.append(SiteFacts(name, _decimal(area), bool(is_core), address, _date(approved_on)))
    read_agency = _agency_reader()
    agency_query = Agency.select(Agency.id, Agency.park, *(getattr(Agency, fact.id) for fact in shared_facts.fields_of("agency")))
    read_years = None if years is None else frozenset(years)
    years_of = {}  # agency id -> its YearFigures' rows, filled from the next query
    for row in read(scoped(agency_query, Agency.park).order_by(Agency.id), "agencies"):
        rows = years_of[row[0]] = {}
        facts = read_agency(row, YearFigures(read_years, rows), date_of)
        result[row[1]].agencies.append(facts)
    year_query = AgencyYear.select(AgencyYear.agency, AgencyYear.year, *_figure_columns(AgencyYear, "agency_year"))
    if park_ids is not None:
        year_query = year_query.join(Agency).where(Agency.park.in_(park_ids))
    year_query, chosen = of_years(year_query, AgencyYear.year, years)
    # Each row kept as the driver's tuple (plain values, which the collector stops watching) until a
    # rule reads its year: a province reads two hundred thousand and its rules build half of them.
    for row in read(year_query, "agency_years" + chosen):
        years_of[row[0]][row[1]] = row
    park_year_query = ParkYear.select(ParkYear.park, ParkYear.year, *_figure_columns(ParkYear, "park_year"), ParkYear.facts)
    park_year_query, chosen = of_years(scoped(park_year_query, ParkYear.park), ParkYear.year, park_years)
    read_park_years = None if park_years is None else frozenset(park_years)
    for facts in result.values():
        facts.years = ParkYearFigures(read_park_years)
    for row in read(park_year_query, "park_years" + chosen):
        result[row[0]].years.add_row(row[1], row)
    # A park of a district reads its city's yearly facts (全市年度目标任务, say); a year the
    # district entered itself is the district's. The places and their years come in one statement:
    # a few rows, where a second round trip cost more than reading them.
    parent_of, targets = {}, defaultdict(dict)
    places = (Jurisdiction.select(Jurisdiction.id, Jurisdiction.parent, Jurisdiction.code, JurisdictionYear.year,
                                  JurisdictionYear.facts)
              .join(JurisdictionYear, JOIN.LEFT_OUTER).order_by(JurisdictionYear.id))
    for jurisdiction_id, parent_id, code, year, declared in read(places, "jurisdictions_and_years"):
        parent_of[jurisdiction_id] = parent_id
        if year is not None:
            targets[jurisdiction_id][year] = JurisdictionYearFacts(year, dict(_json(declared, {})), set_by=code)
    for park_id, facts in result.items():
        merged = {}
        jurisdiction_id, seen = jurisdiction_of[park_id], set()
        while jurisdiction_id is not None and jurisdiction_id not in seen:
            seen.add(jurisdiction_id)
            for year, target in targets.get(jurisdiction_id, {}).items():
                merged.setdefault(year, target)
            jurisdiction_id = parent_of.get(jurisdiction_id)
        facts.jurisdiction_years = merged
    return result
