"""第五条: one test per clause of Karamay's recognition conditions, both sides of every line."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
from decimal import Decimal

import pytest

from core.rules.facts import ParkYearFacts
from core.rules.criteria import MET, MISSING_DATA, NEEDS_JUDGEMENT, NOT_MET, EvaluationContext

YEAR, AS_OF = 2026, datetime.date(2026, 6, 30)


# --- 第五条第（一）项 -------------------------------------------------------------------------


def test_art5_1_development_plan_needs_judgement(check, park):
    result = check("development_plan", park())
    assert result.status == NEEDS_JUDGEMENT
    assert result.article == "第五条第（一）项"
    assert "发展规划" in result.explanation and result.explanation_en


# --- 第五条第（二）项 -------------------------------------------------------------------------


def test_art5_2_floor_area_at_least_2000(check, park):
    met = check("floor_area", park(floor_areas=[Decimal("2000")]))
    assert met.status == MET
    assert met.measured == Decimal("2000") and met.required == Decimal("2000")
    assert "2000㎡" in met.explanation and "不少于2000㎡" in met.explanation

    short = check("floor_area", park(floor_areas=[Decimal("1999")]))
    assert short.status == NOT_MET
    assert "园区总建筑面积1999㎡" in short.explanation
    assert "低于2000㎡，差1㎡" in short.explanation
    assert "below 2000 m² by 1 m²" in short.explanation_en


def test_art5_2_floor_area_just_under_2000_is_not_met(check, park):
    result = check("floor_area", park(floor_areas=[Decimal("1999.99")]))
    assert result.status == NOT_MET
    assert "差0.01㎡" in result.explanation


def test_art5_2_floor_area_counts_all_sites_together(check, park):
    together = check("floor_area", park(floor_areas=[Decimal("1200"), Decimal("800")]))
    assert together.status == MET
    assert "2处场地合计" in together.explanation
    short = check("floor_area", park(floor_areas=[Decimal("1200"), Decimal("799")]))
    assert short.status == NOT_MET


@pytest.mark.parametrize("areas, status", [((), MISSING_DATA), (("1999",), NOT_MET), (("2000",), MET),
                                           (("1000", "500", "499"), NOT_MET), (("1000", "500", "500"), MET),
                                           (("500", "500", "500", "499"), NOT_MET), (("500", "500", "500", "500"), MET)])
def test_art5_2_floor_area_with_0_1_3_and_4_sites(karamay, check, park, areas, status):
    """issue 11 item 9: with no site recorded the total floor area is not yet known (missing data),
    neither met nor failed, and it keeps the park from recognition; from one site on it is measured."""
    result = check("floor_area", park(floor_areas=[Decimal(a) for a in areas]))
    assert result.status == status
    if not areas:
        assert result.blocking and result.measured is None
        assert "未登记任何场地，园区总建筑面积尚无法判断" in result.explanation and "面积0㎡" not in result.explanation
        assert "not yet known" in result.explanation_en
        judged = {c.id: (True, "评审小组认可") for c in karamay.criteria(RULES_DAY) if c.judgement}
        assert karamay.evaluate(park(floor_areas=[]), YEAR, as_of=AS_OF, verdicts=judged).outcome == "incomplete"
    else:
        assert f"{len(areas)}处场地合计" in result.explanation


def test_art5_2_public_services_all_four_functions(check, park):
    result = check("public_services", park())
    assert result.status == MET
    assert result.article == "第五条第（二）项"


@pytest.mark.parametrize(
    "missing, label",
    [
        ("employment_entrepreneurship", "就业创业"),
        ("vocational_training", "职业培训"),
        ("social_security", "社会保障"),
        ("talent_personnel", "人才人事"),
    ],
)
def test_art5_2_public_services_missing_one_is_named(check, park, missing, label):
    present = [c for c in ("employment_entrepreneurship", "vocational_training", "social_security", "talent_personnel")
               if c != missing]
    result = check("public_services", park(public_services=present))
    assert result.status == NOT_MET
    assert result.explanation.startswith(f"缺少公共服务功能：{label}（")


def test_art5_2_public_services_unknown_code_does_not_count(check, park):
    result = check("public_services", park(public_services=["employment_entrepreneurship", "vocational_training",
                                                            "social_security", "talent"]))
    assert result.status == NOT_MET
    assert "人才人事" in result.explanation and "talent" in result.explanation


def test_art5_2_facilities_needs_judgement(check, park):
    result = check("facilities", park())
    assert result.status == NEEDS_JUDGEMENT
    assert result.article == "第五条第（二）项"


# --- 第五条第（三）项 -------------------------------------------------------------------------


def test_art5_3_operating_agencies_at_least_10(check, park):
    met = check("operating_agencies", park(operating=10, revenue_each=Decimal("5000000")))
    assert met.status == MET and met.measured == 10 and met.required == 10
    short = check("operating_agencies", park(operating=9))
    assert short.status == NOT_MET
    assert "9家，少于10家，差1家" in short.explanation


def test_art5_3_public_agencies_are_not_operating_agencies(check, park, agency):
    agencies = [agency(f"经营{i}") for i in range(9)] + [agency("公益机构", kind="public")]
    result = check("operating_agencies", park(agencies=agencies))
    assert result.status == NOT_MET
    assert result.measured == 9
    assert "非经营性机构1家，不计入" in result.explanation


def test_art5_3_agencies_are_counted_on_the_day(check, park, agency):
    base = [agency(f"机构{i}") for i in range(9)]
    left_before = agency("已退出", exited_on=AS_OF - datetime.timedelta(days=1))
    left_on_the_day = agency("当日退出", exited_on=AS_OF)
    not_yet_in = agency("尚未入驻", admitted_on=AS_OF + datetime.timedelta(days=1))
    assert check("operating_agencies", park(agencies=base + [left_before, left_on_the_day, not_yet_in])).status == NOT_MET
    admitted_that_day = agency("当日入驻", admitted_on=AS_OF)
    leaves_next_day = agency("次日退出", exited_on=AS_OF + datetime.timedelta(days=1))
    assert check("operating_agencies", park(agencies=base + [admitted_that_day])).status == MET
    assert check("operating_agencies", park(agencies=base + [leaves_next_day])).status == MET


def test_art5_3_agency_diversity_shows_service_line_distribution(check, park, agency):
    agencies = [
        agency("甲", service_lines=("recruitment", "dispatch")),
        agency("乙", service_lines=("recruitment",)),
        agency("丙", service_lines=("training",)),
        agency("公益", kind="public", service_lines=("consulting",)),
        agency("已退出", service_lines=("headhunting",), exited_on=datetime.date(2025, 1, 1)),
    ]
    result = check("agency_diversity", park(agencies=agencies))
    assert result.status == NEEDS_JUDGEMENT
    assert result.article == "第五条第（三）项"
    assert result.measured == {"招聘服务": 2, "劳务派遣": 1, "培训服务": 1}
    assert "招聘服务2家" in result.explanation and "培训服务1家" in result.explanation
    assert "人力资源管理咨询" not in result.explanation and "高级人才寻访" not in result.explanation


def test_art5_3_agency_diversity_without_service_lines(check, park, agency):
    result = check("agency_diversity", park(agencies=[agency(service_lines=())]))
    assert result.status == NEEDS_JUDGEMENT
    assert result.measured == {}
    assert "均未登记服务业态" in result.explanation


def test_art5_3_revenue_at_least_50_million(check, park):
    met = check("agency_revenue", park(operating=10, revenue_each=Decimal("5000000")))
    assert met.status == MET
    assert met.measured == Decimal("50000000") and met.required == Decimal("50000000")
    assert "5000万元" in met.explanation and "不低于5000万元" in met.explanation
    assert "不含代收代付" in met.explanation


def test_art5_3_revenue_one_fen_short_is_not_met(check, park, agency):
    agencies = [agency(f"机构{i}", revenue=Decimal("5000000")) for i in range(9)]
    agencies.append(agency("差一分", revenue=Decimal("4999999.99")))
    result = check("agency_revenue", park(agencies=agencies))
    assert result.status == NOT_MET
    assert result.measured == Decimal("49999999.99")
    assert "低于5000万元，差0.01元" in result.explanation
    assert "by CNY 0.01" in result.explanation_en


def test_art5_3_revenue_does_not_count_pass_through(check, park, agency):
    agencies = [agency(f"机构{i}", revenue=Decimal("4000000"), pass_through=Decimal("1000000")) for i in range(10)]
    result = check("agency_revenue", park(agencies=agencies))
    assert result.status == NOT_MET
    assert result.measured == Decimal("40000000")
    assert "不含代收代付" in result.explanation
    assert "代收代付1000万元未计入" in result.explanation


def test_art5_3_revenue_reads_the_previous_year(check, park, agency):
    this_year = [agency(f"机构{i}", figures_year=YEAR) for i in range(10)]
    result = check("agency_revenue", park(agencies=this_year))
    assert result.status == NOT_MET
    assert result.measured == Decimal("0")
    assert "上一年度（2025年）" in result.explanation
    assert "其中10家机构无2025年度数据，按0计" in result.explanation


def test_art5_3_revenue_agency_without_figures_counts_zero(check, park, agency):
    agencies = [agency(f"机构{i}", revenue=Decimal("6000000")) for i in range(9)]
    agencies.append(agency("无数据", figures_year=None))
    result = check("agency_revenue", park(agencies=agencies))
    assert result.status == MET
    assert result.measured == Decimal("54000000")
    assert "其中1家机构无2025年度数据，按0计" in result.explanation


def test_art5_3_revenue_counts_only_resident_operating_agencies(check, park, agency):
    agencies = [agency(f"机构{i}") for i in range(9)]
    public = agency("公益", kind="public", revenue=Decimal("5000000"))
    gone = agency("已退出", revenue=Decimal("5000000"), exited_on=datetime.date(2026, 1, 31))
    result = check("agency_revenue", park(agencies=agencies + [public, gone]))
    assert result.status == NOT_MET
    assert result.measured == Decimal("45000000")


def licensed_as(agency, licence_kind):
    agency.licence_kind = licence_kind
    return agency


@pytest.mark.parametrize("licence_kind, counted", [("licence", True), ("filing", True), ("other_permit", True),
                                                    ("none", False), ("", False)])
def test_art5_3_and_art11_1_an_operating_agency_counts_only_with_a_licence_or_filing(check, park, agency,
                                                                                     licence_kind, counted):
    """issue 11 item 20: 第十一条第（一）项 — an agency resident in the park holds an HR service licence (or
    another permit); an 'operating' agency without one is not an operating HR service agency of
    第五条第（三）项: not counted, its revenue not counted, and the explanation names it and says why."""
    agencies = [agency(f"机构{i}") for i in range(9)] + [licensed_as(agency("无证机构"), licence_kind)]
    facts = park(agencies=agencies)
    count, revenue = check("operating_agencies", facts), check("agency_revenue", facts)
    diversity = check("agency_diversity", facts)
    if counted:
        assert (count.status, count.measured, revenue.status, revenue.measured) == (MET, 10, MET, Decimal("50000000"))
        assert "无证机构" not in count.explanation + revenue.explanation + diversity.explanation
        return
    assert (count.status, count.measured, revenue.status, revenue.measured) == (NOT_MET, 9, NOT_MET, Decimal("45000000"))
    why = "未取得人力资源服务许可证或备案凭证的经营性机构1家（无证机构）不计入（第十一条第（一）项）"
    assert why in count.explanation and why in revenue.explanation and why in diversity.explanation
    assert "入驻经营性人力资源服务机构9家，少于10家" in count.explanation
    assert "without an HR service licence or filing certificate (无证机构) not counted (第十一条第（一）项)" in count.explanation_en
    assert "入驻经营性机构9家" in diversity.explanation


def test_art11_1_unlicensed_agencies_are_named_up_to_ten(check, park, agency):
    agencies = [agency(f"机构{i}") for i in range(10)] + [licensed_as(agency(f"无证{i}"), "none") for i in range(12)]
    result = check("operating_agencies", park(agencies=agencies))
    assert result.status == MET and result.measured == 10
    assert "经营性机构12家（无证0、无证1、无证2、无证3、无证4、无证5、无证6、无证7、无证8、无证9等12家）不计入" in result.explanation


# --- 第五条第（四）项 -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["committee", "company"])
def test_art5_4_operator_committee_or_company_with_staff(check, park, kind):
    result = check("operator", park(operator_kind=kind, staff_fulltime=0, staff_parttime=1))
    assert result.status == MET
    assert result.article == "第五条第（四）项"
    assert "共1人，不少于1人" in result.explanation


def test_art5_4_operator_without_staff_is_not_met(check, park):
    result = check("operator", park(staff_fulltime=0, staff_parttime=0))
    assert result.status == NOT_MET
    assert "专、兼职工作人员0人，少于1人，差1人" in result.explanation


def test_art5_4_no_operator_is_not_met(check, park):
    result = check("operator", park(operator_kind="none"))
    assert result.status == NOT_MET
    assert "无产业园管委会或专业化机构负责运营管理" in result.explanation


def test_art5_4_unknown_operator_kind_is_named(check, park):
    result = check("operator", park(operator_kind="cooperative"))
    assert result.status == NOT_MET
    assert "cooperative" in result.explanation and "无法识别" in result.explanation
    assert "not a known code" in result.explanation_en


def test_art5_4_management_system_needs_judgement(check, park):
    result = check("management_system", park())
    assert result.status == NEEDS_JUDGEMENT
    assert "准入" in result.explanation and "一站式服务" in result.explanation


# --- 第五条第（五）项 -------------------------------------------------------------------------


def test_art5_5_district_support_measures_listed(check, park):
    result = check("district_support", park(facts={"district_support_measures": ["房租补贴", "引才奖励"]}))
    assert result.status == MET
    assert result.article == "第五条第（五）项"
    assert "房租补贴、引才奖励" in result.explanation


@pytest.mark.parametrize("facts", [{}, {"district_support_measures": []}, {"district_support_measures": ["", "  "]}])
def test_art5_5_district_support_missing_is_not_met(check, park, facts):
    result = check("district_support", park(facts=facts))
    assert result.status == NOT_MET
    assert "未登记所在区" in result.explanation


def test_art5_5_district_support_not_a_list_is_named(check, park):
    result = check("district_support", park(facts={"district_support_measures": "房租补贴"}))
    assert result.status == NOT_MET
    assert "应登记为措施名称列表" in result.explanation and "房租补贴" in result.explanation
    assert "must be recorded as a list" in result.explanation_en


def test_art5_5_special_fund_is_encouraged_not_required(check, park):
    measures = ["购买服务"]
    without_fund = check("district_support", park(facts={"district_support_measures": measures}))
    with_fund = check("district_support", park(facts={"district_support_measures": measures, "special_fund": True}))
    assert without_fund.status == MET and with_fund.status == MET
    assert "未设立人力资源服务业发展专项资金（鼓励项，非必备条件" in without_fund.explanation
    assert "已设立人力资源服务业发展专项资金（鼓励项）" in with_fund.explanation
    fund_only = check("district_support", park(facts={"special_fund": True}))
    assert fund_only.status == NOT_MET


# --- 第五条第（六）项 -------------------------------------------------------------------------


def test_art5_6_social_benefit_shows_previous_year_records(check, park):
    years = {2025: ParkYearFacts(2025, events_held=7, employment_promoted=321, people_served=1500),
             2026: ParkYearFacts(2026, events_held=99)}
    result = check("social_benefit", park(years=years))
    assert result.status == NEEDS_JUDGEMENT
    assert result.article == "第五条第（六）项"
    assert "2025年度举办活动7场，促进就业321人" in result.explanation
    assert result.measured["events_held"] == 7


def test_art5_6_social_benefit_without_records_says_so(check, park):
    result = check("social_benefit", park(years={}))
    assert result.status == NEEDS_JUDGEMENT
    assert "未录入2025年度园区活动和就业数据" in result.explanation


# --- 第五条 as a whole ------------------------------------------------------------------------


def test_art5_3_resident_agencies_operate_lawfully_and_honestly_needs_judgement(karamay, check, park):
    """issue 11 item 19: 第五条第（三）项 “入驻机构应守法诚信经营” is a condition the panel judges, as
    Changzhi's same words are (第六条第（三）项); until it is judged the park cannot be recognised."""
    result = check("integrity", park())
    assert (result.status, result.article, result.title) == (NEEDS_JUDGEMENT, "第五条第（三）项", "入驻机构守法诚信经营")
    assert "守法诚信经营" in result.explanation and "lawfully and honestly" in result.explanation_en
    others = {c.id: (True, "评审小组认可") for c in karamay.criteria(RULES_DAY) if c.judgement and c.id != "integrity"}
    assert karamay.evaluate(park(), YEAR, as_of=AS_OF, verdicts=others).outcome == "pending"
    judged = dict(others, integrity=(False, "两家机构有行政处罚记录"))
    evaluation = karamay.evaluate(park(), YEAR, as_of=AS_OF, verdicts=judged)
    assert evaluation.outcome == "not_eligible" and evaluation.by_id("integrity").verdict_remark == "两家机构有行政处罚记录"


