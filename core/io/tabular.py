"""Import of agency rosters and yearly figures from .xlsx and .csv files (Chinese column headers).

Three kinds of file, each for one park: the agency roster (入驻机构名册), the agencies' yearly
figures and the park's own yearly figures. Every row is validated first and every problem is
listed with its row and column; only a file without problems is written, in one transaction,
and each record written gets its audit entry. A file with one bad row writes nothing.

Rows are matched, not duplicated: an agency by its licence number within the park, a yearly
figure by its year; a matched row is updated (only when something changed), under its version.
Only the columns the file has are written: a column left out keeps what the record holds.

A file is written in bulk, not record by record: new records and their audit rows in a few
many-row INSERTs, with the same columns, versions and audit content as the models' own `save`
(core/records/models.py AuditedModel) writes, so a 5,000-row roster takes a few statements, not 20,000.
"""
import csv
import functools
import io
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from core.records import audit
from core.rules import shared_facts
from core.records.bounds import COUNT, MONEY, YEAR, OutOfBounds
from core.rules.dates import ACCEPTED_FORMATS, DateFormatError, parse_date
from core.rules.fact_declarations import FactValueError
from core.records.db import database, is_sqlite
from core.records.models import Agency, AgencyYear, AuditLog, ParkYear, StaleEditError, now

ROSTER, AGENCY_YEARS, PARK_YEARS = "roster", "agency-years", "park-years"
KINDS = (ROSTER, AGENCY_YEARS, PARK_YEARS)
KIND_LABELS = {
    ROSTER: ("入驻机构名册", "agency roster"),
    AGENCY_YEARS: ("入驻机构年度数据", "agencies' yearly figures"),
    PARK_YEARS: ("园区年度数据", "park's yearly figures"),
}
MAX_ROWS = 20_000
CENT = Decimal("0.01")
MAX_TEXT = 255


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese, then English."""


@dataclass(frozen=True)
class Problem:
    """One problem of a file: its spreadsheet row (1 = the header row; 0 = the whole file), its
    column letter and header, and what is wrong."""

    row: int
    column: str
    header: str
    message: str

    def __str__(self):
        where = "整个文件 (whole file)" if self.row == 0 else f"第{self.row}行 (row {self.row})"
        if self.column:
            where += f" {self.column}列「{self.header}」"
        return f"{where}: {self.message}"

    def as_dict(self):
        return {"row": self.row, "column": self.column, "header": self.header, "message": self.message}


class ImportRefused(Exception):
    """The file was not imported; `problems` lists every reason, by row and column."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ImportResult:
    kind: str
    park_id: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self):
        return asdict(self)


# --- cells ------------------------------------------------------------------------------------------


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f]")


def read_text(value):
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a licence number Excel stored as a number
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise CellError(f"不能超过{MAX_TEXT}个字符 / At most {MAX_TEXT} characters.")
    if _CONTROL_CHARACTERS.search(text):
        raise CellError("含有控制字符 / Contains control characters.")
    return text


def read_long_text(value):
    text = "" if _blank(value) else str(value).strip()
    if "\x00" in text:
        raise CellError("含有控制字符 / Contains control characters.")
    return text


def _term(vocabulary, text):
    for term in vocabulary:
        if text in (term.code, term.zh) or text.lower() == term.en.lower():
            return term.code
    choices = "、".join(t.zh for t in vocabulary)
    raise CellError(f"“{text}”不是可选值，可选：{choices} / {text!r} is not one of: {', '.join(vocabulary.codes())}.")


def code_reader(vocabulary, default):
    def read(value):
        return default if _blank(value) else _term(vocabulary, read_text(value))

    return read


def codes_reader(vocabulary):
    def read(value):
        if _blank(value):
            return []
        parts = [p for p in re.split(r"[、,，;；/\s]+", read_text(value)) if p]
        return list(dict.fromkeys(_term(vocabulary, part) for part in parts))  # each code once, in order

    return read


