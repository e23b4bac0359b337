"""Excel workbooks written with openpyxl: import templates per jurisdiction, any list as .xlsx, and
the yearly assessment workbook of a jurisdiction (one sheet per indicator group, grades, subsidies).

Every header is Chinese (with the English below it in templates). Text cells are always written as
text: a value beginning with = + - @ is never turned into a formula.
"""
import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.records import vocab
from core.rules.assessment import assessment_day
from core.io.tabular import KIND_LABELS, columns_of

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


def _put(sheet, row, column, value):
    """Write a cell; a string stays a string (openpyxl would take '=…' for a formula)."""
    cell = sheet.cell(row=row, column=column)
    if value is not None and not isinstance(value, (str, int, float, Decimal, datetime.date)):
        value = str(value)  # a related record, a lazy string: as it reads
    cell.value = value
    if isinstance(value, str):
        cell.data_type = TYPE_STRING  # after the value, which openpyxl takes for a formula if it begins with =
    elif isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    return cell


def _header_row(sheet, headers, row=1):
    for column, header in enumerate(headers, start=1):
        cell = _put(sheet, row, column, str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = max(12, min(40, len(str(header)) * 2 + 4))
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def _write_rows(sheet, rows, start=2, number_formats=()):
    """The rows of values from row `start` on; `number_formats` (one per column, or None) gives the
    Excel format of that column's numeric and date cells."""
    for r, values in enumerate(rows, start=start):
        for c, value in enumerate(values, start=1):
            cell = _put(sheet, r, c, value)
            number_format = number_formats[c - 1] if c <= len(number_formats) else None
            if number_format and cell.data_type in ("n", "d") and cell.value is not None:
                cell.number_format = number_format


def _sheet_title(text):
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, "·")
    return text[:31] or "Sheet"


def to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def list_workbook(title, headers, rows, number_formats=None) -> bytes:
    """One sheet: the headers (bold, frozen) and the rows as given; `number_formats` (one per
    column, or None) gives the Excel format of that column's numeric and date cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    _header_row(sheet, headers)
    _write_rows(sheet, rows, number_formats=list(number_formats or []))
    return to_bytes(workbook)


def template_workbook(kind, jurisdiction_name, measures_title, parks) -> bytes:
    """The import template of `kind` for one jurisdiction: the data sheet with its Chinese headers,
    how to fill each column, and the jurisdiction's parks with the ids to import into."""
    zh, en = KIND_LABELS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(zh)
    _header_row(sheet, [c.zh for c in columns_of(kind)])

    notes = workbook.create_sheet("填写说明")
    _put(notes, 1, 1, f"{jurisdiction_name}{zh}导入模板 / {en} import template")
    notes.cell(row=1, column=1).font = Font(bold=True, size=13)
    if measures_title:
        _put(notes, 2, 1, f"依据《{measures_title}》")
    _put(notes, 3, 1, "第一行为列名，请勿修改；从第二行起每行一条。整个文件有一处错误即全部不导入，并逐行逐列列出错误。 / "
                      "Keep the header row; one record per row from row 2. A file with any error imports nothing; "
                      "every error is listed by row and column.")
    _header_row(notes, ["列名", "Column", "必填 Required", "说明 Notes"], row=5)
    _write_rows(notes, ([c.zh, c.en, "是 yes" if c.required else "否 no", c.note] for c in columns_of(kind)), start=6)
    notes.column_dimensions["D"].width = 80

    park_sheet = workbook.create_sheet("园区")
    _header_row(park_sheet, ["园区编号", "园区名称", "辖区"])
    _write_rows(park_sheet, parks)
    return to_bytes(workbook)


# --- the yearly assessment workbook ---------------------------------------------------------------


