"""Issue 11 item 4: people are named by their names, not their usernames. An account of the back
office needs a name (姓名), and the pages that say who did something show it: the audit log's
actor, the holiday calendar's "entered by"."""
from admin_test_helpers import as_post, form_fields, login_as

from core.records.accounts import User
from core.records.models import AuditLog, HolidayDay


def test_an_account_without_a_name_is_refused_naming_what_is_missing(client, scoping_world):
    login_as(client, scoping_world.user["admin"])
    fields = form_fields(client.get("/admin/user/new/").get_data(as_text=True))
    data = dict(username="new_officer", role="county_officer", jurisdiction=str(scoping_world.j["shangdang"].id),
                new_password="lu-cheng-2025-zhan")
    refused = client.post("/admin/user/new/", data=as_post(fields, display_name="  ", **data))
    assert "请填写姓名" in refused.get_data(as_text=True)
    assert not User.select().where(User.username == "new_officer").exists()
    assert client.post("/admin/user/new/", data=as_post(fields, display_name="上党区李明", **data)).status_code == 302
    assert User.get(User.username == "new_officer").display_name == "上党区李明"


def test_lists_name_who_did_something_by_the_account_s_name(client, scoping_world):
    officer = scoping_world.user["changzhi_city_officer"]
    officer.display_name = "长治市人社局王敏"
    officer.save()
    HolidayDay.create(day="2031-01-01", name="元旦", is_workday=False, entered_by=officer.username)
    row = AuditLog.create(actor=officer.username, role="city_officer", action="update", table="holiday_day")
    login_as(client, scoping_world.user["admin"])
    holidays = client.get("/admin/holiday/").get_data(as_text=True)
    assert "长治市人社局王敏" in holidays and f">{officer.username}<" not in holidays
    audit = client.get("/admin/audit_log/?page_size=100").get_data(as_text=True)
    assert "长治市人社局王敏" in audit
    details = client.get(f"/admin/audit_log/details/?id={row.id}").get_data(as_text=True)
    assert "长治市人社局王敏" in details and "市人社局工作人员" in details  # the role by its label too
