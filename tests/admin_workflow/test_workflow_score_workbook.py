"""The panel's score workbook of the grid: downloaded with a row per park of the user's scope and a
column per indicator, filled offline and imported — every cell checked first, a refusal naming its row
and column and writing nothing — into the grid's own preview; confirming is the grid's save."""
import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from admin_test_helpers import db_snapshot
from core.io.score_sheet import Cell, ScoreCellError, read_score
from core.records.models import Assessment
from tests.admin_workflow.pages import CHANGZHI_FAIL, CHANGZHI_PASS

GRID = "/admin/assessment/grid/"
DOWNLOAD = "/admin/assessment/grid/workbook/?year=2025"
IMPORT = "/admin/assessment/grid/import/?year=2025"
COLUMNS = ("economic_development", "role_played", "operation_management")  # B.. in the order of the grid


def empty_zip():
    """A zip archive with nothing in it: it begins as a workbook does, and is none."""
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    return buffer.getvalue()


def downloaded(browser, url=DOWNLOAD):
    response = browser.get(url)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def filled(browser, values):
    """The downloaded workbook with `values` {official name: {indicator id: value}} typed in."""
    workbook = downloaded(browser)
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    column = {i: next(n for n, h in enumerate(headers, start=1) if h and h.startswith(label))
              for i, label in (("economic_development", "经济"), ("role_played", "作用"), ("operation_management", "运营"))}
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for name, scores in values.items():
        row = rows.get(name) or sheet.max_row + 1
        sheet.cell(row=row, column=1).value = name
        for indicator, value in scores.items():
            sheet.cell(row=row, column=column[indicator]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(browser, data, filename="评分表.xlsx"):
    return browser.post(IMPORT, files={"workbook": (data, filename)})


def result(html, recognition):
    cell = re.search(rf'id="grid-row-{recognition.id}">.*?class="grid-result small">(.*?)</td>', html, re.S).group(1)
    return re.sub(r"<[^>]+>|\s+", "", cell)


def problems(html):
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<li>(.*?)</li>", html.split('id="workbook-problems"')[1].split("</div>")[0])]


def test_the_workbook_has_a_row_per_park_of_the_scope_and_a_column_per_indicator_with_its_range(browse, grid_parks):
    first, second, other = grid_parks
    sheet = downloaded(browse("cz_city")).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["认定名称", "所在辖区"]
    assert len(headers) == 2 + len(COLUMNS) and all(h.endswith("（0–100）") for h in headers[2:])
    assert any(h.startswith("经济发展") for h in headers)
    names = [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(names) == sorted([first.official_name, second.official_name])
    assert other.official_name not in names and not any(str(first.id) == str(c.value) for c in sheet["A"])
    assert all(sheet.cell(row=r, column=c).value is None for r in range(2, 4) for c in range(3, 6))  # nothing pre-filled
    rule = sheet.data_validations.dataValidation[0]
    assert (rule.type, rule.formula1, rule.formula2) == ("decimal", "0", "100") and "C2:E3" in str(rule.sqref)
    karamay = [c.value for c in downloaded(browse("kr_city")).worksheets[0]["A"][1:]]
    assert karamay == [other.official_name]


def test_an_imported_workbook_previews_the_grids_grades_and_writes_nothing(browse, grid_parks):
    first, second, _other = grid_parks
    city = browse("cz_city")
    before = db_snapshot()
    response = upload(city, filled(city, {first.official_name: CHANGZHI_PASS, second.official_name: CHANGZHI_FAIL}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    grid = city.flashed(f"{GRID}?year=2025", {
        **{f"score-{first.id}-{k}": v for k, v in CHANGZHI_PASS.items()},
        **{f"score-{second.id}-{k}": v for k, v in CHANGZHI_FAIL.items()}, "preview": "1"})
    assert result(page, first) == result(grid, first) and result(page, first).startswith("合格（80.00）")
    assert result(page, second) == result(grid, second) and "第二十条" in result(page, second)
    assert f'name="score-{second.id}-role_played"' in page and 'value="50"' in page and 'id="grid-save"' in page
    assert "已读入评分表：2个园区已评分，尚未保存" in page
    assert db_snapshot() == before


def test_confirming_the_imported_preview_saves_every_row_as_a_draft(browse, grid_parks):
    first, second, _other = grid_parks
    city = browse("cz_city")
    page = upload(city, filled(city, {first.official_name: {**CHANGZHI_PASS, "role_played": 80.5},
                                      second.official_name: CHANGZHI_FAIL})).get_data(as_text=True)
    posted = dict(re.findall(r'name="(score-\d+-\w+)"[^>]*value="([^"]*)"', page))
    assert posted[f"score-{first.id}-role_played"] == "80.5"
    response = city.post(f"{GRID}?year=2025", {**posted, "save": "1"})
    assert response.status_code == 302
    drafts = {a.recognition_id: (a.grade, a.status, a.scores["role_played"])
              for a in Assessment.select().where(Assessment.year == 2025)}
    assert drafts == {first.id: ("qualified", "draft", "80.5"), second.id: ("unqualified", "draft", "50")}


@pytest.mark.parametrize("value, message", [
    ("abc", "不是数字"), ("nan", "不是数字"), (-1, "不能为负数"), (100.01, "超出0–100"), (1e308, "超出0–100"),
    (80.123, "最多两位小数"), ("1e2", "不是数字"), ("inf", "不是数字"), ("=50+30", "是公式"), (datetime.date(2025, 5, 1), "是日期"), (True, "不是数字"),
])
def test_one_bad_cell_names_its_row_and_column_and_nothing_is_written(browse, grid_parks, value, message):
    first, second, _other = grid_parks
    city = browse("cz_city")
    before = db_snapshot()
    response = upload(city, filled(city, {first.official_name: CHANGZHI_PASS,
                                          second.official_name: dict(CHANGZHI_PASS, role_played=value)}))
    assert response.status_code == 400
    lines = problems(response.get_data(as_text=True))
    row = 2 + sorted([first.official_name, second.official_name]).index(second.official_name)
    assert len(lines) == 1 and lines[0].startswith(f"第{row}行 D列「作用发挥") and message in lines[0], lines
    assert 'id="grid-save"' not in response.get_data(as_text=True)
    assert db_snapshot() == before


@pytest.mark.parametrize("value, accepted", [(0, True), ("0.00", True), (-0.01, False), (100, True), (100.00, True),
                                             ("100.01", False), (99.99, True)])
def test_the_indicator_range_is_taken_to_its_bounds_and_refused_past_them(browse, grid_parks, value, accepted):
    first, _second, _other = grid_parks
    city = browse("cz_city")
    response = upload(city, filled(city, {first.official_name: dict(CHANGZHI_PASS, economic_development=value)}))
    assert (response.status_code == 200) is accepted
    if accepted:
        assert re.match(r"(优秀|合格|不合格)（\d+\.\d{2}）", result(response.get_data(as_text=True), first))
    else:
        assert "D列" not in problems(response.get_data(as_text=True))[0]  # the first score column: C


def test_a_park_of_another_jurisdiction_or_a_park_twice_is_refused(browse, grid_parks):
    first, _second, other = grid_parks
    city = browse("cz_city")
    before = db_snapshot()
    data = filled(city, {first.official_name: CHANGZHI_PASS, other.official_name: CHANGZHI_PASS})
    response = upload(city, data)
    lines = problems(response.get_data(as_text=True))
    assert response.status_code == 400 and len(lines) == 1
    assert lines[0].startswith("第4行 A列「认定名称」") and "不是您辖区内" in lines[0]
    sheet_bytes = filled(city, {first.official_name: CHANGZHI_PASS})
    workbook = load_workbook(io.BytesIO(sheet_bytes))
    workbook.worksheets[0].append([first.official_name, "", 70, 70, 70])
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = problems(upload(city, buffer.getvalue()).get_data(as_text=True))
    assert any("A列「认定名称」" in line and "重复" in line for line in lines), lines
    assert db_snapshot() == before


def test_a_missing_or_unknown_indicator_column_is_refused(browse, grid_parks):
    first, _second, _other = grid_parks
    city = browse("cz_city")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["认定名称", "所在辖区", "经济发展（0–100）", "服务收入", "运营管理（0–100）"])
    sheet.append([first.official_name, "", 80, 80, 80])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(city, buffer.getvalue())
    lines = problems(response.get_data(as_text=True))
    assert response.status_code == 400
    assert any(line.startswith("第1行 D列「服务收入」") for line in lines), lines
    assert any("缺少指标列「作用发挥" in line for line in lines), lines


@pytest.mark.parametrize("data, filename", [
    (b"%PDF-1.4 not a workbook", "评分表.pdf"), (b"PK\x03\x04 broken zip", "评分表.xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "评分表.xlsx"), (b"", "评分表.xlsx"),
    (empty_zip(), "评分表.xlsx"),
])
def test_a_file_that_is_not_the_workbook_answers_400_with_a_message(browse, grid_parks, data, filename):
    city = browse("cz_city")
    before = db_snapshot()
    response = upload(city, data, filename)
    assert response.status_code == 400
    assert problems(response.get_data(as_text=True))[0].startswith("整个文件：")
    assert db_snapshot() == before


def test_the_workbook_of_another_year_is_refused(browse, grid_parks):
    first, _second, _other = grid_parks
    city = browse("cz_city")
    workbook = downloaded(city, DOWNLOAD.replace("2025", "2024"))
    workbook.worksheets[0]["C2"], workbook.worksheets[0]["D2"], workbook.worksheets[0]["E2"] = 80, 80, 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(city, buffer.getvalue())
    assert response.status_code == 400
    assert problems(response.get_data(as_text=True)) == ["整个文件：这是2024年度的评分表，不是2025年度的"]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_number_cell_that_is_not_finite_is_refused(value):
    """openpyxl writes no such cell, another program may: the cell as read is refused."""
    with pytest.raises(ScoreCellError, match="不是有限的数字"):
        read_score(Cell(value, "n"))


def zip_bomb():
    """A small archive whose one part unpacks to 100 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * 100 * 1024 * 1024)
    return buffer.getvalue()


def test_a_file_too_large_packed_or_unpacked_is_refused(browse, grid_parks):
    city = browse("cz_city")
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    response = upload(city, bomb)
    assert response.status_code == 400 and "解压后过大" in problems(response.get_data(as_text=True))[0]
    response = upload(city, b"PK\x03\x04" + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 400 and "文件超过2MB" in problems(response.get_data(as_text=True))[0]


def test_merged_cells_and_rows_far_below_are_refused_not_crashed(browse, grid_parks):
    first, second, _other = grid_parks
    city = browse("cz_city")
    workbook = load_workbook(io.BytesIO(filled(city, {first.official_name: CHANGZHI_PASS})))
    sheet = workbook.worksheets[0]
    sheet.merge_cells(start_row=3, start_column=3, end_row=3, end_column=5)
    sheet.cell(row=3, column=3).value = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(city, buffer.getvalue())
    assert response.status_code == 400 and any("未填写" in line for line in problems(response.get_data(as_text=True)))
    sheet.cell(row=50_000, column=1).value = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(city, buffer.getvalue())
    assert response.status_code == 400 and "最多导入" in problems(response.get_data(as_text=True))[0]


def test_only_the_assessing_role_downloads_or_imports(browse, grid_parks):
    for account in ("cz_county", "cz_finance", "cz_operator"):
        browser = browse(account)
        assert browser.get(DOWNLOAD).status_code == 403, account
        assert upload(browser, b"PK\x03\x04").status_code == 403, account
    assert 'id="grid-workbook"' in browse("cz_city").html("/admin/assessment/")