def _within(bounds, number):
    """`number`, or a CellError saying which of its column's bounds (core.records.bounds) it breaks."""
    try:
        return bounds.check(number)
    except OutOfBounds as exc:
        raise CellError(str(exc)) from None


def read_amount(value, bounds=MONEY):
    """Yuan within the column's bounds (not negative, at most two places); a float from Excel is
    read through its shortest repr."""
    if _blank(value):
        return Decimal("0.00")
    if isinstance(value, bool):
        raise CellError("不是有效的金额 / Not a valid amount.")
    text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", text, re.I):
        raise CellError(f"“{value}”不是有效的金额 / {value!r} is not a valid amount.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{value}”不是有效的金额 / {value!r} is not a valid amount.") from None
    return _within(bounds, number).quantize(CENT)


def read_count(value, bounds=COUNT):
    return 0 if _blank(value) else _within(bounds, _whole_number(value))


def _whole_number(value):
    if isinstance(value, bool):
        raise CellError("不是有效的整数 / Not a valid whole number.")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{value}”不是整数 / {value!r} is not a whole number.")
        value = int(value)
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise CellError(f"“{value}”不是有效的整数 / {value!r} is not a valid whole number.")
    return int(text)


def read_year(value, bounds=YEAR):
    if _blank(value):
        raise CellError("缺少年度 / The year is missing.")
    try:
        year = _whole_number(value)
    except CellError:
        raise CellError(f"“{value}”不是有效的年份 / {value!r} is not a valid year.") from None
    return _within(bounds, year)


def read_date(value):
    try:
        return parse_date(value)
    except DateFormatError as exc:
        raise CellError(str(exc)) from None


_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}


def read_flag(value):
    if value is True or value is False:
        return value
    text = "" if value is None else str(value).strip().lower()
    if isinstance(value, (int, float)):
        text = str(int(value)) if float(value).is_integer() else text
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"“{value}”应填“是”或“否” / {value!r}: write 是 (yes) or 否 (no).")


def read_park_id(value):
    return None if _blank(value) else read_count(value)


# --- columns of each kind -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    read: object
    required: bool = False
    note: str = ""

    def matches(self, header):
        text = re.sub(r"\s+", "", str(header or "")).lower()
        base = self.zh.split("（")[0]
        return text in (self.zh.lower(), base.lower(), self.key.lower(), self.en.lower())


def _vocab_note(vocabulary):
    return "可选：" + "、".join(t.zh for t in vocabulary)


DATE_NOTE = "、".join(ACCEPTED_FORMATS)
PARK_COLUMN = Column("park_id", "园区编号", "park ID", read_park_id, note="可留空；填写时须为导入的园区 / optional; if given, the park imported into")
#: The cell reader of each type of number, held to the field's bounds (core.records.bounds).
READER_OF_TYPE = {"year": read_year, "money": read_amount, "area": read_amount, "count": read_count}


def _reader(fact):
    if fact.type == "text":
        return read_long_text if fact.long else read_text
    if fact.type == "code":
        return code_reader(fact.terms, fact.default)
    if fact.type == "codes":
        return codes_reader(fact.terms)
    if fact.type in READER_OF_TYPE:
        return functools.partial(READER_OF_TYPE[fact.type], bounds=fact.bounds)
    return {"date": read_date, "bool": read_flag}[fact.type]


def _how_to_fill(fact):
    if fact.type == "code":
        return _vocab_note(fact.terms)
    if fact.type == "codes":
        return _vocab_note(fact.terms) + "；多项用、分隔"
    return DATE_NOTE if fact.type == "date" else fact.note


def declared_column(fact, required=False, note=""):
    """The spreadsheet column of a shared field (core.rules.shared_facts): its header, reader and bounds,
    and how to fill it; a required field, and a year, must be filled."""
    zh, en = fact.spreadsheet_header
    return Column(fact.id, zh, en, _reader(fact), required=required or fact.required or fact.type == "year",
                  note=note or _how_to_fill(fact))