def _score(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return str(value)


def assessment_workbook(jurisdiction_name, year, indicators, tiers, assessments, subsidies) -> bytes:
    """The assessment workbook of one jurisdiction and year.

    `assessments`: dicts with park, official_name, jurisdiction, scores {indicator id: score},
    total_score, grade, status, assessed_on. `subsidies`: dicts with park, kind, year, amount,
    article, status, explanation. Sheets: 汇总 (totals and grades), one per indicator group
    (its indicators' scores, weights in the header), 等次标准 (grade cut-offs) and 补贴.
    """
    workbook = Workbook()
    summary = workbook.active
    summary.title = "汇总"
    _header_row(summary, ["园区", "认定名称", "辖区", "年度", "总分", "等次", "状态", "考核日期"])
    _write_rows(summary, ([a["park"], a["official_name"], a["jurisdiction"], year,
                           None if a["total_score"] is None else Decimal(a["total_score"]),
                           vocab.GRADES.label(a["grade"]) if a["grade"] else "", a["status_label"],
                           a["assessed_on"].isoformat() if a["assessed_on"] else ""] for a in assessments),
                number_formats=[None, None, None, None, "0.00"])

    groups = {}
    for indicator in indicators:
        groups.setdefault(indicator.group, []).append(indicator)
    for group, members in groups.items():
        sheet = workbook.create_sheet(_sheet_title(group))
        headers = ["园区"] + [f"{i.label}（权重{i.weight}，{i.article}）" for i in members]
        _header_row(sheet, headers)
        _write_rows(sheet, ([a["park"], *(_score((a["scores"] or {}).get(i.id)) for i in members)] for a in assessments))

    cutoffs = workbook.create_sheet("等次标准")
    _header_row(cutoffs, ["等次", "最低分（含）", "依据条款"])
    _write_rows(cutoffs, ([t.label, Decimal(t.min_score), t.article]
                          for t in sorted(tiers, key=lambda t: t.min_score, reverse=True)))

    money = workbook.create_sheet("补贴")
    _header_row(money, ["园区", "补贴项目", "年度", "金额（元）", "依据条款", "状态", "说明"])
    _write_rows(money, ([s["park"], s["kind"], s["year"], Decimal(s["amount"]), s["article"],
                         vocab.SUBSIDY_STATUSES.label(s["status"]), s["explanation"]] for s in subsidies))
    total_row = len(subsidies) + 2
    _put(money, total_row, 1, "合计")
    _put(money, total_row, 4, sum((Decimal(s["amount"]) for s in subsidies), Decimal("0.00")))
    money.cell(row=total_row, column=1).font = HEADER_FONT
    return to_bytes(workbook)


def assessment_workbook_for(jurisdiction_row, rules, year, reg=None) -> bytes:
    """Read the jurisdiction's assessments and subsidies of `year` and write the workbook.

    Included: the jurisdiction and the jurisdictions below it governed by the same rules (a
    district without measures of its own follows its city; one with its own plugin has its own
    workbook).
    """
    from core.records.models import Assessment, Jurisdiction, Park, Recognition, Subsidy
    from core.plugin.registry import UnknownJurisdiction, rules_for

    rows = {row.id: row for row in Jurisdiction.select()}
    ids = []
    for row in rows.values():
        ancestor = row
        while ancestor is not None and ancestor.id != jurisdiction_row.id:
            ancestor = rows.get(ancestor.parent_id)
        if ancestor is None:
            continue
        try:
            if rules_for(row, reg).code == rules.code:
                ids.append(row.id)
        except UnknownJurisdiction:
            continue
    query = (
        Assessment.select(Assessment, Recognition, Park, Jurisdiction)
        .join(Recognition).join(Park).switch(Recognition).join(Jurisdiction)
        .where((Recognition.jurisdiction.in_(ids)) & (Assessment.year == year) & (Assessment.status != "cancelled"))
        .order_by(Jurisdiction.id, Park.name, Assessment.id)
    )
    statuses = {"draft": "草稿", "confirmed": "已确认"}
    assessments = [
        {
            "park": a.recognition.park.name,
            "official_name": a.recognition.official_name,
            "jurisdiction": a.recognition.jurisdiction.name_zh,
            "scores": a.scores,
            "total_score": a.total_score,
            "grade": a.grade,
            "status_label": statuses.get(a.status, a.status),
            "assessed_on": a.assessed_on,
        }
        for a in query
    ]
    subsidies = [
        {"park": s.park.name, "kind": s.kind, "year": s.year, "amount": s.amount, "article": s.article,
         "status": s.status, "explanation": s.explanation}
        for s in Subsidy.select(Subsidy, Park).join(Park).where((Subsidy.jurisdiction.in_(ids)) & (Subsidy.year == year))
        .order_by(Park.name, Subsidy.kind, Subsidy.id)
    ]
    day = assessment_day(year)
    return assessment_workbook(jurisdiction_row.name_zh, year, rules.indicators(day), rules.grade_tiers(day), assessments, subsidies)
