"""The demo database holds what the accounts are told to try: both cities and the county plugin's
district, applications in each state, every grade, rectifying and revoked parks, subsidies in
every status, and drafts still missing materials (so submitting is refused until they are added)."""
from decimal import Decimal

import pytest

from admin.commands import DEMO_APPLICATION_ID, demo_uploads_for
from core.records.audit import Actor
from core.world.demo import DRAFT_MATERIALS_PRESENT, demo_pdf
from core.records.models import Application, Assessment, Jurisdiction, Park, Recognition, Rectification, Subsidy
from core.records.services import applications
from core.records.services.base import ServiceError
from core.records.vocab import GRADES, SUBSIDY_STATUSES


def test_both_cities_and_the_county_plugins_district_have_parks(demo_db):
    codes = {p.jurisdiction.code for p in Park.select()}
    assert {"changzhi-luzhou", "changzhi-lucheng", "karamay-kelamayi", "karamay-dushanzi", "karamay-baijiantan"} <= codes
    assert Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou").parent.code == "changzhi"


def test_applications_stand_in_every_state_the_demo_shows(demo_db):
    states = {(a.jurisdiction.code.split("-")[0], a.state) for a in Application.select()}
    for state in ("draft", "county_review", "city_review", "public_notice", "recognised"):
        assert ("changzhi", state) in states, state
    for state in ("draft", "panel_review", "party_group", "recognised"):
        assert ("karamay", state) in states, state


def test_every_grade_every_recognition_status_and_every_subsidy_status_is_there(demo_db):
    assert {a.grade for a in Assessment.select()} == set(GRADES.codes())
    assert {r.status for r in Recognition.select()} == {"active", "rectifying", "revoked"}
    assert {s.status for s in Subsidy.select()} == set(SUBSIDY_STATUSES.codes())
    assert Rectification.select().where(Rectification.outcome == "pending").exists()


def test_the_rectifying_parks_grant_is_held_with_its_amount(demo_db):
    """长治 第二十条 (issue 11 item 17): 上党区's 2025 grant waits on its rectification, amount kept."""
    held = Subsidy.get(Subsidy.status == "held")
    assert (held.park.name, held.kind, held.year) == ("上党区人力资源服务产业园", "operating_grant", 2025)
    assert held.amount == Decimal("324000.00")  # 30万元 + (9,200 − 8,400) × 30元


def test_the_approved_subsidy_is_the_grant_the_finance_account_is_told_to_pay(demo_db):
    approved = Subsidy.get(Subsidy.status == "approved")
    assert (approved.park.name, approved.kind, approved.year) == ("潞州区人力资源服务产业园", "operating_grant", 2025)
    assert "全区2025年度任务" in approved.explanation and approved.amount > 0


@pytest.mark.parametrize("park_name, filer_role, transition", [
    ("潞城区人力资源服务产业园", "park_operator", "submit"),
    ("独山子西区人力资源服务园", "county_officer", "file"),
])
def test_a_demo_draft_misses_materials_and_cannot_be_filed_yet(demo_db, park_name, filer_role, transition):
    application = Application.get(Application.park == Park.get(Park.name == park_name))
    assert application.state == "draft"
    required = [m for m in applications.rules_of(application).materials() if m.required]
    missing = applications.missing_materials(application)
    assert len(missing) == len(required) - DRAFT_MATERIALS_PRESENT >= 1
    actor = Actor("test", filer_role, jurisdiction_ids=frozenset({application.jurisdiction_id}), park_id=application.park_id)
    with pytest.raises(ServiceError) as refused:
        applications.take_transition(application, transition, actor)
    assert "申报材料不全，缺少" in refused.value.zh and missing[0].title in refused.value.zh
    assert Application.get_by_id(application.id).state == "draft"


def test_the_demo_files_are_valid_pdfs_kept_beside_the_database(demo_database):
    _db, path, uploads = demo_database
    assert uploads == demo_uploads_for(path) == path.with_name("demo-uploads")
    files = list(uploads.rglob("*.pdf"))
    assert files
    data = files[0].read_bytes()
    assert data.startswith(b"%PDF-1.4\n") and data.rstrip().endswith(b"%%EOF")
    # The cross-reference table points at each object exactly (a reader would otherwise repair or refuse it).
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref:xref + 4] == b"xref"
    offsets = [int(line[:10]) for line in data[xref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(b"%d 0 obj" % number)


def test_the_demo_pdf_escapes_its_text():
    assert b"(a \\(b\\) c\\\\) Tj" in demo_pdf("a (b) c\\")


def test_the_demo_database_carries_the_demo_mark(demo_database):
    import sqlite3

    with sqlite3.connect(demo_database[1]) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID
