"""The panel's score workbook (评分表): one year's indicator scores of the parks of one programme,
written empty for the panel to fill offline and read back, every cell checked before anything is used.

The first sheet has a row per park — its official name (认定名称, the key the row is matched by) and
its jurisdiction — and a column per indicator, headed by its Chinese name and the range it is scored
in (with a data validation saying the same). Reading refuses the whole file, listing every problem by
row and column (core.io.tabular.Problem), for: a file that is no workbook, a missing or unknown
column, a row naming a park that is not one to assess, a park twice, and any score that is not a plain
number within the range with at most two decimal places — a formula, a date, a number too large,
'nan'. A row is scored whole or left blank, as on the grid.
"""
import datetime
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from core.io.spreadsheets import _header_row, _put, _sheet_title, to_bytes
from core.io.tabular import ImportRefused, Problem, column_letter
from core.rules.assessment import HIGHEST_SCORE, LOWEST_SCORE

KEY_HEADER = "认定名称"
PLACE_HEADER = "所在辖区"
#: The largest file and the most rows read: a year's scores of a jurisdiction are far fewer.
MAX_BYTES = 2 * 1024 * 1024
#: The most its parts may unpack to (a small file can unpack to gigabytes: a "zip bomb").
MAX_UNPACKED = 64 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
#: The last row read: one past it holding anything refuses the file (rows far down are empty rows' cost).
LAST_ROW = 10_000
CENT = Decimal("0.01")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_YEAR_TITLE = re.compile(r"^(\d{4})年度")
UNREADABLE = "无法读取该文件（文件损坏或不是 Excel 工作簿） — the file cannot be read (damaged, or not an Excel workbook)"


def score_range():
    return f"{LOWEST_SCORE}–{HIGHEST_SCORE}"


def score_header(indicator):
    """The column header of an indicator: its Chinese name and the range it is scored in."""
    return f"{indicator.label}（{score_range()}）"


