"""The dashboard's numbers against the data: parks by state, applications waiting on each role,
the deadlines of the next 30 days (a notice ending, rectification deadlines — overdue ones too —
and Changzhi's first-quarter assessment, 第十八条: 3月31日, at both sides of the 30-day horizon),
and the subsidies of each year as a chart with the table of its numbers."""
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.records.models import Assessment, Recognition, Rectification, Subsidy
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import DAY, application_at, chart_drawn, chart_options
from tests.builders import make_park
from tests.statements import counting


def recognise(park, status="active"):
    return Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=DAY(2025, 3, 1), status=status,
                              official_name=rules_for(park.jurisdiction).recognised_name(park.name))


def rectifying(park, deadline):
    recognition = recognise(park, status="rectifying")
    assessment = Assessment.create(recognition=recognition, year=2025, scores={}, total_score=Decimal("50"),
                                   grade="unqualified", status="confirmed", assessed_on=DAY(2026, 1, 20),
                                   consequences=[{"kind": "rectify", "article": "第二十条第（二）项"}])
    Rectification.create(assessment=assessment, deadline=deadline)
    return recognition


@pytest.fixture
def scene(app, town, on_day):
    """Changzhi's 上党区: eight parks in every state; Karamay's 独山子区: a draft and a recognised park."""
    uploads = Path(app.config["UPLOAD_DIR"])
    shangdang = town.j["shangdang"]
    s = {}
    s["A"] = rectifying(town.cz_park, DAY(2026, 3, 20))  # in 19 days
    s["E"] = rectifying(make_park(shangdang, name="E园"), DAY(2026, 2, 20))  # overdue
    s["F"] = rectifying(make_park(shangdang, name="F园"), DAY(2026, 4, 15))  # beyond the 30 days
    s["G"] = recognise(make_park(shangdang, name="G园"))
    s["B"] = application_at(town, uploads, "cz", "county_review", park=make_park(shangdang, name="B园"))
    s["C"] = application_at(town, uploads, "cz", "public_notice", notice_day=DAY(2026, 2, 25),
                            park=make_park(shangdang, name="C园"))
    s["H"] = application_at(town, uploads, "cz", "joint_evaluation", park=make_park(shangdang, name="H园"))
    s["D"] = make_park(shangdang, name="D园")
    s["kr_draft"] = application_at(town, uploads, "kr", "draft")
    s["K"] = recognise(make_park(town.j["dushanzi"], name="K园", sites=((True, "2500"),)))
    for kind, year, amount, status in (("recognition_award", 2025, "800000", "paid"), ("operating_grant", 2025, "303000", "approved"),
                                       ("operating_grant", 2026, "300000", "proposed"), ("operating_grant", 2024, "0", "withheld"),
                                       ("recognition_award", 2026, "50000", "cancelled")):
        Subsidy.create(park=town.cz_park, jurisdiction=shangdang, recognition=s["A"], kind=kind, year=year,
                       amount=Decimal(amount), rule_id=kind, article="第九条", status=status)
    on_day(DAY(2026, 3, 1))
    return s


def section(html, code):
    match = re.search(rf'<section class="card mb-4 dashboard-section" id="dashboard-{code}">(.*?)</section>', html, re.S)
    assert match, code
    return match.group(1)


def parks_by_state(part):
    return {key: int(n.replace(",", "")) for key, n in
            re.findall(r'<tr data-state="([^"]+)">.*?<td class="text-right count">([\d,]+)</td>', part, re.S)}


def waiting(part):
    return {int(i) for i in re.findall(r'data-application="(\d+)"', part)}


def deadlines(part):
    return [(kind, day) for kind, day in re.findall(r'class="deadline deadline-([a-z]+)[^"]*" data-date="([^"]+)"', part)]


def test_parks_by_state_and_deadlines_of_changzhi(browse, town, scene):
    html = browse("cz_city").html("/admin/overview/")
    part = section(html, "changzhi-shangdang")
    assert parks_by_state(part) == {
        "recognition:rectifying": 3, "recognition:active": 1, "application:county_review": 1,
        "application:public_notice": 1, "application:joint_evaluation": 1, "not_applied": 1,
    }
    assert "已认定：限期整改中" in part and "县级初审中" in part and "未申请" in part
    notice_end = scene["C"].notices.get().end
    assert notice_end == DAY(2026, 3, 2)  # 2/25, 2/26, 2/27, the make-up Saturday 2/28, then Monday 3/2
    assert deadlines(part) == [
        ("rectification", "2026-02-20"), ("notice", "2026-03-02"), ("rectification", "2026-03-20"), ("assessment", "2026-03-31"),
    ]
    assert "已逾期" in part and "2026年3月31日" in part and "第十八条" in part
    assert "2025年度考核评估：4个产业园中已确认3个" in part
    assert "2026-04-15" not in part  # F's deadline is 45 days away
    assert section(html, "changzhi-luzhou").count("deadline-") == 0


@pytest.mark.parametrize("day, shown", [(DAY(2026, 2, 28), False), (DAY(2026, 3, 1), True), (DAY(2026, 3, 31), True),
                                        (DAY(2026, 4, 1), False)])
