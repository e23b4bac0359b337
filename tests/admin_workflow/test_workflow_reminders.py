"""Reminders reaching people: the inbox rows a step, an objection or a payment writes and to whom,
mail through a real SMTP server one by one or as a daily digest, mail off unless a server is
configured, a refused mail kept for the next run, and the queue's path through a real Redis."""
import uuid

import pytest
from click.testing import CliRunner

from core.records.models import Application, Subsidy
from core.records.notifications import Notification
from tests.admin_workflow.pages import DAY, actors, application_at
from tests.admin_workflow.reminders import (  # noqa: F401 (no_mail and smtp are fixtures)
    body_of, free_port, mail_to, no_mail, notifications_of, remind, smtp, transition, uploads,
)


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
    applications.record_objection(application, "场地面积与实际不符", actor("city_officer", town.j["changzhi"]),
                                  on=applications.latest_notice(application).start)  # objections are taken during the notice
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