def record_columns(record, first=()):
    """The columns of a record's declared fields; the `first` columns (each a column already made
    of one of them, a matching key with its own note) lead."""
    leading = {column.key for column in first}
    return [*first, *(declared_column(fact) for fact in shared_facts.fields_of(record) if fact.id not in leading)]


AGENCY = shared_facts.by_id("agency")
COLUMNS = {
    ROSTER: [
        *record_columns("agency", first=(
            declared_column(AGENCY["name"]),
            declared_column(AGENCY["licence_no"], required=True,
                            note="园区内唯一，用于匹配已有机构 / unique in the park; matches existing agencies"),
        )),
        PARK_COLUMN,
    ],
    AGENCY_YEARS: [
        declared_column(AGENCY["licence_no"], required=True, note="须为本园区名册中的机构 / an agency on the park's roster"),
        Column("agency_name", "机构名称", "agency name", read_text, note="仅供核对 / for checking only"),
        *record_columns("agency_year"),
        PARK_COLUMN,
    ],
    PARK_YEARS: [
        *record_columns("park_year"),
        PARK_COLUMN,
    ],
}


#: A column of a fact a programme declares (facts.yaml) is keyed by its id after this.
FACT_KEY = "fact:"


def _fact_reader(fact):
    """The cell reader of a declared fact: the cell as its type, checked by its declaration."""
    def read(value):
        if fact.type == "bool":
            value = None if _blank(value) else read_flag(value)
        elif fact.type == "list_of_text":
            value = [] if _blank(value) else re.split(r"[、,，;；\n]", str(value))
        elif not _blank(value):
            value = read_text(value)
        try:
            return None if _blank(value) and fact.type != "list_of_text" else fact.clean(value)
        except FactValueError as exc:
            raise CellError(str(exc)) from None
    return read


def declared_fact_columns(owner):
    """A column per fact of `owner` the installed programmes declare, named as declared, with its article."""
    from core.plugin.registry import registry

    declared = {fact.id: (jurisdiction, fact) for jurisdiction in registry()
                for fact in jurisdiction.facts().values() if fact.owner == owner}
    return [Column(FACT_KEY + fact.id, fact.name_zh, fact.name_en, _fact_reader(fact),
                   note=f"{'是/否' if fact.type == 'bool' else ''}（{jurisdiction.info.name}{fact.article}）")
            for jurisdiction, fact in declared.values()]


def columns_of(kind):
    """The columns of a kind of file: its shared fields', then (park-years) each declared fact's, then the park's id."""
    if kind != PARK_YEARS:
        return COLUMNS[kind]
    return [*COLUMNS[kind][:-1], *declared_fact_columns("park_year"), PARK_COLUMN]


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- reading a file ----------------------------------------------------------------------------------


