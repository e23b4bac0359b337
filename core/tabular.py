"""Import of agency rosters and yearly figures from .xlsx and .csv files (Chinese column headers).

Three kinds of file, each for one park: the agency roster (入驻机构名册), the agencies' yearly
figures and the park's own yearly figures. Every row is validated first and every problem is
listed with its row and column; only a file without problems is written, in one transaction
through the models, so each row gets its audit entry. A file with one bad row writes nothing.

Rows are matched, not duplicated: an agency by its licence number within the park, a yearly
figure by its year; a matched row is updated (only when something changed).
"""
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core import audit, vocab
from core.db import database
from core.dossier import FIRST_YEAR, LAST_YEAR

ROSTER, AGENCY_YEARS, PARK_YEARS = "roster", "agency-years", "park-years"
KINDS = (ROSTER, AGENCY_YEARS, PARK_YEARS)
KIND_LABELS = {
    ROSTER: ("入驻机构名册", "agency roster"),
    AGENCY_YEARS: ("入驻机构年度数据", "agencies' yearly figures"),
    PARK_YEARS: ("园区年度数据", "park's yearly figures"),
}
MAX_ROWS = 20_000
CENT = Decimal("0.01")
#: The largest amount a money column holds (16 digits, two of them fen).
MAX_AMOUNT = Decimal("99999999999999.99")
MAX_COUNT = 2_147_483_647
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
        return dict(kind=self.kind, park_id=self.park_id, rows=self.rows, created=self.created,
                    updated=self.updated, unchanged=self.unchanged)


# --- cells ------------------------------------------------------------------------------------------


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value):
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a licence number Excel stored as a number
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise CellError(f"不能超过{MAX_TEXT}个字符 / At most {MAX_TEXT} characters.")
    if any(ord(c) < 32 for c in text):
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
        codes = []
        for part in parts:
            code = _term(vocabulary, part)
            if code not in codes:
                codes.append(code)
        return codes

    return read


def read_amount(value):
    """Yuan, not negative, at most two places; a float from Excel is read through its shortest repr."""
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
    if number < 0:
        raise CellError("金额不能为负数 / An amount must not be negative.")
    if number > MAX_AMOUNT:
        raise CellError(f"金额不能超过{MAX_AMOUNT}元 / An amount must not exceed {MAX_AMOUNT} yuan.")
    if number != number.quantize(CENT):
        raise CellError("金额最多两位小数（分） / An amount has at most two decimal places.")
    return number.quantize(CENT)


def read_count(value):
    if _blank(value):
        return 0
    if isinstance(value, bool):
        raise CellError("不是有效的整数 / Not a valid whole number.")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"“{value}”不是整数 / {value!r} is not a whole number.")
        value = int(value)
    text = str(value).strip().replace(",", "")
    if not re.fullmatch(r"-?\d+", text):
        raise CellError(f"“{value}”不是有效的整数 / {value!r} is not a valid whole number.")
    number = int(text)
    if number < 0:
        raise CellError("不能为负数 / Must not be negative.")
    if number > MAX_COUNT:
        raise CellError(f"不能超过{MAX_COUNT} / Must not exceed {MAX_COUNT}.")
    return number


