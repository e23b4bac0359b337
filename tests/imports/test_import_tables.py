"""Importing rosters and yearly figures: every row audited, matched rows updated not duplicated;
malformed files (wrong headers, bad numbers, duplicate licences, a foreign park) refused with their
row and column, the database unchanged."""
import datetime
from decimal import Decimal

import pytest

from admin_test_helpers import db_snapshot
from core.io import tabular
from core.records.audit import Actor
from core.records.models import Agency, AgencyYear, AuditLog, ParkYear
from import_test_sheets import (
    AGENCY_YEAR_HEADERS,
    PARK_YEAR_HEADERS,
    ROSTER_HEADERS,
    csv_bytes,
    roster_rows,
    xlsx,
)


def operator(country, code="changzhi-luzhou"):
    park = country.park[code]
    return Actor("lz_operator", "park_operator", jurisdiction_ids=frozenset(), park_id=park.id)


def snapshot():
    data = db_snapshot()
    data.pop("api_token")
    return data


def refused(data, filename, park, actor, kind=None):
    before = snapshot()
    with pytest.raises(tabular.ImportRefused) as caught:
        tabular.import_table(filename, data, park, actor, kind=kind)
    assert snapshot() == before
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_a_roster_imports_every_row_audited_and_a_second_import_updates(country):
    park = country.park["changzhi-luzhou"]
    actor = operator(country)
    result = tabular.import_table("名册.xlsx", xlsx(ROSTER_HEADERS, roster_rows(3)), park, actor)
    assert (result.kind, result.rows, result.created, result.updated) == ("roster", 3, 3, 0)
    agency = Agency.get((Agency.park == park) & (Agency.licence_no == "LIC-00002"))
    assert agency.service_lines == ["recruitment", "dispatch"] and agency.admitted_on == datetime.date(2024, 1, 15)
    audits = AuditLog.select().where((AuditLog.table == "agency") & (AuditLog.actor == "lz_operator"))
    assert audits.count() == 3
    rows = roster_rows(3)
    rows[0][0] = "改名的公司"
    again = tabular.import_table("名册.csv", csv_bytes(ROSTER_HEADERS, rows), park, actor)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert Agency.select().where(Agency.park == park).count() == 4  # the world's agency + 3


def test_yearly_figures_import_with_exact_money(country):
    park = country.park["changzhi-luzhou"]
    actor = operator(country)
    licence = country.agency["changzhi-luzhou"].licence_no
    data = xlsx(AGENCY_YEAR_HEADERS, [[licence, None, 2023, 1234567.89, "1,000.5", 0, 12], [licence, None, 2024, 7, None, None, None]])
    result = tabular.import_table("figures.xlsx", data, park, actor)
    assert result.kind == "agency-years" and (result.created, result.updated) == (1, 1)
    figure = AgencyYear.get((AgencyYear.agency == country.agency["changzhi-luzhou"]) & (AgencyYear.year == 2023))
    assert figure.revenue == Decimal("1234567.89") and figure.pass_through == Decimal("1000.50")
    park_data = csv_bytes(PARK_YEAR_HEADERS, [[2025, 4, 2, 1, 300, 5000, "否"]], encoding="gb18030")
    result = tabular.import_table("园区.csv", park_data, park, actor)
    assert result.kind == "park-years"
    stored = ParkYear.get((ParkYear.park == park) & (ParkYear.year == 2025))
    assert stored.employment_promoted == 300 and stored.facts == {}  # its measures declare no such fact


def test_a_fact_the_parks_measures_declare_is_imported_into_its_year_and_another_refused(country):
    """已享受孵化基地补贴 is Karamay's (第二十条, facts.yaml): a Karamay park's year keeps it; a
    Luzhou park's file saying 是 is refused by row and column, since its measures do not read it."""
    karamay = country.park["karamay"]
    actor = operator(country, "karamay")
    rows = [[2025, 4, 2, 1, 300, 5000, "是"], [2026, 1, 0, 0, 0, 0, ""]]
    assert tabular.import_table("园区.xlsx", xlsx(PARK_YEAR_HEADERS, rows), karamay, actor).created == 2
    years = {y.year: y.facts for y in ParkYear.select().where(ParkYear.park == karamay)}
    assert years[2025] == {"incubation_subsidy_claimed": True} and years[2026] == {}
    luzhou = country.park["changzhi-luzhou"]
    problems = refused(xlsx(PARK_YEAR_HEADERS, rows[:1]), "园区.xlsx", luzhou, operator(country))
    assert problems[0][:2] == (2, "G") and "不读取此项" in problems[0][2]
    assert "incubation_subsidy_claimed" in problems[0][2]


