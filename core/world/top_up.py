"""Topping a generated world up to a number of ledger lines and audit rows, each with ONE
INSERT … SELECT: the rows are made by the database from the rows already there, so a million of
them cost seconds, not a million Python objects.

A source row is repeated over numbered rounds (a recursive CTE on SQLite, generate_series on
PostgreSQL) and each copy varied by its ordinal n: ledger lines keep their park, paid subsidy,
category and programme, take a date up to four weeks earlier and a small share of the source's
amount, in whole fen (so that a subsidy's lines together stay near what was paid); audit rows are
the entries the back office writes — the creation of each ledger line, and corrections of agencies'
yearly revenue — with before/after in the audit log's own JSON form (core.records.audit.dumps).
"""
import datetime

from core.records import text_search
from core.records.db import database, is_sqlite
from core.records.models import AgencyYear, AuditLog, LedgerEntry

#: Share of the audit rows made as the creation of a ledger line (at most one per line); the rest
#: correct an agency's yearly revenue.
LEDGER_CREATE_SHARE = 0.3
#: Every CANCEL_EVERY-th copied ledger line is cancelled, as a duplicated voucher would be.
CANCEL_EVERY = 97
#: Every REMARK_EVERY-th revenue correction carries the officer's remark (what a search finds).
REMARK_EVERY = 10
CORRECTION_REMARK = "按核查意见更正营业收入"


class Dialect:
    """The few expressions SQLite and PostgreSQL spell differently."""

    def __init__(self, sqlite):
        self.sqlite = sqlite

    def rounds(self, count):
        if self.sqlite:
            return f"rounds(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM rounds WHERE k < {int(count)})"
        return f"rounds(k) AS (SELECT generate_series(1, {int(count)}))"

    def fen(self, column):
        """A money column as whole fen (an integer)."""
        return f"CAST(ROUND({column} * 100) AS BIGINT)"

    def money_text(self, fen):
        """Whole fen as the audit log writes money: '1234.50'."""
        if self.sqlite:
            return f"printf('%d.%02d', ({fen}) / 100, ({fen}) % 100)"
        return f"(({fen}) / 100)::text || '.' || lpad((({fen}) % 100)::text, 2, '0')"

    def at_least_one(self, expression):
        return f"MAX(1, {expression})" if self.sqlite else f"GREATEST(1, {expression})"

    def days_before(self, day, days):
        if self.sqlite:
            return f"date({day}, '-' || ({days}) || ' days')"
        return f"{day} - CAST({days} AS INTEGER)"

    def date_text(self, day):
        return day if self.sqlite else f"{day}::text"

    def moment(self, day_text_or_date, minutes, cap):
        """A timestamp `minutes` after midnight of a day, no later than `cap` (a datetime)."""
        cap_text = cap.strftime("%Y-%m-%d %H:%M:%S")
        if self.sqlite:
            return f"MIN(datetime({day_text_or_date}, '+' || ({minutes}) || ' minutes'), '{cap_text}')"
        return f"LEAST(CAST({day_text_or_date} AS TIMESTAMP) + ({minutes}) * INTERVAL '1 minute', TIMESTAMP '{cap_text}')"

    def first_of_march(self, year):
        if self.sqlite:
            return f"(({year}) || '-03-01')"
        return f"make_date(CAST({year} AS INTEGER), 3, 1)"

    def json_text(self, text):
        """A text value inside a JSON string: quotes and backslashes escaped."""
        return f"replace(replace({text}, '\\', '\\\\'), '\"', '\\\"')"


def _dialect():
    return Dialect(is_sqlite(database.obj))


def _execute(dialect, sql):
    # psycopg2 reads % as a parameter mark even with no parameters: the modulo is written %%.
    database.execute_sql(sql if dialect.sqlite else sql.replace("%", "%%"))


