"""Helpers of the workflow pages' tests: a browser-like client that signs in through the login form
and posts with the session's CSRF token, readers of forms and buttons on a page, and the scores
and materials the two cities' tests use.

The back office's own test helpers (tests/admin/helpers.py) are loaded under the name the
foundation's conftest gives them (admin_test_helpers), whichever directory runs first.
"""
import datetime
import importlib.util
import io
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ADMIN_TESTS = Path(__file__).parent.parent / "admin"


def _load(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


helpers = _load("admin_test_helpers", ADMIN_TESTS / "helpers.py")

from core.plugin.registry import rules_for  # noqa: E402
from core.records.models import Recognition  # noqa: E402
from tests.builders import PDF  # noqa: E402

CHANGZHI_MATERIALS = ("application_letter", "approval_form", "feasibility_plan", "operation_report",
                      "agency_roster", "agency_licences", "agency_operation_proof")
KARAMAY_MATERIALS = ("application_report", "feasibility_plan", "operation_report", "agency_roster",
                     "agency_licences", "agency_financials")
CHANGZHI_PASS = {"economic_development": "80", "role_played": "80", "operation_management": "80"}
CHANGZHI_FAIL = {"economic_development": "50", "role_played": "50", "operation_management": "50"}
KARAMAY_IDS = ("agencies", "revenue", "tax", "employment", "service_products", "events", "fund_use", "plan",
               "management", "service_quality", "event_effect", "social_benefit")
KARAMAY_PASS = {i: "75" for i in KARAMAY_IDS}
KARAMAY_FAIL = {i: "40" for i in KARAMAY_IDS}


class Browser:
    """A signed-in test client that posts forms as a browser would: with the session's CSRF token."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        helpers.login_as(client, user)
        self.token = helpers.csrf_token(client, "/admin/")

    def get(self, path):
        return self.client.get(path)

    def html(self, path):
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)

    def post(self, path, data=None, files=None, follow=False, confirm=True):
        """`confirm`: answer yes to the dialog a step that cannot be undone asks (admin.views.confirmation)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        if confirm:
            data.setdefault("confirmed", "1")
        kwargs = {}
        if files:
            for name, (content, filename) in files.items():
                data[name] = (io.BytesIO(content), filename)
            kwargs["content_type"] = "multipart/form-data"
        return self.client.post(path, data=data, follow_redirects=follow, **kwargs)

    def flashed(self, path, data=None, files=None, confirm=True):
        """POST, follow the redirect, and return the page it lands on (with the flashed message)."""
        response = self.post(path, data, files, follow=True, confirm=confirm)
        assert response.status_code == 200, (path, response.status_code)
        return response.get_data(as_text=True)


# --- reading pages ---------------------------------------------------------------------------------


def filter_index(html, label, operation):
    """The flt index of the filter `label` with `operation`, as the list page offers it."""
    match = re.search(r"var filter_groups_data = (\{.*?\});", html, re.S) or re.search(r"filter-groups-data[^>]*>(.*?)<", html, re.S)
    groups = json.loads(match.group(1))
    for item in groups[label]:
        if str(item["operation"]) == operation:
            return item["index"]
    raise AssertionError(f"no filter {label} {operation}: {groups[label]}")


def form_ids(html):
    return set(re.findall(r"<form\b[^>]*\bid=\"([^\"]+)\"", html))


def buttons(html, name):
    """Values of the <button name=`name`> on the page."""
    return set(re.findall(rf"<button[^>]*\bname=\"{name}\"[^>]*\bvalue=\"([^\"]+)\"", html))


def element_text(html, element_id):
    match = re.search(rf"id=\"{re.escape(element_id)}\"[^>]*>(.*?)</", html, re.S)
    assert match, f"no element #{element_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def chart_options(html, chart_id):
    """The ECharts options of the chart `chart_id` on a page (templates/hrpark/_charts.html)."""
    figure = re.search(rf'<figure[^>]*\bid="{re.escape(chart_id)}".*?</figure>', html, re.S)
    assert figure, f"no chart #{chart_id}"
    options = re.search(r'<script type="application/json" class="chart-options">(.*?)</script>', figure.group(0), re.S)
    return json.loads(options.group(1)) if options else None


def chart_drawn(options):
    """{series name: [its values as drawn]} of a chart's options, with the axis of categories."""
    axis = options["yAxis"] if options["yAxis"]["type"] == "category" else options["xAxis"]
    return axis["data"], {s["name"]: s["data"] for s in options["series"]}


def chart_table(html, chart_id):
    """The table of a chart: {(category key, series key): Decimal amount}."""
    figure = re.search(rf'<figure[^>]*\bid="{re.escape(chart_id)}".*?</figure>', html, re.S).group(0)
    found = re.findall(rf'data-series="([^"]+)" id="{re.escape(chart_id)}-(.+?)-\1" data-amount="([^"]+)"', figure)
    return {(category, series): Decimal(amount) for series, category, amount in found}


def upload_all(browser, application, ids):
    for material_id in ids:
        browser.post(f"/admin/application/{application.id}/upload/", {"material_id": material_id},
                     files={"file": (PDF + material_id.encode(), f"{material_id}.pdf")})


DAY = datetime.date


def recognise(park, on=DAY(2024, 3, 1)):
    """A recognition of `park` from `on`, under the official name its place's measures give."""
    return Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=on,
                              official_name=rules_for(park.jurisdiction).recognised_name(park.name))


