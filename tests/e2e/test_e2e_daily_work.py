"""The officials' daily work in Chromium at 1366×768, clicks counted after sign-in: the notices
ending this week are on the workbench (at most one click: the jump to them); an approved grant is
paid with its voucher in at most four; a panel member's verdicts on one application are one save;
a year's grades for every park are one grid save; and a page taller than two screens offers a
menu of its parts."""
import datetime
import re

import pytest

from core.records.models import Application, Assessment, CriterionVerdict, Park, Recognition, Subsidy
from tests.e2e.conftest import Session

VIEWPORT = {"width": 1366, "height": 768}


class Counted(Session):
    """A session that counts the clicks it makes (typing and choosing a radio button are not clicks
    of navigation and are not counted; the verdicts test counts its saves instead)."""

    clicks = 0

    def click(self, selector, navigates=True):
        self.clicks += 1
        target = self.page.locator(selector).first
        if navigates:
            with self.page.expect_navigation():
                target.click()
        else:
            target.click()


@pytest.fixture
def person(browser, demo_server):
    contexts = []

    def sign_in(username):
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        session = Counted(context, demo_server.url).login(username)
        session.clicks = 0  # counted after sign-in
        return session

    yield sign_in
    for context in contexts:
        context.close()


def test_the_notices_ending_this_week_are_on_the_workbench(person, demo_server):
    city = person("cz_city")
    rows = city.page.locator("#notices-ending tr.notice-ending")
    assert rows.count() >= 1
    ends = [datetime.date.fromisoformat(d) for d in rows.evaluate_all("rows => rows.map(r => r.dataset.date)")]
    until = demo_server.clock.day + datetime.timedelta(days=14)  # 7 working days are at most 9 calendar days (+ a holiday)
    assert all(end <= until for end in ends)
    city.click('#workbench-parts a[href="#notices-ending"]', navigates=False)
    assert city.clicks == 1
    assert city.page.locator("#notices-ending").evaluate("e => e.getBoundingClientRect().top") < VIEWPORT["height"]
    city.screenshot("daily-01-workbench-city")


def test_an_approved_grant_is_paid_with_its_voucher_in_at_most_four_clicks(person):
    finance = person("cz_finance")
    task = finance.page.locator('tr.task[data-kind="subsidy_pay"]').first
    assert task.count() == 1, "the demo's approved grant waits on the finance officer"
    finance.click('tr.task[data-kind="subsidy_pay"] .task-act')
    subsidy_id = int(re.search(r"id=(\d+)", finance.page.url).group(1))
    finance.page.fill("#payment_voucher", "财拨〔2026〕88号")
    if not finance.page.input_value("#payee_account"):  # a park's first payment: its account is typed once
        finance.page.fill("#payee_account", "长治银行潞州支行 6217 0000 0000 0001")
    finance.click("#action-pay")
    assert finance.page.locator("#confirm-dialog").is_visible()  # paying cannot be undone: asked once
    finance.click("#confirm-yes")
    assert finance.clicks <= 4, finance.clicks
    subsidy = Subsidy.get_by_id(subsidy_id)
    assert subsidy.status == "paid" and subsidy.payment_voucher == "财拨〔2026〕88号" and subsidy.paid_on is not None
    assert subsidy.fund_source  # the programme's source, prefilled
    finance.screenshot("daily-02-grant-paid")


def test_a_panel_members_verdicts_are_one_save_and_the_page_stays_there(person):
    # as the demo's README says: cz_city first accepts 上党区北部分园 for joint evaluation
    waiting = Application.select().join(Park).where(Park.name.contains("上党区北部")).get()
    person("cz_city").open_application(waiting.id).take("city_accept")
    panel = person("cz_panel")
    panel.click('tr.task[data-kind="verdicts"] .task-act')
    application_id = int(re.search(r"id=(\d+)", panel.page.url).group(1))
    rows = panel.page.locator(".verdict-row")
    n = rows.count()
    assert n >= 2
    for index in range(n):
        row = rows.nth(index)
        row.locator("input[type=radio]").first.check()
        row.locator("textarea").fill(f"现场核实第{index + 1}项")
    saves = panel.clicks
    panel.click("#save-verdicts")
    assert panel.clicks - saves == 1
    assert CriterionVerdict.select().where(CriterionVerdict.application == application_id).count() == n
    assert panel.page.url.endswith("#criteria")
    assert panel.page.evaluate("window.scrollY") > 0  # back where the form was, not at the top
    assert panel.page.inner_text("#judged-progress") == f"已评审{n}项，共{n}项"


def test_a_years_grades_for_every_park_are_one_grid_save(person, demo_server):
    city = person("cz_city")
    year = demo_server.clock.day.year  # every earlier year is assessed in the demo
    city.goto(f"/admin/assessment/grid/?year={year}")
    cells = city.page.locator("#grid-form input[name^=score-], input[name^=score-]")
    rows = city.page.locator("tr[id^=grid-row-]")
    parks = rows.count()
    assessed = Assessment.select(Assessment.recognition).where((Assessment.year == year) & (Assessment.status != "cancelled"))
    due = Recognition.select().where((Recognition.programme == "changzhi") & (Recognition.status != "revoked")
                                     & Recognition.id.not_in(assessed))
    assert parks == due.count() >= 1  # every recognised park of the city's measures not yet assessed
    for index in range(cells.count()):
        cells.nth(index).fill("85")
    city.click("#grid-preview")
    assert city.page.locator(".grid-grade").count() == parks  # grades shown before anything is saved
    drafts_before = Assessment.select().where((Assessment.year == year) & (Assessment.status == "draft")).count()
    assert drafts_before == 0
    city.click("#grid-save")
    drafts = Assessment.select().join(Recognition).where((Assessment.year == year) & (Assessment.status == "draft"))
    assert drafts.count() == parks and all(a.grade for a in drafts)


#: Record pages opened besides the menu's: the first record of each kind the account may read.
RECORDS = ((Application, "application"), (Subsidy, "subsidy"), (Assessment, "assessment"), (Recognition, "recognition"),
           (Park, "park"))


def menu_pages(session):
    """Every page of the bar's menu (its dropdowns too) on this site, without the sign-out."""
    hrefs = session.page.eval_on_selector_all("nav.navbar a[href^='/admin']", "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(h.split("#")[0] for h in hrefs))


@pytest.mark.parametrize("account", ["admin", "cz_city", "cz_finance", "cz_park_luzhou"])
def test_a_page_taller_than_two_screens_has_a_menu_of_its_parts(person, account):
    session = person(account)
    pages = menu_pages(session) + [f"/admin/{name}/details/?id={model.select(model.id).order_by(model.id).first().id}"
                                   for model, name in RECORDS]
    tall = 0
    for path in pages:
        response = session.goto(path)
        if response.status != 200:
            continue  # a record outside the account's reach, a page its role may not open
        session.page.wait_for_load_state("load")
        height = session.page.evaluate("document.documentElement.scrollHeight")
        parts = session.page.locator("#page-parts")
        if height > 2 * VIEWPORT["height"]:
            tall += 1
            assert parts.is_visible(), path
            links = parts.locator("a")
            assert links.count() >= 2, path  # back to the top, and the page's parts
            session.page.locator("#page-parts summary").click()
            links.nth(links.count() - 1).click()
            assert session.page.evaluate("window.scrollY") > 0, path
        else:
            assert not parts.is_visible(), path
    assert len(pages) >= 5 and tall >= 1
