"""The rules page on a chosen day, and a county's measures as a diff of its city's (issue 12 point 4):
before a county's own number begins its city's applies, cited to the city's document; from that day
the county's, cited to the county's. The county (tests/county's DatedCounty) dates its single-site
area from 2025-07-01: 3000㎡ under Changzhi's measures until 2025-06-30, 2000㎡ under its own after."""
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from admin_test_helpers import login_as, make_user, post_form
from core.records.models import Jurisdiction
from core.rules.parameters import load_revision_file
from core.plugin.registry import load_registry, set_registry
from plugins.changzhi import ChangzhiPlugin
from tests.builders import registry_with

COUNTY = "changzhi-dated"
CITY_MEASURES = "《长治市级人力资源服务产业园管理办法（试行）》"
COUNTY_MEASURES = "《changzhi-dated区办法》"
COUNTY_DIR = Path(__file__).resolve().parents[1] / "county"


@pytest.fixture
def dated_app(make_app, monkeypatch):
    """The installed plugins with DatedCounty beside them; it adds one condition of its own (public
    recruitment events) and, from its own date, drops the city's planning report."""
    monkeypatch.syspath_prepend(str(COUNTY_DIR))
    from countytest_plugins import PUBLIC_EVENTS, DatedCounty

    class DatedCountyWithConditions(DatedCounty):
        extra_criteria = [PUBLIC_EVENTS]

        def build_criteria(self, on):
            kept = super().build_criteria(on)
            return kept if on.isoformat() < "2025-07-01" else [c for c in kept if c.id != "planning_report"]

    reg = set_registry(registry_with(load_registry(), COUNTY, DatedCountyWithConditions()))
    yield make_app(REGISTRY=reg)
    set_registry(load_registry())
    for name in [m for m in sys.modules if m.startswith("countytest_")]:
        del sys.modules[name]


def signed_in(app, username, role, code):
    client = app.test_client()
    login_as(client, make_user(username, role, jurisdiction=Jurisdiction.get(Jurisdiction.code == code)))
    return client


def row(html, row_id):
    found = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', html, re.S)
    assert found, row_id
    return found.group(1)


def cell(html, css_class):
    return re.search(rf'<td class="{css_class}(?: [^"]*)?">(.*?)</td>', html, re.S).group(1).strip()


def test_each_number_names_the_document_article_and_period_governing_it_on_the_day(dated_app):
    city = signed_in(dated_app, "cz_city", "city_officer", "changzhi")
    before = city.get("/admin/rules/?on=2025-06-30").get_data(as_text=True)
    after = city.get("/admin/rules/?on=2025年7月1日").get_data(as_text=True)  # any way core.rules.dates reads a day

    inherited = row(before, f"param-{COUNTY}-single_site_min_area")
    assert cell(inherited, "value") == "3,000平方米"
    assert cell(inherited, "document") == CITY_MEASURES  # the city's number, cited to the city's measures
    assert cell(inherited, "reference") == "第六条第（二）项"
    assert cell(inherited, "period") == "2024年1月1日至2025年6月30日"  # it ends where the county's begins

    own = row(after, f"param-{COUNTY}-single_site_min_area")
    assert cell(own, "value") == "2,000平方米"
    assert cell(own, "document") == COUNTY_MEASURES
    assert cell(own, "reference") == "晚发区办法第六条第（二）项"
    assert cell(own, "period") == "2025年7月1日起"

    # The city's own number is the same on both days; a number the county leaves is the city's.
    assert cell(row(after, "param-changzhi-single_site_min_area"), "value") == "3,000平方米"
    assert cell(row(after, f"param-{COUNTY}-min_agencies"), "document") == CITY_MEASURES
    assert "以下为 2025年7月1日 有效的规定" in after and 'value="2025-07-01"' in after
    # A local default is no document's: named as the deployment's, not as the measures'.
    assert cell(row(after, f"param-{COUNTY}-grade_excellent_min"), "document") == "长治市本地默认值，办法未规定"
    # The plugin's note on its dates names the deployment setting by its title, not its key.
    assert "印发日期为部署设置“长治市办法的印发（施行）日期”" in after and "changzhi.effective_from" not in after


