"""A CSRF token on every form and every action (a POST without one is refused with 400 and
changes nothing), and two officers editing one record: the second save is refused, the first kept."""
import re

import pytest

from admin_test_helpers import as_post, csrf_token, csrf_tokens, db_snapshot, form_fields, login_as
from core.records.models import Agency, Park, Site


@pytest.fixture
def officer_client(client, scoping_world):
    login_as(client, scoping_world.user["changzhi_city_officer"])
    return client


def post_forms(html):
    return re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I)


# --- CSRF ----------------------------------------------------------------------------------------


def test_every_post_form_on_the_list_page_carries_a_token(officer_client, scoping_world):
    html = officer_client.get("/admin/park/").get_data(as_text=True)
    forms = post_forms(html)
    kinds = " ".join(forms)
    # the row delete forms, the bulk action form, the language switch and sign-out
    assert "/admin/park/delete/" in kinds and 'id="action_form"' in kinds and "/auth/logout" in kinds
    assert len(forms) >= 4
    for form in forms:
        assert csrf_tokens(form), form[:200]


def test_create_and_edit_forms_carry_a_token(officer_client, scoping_world):
    for path in ("/admin/park/new/", f"/admin/park/edit/?id={scoping_world.park['luzhou'].id}"):
        fields = dict(form_fields(officer_client.get(path).get_data(as_text=True)))
        assert fields.get("csrf_token"), path


@pytest.mark.parametrize("path, data", [
    ("/admin/park/new/", lambda w: {"jurisdiction": w.j["luzhou"].id, "name": "新园区", "build_mode": "new",
                                    "operator_kind": "none"}),
    ("/admin/park/edit/?id={luzhou}", lambda w: {"jurisdiction": w.j["luzhou"].id, "name": "改名", "build_mode": "new",
                                                 "operator_kind": "none", "version": "1"}),
    ("/admin/agency/delete/", lambda w: {"id": w.agency["luzhou"].id}),
    ("/admin/agency/action/", lambda w: {"action": "delete", "rowid": [w.agency["luzhou"].id]}),
    ("/auth/language", lambda w: {"lang": "en"}),
])
def test_a_post_without_a_token_is_refused_and_changes_nothing(officer_client, scoping_world, path, data):
    path = path.format(luzhou=scoping_world.park["luzhou"].id)
    before = db_snapshot()
    response = officer_client.post(path, data=data(scoping_world))
    assert response.status_code == 400
    assert "安全令牌缺失或已过期" in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_a_wrong_or_foreign_token_is_refused(app, officer_client, scoping_world):
    stranger = app.test_client()
    foreign_token = csrf_token(stranger)  # valid, but for another session
    before = db_snapshot()
    for token in ("not-a-token", foreign_token):
        response = officer_client.post("/admin/agency/delete/", data={"csrf_token": token, "id": scoping_world.agency["luzhou"].id})
        assert response.status_code == 400
    assert db_snapshot() == before


def test_login_without_a_token_is_refused(client, scoping_world):
    response = client.post("/auth/login", data={"username": "cz_officer", "password": "whatever-long"})
    assert response.status_code == 400


def test_with_the_token_the_same_delete_goes_through(officer_client, scoping_world):
    """The control: the refused delete above is refused for the token, not for another reason."""
    agency = Agency.create(park=scoping_world.park["luzhou"], name="待删除机构")
    token = csrf_token(officer_client, "/admin/agency/")
    response = officer_client.post("/admin/agency/delete/", data={"csrf_token": token, "id": agency.id})
    assert response.status_code == 302
    assert Agency.get_or_none(Agency.id == agency.id) is None


# --- two officers, one record --------------------------------------------------------------------


def test_the_second_save_is_refused_and_the_first_kept(app, scoping_world):
    park = scoping_world.park["luzhou"]
    first, second = app.test_client(), app.test_client()
    login_as(first, scoping_world.user["changzhi_city_officer"])
    login_as(second, scoping_world.user["changzhi_county_officer"])
    path = f"/admin/park/edit/?id={park.id}"
    form_first = form_fields(first.get(path).get_data(as_text=True))
    form_second = form_fields(second.get(path).get_data(as_text=True))
    assert dict(form_first)["version"] == "1"

    saved = first.post(path, data=as_post(form_first, name="甲改的名称"))
    assert saved.status_code == 302
    refused = second.post(path, data=as_post(form_second, name="乙改的名称"))
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "未保存：您打开此记录后，已有他人修改并保存。已保留对方的修改" in text
    assert "someone else changed this record after you opened it" not in text  # issue 11 item 4: Chinese only
    stored = Park.get_by_id(park.id)
    assert stored.name == "甲改的名称" and stored.version == 2

    # after reloading, the second officer's edit goes through on top of the first
    again = form_fields(second.get(path).get_data(as_text=True))
    assert dict(again)["version"] == "2"
    assert second.post(path, data=as_post(again, name="乙改的名称")).status_code == 302
    assert Park.get_by_id(park.id).name == "乙改的名称"


def test_a_stale_inline_site_refuses_the_whole_save(app, scoping_world):
    park, site = scoping_world.park["luzhou"], scoping_world.site["luzhou"]
    client = app.test_client()
    login_as(client, scoping_world.user["changzhi_county_officer"])
    path = f"/admin/park/edit/?id={park.id}"
    fields = form_fields(client.get(path).get_data(as_text=True))
    site_area = [name for name, _ in fields if name.endswith("floor_area") and name.startswith("sites")][0]
    site.floor_area = 5000  # someone else saves the site meanwhile
    site.save()
    response = client.post(path, data=as_post(fields, name="新名称", **{site_area: "9999"}))
    assert response.status_code == 200 and "未保存" in response.get_data(as_text=True)
    assert Park.get_by_id(park.id).name == park.name  # the park's own change rolled back too
    assert Site.get_by_id(site.id).floor_area == 5000


def test_an_edit_without_the_version_is_refused(app, scoping_world):
    park = scoping_world.park["luzhou"]
    client = app.test_client()
    login_as(client, scoping_world.user["changzhi_county_officer"])
    path = f"/admin/park/edit/?id={park.id}"
    fields = [(k, v) for k, v in form_fields(client.get(path).get_data(as_text=True)) if k != "version"]
    response = client.post(path, data=as_post(fields, name="无版本号"))
    assert "表单缺少版本号" in response.get_data(as_text=True)
    assert Park.get_by_id(park.id).name == park.name
