"""The bulk write of an import: the same records, versions and audit rows as saving each record
through the models would write, in a number of statements that does not grow with the rows; a
stale record still refuses the whole file; the fast .xlsx reading gives what openpyxl gives."""
import datetime
import io
import json
import math
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from core.io import tabular
from core.records.audit import Actor, acting_as
from core.records.db import database
from core.records.models import Agency, AgencyYear, AuditLog, Jurisdiction, Park, ParkYear
from import_test_sheets import AGENCY_YEAR_HEADERS, PARK_YEAR_HEADERS, ROSTER_HEADERS, roster_rows, xlsx
from tests.statements import counting

ACTOR = Actor("importer", "city_officer")


@pytest.fixture
def parks(db):
    city = Jurisdiction.create(code="bulk-city", name_zh="示范市")
    return [Park.create(jurisdiction=city, name=f"示范产业园{n}") for n in (1, 2)]


def mixed_roster():
    rows = roster_rows(6)
    rows[1][2:5] = ["公益性", "备案凭证", None]  # another kind, no service lines
    rows[2][6:8] = ["2025-06-30", "迁出园区"]  # has left
    rows[3][4] = "培训服务；招聘服务、培训服务"  # repeated line, other separators
    return rows


def parsed(data):
    """The roster's rows as the import reads them: {column key: value} without the park column."""
    headers, body = tabular.read_table("r.xlsx", data)
    positions, _ = tabular._map_headers(tabular.ROSTER, headers)
    rows, problems = tabular._parse_rows(tabular.ROSTER, headers, body, positions)
    assert not problems
    return [{k: v for k, v in r.values.items() if k != "park_id"} for r in rows]


def save_one_by_one(park, data):
    """What the import stands for: each agency created or updated through the models' own save."""
    with acting_as(ACTOR), database.atomic():
        existing = {a.licence_no: a for a in Agency.select().where(Agency.park == park)}
        for values in parsed(data):
            agency = existing.get(values["licence_no"])
            if agency is None:
                Agency.create(park=park, **values)
                continue
            changed = {k: v for k, v in values.items() if getattr(agency, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(agency, k, v)
                agency.save()


def audit_trail(park):
    """The park's agency audit rows in order, without what differs between two parks by nature."""
    licences = {a.id: a.licence_no for a in Agency.select().where(Agency.park == park)}
    trail = []
    for row in AuditLog.select().where((AuditLog.table == "agency") & (AuditLog.park_id == park.id)).order_by(AuditLog.id):
        before = None if row.before is None else json.loads(row.before)
        after = json.loads(row.after)
        assert after["id"] == row.record_id and after["park"] == park.id
        if before is not None:
            assert before["id"] == row.record_id and before["park"] == park.id
        trail.append({
            "actor": row.actor, "role": row.role, "action": row.action, "licence": licences[row.record_id],
            "jurisdiction_id": row.jurisdiction_id, "remark": row.remark,
            "before": before and {k: v for k, v in before.items() if k not in ("id", "park")},
            "after": {k: v for k, v in after.items() if k not in ("id", "park")},
        })
    return trail


def stored(park):
    return sorted(
        (a.licence_no, a.name, a.kind, a.licence_kind, a.service_lines, a.admitted_on, a.exited_on, a.exit_reason, a.version)
        for a in Agency.select().where(Agency.park == park)
    )


def test_a_bulk_import_writes_what_saving_each_agency_writes_audit_rows_included(parks):
    bulk, one_by_one = parks
    first = xlsx(ROSTER_HEADERS, mixed_roster())
    changed_rows = mixed_roster() + roster_rows(2, start=7)
    changed_rows[0][0] = "改名的公司"
    changed_rows[2][6:8] = [None, None]  # came back
    second = xlsx(ROSTER_HEADERS, changed_rows)
    for data in (first, second):
        tabular.import_table("r.xlsx", data, bulk, ACTOR)
        save_one_by_one(one_by_one, data)
    assert stored(bulk) == stored(one_by_one)
    trail = audit_trail(bulk)
    assert trail == audit_trail(one_by_one)
    assert [t["action"] for t in trail] == ["create"] * 6 + ["update"] * 2 + ["create"] * 2
    assert {(t["actor"], t["role"], t["jurisdiction_id"]) for t in trail} == {("importer", "city_officer", bulk.jurisdiction_id)}


def test_an_update_by_licence_bumps_the_version_and_is_audited(parks):
    park = parks[0]
    tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, roster_rows(3)), park, ACTOR)
    rows = roster_rows(3)
    rows[1][0] = "新名称人力资源公司"
    result = tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, rows), park, ACTOR)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    agency = Agency.get((Agency.park == park) & (Agency.licence_no == "LIC-00002"))
    assert (agency.name, agency.version) == ("新名称人力资源公司", 2)
    assert {a.version for a in Agency.select().where(Agency.licence_no != "LIC-00002")} == {1}
    update = AuditLog.get((AuditLog.action == "update") & (AuditLog.table == "agency"))
    before, after = json.loads(update.before), json.loads(update.after)
    assert (update.record_id, update.actor, update.park_id) == (agency.id, "importer", park.id)
    assert (before["name"], before["version"], after["name"], after["version"]) == ("人力资源公司2", 1, "新名称人力资源公司", 2)
    assert after == agency._stored_snapshot()
    assert AuditLog.select().where(AuditLog.table == "agency").count() == 4  # 3 created, 1 updated


