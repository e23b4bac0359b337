"""The charts' plumbing: ECharts is the app's own file (served, a script, no CDN anywhere on the
pages that draw), a chart's options cannot be broken out of by a park's name, and the chart and its
table speak the page's language."""
import re
from decimal import Decimal

from tests.admin_workflow.pages import DAY, chart_drawn, chart_options
from tests.admin_workflow.test_workflow_payment_summary import PAGE, paid
from tests.builders import make_park

ECHARTS = "/static/hrpark/vendor/echarts/echarts.min.js"
DRAWER = "/static/hrpark/charts.js"


def test_echarts_and_the_drawing_script_are_served_by_the_app(app):
    client = app.test_client()  # a static file needs no sign-in, as Flask-Admin's own
    library = client.get(ECHARTS)
    assert library.status_code == 200 and library.mimetype in ("text/javascript", "application/javascript")
    assert len(library.get_data()) > 500_000 and b"echarts" in library.get_data()[:20_000].lower()
    assert b'"ZH"' in library.get_data()  # the build carries ECharts' Chinese strings
    drawer = client.get(DRAWER)
    assert drawer.status_code == 200 and b"echarts.init" in drawer.get_data()
    assert client.get("/static/hrpark/vendor/echarts/LICENSE").status_code == 200
    assert client.get("/static/hrpark/../app.py").status_code == 404  # nothing but the static folder


def test_the_pages_that_draw_load_the_local_library_and_no_outside_script(browse, town, world, on_day):
    on_day(DAY(2025, 12, 31))
    paid(town.cz_park, "operating_grant", 2025, "1000", DAY(2025, 3, 15))
    city = browse("cz_city")
    for path in ("/admin/overview/", f"{PAGE}?from=2025-01-01&to=2025-12-31"):
        html = city.html(path)
        scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
        assert ECHARTS in scripts and DRAWER in scripts, path
        assert scripts.index(ECHARTS) < scripts.index(DRAWER)
        assert not re.search(r"<(?:script|link)[^>]*(?:src|href)=\"(?:https?:)?//", html), path
        assert "data-chart" in html


def test_a_page_without_a_chart_loads_no_library(browse, town, on_day):
    on_day(DAY(2025, 12, 31))
    html = browse("cz_city").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")  # nothing paid
    assert "echarts" not in html and "data-chart" not in html


def test_a_park_name_cannot_close_the_options_script(browse, town, world, on_day):
    on_day(DAY(2025, 12, 31))
    name = "</script><script>alert(1)</script>园"
    paid(make_park(world["shangdang"], name=name), "operating_grant", 2025, "0.01", DAY(2025, 3, 15))
    html = browse("cz_city").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    assert "<script>alert(1)" not in html
    parks, drawn = chart_drawn(chart_options(html, "paid-per-park"))
    assert parks == [name] and drawn == {"拨付金额": ["0.01"]}  # the JSON still reads back as the name


def test_the_chart_and_its_table_are_english_in_english_mode(browse, town, on_day):
    on_day(DAY(2025, 12, 31))
    paid(town.cz_park, "operating_grant", 2025, "1234.5", DAY(2025, 3, 15))
    city = browse("cz_city")
    city.post("/auth/language", {"lang": "en", "next": "/admin/"})
    html = city.html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    options = chart_options(html, "paid-per-month")
    assert options["series"][0]["name"] == "Paid" and options["yAxis"]["name"] == "CNY"
    assert options["series"][0]["data"] == ["1234.50"]
    assert 'data-language="en"' in html and ">Table view<" in html and "CNY 1,234.50" in html
    assert not re.search(r"[\u4e00-\u9fff]", re.search(r'<figure[^>]*id="paid-per-month".*?</figure>', html, re.S).group(0))
    assert Decimal(options["series"][0]["data"][0]) == Decimal("1234.50")
