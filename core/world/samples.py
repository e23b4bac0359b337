"""Sample inputs for asking a plugin's hooks without a database: a park with figures on the usual
lines, grade histories that reach every consequence, a subsidy context of a recognised park. The
conformance checks and the rule provenance ask every jurisdiction the same questions with these,
set in SAMPLE_YEAR — or, for a programme not yet in force then, on its first day (`sample_day`)."""
import datetime
from decimal import Decimal

from core.rules.assessment import GradeRecord
from core.rules.facts import AgencyFacts, AgencyYearFacts, JurisdictionYearFacts, ParkFacts, ParkYearFacts, SiteFacts
from core.rules.subsidy import SubsidyContext
from core.records.vocab import PUBLIC_SERVICES

#: The year samples are set in (any year the measures are in force).
SAMPLE_YEAR = 2025
SAMPLE_AS_OF = datetime.date(SAMPLE_YEAR, 6, 30)


def own_first_day(parameters, code):
    """The first day a number of programme `code`'s own takes effect (cited to it, not inherited)."""
    days = [start for p in parameters for start, _ in p.values if p.citation_at(start)[1] == code]
    return min(days, default=None)


def sample_day(info, parameters, code):
    """The day a programme's samples are set on: SAMPLE_AS_OF when the programme is in force then,
    else the nearest day inside its effective period — from its start (or, while that start is a
    setting not yet entered, the first day of its own numbers) to its end."""
    start = (info.effective_from if info is not None else None) or own_first_day(parameters, code)
    day = max(SAMPLE_AS_OF, start) if start else SAMPLE_AS_OF
    until = info.effective_until if info is not None else None
    if until is not None and day > until:
        day = max(until, start) if start else until
    return day


def declared_sample_facts(code, owner="park"):
    """The sample values (facts.yaml `sample:`) of the facts of `owner` (a park, its year, its
    jurisdiction's year) programme `code` declares: what a programme reads beyond the shared facts,
    it says itself how a sample park has it."""
    from core.plugin.registry import registry

    reg = registry()
    if code not in reg:
        return {}
    return {f.id: f.sample for f in reg.get(code).facts().values() if f.owner == owner and f.sample is not None}


def early_sample_day(day, month, dom):
    """The day `month`/`dom` of `day`'s year for a programme in force by SAMPLE_AS_OF (samples start
    early in their year); `day` itself — the programme's first day — for one that begins later."""
    return datetime.date(day.year, month, dom) if day <= SAMPLE_AS_OF else day


def sample_history_set(year=SAMPLE_YEAR):
    """Grade histories that reach every consequence of both cities' 第二十条/第十八条."""
    return [
        [GradeRecord(year, "excellent")],
        [GradeRecord(year, "qualified")],
        [GradeRecord(year, "unqualified")],
        [GradeRecord(year - 1, "unqualified", "failed"), GradeRecord(year, "unqualified", "failed")],
    ]


def sample_park(jurisdiction="", year=SAMPLE_YEAR):
    """A park with figures on every side of the usual lines in `year` and the year before, for asking the hooks."""
    agencies = [
        AgencyFacts(
            name=f"示例人力资源服务有限公司{n + 1:02d}",
            admitted_on=datetime.date(year - 3, 1, 1),
            service_lines=["recruitment"],
            years={
                y: AgencyYearFacts(y, revenue=Decimal("5500000"), pass_through=Decimal("500000"), employment_helped=40)
                for y in (year - 1, year)
            },
        )
        for n in range(12)
    ]
    return ParkFacts(
        name="示例人力资源服务产业园",
        jurisdiction=jurisdiction,
        address="示例路1号",
        public_services=PUBLIC_SERVICES.codes(),
        operator_kind="company",
        operator_name="示例运营管理有限公司",
        staff_fulltime=6,
        staff_parttime=2,
        facts=declared_sample_facts(jurisdiction),
        sites=[SiteFacts("核心园区", Decimal("3200"), is_core=True)],
        agencies=agencies,
        years={y: ParkYearFacts(y, events_held=20, service_products=10, employment_promoted=9000, people_served=20000,
                                facts=declared_sample_facts(jurisdiction, "park_year")) for y in (year - 1, year)},
        jurisdiction_years={y: JurisdictionYearFacts(y, declared_sample_facts(jurisdiction, "jurisdiction_year"))
                            for y in (year - 1, year)},
    )


def sample_subsidy_context(jurisdiction="", recognised_on=datetime.date(SAMPLE_YEAR, 3, 1)):
    """A park recognised on `recognised_on` (early in SAMPLE_YEAR) and graded qualified for that year."""
    year = recognised_on.year
    return SubsidyContext(
        park=sample_park(jurisdiction, year),
        year=year,
        recognised_on=recognised_on,
        recognition_status="active",
        grades={year: "qualified"},
    )


def small_multi_site_park(jurisdiction=""):
    """A park below most lines: four sites (one core), five agencies, few events, no targets."""
    year = SAMPLE_YEAR
    agencies = [
        AgencyFacts(
            name=f"小型人力资源服务有限公司{n + 1:02d}",
            kind="operating" if n else "public",
            admitted_on=datetime.date(year - 2, 6, 1),
            years={year - 1: AgencyYearFacts(year - 1, revenue=Decimal("3000000"))},
        )
        for n in range(5)
    ]
    return ParkFacts(
        name="示例小型人力资源服务园",
        jurisdiction=jurisdiction,
        public_services=PUBLIC_SERVICES.codes()[:2],
        operator_kind="none",
        sites=[SiteFacts("核心园区", Decimal("1000"), is_core=True)]
        + [SiteFacts(f"分园区{n}", Decimal("500")) for n in (1, 2, 3)],
        agencies=agencies,
        years={year - 1: ParkYearFacts(year - 1, events_held=5, employment_promoted=100)},
    )


def sample_parks(jurisdiction=""):
    return [sample_park(jurisdiction), small_multi_site_park(jurisdiction)]