def test_the_first_quarter_assessment_shows_within_30_days_of_31_march(browse, town, scene, on_day, day, shown):
    """第十八条: 每年第一季度 — the deadline 3月31日 appears from 30 days before it until it passes."""
    on_day(day)
    part = section(browse("cz_city").html("/admin/overview/"), "changzhi-shangdang")
    assert (("assessment", "2026-03-31") in deadlines(part)) == shown


def test_karamay_names_no_quarter_so_no_assessment_deadline(browse, town, scene):
    part = section(browse("kr_city").html("/admin/overview/"), "karamay-dushanzi")
    assert "deadline-assessment" not in part
    assert parks_by_state(part) == {"application:draft": 1, "recognition:active": 1}


@pytest.mark.parametrize("account, expected", [
    ("cz_county", {"B"}),  # preliminary review
    ("cz_city", {"C", "H"}),  # the notice to close, the joint evaluation to conclude
    ("cz_panel", {"H"}),  # judgement criteria without a verdict
    ("cz_finance", set()),
    ("cz_operator", set()),
    ("kr_county", {"kr_draft"}),  # Karamay: the district files
    ("kr_city", set()),
])
def test_applications_waiting_on_each_role(browse, town, scene, account, expected):
    html = browse(account).html("/admin/overview/")
    found = set()
    for part in re.findall(r'<section class="card mb-4 dashboard-section".*?</section>', html, re.S):
        found |= waiting(part)
    assert found == {scene[k].id for k in expected}
    if account == "cz_panel":
        assert "4项条件待评审" in html  # Changzhi has four judgement criteria


def test_the_park_operator_sees_only_its_park(browse, town, scene):
    html = browse("cz_operator").html("/admin/overview/")
    assert re.findall(r'class="card mb-4 dashboard-section" id="dashboard-([^"]+)"', html) == ["changzhi-shangdang"]
    part = section(html, "changzhi-shangdang")
    assert parks_by_state(part) == {"recognition:rectifying": 1}
    assert deadlines(part) == [("rectification", "2026-03-20"), ("assessment", "2026-03-31")]
    assert "2025年度考核评估：1个产业园中已确认1个" in part


def test_subsidies_per_year_as_a_chart_and_the_table_of_its_numbers(browse, town, scene):
    html = browse("cz_city").html("/admin/overview/")
    part = section(html, "changzhi-shangdang")
    cells = {(int(y), status): Decimal(a) for y, status, a in
             re.findall(r'id="subsidy-changzhi-shangdang-(\d+)-([a-z]+)" data-amount="([^"]+)"', part)}
    assert cells[(2025, "paid")] == Decimal("800000.00") and cells[(2025, "approved")] == Decimal("303000.00")
    assert cells[(2026, "proposed")] == Decimal("300000.00") and cells[(2026, "cancelled")] == Decimal("50000.00")
    assert cells[(2024, "withheld")] == 0 and cells[(2025, "proposed")] == 0
    years, drawn = chart_drawn(chart_options(part, "subsidy-changzhi-shangdang"))
    # drawn, stacked: the money paid, approved or proposed; withheld and cancelled lines are in the table only
    assert years == ["2024", "2025", "2026"]
    assert drawn == {"已拨付": ["0.00", "800000.00", "0.00"], "已核准": ["0.00", "303000.00", "0.00"],
                     "拟发放": ["0.00", "0.00", "300000.00"]}
    assert all(Decimal(drawn[label][i]) == cells[(year, status)] for label, status in
               (("已拨付", "paid"), ("已核准", "approved"), ("拟发放", "proposed")) for i, year in enumerate((2024, 2025, 2026)))
    undrawn = re.search(r'<p class="small text-muted chart-undrawn" hidden>(.*?)</p>', part, re.S).group(1)
    assert re.sub(r"<[^>]+>|\s+", "", undrawn) == "未绘入图表（见表格）：已取消50,000.00元"  # withheld: 0.00, not named
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert "/static/hrpark/vendor/echarts/echarts.min.js" in scripts  # the app's own copy: the machine has no internet
    assert not [src for src in scripts if not src.startswith("/")]
    assert "data-chart" not in section(browse("kr_city").html("/admin/overview/"), "karamay-dushanzi")


def test_the_dashboard_is_english_in_english_mode(browse, town, scene):
    city = browse("cz_city")
    city.post("/auth/language", {"lang": "en", "next": "/admin/overview/"})
    part = section(city.html("/admin/overview/"), "changzhi-shangdang")
    assert "Parks by state" in part and "Recognised: under rectification" in part and "overdue" in part


def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_number_of_parks(app, db, browse, town, scene):
    from core.records.models import Application

    city = browse("cz_city")
    shangdang = town.j["shangdang"]

    def queries():
        with counting(db) as statements:
            assert city.get("/admin/overview/").status_code == 200
        return len(statements)

    first = queries()
    for i in range(15):
        park = make_park(shangdang, name=f"新园区{i}", agencies=0)
        Application.create(park=park, jurisdiction=shangdang, year=2025, state="county_review" if i % 2 else "joint_evaluation")
        rectifying(make_park(shangdang, name=f"整改园区{i}", agencies=0), DAY(2026, 3, 10))
        Subsidy.create(park=park, jurisdiction=shangdang, kind="operating_grant", year=2020 + i % 5, amount=Decimal("1000"),
                       rule_id="x", article="第十条", status="paid")
    assert queries() == first
