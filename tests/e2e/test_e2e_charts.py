"""The charts in Chromium at 1366×768: ECharts (the app's own copy) draws a canvas of real size on
the dashboard and on the payment summary, under the Content-Security-Policy with no violation, in
its Chinese locale; the 表格 button shows the table of the same numbers and 图表 the chart again."""
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

pytestmark = pytest.mark.browser

CHART_PAGES = [
    ("dashboard", "/admin/overview/", "figure[data-chart]"),
    ("payment-summary", "/admin/payment_summary/?from=2020-01-01&to=2026-09-29", "#paid-per-month"),
    ("payment-summary-parks", "/admin/payment_summary/?from=2020-01-01&to=2026-09-29", "#paid-per-park"),
]


def drawn_canvas(page, figure):
    """The size of the canvas ECharts drew in `figure` (0×0 when none)."""
    page.wait_for_selector(f"{figure} .chart-canvas canvas")
    return page.evaluate(
        "s => { const c = document.querySelector(s + ' .chart-canvas canvas'); return [c.width, c.height]; }", figure)


@pytest.mark.parametrize("name, path, figure", CHART_PAGES)
def test_the_chart_is_drawn_and_switches_to_its_table(open_session, name, path, figure):
    session = open_session()
    session.context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                                    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    session.page.set_viewport_size({"width": 1366, "height": 768})
    errors = []
    session.page.on("pageerror", lambda error: errors.append(str(error)))
    session.login("cz_city")
    response = session.goto(path)
    assert response.status == 200
    width, height = drawn_canvas(session.page, figure)
    assert width > 300 and height >= 100
    assert session.page.is_hidden(f"{figure} .chart-table")  # the chart shows, its table waits behind 表格
    assert session.page.evaluate("window.echarts.version") == "6.1.0"
    session.screenshot(f"chart-{name}")
    session.page.click(f"{figure} button[data-view=table]")
    assert session.page.is_visible(f"{figure} .chart-table table") and session.page.is_hidden(f"{figure} .chart-canvas")
    assert session.page.get_attribute(f"{figure} button[data-view=table]", "aria-pressed") == "true"
    cells = session.page.locator(f"{figure} .chart-table td").all_inner_texts()
    assert cells and all(text.endswith("元") for text in cells)
    session.page.click(f"{figure} button[data-view=chart]")
    assert session.page.is_visible(f"{figure} .chart-canvas") and session.page.is_hidden(f"{figure} .chart-table")
    assert session.page.evaluate("window.__csp") == [] and errors == []


def test_the_chart_speaks_chinese(open_session):
    """ECharts' own words (its aria description of the chart) come from its Chinese locale."""
    session = open_session()
    session.login("cz_city")
    session.goto("/admin/payment_summary/?from=2020-01-01&to=2026-09-29")
    session.page.wait_for_selector("#paid-per-month .chart-canvas canvas")
    described = session.page.get_attribute("#paid-per-month .chart-canvas", "aria-label") or ""
    assert "图表" in described and "chart" not in described.lower()
