"""Deployment settings as a typed form (issue 11 item 7): the settings offered are the ones the
installed jurisdictions' code reads (core.rules.settings.declare_setting), each with its type and
meaning; a date is typed as people write it (issue 11 item 3) with a date picker; a key nobody
reads is refused, naming the known ones."""
import datetime
import re

import pytest

from admin_test_helpers import as_post, db_snapshot, form_fields, login_as, make_user, select_options
from core.rules import settings
from core.records.models import Setting
from core.rules.settings import DATE, declare_setting, known_settings

INSTALLED = ["changzhi-luzhou.effective_from", "changzhi.effective_from", "karamay.effective_from",
             "objection_retention_days"]


@pytest.fixture
def admin_client(make_app, registry):
    """The back office with the real plugins installed, an administrator signed in."""
    client = make_app(REGISTRY=registry).test_client()
    login_as(client, make_user("root", "admin"))
    return client


def page_of(response):
    return response.get_data(as_text=True)


def test_issue_11_item_7_the_form_offers_the_settings_the_plugins_read_with_type_and_meaning(admin_client):
    page = page_of(admin_client.get("/admin/setting/new/"))
    options = dict(select_options(page, "setting"))
    assert list(options) == INSTALLED
    assert options["karamay.effective_from"] == "karamay.effective_from · 克拉玛依市办法的施行日期（日期）"
    assert "第二十五条" in page and "第二十一条" in page and "HRPARK_KARAMAY_EFFECTIVE_FROM" in page
    # the whole deployment's own setting is offered too (长治 第十七条: objectors' details are kept so long)
    assert options["objection_retention_days"] == "objection_retention_days · 公示异议个人信息保存期限（天）（天数）"
    assert "HRPARK_OBJECTION_RETENTION_DAYS" in page
    # a number of days is typed as text; a date setting chosen from the list gets the date picker
    value = re.search(r'<input[^>]*name="value"[^>]*>', page).group(0)
    assert 'data-role="datepicker"' not in value and 'type="text"' in value
    page = page_of(admin_client.get("/admin/setting/new/?setting=karamay.effective_from"))
    assert dict(form_fields(page))["setting"] == "karamay.effective_from"
    value = re.search(r'<input[^>]*name="value"[^>]*>', page).group(0)
    assert 'data-role="datepicker"' in value and 'type="text"' in value  # the picker, and typing still works
    # no free text for the jurisdiction or the key any more
    assert 'name="key"' not in page and 'name="jurisdiction_code"' not in page


def test_issue_11_item_7_the_known_settings_come_from_the_code_that_reads_them(make_app, registry):
    from plugins.changzhi import EFFECTIVE_FROM as CHANGZHI
    from plugins.karamay import EFFECTIVE_FROM as KARAMAY

    assert {CHANGZHI, KARAMAY} <= set(known_settings())
    declared = declare_setting("karamay", "opening_ceremony", DATE, "开园仪式日期", "opening ceremony")
    try:
        client = make_app(REGISTRY=registry).test_client()
        login_as(client, make_user("root", "admin"))
        assert "karamay.opening_ceremony" in dict(select_options(page_of(client.get("/admin/setting/new/")), "setting"))
    finally:
        del settings._known[(declared.jurisdiction_code, declared.key)]
    # a setting of a jurisdiction that is not installed is not offered
    declare_setting("nowhere", "effective_from", DATE, "无", "none")
    try:
        assert "nowhere.effective_from" not in page_of(client.get("/admin/setting/new/"))
    finally:
        del settings._known[("nowhere", "effective_from")]


@pytest.mark.parametrize("typed", ["2025年3月1日", "2025/3/1", "2025-3-1", "2025-03-01", "２０２５年３月１日"])
def test_issue_11_item_3_a_setting_date_is_typed_as_people_write_it(admin_client, registry, typed):
    fields = form_fields(page_of(admin_client.get("/admin/setting/new/")))
    response = admin_client.post("/admin/setting/new/", data=as_post(fields, setting="karamay.effective_from", value=typed))
    assert response.status_code == 302, page_of(response)[-3000:]
    row = Setting.get()
    assert (row.jurisdiction_code, row.key, row.value) == ("karamay", "effective_from", "2025-03-01")
    info = registry.get("karamay").info
    assert (info.effective_from, info.effective_until) == (datetime.date(2025, 3, 1), datetime.date(2027, 2, 28))


