"""The audit log: one row per create / update / delete, written in the change's own transaction,
naming the actor; append-only even against raw SQL, on SQLite and PostgreSQL."""
import json
from decimal import Decimal

import peewee
import pytest

from core.records.audit import Actor, acting_as
from core.records.db import is_sqlite
from core.records.models import Agency, AgencyYear, AuditLog, Park, ParkYear, Site


def rows_for(table):
    return list(AuditLog.select().where(AuditLog.table == table).order_by(AuditLog.id))


def test_create_writes_one_row_with_actor_table_and_after(make_park, clerk):
    park = make_park()
    last_id = AuditLog.select(peewee.fn.MAX(AuditLog.id)).scalar()
    with clerk:
        site = Site.create(park=park, name="分园区一", floor_area=Decimal("1200.50"))
    new_rows = list(AuditLog.select().where(AuditLog.id > last_id))
    assert len(new_rows) == 1
    row = new_rows[0]
    assert (row.action, row.table, row.record_id) == ("create", "site", site.id)
    assert (row.actor, row.role) == ("wang.li", "county_officer")
    assert row.before is None
    after = json.loads(row.after)
    assert after["floor_area"] == "1200.50"
    assert after["name"] == "分园区一" and after["park"] == park.id
    assert (row.jurisdiction_id, row.park_id) == (park.jurisdiction_id, park.id)


def test_update_writes_before_and_after_with_decimal_as_exact_string(make_park, clerk):
    park = make_park(agencies=1)
    figures = AgencyYear.get()
    assert figures.revenue == Decimal("3000000.01")
    with clerk:
        figures.revenue = Decimal("3000000.02")
        figures.save()
    row = rows_for("agency_year")[-1]
    assert row.action == "update" and row.actor == "wang.li" and row.record_id == figures.id
    before, after = json.loads(row.before), json.loads(row.after)
    # Strings, never floats: 3000000.01 and 3000000.02 as written, not 3000000.0100000002
    assert before["revenue"] == "3000000.01" and after["revenue"] == "3000000.02"
    assert before["pass_through"] == after["pass_through"] == "120000.50"
    assert (before["version"], after["version"]) == (1, 2)
    assert (row.jurisdiction_id, row.park_id) == (park.jurisdiction_id, park.id)


def test_update_of_a_decimal_given_as_number_is_logged_with_its_fen(make_park):
    """An unchanged column reads the same before and after, whatever type the caller assigned."""
    park = make_park(agencies=0)
    site = Site.get(Site.park == park)
    site.floor_area = 2000.5  # a careless caller; stored as 2000.50
    site.save()
    row = rows_for("site")[-1]
    before, after = json.loads(row.before), json.loads(row.after)
    assert before["floor_area"] == "3000.00" and after["floor_area"] == "2000.50"
    assert set(before) == set(after)  # every column on both sides, nulls included
    assert after["approved_on"] is None


def test_delete_writes_one_row_with_before_and_no_after(make_park, clerk):
    park = make_park(agencies=0)
    site = Site.create(park=park, name="分园区二", floor_area=Decimal("800"))
    count = AuditLog.select().count()
    with clerk:
        site.delete_instance()
    assert AuditLog.select().count() == count + 1
    row = rows_for("site")[-1]
    assert (row.action, row.record_id, row.actor, row.after) == ("delete", site.id, "wang.li", None)
    assert json.loads(row.before)["name"] == "分园区二"


def test_changes_outside_acting_as_are_recorded_as_system(make_park):
    park = make_park(agencies=0)
    row = rows_for("park")[-1]
    assert (row.actor, row.role, row.record_id) == ("system", "system", park.id)


def test_actor_is_restored_after_the_block(make_park):
    park = make_park(agencies=0)
    with acting_as(Actor("li.na", "city_officer")):
        park.phone = "0355-1234567"
        park.save()
    park.phone = "0355-7654321"
    park.save()
    rows = rows_for("park")
    assert [r.actor for r in rows[-2:]] == ["li.na", "system"]


def test_rolled_back_update_leaves_neither_change_nor_audit_row(db, make_park):
    park = make_park(agencies=0)
    count = AuditLog.select().count()
    with pytest.raises(RuntimeError):
        with db.atomic():
            park.name = "改名后的产业园"
            park.save()
            assert AuditLog.select().count() == count + 1  # written inside the transaction ...
            raise RuntimeError("the request failed after the save")
    assert Park.get_by_id(park.id).name == "潞州人力资源服务产业园"  # ... and gone with it
    assert AuditLog.select().count() == count


def test_rolled_back_create_leaves_neither_record_nor_audit_row(db, make_park):
    park = make_park(agencies=0)
    count = AuditLog.select().count()
    with db.atomic() as transaction:
        ParkYear.create(park=park, year=2026, events_held=3)
        transaction.rollback()
    assert ParkYear.select().where(ParkYear.year == 2026).count() == 0
    assert AuditLog.select().count() == count


def test_failed_save_leaves_no_audit_row(make_park):
    """A save refused by the database (unique park+year) writes nothing to the log."""
    park = make_park(agencies=0)
    count = AuditLog.select().count()
    with pytest.raises(peewee.IntegrityError):
        ParkYear.create(park=park, year=2025)
    assert AuditLog.select().count() == count


def test_deleting_a_park_logs_each_site_and_agency_it_takes_with_it(make_park, clerk):
    """The database would cascade the delete silently; every removed row gets its own audit row."""
    park = make_park(agencies=2)
    with clerk:
        park.delete_instance()
    deleted = {(r.table, r.record_id) for r in AuditLog.select().where(AuditLog.action == "delete")}
    assert ("park", park.id) in deleted
    assert len([t for t, _ in deleted if t == "site"]) == 1
    assert len([t for t, _ in deleted if t == "agency"]) == 2
    assert len([t for t, _ in deleted if t == "agency_year"]) == 2
    assert len([t for t, _ in deleted if t == "park_year"]) == 1
    assert Site.select().count() == Agency.select().count() == AgencyYear.select().count() == 0


def test_audit_log_refuses_raw_sql_update(db, make_park):
    make_park(agencies=0)
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        db.execute_sql("UPDATE audit_log SET actor = 'intruder'")
    assert AuditLog.select().where(AuditLog.actor == "intruder").count() == 0


def test_audit_log_refuses_raw_sql_delete(db, make_park):
    make_park(agencies=0)
    count = AuditLog.select().count()
    assert count > 0
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        db.execute_sql("DELETE FROM audit_log")
    assert AuditLog.select().count() == count


def test_audit_log_refuses_orm_update_and_delete(db, make_park):
    make_park(agencies=0)
    row = AuditLog.select().first()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete_instance()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        AuditLog.update(remark="edited").where(AuditLog.id == row.id).execute()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        AuditLog.delete().where(AuditLog.id == row.id).execute()
    assert AuditLog.get_by_id(row.id).remark == ""


def test_audit_log_refuses_truncate(db, make_park):
    """PostgreSQL's row triggers do not fire on TRUNCATE; a statement trigger guards it too."""
    if is_sqlite(db):
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE is refused above)")
    make_park(agencies=0)
    count = AuditLog.select().count()
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        db.execute_sql("TRUNCATE audit_log")
    assert AuditLog.select().count() == count