def read_year(value):
    if _blank(value):
        raise CellError("缺少年度 / The year is missing.")
    try:
        year = read_count(value)
    except CellError:
        raise CellError(f"“{value}”不是有效的年份 / {value!r} is not a valid year.") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(f"年份应在{FIRST_YEAR}至{LAST_YEAR}之间 / The year must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return year


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def read_date(value):
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.fullmatch(str(value).strip().split(" ")[0])
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(f"“{value}”不是有效的日期，应写作 2025-01-31 / {value!r} is not a valid date (write 2025-01-31).")


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


PARK_COLUMN = Column("park_id", "园区编号", "park ID", read_park_id, note="可留空；填写时须为导入的园区 / optional; if given, the park imported into")

COLUMNS = {
    ROSTER: [
        Column("name", "机构名称", "agency name", read_text, required=True),
        Column("licence_no", "许可证/备案编号", "licence number", read_text, required=True,
               note="园区内唯一，用于匹配已有机构 / unique in the park; matches existing agencies"),
        Column("kind", "机构性质", "agency kind", code_reader(vocab.AGENCY_KINDS, "operating"), note=_vocab_note(vocab.AGENCY_KINDS)),
        Column("licence_kind", "许可类型", "licence kind", code_reader(vocab.LICENCE_KINDS, "licence"), note=_vocab_note(vocab.LICENCE_KINDS)),
        Column("service_lines", "服务业态", "service lines", codes_reader(vocab.SERVICE_LINES),
               note=_vocab_note(vocab.SERVICE_LINES) + "；多项用、分隔"),
        Column("admitted_on", "入驻日期", "admitted on", read_date, note="2025-01-31"),
        Column("exited_on", "退出日期", "exited on", read_date, note="2025-01-31"),
        Column("exit_reason", "退出原因", "exit reason", read_long_text),
        PARK_COLUMN,
    ],
    AGENCY_YEARS: [
        Column("licence_no", "许可证/备案编号", "licence number", read_text, required=True,
               note="须为本园区名册中的机构 / an agency on the park's roster"),
        Column("agency_name", "机构名称", "agency name", read_text, note="仅供核对 / for checking only"),
        Column("year", "年度", "year", read_year, required=True),
        Column("revenue", "营业收入（元）", "revenue (yuan)", read_amount, note="不含代收代付 / excluding pass-through"),
        Column("pass_through", "代收代付（元）", "collected and paid on behalf (yuan)", read_amount),
        Column("tax", "纳税额（元）", "tax (yuan)", read_amount),
        Column("employment_helped", "帮助就业人数", "employment helped", read_count),
        PARK_COLUMN,
    ],
    PARK_YEARS: [
        Column("year", "年度", "year", read_year, required=True),
        Column("events_held", "举办活动次数", "events held", read_count),
        Column("service_products", "服务产品数", "service products", read_count),
        Column("complaints_handled", "处理投诉数", "complaints handled", read_count),
        Column("employment_promoted", "促进就业人数", "employment promoted", read_count),
        Column("people_served", "服务人次", "people served", read_count),
        Column("incubation_subsidy_claimed", "已享受孵化基地补贴", "incubation-base subsidy claimed", read_flag,
               note="是/否（克拉玛依第二十条）"),
        PARK_COLUMN,
    ],
}


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
        return [(number, row) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


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
    def has(kind):
        return all(any(c.matches(h) for h in headers) for c in COLUMNS[kind] if c.required)

    if has(AGENCY_YEARS):
        return AGENCY_YEARS
    if has(ROSTER):
        return ROSTER
    if has(PARK_YEARS):
        return PARK_YEARS
    return None


def _map_headers(kind, headers):
    """{column key: index} for the kind; problems for unknown, repeated and missing headers."""
    columns = COLUMNS[kind]
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
    columns = {c.key: c for c in COLUMNS[kind]}
    rows, problems = [], []
    for number, values in body:
        row = _Row(number, {})
        for key, column in columns.items():
            index = positions.get(key)
            raw = values[index] if index is not None and index < len(values) else None
            letter = column_letter(index) if index is not None else ""
            row.cells[key] = (letter, headers[index] if index is not None else column.zh)
            if column.required and _blank(raw):
                problems.append(Problem(number, letter, row.cells[key][1], "必填，不能为空 / Required: may not be empty."))
                continue
            try:
                row.values[key] = column.read(raw)
            except CellError as exc:
                problems.append(Problem(number, letter, row.cells[key][1], str(exc)))
        rows.append(row)
    return rows, problems


def _problem(row, key, message):
    letter, header = row.cells.get(key, ("", key))
    return Problem(row.number, letter, header, message)


def _check_rows(kind, rows, park):
    """Problems that need more than one cell: foreign parks, duplicates, unknown agencies, dates."""
    from core.models import Agency

    problems = []
    seen = {}
    agencies = {}
    if kind == AGENCY_YEARS:
        agencies = {a.licence_no: a for a in Agency.select().where(Agency.park == park) if a.licence_no}
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
        if key is None or (isinstance(key, tuple) and None in key):
            continue
        if key in seen:
            what = {ROSTER: "许可证/备案编号 / licence number", AGENCY_YEARS: "机构与年度 / agency and year",
                    PARK_YEARS: "年度 / year"}[kind]
            column = "year" if kind == PARK_YEARS else "licence_no"
            problems.append(_problem(row, column, f"与第{seen[key]}行重复（{what}） / Same as row {seen[key]}."))
        else:
            seen[key] = row.number
    return problems, agencies


def _upsert(model, existing, values, create_values):
    """Create, or update `existing` if a value differs; returns 'created', 'updated' or 'unchanged'."""
    if existing is None:
        model.create(**create_values, **values)
        return "created"
    changed = [k for k, v in values.items() if getattr(existing, k) != v]
    if not changed:
        return "unchanged"
    for k in changed:
        setattr(existing, k, values[k])
    existing.save()
    return "updated"


def _write(kind, rows, park, agencies, result):
    from core.models import Agency, AgencyYear, ParkYear

    if kind == ROSTER:
        existing = {a.licence_no: a for a in Agency.select().where(Agency.park == park) if a.licence_no}
        for row in rows:
            values = {k: v for k, v in row.values.items() if k != "park_id"}
            agency = existing.get(values["licence_no"])
            if agency is not None:
                agency.park = park  # the loaded park: its audit scope needs no query
            outcome = _upsert(Agency, agency, values, {"park": park})
            setattr(result, outcome, getattr(result, outcome) + 1)
    elif kind == AGENCY_YEARS:
        by_agency = {}
        for figure in AgencyYear.select().join(Agency).where(Agency.park == park):
            by_agency[(figure.agency_id, figure.year)] = figure
        for row in rows:
            agency = agencies[row.values["licence_no"]]
            agency.park = park
            values = {k: row.values[k] for k in ("revenue", "pass_through", "tax", "employment_helped")}
            figure = by_agency.get((agency.id, row.values["year"]))
            if figure is not None:
                figure.agency = agency
            outcome = _upsert(AgencyYear, figure, values, {"agency": agency, "year": row.values["year"]})
            setattr(result, outcome, getattr(result, outcome) + 1)
    else:
        by_year = {y.year: y for y in ParkYear.select().where(ParkYear.park == park)}
        for row in rows:
            values = {k: v for k, v in row.values.items() if k not in ("park_id", "year")}
            figure = by_year.get(row.values["year"])
            if figure is not None:
                figure.park = park
            outcome = _upsert(ParkYear, figure, values, {"park": park, "year": row.values["year"]})
            setattr(result, outcome, getattr(result, outcome) + 1)


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
    with audit.acting_as(actor), database.atomic():
        _write(kind, rows, park, agencies, result)
    return result
