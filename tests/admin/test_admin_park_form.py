"""The park form with its inline sites and agencies (issue 11 item 1): a row added in the browser
is saved (it used to be refused with "Failed to create record.", its empty hidden id taken for a
missing value), existing rows are edited under their versions, and a refused save names each
wrong field, with its row, in Chinese."""
import html as html_module
import re
from decimal import Decimal

import pytest

from admin_test_helpers import as_post, db_snapshot, form_fields, login_as
from core.records.models import Agency, Park, Site


def inline_row(page, list_name, index, **values):
    """The fields of a new inline row as the browser posts it after "添加" is clicked: Flask-Admin's
    script copies the hidden row template and prefixes each name with `<list>-<index>-`."""
    match = re.search(rf'<div class="inline-field" id="{list_name}">.*?<div class="inline-field-template d-none">(.*?)</div>\s*<a id="{list_name}-button"',
                      page, re.S)
    assert match, f"no template of {list_name}"
    template = html_module.unescape(match.group(1))
    fields = form_fields(f'<form class="row-template">{template}</form>', marker="row-template")
    row = [(f"{list_name}-{index}-{name}", value) for name, value in fields]
    return [(name, value) for name, value in row if name.rsplit("-", 1)[1] not in values] + [
        (f"{list_name}-{index}-{name}", value) for name, value in values.items()]


@pytest.fixture
def county(app, scoping_world):
    client = app.test_client()
    login_as(client, scoping_world.user["changzhi_county_officer"])  # 潞州区
    return client


def flashes(page):
    return " ".join(re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S))


def test_issue_11_item_1_a_new_park_is_created_with_a_new_site_and_agency(county, scoping_world):
    page = county.get("/admin/park/new/").get_data(as_text=True)
    fields = form_fields(page)
    fields = [(k, v) for k, v in fields if k not in ("name", "jurisdiction")] + [
        ("name", "潞州区新建产业园"), ("jurisdiction", str(scoping_world.j["luzhou"].id))]
    fields += inline_row(page, "sites", 0, name="核心园区", floor_area="3200.5", is_core="y")
    fields += inline_row(page, "agencies", 0, name="新入驻人力资源公司", licence_no="L-NEW-1")
    response = county.post("/admin/park/new/", data=as_post(fields))
    assert response.status_code == 302, flashes(response.get_data(as_text=True))
    park = Park.get(Park.name == "潞州区新建产业园")
    site = Site.get(Site.park == park)
    assert (site.name, site.floor_area, site.is_core, site.version) == ("核心园区", Decimal("3200.50"), True, 1)
    agency = Agency.get(Agency.park == park)
    assert (agency.name, agency.licence_no, agency.version) == ("新入驻人力资源公司", "L-NEW-1", 1)


def test_issue_11_item_1_editing_a_park_adds_rows_and_changes_the_existing_ones(county, scoping_world):
    park, site, agency = scoping_world.park["luzhou"], scoping_world.site["luzhou"], scoping_world.agency["luzhou"]
    path = f"/admin/park/edit/?id={park.id}"
    page = county.get(path).get_data(as_text=True)
    fields = form_fields(page)
    fields += inline_row(page, "sites", 1, name="东区分园", floor_area="1200")
    fields += inline_row(page, "agencies", 1, name="第二家机构", licence_no="L-NEW-2")
    response = county.post(path, data=as_post(fields, **{"sites-0-floor_area": "3100", "agencies-0-name": "改名的机构"}))
    assert response.status_code == 302, flashes(response.get_data(as_text=True))
    sites = {s.name: s for s in Site.select().where(Site.park == park)}
    assert sites["东区分园"].floor_area == Decimal("1200.00") and sites["东区分园"].version == 1
    assert sites[site.name].floor_area == Decimal("3100.00") and sites[site.name].version == 2
    agencies = {a.name: a for a in Agency.select().where(Agency.park == park)}
    assert set(agencies) == {"改名的机构", "第二家机构"} and agencies["改名的机构"].id == agency.id

    # and once more, the new rows now being existing rows of the form
    page = county.get(path).get_data(as_text=True)
    fields = dict(form_fields(page))
    row = next(k.rsplit("-", 1)[0] for k, v in fields.items() if k.startswith("sites-") and v == "东区分园")
    response = county.post(path, data=as_post(form_fields(page), **{f"{row}-floor_area": "1300"}))
    assert response.status_code == 302
    assert Site.get(Site.name == "东区分园").floor_area == Decimal("1300.00")


def test_issue_11_item_1_a_refused_save_names_the_row_and_field_in_chinese(county, scoping_world):
    park = scoping_world.park["luzhou"]
    path = f"/admin/park/edit/?id={park.id}"
    page = county.get(path).get_data(as_text=True)
    fields = form_fields(page) + inline_row(page, "sites", 1, name="", floor_area="1200")
    before = db_snapshot()
    response = county.post(path, data=as_post(fields, name="不应保存的新名称"))
    assert response.status_code == 200
    text = flashes(response.get_data(as_text=True))
    assert "未保存，请更正" in text and "第2行" in text and "园区名称" in text and "必填" in text, text
    assert "未能保存记录" in text and "Failed to save record" not in text  # Flask-Admin's own line, in Chinese too
    assert db_snapshot() == before


@pytest.mark.parametrize("area, reason", [("-5", "不能为负数"), ("99999999999", "不能超过9999999999.99"), ("12.345", "最多两位小数")])
def test_issue_11_item_13_a_site_s_floor_area_is_held_to_its_column_s_bounds(county, scoping_world, area, reason):
    park = scoping_world.park["luzhou"]
    path = f"/admin/park/edit/?id={park.id}"
    page = county.get(path).get_data(as_text=True)
    before = db_snapshot()
    response = county.post(path, data=as_post(form_fields(page) + inline_row(page, "sites", 1, name="西区", floor_area=area)))
    text = flashes(response.get_data(as_text=True))
    assert "第2行" in text and "建筑面积" in text and reason in text, text
    assert db_snapshot() == before
