"""Migrations: an empty database upgraded to the latest schema matches the models, and a database
built at the first schema, with data in it, upgrades through every later migration intact."""
import datetime
import os
import re
import uuid
from decimal import Decimal

import peewee
import pytest

from core.records import schema
from core.records.db import database, open_database
from core.rules.facts import load_park_facts
from core.records.models import MODELS, AuditLog, BaseModel, Park, Subsidy

PG_URL = os.environ.get("HRPARK_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])
FIRST = "0001_initial"


def migration_files():
    return sorted(p.stem for p in schema.MIGRATIONS_DIR.glob("[0-9]*.py"))


def test_upgraded_empty_database_has_no_schema_differences(db):
    differences = schema.pending_differences(db)
    assert not differences, str(differences)


def test_upgrade_applies_every_migration_once(db):
    status = schema.status(db)
    assert [name for name, _ in status] == migration_files()
    assert all(applied is not None for _, applied in status)
    assert schema.upgrade(db) == []  # nothing left to apply


def test_migration_numbers_are_unique_and_consecutive():
    """Two engineers each adding a 0002 would apply in an arbitrary order: one number, one file."""
    numbers = [int(re.match(r"\d+", name).group()) for name in migration_files()]
    assert numbers == list(range(1, len(numbers) + 1)), migration_files()
    assert migration_files()[0] == FIRST


def test_every_table_model_is_listed_for_the_schema_comparison():
    """A model missing from core.records.models.MODELS would never be compared with the database."""
    from core.records import models
    from core.records.accounts import MODELS as ACCOUNT_MODELS

    defined = {
        obj
        for obj in vars(models).values()
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == "core.records.models"
        and obj not in (BaseModel, models.AuditedModel, models.GovernedRecord)
    }
    assert defined <= set(MODELS) | set(ACCOUNT_MODELS)


# --- from the first schema on -------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def empty_db(request, tmp_path):
    """A database with no tables at all, bound to the models."""
    cleanup = None
    if request.param == "sqlite":
        db = open_database(f"sqlite:///{tmp_path / 'first.db'}")
    else:
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = open_database(PG_URL)
        admin.execute_sql(f'CREATE SCHEMA "{name}"')
        admin.close()
        params = {k: v for k, v in admin.connect_params.items() if k != "options"}
        db = peewee.PostgresqlDatabase(admin.database, options=f"-c search_path={name}", **params)

        def cleanup():
            admin = open_database(PG_URL)
            admin.execute_sql(f'DROP SCHEMA "{name}" CASCADE')
            admin.close()

    database.initialize(db)
    db.connect(reuse_if_open=True)
    yield db
    db.close()
    if cleanup:
        cleanup()


def insert(db, into, **values):
    """A row written with plain SQL, as the first release would have written it."""
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join([db.param] * len(values))
    db.execute_sql(f'INSERT INTO "{into}" ({columns}) VALUES ({marks})', list(values.values()))
    return db.execute_sql(f'SELECT MAX(id) FROM "{into}"').fetchone()[0]


def fill_first_schema(db):
    now = datetime.datetime(2025, 3, 1, 9, 30)
    city = insert(db, "jurisdiction", code="changzhi", name_zh="长治市", name_en="Changzhi", level="city")
    district = insert(db, "jurisdiction", code="luzhou", name_zh="潞州区", name_en="Luzhou", level="county", parent_id=city)
    park = insert(
        db, "park", jurisdiction_id=district, name="潞州人力资源服务产业园", address="长治市潞州区英雄中路1号",
        contact_person="王丽", phone="0355-2020202", property_ownership="国有", investment_wan=Decimal("1580.50"),
        build_mode="conversion", public_services='["employment_entrepreneurship", "vocational_training"]',
        offered_services='["policy_consultation"]', operator_kind="company", operator_name="长治人才集团",
        staff_fulltime=6, staff_parttime=2, facts='{"special_fund": true}', created_at=now, version=3,
    )
    insert(db, "site", park_id=park, name="核心园区", address="英雄中路1号", is_core=True, floor_area=Decimal("2000.50"), version=1)
    insert(db, "site", park_id=park, name="分园区", address="太行东街8号", is_core=False, floor_area=Decimal("1999.50"), version=1)
    agency = insert(
        db, "agency", park_id=park, name="长治市英才人力资源有限公司", kind="operating", licence_kind="licence",
        licence_no="140400-2023-017", service_lines='["recruitment", "dispatch"]',
        admitted_on=datetime.date(2023, 4, 1), exit_reason="", version=1,
    )
    insert(db, "agency_year", agency_id=agency, year=2024, revenue=Decimal("3000000.01"),
           pass_through=Decimal("1250000.99"), tax=Decimal("90000.00"), employment_helped=215, version=1)
    insert(db, "park_year", park_id=park, year=2024, events_held=14, service_products=6, complaints_handled=2,
           employment_promoted=1600, people_served=5200, incubation_subsidy_claimed=True, version=1)
    insert(db, "employment_target", jurisdiction_id=city, year=2024, urban_new_jobs=8000, rural_transfer=2000, version=1)
    application = insert(db, "application", park_id=park, jurisdiction_id=city, year=2024, state="recognised",
                         created_by="wang.li", created_at=now, withdrawn_reason="", version=5)
    recognition = insert(db, "recognition", park_id=park, jurisdiction_id=city, application_id=application,
                         official_name="长治潞州人力资源服务产业园", recognised_on=datetime.date(2024, 6, 18),
                         status="active", revocation_reason="", revocation_article="", version=1)
    insert(db, "subsidy", park_id=park, jurisdiction_id=city, recognition_id=recognition, kind="recognition_award",
           year=2024, amount=Decimal("800000.00"), rule_id="changzhi.recognition_award", article="第九条",
           explanation="一次性奖励80万元", status="paid", status_reason="", status_changed_by="zhao.finance",
           version=2)
    insert(db, "audit_log", at=now, actor="wang.li", role="county_officer", action="create", table="park",
           record_id=park, jurisdiction_id=district, park_id=park, before=None, after='{"name": "潞州"}', remark="")
    return park


def test_database_at_first_schema_upgrades_with_its_data_intact(empty_db):
    db = empty_db
    assert schema.upgrade(db, target=FIRST) == [FIRST]
    park_id = fill_first_schema(db)

    applied = schema.upgrade(db)

    assert applied == migration_files()[1:]  # every later migration, whatever they are
    assert all(when is not None for _, when in schema.status(db))
    assert not schema.pending_differences(db), str(schema.pending_differences(db))

    park = Park.get_by_id(park_id)
    assert (park.name, park.version, park.investment_wan) == ("潞州人力资源服务产业园", 3, Decimal("1580.50"))
    assert park.public_services == ["employment_entrepreneurship", "vocational_training"]
    assert park.facts == {"special_fund": True}
    assert park.jurisdiction.parent.code == "changzhi"
    facts = load_park_facts([park_id])[park_id]
    assert [(s.name, s.floor_area, s.is_core) for s in facts.sites] == [
        ("核心园区", Decimal("2000.50"), True),
        ("分园区", Decimal("1999.50"), False),
    ]
    figures = facts.agencies[0].years[2024]
    assert (figures.revenue, figures.pass_through) == (Decimal("3000000.01"), Decimal("1250000.99"))
    assert figures.revenue_with_pass_through == Decimal("4250001.00")
    assert facts.years[2024].employment_promoted == 1600
    assert facts.years[2024].facts == {"incubation_subsidy_claimed": True}  # a column become a declared fact
    assert sum(facts.jurisdiction_years[2024].facts.values()) == 10000  # the city's target, read from a district park
    subsidy = Subsidy.get()
    assert (subsidy.amount, subsidy.status, subsidy.recognition.official_name) == (
        Decimal("800000.00"), "paid", "长治潞州人力资源服务产业园",
    )
    assert AuditLog.get().after == '{"name": "潞州"}'
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        db.execute_sql("DELETE FROM audit_log")  # the first schema's guard survives the upgrades


FIRST_RELEASE_TABLES = {
    "jurisdiction", "park", "site", "agency", "agency_year", "park_year", "employment_target",
    "application", "material", "review_step", "criterion_verdict", "waiver", "public_notice",
    "recognition", "assessment", "rectification", "subsidy", "ledger_entry", "other_subsidy_claim",
    "holiday_day", "setting", "audit_log",
}


def test_first_schema_alone_has_every_table_of_the_first_release(empty_db):
    assert schema.upgrade(empty_db, target=FIRST) == [FIRST]
    assert FIRST_RELEASE_TABLES <= set(empty_db.get_tables())
    assert [name for name, when in schema.status(empty_db) if when is not None] == [FIRST]