def test_issue_11_item_7_an_unknown_key_is_refused_naming_the_known_ones(admin_client):
    fields = form_fields(page_of(admin_client.get("/admin/setting/new/")))
    before = db_snapshot()
    response = admin_client.post("/admin/setting/new/", data=as_post(
        fields, setting="karamay.effective_until", value="2027-01-01", jurisdiction_code="karamay", key="effective_until"))
    page = page_of(response)
    assert response.status_code == 200
    assert "karamay.effective_until 不是已知的设置项。已知的设置项：" + ", ".join(INSTALLED) in page
    assert db_snapshot() == before


@pytest.mark.parametrize("typed", ["2025-13-01", "2025年2月30日", "下个月", "25/3/1"])
def test_issue_11_item_3_a_refused_date_says_which_formats_are_accepted(admin_client, typed):
    fields = form_fields(page_of(admin_client.get("/admin/setting/new/")))
    before = db_snapshot()
    page = page_of(admin_client.post("/admin/setting/new/", data=as_post(fields, setting="changzhi.effective_from", value=typed)))
    assert "不是有效的日期，可写作 2025-03-01、2025-3-1、2025/3/1 或 2025年3月1日" in page
    assert db_snapshot() == before
    admin_client.post("/auth/language", data={"lang": "en", "csrf_token": fields[0][1]})
    page = page_of(admin_client.post("/admin/setting/new/", data=as_post(fields, setting="changzhi.effective_from", value=typed)))
    assert "Not a valid date: write it as 2025-03-01, 2025-3-1, 2025/3/1 or 2025年3月1日." in page
    assert "可写作" not in page


def test_issue_11_item_7_editing_a_setting_shows_it_chosen_and_keeps_it_typed(admin_client):
    row = Setting.create(jurisdiction_code="changzhi", key="effective_from", value="2023-09-01")
    path = f"/admin/setting/edit/?id={row.id}"
    fields = form_fields(page_of(admin_client.get(path)))
    assert dict(fields)["setting"] == "changzhi.effective_from" and dict(fields)["value"] == "2023-09-01"
    assert admin_client.post(path, data=as_post(fields, value="2023年9月15日")).status_code == 302
    assert Setting.get_by_id(row.id).value == "2023-09-15"
    list_page = page_of(admin_client.get("/admin/setting/"))
    assert "长治市办法的印发（施行）日期" in list_page


@pytest.mark.parametrize("typed, stored", [("30", "30"), (" 1 ", "1"), ("36500", "36500")])
def test_the_objection_retention_period_is_set_on_the_settings_page(admin_client, typed, stored):
    from core.records.services.objections import DEFAULT_RETENTION_DAYS, RETENTION

    assert RETENTION.read_days(DEFAULT_RETENTION_DAYS) == DEFAULT_RETENTION_DAYS
    fields = form_fields(page_of(admin_client.get("/admin/setting/new/")))
    response = admin_client.post("/admin/setting/new/", data=as_post(fields, setting="objection_retention_days", value=typed))
    assert response.status_code == 302, page_of(response)[-2000:]
    row = Setting.get()
    assert (row.jurisdiction_code, row.key, row.value) == ("", "objection_retention_days", stored)
    settings.forget_cached_settings()
    assert RETENTION.read_days(DEFAULT_RETENTION_DAYS) == int(stored)
    edit = page_of(admin_client.get(f"/admin/setting/edit/?id={row.id}"))
    assert dict(form_fields(edit))["setting"] == "objection_retention_days"
    assert "公示异议个人信息保存期限" in page_of(admin_client.get("/admin/setting/"))


@pytest.mark.parametrize("typed", ["0", "-5", "36501", "一年", "1e3", "365.5", "9" * 40])
def test_a_retention_period_out_of_range_or_not_a_number_is_refused(admin_client, typed):
    fields = form_fields(page_of(admin_client.get("/admin/setting/new/")))
    before = db_snapshot()
    response = admin_client.post("/admin/setting/new/", data=as_post(fields, setting="objection_retention_days", value=typed))
    page = page_of(response)
    assert response.status_code == 200
    assert "请填写天数（整数）" in page or "天数应在1至36500之间" in page
    assert db_snapshot() == before