def test_art5_no_condition_is_waivable(karamay, park):
    assert not any(c.waivable for c in karamay.criteria(RULES_DAY))
    evaluation = karamay.evaluate(park(floor_areas=[Decimal("1999")]), YEAR, as_of=AS_OF)
    assert evaluation.by_id("floor_area").status == NOT_MET  # never not_met_waivable
    assert evaluation.outcome == "not_eligible"


def test_art5_criteria_ids_and_articles_in_order(karamay):
    assert [(c.id, c.article, c.judgement) for c in karamay.criteria(RULES_DAY)] == [
        ("development_plan", "第五条第（一）项", True),
        ("floor_area", "第五条第（二）项", False),
        ("public_services", "第五条第（二）项", False),
        ("facilities", "第五条第（二）项", True),
        ("operating_agencies", "第五条第（三）项", False),
        ("agency_diversity", "第五条第（三）项", True),
        ("integrity", "第五条第（三）项", True),
        ("agency_revenue", "第五条第（三）项", False),
        ("operator", "第五条第（四）项", False),
        ("management_system", "第五条第（四）项", True),
        ("district_support", "第五条第（五）项", False),
        ("social_benefit", "第五条第（六）项", True),
    ]


def test_art5_complete_park_waits_for_judgement_then_is_eligible(karamay, park):
    evaluation = karamay.evaluate(park(), YEAR, as_of=AS_OF)
    assert {r.criterion_id for r in evaluation.results if r.status == NOT_MET} == set()
    assert evaluation.outcome == "pending"
    judged = [c.id for c in karamay.criteria(RULES_DAY) if c.judgement]
    verdicts = {cid: (True, "评审小组认可") for cid in judged}
    assert karamay.evaluate(park(), YEAR, as_of=AS_OF, verdicts=verdicts).outcome == "eligible"
    verdicts["facilities"] = (False, "培训设施不足")
    assert karamay.evaluate(park(), YEAR, as_of=AS_OF, verdicts=verdicts).outcome == "not_eligible"