def test_wrong_headers_are_refused_by_column(country):
    headers = list(ROSTER_HEADERS)
    headers[2] = "公司颜色"
    problems = refused(xlsx(headers, roster_rows(2)), "r.xlsx", country.park["changzhi-luzhou"], operator(country), kind="roster")
    assert problems[0][:2] == (1, "C") and "未知的列名" in problems[0][2] and "Unknown" in problems[0][2]
    missing = refused(xlsx(["机构名称"], [["甲"]]), "r.xlsx", country.park["changzhi-luzhou"], operator(country), kind="roster")
    assert any("许可证/备案编号" in m for _r, _c, m in missing)
    unknown_kind = refused(xlsx(["颜色"], [["红"]]), "r.xlsx", country.park["changzhi-luzhou"], operator(country))
    assert "无法从列名判断" in unknown_kind[0][2]


def test_bad_numbers_are_listed_by_row_and_column_and_nothing_is_written(country):
    licence = country.agency["changzhi-luzhou"].licence_no
    rows = [
        [licence, None, 2023, "12.345", 0, 0, 1],       # row 2, D: three decimals
        [licence, None, 2022, "-0.01", 0, 0, 1],        # row 3, D: negative
        [licence, None, "二〇二二", 1, 0, 0, 1],         # row 4, C: not a year
        [licence, None, 2021, 1, 0, 0, 2.5],            # row 5, G: not whole
        [licence, None, 2020, "0.01", 0, 0, 0],         # row 6: fine (but the file is refused)
    ]
    problems = refused(xlsx(AGENCY_YEAR_HEADERS, rows), "f.xlsx", country.park["changzhi-luzhou"], operator(country))
    assert [(r, c) for r, c, _m in problems] == [(2, "D"), (3, "D"), (4, "C"), (5, "G")]
    assert "两位小数" in problems[0][2] and "负数" in problems[1][2]
    assert not AgencyYear.select().where(AgencyYear.year == 2020).exists()


def test_duplicate_licences_and_unknown_agencies_are_refused(country):
    rows = roster_rows(3)
    rows[2][1] = rows[0][1]
    problems = refused(xlsx(ROSTER_HEADERS, rows), "r.xlsx", country.park["changzhi-luzhou"], operator(country))
    assert problems == [(4, "B", problems[0][2])] and "与第2行重复" in problems[0][2]
    figures = refused(xlsx(AGENCY_YEAR_HEADERS, [["NO-SUCH", None, 2024, 1, 0, 0, 0]]), "f.xlsx",
                      country.park["changzhi-luzhou"], operator(country))
    assert figures[0][:2] == (2, "A") and "名册中没有" in figures[0][2]


def test_a_foreign_park_is_refused(country):
    own = country.park["changzhi-luzhou"]
    rows = roster_rows(2)
    rows[1][8] = country.park["karamay"].id
    problems = refused(xlsx(ROSTER_HEADERS, rows), "r.xlsx", own, operator(country))
    assert problems[0][:2] == (3, "I") and "不是本次导入的园区" in problems[0][2]
    rows[1][8] = own.id  # its own id is fine
    assert tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, rows), own, operator(country)).created == 2
    outside = refused(xlsx(ROSTER_HEADERS, roster_rows(1, start=50)), "r.xlsx", country.park["karamay"], operator(country))
    assert outside[0][0] == 0 and "管辖范围" in outside[0][2]


def test_other_files_and_empty_files_are_refused(country):
    park, actor = country.park["changzhi-luzhou"], operator(country)
    assert "只接受" in refused(b"%PDF", "r.pdf", park, actor)[0][2]
    assert "无法读取" in refused(b"not a zip", "r.xlsx", park, actor)[0][2]
    assert "没有数据行" in refused(xlsx(ROSTER_HEADERS, []), "r.xlsx", park, actor)[0][2]
    assert "空的" in refused(b"", "r.csv", park, actor)[0][2]


@pytest.mark.parametrize("value, ok", [("0", True), ("99999999999999.99", True), ("100000000000000.00", False),
                                       ("1.5", True), ("1.50", True), ("1.501", False), ("abc", False)])
def test_amount_boundaries(value, ok):
    if ok:
        assert tabular.read_amount(value) == Decimal(value).quantize(Decimal("0.01"))
    else:
        with pytest.raises(tabular.CellError):
            tabular.read_amount(value)


@pytest.mark.parametrize("value, ok", [(1990, True), (1989, False), (2100, True), (2101, False)])
def test_year_boundaries(value, ok):
    if ok:
        assert tabular.read_year(value) == value
    else:
        with pytest.raises(tabular.CellError):
            tabular.read_year(value)
