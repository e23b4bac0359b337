"""The bulk loader's own conversions (core.facts reads the big tables without the ORM's per-value
converters): the same Decimal and dates the model fields would give, on both sides of the fast path."""
import datetime
from decimal import Decimal

import pytest

from core import facts
from core.models import Agency, AgencyYear, Jurisdiction, Park, Site

LIMIT = facts.FAST_CENTS_LIMIT


@pytest.mark.parametrize("raw, expected", [
    (0, "0.00"), (0.0, "0.00"), (5, "5.00"), (1999.99, "1999.99"), (2000.0, "2000.00"), (3000000.0, "3000000.00"),
    (3000000.01, "3000000.01"), (0.01, "0.01"), (-12.5, "-12.50"), (LIMIT - 0.5, f"{LIMIT - 0.5:.2f}"),
    (float(LIMIT), f"{float(LIMIT):.2f}"), (Decimal("2.5"), "2.50"), (Decimal("2.50"), "2.50"), (None, "0"),
])
def test_money_is_read_to_the_fen(raw, expected):
    value = facts._decimal(raw)
    assert isinstance(value, Decimal) and str(value) == expected


def test_dates_from_either_driver():
    assert facts._date("2025-03-01") == datetime.date(2025, 3, 1)
    assert facts._date(datetime.date(2025, 3, 1)) == datetime.date(2025, 3, 1)
    assert facts._date(None) is None


def test_loaded_facts_equal_what_the_models_read(db):
    city = Jurisdiction.create(code="c", name_zh="市")
    park = Park.create(jurisdiction=city, name="园")
    Site.create(park=park, name="核心", is_core=True, floor_area=Decimal("2999.99"))
    agency = Agency.create(park=park, name="机构", service_lines=["recruitment"], admitted_on=datetime.date(2024, 1, 2))
    AgencyYear.create(agency=agency, year=2024, revenue=Decimal("29999999.99"), pass_through=Decimal("0"), tax=Decimal("0.01"))
    loaded = facts.load_park_facts([park.id])[park.id]
    row = AgencyYear.get()
    assert loaded.sites[0].floor_area == Site.get().floor_area == Decimal("2999.99") and loaded.sites[0].is_core is True
    figures = loaded.agencies[0].years[2024]
    assert (figures.revenue, figures.pass_through, figures.tax) == (row.revenue, row.pass_through, row.tax)
    assert str(figures.pass_through) == str(row.pass_through) == "0.00"
    assert loaded.agencies[0].admitted_on == datetime.date(2024, 1, 2) and loaded.agencies[0].service_lines == ["recruitment"]
