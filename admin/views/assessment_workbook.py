"""The panel's score workbook (评分表) of the grid: 下载评分表 writes the grid of the chosen programme and
year as an .xlsx to fill offline (core.io.score_sheet); 导入评分表 reads it back, every cell checked
before anything is used, and shows the grid's own preview — grades and consequences computed by the
programme, nothing written — with the scores in the grid's fields, so that confirming is the grid's
save: the values posted again, checked again, every row a draft in one transaction.

A row is matched by the park's official name among the grid's rows (the user's scope only); a name
of another jurisdiction, of another programme or unknown is refused alike, saying nothing of it."""
from urllib.parse import quote

from flask import Response, request

from admin.auth import current_scope
from admin.scoping import scoped_select
from admin.views import workflow
from admin.views.assessment_grid import grid_choice, preview, render_grid
from core.io.score_sheet import MAX_BYTES, read_score_sheet, write_score_sheet
from core.io.spreadsheets import XLSX_MIMETYPE
from core.io.tabular import ImportRefused, Problem
from core.records.models import Assessment, Recognition


def workbook_response(choice):
    """The empty score workbook of the grid `choice` (admin.views.assessment_grid.grid_choice)."""
    title = f"{dict(choice.programmes).get(choice.programme, '')}{choice.year}年度考核评分表"
    parks = [(r.official_name, r.jurisdiction.name_zh) for r in choice.rows]
    data = write_score_sheet(title, choice.year, parks, choice.indicators)
    filename = f"{choice.year}年度考核评分表.xlsx"
    return Response(data, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f"attachment; filename=scores.xlsx; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store",
    })


def park_refusal(choice):
    """The `park_problem` of core.io.score_sheet.read_score_sheet for the grid `choice`."""
    to_assess = {r.official_name for r in choice.rows}
    doubled = {name for name in to_assess if sum(r.official_name == name for r in choice.rows) > 1}

    def refusal(name):
        if name in doubled:
            return "有两个同名园区，请在表格页面直接录入 — two parks bear this name: enter their scores on the grid"
        if name in to_assess:
            return None
        assessed = (scoped_select(Recognition, current_scope()).join(Assessment)
                    .where((Recognition.official_name == name) & (Assessment.year == choice.year)
                           & (Assessment.status != "cancelled")).exists())
        if assessed:
            return f"已有{choice.year}年度考核记录 — already has an assessment of {choice.year}"
        return (f"不是您辖区内本办法{choice.year}年度待考核的园区 — "
                f"not a park of these measures in your jurisdiction to assess for {choice.year}")

    return refusal


def import_page(view):
    """The grid after an uploaded workbook: its preview with the scores filled in, or (400) its problems."""
    choice = grid_choice()
    upload = request.files.get("workbook")
    try:
        if upload is None or not upload.filename:
            raise ImportRefused([Problem(0, "", "", "请选择填好的评分表（.xlsx 文件） — choose the filled score workbook (.xlsx)")])
        if not choice.rows:
            raise ImportRefused([Problem(0, "", "", "本年度没有待考核的园区 — no park is left to assess for this year")])
        scored = read_score_sheet(upload.filename, upload.read(MAX_BYTES + 1), choice.year, choice.indicators, park_refusal(choice))
    except ImportRefused as exc:
        return render_grid(view, choice, {}, problems=exc.problems, status=400)
    by_name = {r.official_name: r for r in choice.rows}
    scores = {by_name[name].id: typed for _number, name, typed in scored}
    values = {f"score-{recognition_id}-{indicator_id}": text
              for recognition_id, typed in scores.items() for indicator_id, text in typed.items()}
    results = preview(choice.rows, scores, choice.year, workflow.today())
    return render_grid(view, choice, values, results, previewed=True, imported=len(scores))
