"""The workbench, every account's home page, against the data: one table of what waits on the
account (applications with a step for its role, criteria to judge, subsidies to approve or pay,
draft assessments, pending rectifications), counts per kind, filters by kind and district, sorting;
below it notices ending within 7 working days (at both sides of the 7th), last year's assessments
due, rectification deadlines and grants approved but not paid, with their exact total."""
import datetime
import re
from decimal import Decimal

import pytest

from core.records.models import Assessment, PublicNotice, Subsidy
from core.rules.workdays import calendar_from_database
from tests.admin_workflow.pages import DAY
from tests.admin_workflow.test_workflow_dashboard import recognise, scene  # noqa: F401 (the fixture)
from tests.builders import make_park
from tests.statements import counting


def tasks(html):
    """[(kind, park, deadline)] of the task table, in its order."""
    rows = re.findall(r'<tr class="task" data-kind="([a-z_]+)">(.*?)</tr>', html, re.S)
    return [(kind, re.search(r'class="task-park">([^<]*)<', row).group(1),
             re.search(r'data-date="([^"]*)"', row).group(1)) for kind, row in rows]


def counts(html):
    return {kind: int(n) for kind, n in re.findall(r'class="badge badge-light task-count" data-kind="([a-z_]+)">([\d,]+)<', html)}


