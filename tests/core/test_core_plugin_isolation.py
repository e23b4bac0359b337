"""No city's rule ever answers for another (STYLE.md's trap): every hook of core/hookspecs.py,
asked for each city through the registry, answers as that city — and a single pluggy manager
holding both cities, which the registry avoids, would not."""
import datetime
import inspect
from decimal import Decimal

import pluggy
import pytest

from core import defaults, hookspecs
from core.assessment import GradeRecord
from core.plugin_samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
from core.facts import AgencyFacts, AgencyYearFacts, ParkFacts, SiteFacts
from core.plugins import Jurisdiction
from core.rules import MET, NOT_MET, NOT_MET_WAIVABLE, EvaluationContext
from core.subsidy import SubsidyContext
from core.vocab import PUBLIC_SERVICES, ROLES

YEAR = 2026
AS_OF = datetime.date(2026, 6, 30)

# What only this city's measures say (from the plugin notes and the texts).
CITY = {
    "karamay": {
        "prefix": "克拉玛依",
        "filer_role": "county_officer",
        "area_criterion": ("floor_area", "min_total_floor_area", Decimal("2000"), "第五条第（二）项"),
        "foreign_criterion": "site_area",
        "revenue_line": Decimal("50000000"),
        "first_transition": "file",
        "materials": {"application_report", "agency_financials"},
        "indicators": {"agencies", "revenue", "tax", "fund_use", "plan", "event_effect"},
        "procedure_article": "第六条",
        "assessment_articles": ("第十六条", "第十七条"),
        "grade_article": "第十八条",
        "excellent_consequences": {"grant_subsidy", "commendation"},
        "ledger": {"rent_utilities", "staff_wages"},
        "ledger_article": "第二十条",
        "subsidy_rules": {"karamay.operating_subsidy"},
    },
    "changzhi": {
        "prefix": "长治",
        "filer_role": "park_operator",
        "area_criterion": ("site_area", "single_site_min_area", Decimal("3000"), "第六条第（二）项"),
        "foreign_criterion": "floor_area",
        "revenue_line": Decimal("30000000"),
        "first_transition": "submit",
        "materials": {"application_letter", "approval_form"},
        "indicators": {"economic_development", "role_played", "operation_management"},
        "procedure_article": "第七条",
        "assessment_articles": ("第十九条",),
        "grade_article": "第二十条",
        "excellent_consequences": {"grant_subsidy", "commendation", "recommend_provincial"},
        "ledger": {"agency_rent", "outside_fund_scope"},
        "ledger_article": "第十一条",
        "subsidy_rules": {"changzhi.recognition_award", "changzhi.operating_grant"},
    },
}
CODES = sorted(CITY)
OTHER = {"karamay": "changzhi", "changzhi": "karamay"}


def park_of_2500_m2(jurisdiction):
    """Between the two cities' lines: 2500 m² on one site (Karamay ≥2000 met, Changzhi ≥3000 not);
    12 operating agencies with 4,000,000 each last year (48,000,000: Changzhi's 30,000,000 met,
    Karamay's 50,000,000 not)."""
    agencies = [
        AgencyFacts(
            name=f"机构{n}",
            admitted_on=datetime.date(2024, 1, 1),
            service_lines=["recruitment"],
            years={YEAR - 1: AgencyYearFacts(YEAR - 1, revenue=Decimal("4000000"))},
        )
        for n in range(12)
    ]
    return ParkFacts(
        name="示范人力资源服务产业园",
        jurisdiction=jurisdiction,
        public_services=PUBLIC_SERVICES.codes(),
        operator_kind="company",
        staff_fulltime=3,
        facts={"district_support_measures": ["房租补贴"]},
        sites=[SiteFacts("核心园区", Decimal("2500"), is_core=True)],
        agencies=agencies,
    )


def assert_cites_own_text(citation, code, uncited):
    """Every article and item cited exists in this city's own measures."""
    problems = uncited(citation, code)
    assert not problems, problems


# --- one check per hook: the answer is this city's ----------------------------------------------


def check_jurisdiction(j, code, uncited):
    info = j.hook.hrpark_jurisdiction()
    assert info.code == code and info.name_prefix == CITY[code]["prefix"]
    assert info.parent is None and info.level == "city"


def check_parameters(j, code, uncited):
    parameters = j.hook.hrpark_parameters()
    assert parameters is j.parameters
    assert {p.source for p in parameters} == {code}
    criterion_id, pid, value, article = CITY[code]["area_criterion"]
    assert parameters.value(pid, AS_OF) == value
    assert CITY[OTHER[code]]["area_criterion"][1] not in parameters
    assert parameters.value("min_total_revenue", AS_OF) == CITY[code]["revenue_line"]
    for p in parameters:
        if "第" in p.reference:  # a local default may cite none
            assert_cites_own_text(p.reference, code, uncited)


