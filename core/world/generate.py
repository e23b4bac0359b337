"""Province-scale data: `generate(scale)` fills a migrated database with `scale` × a unit of valid,
realistic records across every installed plugin's sample world (core.world.factory), loaded in bulk.

One unit is the parks each plugin's samples list for the generator (`generator: parks:` — by
district, the state to reach and, once recognised, the park's fate), so that every state of each
procedure is present at scale 1 — each with resident agencies (and one that has left), ten years
of agency and park figures (2016–2025), and, for recognised parks, their
application trail, public notice, recognition, yearly assessments with their consequences,
subsidies as the city's own formula computes them, and ledger lines in the categories its
measures allow.

Nothing goes through the services row by row: rows are built in Python and written with
`insert_many` in chunks (CHUNK rows per INSERT) inside one transaction per table, with ids
assigned here so that children can point at parents without reading them back. The plugins are
asked, in memory, for what they decide (grades, consequences, subsidies, allowed ledger
categories, the notice period), so the records obey the rules officials' changes would.

Audit: this is a data load, not officials' changes, so the per-row audit is bypassed on purpose;
ONE audit_log row per table written says "generate" with the row count (docs/RESULTS say so).
"""
import datetime
import json
import random
import time
from collections import Counter
from decimal import ROUND_DOWN, Decimal

from core.records import audit, text_search
from core.rules.assessment import GradeRecord, assessment_day
from core.records.db import database, is_sqlite
from core.rules.facts import load_park_facts
from core.records.models import (
    Agency,
    AgencyYear,
    Application,
    Assessment,
    AuditLog,
    CriterionVerdict,
    JurisdictionYear,
    LedgerEntry,
    Park,
    ParkYear,
    PublicNotice,
    Recognition,
    Rectification,
    ReviewStep,
    Site,
    Subsidy,
)
from core.plugin.registry import registry as default_registry
from core.plugin.registry import rules_for, sync_jurisdictions
from core.rules.programmes import assign_unassigned
from core.world.factory import (
    COMPANY_KINDS,
    COMPANY_STEMS,
    SCORE_FOR,
    add_district,
    employed,
    judged_before,
    park_facts,
    park_fields,
    path_to,
    remarks,
    sample_worlds,
)
from core.rules.subsidy import SubsidyContext
from core.records.vocab import SERVICE_LINES
from core.rules.workdays import calendar_from_database

#: Rows per INSERT statement: well under SQLite's 32,766 bound variables for the widest table.
CHUNK = 500
FIRST_YEAR, LAST_YEAR = 2016, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
#: Ledger lines recorded against each paid subsidy (spending it down over the following year).
LEDGER_LINES_PER_PAID_SUBSIDY = 24
ACTOR = audit.Actor("generate", "system")


def unit_of(reg=None):
    """One unit: [(city code, its sample world, district code, state, fate)], in the plugins' order.
    Recognised parks are assessed every year from their recognition to LAST_YEAR; "rectifying" ends
    on a 不合格 with its rectification pending; "revoked" on two 不合格 in a row (the first rectified)."""
    return [
        (jurisdiction.code, world, park["district"], park["state"], park["fate"])
        for jurisdiction, world in sample_worlds(reg or default_registry()) if world["generator"]
        for park in world["generator"]["parks"]
    ]


def __getattr__(name):
    # The parks of one unit, counted from the installed plugins' samples when asked for.
    if name == "PARKS_PER_UNIT":
        return len(unit_of())
    raise AttributeError(name)


def _chunks(rows, size=None):
    size = size or CHUNK  # read when called, so a caller (or a test) may change it
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class Loader:
    """Rows of each table, with ids given here; written table by table, in chunks."""

    def __init__(self):
        self.rows = {}
        self.next_id = {}

    def start_ids(self, models):
        for model in models:
            self.next_id[model] = (model.select(model.id).order_by(model.id.desc()).scalar() or 0) + 1
            self.rows[model] = []

    def add(self, model, **values):
        values["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.rows[model].append(values)
        return values["id"]

    def write(self, model, progress):
        rows = self.rows[model]
        name = model._meta.table_name
        written = 0
        with database.atomic():
            for chunk in _chunks(rows):
                model.insert_many(chunk).execute()
                written += len(chunk)
                progress(name, written, len(rows))
            if rows:
                AuditLog.insert(
                    actor=ACTOR.username, role=ACTOR.role, action="generate", table=name,
                    after=json.dumps({"rows": len(rows)}),
                    remark=f"批量生成数据{len(rows)}行（数据加载，不逐行记审计）/ bulk-generated {len(rows)} rows "
                           f"(a data load: no per-row audit)",
                ).execute()
        if rows and not is_sqlite(database.obj):
            # Ids were given here: move the PostgreSQL sequence past them.
            database.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT MAX(id) FROM \"{name}\"))"
            )
        return len(rows)


