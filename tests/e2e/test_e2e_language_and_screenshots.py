"""The language switch in Chromium (the same application page in Chinese, then English, then
Chinese again), and screenshots of the main pages in both languages under
test-output/screenshots/ for a person to look at (Chinese must render, not as boxes)."""
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

from core.records.models import Application, Assessment, Park, Recognition, Subsidy  # noqa: E402

pytestmark = pytest.mark.browser

NOTICE_PARK = "长治高新区人力资源服务产业园"  # under public notice in the demo, every verdict recorded


def application_of(park_name):
    return Application.get(Application.park == Park.get(Park.name == park_name))


def test_the_same_page_in_chinese_and_in_english(open_session):
    application = application_of(NOTICE_PARK)
    s = open_session().login("cz_city").open_application(application.id)

    def page_text():
        return s.page.inner_text("body")

    zh = page_text()
    assert "公示中" in s.page.inner_text("#application-state")
    assert "园区建筑面积" in zh and "Floor area of the park" not in zh  # a criterion's title
    assert "退出登录" in zh and "Sign out" not in zh
    notice_end = s.page.get_attribute("#notice-end", "data-date")
    year, month, day = (int(x) for x in notice_end.split("-"))
    assert s.page.inner_text("#notice-end") == f"{year}年{month}月{day}日"

    s.language("en")
    en = page_text()
    assert s.page.inner_text("#application-state") == "public notice"
    assert "Sign out" in en and "退出登录" not in en
    assert "Eligibility" in en and "Public notice" in en and "Floor area of the park" in en
    assert s.page.inner_text("#notice-end") == s.page.evaluate(
        "d => new Date(d).toLocaleDateString('en-GB', {day: 'numeric', month: 'short', year: 'numeric'})", notice_end)
    # Articles are cited as the measures write them, in either language.
    assert s.page.locator("#criterion-site_area .article").inner_text() == "第六条第（二）项"
    s.screenshot("language-application-en")

    s.language("zh")
    assert "公示中" in s.page.inner_text("#application-state") and "退出登录" in page_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chinese_is_drawn_with_simplified_chinese_glyphs(open_session, lang):
    """Han characters shared by Chinese and Japanese (直, 骨) have different forms; without a lang
    on the page Chromium's fallback picks the Japanese font. Park names are Chinese in both languages."""
    s = open_session().login("cz_city")
    if lang == "en":
        s.language("en")
    s.goto("/admin/park/")
    for selector in ("#signed-in-as", "td.col-name"):
        fonts = s.platform_fonts(selector)
        cjk = [name for name in fonts if "CJK" in name or "Han" in name or "YaHei" in name or "PingFang" in name]
        assert cjk, (selector, fonts)
        assert not [name for name in cjk if "JP" in name or "KR" in name or "TC" in name or "HK" in name], (selector, fonts)


def _pages():
    """(file name, path, a selector the page must show with text) of the main pages, as a Changzhi
    city officer sees them."""
    notice_app = application_of(NOTICE_PARK)
    unqualified = (Assessment.select().join(Recognition)
                   .where((Recognition.official_name.contains("上党区")) & (Assessment.grade == "unqualified")).get())
    approved = Subsidy.get(Subsidy.status == "approved")
    return [
        ("02-dashboard", "/admin/", "body"),
        ("03-park-list", "/admin/park/", "td.col-name"),
        ("04-application-eligibility", f"/admin/application/details/?id={notice_app.id}", "#criterion-site_area .article"),
        ("05-assessment", f"/admin/assessment/details/?id={unqualified.id}", "#total-score"),
        ("06-subsidies", "/admin/subsidy/", "td.col-amount"),
        ("06-subsidy-explained", f"/admin/subsidy/details/?id={approved.id}", "body"),
        ("07-ledger", "/admin/ledger/", "td.col-amount"),
        ("08-rules", "/admin/rules/", "body"),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_screenshots_of_the_main_pages(open_session, lang):
    s = open_session()
    s.goto("/auth/login")
    if lang == "en":
        s.page.click("button[name=lang][value=en]")
        s.page.wait_for_load_state()
        assert "Sign in" in s.page.inner_text("body")
    else:
        assert "登录" in s.page.inner_text("body")
    s.screenshot(f"01-login-{lang}")
    s.login("cz_city")
    problems = []
    for name, path, must_show in _pages():
        response = s.goto(path)
        s.screenshot(f"{name}-{lang}")
        if response.status != 200:
            problems.append((path, response.status))
        elif not s.page.locator(must_show).first.inner_text().strip():
            problems.append((path, f"{must_show} is empty"))
    assert not problems, problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_menu_fits_one_line_at_1366_pixels_and_names_the_role(open_session, lang):
    """Every top-level menu, the language switch, the account and sign-out on one row of the bar."""
    s = open_session().login("cz_city")
    if lang == "en":
        s.language("en")
    s.goto("/admin/")
    assert s.page.viewport_size["width"] == 1366
    tops = s.page.eval_on_selector_all(
        "nav.navbar .navbar-nav > li, #language-switch, #logout-form", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(tops) >= 6 and max(tops) - min(tops) < 12, tops
    role = "市人社局工作人员" if lang == "zh" else "city HRSS bureau officer"
    assert s.page.inner_text("#welcome-role") == role
    s.page.click("#signed-in-as")
    assert s.page.inner_text("#signed-in-role") == role
