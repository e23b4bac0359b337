"""Objections through the pages: a citizen files one on the public site (CAPTCHA, CSRF, rate limit,
lookup by reference), the city officer investigates and decides on the application page, and
who objected is shown only to the city officers who reach the application."""
import io
import re

import openpyxl
import pytest

from core.records.models import Application, AuditLog, Objection, Recognition
from core.records.services import objections as service
from tests.admin_workflow.pages import DAY, application_at, element_text, helpers
from tests.admin_workflow.test_workflow_applications import upload_dir, version_of
from tests.builders import PDF

NOTICE_DAY = DAY(2025, 11, 3)  # Monday: the notice runs to Friday 7 November


def details(application):
    return f"/admin/application/details/?id={application.id}"


def public_form(notice):
    return f"/public/objections/new/{notice.id}"


def captcha_answer(client):
    """What the CAPTCHA picture of this client's session shows (kept in its server-side session)."""
    with client.session_transaction() as session:
        return session.get(service_captcha_key())


def service_captcha_key():
    from admin.objections_public import CAPTCHA_KEY

    return CAPTCHA_KEY


def file_online(client, notice, answer=None, **fields):
    """Open the form (a fresh CAPTCHA), then post it as a citizen would."""
    page = client.get(public_form(notice))
    assert page.status_code == 200
    data = {"csrf_token": helpers.csrf_token(client, public_form(notice)), "name": "王小明", "phone": "13812345678",
            "content": "该园区入驻机构数量不实", "captcha": answer if answer is not None else captcha_answer(client)}
    data.update(fields)
    return client.post(public_form(notice), data=data, content_type="multipart/form-data")


@pytest.fixture
def notice(app, town, on_day):
    from core.records.services.applications import latest_notice

    application = application_at(town, upload_dir(app), "cz", "public_notice", notice_day=NOTICE_DAY)
    on_day(DAY(2025, 11, 4))
    return latest_notice(application)


def test_a_citizen_files_an_objection_and_looks_it_up(app, notice):
    citizen = app.test_client()
    response = file_online(citizen, notice)
    assert response.status_code == 200
    [objection] = Objection.select()
    assert element_text(response.get_data(as_text=True), "reference") == objection.reference
    assert (objection.channel, objection.status, objection.objector_name) == ("online", "received", "王小明")
    lookup = "/public/objections/lookup"
    token = helpers.csrf_token(citizen, lookup)
    found = citizen.post(lookup, data={"csrf_token": token, "reference": objection.reference, "phone_last4": "5678"})
    assert found.status_code == 200 and element_text(found.get_data(as_text=True), "status") == "已受理"
    assert "王小明" not in found.get_data(as_text=True)
    wrong = citizen.post(lookup, data={"csrf_token": token, "reference": objection.reference, "phone_last4": "0000"})
    assert wrong.status_code == 404 and "未找到该异议" in wrong.get_data(as_text=True)


def test_a_wrong_or_reused_captcha_writes_nothing(app, notice):
    citizen = app.test_client()
    assert file_online(citizen, notice, answer="00000x").status_code == 400
    token = helpers.csrf_token(citizen, public_form(notice))  # opens the form: a fresh CAPTCHA
    answer = captcha_answer(citizen)
    data = {"csrf_token": token, "name": "王小明", "phone": "13812345678", "content": "内容", "captcha": answer}
    first = citizen.post(public_form(notice), data=data)
    assert first.status_code == 200 and Objection.select().count() == 1
    data["captcha"] = answer  # the same answer again: it was used up
    again = citizen.post(public_form(notice), data=data)
    assert again.status_code == 400 and "验证码不正确" in again.get_data(as_text=True)
    assert Objection.select().count() == 1


def test_the_captcha_is_offered_as_a_picture_and_as_sound(app, notice):
    citizen = app.test_client()
    citizen.get(public_form(notice))
    image, audio = citizen.get("/public/objections/captcha.png"), citizen.get("/public/objections/captcha.wav")
    assert image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
    assert audio.mimetype == "audio/wav" and audio.data.startswith(b"RIFF")
    assert app.test_client().get("/public/objections/captcha.png").status_code == 404  # no form opened, no answer


def test_the_public_form_is_rate_limited_per_phone(app, notice):
    citizen = app.test_client()
    for n in range(service.PER_PHONE_PER_HOUR):
        assert file_online(citizen, notice).status_code == 200
    refused = file_online(citizen, notice)
    assert refused.status_code == 429 and "过于频繁" in refused.get_data(as_text=True)
    assert Objection.select().count() == service.PER_PHONE_PER_HOUR


def test_the_public_form_is_rate_limited_per_address(app, notice):
    citizen = app.test_client()
    for n in range(service.PER_ADDRESS_PER_HOUR):
        assert file_online(citizen, notice, phone=f"1390000{n:04d}").status_code == 200
    assert file_online(citizen, notice, phone="13700000000").status_code == 429
    assert Objection.select().count() == service.PER_ADDRESS_PER_HOUR


