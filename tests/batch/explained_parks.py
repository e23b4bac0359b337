"""Parks (as facts, no database rows) whose evaluation passes through every wording the city criteria
have: met, short, missing facts, waivable, unlicensed and non-operating agencies, agencies without
figures, pass-through, several sites, unknown codes. `explanations` writes what each result says,
in both languages; eager_explanations.json holds what they said when every text was written at once."""
import datetime
from decimal import Decimal

from core.rules.facts import AgencyFacts, AgencyYearFacts, ParkFacts, ParkYearFacts, SiteFacts

YEAR, AS_OF = 2025, datetime.date(2025, 12, 31)
CODES = ("karamay", "changzhi", "changzhi-luzhou")
ALL_SERVICES = ["employment_entrepreneurship", "vocational_training", "social_security", "talent_personnel"]


def agency(i, kind="operating", licence="licence", revenue="3000000", pass_through="0", lines=("recruitment", "training"),
           figures=True, exited_on=None):
    years = {YEAR - 1: AgencyYearFacts(YEAR - 1, Decimal(revenue), Decimal(pass_through), Decimal("0"), 5)} if figures else {}
    return AgencyFacts(f"人力资源公司{i}", kind, licence, f"LIC-{i}", list(lines), datetime.date(2023, 1, 1), exited_on, "",
                       years=years, id=i)


def parks():
    """{name: ParkFacts} covering the wordings."""
    good = ParkFacts("达标园", sites=[SiteFacts("主园区", Decimal("3500"), True)],
                     agencies=[agency(i, revenue="6000000") for i in range(12)], public_services=list(ALL_SERVICES),
                     operator_kind="company", operator_name="运营公司", staff_fulltime=5, staff_parttime=2,
                     facts={"district_support_measures": ["房租补贴", "引才奖励"], "special_fund": True},
                     years={YEAR - 1: ParkYearFacts(YEAR - 1, 20, 3, 1, 800, 5000)})
    short = ParkFacts("不达标园", sites=[SiteFacts("主园区", Decimal("1999.5"), True)],
                      agencies=[agency(1, revenue="2500000.55", pass_through="120000"), agency(2, kind="public"),
                                agency(3, licence="none", revenue="9000000"), agency(4, figures=False),
                                agency(5, lines=()), agency(6, exited_on=datetime.date(2024, 5, 1))],
                      public_services=["employment_entrepreneurship", "unknown_code"], operator_kind="none", staff_fulltime=0,
                      facts={"district_support_measures": "房租补贴"})
    many_sites = ParkFacts("多园区园", sites=[SiteFacts("一区", Decimal("2500"), True), SiteFacts("二区", Decimal("900"), True),
                                              SiteFacts("三区", Decimal("400"), False), SiteFacts("四区", Decimal("300"), False),
                                              SiteFacts("五区", Decimal("200"), False), SiteFacts("六区", Decimal("100"), False)],
                           agencies=[agency(i, revenue="12000000", lines=()) for i in range(3)],
                           public_services=list(ALL_SERVICES), operator_kind="committee", staff_fulltime=1,
                           facts={"district_support_measures": []})
    no_core = ParkFacts("无核心园", sites=[SiteFacts("一区", Decimal("2500"), False), SiteFacts("二区", Decimal("2500"), False)],
                        agencies=[agency(i, revenue="3500000") for i in range(5)] + [agency(9, licence="none")] * 12,
                        public_services=list(ALL_SERVICES), operator_kind="odd_kind")
    empty = ParkFacts("空园")
    return {park.name: park for park in (good, short, many_sites, no_core, empty)}


def explanations(registry):
    """{"code/park/criterion": [status, zh, en]} of every result of every park under each city's rules."""
    said = {}
    for code in CODES:
        rules = registry.get(code)
        for name, park in parks().items():
            park.jurisdiction = code
            for result in rules.evaluate(park, YEAR, as_of=AS_OF).results:
                said[f"{code}/{name}/{result.criterion_id}"] = [result.status, result.explanation, result.explanation_en]
    return said
