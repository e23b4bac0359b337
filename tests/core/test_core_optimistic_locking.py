"""Optimistic locking (a stale copy's save is refused, the first change kept) and records with a
history that are never hard-deleted."""
import datetime
from decimal import Decimal

import peewee
import pytest

from core.records.models import (
    MODELS,
    Agency,
    Application,
    Assessment,
    AuditLog,
    HistoryDeletionError,
    LedgerEntry,
    Park,
    ParkYear,
    Recognition,
    Site,
    StaleEditError,
    Subsidy,
)


def test_version_starts_at_1_and_increments_on_each_save(make_park):
    park = make_park(agencies=0)
    assert park.version == 1
    park.phone = "0355-1"
    park.save()
    park.phone = "0355-2"
    park.save()
    assert park.version == 3
    assert Park.get_by_id(park.id).version == 3


def test_second_stale_copy_is_refused_and_first_change_is_kept(make_park):
    park = make_park(agencies=0)
    first, second = Park.get_by_id(park.id), Park.get_by_id(park.id)
    first.operator_name = "长治人才集团"
    first.save()
    audit_rows = AuditLog.select().count()
    second.operator_name = "另一家运营公司"
    with pytest.raises(StaleEditError) as refused:
        second.save()
    message = str(refused.value)
    assert "已被他人修改" in message and "stale edit" in message  # Chinese first, then English
    assert f"Park #{park.id}" in message
    assert message.index("已被他人修改") < message.index("stale edit")
    stored = Park.get_by_id(park.id)
    assert stored.operator_name == "长治人才集团" and stored.version == 2
    assert AuditLog.select().count() == audit_rows  # the refused edit left no trace
    assert second.version == 1  # still the version it was read with: reload to go on


def test_reloaded_copy_saves_after_a_refusal(make_park):
    park = make_park(agencies=0)
    stale = Park.get_by_id(park.id)
    park.staff_parttime = 2
    park.save()
    with pytest.raises(StaleEditError):
        stale.staff_parttime = 5
        stale.save()
    fresh = Park.get_by_id(park.id)
    fresh.staff_parttime = 5
    fresh.save()
    assert Park.get_by_id(park.id).staff_parttime == 5 and fresh.version == 3


def test_stale_edit_is_refused_on_other_versioned_records(make_park):
    park = make_park(agencies=1)
    for model in (Site, Agency, ParkYear):
        first = model.select().where(model.park == park).get()
        second = model.get_by_id(first.id)
        first.save()
        with pytest.raises(StaleEditError):
            second.save()


def test_a_save_refused_by_the_database_keeps_the_version_it_was_read_with(make_park):
    """The failed transaction is rolled back; a corrected retry must not be called stale."""
    park = make_park(agencies=0)
    ParkYear.create(park=park, year=2026)
    later = ParkYear.get(ParkYear.year == 2026)
    later.year = 2025  # (park, year) is unique: 2025 exists
    with pytest.raises(peewee.IntegrityError):
        later.save()
    assert later.version == 1
    later.year = 2027
    later.save()
    assert ParkYear.get_by_id(later.id).year == 2027 and later.version == 2


@pytest.fixture
def history(make_park, city_row):
    """One record of each kind that has a history."""
    park = make_park(agencies=0)
    application = Application.create(park=park, jurisdiction=city_row, year=2025, state="recognised")
    recognition = Recognition.create(
        park=park,
        jurisdiction=city_row,
        application=application,
        official_name="长治潞州人力资源服务产业园",
        recognised_on=datetime.date(2025, 5, 20),
    )
    assessment = Assessment.create(recognition=recognition, year=2025, grade="qualified")
    subsidy = Subsidy.create(
        park=park,
        jurisdiction=city_row,
        recognition=recognition,
        kind="recognition_award",
        year=2025,
        amount=Decimal("800000"),
        rule_id="changzhi.recognition_award",
        article="第九条",
    )
    ledger = LedgerEntry.create(
        park=park, subsidy=subsidy, project="入驻企业租金补贴", category="agency_rent",
        amount=Decimal("120000.00"), date=datetime.date(2025, 7, 1),
    )
    return {
        "park": park,
        Application: application,
        Recognition: recognition,
        Assessment: assessment,
        Subsidy: subsidy,
        LedgerEntry: ledger,
    }


@pytest.mark.parametrize("model", [Application, Subsidy, LedgerEntry, Assessment, Recognition])
@pytest.mark.parametrize("recursive", [False, True])
def test_records_with_history_refuse_delete_instance(history, model, recursive):
    record = history[model]
    audit_rows = AuditLog.select().count()
    with pytest.raises(HistoryDeletionError) as refused:
        record.delete_instance(recursive=recursive)
    assert "不能删除" in str(refused.value) and "never deleted" in str(refused.value)
    assert model.select().where(model.id == record.id).exists()
    assert AuditLog.select().count() == audit_rows


def test_deleting_a_park_with_history_is_refused_even_recursively(history):
    """peewee's recursive delete would remove the applications by query; the history stops it."""
    park = history["park"]
    for recursive in (False, True):
        with pytest.raises(HistoryDeletionError, match="never deleted"):
            park.delete_instance(recursive=recursive)
    assert Park.select().where(Park.id == park.id).exists()
    assert Site.select().where(Site.park == park).count() == 1  # nothing half-deleted
    assert Application.select().count() == Subsidy.select().count() == LedgerEntry.select().count() == 1


def test_a_park_without_history_can_be_deleted(make_park):
    park = make_park(agencies=1)
    park.delete_instance(recursive=True)
    assert not Park.select().where(Park.id == park.id).exists()


def test_every_record_kind_with_history_refuses_hard_delete():
    refusing = {m.__name__ for m in MODELS if not getattr(m, "hard_delete_allowed", True)}
    assert {"Application", "Subsidy", "LedgerEntry", "Assessment", "Recognition"} <= refusing
    assert {"Park", "Site", "Agency"}.isdisjoint(refusing)
