"""The province-scale generator at small scales: every state present, records consistent with
each other and with the plugins' own checks, rows proportional to the scale, and bulk inserts
(the number of INSERT statements follows the number of chunks, not the number of rows)."""
import datetime
import math

import pytest

from core.world import generate as gen
from core.records.batch import evaluate_all, rules_by_jurisdiction_code
from core.rules.ledger import check_category
from core.records.models import (
    AgencyYear,
    Application,
    AuditLog,
    Jurisdiction,
    LedgerEntry,
    Park,
    PublicNotice,
    Recognition,
    Rectification,
    Subsidy,
)
from core.plugin.registry import registry as default_registry
from tests.statements import counting

TODAY = datetime.date(2026, 11, 22)


def test_scale_one_has_every_state_of_both_procedures(db):
    gen.generate(1, today=TODAY)
    reg = default_registry()
    for code in ("changzhi", "karamay"):
        states = {s.id for s in reg.get(code).procedure().states}
        city = Jurisdiction.get(Jurisdiction.code == code)
        present = {a.state for a in Application.select().join(Jurisdiction).where(
            (Jurisdiction.id == city.id) | (Jurisdiction.parent == city.id))}
        expected = states - ({"withdrawn"} if code == "karamay" else set())
        assert expected <= present, (code, expected - present)
    assert {r.status for r in Recognition.select()} == {"active", "rectifying", "revoked"}
    assert Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou").parks.count() > 0  # the example county


def test_states_are_consistent_with_their_records(db):
    gen.generate(1, today=TODAY)
    for application in Application.select():
        notices = PublicNotice.select().where(PublicNotice.application == application).count()
        recognitions = Recognition.select().where(Recognition.application == application).count()
        assert notices == (1 if application.state in ("public_notice", "recognised") else 0), application.state
        assert recognitions == (1 if application.state == "recognised" else 0), application.state
    for notice in PublicNotice.select():
        assert notice.end >= notice.start and notice.working_days >= 1
    for recognition in Recognition.select():
        if recognition.status == "revoked":
            assert recognition.revoked_on is not None and recognition.revocation_article
        if recognition.status == "rectifying":
            assert Rectification.select().join_from(Rectification, gen.Assessment).where(
                (gen.Assessment.recognition == recognition.id) & (Rectification.outcome == "pending")).exists()
    for subsidy in Subsidy.select():
        assert subsidy.recognition_id is not None and subsidy.recognition.park_id == subsidy.park_id
    assert LedgerEntry.select().count() > 0
    for entry in LedgerEntry.select():
        assert entry.subsidy.status == "paid" and entry.subsidy.park_id == entry.park_id
        assert entry.date <= TODAY


def test_generated_ledger_lines_are_in_categories_the_measures_allow(db):
    gen.generate(1, today=TODAY)
    rules = rules_by_jurisdiction_code()
    for entry in LedgerEntry.select(LedgerEntry, Park, Jurisdiction).join(Park).join(Jurisdiction):
        check_category(rules[entry.park.jurisdiction.code].ledger_categories(), entry.category)  # raises if forbidden


def test_parks_pass_the_plugins_checks_except_the_rejected_ones(db):
    gen.generate(1, today=TODAY)
    states = {a.park_id: (a.state, a.year) for a in Application.select()}
    failing = {}
    for park_id, (state, year) in states.items():
        evaluation = evaluate_all(year, park_ids=[park_id])[park_id]
        failing[park_id] = [r.criterion_id for r in evaluation.results if r.final_status in ("not_met", "not_met_waivable")]
    for park_id, (state, _year) in states.items():
        if state == "rejected":
            assert failing[park_id], park_id  # rejected parks really fall short (if only in principle)
        else:
            assert failing[park_id] == [], (park_id, state, failing[park_id])


def test_rows_scale_with_n(db):
    first = gen.generate(1, today=TODAY, seed=7)
    assert first["park"] == gen.PARKS_PER_UNIT
    both = gen.generate(2, today=TODAY, seed=7)
    assert both["park"] == 2 * gen.PARKS_PER_UNIT
    assert Park.select().count() == 3 * gen.PARKS_PER_UNIT
    assert 1.5 * first["agency"] <= both["agency"] <= 2.5 * first["agency"]
    assert AgencyYear.select().count() == first["agency_year"] + both["agency_year"]
    Park.create(jurisdiction=Jurisdiction.get(Jurisdiction.code == "changzhi"), name="生成后新建")  # ids moved on


def test_generation_inserts_in_chunks_not_per_row(db, monkeypatch):
    monkeypatch.setattr(gen, "CHUNK", 100)
    inserts = {}
    for scale in (1, 3):
        with counting(db) as statements:
            counts = gen.generate(scale, today=TODAY)
        data_inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT") and "audit_log" not in s]
        chunks = sum(math.ceil(rows / 100) for table, rows in counts.items())
        # one INSERT per chunk, plus at most the jurisdictions and targets of the first run
        assert chunks <= len(data_inserts) <= chunks + 12, (scale, len(data_inserts), chunks)
        inserts[scale] = (len(data_inserts), sum(counts.values()))
    assert inserts[3][1] >= 2.5 * inserts[1][1]
    assert inserts[3][0] < inserts[3][1] / 20  # far fewer statements than rows


def test_one_audit_row_per_generated_table(db):
    counts = gen.generate(1, today=TODAY)
    rows = list(AuditLog.select().where(AuditLog.action == "generate"))
    assert sorted(r.table for r in rows) == sorted(t for t, n in counts.items() if n)
    assert all(r.actor == "generate" and "rows" in r.after for r in rows)


@pytest.mark.parametrize("scale", [0, -1, 1.5, True])
def test_a_bad_scale_is_refused_in_both_languages(db, scale):
    with pytest.raises(ValueError, match="规模.*scale"):
        gen.generate(scale)
    assert Park.select().count() == 0
