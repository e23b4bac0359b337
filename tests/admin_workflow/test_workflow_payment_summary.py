"""资金拨付汇总表: paid by park and kind in a period counted by the day paid (拨付日期), not the
subsidy's year — both ends of the period included, the days outside it not — with totals by park and
overall, recovered money shown, charts per month and per park with the table of their numbers, the
same table as an .xlsx, and only the user's jurisdiction."""
import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.records.models import Recognition, Subsidy
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import DAY, chart_drawn, chart_options, chart_table
from tests.builders import make_park

PAGE = "/admin/payment_summary/"


def paid(park, kind, year, amount, paid_on, status="paid"):
    recognition = Recognition.get_or_none(Recognition.park == park) or Recognition.create(
        park=park, jurisdiction=park.jurisdiction, recognised_on=DAY(2024, 3, 1),
        official_name=rules_for(park.jurisdiction).recognised_name(park.name))
    return Subsidy.create(park=park, jurisdiction=park.jurisdiction, recognition=recognition, kind=kind, year=year,
                          amount=Decimal(amount), rule_id=kind, article="第十条", status=status, paid_on=paid_on,
                          payment_voucher="记-1", fund_source="市级财政就业补助资金", payee_account="基本户")


@pytest.fixture
def payments(town, world, on_day):
    on_day(DAY(2025, 12, 31))
    second = make_park(world["shangdang"], name="上党第二产业园")
    paid(town.cz_park, "operating_grant", 2024, "300000", DAY(2025, 1, 1))  # a 2024 grant paid on the period's first day
    paid(town.cz_park, "recognition_award", 2025, "800000", DAY(2025, 3, 15))
    paid(town.cz_park, "operating_grant", 2025, "120000", DAY(2025, 12, 31), status="recovered")  # its last day
    paid(second, "operating_grant", 2025, "310000", DAY(2025, 6, 30))
    paid(second, "operating_grant", 2023, "999999", DAY(2024, 12, 31))  # the day before the period
    paid(town.kr_park, "operating", 2025, "500000", DAY(2025, 5, 1))  # another city
    Subsidy.create(park=second, jurisdiction=second.jurisdiction, kind="operating_grant", year=2025, amount=Decimal("1"),
                   rule_id="x", article="第十条", status="approved")  # approved, not paid
    return second


