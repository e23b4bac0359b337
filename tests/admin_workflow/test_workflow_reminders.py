"""Reminders reaching people: the inbox rows a step writes and to whom, mail through a real SMTP
server (aiosmtpd on a free local port) one by one or as a daily digest, mail off unless a server is
configured, the daily scan's working-day boundary and its deduplication, the inbox and settings
pages, and the queue's path through a real Redis."""
import datetime
import email
import socket
import uuid
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.records import reminders
from core.records.accounts import User
from core.records.models import Application, PublicNotice, Subsidy
from core.records.notifications import Notification
from tests.admin_workflow.pages import DAY, actors, application_at


class Inbox:
    """What an SMTP server received: each message parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


def body_of(message):
    return message.get_body(("plain",)).get_content()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(monkeypatch):
    """A real SMTP server on localhost, and the deployment configured to mail through it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    monkeypatch.setenv("HRPARK_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("HRPARK_MAIL_PORT", str(port))
    monkeypatch.setenv("HRPARK_MAIL_SENDER", "hrpark@example.gov.cn")
    monkeypatch.setenv("HRPARK_BASE_URL", "https://hrpark.example.gov.cn/")
    monkeypatch.delenv("HRPARK_REDIS_URL", raising=False)
    yield inbox
    controller.stop()


@pytest.fixture
def no_mail(monkeypatch):
    for name in ("HRPARK_MAIL_SERVER", "HRPARK_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)


def mail_to(user, address, mode):
    User.update(email=address, mail_mode=mode).where(User.id == user.id).execute()


def uploads(app):
    return Path(app.config["UPLOAD_DIR"])


def transition(browser, application, transition_id, remark=""):
    version = Application.get_by_id(application.id).version
    response = browser.post(f"/admin/application/{application.id}/transition/",
                            {"transition": transition_id, "remark": remark, "version": version})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    response.close()  # as a server does once the response is sent: the request's mail goes then
    return response


def notifications_of(user, kind=None):
    query = Notification.select().where(Notification.recipient == user.id)
    return list(query if kind is None else query.where(Notification.kind == kind))


def remind(on):
    from core.io.cli.main import cli

    result = CliRunner().invoke(cli, ["remind", "--on", on.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


# --- events, and mail one by one -------------------------------------------------------------------------


def test_a_returned_application_mails_the_district_officer_with_the_park_and_article(app, town, browse, smtp):
    """克拉玛依: the district files; the city returns the file — the district officer (mode 'each') gets a
    mail naming the park, the step, the remark, the article and the link; Changzhi's accounts get nothing."""
    application = application_at(town, uploads(app), "kr", "panel_review")
    county = town.users["kr_county"]
    mail_to(county, "county@dushanzi.example.gov.cn", "each")
    mail_to(town.users["cz_county"], "county@shangdang.example.gov.cn", "each")
    transition(browse("kr_city"), application, "panel_return", "缺少入驻机构名册")

    [message] = smtp.to("county@dushanzi.example.gov.cn")
    assert "独山子人力资源服务产业园" in message["Subject"]
    text = body_of(message)
    assert "退回" in text and "缺少入驻机构名册" in text
    assert f"https://hrpark.example.gov.cn/admin/application/details/?id={application.id}" in text
    [row] = notifications_of(county, "application_returned")
    assert row.mailed_at is not None and row.article and row.article in text
    # the one who returned it is not told of their own step; another city's accounts are told nothing
    assert not notifications_of(town.users["kr_city"], "application_returned")
    assert not any(notifications_of(town.users[name]) for name in ("cz_county", "cz_city", "cz_operator"))
    assert not smtp.to("county@shangdang.example.gov.cn")


def test_an_account_waiting_for_a_step_is_told_but_not_the_panel_that_takes_none(app, town, browse, smtp):
    """Changzhi's county passes the file: the city officers (whose step is next) are told it waits for
    them; the panel, which takes no step in the city's review, is not."""
    application = application_at(town, uploads(app), "cz", "county_review")
    transition(browse("cz_county"), application, "county_pass")
    waiting = notifications_of(town.users["cz_city"], "application_waiting")
    assert len(waiting) == 1 and "上党人力资源服务产业园" in waiting[0].title
    assert len(notifications_of(town.users["cz_city2"], "application_waiting")) == 1
    assert not notifications_of(town.users["cz_panel"], "application_waiting")
    assert not notifications_of(town.users["cz_county"], "application_waiting")  # the one who acted
    assert not smtp.messages  # nobody asked for mail
    transition(browse("cz_city"), application, "city_accept")  # the joint evaluation: the panel's verdicts
    assert len(notifications_of(town.users["cz_panel"], "application_waiting")) == 1
    assert len(notifications_of(town.users["cz_city2"], "application_waiting")) == 2


def test_an_objection_and_a_paid_grant_are_told(app, town, browse, smtp):
    from core.records.services import applications, subsidies
    from tests.builders import actor

    application = application_at(town, uploads(app), "cz", "public_notice")
    city_officer = town.users["cz_city"]
    applications.record_objection(application, "场地面积与实际不符", actor("city_officer", town.j["changzhi"]))
    [told] = notifications_of(town.users["cz_city2"], "objection_received")
    assert "收到异议" in told.title and "1条" in told.body
    assert notifications_of(town.users["cz_operator"], "objection_received")

    recognition = application_at(town, uploads(app), "kr", "recognised").recognition.get()
    subsidy = Subsidy.create(park=town.kr_park, jurisdiction=town.j["karamay"], recognition=recognition,
                             programme=recognition.programme, kind="operating", year=2025, amount="120000.00",
                             rule_id="operating", article="第二十条", status="approved")
    payment = subsidies.Payment(DAY(2026, 1, 5), "记-0007", "就业补助资金", "6222 0000 1111")
    subsidies.act(subsidy, "pay", actors(town)["kr_finance"], payment=payment, today=DAY(2026, 1, 6))
    [paid] = notifications_of(town.users["kr_operator"], "grant_paid")
    assert "120,000.00元" in paid.title and "记-0007" in paid.body and paid.article == "第二十条"
    assert not notifications_of(city_officer, "grant_paid")  # another city's officer


# --- the daily digest, and mail off by default ---------------------------------------------------------


def test_a_daily_account_gets_no_mail_per_event_and_one_digest_of_everything(app, town, browse, smtp):
    county = town.users["kr_county"]
    mail_to(county, "county@dushanzi.example.gov.cn", "daily")
    first = application_at(town, uploads(app), "kr", "panel_review")
    transition(browse("kr_city"), first, "panel_return", "缺少财务报表")
    other = application_at(town, uploads(app), "kr", "draft", park=_second_karamay_park(town))
    transition(browse("kr_county"), other, "file")  # the county's own step: not told to itself
    transition(browse("kr_city"), other, "panel_return", "请补充服务产品清单")
    assert not smtp.messages

    output = remind(DAY(2025, 10, 1))
    [digest] = smtp.to("county@dushanzi.example.gov.cn")
    text = body_of(digest)
    assert "每日提醒：2条新消息" in digest["Subject"], digest["Subject"]
    assert "缺少财务报表" in text and "请补充服务产品清单" in text and "独山子" in text
    assert "每日汇总 1 封" in output
    remind(DAY(2025, 10, 2))  # nothing new: no second digest
    assert len(smtp.to("county@dushanzi.example.gov.cn")) == 1


def _second_karamay_park(town):
    from tests.builders import make_park

    return make_park(town.j["dushanzi"], name="克拉玛依第二人力资源服务产业园", sites=((True, "2500"),), revenue="5000000")


def test_without_a_mail_server_nothing_is_sent_and_the_inbox_still_fills(app, town, browse, no_mail, tmp_path):
    county = town.users["kr_county"]
    mail_to(county, "county@dushanzi.example.gov.cn", "each")
    application = application_at(town, uploads(app), "kr", "panel_review")
    transition(browse("kr_city"), application, "panel_return", "缺少财务报表")
    [row] = notifications_of(county, "application_returned")
    assert row.mailed_at is None  # left for when mail is configured
    assert "不发邮件" in remind(DAY(2025, 10, 1))
    assert Notification.get_by_id(row.id).mailed_at is None


def test_a_refused_mail_is_kept_for_the_next_run(app, town, browse, smtp, monkeypatch):
    county = town.users["kr_county"]
    mail_to(county, "county@dushanzi.example.gov.cn", "each")
    monkeypatch.setenv("HRPARK_MAIL_PORT", str(free_port()))  # nobody listens there
    application = application_at(town, uploads(app), "kr", "panel_review")
    transition(browse("kr_city"), application, "panel_return", "缺少财务报表")  # the step itself succeeds
    assert Application.get_by_id(application.id).state == "draft"
    [row] = notifications_of(county, "application_returned")
    assert Notification.get_by_id(row.id).mailed_at is None
    monkeypatch.setenv("HRPARK_MAIL_PORT", str(smtp.port))  # the server is back
    remind(DAY(2025, 10, 1))
    assert len(smtp.to("county@dushanzi.example.gov.cn")) == 1


# --- the daily scan: notices about to end, assessments due, each told once --------------------------------


def _under_notice_until(town, app, end):
    application = application_at(town, uploads(app), "cz", "public_notice")
    PublicNotice.update(end=end).where(PublicNotice.application == application).execute()
    return application


@pytest.mark.parametrize("on, told", [
    # The notice ends Monday 13 October 2025. After Friday 26 September: Sunday 28 September (a
    # make-up working day), 29 and 30 September, 9 and 10 October (the National Day holiday between),
    # Saturday 11 October (make-up) and the 13th — 7 working days left: told.
    (DAY(2025, 9, 26), True),
    # After Thursday the 25th, Friday the 26th is left too: 8 working days, not yet.
    (DAY(2025, 9, 25), False),
])
def test_a_notice_is_about_to_end_with_seven_working_days_left_not_eight(app, town, no_mail, on, told):
    _under_notice_until(town, app, DAY(2025, 10, 13))
    reminders.scan(on)
    rows = notifications_of(town.users["cz_city"], "notice_ending")
    assert bool(rows) is told
    if told:
        assert rows[0].due_on == DAY(2025, 10, 13) and "第七条" in rows[0].article
        assert notifications_of(town.users["cz_operator"], "notice_ending")
        assert not notifications_of(town.users["kr_city"], "notice_ending")


def test_the_scan_run_twice_tells_nothing_twice(app, town, no_mail):
    _under_notice_until(town, app, DAY(2025, 10, 13))
    first = reminders.scan(DAY(2025, 10, 9))
    assert first
    count = Notification.select().count()
    assert reminders.scan(DAY(2025, 10, 10)) == []
    assert Notification.select().count() == count


def test_an_assessment_falling_due_is_told_to_the_bureau_and_the_park(app, town, no_mail):
    """长治 assesses the previous year in the first quarter (第十八条): a park recognised in 2025 is due
    by 31 March 2026 — told on 10 March, not on 20 February (more than 30 days ahead)."""
    application_at(town, uploads(app), "cz", "recognised")
    assert reminders.scan(DAY(2026, 2, 20)) == []
    reminders.scan(DAY(2026, 3, 10))
    [row] = notifications_of(town.users["cz_city"], "assessment_due")
    assert row.due_on == DAY(2026, 3, 31) and "2025年度考核" in row.title and row.article == "第十八条"
    assert notifications_of(town.users["cz_operator"], "assessment_due")
    assert not notifications_of(town.users["cz_county"], "assessment_due")


@pytest.mark.parametrize("on, told", [(DAY(2026, 5, 1), True), (DAY(2026, 4, 30), False)])
def test_a_rectification_deadline_within_thirty_days_is_told(app, town, no_mail, on, told):
    from core.records.models import Assessment, Recognition, Rectification

    recognition = Recognition.create(park=town.kr_park, jurisdiction=town.j["karamay"], recognised_on=DAY(2025, 3, 1),
                                     official_name="克拉玛依市独山子人力资源服务产业园")
    assessment = Assessment.create(recognition=recognition, year=2025, status="confirmed", grade="unqualified",
                                   consequences=[{"kind": "rectify", "article": "第二十二条"}])
    Rectification.create(assessment=assessment, deadline=DAY(2026, 5, 31))
    closed = Rectification.create(assessment=assessment, deadline=DAY(2026, 5, 20), outcome="passed")
    reminders.scan(on)
    rows = notifications_of(town.users["kr_city"], "rectification_due")
    assert [(r.due_on, r.article, r.record_id) for r in rows] == ([(DAY(2026, 5, 31), "第二十二条", assessment.id)] if told else [])
    assert bool(notifications_of(town.users["kr_operator"], "rectification_due")) is told
    assert not notifications_of(town.users["kr_county"], "rectification_due")
    assert not Notification.select().where(Notification.dedupe_key == f"rectification_due:{closed.id}").exists()


# --- the pages ----------------------------------------------------------------------------------------------


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
    browse("cz_city").flashed("/admin/inbox/read-all")
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


# --- the queue, through a real Redis ---------------------------------------------------------------------


@pytest.fixture
def redis_queue(monkeypatch):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/0"
    connection = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    name = f"hrpark-test-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("HRPARK_REDIS_URL", url)
    monkeypatch.setenv("HRPARK_RQ_QUEUE", name)
    from rq import Queue

    queue = Queue(name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)


def work(queue):
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_with_redis_the_mail_waits_for_the_worker(app, town, browse, smtp, redis_queue):
    monkey_redis_env = redis_queue.name
    assert monkey_redis_env.startswith("hrpark-test-")
    county = town.users["kr_county"]
    mail_to(county, "county@dushanzi.example.gov.cn", "each")
    application = application_at(town, uploads(app), "kr", "panel_review")
    transition(browse("kr_city"), application, "panel_return", "缺少财务报表")
    assert not smtp.messages and redis_queue.count == 1  # queued, not sent
    work(redis_queue)
    [message] = smtp.to("county@dushanzi.example.gov.cn")
    assert "独山子人力资源服务产业园" in message["Subject"]


def test_hrpark_remind_enqueue_leaves_the_digest_to_the_worker(app, town, browse, smtp, redis_queue):
    county = town.users["kr_county"]
    mail_to(county, "county@dushanzi.example.gov.cn", "daily")
    application = application_at(town, uploads(app), "kr", "panel_review")
    transition(browse("kr_city"), application, "panel_return", "缺少财务报表")
    from core.io.cli.main import cli

    result = CliRunner().invoke(cli, ["remind", "--enqueue", "--on", "2025-10-01"])
    assert result.exit_code == 0 and redis_queue.name in result.output, result.output
    assert not smtp.messages
    work(redis_queue)
    [digest] = smtp.to("county@dushanzi.example.gov.cn")
    assert "每日提醒：1条新消息" in digest["Subject"]