def test_figures_bulk_written_are_versioned_and_audited_with_their_park(parks):
    park = parks[0]
    agency = Agency.create(park=park, name="甲公司", licence_no="FIG-1")
    ParkYear.create(park=park, year=2024, events_held=1)
    figures = [["FIG-1", "甲公司", year, "100.50", 0, 0, year - 2000] for year in (2023, 2024)]
    assert tabular.import_table("f.xlsx", xlsx(AGENCY_YEAR_HEADERS, figures), park, ACTOR).created == 2
    figures[1][3] = "200.00"
    result = tabular.import_table("f.xlsx", xlsx(AGENCY_YEAR_HEADERS, figures), park, ACTOR)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    result = tabular.import_table("p.xlsx", xlsx(PARK_YEAR_HEADERS, [[2024, 5, 0, 0, 0, 0, "否"], [2025, 1, 0, 0, 0, 0, "否"]]),
                                  park, ACTOR)
    assert (result.created, result.updated) == (1, 1)
    for model, expected in ((AgencyYear, ["create", "create", "update"]), (ParkYear, ["update", "create"])):
        rows = list(AuditLog.select().where((AuditLog.table == model._meta.table_name) & (AuditLog.actor == "importer"))
                    .order_by(AuditLog.id))
        assert [r.action for r in rows] == expected
        assert {(r.jurisdiction_id, r.park_id) for r in rows} == {(park.jurisdiction_id, park.id)}
        latest = {r.record_id: json.loads(r.after) for r in rows}
        assert latest == {i: model.get_by_id(i)._stored_snapshot() for i in latest}
    figure = AgencyYear.get((AgencyYear.agency == agency) & (AgencyYear.year == 2024))
    assert (str(figure.revenue), figure.version) == ("200.00", 2)
    assert ParkYear.get((ParkYear.park == park) & (ParkYear.year == 2024)).version == 2


@pytest.fixture(params=["returning", "old-sqlite"])
def sql_path(request, monkeypatch):
    """The many-row statements, or the one-per-record fallback of an SQLite older than 3.35."""
    if request.param == "old-sqlite":
        monkeypatch.setattr(tabular, "_returning_supported", lambda db: False)
    return request.param


