"""The public site in Chromium, as a phone in WeChat (390×844) and a desk (1366×768) show it: every
page passes axe-core's WCAG 2.1 A/AA rules, fits the width without sideways scrolling, and reads
without JavaScript."""
from pathlib import Path

import pytest

from tests.e2e.conftest import SCREENSHOTS

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desk": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
PAGES = ("/public/", "/public/changzhi/notices/", "/public/changzhi/recognised/", "/public/changzhi/assessments/",
         "/public/changzhi/measures/", "/public/karamay/notices/", "/public/karamay/assessments/",
         "/public/changzhi/notices/?lang=en", "/public/changzhi/measures/?lang=en")


def axe_violations(page):
    """axe-core's violations of WCAG 2.1 A and AA on the page, as 'rule: where' lines."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert any(rule["id"] == "color-contrast" for rule in result["passes"])  # the rules did run
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_public_page_passes_wcag_21_aa_and_fits_the_screen(demo_server, browser, viewport):
    # bypass_csp: only so that the test may inject axe-core; the pages themselves run no script
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True, locale="zh-CN")
    page = context.new_page()
    try:
        for path in PAGES:
            response = page.goto(demo_server.url + path)
            assert response.status == 200, path
            assert page.locator("h1").count() == 1 and page.locator("a.skip[href='#content']").count() == 1, path
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (path, viewport)
            assert axe_violations(page) == [], (path, viewport)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(demo_server.url + "/public/changzhi/notices/")
        page.screenshot(path=str(SCREENSHOTS / f"public-notices-{viewport}.png"), full_page=True)
    finally:
        context.close()


def test_the_pages_read_the_same_without_javascript(demo_server, browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(demo_server.url + "/public/changzhi/recognised/")
        assert page.locator("main article").count() >= 1
        assert "认定名单" in page.locator("h1").inner_text()
        page.click("text=English")
        assert page.url.endswith("?lang=en") and "Recognised parks" in page.locator("h1").inner_text()
    finally:
        context.close()