def test_outside_the_notice_the_form_refuses(app, notice, on_day):
    on_day(DAY(2025, 11, 8))
    response = file_online(app.test_client(), notice)
    assert response.status_code == 400 and "期外不受理异议" in response.get_data(as_text=True)
    on_day(DAY(2025, 11, 7))
    assert file_online(app.test_client(), notice).status_code == 200


def test_the_officer_investigates_and_dismisses_then_recognises(app, browse, town, notice, on_day):
    file_online(app.test_client(), notice, attachment=(io.BytesIO(PDF + b"x"), "证据.pdf"))
    objection = Objection.get()
    city = browse("cz_city")
    page = city.html(details(notice.application))
    assert "王小明" in page and "13812345678" in page and "证据.pdf" in page
    county = browse("cz_county")
    for viewer in (county, browse("cz_panel"), browse("cz_operator")):
        shown = viewer.html(details(notice.application))
        assert "13812345678" not in shown and "王小明" not in shown and "证据.pdf" not in shown
        assert "138****5678" in shown and "王**" in shown
    assert browse("kr_city").get(details(notice.application)).status_code == 404
    assert county.get(f"/admin/objection/{objection.id}/attachment/").status_code == 404
    assert city.get(f"/admin/objection/{objection.id}/attachment/").data == PDF + b"x"
    before = Objection.get().version
    assert county.post(f"/admin/objection/{objection.id}/investigate/", {"version": before}).status_code == 403
    assert browse("kr_city").post(f"/admin/objection/{objection.id}/investigate/", {"version": before}).status_code == 404
    assert Objection.get().status == "received"
    city.flashed(f"/admin/objection/{objection.id}/investigate/", {"version": before})
    assert Objection.get().status == "investigating"
    on_day(DAY(2025, 11, 10))
    refused = city.flashed(f"/admin/application/{notice.application_id}/transition/",
                           {"transition": "approve", "version": version_of(notice.application)})
    assert objection.reference in refused
    city.flashed(f"/admin/objection/{objection.id}/decide/", {"version": Objection.get().version, "outcome": "dismissed",
                                                             "findings": "经核实，入驻机构数量属实", "reply": "经核实，异议不成立"})
    assert Objection.get().status == "dismissed"
    city.flashed(f"/admin/application/{notice.application_id}/transition/",
                 {"transition": "approve", "version": version_of(notice.application)})
    assert Application.get_by_id(notice.application_id).state == "recognised"
    assert Recognition.select().where(Recognition.application == notice.application_id).exists()


def test_an_upheld_objection_recorded_from_a_letter_ends_the_application(app, browse, notice):
    city = browse("cz_city")
    city.flashed(f"/admin/application/{notice.application_id}/objection/",
                 {"text": "来信反映场地面积不实", "channel": "letter", "name": "李四", "phone": "13911112222"})
    objection = Objection.get()
    assert (objection.channel, objection.recorded_by) == ("letter", "cz_city")
    city.flashed(f"/admin/objection/{objection.id}/investigate/", {"version": objection.version})
    page = city.flashed(f"/admin/objection/{objection.id}/decide/", {"version": Objection.get().version,
                                                                    "outcome": "upheld", "findings": "场地面积不足",
                                                                    "reply": "经核实，异议成立"})
    assert Application.get_by_id(notice.application_id).state == "rejected"
    assert "经核实，异议成立" in page


def test_no_personal_information_in_the_audit_log_or_exports(app, browse, notice):
    file_online(app.test_client(), notice)
    logged = " ".join(f"{r.before} {r.after}" for r in AuditLog.select())
    assert "王小明" not in logged and "13812345678" not in logged
    admin = browse("admin")
    for path in ("/admin/audit_log/", "/admin/audit_log/export/csv/", "/admin/application/export/csv/"):
        response = admin.get(path)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "王小明" not in body and "13812345678" not in body
    workbook = openpyxl.load_workbook(io.BytesIO(admin.get("/admin/audit_log/export/xlsx/").data))
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
    assert "objection" in cells or "公示异议" in cells  # the objection's rows are exported …
    assert "王小明" not in cells and "13812345678" not in cells  # … without who objected


def test_the_audit_log_names_the_public_and_the_objections_terms_in_chinese(app, browse, notice):
    """A citizen's filing is logged under the role 公众, its channel and state as words, not codes."""
    file_online(app.test_client(), notice)
    row = AuditLog.get((AuditLog.table == "objection") & (AuditLog.action == "create"))
    assert row.role == "public"
    admin = browse("admin")
    listed = visible_words(admin.get("/admin/audit_log/?flt0_0=objection").get_data(as_text=True))
    shown = visible_words(admin.get(f"/admin/audit_log/details/?id={row.id}").get_data(as_text=True))
    assert {"公众", "网上提交", "已受理"} <= set(shown) and "公众" in listed
    for code in ("public", "online", "received"):
        assert code not in shown and code not in listed


def visible_words(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html).split()