def check_criteria(j, code, uncited):
    criteria = j.hook.hrpark_criteria(on=RULES_DAY)
    assert {c.source for c in criteria} == {code}
    ids = {c.id for c in criteria}
    criterion_id, _, _, article = CITY[code]["area_criterion"]
    assert criterion_id in ids and CITY[code]["foreign_criterion"] not in ids
    assert next(c for c in criteria if c.id == criterion_id).article == article
    for c in criteria:
        assert_cites_own_text(c.article, code, uncited)
    evaluation = j.evaluate(park_of_2500_m2(code), YEAR, as_of=AS_OF)
    assert {r.source for r in evaluation.results} == {code}
    area, revenue = evaluation.by_id(criterion_id).status, evaluation.by_id("agency_revenue").status
    if code == "karamay":
        assert (area, revenue) == (MET, NOT_MET)
    else:  # (Changzhi's art. 6 is 原则上: a failure there may be waivable)
        assert (area in (NOT_MET, NOT_MET_WAIVABLE), revenue) == (True, MET)


def check_materials(j, code, uncited):
    materials = j.hook.hrpark_materials()
    assert CITY[code]["materials"] <= {m.id for m in materials}
    assert not CITY[OTHER[code]]["materials"] & {m.id for m in materials}
    for m in materials:
        assert_cites_own_text(m.article, code, uncited)


def check_procedure(j, code, uncited):
    procedure = j.hook.hrpark_procedure()
    assert procedure.filer_role == CITY[code]["filer_role"] and procedure.filer_role in ROLES
    first = procedure.available("draft", procedure.filer_role)
    assert CITY[code]["first_transition"] in {t.id for t in first}
    assert CITY[OTHER[code]]["first_transition"] not in {t.id for t in procedure.transitions}
    for t in procedure.transitions:
        assert t.article.startswith(CITY[code]["procedure_article"]), (t.id, t.article)
        assert_cites_own_text(t.article, code, uncited)


def check_assessment_indicators(j, code, uncited):
    indicators = j.hook.hrpark_assessment_indicators(on=RULES_DAY)
    assert {i.id for i in indicators} >= CITY[code]["indicators"]
    assert not {i.id for i in indicators} & CITY[OTHER[code]]["indicators"]
    for i in indicators:
        assert i.article.startswith(CITY[code]["assessment_articles"]), (i.id, i.article)
        assert j.parameters.value(i.weight_param, datetime.date.today()) == i.weight  # this city's weight
        assert_cites_own_text(i.article, code, uncited)


def check_grade_tiers(j, code, uncited):
    tiers = j.hook.hrpark_grade_tiers(on=RULES_DAY)
    assert [t.grade for t in tiers] == ["excellent", "qualified", "unqualified"]
    for t in tiers:
        assert t.article == CITY[code]["grade_article"]
        if t.cutoff_param:
            assert j.parameters.value(t.cutoff_param, datetime.date.today()) == t.min_score


def check_grade_consequences(j, code, uncited):
    consequences = j.hook.hrpark_grade_consequences(history=[GradeRecord(YEAR, "excellent")], on=RULES_DAY)
    assert {c.kind for c in consequences} == CITY[code]["excellent_consequences"]
    for c in consequences:
        assert c.article.startswith(CITY[code]["grade_article"]), (c.kind, c.article)
        assert_cites_own_text(c.article, code, uncited)


def check_subsidies(j, code, uncited):
    context = SubsidyContext(
        park=park_of_2500_m2(code),
        year=YEAR,
        recognised_on=datetime.date(YEAR, 3, 1),
        recognition_status="active",
        grades={YEAR: "qualified"},
    )
    proposals = j.subsidies(context)
    assert context.parameters is j.parameters  # the facade hands the formula its own city's numbers
    assert proposals and {p.rule_id for p in proposals} <= CITY[code]["subsidy_rules"]
    assert all(p.rule_id.startswith(f"{code}.") for p in proposals)
    due = {p.rule_id: p.amount for p in proposals if p.due}
    expected = {"karamay.operating_subsidy": Decimal("500000")} if code == "karamay" else {
        "changzhi.recognition_award": Decimal("800000")  # the operating grant lacks the city's target
    }
    assert due == expected
    for p in proposals:
        assert_cites_own_text(p.article, code, uncited)


def check_ledger_categories(j, code, uncited):
    categories = j.hook.hrpark_ledger_categories()
    ids = {c.id for c in categories}
    assert CITY[code]["ledger"] <= ids and not CITY[OTHER[code]]["ledger"] & ids
    for c in categories:
        assert c.article.startswith(CITY[code]["ledger_article"])


def check_document_templates(j, code, uncited):
    for template in j.hook.hrpark_document_templates():
        assert template.id.startswith(f"{code}.") and template.source in ("", code)
        assert_cites_own_text(template.article, code, uncited)


def check_recognised_name(j, code, uncited):
    prefix = CITY[code]["prefix"]
    assert j.hook.hrpark_recognised_name(park_name="高新区人力资源服务产业园") == f"{prefix}高新区人力资源服务产业园"
    assert j.recognised_name(f"{prefix}高新区人力资源服务产业园") == f"{prefix}高新区人力资源服务产业园"