def table(html):
    rows = []
    for row in re.findall(r'<tr class="payment-row">(.*?)</tr>', html, re.S):
        rows.append([re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
    return rows


def test_paid_by_park_and_kind_in_the_period_with_totals(browse, payments):
    html = browse("cz_city").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    assert table(html) == [
        ["上党人力资源服务产业园", "基础运营经费补助", "2", "420,000.00元", "120,000.00元"],
        ["上党人力资源服务产业园", "一次性认定奖励", "1", "800,000.00元", "0.00元"],
        ["上党第二产业园", "基础运营经费补助", "1", "310,000.00元", "0.00元"],
    ]
    assert "上党人力资源服务产业园小计" in html and "1,220,000.00元" in html
    assert re.search(r'id="total-paid">1,530,000.00元<', html) and re.search(r'id="total-recovered">120,000.00元<', html)
    assert "999,999" not in html and "500,000" not in html  # outside the period; another city's
    months, drawn = chart_drawn(chart_options(html, "paid-per-month"))
    assert months == [f"2025-{m:02d}" for m in range(1, 13)]  # every month from the first paid to the last
    paid_in = {"2025-01": "300000.00", "2025-03": "800000.00", "2025-06": "310000.00", "2025-12": "120000.00"}
    assert drawn == {"拨付金额": [paid_in.get(m, "0.00") for m in months]}
    assert chart_table(html, "paid-per-month") == {(m, "paid"): Decimal(a) for m, a in zip(months, drawn["拨付金额"])}
    parks, drawn = chart_drawn(chart_options(html, "paid-per-park"))
    assert parks == ["上党人力资源服务产业园", "上党第二产业园"] and drawn == {"拨付金额": ["1220000.00", "310000.00"]}
    assert sorted(chart_table(html, "paid-per-park").values()) == [Decimal("310000.00"), Decimal("1220000.00")]
    assert 'id="paid-per-park-other-paid"' not in html  # two parks: no 其他


def test_the_months_run_across_the_new_year_without_a_gap(browse, town, on_day):
    on_day(DAY(2026, 2, 28))
    paid(town.cz_park, "operating_grant", 2025, "0.10", DAY(2025, 11, 30))
    paid(town.cz_park, "operating_grant", 2025, "0.20", DAY(2026, 2, 1))
    months, drawn = chart_drawn(chart_options(browse("cz_city").html(f"{PAGE}?from=2025-01-01&to=2026-02-28"), "paid-per-month"))
    assert months == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert drawn == {"拨付金额": ["0.10", "0.00", "0.00", "0.20"]}


def test_the_chart_per_park_sums_the_smaller_parks_as_other(browse, town, world, on_day):
    on_day(DAY(2025, 12, 31))
    for n in range(1, 13):  # twelve parks, paid 1.10 … 12.10 yuan: the ten-bar chart sums the last three
        paid(make_park(world["shangdang"], name=f"园{n:02d}"), "operating_grant", 2025, f"{n}.10", DAY(2025, 6, 1))
    html = browse("cz_city").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    parks, drawn = chart_drawn(chart_options(html, "paid-per-park"))
    assert parks == [f"园{n:02d}" for n in range(12, 3, -1)] + ["其他"]
    assert drawn["拨付金额"] == [f"{n}.10" for n in range(12, 3, -1)] + ["6.30"]  # 1.10 + 2.10 + 3.10, to the fen
    assert chart_table(html, "paid-per-park")[("other", "paid")] == Decimal("6.30")
    assert 'id="paid-per-park-other-paid" data-amount="6.30">6.30元<' in html


def test_the_ends_of_the_period_are_included_and_the_days_beyond_are_not(browse, payments):
    city = browse("cz_city")
    assert [r[3] for r in table(city.html(f"{PAGE}?from=2025-01-02&to=2025-12-30"))] == [
        "800,000.00元", "310,000.00元"]  # the grant paid on 01-01 and the one recovered, paid on 12-31, are out
    assert {r[0] for r in table(city.html(f"{PAGE}?from=2024-12-31&to=2024-12-31"))} == {"上党第二产业园"}


def test_each_city_sees_its_own_payments_only(browse, payments):
    html = browse("kr_city").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    assert [r[0] for r in table(html)] == ["独山子人力资源服务产业园"]
    assert "上党" not in html


def test_the_workbook_holds_the_same_rows_and_the_total(browse, payments):
    response = browse("cz_city").get(f"{PAGE}?from=2025-01-01&to=2025-12-31&format=xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["产业园", "补贴类别", "笔数", "拨付金额（元）", "其中已追回（元）"]
    assert rows[-1] == ["合计", None, 4, 1530000, 120000]
    assert rows[1][:4] == ["上党人力资源服务产业园", "基础运营经费补助", 2, 420000]


@pytest.mark.parametrize("query", ["from=2025-02-30", "from=明天", "from=2025-12-31&to=2025-01-01", "to=99999-1-1"])
def test_a_period_that_is_not_one_is_named_with_a_400(browse, payments, query):
    response = browse("cz_city").get(f"{PAGE}?{query}")
    assert response.status_code == 400
    assert "期间无效" in response.get_data(as_text=True)


def test_a_park_operator_sees_its_own_park_s_payments_only(browse, payments):
    html = browse("cz_operator").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    assert {r[0] for r in table(html)} == {"上党人力资源服务产业园"}
    assert re.search(r'id="total-paid">1,220,000.00元<', html)


def test_the_word_document_holds_the_period_the_rows_and_the_total(browse, payments):
    from docx import Document

    response = browse("cz_city").get(f"{PAGE}?from=2025-01-01&to=2025-12-31&format=docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "资金拨付汇总表" in text and "统计期间：2025年1月1日至2025年12月31日" in text and "编制单位：长治市" in text
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0] == ["产业园", "补贴类别", "笔数", "拨付金额（元）", "其中已追回（元）"]
    assert cells[1] == ["上党人力资源服务产业园", "基础运营经费补助", "2", "¥420,000.00", "¥120,000.00"]
    assert cells[-1] == ["合计", "", "4", "¥1,530,000.00", "¥120,000.00"]


def test_two_parks_of_one_name_in_two_districts_are_kept_apart(browse, payments, town, world):
    from core.world.factory import add_district

    other_district = add_district(world, "changzhi", "changzhi-tunliu-test", "屯留区")
    namesake = make_park(other_district, name="上党第二产业园")
    paid(namesake, "operating_grant", 2025, "100000", DAY(2025, 7, 1))
    html = browse("cz_city").html(f"{PAGE}?from=2025-01-01&to=2025-12-31")
    assert [r for r in table(html) if r[0] == "上党第二产业园"] == [  # by name, then the older park first
        ["上党第二产业园", "基础运营经费补助", "1", "310,000.00元", "0.00元"],
        ["上党第二产业园", "基础运营经费补助", "1", "100,000.00元", "0.00元"]]
    assert html.count("上党第二产业园小计") == 2