def panel(html, part):
    match = re.search(rf'<section class="col-lg-6 mb-4" id="{part}">(.*?)</section>', html, re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("account, expected", [
    ("cz_county", {("application", "B园")}),  # preliminary review
    ("cz_city", {("application", "C园"), ("application", "H园"), ("subsidy_approve", None),
                 ("rectification", None), ("rectification", "E园"), ("rectification", "F园")}),
    ("cz_panel", {("verdicts", "H园")}),  # four judgement criteria without a verdict
    ("cz_finance", {("subsidy_pay", None)}),  # the approved operating grant
    ("cz_operator", set()),
    ("kr_county", {("application", None)}),  # Karamay: the district files its draft
    ("kr_city", set()),
])
def test_what_waits_on_each_role(browse, town, scene, account, expected):
    html = browse(account).html("/admin/")
    found = {(kind, park) for kind, park, _day in tasks(html)}
    # None stands for the town's own park (its name is the builder's); a recognition goes by its official name
    names = {town.cz_park.name: None, town.kr_park.name: None, scene["A"].official_name: None,
             scene["E"].official_name: "E园", scene["F"].official_name: "F园"}
    assert {(kind, names.get(park, park)) for kind, park in found} == expected
    by_kind = {}
    for kind, _park in found:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    assert counts(html) == by_kind
    if not expected:
        assert 'id="nothing-waits"' in html


def test_the_table_sorts_by_deadline_both_ways_undated_last(browse, town, scene):
    city = browse("cz_city")
    ascending = [day for _k, _p, day in tasks(city.html("/admin/?sort=deadline"))]
    dated = [d for d in ascending if d]
    assert dated == sorted(dated) and ascending[:len(dated)] == dated  # undated rows after the dated
    assert dated[0] == "2026-02-20"  # E园's overdue rectification leads
    descending = [day for _k, _p, day in tasks(city.html("/admin/?sort=deadline&desc=1"))]
    assert [d for d in descending if d] == dated[::-1] and descending[len(dated):] == [""] * (len(ascending) - len(dated))


def test_kind_and_district_filters(browse, town, scene):
    city = browse("cz_city")
    only = tasks(city.html("/admin/?kind=rectification"))
    assert {k for k, _p, _d in only} == {"rectification"} and len(only) == 3
    assert tasks(city.html("/admin/?kind=no-such-kind")) == tasks(city.html("/admin/"))  # an unknown kind is no filter
    shangdang = town.j["shangdang"]
    html = city.html(f"/admin/?district={shangdang.code}")
    assert f'<option value="{shangdang.code}" selected>' in html
    assert len(tasks(html)) == 6  # everything of the scene is in 上党区
    others = [code for code in re.findall(r'<option value="([a-z-]+)"', html) if code != shangdang.code]
    assert others and all(tasks(city.html(f"/admin/?district={code}")) == [] for code in others)


def _notice_end(scene):
    return PublicNotice.get(PublicNotice.application == scene["C"]).end


def test_a_notice_is_listed_from_7_working_days_before_its_end(browse, town, scene, on_day):
    end = _notice_end(scene)
    calendar = calendar_from_database()

    def until(day):
        return calendar.add_working_days(day + datetime.timedelta(days=1), 7)

    first = next(end - datetime.timedelta(days=n) for n in range(30, -1, -1) if until(end - datetime.timedelta(days=n)) >= end)
    city = browse("cz_city")
    on_day(first)
    part = panel(city.html("/admin/"), "notices-ending")
    assert f'data-date="{end.isoformat()}"' in part and "C园" in part and "第七条" in part
    on_day(first - datetime.timedelta(days=1))
    assert "C园" not in panel(city.html("/admin/"), "notices-ending")
    on_day(end + datetime.timedelta(days=3))  # ended and not yet concluded: still listed, in red
    assert re.search(r'class="notice-ending text-danger" data-date="' + end.isoformat(), panel(city.html("/admin/"), "notices-ending"))


def test_last_years_assessments_due_with_the_measures_quarter(browse, town, scene, on_day):
    part = panel(browse("cz_city").html("/admin/"), "assessments-due")
    # A, E and F have 2025 confirmed; G (recognised 2025) has none
    assert "2025年度考核：4个园区中已确认3个" in part and "截止2026年3月31日" in part and "第十八条" in part
    assert "year=2025" in part  # the grid of that year
    kr = panel(browse("kr_city").html("/admin/"), "assessments-due")
    assert "2025年度考核：1个园区中已确认0个" in kr and "截止" not in kr  # Karamay names no quarter
    Assessment.create(recognition=scene["G"], year=2025, scores={}, total_score=Decimal("90"), grade="excellent",
                      status="confirmed", assessed_on=DAY(2026, 1, 20))
    assert "各已认定园区上一年度的考核均已确认" in panel(browse("cz_city").html("/admin/"), "assessments-due")


def test_rectification_deadlines_earliest_first_overdue_in_red(browse, town, scene):
    part = panel(browse("cz_county").html("/admin/"), "rectification-deadlines")
    assert re.findall(r'data-date="([^"]+)"', part) == ["2026-02-20", "2026-03-20", "2026-04-15"]
    assert part.count("text-danger") == 1  # only E园's, overdue on 2026-03-01


def test_grants_approved_not_paid_and_their_exact_total(browse, town, scene):
    for amount in ("0.10", "0.20"):
        Subsidy.create(park=town.cz_park, jurisdiction=town.j["shangdang"], recognition=scene["A"], kind="operating_grant",
                       year=2024, amount=Decimal(amount), rule_id="operating_grant", article="第十条", status="approved")
    html = browse("cz_finance").html("/admin/")
    assert re.search(r'id="unpaid-total" data-amount="([^"]+)"', html).group(1) == "303000.30"
    assert len(re.findall(r'class="grant-unpaid"', html)) == 3
    assert counts(html) == {"subsidy_pay": 3}
    assert panel(browse("cz_panel").html("/admin/"), "grants-unpaid") is None  # a panel member reads no subsidies
    assert "303,000.30" not in browse("kr_finance").html("/admin/")


def test_no_other_jurisdictions_records_by_any_filter(browse, town, scene):
    kr = browse("kr_city")
    for query in ("", "?district=changzhi-shangdang", "?kind=rectification", "?sort=park&desc=1"):
        html = kr.html(f"/admin/{query}")
        assert "B园" not in html and "C园" not in html and "E园" not in html and "上党区" not in html


def test_the_workbench_reads_a_fixed_number_of_queries_whatever_the_number_of_parks(db, browse, town, scene):
    city = browse("cz_city")

    def queries():
        with counting(db) as statements:
            assert "task-table" in city.html("/admin/")
        return len(statements)

    before = queries()
    for n in range(5):
        recognise(make_park(town.j["shangdang"], name=f"Z{n}园"))
    assert queries() == before
