"""The bulk loader's own conversions (core.rules.facts reads the big tables without the ORM's per-value
converters): the same Decimal and dates the model fields would give, on both sides of the fast path."""
import datetime
from decimal import Decimal

import pytest

from core.rules import facts
from core.records.models import Agency, AgencyYear, Jurisdiction, Park, Site

LIMIT = facts.FAST_CENTS_LIMIT


@pytest.mark.parametrize("raw, expected", [
    (0, "0.00"), (0.0, "0.00"), (5, "5.00"), (1999.99, "1999.99"), (2000.0, "2000.00"), (3000000.0, "3000000.00"),
    (3000000.01, "3000000.01"), (0.01, "0.01"), (-12.5, "-12.50"), (LIMIT - 0.5, f"{LIMIT - 0.5:.2f}"),
    (float(LIMIT), f"{float(LIMIT):.2f}"), (Decimal("2.5"), "2.50"), (Decimal("2.50"), "2.50"), (None, "0"),
    ("2.50", "2.50"), ("0.00", "0.00"), ("-12.50", "-12.50"), ("99999999999999.99", "99999999999999.99"),
])
def test_money_is_read_to_the_fen(raw, expected):
    value = facts._decimal(raw)
    assert isinstance(value, Decimal) and str(value) == expected


@pytest.mark.parametrize("raw, expected", [
    (0, "0.00"), (5, "0.05"), (199999, "1999.99"), (200000, "2000.00"), (-1250, "-12.50"),  # whole fen
    (9999999999999999, "99999999999999.99"),  # PostgreSQL's largest NUMERIC(16, 2) in fen
    ("2.50", "2.50"), ("0.00", "0.00"), ("99999999999999.98", "99999999999999.98"),  # a big REAL's text
    (1999.99, "1999.99"), (Decimal("2.5"), "2.50"),  # anything else, as _decimal reads it
])
def test_the_figures_reader_takes_what_the_loaders_sql_gives(raw, expected):
    figures = facts._year_figures(2024, (1, 2024, raw, raw, raw, 3))
    assert {str(figures.revenue), str(figures.pass_through), str(figures.tax)} == {expected}
    assert figures.employment_helped == 3 and figures.year == 2024


@pytest.mark.parametrize("stored", [
    "0", "0.0", "5", "0.01", "1999.99", "2000.0", "3000000.01", "29999999.99", str(LIMIT - 1) + ".99", str(LIMIT),
    str(LIMIT + 1) + ".25", "99999999999999.99",
])
def test_the_batch_reads_each_stored_amount_as_the_model_does(db, stored):
    """Each amount written straight into the column (SQLite keeps a REAL, or an INTEGER when whole), then
    read by the loader's SQL and reader, is the Decimal the model field reads: exact to the fen below a
    double's limit, and beyond it the double's own two places."""
    city = Jurisdiction.create(code="c", name_zh="市")
    agency = Agency.create(park=Park.create(jurisdiction=city, name="园"), name="机构")
    AgencyYear.create(agency=agency, year=2024)
    db.execute_sql(f'UPDATE "agency_year" SET "revenue" = {stored}, "tax" = {stored}')
    model = AgencyYear.get()
    figures = facts.load_park_facts([agency.park_id], years=[2024])[agency.park_id].agencies[0].years[2024]
    assert isinstance(figures.revenue, Decimal)
    assert str(figures.revenue) == str(figures.tax) == str(model.revenue)
    assert str(figures.pass_through) == "0.00"
    if Decimal(stored) < LIMIT:
        assert figures.revenue == Decimal(stored)


def test_money_is_read_as_the_reader_converts_it_quickest(db):
    """Whole fen from either database (SQLite's two-place text beyond a double's fen): the driver would
    otherwise make a Decimal or a float of every value read."""
    from core.records.db import is_sqlite

    read = facts._figure_columns(AgencyYear, "agency_year")
    sql, _params = AgencyYear.select(*read).sql()
    if is_sqlite(db):
        assert sql.count("AS INTEGER)") == 3 and sql.count("printf(") == 3, sql
    else:  # revenue, pass_through, tax; not the count of people helped
        assert sql.count("AS bigint)") == 3 and "text" not in sql, sql


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


