"""Objections in Chromium: a citizen on a phone (390×844) objects to the 高新区 park's notice, the
city officer investigates and finds it unfounded, and the park is recognised after the notice;
a second objection, to a Karamay park's notice, is upheld and ends that application."""
import datetime
import json
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

from admin.objections_public import CAPTCHA_KEY  # noqa: E402
from admin.sessions import COOKIE_NAME  # noqa: E402
from core.records.accounts import ServerSession, secret_hash  # noqa: E402
from core.records.models import Application, Objection, Park, PublicNotice  # noqa: E402
from tests.e2e.conftest import Session  # noqa: E402

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def citizen(browser, demo_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    return Session(context, demo_server.url)


def captcha_of(session):
    """The digits this browser's CAPTCHA shows, read from its server-side session as the server does."""
    key = next(c["value"] for c in session.context.cookies() if c["name"] == COOKIE_NAME)
    return json.loads(ServerSession.get(ServerSession.key_hash == secret_hash(key)).data)[CAPTCHA_KEY]


def file_objection(session, notice, content, phone):
    session.goto(f"/public/objections/new/{notice.id}")
    page = session.page
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    assert page.locator("#captcha-image").evaluate("img => img.naturalWidth") > 0
    page.fill("#name", "王小明")
    page.fill("#phone", phone)
    page.fill("#content", content)
    page.fill("#captcha", captcha_of(session))
    session.screenshot("objection-00-citizen-form-390")
    with page.expect_navigation():
        page.click("#submit")
    reference = page.inner_text("#reference").strip()
    assert Objection.get(Objection.reference == reference).objector_phone == phone
    return reference


def handle(officer, application, reference, outcome, findings, reply):
    officer.open_application(application.id)
    card = f"#objection-{reference}"
    with officer.page.expect_navigation():
        officer.page.click(f"{card} .form-investigate button")
    officer.page.fill(f"{card} textarea[name=findings]", findings)
    officer.page.fill(f"{card} textarea[name=reply]", reply)
    with officer.page.expect_navigation():
        officer.page.click(f"{card} button[name=outcome][value={outcome}]")


def test_a_dismissed_objection_lets_recognition_proceed_and_an_upheld_one_ends_the_application(
        browser, open_session, demo_server):
    application = Application.get(Application.park == Park.get(Park.name == "长治高新区人力资源服务产业园"))
    notice = PublicNotice.get(PublicNotice.application == application)
    person = citizen(browser, demo_server)
    reference = file_objection(person, notice, "该园区入驻机构数量与申报不符", "13812345678")
    person.screenshot("objection-01-citizen-filed-390")

    officer = open_session().login("cz_city")
    officer.open_application(application.id)
    assert "138****5678" not in officer.page.inner_text(f"#objection-{reference}")  # the handler sees it whole
    assert "13812345678" in officer.page.inner_text(f"#objection-{reference}")
    handle(officer, application, reference, "dismissed", "经实地核查，入驻机构数量与申报一致", "经核实，您反映的问题不成立")
    assert Objection.get(Objection.reference == reference).status == "dismissed"
    officer.screenshot("objection-02-officer-dismissed")

    person.goto("/public/objections/lookup")
    person.page.fill("#reference-input", reference)
    person.page.fill("#phone_last4", "5678")
    with person.page.expect_navigation():
        person.page.click("#lookup-form button[type=submit]")
    assert person.page.inner_text("#status") == "异议不成立" and "不成立" in person.page.inner_text("#reply")
    person.screenshot("objection-03-citizen-lookup-390")

    demo_server.clock.day = notice.end + datetime.timedelta(days=1)
    officer.open_application(application.id)
    officer.take("approve")
    assert officer.state() == "recognised", officer.flashes()

    # --- a second park: its notice opened by the Karamay officer, an objection upheld ----------------
    karamay = Application.get(Application.park == Park.get(Park.name == "克拉玛依南区人才服务产业园"))
    demo_server.clock.day = datetime.date(2026, 9, 29)
    klmy = open_session().login("klmy_city")
    klmy.open_application(karamay.id)
    klmy.take("party_approve")
    assert klmy.state() == "public_notice", klmy.flashes()
    second = file_objection(citizen(browser, demo_server), PublicNotice.get(PublicNotice.application == karamay),
                            "该园区场地面积不足", "13900001111")
    handle(klmy, karamay, second, "upheld", "经核实，场地面积不足2000平方米", "经核实，您反映的问题成立，不予认定")
    assert klmy.state() == "rejected"
    assert Application.get_by_id(karamay.id).state == "rejected"
    klmy.screenshot("objection-04-officer-upheld")
