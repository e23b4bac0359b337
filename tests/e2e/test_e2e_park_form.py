"""The park form in Chromium at 1366×768, as 潞城区's county officer (cz_lucheng) uses it:
every public-service and offered-service box ticks where it is clicked and the groups do not
spill over the fields below (issue 11 item 2); a site and an agency added with "添加" are saved
(issue 11 item 1); a date is typed as people write it or picked from the calendar (item 3)."""
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

from core.records.models import Agency, Park, Site  # noqa: E402
from core.records.vocab import OFFERED_SERVICES, PUBLIC_SERVICES  # noqa: E402

pytestmark = pytest.mark.browser

PARK = "潞城区人力资源服务产业园"


@pytest.fixture
def park_form(open_session):
    """cz_lucheng on the edit page of 潞城区's park, in a 1366×768 window."""
    session = open_session().login("cz_lucheng")
    session.page.set_viewport_size({"width": 1366, "height": 768})
    park = Park.get(Park.name == PARK)
    session.goto(f"/admin/park/edit/?id={park.id}")
    return session, park


def save(session):
    with session.page.expect_navigation():
        session.page.click("form.admin-form input[type=submit].btn-primary")
    assert "未保存" not in session.flashes() and "未能" not in session.flashes(), session.flashes()


@pytest.mark.parametrize("group, vocabulary", [("public_services", PUBLIC_SERVICES), ("offered_services", OFFERED_SERVICES)])
def test_issue_11_item_2_every_service_box_ticks_where_it_is_clicked(park_form, group, vocabulary):
    session, park = park_form
    page = session.page
    boxes = page.locator(f"#{group} input[type=checkbox]")
    assert boxes.count() == len(vocabulary.codes())
    # the group ends above the field that follows it: nothing of it lies over another field
    bottom = page.eval_on_selector(f"#{group}", "e => e.getBoundingClientRect().bottom")
    below = page.eval_on_selector(f"#{group}", "e => e.closest('.form-group').nextElementSibling.getBoundingClientRect().top")
    assert bottom <= below, (bottom, below)
    before = [boxes.nth(i).is_checked() for i in range(boxes.count())]
    for i in range(boxes.count()):
        boxes.nth(i).scroll_into_view_if_needed()
        boxes.nth(i).click(timeout=3000)  # Playwright refuses if another element would take the click
        assert boxes.nth(i).is_checked() != before[i], vocabulary.codes()[i]
    for label in ("社会保障", "人才人事", "注册登记"):  # the ones the issue names, by their labels
        item = page.locator(f"#{group} label", has_text=label)
        if item.count():
            box = page.locator(f"#{item.get_attribute('for')}")
            ticked = box.is_checked()
            item.click(timeout=3000)
            assert box.is_checked() != ticked, label
            item.click(timeout=3000)
    session.screenshot(f"park-form-{group}-1366x768")
    save(session)
    chosen = getattr(Park.get_by_id(park.id), group)
    assert chosen == [code for code, was in zip(vocabulary.codes(), before) if not was]


def test_issue_11_items_1_and_3_a_site_and_an_agency_added_with_the_add_buttons_are_saved(park_form):
    session, park = park_form
    page = session.page
    sites_before = Site.select().where(Site.park == park).count()
    page.click("#sites-button")
    row = page.locator("#sites .inline-field-list > .inline-field").last
    row.locator("input[name$='-name']").fill("潞城区东部分园")
    row.locator("input[name$='-floor_area']").fill("650.5")
    row.locator("input[name$='-approved_on']").fill("2025年3月1日")  # typed, as people write it
    page.click("#agencies-button")
    agency = page.locator("#agencies .inline-field-list > .inline-field").last
    agency.locator("input[name$='-name']").fill("潞城区新入驻人力资源有限公司")
    agency.locator("input[name$='-licence_no']").fill("LC-2026-001")
    page.fill("#registration_date", "2019/5/20")
    page.click("#name")  # leave the date box: the picker may rewrite it, it must keep the date
    save(session)
    site = Site.get((Site.park == park) & (Site.name == "潞城区东部分园"))
    assert (site.floor_area, site.approved_on) == (Decimal("650.50"), datetime.date(2025, 3, 1))
    assert Site.select().where(Site.park == park).count() == sites_before + 1
    assert Agency.get(Agency.licence_no == "LC-2026-001").park_id == park.id
    assert Park.get_by_id(park.id).registration_date == datetime.date(2019, 5, 20)


def test_issue_11_item_3_a_date_is_picked_from_the_calendar(park_form):
    session, park = park_form
    page = session.page
    page.click("#registration_date")
    calendar = page.locator(".daterangepicker:visible")
    calendar.wait_for(state="visible")
    calendar.locator("td.available:not(.off)", has_text=re.compile(r"^15$")).first.click()
    picked = page.input_value("#registration_date")
    assert re.fullmatch(r"\d{4}-\d{2}-15", picked), picked
    save(session)
    assert Park.get_by_id(park.id).registration_date == datetime.date.fromisoformat(picked)