def _rounds_needed(missing, sources):
    return -(-missing // sources)  # ceiling


def top_up_ledger(total, progress=None):
    """Add ledger lines until there are `total`, in one INSERT … SELECT; returns the lines added."""
    progress = progress or (lambda table, done, count: None)
    have = LedgerEntry.select().count()
    missing = total - have
    if missing <= 0:
        return 0
    sources = LedgerEntry.select().where((LedgerEntry.status == "active") & LedgerEntry.subsidy.is_null(False)).count()
    if not sources:
        raise ValueError("没有可作样本的已付补贴台账行，无法补足台账 / no ledger line against a paid subsidy to copy "
                         "from: generate a larger world first")
    d = _dialect()
    rounds = _rounds_needed(missing, sources)
    share = f"{d.fen('amount')} * (50 + (n * 37) % 101) / {100 * 10 * rounds}"  # 5–15 % of the source over all rounds
    fen = d.at_least_one(share)
    sql = f"""
        INSERT INTO ledger_entry (park_id, subsidy_id, project, category, amount, "date", voucher, description, status,
                                  cancel_reason, version, review, review_found, review_found_en, review_reason,
                                  reviewed_by, reviewed_at, programme, programme_version)
        WITH RECURSIVE {d.rounds(rounds)},
        source AS (
            SELECT row_number() OVER (ORDER BY id) AS r, park_id, subsidy_id, project, category, amount, "date", voucher,
                   programme, programme_version
            FROM ledger_entry WHERE status = 'active' AND subsidy_id IS NOT NULL),
        copies AS (
            SELECT source.*, rounds.k AS k, (rounds.k - 1) * {sources} + source.r AS n
            FROM source CROSS JOIN rounds WHERE (rounds.k - 1) * {sources} + source.r <= {missing})
        SELECT park_id, subsidy_id, project || '（明细' || k || '）', category, ({fen}) / 100.0,
               {d.days_before('"date"', 'n % 28')}, voucher || '-' || k, '',
               CASE WHEN n % {CANCEL_EVERY} = 0 THEN 'cancelled' ELSE 'active' END,
               CASE WHEN n % {CANCEL_EVERY} = 0 THEN '凭证重复录入，予以作废' ELSE '' END,
               1, '', '', '', '', '', NULL, programme, programme_version
        FROM copies"""
    progress("ledger_entry", have, total)
    with text_search.bulk_loading(database, ["ledger_entry"]), database.atomic():
        _execute(d, sql)
        AuditLog.insert(
            actor="generate", role="system", action="generate", table="ledger_entry", after=f'{{"rows": {missing}}}',
            remark=f"补足台账{missing}行（数据加载，不逐行记审计）/ topped up {missing} ledger lines "
                   f"(a data load: no per-row audit)",
        ).execute()
    database.execute_sql("ANALYZE ledger_entry")
    progress("ledger_entry", total, total)
    return missing


def top_up_audit_log(total, progress=None, now=None):
    """Add audit rows until there are `total`, in one INSERT … SELECT; returns the rows added."""
    progress = progress or (lambda table, done, count: None)
    now = (now or datetime.datetime.now()).replace(microsecond=0)
    have = AuditLog.select().count()
    missing = total - have
    if missing <= 0:
        return 0
    lines = LedgerEntry.select().count()
    figures = AgencyYear.select().count()
    created = min(lines, int(missing * LEDGER_CREATE_SHARE)) if figures else min(lines, missing)
    corrected = missing - created
    if corrected and not figures:
        raise ValueError("没有机构年度数据或台账行，无法补足审计日志 / no agency figures or ledger lines to write "
                         "audit rows about: generate a world first")
    d = _dialect()
    rounds = max(_rounds_needed(corrected, figures) if corrected else 1, 1)
    old_fen = f"{d.fen('revenue')} + (n % 50) * 10000"  # corrected down by up to 490 yuan
    def figures_json(revenue_fen, version):
        return ("'{\"agency\": ' || agency_id || ', \"employment_helped\": ' || employment_helped || ', \"id\": ' || id"
                " || ', \"pass_through\": \"' || " + d.money_text(d.fen("pass_through")) + " || '\", \"revenue\": \"' || "
                + d.money_text(revenue_fen) + " || '\", \"tax\": \"' || " + d.money_text(d.fen("tax"))
                + " || '\", \"version\": ' || " + version + " || ', \"year\": ' || year || '}'")

    before, after = figures_json(old_fen, "version"), figures_json(d.fen("revenue"), "(version + 1)")
    line_json = (
        "'{\"amount\": \"' || " + d.money_text(d.fen("amount")) + " || '\", \"category\": \"' || category"
        " || '\", \"date\": \"' || " + d.date_text('"date"') + " || '\", \"id\": ' || id || ', \"park\": ' || park_id"
        " || ', \"project\": \"' || " + d.json_text("project") + " || '\", \"status\": \"' || status"
        " || '\", \"subsidy\": ' || COALESCE(CAST(subsidy_id AS TEXT), 'null') || ', \"version\": 1, \"voucher\": \"' || "
        + d.json_text("voucher") + " || '\"}'"
    )
    sql = f"""
        INSERT INTO audit_log (at, actor, role, action, "table", record_id, jurisdiction_id, park_id, before, after, remark)
        WITH RECURSIVE {d.rounds(rounds)},
        figures AS (
            SELECT row_number() OVER (ORDER BY agency_year.id) AS r, agency_year.*, agency.park_id, park.jurisdiction_id
            FROM agency_year JOIN agency ON agency.id = agency_year.agency_id JOIN park ON park.id = agency.park_id),
        corrections AS (
            SELECT figures.*, (rounds.k - 1) * {max(figures, 1)} + figures.r AS n
            FROM figures CROSS JOIN rounds WHERE (rounds.k - 1) * {max(figures, 1)} + figures.r <= {corrected}),
        lines AS (
            SELECT row_number() OVER (ORDER BY ledger_entry.id) AS n, ledger_entry.*, park.jurisdiction_id
            FROM ledger_entry JOIN park ON park.id = ledger_entry.park_id)
        SELECT {d.moment(d.first_of_march('year + 1'), '540 + (n % 200) * 1440 + n % 480', now)},
               'park' || park_id || '_operator', 'park_operator', 'update', 'agency_year', id, jurisdiction_id, park_id,
               {before}, {after},
               CASE WHEN n % {REMARK_EVERY} = 0 THEN '{CORRECTION_REMARK}' ELSE '' END
        FROM corrections
        UNION ALL
        SELECT {d.moment('"date"', '1020 + n % 60', now)},
               'park' || park_id || '_operator', 'park_operator', 'create', 'ledger_entry', id, jurisdiction_id, park_id,
               NULL, {line_json}, ''
        FROM lines WHERE n <= {created}"""
    progress("audit_log", have, total)
    with text_search.bulk_loading(database, ["audit_log"]), database.atomic():
        _execute(d, sql)
    database.execute_sql("ANALYZE audit_log")
    progress("audit_log", total, total)
    return missing