def test_art5_thresholds_come_from_parameters(karamay, park):
    """A changed parameter moves the line: no threshold is written in the code."""
    art = "第五条"
    later = {"reference": art, "values": {"2025-01-01": 2000, "2026-01-01": 2500}}
    fewer = {"reference": art, "values": {"2025-01-01": 10, "2026-01-01": 8}}
    revenue = {"reference": art, "values": {"2025-01-01": 50000000, "2026-01-01": 40000000}}
    staff = {"reference": art, "values": {"2025-01-01": 1, "2026-01-01": 3}}
    parameters = karamay.parameters.overridden(
        {"min_total_floor_area": later, "min_operating_agencies": fewer, "min_total_revenue": revenue,
         "min_operator_staff": staff}, {}, "test", "test")
    facts = park(floor_areas=[Decimal("2000")], operating=8, revenue_each=Decimal("5000000"), staff_fulltime=2,
                 staff_parttime=0)
    ctx = EvaluationContext(park=facts, year=YEAR, as_of=AS_OF, parameters=parameters)
    by_id = {c.id: c for c in karamay.criteria(RULES_DAY)}
    assert by_id["floor_area"].run(ctx).status == NOT_MET
    assert "低于2500㎡，差500㎡" in by_id["floor_area"].run(ctx).explanation
    assert by_id["operating_agencies"].run(ctx).status == MET
    assert by_id["agency_revenue"].run(ctx).status == MET  # 40,000,000 against 4000万元
    assert by_id["operator"].run(ctx).status == NOT_MET
    before = EvaluationContext(park=facts, year=YEAR, as_of=datetime.date(2025, 12, 31), parameters=parameters)
    assert by_id["floor_area"].run(before).status == MET
