"""Karamay in Chromium: a district officer completes the materials and files the application
(第六条第（一）项: the district HRSS department files); the panel then sees the floor area 1,999 m²
below the 2,000 m² line. And one jurisdiction never sees another's: a Karamay officer opening a
Changzhi application's URL, or a district officer another district's, gets the 404 page with
nothing of the record on it."""
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

from core.world.demo import demo_pdf  # noqa: E402
from core.records.models import Application, Material, Park  # noqa: E402
from core.records.services.applications import missing_materials  # noqa: E402

pytestmark = pytest.mark.browser

DRAFT = "独山子西区人力资源服务园"


def application_of(park_name):
    return Application.select().where(Application.park == Park.get(Park.name == park_name)).order_by(Application.id.desc()).first()


def test_a_karamay_district_officer_files_an_application(open_session):
    application = application_of(DRAFT)
    assert application.state == "draft"
    officer = open_session().login("klmy_dushanzi").open_application(application.id)
    assert officer.page.locator("#transition-file").count() == 1

    officer.take("file")  # refused while materials are missing
    assert "申报材料不全" in officer.flashes() and officer.state() == "draft"

    # A file named .pdf that is not a PDF is refused, and nothing is stored.
    first = missing_materials(application)[0].id
    before = Material.select().where(Material.application == application.id).count()
    officer.upload(first, "disguised.pdf", b"MZ\x90\x00 not a pdf")
    assert "文件内容与扩展名.pdf不符" in officer.flashes()
    assert Material.select().where(Material.application == application.id).count() == before

    for spec in missing_materials(application):
        officer.upload(spec.id, f"{spec.id}.pdf", demo_pdf(f"Dushanzi West: {spec.id}"))
    officer.take("file", remark="区人社局审核后申报")
    assert officer.state() == "panel_review"
    # Filed as it is: the panel sees the floor area under the line (不少于2000平方米 includes 2000).
    floor = officer.criterion("floor_area")
    assert floor.get_attribute("data-status") == "not_met"
    assert floor.locator(".measured").inner_text().replace(",", "").startswith("1999")
    officer.screenshot("flow-04-karamay-filed-zh")


@pytest.mark.parametrize("username, park_name", [
    ("klmy_city", "潞城区人力资源服务产业园"),       # Karamay's city officer, a Changzhi application
    ("cz_city", "白碱滩区人力资源服务产业园"),       # and the other way round
    ("klmy_baijiantan", "独山子西区人力资源服务园"),  # a district officer, another district's
    ("cz_park_luzhou", "长治高新区人力资源服务产业园"),  # an operator, another park in its own district
])
def test_a_url_outside_the_users_jurisdiction_shows_nothing_of_the_record(open_session, username, park_name):
    application = application_of(park_name)
    material = Material.select().where(Material.application == application.id).first()
    session = open_session().login(username)
    for path in (f"/admin/application/details/?id={application.id}", f"/admin/files/material/{material.id}"):
        response = session.goto(path)
        assert response.status == 404, (path, response.status)
        html = session.page.content()
        assert park_name not in html and material.filename not in html
        assert "记录不存在，或不在您的辖区范围内" in session.page.inner_text("#error-message")
    if username == "klmy_city":
        session.goto(f"/admin/application/details/?id={application.id}")
        session.screenshot("scope-404-zh")
