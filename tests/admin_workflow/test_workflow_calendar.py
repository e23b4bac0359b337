"""Each account's deadlines as an iCalendar feed behind a secret link: made on the settings page
(shown once, only its hash kept), parsed by the icalendar package, limited to the account's reach,
and gone (404) once revoked or replaced."""
import re
from pathlib import Path

from icalendar import Calendar

from core.records.accounts import User, secret_hash
from core.records.models import AuditLog, PublicNotice
from tests.admin_workflow.pages import DAY, application_at

SETTINGS = "/admin/notification_settings/"


def make_link(browser):
    page = browser.post(SETTINGS + "calendar").get_data(as_text=True)
    match = re.search(r"http://localhost(/calendar/[A-Za-z0-9_-]+\.ics)", page)
    assert match, page[:2000]
    return match.group(1)


def events(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return [c for c in Calendar.from_ical(response.data).walk("VEVENT")]


def test_the_feed_lists_the_accounts_deadlines_as_all_day_events_with_stable_uids(app, town, browse, on_day):
    on_day(DAY(2025, 10, 9))
    application = application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "public_notice")
    notice = PublicNotice.get(PublicNotice.application == application)
    city = browse("cz_city")
    path = make_link(city)

    anonymous = app.test_client()  # the link is the only credential: no sign-in
    [event] = [e for e in events(anonymous, path) if "上党人力资源服务产业园" in str(e["SUMMARY"])]
    assert event.decoded("DTSTART") == notice.end and event.decoded("DTEND") == DAY(2025, 10, 12)
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert "公示" in str(event["SUMMARY"]) and "第七条" in str(event["DESCRIPTION"])
    assert f"http://localhost/admin/application/details/?id={application.id}" in str(event["DESCRIPTION"])
    [again] = [e for e in events(anonymous, path) if "上党" in str(e["SUMMARY"])]
    assert str(again["UID"]) == str(event["UID"]) == f"notice_ending-{notice.id}@hrpark"

    # only the hash is kept, and the audit log holds not even that
    stored = User.get_by_id(town.users["cz_city"].id).calendar_token_hash
    token = path.rsplit("/", 1)[1][:-len(".ics")]
    assert stored == secret_hash(token) and token not in stored
    assert not AuditLog.select().where(AuditLog.after.contains(stored)).exists()


def test_another_cities_account_sees_none_of_it(app, town, browse, on_day):
    on_day(DAY(2025, 10, 9))
    application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "public_notice")
    path = make_link(browse("kr_city"))
    assert not [e for e in events(app.test_client(), path) if "上党" in str(e["SUMMARY"])]


def test_a_revoked_or_replaced_link_is_not_found(app, town, browse):
    operator = browse("cz_operator")
    first = make_link(operator)
    second = make_link(operator)  # a new link replaces the old one
    client = app.test_client()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert "撤销日历链接" in operator.html(SETTINGS)
    operator.flashed(SETTINGS + "calendar/revoke")
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert User.get_by_id(town.users["cz_operator"].id).calendar_token_hash is None


def test_a_disabled_account_feeds_nothing(app, town, browse):
    path = make_link(browse("cz_operator"))
    User.update(active=False).where(User.id == town.users["cz_operator"].id).execute()
    assert app.test_client().get(path).status_code == 404
