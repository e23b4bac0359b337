"""Issue 11 item 6: exports a Chinese Excel opens correctly. The CSV is UTF-8 with a byte-order
mark (without it Excel reads it as GBK and the Chinese turns to mojibake); in the .xlsx amounts and
counts are numeric cells with a number format and dates are date cells, so a SUM adds them up.
Each file is read back: the CSV's bytes, the workbook with openpyxl (cell types and formats)."""
import csv
import datetime
import io
from decimal import Decimal

from admin_test_helpers import login_as
from openpyxl import load_workbook

from core.records.models import AgencyYear, LedgerEntry


def sign_in(client, world, account):
    login_as(client, world.user[account])


def sheet_rows(response):
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    return header, [list(row) for row in sheet.iter_rows(min_row=2)]


def test_the_csv_export_starts_with_a_utf8_byte_order_mark(client, scoping_world):
    """Issue 11 item 6: CSV written with a UTF-8 BOM; the Chinese headers and amounts follow it."""
    sign_in(client, scoping_world, "changzhi_city_officer")
    response = client.get("/admin/agency_year/export/csv/")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    text = response.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert "营业收入" in rows[0]  # the first header is a column name, not "\ufeff…"
    assert {row["营业收入"] for row in rows} == {"1234567.00"}  # a plain number Excel reads as one


def test_xlsx_amounts_and_counts_are_numeric_cells_with_a_number_format(client, scoping_world):
    """Issue 11 item 6: revenue, tax and employment are numbers Excel can add; the year stays 2024."""
    luzhou = scoping_world.agency["luzhou"]
    AgencyYear.create(agency=luzhou, year=2025, revenue=Decimal("38880000.02"), tax=Decimal("0.98"), employment_helped=1234)
    sign_in(client, scoping_world, "changzhi_county_officer")
    response = client.get("/admin/agency_year/export/xlsx/")
    assert response.status_code == 200
    header, rows = sheet_rows(response)
    revenue, tax, year, employed = (header.index(h) for h in ("营业收入", "纳税额", "年度", "帮助实现就业人数"))
    assert len(rows) == 2
    for row in rows:
        assert row[revenue].data_type == "n" and row[revenue].number_format == "#,##0.00"
        assert row[year].data_type == "n" and row[year].number_format == "0"
    assert sum(Decimal(str(row[revenue].value)) for row in rows) == Decimal("38880000.02") + Decimal("1234567")
    latest = next(row for row in rows if row[year].value == 2025)
    assert latest[tax].value == Decimal("0.98") or Decimal(str(latest[tax].value)) == Decimal("0.98")
    assert latest[employed].data_type == "n" and latest[employed].value == 1234
    assert latest[employed].number_format == "#,##0"


def test_xlsx_dates_are_date_cells(client, scoping_world):
    """Issue 11 item 6: a ledger line's date is a date cell (Excel sorts and filters it as a date)."""
    LedgerEntry.update(date=datetime.date(2025, 10, 10)).where(LedgerEntry.id == scoping_world.ledger["luzhou"].id).execute()
    sign_in(client, scoping_world, "changzhi_finance")
    header, rows = sheet_rows(client.get("/admin/ledger/export/xlsx/"))
    date, amount = header.index("日期"), header.index("金额")
    assert len(rows) == 3  # the city's, Luzhou's and Shangdang's parks
    assert all(row[date].is_date and row[date].number_format == "yyyy-mm-dd" for row in rows)
    assert datetime.date(2025, 10, 10) in {row[date].value.date() for row in rows}
    assert all(row[amount].data_type == "n" for row in rows)
    assert sum(Decimal(str(row[amount].value)) for row in rows) == Decimal("3000")


def test_the_csv_writes_dates_and_empty_amounts_as_excel_reads_them(client, scoping_world):
    """Dates ISO (2025-10-10), a missing amount an empty cell (not "None")."""
    LedgerEntry.update(date=datetime.date(2025, 10, 10)).where(LedgerEntry.id == scoping_world.ledger["luzhou"].id).execute()
    sign_in(client, scoping_world, "changzhi_finance")
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/ledger/export/csv/").data.decode("utf-8-sig"))))
    assert {(row["日期"], row["金额"]) for row in rows} == {("2025-10-10", "1000.00"), ("2025-11-01", "1000.00")}
    assert len(rows) == 3
    rows = list(csv.DictReader(io.StringIO(client.get("/admin/park/export/csv/").data.decode("utf-8-sig"))))
    assert rows and {row["建设投入资金（万元）"] for row in rows} == {""}  # not recorded in this world