def read_table(filename, data: bytes):
    """(headers, [(row number, values)]) of the first sheet of an .xlsx or of a .csv file.

    The first non-empty row holds the headers; empty rows are skipped. A CSV may be UTF-8
    (with or without BOM) or GB18030, as Excel saves it on a Chinese Windows.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise ImportRefused([Problem(0, "", "", "只接受 .xlsx 或 .csv 文件 / Only .xlsx or .csv files are accepted.")])
    headers, body = None, []
    for number, values in rows:
        if all(_blank(v) for v in values):
            continue
        if headers is None:
            headers = [read_long_text(v) for v in values]
            continue
        body.append((number, list(values)))
        if len(body) > MAX_ROWS:
            raise ImportRefused([Problem(0, "", "", f"一次最多导入{MAX_ROWS}行 / At most {MAX_ROWS} rows per file.")])
    if headers is None:
        raise ImportRefused([Problem(0, "", "", "文件是空的 / The file is empty.")])
    while headers and not headers[-1]:
        headers.pop()
    return headers, body


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        raise ImportRefused([Problem(0, "", "", "无法读取该 .xlsx 文件（文件损坏或不是 Excel 工作簿） / "
                                                "The .xlsx file cannot be read (damaged, or not an Excel workbook).")]) from None
    try:
        sheet = workbook.worksheets[0]
        # Read every row there is: read-only mode otherwise stops at the size the file declares,
        # which some programs write wrong (openpyxl's documented remedy).
        sheet.reset_dimensions()
        return _sheet_rows(sheet)
    finally:
        workbook.close()


def _sheet_rows(sheet):
    """(row number, values) of each row of a read-only sheet, as `sheet.iter_rows(values_only=True)`
    gives them (cut to the sheet's stated dimensions, if it has any), only faster: openpyxl
    builds a rich-text object for every inline string (as openpyxl itself writes text), which
    took most of the reading of a 5,000-row file."""
    try:
        parser_class = _inline_text_parser()
        workbook = sheet.parent
        options = dict(data_only=True, epoch=workbook.epoch, date_formats=workbook._date_formats,
                       timedelta_formats=workbook._timedelta_formats)
        get_row, strings, open_source = sheet._get_row, sheet._shared_strings, sheet._get_source
    except (ImportError, AttributeError):  # another openpyxl: its own reading, slower but the same
        return list(enumerate(sheet.iter_rows(values_only=True), start=1))
    max_row, max_column = sheet.max_row, sheet.max_column
    rows, last = [], 0
    with open_source() as source:
        for number, cells in parser_class(source, strings, **options).parse():
            if max_row is not None and number > max_row:
                break
            if number > last:  # as openpyxl: a row numbered out of order is skipped
                rows.append((number, get_row(cells, 1, max_column, values_only=True)))
                last = number
    return rows


@functools.cache
def _inline_text_parser():
    """openpyxl's sheet parser, reading an inline string's text (and its runs') directly."""
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser

    text, run = INLINE_STRING.replace("}is", "}t"), INLINE_STRING.replace("}is", "}r")

    class InlineTextParser(WorkSheetParser):
        def parse_cell(self, element):
            inline = element.find(INLINE_STRING) if element.get("t") == "inlineStr" else None
            if inline is None:
                return super().parse_cell(element)
            element.remove(inline)  # openpyxl then reads the cell's place and style, not its text
            cell = super().parse_cell(element)
            runs = [inline.findtext(text) or ""] + [r.findtext(text) or "" for r in inline.findall(run)]
            cell["data_type"], cell["value"] = "s", "".join(runs)
            return cell

    return InlineTextParser


def _csv_rows(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused([Problem(0, "", "", "CSV 文件应为 UTF-8 或 GB18030 编码 / The CSV must be UTF-8 or GB18030 text.")])
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as exc:
        raise ImportRefused([Problem(0, "", "", f"CSV 格式错误 / Malformed CSV: {exc}")]) from None


def detect_kind(headers):
    """The kind whose required columns all appear, the most specific first; None if none fits."""
    for kind in (AGENCY_YEARS, ROSTER, PARK_YEARS):
        if all(any(c.matches(h) for h in headers) for c in columns_of(kind) if c.required):
            return kind
    return None


def _map_headers(kind, headers):
    """{column key: index} for the kind; problems for unknown, repeated and missing headers."""
    columns = columns_of(kind)
    positions, problems = {}, []
    for index, header in enumerate(headers):
        if not header:
            continue
        column = next((c for c in columns if c.matches(header)), None)
        if column is None:
            known = "、".join(c.zh for c in columns)
            problems.append(Problem(1, column_letter(index), header,
                                    f"未知的列名，{KIND_LABELS[kind][0]}的列为：{known} / Unknown column header."))
        elif column.key in positions:
            problems.append(Problem(1, column_letter(index), header, "列名重复 / The column appears twice."))
        else:
            positions[column.key] = index
    for column in columns:
        if column.required and column.key not in positions:
            problems.append(Problem(1, "", column.zh, f"缺少必填列「{column.zh}」 / Missing required column {column.en!r}."))
    return positions, problems


# --- validating and writing -------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    values: dict
    cells: dict = field(default_factory=dict)  # key -> (letter, header) for messages


def _parse_rows(kind, headers, body, positions):
    # Only the columns the file has: a column left out leaves that field of a matched record as it
    # is (an empty cell in a column that is there clears it). Missing required columns are refused before.
    columns = [(c, positions[c.key]) for c in columns_of(kind) if c.key in positions]
    # Where each column is, for messages: the same for every row, so worked out once.
    cells = {c.key: (column_letter(i), headers[i]) if i is not None else ("", c.zh) for c, i in columns}
    rows, problems = [], []
    for number, values in body:
        row = _Row(number, {}, cells)
        for column, index in columns:
            raw = values[index] if index is not None and index < len(values) else None
            if column.required and _blank(raw):
                problems.append(Problem(number, *cells[column.key], "必填，不能为空 / Required: may not be empty."))
                continue
            try:
                row.values[column.key] = column.read(raw)
            except CellError as exc:
                problems.append(Problem(number, *cells[column.key], str(exc)))
        rows.append(row)
    return rows, problems


def _problem(row, key, message):
    letter, header = row.cells.get(key, ("", key))
    return Problem(row.number, letter, header, message)


def _roster(park):
    """The park's agencies by licence number."""
    return {a.licence_no: a for a in Agency.select().where(Agency.park == park) if a.licence_no}


def _check_rows(kind, rows, park):
    """Problems that need more than one cell: foreign parks, duplicates, unknown agencies, dates."""
    problems = []
    seen = {}  # key -> number of the first row with it
    agencies = _roster(park) if kind == AGENCY_YEARS else {}
    read_by_programme = _declared_for(park) if kind == PARK_YEARS else {}
    for row in rows:
        values = row.values
        park_id = values.get("park_id")
        if park_id is not None and park_id != park.id:
            problems.append(_problem(row, "park_id", f"园区编号 {park_id} 不是本次导入的园区（#{park.id} {park.name}） / "
                                                     f"Park {park_id} is not the park imported into (#{park.id})."))
        if kind == ROSTER:
            key = values.get("licence_no")
            admitted, exited = values.get("admitted_on"), values.get("exited_on")
            if admitted and exited and exited < admitted:
                problems.append(_problem(row, "exited_on", f"退出日期 {exited} 早于入驻日期 {admitted} / Exit before admission."))
        elif kind == AGENCY_YEARS:
            licence = values.get("licence_no")
            key = (licence, values.get("year"))
            if licence and licence not in agencies:
                problems.append(_problem(row, "licence_no", f"本园区名册中没有编号为“{licence}”的机构，请先导入名册 / "
                                                            f"No agency with licence {licence!r} on this park's roster."))
            elif licence and values.get("agency_name") and agencies[licence].name != values["agency_name"]:
                problems.append(_problem(row, "agency_name", f"编号“{licence}”的机构名为“{agencies[licence].name}”，与所填不符 / "
                                                             f"The agency with this licence is named {agencies[licence].name!r}."))
        else:
            key = values.get("year")
            for column, value in values.items():
                fact_id = column[len(FACT_KEY):]
                if column.startswith(FACT_KEY) and value not in (None, False, []) and fact_id not in read_by_programme:
                    problems.append(_problem(row, column, f"{park.jurisdiction.name_zh}所适用的办法不读取此项 / "
                                                          f"The measures governing this park do not read {fact_id}."))
        if key is None or (isinstance(key, tuple) and None in key):
            continue
        first = seen.setdefault(key, row.number)
        if first != row.number:
            what = {ROSTER: "许可证/备案编号 / licence number", AGENCY_YEARS: "机构与年度 / agency and year",
                    PARK_YEARS: "年度 / year"}[kind]
            column = "year" if kind == PARK_YEARS else "licence_no"
            problems.append(_problem(row, column, f"与第{first}行重复（{what}） / Same as row {first}."))
    return problems, agencies


#: Rows per INSERT statement (records and their audit rows): well under SQLite's 32,766 bound
#: variables for the widest table, as in core/world/generate.py. Read when called, so a test may change it.
BATCH = 500


class _Changes:
    """What a file changes in one table, in file order: the records to create, the records to
    update, and one audit entry for each (an update's with the record as read before the change).

    Written in bulk by `_save`, with the same rows, versions and audit content as `model.create`
    and `record.save()` would write one by one (core/records/models.py AuditedModel), in a few statements.
    `key` names the columns that tell the new records of one file apart (their ids come back
    from the INSERT by these columns, not by position: RETURNING promises no order).
    """

    def __init__(self, model, key):
        self.model = model
        self.key = key
        self.created = []
        self.updated = []
        self.audit = []  # (action, record, snapshot before) in file order

    def add(self, existing, values, create_values):
        """Plan a create, or an update of `existing` if a value differs; 'created', 'updated' or 'unchanged'."""
        if existing is None:
            record = self.model(**create_values, **values)
            self.created.append(record)
            self.audit.append(("create", record, None))
            return "created"
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        if not changed:
            return "unchanged"
        before = existing.snapshot()  # as read in this transaction: the version check below keeps it true
        for k in changed:
            setattr(existing, k, values[k])
        self.updated.append(existing)
        self.audit.append(("update", existing, before))
        return "updated"


def _batches(items):
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def _returning_supported(db):
    """PostgreSQL, and SQLite from 3.35, hand back the ids a many-row INSERT or UPDATE wrote."""
    return not is_sqlite(db) or sqlite3.sqlite_version_info >= (3, 35)


def _quoted(name):
    quote = database.obj.quote
    return quote[0] + name + quote[1]


def _insert_sql(model, fields, count, returning=()):
    """One INSERT of `count` rows, its SQL written here: peewee's query builder spent ten times
    longer on the rows of a 5,000-row roster than the database spent writing them."""
    row = "(" + ", ".join([database.obj.param] * len(fields)) + ")"
    sql = (f"INSERT INTO {_quoted(model._meta.table_name)} ({', '.join(_quoted(f.column_name) for f in fields)}) "
           f"VALUES {', '.join([row] * count)}")
    if returning:
        sql += " RETURNING " + ", ".join(_quoted(f.column_name) for f in returning)
    return sql


def _insert_many(model, rows, returning=()):
    """INSERT `rows` ({field name: value}, all with the same names) in batches, each value through
    its field's `db_value` as peewee would; the `returning` fields of every row written."""
    if not rows:
        return []
    fields = [model._meta.fields[name] for name in rows[0]]
    written = []
    for batch in _batches(rows):
        params = [field.db_value(row[field.name]) for row in batch for field in fields]
        cursor = database.execute_sql(_insert_sql(model, fields, len(batch), returning), params)
        if returning:
            written += [tuple(f.python_value(v) for f, v in zip(returning, r)) for r in cursor.fetchall()]
    return written


def _insert_records(model, records, key):
    """INSERT the new records and give each its id, as `model.create` would."""
    pk = model._meta.primary_key
    for record in records:
        if "version" in model._meta.fields and record.version is None:
            record.version = 1
    rows = [{f.name: record.__data__.get(f.name) for f in model._meta.sorted_fields if f is not pk} for record in records]
    if not _returning_supported(database.obj):
        for record, row in zip(records, rows):  # an old SQLite: one INSERT each, its id from lastrowid
            setattr(record, pk.name, model.insert(row).execute())
        return
    by_key = {tuple(record.__data__.get(f.name) for f in key): record for record in records}
    if len(by_key) != len(records):  # the checks refuse such a file; an audit row must never lack its record
        raise ValueError(f"{model.__name__}: 新记录的匹配键重复 / new records share a matching key {[f.name for f in key]}")
    for pk_value, *key_values in _insert_many(model, rows, returning=(pk, *key)):
        setattr(by_key[tuple(key_values)], pk.name, pk_value)


def _update_records(model, records):
    """UPDATE the changed records, each under the version it was read with, as `record.save()`
    would: a record someone else saved meanwhile is refused (StaleEditError), and the import with it."""
    pk, versioned = model._meta.primary_key, "version" in model._meta.fields
    fields = [f for f in model._meta.sorted_fields if f is not pk]  # every column, as `save()` writes
    expected = {}
    for record in records:
        if versioned:
            expected[record._pk] = record.version or 1
            record.version = expected[record._pk] + 1
    if _returning_supported(database.obj):
        updated = _update_many(model, fields, records, expected)
    else:  # an old SQLite (no UPDATE ... FROM ... RETURNING): one UPDATE each
        updated = {r._pk for r in records if _update_one(model, fields, r, expected.get(r._pk))}
    for record in records:
        if record._pk not in updated:
            if versioned:
                record.version = expected[record._pk]
            raise StaleEditError(record)


def _update_many(model, fields, records, expected):
    """UPDATE the records in batches from a VALUES list (id, version read, every column); the ids updated."""
    updated = set()
    for batch in _batches(records):
        params = []
        for record in batch:
            params += [record._pk, expected.get(record._pk)]
            params += [f.db_value(record.__data__.get(f.name)) for f in fields]
        sql = _update_sql(model, fields, len(batch), versioned="version" in model._meta.fields)
        updated.update(pk for (pk,) in database.execute_sql(sql, params).fetchall())
    return updated


def _update_sql(model, fields, count, versioned):
    db = database.obj
    types = db.get_context_options()["field_types"]

    def value(number, field):
        column = f"v.column{number}"  # the name SQLite and PostgreSQL both give a VALUES column
        if is_sqlite(db):
            return column
        # PostgreSQL types a VALUES column by its values: one of NULLs only would be text.
        return f"CAST({column} AS {types.get(field.field_type, field.field_type)})"

    table, pk = _quoted(model._meta.table_name), _quoted(model._meta.primary_key.column_name)
    sets = ", ".join(f"{_quoted(f.column_name)} = {value(n, f)}" for n, f in enumerate(fields, start=3))
    row = "(" + ", ".join([db.param] * (len(fields) + 2)) + ")"
    where = f"{table}.{pk} = v.column1"
    if versioned:
        where += f" AND {table}.{_quoted(model.version.column_name)} = v.column2"
    return (f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * count)}) AS v "
            f"WHERE {where} RETURNING {table}.{pk}")