def test_a_county_programme_links_to_its_diff_and_the_diff_moves_at_the_boundary(dated_app):
    city = signed_in(dated_app, "cz_city", "city_officer", "changzhi")
    rules = city.get("/admin/rules/?on=2025-07-01").get_data(as_text=True)
    county_section = rules[rules.index(f'id="rules-{COUNTY}"'):]
    assert f"/admin/rules/diff/?code={COUNTY}&amp;on=2025-07-01" in county_section and "与长治市办法对照" in county_section
    city_section = rules[rules.index('id="rules-changzhi"'):rules.index(f'id="rules-{COUNTY}"')]
    assert "/admin/rules/diff/" not in city_section  # a city is not a diff of anything

    before = city.get(f"/admin/rules/diff/?code={COUNTY}&on=2025-06-30").get_data(as_text=True)
    after = city.get(f"/admin/rules/diff/?code={COUNTY}&on=2025-07-01").get_data(as_text=True)
    parameters = len(list(dated_app.extensions["hrpark_registry"].get(COUNTY).parameters))

    assert 'id="no-number-differs"' in before and 'id="diff-single_site_min_area"' not in before
    assert f"{parameters}项数值和10项认定条件沿用长治市办法" in before
    number = row(after, "diff-single_site_min_area")
    city_side, county_side = re.findall(r'<td class="(?:parent|county)">(.*?)</td>', number, re.S)
    assert "3,000平方米" in city_side and "第六条第（二）项" in city_side and CITY_MEASURES in city_side
    assert "2,000平方米" in county_side and "晚发区办法第六条第（二）项" in county_side and COUNTY_MEASURES in county_side
    assert "2025年7月1日起" in county_side
    assert f"{parameters - 1}项数值和9项认定条件沿用长治市办法" in after

    # Conditions: added throughout; the city's planning report dropped from the county's date only.
    assert "新增" in row(before, "diff-criterion-public_events") and "经常性举办公益性招聘活动" in before
    assert 'id="diff-criterion-planning_report"' not in before
    dropped = row(after, "diff-criterion-planning_report")
    assert "删除" in dropped and "科学的规划论证" in dropped and "第六条第（一）项" in dropped


def test_another_places_officer_cannot_open_the_diff(dated_app):
    city = Jurisdiction.get(Jurisdiction.code == "changzhi")
    Jurisdiction.create(code="changzhi-shangdang", name_zh="上党区", level="county", parent=city)
    neighbour = signed_in(dated_app, "sd_county", "county_officer", "changzhi-shangdang")
    assert neighbour.get(f"/admin/rules/diff/?code={COUNTY}&on=2025-07-01").status_code == 404
    assert f'id="rules-{COUNTY}"' not in neighbour.get("/admin/rules/").get_data(as_text=True)
    karamay = signed_in(dated_app, "klmy_city", "city_officer", "karamay")
    assert karamay.get(f"/admin/rules/diff/?code={COUNTY}").status_code == 404

    own = signed_in(dated_app, "dated_county", "county_officer", COUNTY)
    page = own.get(f"/admin/rules/diff/?code={COUNTY}&on=2025-07-01")
    assert page.status_code == 200 and 'id="diff-single_site_min_area"' in page.get_data(as_text=True)
    assert own.get("/admin/rules/diff/?code=changzhi").status_code == 404  # its city's programme is not its own


@pytest.mark.parametrize("path", ["/admin/rules/", f"/admin/rules/diff/?code={COUNTY}&"])
@pytest.mark.parametrize("written", ["2025-02-30", "2025-13-01", "明天"])
def test_a_day_that_is_not_a_date_is_refused_with_the_reason(dated_app, path, written):
    city = signed_in(dated_app, "cz_city", "city_officer", "changzhi")
    separator = "&" if path.endswith("&") else "?"
    page = city.get(f"{path.rstrip('&')}{separator}on={written}")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    message = re.search(r'id="date-error">(.*?)</div>', html, re.S).group(1)
    assert f"“{written}”不是有效的日期" in message and "2025年3月1日" in message
    assert f'value="{written}"' in html  # the field keeps what was typed, to be corrected
    assert "param-" not in html and "diff-single_site_min_area" not in html  # no rules under a day not given
    assert 'id="jurisdiction-tree"' not in html and "未关联任何辖区" not in html


@pytest.mark.parametrize("day", ["2023-12-31", "0001-01-01"])
def test_a_day_before_the_measures_says_so_on_both_pages(dated_app, day):
    """Changzhi's numbers begin on 2024-01-01: on an earlier day no rule is in force, and both pages
    say so (naming that day) rather than fail."""
    city = signed_in(dated_app, "cz_city", "city_officer", "changzhi")
    rules = city.get(f"/admin/rules/?on={day}")
    html = rules.get_data(as_text=True)
    assert rules.status_code == 200
    section = html[html.index(f'id="rules-{COUNTY}"'):]
    assert "本办法尚无有效的规定：其各项数值自2024年1月1日起施行" in section
    assert cell(row(html, f"param-{COUNTY}-single_site_min_area"), "value") == "该日无有效值"
    diff = city.get(f"/admin/rules/diff/?code={COUNTY}&on={day}")
    text = diff.get_data(as_text=True)
    assert diff.status_code == 200 and "其各项数值自2024年1月1日起施行" in text and 'id="diff-summary"' not in text
    assert cell(row(city.get("/admin/rules/?on=2024-01-01").get_data(as_text=True), f"param-{COUNTY}-single_site_min_area"),
                "value") == "3,000平方米"  # the first day itself has its numbers