# --- setting the scene through core.records.services (faster than through the pages) --------------------


def actors(town):
    """Service actors bound as the town's accounts are."""
    from tests.builders import actor

    j = town.j
    return {
        "cz_operator": actor("park_operator", park=town.cz_park),
        "cz_county": actor("county_officer", j["shangdang"]),
        "cz_city": actor("city_officer", j["changzhi"]),
        "cz_panel": actor("panel_member", j["changzhi"]),
        "cz_finance": actor("city_finance", j["changzhi"]),
        "kr_county": actor("county_officer", j["dushanzi"]),
        "kr_city": actor("city_officer", j["karamay"]),
        "kr_panel": actor("panel_member", j["karamay"]),
        "kr_finance": actor("city_finance", j["karamay"]),
    }


#: The Changzhi procedure, step by step: (transition, account, remark).
CHANGZHI_STEPS = (
    ("submit", "cz_operator", ""),
    ("county_pass", "cz_county", ""),
    ("city_accept", "cz_city", ""),
    ("evaluation_pass", "cz_city", "实地考察：场地与材料一致"),
    ("approve", "cz_city", ""),
)
KARAMAY_STEPS = (
    ("file", "kr_county", ""),
    ("panel_pass", "kr_city", ""),
    ("party_approve", "kr_city", ""),
    ("recognise", "kr_city", ""),
)


def application_at(town, upload_dir, city, state, notice_day=datetime.date(2025, 9, 29), park=None):
    """An application of `park` (default: the town's park of `city`, 'cz' or 'kr'), moved through
    the services up to `state`."""
    from core.records.services import applications as apps
    from core.records.services.materials import add_material

    who = actors(town)
    from tests.builders import actor

    park = park or (town.cz_park if city == "cz" else town.kr_park)
    filer = actor("park_operator", park=park) if city == "cz" else who["kr_county"]
    steps = CHANGZHI_STEPS if city == "cz" else KARAMAY_STEPS
    application = apps.create_application(park, filer, year=2025)
    for material_id in (CHANGZHI_MATERIALS if city == "cz" else KARAMAY_MATERIALS):
        add_material(application, material_id, f"{material_id}.pdf", PDF + material_id.encode(), filer, directory=upload_dir)
    for transition, account, remark in steps:
        if application.state == state:
            break
        if transition in ("evaluation_pass", "panel_pass"):
            panel = who[f"{city}_panel"]
            for result in apps.judgement_pending(application):
                apps.record_verdict(application, result.criterion_id, True, "经评审，符合要求", panel)
        on = notice_day + datetime.timedelta(days=30) if transition in ("approve", "recognise") else notice_day
        taker = filer if account == "cz_operator" else who[account]
        application = apps.take_transition(application, transition, taker, remark=remark, on=on)
    assert application.state == state, application.state
    return application