def _update_one(model, fields, record, expected):
    where = model._meta.primary_key == record._pk
    if expected is not None:
        where &= model.version == expected
    return model.update({f: record.__data__.get(f.name) for f in fields}).where(where).execute() > 0


def _audit_rows(entries):
    """The audit-log rows `write_audit` would write for the entries, one per record, same content."""
    actor = audit.current_actor()
    rows = []
    for action, record, before in entries:
        try:
            jurisdiction_id, park_id = record.audit_scope()
        except Exception:  # as write_audit: a record whose scope cannot be told still gets its row
            jurisdiction_id, park_id = None, None
        rows.append({"at": now(), "actor": actor.username, "role": actor.role, "action": action,
                     "table": record._meta.table_name, "record_id": record._pk, "jurisdiction_id": jurisdiction_id,
                     "park_id": park_id, "before": None if before is None else audit.dumps(before),
                     "after": audit.dumps(record.snapshot()), "remark": ""})
    return rows


def _save(changes):
    """Write the planned changes and their audit rows; the caller holds the transaction."""
    _insert_records(changes.model, changes.created, changes.key)
    _update_records(changes.model, changes.updated)
    _insert_many(AuditLog, _audit_rows(changes.audit))


def _tally(result, outcome):
    setattr(result, outcome, getattr(result, outcome) + 1)


