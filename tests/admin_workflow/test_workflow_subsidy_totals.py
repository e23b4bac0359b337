"""The subsidy list's totals row: the amount and the amount concerned summed by the database over
every row the filters keep — on every page, not only the one shown — exact to the fen, within the
user's jurisdiction only, and changing with each filter (year, kind, status, park, day paid)."""
import re
from decimal import Decimal

import pytest

from core.records.models import Subsidy
from tests.admin_workflow.pages import DAY
from tests.builders import make_park

LIST = "/admin/subsidy/"
#: Flask-Admin's filter arguments of the list, in records.SubsidyView.column_filters order.
PARK, YEAR, STATUS, KIND, DAY_PAID = "flt0_0", "flt0_1", "flt0_2", "flt0_3", "flt0_4"


def subsidy(park, amount, year=2025, kind="operating_grant", status="paid", paid_on=None, concerned=None):
    return Subsidy.create(park=park, jurisdiction=park.jurisdiction, kind=kind, year=year, amount=Decimal(amount),
                          rule_id=kind, article="第十条", status=status, paid_on=paid_on,
                          amount_concerned=None if concerned is None else Decimal(concerned))


@pytest.fixture
def subsidies(town, world):
    """Changzhi's 上党区: thirty payments of 0.10 yuan in 2025 (more than a page of twenty) and a 0.20 one
    of another park in 2024 — a float sum of these is not 3.20 — a withheld line that concerned
    1,000.10 yuan; Karamay's park: one large payment that Changzhi's officials must not count."""
    for n in range(30):
        subsidy(town.cz_park, "0.10", paid_on=DAY(2025, 1 + n % 12, 10))
    second = make_park(world["shangdang"], name="上党第二产业园")
    subsidy(second, "0.20", year=2024, kind="recognition_award", paid_on=DAY(2024, 12, 31))
    subsidy(second, "0.00", status="withheld", concerned="1000.10")
    subsidy(town.kr_park, "500000.00", kind="operating", paid_on=DAY(2025, 5, 1))
    return second


def totals(html):
    """(rows counted, amount, amount concerned) of the totals row."""
    row = re.search(r'<table[^>]*id="subsidy-list-totals".*?</table>', html, re.S).group(0)
    count = re.search(r"合计（符合条件的(\d+)笔补贴）", row).group(1)
    amount = re.search(r'id="total-amount" data-amount="([^"]+)">([^<]+)<', row)
    concerned = re.search(r'id="total-amount-concerned" data-amount="([^"]+)">([^<]+)<', row)
    assert amount.group(2) == f"{Decimal(amount.group(1)):,}元"  # the amount shown is the exact one
    return int(count), Decimal(amount.group(1)), Decimal(concerned.group(1))


def listed_amounts(html):
    """The amounts of the rows of one page of the list."""
    cells = re.findall(r'<td class="col-amount">\s*(.*?)\s*</td>', html, re.S)
    return [Decimal(re.sub(r"[^\d.]", "", c)) for c in cells]


def test_the_totals_row_sums_every_filtered_row_on_every_page_to_the_fen(browse, subsidies):
    city = browse("cz_city")
    first, second = city.html(f"{LIST}?page_size=20"), city.html(f"{LIST}?page_size=20&page=1")
    assert len(listed_amounts(first)) == 20 and len(listed_amounts(second)) == 12  # two pages
    assert totals(first) == totals(second) == (32, Decimal("3.20"), Decimal("1000.10"))
    assert sum(listed_amounts(first) + listed_amounts(second)) == Decimal("3.20")
    # the floats SQLite keeps would not give it: the sum is made of whole fen
    assert sum(float(a) for a in listed_amounts(first) + listed_amounts(second)) != 3.2


def test_another_jurisdiction_is_never_counted(browse, subsidies):
    assert totals(browse("cz_city").html(LIST)) == (32, Decimal("3.20"), Decimal("1000.10"))
    assert totals(browse("cz_county").html(LIST)) == (32, Decimal("3.20"), Decimal("1000.10"))
    assert totals(browse("kr_city").html(LIST)) == (1, Decimal("500000.00"), Decimal("0.00"))


@pytest.mark.parametrize("query, expected", [
    (f"{YEAR}=2025", (31, Decimal("3.00"), Decimal("1000.10"))),
    (f"{YEAR}=2024", (1, Decimal("0.20"), Decimal("0.00"))),
    (f"{YEAR}=2023", (0, Decimal("0.00"), Decimal("0.00"))),
    (f"{KIND}=recognition_award", (1, Decimal("0.20"), Decimal("0.00"))),
    (f"{STATUS}=withheld", (1, Decimal("0.00"), Decimal("1000.10"))),
    (f"{STATUS}=paid&{YEAR}=2025", (30, Decimal("3.00"), Decimal("0.00"))),
    (f"{PARK}=第二", (2, Decimal("0.20"), Decimal("1000.10"))),
    # both ends of the range included: 2024-12-31 and the twelve payments of January to April, on the 10th
    (f"{DAY_PAID}=2024-12-31+to+2025-04-10", (13, Decimal("1.40"), Decimal("0.00"))),
    (f"{DAY_PAID}=2025-01-11+to+2025-04-09", (6, Decimal("0.60"), Decimal("0.00"))),
])
def test_the_totals_follow_the_filters(browse, subsidies, query, expected):
    html = browse("cz_city").html(f"{LIST}?{query}")
    assert totals(html) == expected
    if expected[0] <= 20:  # one page: the rows listed add up to the total
        assert sum(listed_amounts(html), Decimal("0.00")) == expected[1]