def test_figures_are_converted_only_for_the_years_read_and_behave_as_a_dict(db):
    city = Jurisdiction.create(code="c", name_zh="市")
    park = Park.create(jurisdiction=city, name="园")
    agency = Agency.create(park=park, name="机构")
    for year in (2023, 2024, 2025):
        AgencyYear.create(agency=agency, year=year, revenue=Decimal(f"{year}.10"), employment_helped=year - 2020)
    years = facts.load_park_facts([park.id])[park.id].agencies[0].years
    assert isinstance(years, facts.YearFigures) and len(years) == 3 and list(years) == [2023, 2024, 2025]
    assert built(years) == set() and 2024 in years and 2026 not in years
    assert agency_figures(years, 2024) == (Decimal("2024.10"), 4)
    assert built(years) == {2024}  # only the year asked for was converted
    assert years.get(2026) is None and years.get(2026, "none") == "none"
    with pytest.raises(KeyError):
        years[2026]
    # Everything else a dict does: items in year order, equality, assignment, deletion.
    assert [y for y, _f in years.items()] == [2023, 2024, 2025]
    assert years == {y: facts.AgencyYearFacts(y, Decimal(f"{y}.10"), Decimal("0.00"), Decimal("0.00"), y - 2020)
                     for y in (2023, 2024, 2025)}
    years[2026] = facts.AgencyYearFacts(2026, Decimal("1.00"))
    del years[2023]
    assert list(years) == [2024, 2025, 2026] and years[2026].revenue == Decimal("1.00")


def built(years):
    """The years whose figures have been made (the others are still the driver's rows)."""
    return {year for year, held in years._years.items() if not isinstance(held, tuple)}


def agency_figures(years, year):
    figures = years[year]
    return figures.revenue, figures.employment_helped


def test_service_lines_parsed_once_are_not_shared_between_agencies(db):
    city = Jurisdiction.create(code="c", name_zh="市")
    park = Park.create(jurisdiction=city, name="园")
    for name in ("甲", "乙"):
        Agency.create(park=park, name=name, service_lines=["recruitment", "training"])
    first, second = facts.load_park_facts([park.id])[park.id].agencies
    first.service_lines.append("outsourcing")
    assert second.service_lines == ["recruitment", "training"]


def test_a_park_s_own_columns_read_as_the_model_reads_them(db):
    from core.records.models import JurisdictionYear

    city = Jurisdiction.create(code="c", name_zh="市")
    park = Park.create(jurisdiction=city, name="园", investment_wan=Decimal("1200.5"), registration_date=datetime.date(2020, 5, 6),
                       public_services=["policy"], offered_services=[], facts={"district_support_measures": ["房租补贴"]},
                       staff_fulltime=3, operator_kind="company")
    JurisdictionYear.create(jurisdiction=city, year=2025, facts={"urban_new_jobs": 6000, "rural_transfer": 4000})
    loaded = facts.load_park_facts([park.id])[park.id]
    stored = Park.get_by_id(park.id)
    assert str(loaded.investment_wan) == str(stored.investment_wan)  # the same digits an explanation would print
    assert (loaded.registration_date, loaded.public_services, loaded.offered_services, loaded.facts, loaded.staff_fulltime,
            loaded.operator_kind, loaded.jurisdiction) == (stored.registration_date, ["policy"], [],
                                                           {"district_support_measures": ["房租补贴"]}, 3, "company", "c")
    assert sum(loaded.jurisdiction_years[2025].facts.values()) == 10000 and loaded.jurisdiction_years[2025].set_by == "c"


def test_the_database_proxy_is_read_through_to_what_it_is_bound_to(db):
    """A model's _meta.database is the proxy: asking it which database it is answers for the bound one."""
    from core.records.db import database, is_sqlite

    assert is_sqlite(AgencyYear._meta.database) == is_sqlite(database) == is_sqlite(db) == is_sqlite()
    assert is_sqlite(db) == (type(db).__name__ == "SqliteDatabase")