def test_an_agency_saved_meanwhile_refuses_the_whole_file(parks, monkeypatch, sql_path):
    park = parks[0]
    tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, roster_rows(2)), park, ACTOR)
    rows = roster_rows(2) + roster_rows(1, start=3)
    rows[0][0] = "改名"
    plan = tabular._Changes.add

    def someone_else_saves_first(self, existing, values, create_values):
        if existing is not None and existing.licence_no == "LIC-00001":
            other = Agency.get_by_id(existing.id)
            other.exit_reason = "别人刚改过"
            other.save()  # version 2 in the database; the import read version 1
        return plan(self, existing, values, create_values)

    monkeypatch.setattr(tabular._Changes, "add", someone_else_saves_first)
    agencies, audits = Agency.select().count(), AuditLog.select().count()
    with pytest.raises(tabular.ImportRefused) as refused:
        tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, rows), park, ACTOR)
    [problem] = refused.value.problems
    assert "已被他人修改，本文件未写入任何数据" in problem.message and "changed by someone else" in problem.message
    assert (Agency.select().count(), AuditLog.select().count()) == (agencies, audits)
    assert Agency.get(Agency.licence_no == "LIC-00001").name == "人力资源公司1"


def test_a_duplicate_licence_deep_in_a_large_file_is_reported_by_row(parks):
    rows = roster_rows(300)
    rows[249][1] = rows[9][1]
    with pytest.raises(tabular.ImportRefused) as caught:
        tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, rows), parks[0], ACTOR)
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.header) == (251, "B", "许可证/备案编号")
    assert "与第11行重复" in problem.message
    assert not Agency.select().where(Agency.park == parks[0]).exists()


def import_counting(db, park, count):
    data = xlsx(ROSTER_HEADERS, roster_rows(count))
    with counting(db) as statements:
        assert tabular.import_table("r.xlsx", data, park, ACTOR).created == count
    return len(statements)


def test_the_statements_of_an_import_do_not_grow_with_its_rows(db, parks):
    small, large = import_counting(db, parks[0], 10), import_counting(db, parks[1], 200)
    # One INSERT of agencies and one of audit rows per batch of rows; nothing per row.
    assert large - small <= 2 * (math.ceil(200 / tabular.BATCH) - math.ceil(10 / tabular.BATCH))


def test_the_statements_of_an_update_do_not_grow_with_its_rows(db, parks):
    for park in parks:
        tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, roster_rows(200)), park, ACTOR)
    counts = []
    for park, changed in zip(parks, (10, 200)):
        rows = roster_rows(200)
        for row in rows[:changed]:
            row[0] += "（更名）"
        with counting(db) as statements:
            assert tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, rows), park, ACTOR).updated == changed
        counts.append(len(statements))
    assert counts[1] - counts[0] <= 2 * (math.ceil(200 / tabular.BATCH) - math.ceil(10 / tabular.BATCH))


def test_rows_in_many_batches_keep_their_own_ids_and_versions(db, parks, monkeypatch, sql_path):
    monkeypatch.setattr(tabular, "BATCH", 7)
    park = parks[0]
    statements = import_counting(db, park, 50)
    if sql_path == "returning":
        assert statements == import_counting(db, parks[1], 1) + 2 * (math.ceil(50 / 7) - 1)
    rows = roster_rows(50)
    for row in rows[::3]:
        row[0] += "（更名）"
    assert tabular.import_table("r.xlsx", xlsx(ROSTER_HEADERS, rows), park, ACTOR).updated == 17
    agencies = {a.id: a for a in Agency.select().where(Agency.park == park)}
    assert {a.licence_no: (a.name, a.version) for a in agencies.values()} == {
        f"LIC-{i:05d}": (f"人力资源公司{i}（更名）", 2) if i % 3 == 1 else (f"人力资源公司{i}", 1) for i in range(1, 51)}
    audits = list(AuditLog.select().where((AuditLog.table == "agency") & (AuditLog.park_id == park.id)).order_by(AuditLog.id))
    assert len(audits) == 50 + 17
    assert [json.loads(a.after)["licence_no"] for a in audits] == (
        [f"LIC-{i:05d}" for i in range(1, 51)] + [f"LIC-{i:05d}" for i in range(1, 51, 3)])
    latest = {row.record_id: json.loads(row.after) for row in audits}
    assert latest == {i: a._stored_snapshot() for i, a in agencies.items()}