def test_the_english_back_office_reads_in_english(dated_app):
    city = signed_in(dated_app, "cz_city", "city_officer", "changzhi")
    post_form(city, "/auth/language", {"lang": "en", "next": "/admin/rules/"})
    rules = city.get("/admin/rules/?on=2025-06-30").get_data(as_text=True)
    assert cell(row(rules, f"param-{COUNTY}-single_site_min_area"), "period") == "1 Jan 2024 to 30 Jun 2025"
    assert "Governing document" in rules and "Compare with the measures of Changzhi" in rules
    diff = city.get(f"/admin/rules/diff/?code={COUNTY}&on=2025-07-01").get_data(as_text=True)
    assert "Added" in row(diff, "diff-criterion-public_events") and "from 1 Jul 2025" in diff
    refused = city.get("/admin/rules/?on=2025-02-30")
    assert refused.status_code == 400 and "“2025-02-30” is not a valid date" in refused.get_data(as_text=True)


def test_luzhous_diff_lists_a_restated_number_and_a_rewritten_condition(make_app):
    """潞州区 restates Changzhi's 15% employment ratio under its own article, and rewrites the
    branch-site condition: both are the county's, and the page says which is which."""
    registry = load_registry()
    if "changzhi-luzhou" not in registry:
        pytest.skip("the 潞州区 county plugin is not installed")
    app = make_app(REGISTRY=registry)
    city = signed_in(app, "cz_city", "city_officer", "changzhi")
    diff = city.get("/admin/rules/diff/?code=changzhi-luzhou&on=2025-07-01").get_data(as_text=True)
    restated = row(diff, "diff-employment_ratio")
    assert restated.count("15%") == 2 and "潞州区办法第十条" in restated and "数值相同，依据本办法" in restated
    assert "数值相同" not in row(diff, "diff-single_site_min_area")
    rewritten = row(diff, "diff-criterion-branch_sites")
    assert "改写" in rewritten and "分园区原则上不超过3个" in rewritten and "分园区原则上不超过2个" in rewritten


REVISION = Path(__file__).resolve().parents[2] / "examples" / "revisions" / "changzhi" / "2027-zhengshi.yaml"


def test_a_revised_number_is_cited_to_the_revision_from_its_day(make_app):
    """A revision is a document of its own: from its day its number is cited to it (title and 文号);
    the day before, the number in force is the trial version's, ending that day. (The example
    revision the demo installs, given a document number here.)"""
    class Revised(ChangzhiPlugin):
        revisions = (replace(load_revision_file(REVISION), document_number="长人社发〔2026〕9号"),)

    reg = set_registry(registry_with(load_registry(), "changzhi", Revised()))
    try:
        city = signed_in(make_app(REGISTRY=reg), "cz_city", "city_officer", "changzhi")
        before = row(city.get("/admin/rules/?on=2026-12-31").get_data(as_text=True), "param-changzhi-min_agencies")
        after = row(city.get("/admin/rules/?on=2027-01-01").get_data(as_text=True), "param-changzhi-min_agencies")
    finally:
        set_registry(load_registry())
    assert (cell(before, "value"), cell(before, "document"), cell(before, "reference"), cell(before, "period")) == (
        "10个", CITY_MEASURES, "第六条第（三）项", "2024年1月1日至2026年12月31日")
    assert (cell(after, "value"), cell(after, "document"), cell(after, "reference"), cell(after, "period")) == (
        "12个", "《长治市级人力资源服务产业园管理办法》（长人社发〔2026〕9号）", "第六条第（三）项（2027年正式版，示例）", "2027年1月1日起")


def test_a_county_whose_plugin_cannot_load_says_so_on_the_rules_pages(make_app):
    """Its section names the plugin's own error (not "no plugin installed", not the city's rules);
    its diff page answers 503 with that error."""
    from plugins.luzhou import LuzhouPlugin

    class BrokenLuzhou(LuzhouPlugin):
        def build_info(self):
            raise ValueError("parameters.yaml 第12行：单位 m3 未知")

    reg = set_registry(registry_with(load_registry(), "changzhi-luzhou", BrokenLuzhou()))
    try:
        app = make_app(REGISTRY=reg)
        Jurisdiction.create(code="changzhi-luzhou", name_zh="潞州区", level="county",
                            parent=Jurisdiction.get(Jurisdiction.code == "changzhi"))
        city = signed_in(app, "cz_city", "city_officer", "changzhi")
        html = city.get("/admin/rules/").get_data(as_text=True)
        diff = city.get("/admin/rules/diff/?code=changzhi-luzhou")
    finally:
        set_registry(load_registry())
    section = html[html.index('id="rules-changzhi-luzhou"'):]
    section = section[:section.index("</section>")]
    assert "规则不可用" in section and "单位 m3 未知" in section and "param-" not in section
    assert "未安装规则插件" not in section
    assert diff.status_code == 503 and "单位 m3 未知" in diff.get_data(as_text=True)
