"""青川市's parks exported (the back office's spreadsheet of parks, scoped to the city; the park's
dossier carrying its own fact), and its own document — the experts' review opinion (专家评审意见书,
第四条第（二）项) — downloaded as Word and as the print view, saying what the experts wrote."""
import datetime
import io

import docx
from openpyxl import load_workbook

from core.io.dossier import export_dossier
from core.records.services import applications as apps
from core.records.services.materials import add_material
from tests.builders import PDF, actor
from tests.builders import make_park as make_changzhi_park

from .test_qingchuan_back_office import MATERIALS

TEMPLATE = "qingchuan.expert_opinion"
OPINION = "专家评审组意见：规划科学，人才公寓配套到位。"


def reviewed_application(town, upload_dir):
    """The town's park, filed and passed by the county and the experts (through the services)."""
    operator = actor("park_operator", park=town.park)
    application = apps.create_application(town.park, operator, year=2026)
    for material_id in MATERIALS:
        add_material(application, material_id, f"{material_id}.pdf", PDF, operator, directory=upload_dir)
    day = datetime.date(2026, 3, 2)
    application = apps.take_transition(application, "submit", operator, on=day)
    application = apps.take_transition(application, "county_pass", actor("county_officer", town.county), on=day)
    expert = actor("expert", town.city, name="青川专家")
    apps.record_verdict(application, "planning_report", True, "规划报告科学合理", expert)
    return apps.take_transition(application, "expert_pass", expert, remark=OPINION, on=day)


def test_the_city_exports_its_parks_and_no_other_citys(browse, town):
    make_changzhi_park(town.changzhi, name="长治某人力资源服务产业园")
    response = browse("city").get("/admin/park/export/xlsx/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(row[header.index("名称")], row[header.index("辖区")]) for row in rows] == [("青川白水人力资源服务产业园", "白水县")]


def test_the_dossier_export_carries_its_own_fact(town):
    dossier = export_dossier(town.park.id)
    assert dossier["jurisdiction"] == "qingchuan-baishui" and dossier["facts"] == {"talent_apartments": 25}


def test_its_own_document_downloads_as_word_and_print_view(app, browse, town):
    application = reviewed_application(town, app.config["UPLOAD_DIR"])
    city = browse("city")
    assert f"/admin/documents/{TEMPLATE}/{application.id}/docx" in city.html(f"/admin/application/details/?id={application.id}")

    word = city.get(f"/admin/documents/{TEMPLATE}/{application.id}/docx")
    assert word.status_code == 200 and word.data[:2] == b"PK"
    document = docx.Document(io.BytesIO(word.data))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    for needle in ("市级人力资源服务产业园专家评审意见书", "青川白水人力资源服务产业园", OPINION, "第三条第（四）项", "人才公寓"):
        assert needle in text, needle
    assert "{{" not in text and "{%" not in text

    printed = city.get(f"/admin/documents/{TEMPLATE}/{application.id}/html")
    assert printed.status_code == 200
    html = printed.get_data(as_text=True)
    assert "专家评审意见书" in html and OPINION in html and "第三条第（四）项" in html


def test_another_citys_officer_gets_404_for_its_document(app, browse, town):
    application = reviewed_application(town, app.config["UPLOAD_DIR"])
    for fmt in ("docx", "html"):
        assert browse("changzhi_city").get(f"/admin/documents/{TEMPLATE}/{application.id}/{fmt}").status_code == 404