def sheet_with_every_kind_of_cell():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["文字", "数字", "日期", "是否", "公式", "富文本"])
    sheet.append(["  前后空格  ", 12.5, datetime.datetime(2024, 3, 1), True, "=1+1",
                  CellRichText("许可", TextBlock(InlineFont(b=True), "证"), "号")])
    sheet.append([None, 7, datetime.date(2025, 1, 31), False, None, ""])
    sheet["A6"] = "隔了两行"
    sheet["H6"] = 3
    sheet.append(["行七", None, None, None, None, CellRichText(TextBlock(InlineFont(i=True), "只有格式"))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_fast_xlsx_reading_gives_what_openpyxl_gives():
    data = sheet_with_every_kind_of_cell()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # as the import does
    expected = list(enumerate(sheet.iter_rows(values_only=True), start=1))
    workbook.close()

    def filled(rows):  # openpyxl also yields the rows missing from the file, empty
        return [(n, row) for n, row in rows if any(v is not None for v in row)]

    expected = filled(expected)
    assert filled(tabular._xlsx_rows(data)) == expected
    assert expected[1][1][5] == "许可证号" and expected[-1][1][5] == "只有格式"


def test_a_column_left_out_leaves_that_field_alone_and_an_empty_cell_clears_it(parks):
    park = parks[0]
    tabular.import_table("full.xlsx", xlsx(ROSTER_HEADERS, [
        ["甲公司", "LIC-A", "经营性", "人力资源服务许可证", "招聘服务", "2023-01-01", "2025-06-30", "迁出本市", ""],
    ]), park, ACTOR)
    # A later roster with only name and licence: the exit date and reason stay.
    result = tabular.import_table("short.xlsx", xlsx(["机构名称", "许可证/备案编号"], [["甲公司（更名）", "LIC-A"]]), park, ACTOR)
    agency = Agency.get(Agency.licence_no == "LIC-A")
    assert result.updated == 1 and agency.name == "甲公司（更名）"
    assert (agency.exited_on, agency.exit_reason, agency.service_lines) == (datetime.date(2025, 6, 30), "迁出本市", ["recruitment"])
    # The column there but the cell empty: cleared, as the person meant.
    tabular.import_table("clear.xlsx", xlsx(["机构名称", "许可证/备案编号", "退出日期", "退出原因"],
                                            [["甲公司（更名）", "LIC-A", "", ""]]), park, ACTOR)
    agency = Agency.get(Agency.licence_no == "LIC-A")
    assert (agency.exited_on, agency.exit_reason) == (None, "")
    # Figures too: a file of revenue alone keeps the tax and the employment helped.
    tabular.import_table("y.xlsx", xlsx(AGENCY_YEAR_HEADERS, [["LIC-A", "", 2024, "100.00", "5.00", "7.00", 12]]), park, ACTOR)
    tabular.import_table("r.xlsx", xlsx(["许可证/备案编号", "年度", "营业收入（元）"], [["LIC-A", 2024, "200.00"]]), park, ACTOR)
    figures = AgencyYear.get(AgencyYear.agency == agency, AgencyYear.year == 2024)
    assert (figures.revenue, figures.pass_through, figures.tax, figures.employment_helped) == \
           (Decimal("200.00"), Decimal("5.00"), Decimal("7.00"), 12)


def test_rows_beyond_a_wrongly_declared_sheet_size_are_read(parks):
    """Some programs write a <dimension> smaller than the sheet: every row is imported all the same."""
    import zipfile

    source = io.BytesIO(xlsx(ROSTER_HEADERS, roster_rows(30)))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:I31"/>' in data
                data = data.replace(b'<dimension ref="A1:I31"/>', b'<dimension ref="A1:C5"/>')
            zout.writestr(item, data)
    result = tabular.import_table("wrong-size.xlsx", out.getvalue(), parks[0], ACTOR)
    assert result.created == 30
    assert Agency.select().where(Agency.park == parks[0], Agency.exit_reason != "").count() == \
           sum(1 for row in roster_rows(30) if row[7])