HOOK_CHECKS = {
    "hrpark_jurisdiction": check_jurisdiction,
    "hrpark_parameters": check_parameters,
    "hrpark_criteria": check_criteria,
    "hrpark_materials": check_materials,
    "hrpark_procedure": check_procedure,
    "hrpark_assessment_indicators": check_assessment_indicators,
    "hrpark_grade_tiers": check_grade_tiers,
    "hrpark_grade_consequences": check_grade_consequences,
    "hrpark_subsidies": check_subsidies,
    "hrpark_ledger_categories": check_ledger_categories,
    "hrpark_document_templates": check_document_templates,
    "hrpark_recognised_name": check_recognised_name,
}


def test_every_hook_of_hookspecs_has_an_isolation_check():
    """A hook added to core/hookspecs.py fails here until it is checked below for each city."""
    hooks = {name for name, obj in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("hrpark_")}
    assert hooks == set(HOOK_CHECKS)


def test_the_citation_check_catches_what_a_citys_text_lacks(uncited):
    assert uncited("第二十五条", "karamay") == [] and uncited("第二十五条", "changzhi")  # Changzhi stops at 22
    assert uncited("第六条第（五）项", "changzhi") == [] and uncited("第六条第（六）项", "changzhi")
    assert uncited("第五条第（六）项", "karamay") == [] and uncited("第五条第（七）项", "karamay")
    assert uncited("办法未规定", "karamay")  # a citation must name an article


def test_both_cities_are_installed(registry):
    assert set(CODES) <= set(registry.codes())
    assert not registry.failures


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("hook", sorted(HOOK_CHECKS))
def test_each_hook_answers_as_its_own_city(registry, uncited, code, hook):
    HOOK_CHECKS[hook](registry.get(code), code, uncited)


@pytest.mark.parametrize("code", CODES)
def test_each_city_has_a_manager_of_its_own_holding_only_its_plugin_and_core_defaults(registry, code):
    j = registry.get(code)
    plugins = j.manager.get_plugins()
    assert j.plugin in plugins and defaults in plugins and len(plugins) == 2
    other = registry.get(OTHER[code])
    assert other.plugin not in plugins and other.manager is not j.manager


# --- the trap, shown: one manager holding both cities -------------------------------------------


@pytest.fixture
def one_manager_for_both(registry):
    """What the registry does NOT do: both cities in one pluggy manager (firstresult hooks)."""
    manager = pluggy.PluginManager("hrpark")
    manager.add_hookspecs(hookspecs)
    manager.register(defaults, name="hrpark.defaults")
    manager.register(type(registry.get("changzhi").plugin)(), name="changzhi")
    manager.register(type(registry.get("karamay").plugin)(), name="karamay")
    return manager


def test_one_manager_would_answer_changzhi_with_karamays_numbers(one_manager_for_both, registry):
    """Asked about a Changzhi park, the shared manager answers with the plugin registered last."""
    hook = one_manager_for_both.hook
    assert hook.hrpark_jurisdiction().code == "karamay"
    assert hook.hrpark_parameters().value("min_total_revenue", AS_OF) == Decimal("50000000")  # not 30,000,000
    assert hook.hrpark_recognised_name(park_name="高新区产业园") == "克拉玛依高新区产业园"
    assert hook.hrpark_procedure().filer_role == "county_officer"
    criteria = {c.id: c for c in hook.hrpark_criteria(on=RULES_DAY)}
    assert "site_area" not in criteria  # Changzhi's art. 6(2) is simply not asked
    changzhi = registry.get("changzhi")
    ctx = EvaluationContext(park_of_2500_m2("changzhi"), YEAR, AS_OF, hook.hrpark_parameters(), changzhi.info)
    assert criteria["floor_area"].run(ctx).status == MET  # 2500 m² passes on Karamay's 2000 m² line


def test_the_registry_answers_changzhi_with_changzhis_numbers(registry):
    changzhi = registry.get("changzhi")
    assert changzhi.info.code == "changzhi"
    assert changzhi.parameters.value("min_total_revenue", AS_OF) == Decimal("30000000")
    assert changzhi.recognised_name("高新区产业园") == "长治高新区产业园"
    assert changzhi.procedure().filer_role == "park_operator"
    result = changzhi.evaluate(park_of_2500_m2("changzhi"), YEAR, as_of=AS_OF).by_id("site_area")
    assert result.status in (NOT_MET, NOT_MET_WAIVABLE) and result.source == "changzhi"
    assert "3000" in result.explanation  # its own line, 3000 m², not Karamay's 2000 m²
    karamay = registry.get("karamay")
    assert karamay.evaluate(park_of_2500_m2("karamay"), YEAR, as_of=AS_OF).by_id("floor_area").status == MET


@pytest.mark.parametrize("hook", sorted(set(HOOK_CHECKS) - {"hrpark_document_templates"}))  # (both say [] yet)
def test_the_isolation_checks_catch_a_shared_manager(one_manager_for_both, registry, uncited, hook):
    """The checks above are not vacuous: a Changzhi facade over the shared manager fails each."""
    shared = Jurisdiction(registry.get("changzhi").plugin, one_manager_for_both)
    with pytest.raises(AssertionError):
        HOOK_CHECKS[hook](shared, "changzhi", uncited)