def _write(kind, rows, park, agencies, result):
    if kind == ROSTER:
        changes = _Changes(Agency, key=(Agency.licence_no,))
        existing = _roster(park)
        for row in rows:
            values = {k: v for k, v in row.values.items() if k != "park_id"}
            agency = existing.get(values["licence_no"])
            if agency is not None:
                agency.park = park  # the loaded park: its audit scope needs no query
            _tally(result, changes.add(agency, values, {"park": park}))
    elif kind == AGENCY_YEARS:
        changes = _Changes(AgencyYear, key=(AgencyYear.agency, AgencyYear.year))
        by_agency = {}
        for figure in AgencyYear.select().join(Agency).where(Agency.park == park):
            by_agency[(figure.agency_id, figure.year)] = figure
        for row in rows:
            agency = agencies[row.values["licence_no"]]
            agency.park = park
            values = {f.id: row.values[f.id] for f in shared_facts.figures_of("agency_year") if f.id in row.values}
            figure = by_agency.get((agency.id, row.values["year"]))
            if figure is not None:
                figure.agency = agency
            _tally(result, changes.add(figure, values, {"agency": agency, "year": row.values["year"]}))
    else:
        changes = _Changes(ParkYear, key=(ParkYear.year,))
        by_year = {y.year: y for y in ParkYear.select().where(ParkYear.park == park)}
        read_by_programme = _declared_for(park)
        for row in rows:
            values = {k: v for k, v in row.values.items() if k not in ("park_id", "year") and not k.startswith(FACT_KEY)}
            figure = by_year.get(row.values["year"])
            stored = dict(figure.facts or {}) if figure is not None else {}
            facts = dict(stored)
            for key, value in row.values.items():
                if key.startswith(FACT_KEY) and key[len(FACT_KEY):] in read_by_programme:
                    facts[key[len(FACT_KEY):]] = value  # an empty cell clears the fact
            facts = {k: v for k, v in facts.items() if v is not None}
            if facts != stored or figure is None:
                values["facts"] = facts
            if figure is not None:
                figure.park = park
            _tally(result, changes.add(figure, values, {"park": park, "year": row.values["year"]}))
    _save(changes)


