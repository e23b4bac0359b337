"""Spreadsheets in the back office: upload (errors listed by row and column, nothing written),
the template of a jurisdiction, any list exported to .xlsx with Chinese headers and defused
formulas, the yearly assessment workbook, and `hrpark import` of the same files."""
import io
import json

from click.testing import CliRunner
from openpyxl import load_workbook

from admin_test_helpers import csrf_token, login_as
from core.records.models import Agency, Assessment, ParkYear
from import_test_sheets import PARK_YEAR_HEADERS, ROSTER_HEADERS, csv_bytes, roster_rows, xlsx


def upload(client, park_id, filename, data, kind=""):
    token = csrf_token(client, "/admin/spreadsheets/")
    return client.post("/admin/spreadsheets/upload", data={
        "csrf_token": token, "park_id": str(park_id), "kind": kind, "file": (io.BytesIO(data), filename),
    }, content_type="multipart/form-data")


def test_an_upload_imports_and_a_bad_one_lists_its_problems(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["luzhou_operator"])
    park = country.park["changzhi-luzhou"]
    response = upload(client, park.id, "roster.xlsx", xlsx(ROSTER_HEADERS, roster_rows(2)))
    assert response.status_code == 200 and "import-result" in response.get_data(as_text=True)
    assert Agency.select().where(Agency.park == park).count() == 3
    bad = roster_rows(2, start=10)
    bad[1][5] = "2024-02-30"
    response = upload(client, park.id, "roster.xlsx", xlsx(ROSTER_HEADERS, bad))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "import-problems" in page
    assert "<td>3</td><td>F</td>" in page and "不是有效的日期" in page
    assert Agency.select().where(Agency.park == park).count() == 3
    # Another park than one's own is not offered, and refused when posted.
    foreign = upload(client, country.park["karamay"].id, "roster.xlsx", xlsx(ROSTER_HEADERS, roster_rows(1, start=99)))
    assert foreign.status_code == 302
    assert not Agency.select().where(Agency.licence_no == "LIC-00099").exists()


def test_a_panel_member_may_not_upload(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["changzhi_panel"])
    assert client.get("/admin/spreadsheets/").status_code == 403


def test_the_template_has_chinese_headers_and_the_jurisdiction_s_parks(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["changzhi_officer"])
    j = country.j["changzhi"]
    response = client.get(f"/admin/spreadsheets/template/park-years/{j.id}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in workbook.worksheets[0][1]] == PARK_YEAR_HEADERS + ["园区编号"]
    parks = [row[1] for row in workbook["园区"].iter_rows(min_row=2, values_only=True)]
    assert parks == [country.park["changzhi"].name]
    assert client.get(f"/admin/spreadsheets/template/park-years/{country.j['karamay'].id}").status_code == 404


def test_a_list_exports_to_xlsx_with_chinese_headers_and_defused_formulas(api_app, country):
    park = country.park["changzhi-luzhou"]
    Agency.create(park=park, name="=HYPERLINK(\"http://evil\")", licence_no="@SUM(1)")
    client = api_app.test_client()
    login_as(client, country.user["changzhi_officer"])
    response = client.get("/admin/agency/export/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "名称" in rows[0] and "许可证编号" in rows[0]
    names = [r[rows[0].index("名称")] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in names
    assert all(cell.data_type == "s" for cell in sheet["A"][1:])
    assert country.agency["karamay"].name not in names  # scoped as the list is


def test_the_assessment_workbook_has_a_sheet_per_indicator_group_grades_and_subsidies(api_app, country):
    karamay = country.j["karamay"]
    Assessment.update(scores={"agencies": "95", "plan": "88"}).where(
        Assessment.id == country.assessment["karamay"].id).execute()
    client = api_app.test_client()
    login_as(client, country.user["karamay_officer"])
    response = client.get(f"/admin/spreadsheets/assessment-workbook?jurisdiction_id={karamay.id}&year=2025")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["汇总", "定量", "定性", "等次标准", "补贴"]
    summary = list(workbook["汇总"].iter_rows(values_only=True))
    assert summary[0][:6] == ("园区", "认定名称", "辖区", "年度", "总分", "等次")
    assert summary[1][0] == country.park["karamay"].name and summary[1][4] == 85.5 and summary[1][5] == "合格"
    quantitative = list(workbook["定量"].iter_rows(values_only=True))
    assert quantitative[0][1].startswith("入驻机构") or "权重" in quantitative[0][1]
    assert quantitative[1][1] == 95
    money = list(workbook["补贴"].iter_rows(values_only=True))
    assert money[1][3] == 500000 and money[-1][0] == "合计"
    assert len(summary) == 2  # Changzhi's parks are not in Karamay's workbook
    assert client.get(f"/admin/spreadsheets/assessment-workbook?jurisdiction_id={country.j['changzhi'].id}&year=2025").status_code == 404


def test_hrpark_import_reads_spreadsheets_with_park(country, db, monkeypatch, tmp_path):
    from core.io.cli import main as cli
    from core.records.db import database

    park = country.park["changzhi-luzhou"]
    path = tmp_path / "园区年度.csv"
    path.write_bytes(csv_bytes(PARK_YEAR_HEADERS, [[2026, 1, 1, 1, 1, 1, "否"]]))
    monkeypatch.setattr(cli, "connect_database", lambda ctx, migrate=False: database.obj)
    runner = CliRunner()
    result = runner.invoke(cli.cli, ["import", str(path), "--park", str(park.id), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 1
    assert ParkYear.select().where((ParkYear.park == park) & (ParkYear.year == 2026)).exists()
    path.write_bytes(csv_bytes(PARK_YEAR_HEADERS, [[2027, -1, 1, 1, 1, 1, "否"]]))
    bad = runner.invoke(cli.cli, ["import", str(path), "--park", str(park.id)])
    assert bad.exit_code == 2 and "第2行B列" in bad.output
    assert not ParkYear.select().where(ParkYear.year == 2027).exists()
    assert runner.invoke(cli.cli, ["import", str(path)]).exit_code == 2