def _quiet(table, done, total):
    pass


def _money(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _jurisdictions(reg, worlds):
    """The cities' and districts' rows (made if missing) and their targets for every year."""
    rows = sync_jurisdictions(reg)
    for jurisdiction, world in worlds:
        for d in world["districts"]:
            add_district(rows, jurisdiction.code, d["code"], d["name_zh"], d["name_en"])
    have = {(j, y) for j, y in JurisdictionYear.select(JurisdictionYear.jurisdiction, JurisdictionYear.year).tuples()}
    years = [
        {"jurisdiction": rows[jurisdiction.code].id, "year": year, "version": 1,
         "facts": {key: first + t["yearly_rise"].get(key, 0) * (year - FIRST_YEAR) for key, first in t["first_year"].items()}}
        for jurisdiction, world in worlds
        if world["generator"] and (t := world["generator"]["jurisdiction_years"])
        for year in range(FIRST_YEAR, LAST_YEAR + 2)
        if (rows[jurisdiction.code].id, year) not in have
    ]
    if years:
        JurisdictionYear.insert_many(years).execute()
    return rows


def _figures(world, state, rnd, agencies=None):
    """(floor area m², agencies, revenue 万元) a park of this world in this state plausibly has:
    comfortably over the measures' thresholds, except a rejected park, which falls just short.
    `agencies` (lowest, highest), if given, replaces the samples' range for the parks that meet them."""
    figures = world["generator"]["figures"]["short" if state == "rejected" else "met"]
    if agencies is not None and state != "rejected":
        figures = dict(figures, agencies=agencies)
    return Decimal(rnd.randint(*figures["area"])), rnd.randint(*figures["agencies"]), rnd.randint(*figures["revenue_wan"])


def generate(scale, *, seed=2026, today=None, reg=None, progress=None, ledger_lines=LEDGER_LINES_PER_PAID_SUBSIDY,
             agencies=None):
    """Fill the bound, migrated database with `scale` units; returns {table: rows written}.
    `agencies`: (lowest, highest) resident agencies of a park that meets the measures (default: the samples')."""
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 1:
        raise ValueError(f"规模应为不小于1的整数，收到 {scale!r} / the scale must be a whole number of at least 1, got {scale!r}")
    progress = progress or _quiet
    today = today or datetime.date.today()
    reg = reg or default_registry()
    rnd = random.Random(seed)
    worlds = sample_worlds(reg)
    with audit.acting_as(ACTOR):
        rows = _jurisdictions(reg, worlds)
    rules = {code: rules_for(row, reg) for code, row in rows.items()}
    calendar = calendar_from_database()
    loader = Loader()
    loader.start_ids([Park, Site, Agency, AgencyYear, ParkYear, Application, ReviewStep, CriterionVerdict,
                      PublicNotice, Recognition, Assessment, Rectification, Subsidy, LedgerEntry])

    unit_parks = unit_of(reg)
    plans = []  # (park id, its sample world, jurisdiction code, state, fate)
    for unit in range(scale):
        for index, (_city, world, code, state, fate) in enumerate(unit_parks):
            park_id = _add_park(loader, rnd, rows[code], world, state, unit * len(unit_parks) + index + 1, agencies)
            plans.append((park_id, world, code, state, fate))
    # The searched tables' GIN indexes gather the bulk rows and sort them in once (text_search.bulk_loading).
    with text_search.bulk_loading(database, list(text_search.TEXT_INDEXES)):
        counts = Counter()
        for model in (Park, Site, Agency, AgencyYear, ParkYear):
            counts[model._meta.table_name] = loader.write(model, progress)

        facts = load_park_facts([p[0] for p in plans]) if scale <= 50 else load_park_facts(None)
        recognitions = []
        for park_id, world, code, state, fate in plans:
            recognition = _add_application(loader, rnd, rules[code], rows[code], park_id, world, state, fate, calendar, today)
            if recognition is not None:
                recognitions.append((recognition, fate, code))
        for recognition, fate, code in recognitions:
            history = _add_assessments(loader, rnd, rules[code], recognition, fate)
            paid = _add_subsidies(loader, rules[code], recognition, history, facts[recognition["park"]], fate)
            _add_ledger(loader, rnd, rules[code], recognition["park"], paid, ledger_lines, today)
        for model in (Application, ReviewStep, CriterionVerdict, PublicNotice, Recognition, Assessment, Rectification,
                      Subsidy, LedgerEntry):
            counts[model._meta.table_name] = loader.write(model, progress)
    assign_unassigned(reg)  # rows written in bulk take their programme as the services' rows do
    # Planner statistics for what was just bulk-loaded: without them SQLite ignores the indexes the
    # dashboard's counts rely on, and PostgreSQL guesses row counts from empty tables.
    database.execute_sql("ANALYZE")
    return dict(counts)


def _add_park(loader, rnd, jurisdiction, world, state, serial, agency_range=None):
    area, agencies, revenue_wan = _figures(world, state, rnd, agency_range)
    place = world["place"]
    park_id = loader.add(
        Park,
        name=f"{jurisdiction.name_zh}第{serial}人力资源服务产业园",
        **{**park_fields(jurisdiction, place, rnd, street_numbers=999, registered_in=FIRST_YEAR - 1), "jurisdiction": jurisdiction.id},
        facts=park_facts(world["generator"]["park_facts"], rnd),
        created_at=datetime.datetime(FIRST_YEAR, 1, 1, 9, 0),
        version=1,
    )
    loader.add(Site, park=park_id, name="核心园区", address="", is_core=True, floor_area=area, version=1)
    operating = agencies - 1  # the last agency is a public one, with no revenue
    weights = [Decimal(1) + Decimal("0.1") * ((i % 5) - 2) for i in range(operating)]
    shares = [w / sum(weights) for w in weights]
    for i in range(agencies):
        public = i == agencies - 1
        agency_id = loader.add(
            Agency, park=park_id,
            name=f"{place['agency_prefix']}{COMPANY_STEMS[(i + serial) % len(COMPANY_STEMS)]}{COMPANY_KINDS[i % len(COMPANY_KINDS)]}{serial}",
            kind="public" if public else "operating",
            licence_kind="licence" if i % 4 else "filing",
            licence_no=f"{place['licence_prefix']}{serial:06d}{i:03d}",
            service_lines=rnd.sample(SERVICE_LINES.codes()[:-1], 2),
            admitted_on=datetime.date(FIRST_YEAR - 1, rnd.randint(1, 12), 1),
            exited_on=None, exit_reason="", version=1,
        )
        share = Decimal(0) if public else shares[i]
        for year in YEARS:
            factor = Decimal(1) + Decimal("0.03") * (year - FIRST_YEAR)  # growing; never under the first year
            loader.add(
                AgencyYear, agency=agency_id, year=year,
                revenue=_money(Decimal(revenue_wan) * 10000 * share * factor + Decimal("0.99")),
                pass_through=Decimal("0.00"),
                tax=_money(Decimal(revenue_wan) * 300 * share * factor),
                employment_helped=0 if public else rnd.randint(20, 90), version=1,
            )
    exited = loader.add(
        Agency, park=park_id, name=f"{jurisdiction.name_zh}已退出人力资源有限公司{serial}", kind="operating",
        licence_kind="licence", licence_no=f"X{serial:06d}", service_lines=[],
        admitted_on=datetime.date(FIRST_YEAR - 1, 5, 1), exited_on=datetime.date(FIRST_YEAR + 2, 6, 30),
        exit_reason="经营不善，服务质量下降（退出机制）", version=1,
    )
    loader.add(AgencyYear, agency=exited, year=FIRST_YEAR, revenue=Decimal("400000.00"), pass_through=Decimal("0.00"),
               tax=Decimal("12000.00"), employment_helped=10, version=1)
    for year in YEARS:
        factor = 0.8 + 0.05 * (year - FIRST_YEAR)
        employment = 900 + 100 * (serial % 50)
        loader.add(ParkYear, park=park_id, year=year, events_held=int(24 * factor), service_products=12,
                   complaints_handled=rnd.randint(1, 8), **employed(world, int(employment * factor)),
                   people_served=int(employment * factor * 3), version=1)
    return park_id


def _add_application(loader, rnd, rules, jurisdiction, park_id, world, state, fate, calendar, today):
    """The application (and, for a recognised park, its recognition row as a dict) in `state`."""
    path = path_to(world, state, rules.procedure())
    said = remarks(world)
    if state == "recognised":
        # Recognised once the city's measures are in force (the first day its parameters hold);
        # a park to be revoked needs two years assessed, so it is recognised in the first year.
        first = world["generator"]["recognised_from"]
        year = first if fate == "revoked" else rnd.randint(first, LAST_YEAR)
        day = datetime.date(year, rnd.randint(3, 5), rnd.randint(1, 28))
    else:
        year = today.year
        day = today - datetime.timedelta(days=rnd.randint(20, 40))
    application_id = loader.add(
        Application, park=park_id, jurisdiction=jurisdiction.id, year=year, state=state, created_by="generate",
        created_at=datetime.datetime.combine(day, datetime.time(9, 0)),
        submitted_at=None if state in ("draft", "withdrawn") else datetime.datetime.combine(day, datetime.time(10, 0)),
        withdrawn_reason=said.get(path[-1], "") if state == "withdrawn" else "", version=1,
    )
    transitions = {t.id: t for t in rules.procedure().transitions}
    judgement = [c.id for c in rules.criteria(day) if c.judgement]
    notice = None
    judged = judged_before(world)
    for name in path:
        transition = transitions[name]
        if name in judged:
            for criterion_id in judgement:
                loader.add(CriterionVerdict, application=application_id, criterion_id=criterion_id, met=True,
                           remark="经评审小组评议，符合要求", reviewer="generate(panel_member)",
                           at=datetime.datetime.combine(day, datetime.time(14, 0)), version=1)
        if "notice_period_over" in transition.guards and notice is not None:
            day = notice["end"] + datetime.timedelta(days=1)
        loader.add(ReviewStep, application=application_id, transition=name, from_state=transition.source,
                   to_state=transition.target, actor=f"generate({transition.roles[0]})", role=transition.roles[0],
                   at=datetime.datetime.combine(day, datetime.time(11, 0)), remark=said.get(name, ""))
        if "notice_open" in transition.guards:
            days = rules.parameters.value(rules.procedure().notice_param, day)
            end = calendar.add_working_days(day, days)
            notice = {"start": day, "end": end}
            loader.add(PublicNotice, application=application_id, start=day, end=end, working_days=days,
                       calendar_warning="\n".join(calendar.warnings), objections="", objection_count=0, version=1)
        day += datetime.timedelta(days=3)
    if state != "recognised":
        return None
    park_name = loader.rows[Park][park_id - loader.rows[Park][0]["id"]]["name"]
    recognition = {
        "park": park_id, "jurisdiction": jurisdiction.id, "application": application_id,
        "official_name": rules.recognised_name(park_name), "recognised_on": day - datetime.timedelta(days=3),
        "status": "active", "revoked_on": None, "revocation_reason": "", "revocation_article": "", "version": 1,
    }
    loader.add(Recognition, **recognition)
    return loader.rows[Recognition][-1]


def _grade_plan(fate, years, rnd):
    if fate == "thriving":
        return [rnd.choice(("excellent", "qualified")) for _ in years]
    if fate == "rectifying":
        return ["qualified"] * (len(years) - 1) + ["unqualified"]
    # revoked: a 不合格 rectified, then two in a row
    plan = ["qualified"] * max(0, len(years) - 3) + ["unqualified", "qualified", "unqualified", "unqualified"]
    return plan[-len(years):]


def _add_assessments(loader, rnd, rules, recognition, fate):
    """Yearly assessments with the consequences the city's rules draw; returns their GradeRecords."""
    years = list(range(recognition["recognised_on"].year, LAST_YEAR + 1))
    history = []
    for year, planned in zip(years, _grade_plan(fate, years, rnd)):
        if recognition["status"] == "revoked":
            break
        assessed_on = datetime.date(year + 1, 3, rnd.randint(2, 25))
        scores = {i.id: SCORE_FOR[planned] for i in rules.indicators(assessment_day(year))}
        total, grade = rules.grade(scores, assessment_day(year))
        assessment_id = loader.next_id[Assessment]
        applied = []
        rectification_deadline = None
        for c in rules.consequences(history + [GradeRecord(year, grade, None)], assessed_on):
            record = {"kind": c.kind, "article": c.article, "explanation": c.explanation,
                      "explanation_en": c.explanation_en, "year": c.year}
            if c.kind == "rectify":
                rectification_deadline = _add_months(assessed_on, c.deadline_months or 6)
                record["deadline"] = rectification_deadline.isoformat()
                if recognition["status"] == "active":
                    recognition["status"] = "rectifying"
            elif c.kind == "revoke" and recognition["status"] != "revoked":
                recognition.update(status="revoked", revoked_on=assessed_on, revocation_reason=c.explanation,
                                   revocation_article=c.article)
            applied.append(record)
        loader.add(Assessment, recognition=recognition["id"], year=year, scores={k: str(v) for k, v in scores.items()},
                   total_score=total, grade=grade, consequences=applied, assessed_on=assessed_on,
                   assessed_by="generate(city_officer)", status="confirmed", cancel_reason="", version=1)
        outcome = None
        if rectification_deadline is not None:
            last = year == years[-1] or recognition["status"] == "revoked"
            outcome = "pending" if last else "passed"
            loader.add(Rectification, assessment=assessment_id, deadline=rectification_deadline, outcome=outcome,
                       closed_on=None if last else rectification_deadline - datetime.timedelta(days=10),
                       remark="" if last else "整改到位，复核合格", version=1)
            if outcome == "passed" and recognition["status"] == "rectifying":
                recognition["status"] = "active"
        history.append(GradeRecord(year, grade, outcome))
    return history


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def _generated_payment(status, proposal, fund_sources):
    """A paid (or later recovered) subsidy's payment details, the day its year's grade allowed it to
    be paid, from the source its programme declares for the kind; the amount a withheld or recovered
    one concerned."""
    concerned = proposal.withheld_amount if status == "withheld" else proposal.amount if status == "recovered" else None
    fields = {"amount_concerned": concerned}
    if status in ("paid", "recovered"):
        fields.update(paid_on=datetime.date(proposal.year + 1, 4, 1), payment_voucher=f"记-{proposal.year + 1}-{proposal.year}",
                      fund_source=fund_sources.get(proposal.kind) or "市级财政资金", payee_account="园区运营公司 基本户")
    return fields


def _add_subsidies(loader, rules, recognition, history, facts, fate):
    """The subsidies the city's formula computes for each year; returns [(id, amount, year, kind)] paid."""
    paid, seen = [], set()
    fund_sources = {kind["id"]: kind.get("fund_source", "") for kind in rules.subsidy_kinds()}
    for year in range(recognition["recognised_on"].year, LAST_YEAR + 1):
        context = SubsidyContext(
            park=facts, year=year, recognised_on=recognition["recognised_on"], recognition_status=recognition["status"],
            grades={r.year: r.grade for r in history if r.year <= year}, revoked_on=recognition["revoked_on"],
            rectifications={r.year: r.rectification for r in history if r.year <= year and r.rectification},
        )
        for proposal in rules.subsidies(context):
            key = (proposal.kind, proposal.year)
            if not (proposal.due or proposal.withheld or proposal.held) or key in seen:
                continue
            seen.add(key)
            if proposal.withheld or proposal.held:
                status, reason = ("held" if proposal.held else "withheld"), proposal.explanation
            elif proposal.year < LAST_YEAR or recognition["park"] % 2:
                status, reason = "paid", ""
            else:
                status, reason = ("approved" if proposal.kind.endswith("grant") else "proposed"), ""
            if fate == "rectifying" and status == "paid" and not any(k == proposal.kind for k, _y in seen - {key}):
                status, reason = "recovered", "审计发现部分入驻机构营业收入虚报，依法追回（财政监督）"
            subsidy_id = loader.add(
                Subsidy, park=recognition["park"], jurisdiction=recognition["jurisdiction"],
                recognition=recognition["id"], kind=proposal.kind, year=proposal.year, amount=proposal.amount,
                rule_id=proposal.rule_id, article=proposal.article, explanation=proposal.explanation,
                explanation_en=proposal.explanation_en, status=status,
                status_reason=reason, status_changed_by="generate(city_finance)",
                status_changed_at=datetime.datetime(proposal.year + 1, 4, 1, 10, 0), version=1,
                **_generated_payment(status, proposal, fund_sources),
            )
            if status == "paid":
                paid.append((subsidy_id, proposal.amount, proposal.year, proposal.kind))
    return paid


def _add_ledger(loader, rnd, rules, park_id, paid, lines, today):
    """Each paid subsidy spent over the next year in lines of the categories the measures allow."""
    categories = [c.id for c in rules.ledger_categories() if c.allowed]
    labels = {c.id: c.label for c in rules.ledger_categories()}
    for subsidy_id, amount, year, _kind in paid:
        if amount <= 0:
            continue
        each = _money(Decimal(amount) * Decimal("0.9") / lines)
        for n in range(lines):
            category = categories[n % len(categories)]
            cancelled = n == lines - 1 and rnd.random() < 0.1
            loader.add(
                LedgerEntry, park=park_id, subsidy=subsidy_id, project=f"{year + 1}年{labels[category]}（第{n + 1}笔）",
                category=category, amount=each, date=min(datetime.date(year + 1, 1 + n % 12, 1 + (n * 7) % 28), today),
                voucher=f"记-{year + 1}-{subsidy_id:06d}-{n:02d}", description="", status="cancelled" if cancelled else "active",
                cancel_reason="凭证重复录入，予以作废" if cancelled else "", version=1,
            )