def _declared_for(park):
    """The park-year facts the programme governing `park` declares, by id."""
    from core.plugin.registry import declared_facts_of

    return declared_facts_of(park.jurisdiction, "park_year")


def import_table(filename, data: bytes, park, actor, kind=None) -> ImportResult:
    """Import the file into `park` as `actor`, all or nothing; ImportRefused lists every problem.

    `kind` is one of KINDS, or None to tell it from the headers. The actor must reach the park.
    """
    if not actor.may_reach(park.jurisdiction_id, park.id):
        raise ImportRefused([Problem(0, "", "", "该园区不存在或不在您的管辖范围内 / The park does not exist or is outside your reach.")])
    if kind is not None and kind not in KINDS:
        raise ImportRefused([Problem(0, "", "", f"未知的导入类型 {kind!r}，可选：{', '.join(KINDS)} / Unknown kind.")])
    headers, body = read_table(filename, data)
    kind = kind or detect_kind(headers)
    if kind is None:
        raise ImportRefused([Problem(1, "", "", "无法从列名判断文件类型，请使用下载的模板或指定导入类型 / "
                                                "Cannot tell the kind of file from its headers: use the template, or name the kind.")])
    positions, problems = _map_headers(kind, headers)
    if problems:
        raise ImportRefused(problems)
    if not body:
        raise ImportRefused([Problem(0, "", "", "文件只有列名，没有数据行 / The file has headers but no rows.")])
    rows, problems = _parse_rows(kind, headers, body, positions)
    more, agencies = _check_rows(kind, [r for r in rows if r.values], park)
    problems.extend(more)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: (p.row, p.column)))
    result = ImportResult(kind=kind, park_id=park.id, rows=len(rows))
    try:
        with audit.acting_as(actor), database.atomic():
            _write(kind, rows, park, agencies, result)
    except StaleEditError as exc:  # the transaction is rolled back: nothing of the file is kept
        record = exc.instance
        raise ImportRefused([Problem(0, "", "", (
            f"导入期间{record._meta.table_name} #{record.id}已被他人修改，本文件未写入任何数据，请重新导入 / "
            f"{record._meta.table_name} #{record.id} was changed by someone else during the import: "
            f"nothing of this file was written; import it again."))]) from None
    return result