def write_score_sheet(title, year, parks, indicators) -> bytes:
    """The empty score workbook: `parks` are (official name, jurisdiction name) pairs, `indicators`
    the year's indicators; below the parks, a note saying how to fill it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(f"{year}年度评分")
    _header_row(sheet, [KEY_HEADER, PLACE_HEADER, *(score_header(i) for i in indicators)])
    for row, (name, place) in enumerate(parks, start=2):
        _put(sheet, row, 1, name)
        _put(sheet, row, 2, place)
    sheet.column_dimensions["A"].width = 40
    if indicators and parks:
        last = f"{column_letter(len(indicators) + 1)}{len(parks) + 1}"
        validation = DataValidation(type="decimal", operator="between", formula1=str(LOWEST_SCORE),
                                    formula2=str(HIGHEST_SCORE), allow_blank=True, showErrorMessage=True,
                                    errorTitle="得分超出范围", error=f"请填写{score_range()}之间的数值，最多两位小数")
        validation.add(f"C2:{last}")
        sheet.add_data_validation(validation)
    notes = workbook.create_sheet("填写说明")
    _put(notes, 1, 1, title)
    _put(notes, 2, 1, f"{year}年度考核评分：每行一个园区，每个指标填写{score_range()}之间的数值（最多两位小数），"
                      "请勿填写公式；一行要么全部填写，要么整行留空。请勿修改第一行和认定名称。")
    _put(notes, 3, 1, "导入时整个文件有一处错误即全部不导入，并逐行逐列列出错误；导入后先预览等次和后果，确认后才保存为草稿。")
    notes.column_dimensions["A"].width = 120
    return to_bytes(workbook)


class ScoreCellError(ValueError):
    """A score cell that cannot be used; the message is "中文 — English"."""


def read_score(cell):
    """The score of a cell as plain text ("80", "72.5"); "" when blank; ScoreCellError otherwise."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        raise ScoreCellError("是公式，请填写数值 — a formula: type the number itself")
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise ScoreCellError("是日期或时间，不是数字 — a date or time, not a number")
    if isinstance(value, bool) or cell.data_type == "e":
        raise ScoreCellError("不是数字 — not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ScoreCellError("不是有限的数字 — not a finite number")
        text = repr(value)
    else:
        text = str(value).strip()
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ScoreCellError("不是数字 — not a number")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ScoreCellError("不是数字 — not a number") from None
    if not number.is_finite():
        raise ScoreCellError("不是有限的数字 — not a finite number")
    if number < LOWEST_SCORE:
        raise ScoreCellError(f"不能为负数，应在{score_range()}之间 — negative: it must be within {score_range()}")
    if number > HIGHEST_SCORE:
        raise ScoreCellError(f"超出{score_range()} — out of the range {score_range()}")
    if number != number.quantize(CENT):
        raise ScoreCellError("最多两位小数 — at most two decimal places")
    number = abs(number) if number == 0 else number  # "-0" is 0
    return format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")


def _refused(message):
    return ImportRefused([Problem(0, "", "", message)])


def _first_sheet(filename, data):
    from openpyxl import load_workbook

    if not (filename or "").lower().endswith(".xlsx"):
        raise _refused("只接受下载的评分表（.xlsx 文件） — only the downloaded score workbook (.xlsx) is accepted")
    if len(data) > MAX_BYTES:
        raise _refused(f"文件超过{MAX_BYTES // 1024 // 1024}MB — the file is larger than {MAX_BYTES // 1024 // 1024} MB")
    if not data.startswith(b"PK\x03\x04"):
        raise _refused("不是 Excel 工作簿（.xlsx） — not an Excel workbook (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refused(UNREADABLE) from None
    if unpacked > MAX_UNPACKED:
        raise _refused("文件解压后过大，不像是评分表 — the file unpacks far too large to be a score workbook")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        return workbook, workbook.worksheets[0]
    except Exception:  # openpyxl raises several kinds for a file that is not a workbook
        raise _refused(UNREADABLE) from None


@dataclass(frozen=True)
class Cell:
    """What is read of a cell: its value and openpyxl's type letter (n, s, f, d, b, e)."""

    value: object = None
    data_type: str = "n"


def _rows(workbook, sheet):
    """[(row number, [Cell] × MAX_COLUMNS)] of the non-empty rows, at most MAX_ROWS after the header.
    The sheet's rows are parsed as they are written (openpyxl's parser, as core.io.tabular does), so a
    row far below costs nothing on the way to it and is refused."""
    from openpyxl.worksheet._reader import WorkSheetParser

    rows = []
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=False, epoch=workbook.epoch,
                                 date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, parsed in parser.parse():
            cells = [Cell()] * MAX_COLUMNS
            for cell in parsed:
                if 1 <= cell["column"] <= MAX_COLUMNS:
                    cells[cell["column"] - 1] = Cell(cell["value"], cell["data_type"])
            if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells):
                continue
            if number > LAST_ROW or len(rows) > MAX_ROWS:
                raise _refused(f"一次最多导入{MAX_ROWS}行，且不超过第{LAST_ROW}行 — "
                               f"at most {MAX_ROWS} rows per file, none below row {LAST_ROW}")
            rows.append((number, cells))
    return rows


def _header_text(cell):
    return "" if cell.value is None else str(cell.value).strip()


def _columns(header_row, header_cells, indicators, problems):
    """{indicator id: column index}, from the header row; a problem for each unknown, doubled or missing column."""
    by_header = {}
    for i in indicators:
        by_header[score_header(i)] = i
        by_header[i.label] = i  # the name alone, if the range was cut off
    columns = {}
    for index, cell in enumerate(header_cells):
        text, letter = _header_text(cell), column_letter(index)
        if index == 0:
            if text != KEY_HEADER:
                problems.append(Problem(header_row, letter, text, f"第一列应为「{KEY_HEADER}」 — the first column must be {KEY_HEADER}"))
            continue
        if not text or (index == 1 and text == PLACE_HEADER):
            continue
        indicator = by_header.get(text)
        if indicator is None:
            problems.append(Problem(header_row, letter, text, "不是本年度的考核指标 — not an indicator of this year"))
        elif indicator.id in columns:
            problems.append(Problem(header_row, letter, text, "指标列重复 — this indicator's column appears twice"))
        else:
            columns[indicator.id] = index
    for i in indicators:
        if i.id not in columns:
            problems.append(Problem(0, "", score_header(i), f"缺少指标列「{i.label}」 — the indicator's column is missing"))
    return columns


def read_score_sheet(filename, data, year, indicators, park_problem):
    """[(row number, official name, {indicator id: score text})] of the rows scored, or ImportRefused
    listing every problem. `park_problem(name)` says why a park named in a row is not one to assess
    ("中文 — English"), or None when it is."""
    workbook, sheet = _first_sheet(filename, data)
    try:
        titled = _YEAR_TITLE.match(sheet.title or "")
        rows = _rows(workbook, sheet)
    except ImportRefused:
        raise
    except Exception:  # a sheet whose XML openpyxl cannot parse
        raise _refused(UNREADABLE) from None
    finally:
        workbook.close()
    if titled and int(titled.group(1)) != year:
        raise _refused(f"这是{titled.group(1)}年度的评分表，不是{year}年度的 — "
                       f"this is the score workbook of {titled.group(1)}, not of {year}")
    if not rows:
        raise _refused("文件是空的 — the file is empty")
    problems = []
    header_row, header_cells = rows[0]
    headers = [_header_text(c) for c in header_cells]
    columns = _columns(header_row, header_cells, indicators, problems)
    scored, seen = [], {}
    for number, cells in rows[1:]:
        name = _header_text(cells[0])
        typed, blanks = {}, []
        for indicator_id, index in columns.items():
            try:
                typed[indicator_id] = read_score(cells[index])
            except ScoreCellError as exc:
                problems.append(Problem(number, column_letter(index), headers[index], str(exc)))
                typed[indicator_id] = None
            if typed[indicator_id] == "":
                blanks.append(index)
        if not name:
            if len(blanks) < len(columns):
                problems.append(Problem(number, "A", KEY_HEADER, "缺少认定名称 — the park's official name is missing"))
            continue
        if name in seen:
            problems.append(Problem(number, "A", KEY_HEADER, f"与第{seen[name]}行重复 — the same park as row {seen[name]}"))
            continue
        seen[name] = number
        refusal = park_problem(name)
        if refusal:
            problems.append(Problem(number, "A", KEY_HEADER, refusal))
            continue
        if len(blanks) == len(columns):
            continue  # left blank for later
        problems += [Problem(number, column_letter(index), headers[index],
                             "未填写：一行要么全部填写，要么整行留空 — blank: a row is scored whole or left blank")
                     for index in blanks]
        scored.append((number, name, typed))
    if problems:
        raise ImportRefused(problems)
    if not scored:
        raise _refused("没有填写任何得分 — no score was filled in")
    return scored
