"""The inbox and notification settings pages: an account sees and marks only its own messages, the
unread count in the navigation bar, and a bad address or mail without one refused."""
from core.records.accounts import User
from core.records.notifications import Notification
from tests.admin_workflow.pages import application_at
from tests.admin_workflow.reminders import (  # noqa: F401 (no_mail is a fixture)
    no_mail, notifications_of, transition, uploads,
)



def test_the_inbox_shows_only_the_accounts_own_messages_and_marks_them_read(app, town, browse, no_mail):
    application = application_at(town, uploads(app), "kr", "panel_review")
    transition(browse("kr_city"), application, "panel_return", "缺少财务报表")
    cz_application = application_at(town, uploads(app), "cz", "county_review")
    transition(browse("cz_county"), cz_application, "county_return", "请补充可行性方案")

    county = browse("kr_county")
    page = county.html("/admin/inbox/")
    assert "独山子人力资源服务产业园" in page and "缺少财务报表" in page
    assert "上党" not in page and "请补充可行性方案" not in page
    assert 'id="unread-count">1<' in page
    [mine] = notifications_of(town.users["kr_county"])
    [theirs] = notifications_of(town.users["cz_operator"], "application_returned")
    assert county.post(f"/admin/inbox/{theirs.id}/read").status_code == 404
    assert Notification.get_by_id(theirs.id).read_at is None

    response = county.post(f"/admin/inbox/{mine.id}/read", {"open": "1"})
    assert response.headers["Location"].endswith(f"/admin/application/details/?id={application.id}")
    assert Notification.get_by_id(mine.id).read_at is not None
    assert 'id="unread-count"' not in county.html("/admin/inbox/")


def test_mark_all_read_marks_only_ones_own(app, town, browse, no_mail):
    application = application_at(town, uploads(app), "cz", "county_review")
    transition(browse("cz_county"), application, "county_pass")
    city = browse("cz_city")
    assert city.client.post("/admin/inbox/read-all").status_code == 400  # no CSRF token: refused
    assert not any(n.read_at for n in notifications_of(town.users["cz_city"]))
    assert "已将1条消息标记为已读" in city.flashed("/admin/inbox/read-all")
    assert all(n.read_at for n in notifications_of(town.users["cz_city"]))
    assert not any(n.read_at for n in notifications_of(town.users["cz_city2"]))


def test_the_settings_refuse_a_bad_address_and_mail_without_one(app, town, browse, no_mail):
    operator = browse("cz_operator")
    bad = operator.post("/admin/notification_settings/mail", {"email": "not an address", "mail_mode": "each"})
    assert bad.status_code == 400 and "不是有效的电子邮箱地址" in bad.get_data(as_text=True)
    none = operator.post("/admin/notification_settings/mail", {"email": "", "mail_mode": "daily"})
    assert none.status_code == 400
    odd = operator.post("/admin/notification_settings/mail", {"email": "a@b.cn", "mail_mode": "hourly"})
    assert odd.status_code == 400
    assert User.get_by_id(town.users["cz_operator"].id).mail_mode == "off"
    ok = operator.post("/admin/notification_settings/mail", {"email": "park@shangdang.example.cn", "mail_mode": "daily"})
    assert ok.status_code == 302
    saved = User.get_by_id(town.users["cz_operator"].id)
    assert (saved.email, saved.mail_mode) == ("park@shangdang.example.cn", "daily")
    assert "尚未配置邮件服务器" in operator.html("/admin/notification_settings/")
