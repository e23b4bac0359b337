"""The province-scale generator at small scales: every state present, records consistent with
each other and with the plugins' own checks, rows proportional to the scale, and bulk inserts
(the number of INSERT statements follows the number of chunks, not the number of rows); a world of
chosen sizes, the ledger and the audit log topped up exactly, each with one INSERT … SELECT."""
import datetime
import json
import math
from collections import Counter
from decimal import Decimal

import click
import pytest

from core.world import generate as gen
from core.world import top_up
from core.world.province import PROVINCE, Sizes, generate_sized
from core.records.batch import evaluate_all, rules_by_jurisdiction_code
from core.rules.ledger import check_category
from core.records.models import (
    MODELS,
    Agency,
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


# --- a world of chosen sizes: the ledger and the audit log topped up with one INSERT … SELECT each -------

TINY_PROVINCE = Sizes(parks=17, agencies=(12, 13), ledger_lines=300, audit_rows=500)


def _money_text(text):
    """A money value as the audit log writes it: a string with exactly two places."""
    assert isinstance(text, str) and Decimal(text).as_tuple().exponent == -2, text
    return Decimal(text)


def test_a_tiny_province_is_topped_up_to_exactly_the_rows_asked_for(db):
    counts = generate_sized(TINY_PROVINCE, today=TODAY)
    assert LedgerEntry.select().count() == counts["ledger_entry"] == 300
    assert AuditLog.select().count() == 500
    met = [p for p in Park.select() if Application.get(Application.park == p).state != "rejected"]
    assert met and all(12 <= Agency.select().where(Agency.park == p, Agency.exited_on.is_null()).count() <= 13 for p in met)


def test_topped_up_ledger_lines_are_against_paid_subsidies_of_their_park_in_whole_fen(db):
    generate_sized(TINY_PROVINCE, today=TODAY)
    paid = {s.id: s for s in Subsidy.select().where(Subsidy.status == "paid")}
    copies = LedgerEntry.select().where(LedgerEntry.project.contains("明细")).count()
    assert copies > 0 and copies == 300 - counts_before_top_up(LedgerEntry)
    for entry in LedgerEntry.select():
        assert entry.subsidy_id in paid and paid[entry.subsidy_id].park_id == entry.park_id
        assert entry.amount > 0 and entry.amount.as_tuple().exponent == -2
        assert entry.date <= TODAY and entry.status in ("active", "cancelled")
    spent = Counter()
    for entry in LedgerEntry.select().where(LedgerEntry.status == "active"):
        spent[entry.subsidy_id] += entry.amount
    assert all(spent[sid] <= paid[sid].amount for sid in spent)  # the lines stay within what was paid
    # stored in whole fen, as the database holds it (SQLite: a REAL; PostgreSQL: a NUMERIC)
    for (raw,) in db.execute_sql("SELECT amount FROM ledger_entry").fetchall():
        assert Decimal(str(raw)) == Decimal(str(raw)).quantize(Decimal("0.01")), raw


def counts_before_top_up(model):
    """The rows of `model` the generator wrote, as its own audit row says."""
    row = AuditLog.get((AuditLog.action == "generate") & (AuditLog.table == model._meta.table_name)
                       & ~AuditLog.remark.contains("补足"))
    return json.loads(row.after)["rows"]


def test_topped_up_audit_rows_describe_records_that_exist_in_the_audit_logs_form(db):
    generate_sized(TINY_PROVINCE, today=TODAY)
    tables = {model._meta.table_name: model for model in MODELS}
    topped = list(AuditLog.select().where(AuditLog.actor != "generate"))
    assert {(r.table, r.action) for r in topped} == {("agency_year", "update"), ("ledger_entry", "create")}
    for row in topped:
        record = tables[row.table].get_by_id(row.record_id)  # raises if the record is not there
        park = record.park if row.table == "ledger_entry" else record.agency.park
        assert (row.park_id, row.jurisdiction_id) == (park.id, park.jurisdiction_id)
        assert row.at <= datetime.datetime.now()
        after = json.loads(row.after)
        assert after["id"] == row.record_id
        if row.table == "agency_year":
            before = json.loads(row.before)
            assert _money_text(after["revenue"]) == record.revenue  # the correction is what is stored now
            assert _money_text(before["revenue"]) >= record.revenue and after["version"] == before["version"] + 1
            _money_text(after["tax"])
        else:
            assert _money_text(after["amount"]) == record.amount and after["project"] == record.project
    assert any(r.remark == top_up.CORRECTION_REMARK for r in topped)


def test_each_top_up_is_one_insert_select(db):
    gen.generate(1, today=TODAY)
    with counting(db) as statements:
        top_up.top_up_ledger(400)
        top_up.top_up_audit_log(700)
    bulk = [s for s in statements if s.lstrip().upper().startswith("INSERT") and "SELECT" in s.upper()]
    assert [s.split("(")[0].split()[-1].strip('"') for s in bulk] == ["ledger_entry", "audit_log"]  # the targets
    assert LedgerEntry.select().count() == 400 and AuditLog.select().count() == 700


def test_a_top_up_to_one_more_adds_one_and_to_as_many_adds_none(db):
    gen.generate(1, today=TODAY)
    lines, rows = LedgerEntry.select().count(), AuditLog.select().count()
    assert top_up.top_up_ledger(lines) == 0 and top_up.top_up_ledger(lines - 1) == 0
    assert LedgerEntry.select().count() == lines
    assert top_up.top_up_ledger(lines + 1) == 1
    assert LedgerEntry.select().count() == lines + 1
    rows = AuditLog.select().count()  # the top-up wrote its own "generate" row
    assert top_up.top_up_audit_log(rows) == 0
    assert top_up.top_up_audit_log(rows + 1) == 1 and AuditLog.select().count() == rows + 1


def test_nothing_to_copy_from_is_refused_in_both_languages(db):
    with pytest.raises(ValueError, match="台账.*ledger"):
        top_up.top_up_ledger(10)
    assert LedgerEntry.select().count() == 0


def test_the_command_line_sizes():
    from core.io.cli.generate import AgencyRange, sizes_from

    assert sizes_from(None, True, None) == PROVINCE and PROVINCE.scale() * gen.PARKS_PER_UNIT >= 1000
    assert sizes_from(None, True, None, ledger_lines=5000).ledger_lines == 5000
    assert sizes_from(2, False, None) == Sizes(parks=2 * gen.PARKS_PER_UNIT)
    assert sizes_from(None, False, gen.PARKS_PER_UNIT + 1).scale() == 2
    assert sizes_from(None, False, gen.PARKS_PER_UNIT).scale() == 1
    for options in ((None, False, None), (1, True, None), (1, False, 17)):
        with pytest.raises(click.UsageError):
            sizes_from(*options)
    assert AgencyRange().convert("70-150", None, None) == (70, 150)
    for text in ("70", "150-70", "0-5", "a-b"):
        with pytest.raises(click.BadParameter):
            AgencyRange().convert(text, None, None)
