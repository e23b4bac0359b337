"""第六条, clause by clause: each computed condition on both sides of its line, and the 原则上 of
the chapeau read both ways (article6_in_principle true / false)."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
from decimal import Decimal

import pytest

from core.rules.criteria import (
    JUDGED_MET, MET, MISSING_DATA, NEEDS_JUDGEMENT, NOT_MET, NOT_MET_WAIVABLE, WAIVED, Evaluation, EvaluationContext,
    evaluate_criteria,
)

YEAR = 2025
AS_OF = datetime.date(2025, 6, 30)


def test_eligible_park_meets_every_computed_condition_and_waits_for_judgement(changzhi, make_park):
    evaluation = changzhi.evaluate(make_park(), YEAR, as_of=AS_OF)
    statuses = {r.criterion_id: r.status for r in evaluation.results}
    assert statuses == {
        "planning_report": NEEDS_JUDGEMENT,
        "site_area": MET,
        "branch_sites": MET,
        "facilities": NEEDS_JUDGEMENT,
        "agency_count": MET,
        "agency_revenue": MET,
        "public_services": MET,
        "integrity": NEEDS_JUDGEMENT,
        "operator": MET,
        "social_benefit": NEEDS_JUDGEMENT,
    }
    assert evaluation.outcome == "pending"
    verdicts = {cid: (True, "评审通过") for cid, s in statuses.items() if s == NEEDS_JUDGEMENT}
    judged = changzhi.evaluate(make_park(), YEAR, as_of=AS_OF, verdicts=verdicts)
    assert judged.outcome == "eligible"
    assert judged.by_id("facilities").final_status == JUDGED_MET


def test_criteria_are_in_article_order_and_cite_article_6(changzhi):
    criteria = changzhi.criteria(RULES_DAY)
    assert [c.id for c in criteria] == [
        "planning_report", "site_area", "branch_sites", "facilities", "agency_count",
        "agency_revenue", "public_services", "integrity", "operator", "social_benefit",
    ]
    articles = {c.id: c.article for c in criteria}
    assert articles["planning_report"] == "第六条第（一）项"
    assert {articles[i] for i in ("site_area", "branch_sites", "facilities")} == {"第六条第（二）项"}
    assert {articles[i] for i in ("agency_count", "agency_revenue", "public_services", "integrity")} == {"第六条第（三）项"}
    assert articles["operator"] == "第六条第（四）项"
    assert articles["social_benefit"] == "第六条第（五）项"
    assert {c.source for c in criteria} == {"changzhi"}


# --- 第六条第（一）项 --------------------------------------------------------------------------


def test_art6_1_planning_report_needs_judgement(check, make_park):
    result = check("planning_report", make_park())
    assert result.status == NEEDS_JUDGEMENT
    assert "规划报告" in result.explanation


# --- 第六条第（二）项 --------------------------------------------------------------------------


@pytest.mark.parametrize("area, status", [("2999", NOT_MET_WAIVABLE), ("2999.99", NOT_MET_WAIVABLE), ("3000", MET)])
def test_art6_2_single_site_floor_area_at_least_3000(check, make_park, make_site, area, status):
    result = check("site_area", make_park(sites=[make_site("园区", area, core=False)]))
    assert result.status == status
    if status == MET:
        assert "园区建筑面积3000㎡，不少于3000㎡" in result.explanation
    else:
        gap = Decimal(3000) - Decimal(area)
        assert f"园区建筑面积{area}㎡，低于3000㎡，差{gap}㎡" in result.explanation
        assert f"below 3000 m² by {gap} m²" in result.explanation_en


@pytest.mark.parametrize("core_area, status", [(1999, NOT_MET_WAIVABLE), (2000, MET)])
def test_art6_2_core_site_area_at_least_2000(check, make_park, make_site, core_area, status):
    sites = [make_site("核心园区", core_area, core=True), make_site("分园区", 3000)]
    result = check("site_area", make_park(sites=sites))
    assert result.status == status
    if status == MET:
        assert "核心园区面积2000㎡，不少于2000㎡" in result.explanation
    else:
        assert "核心园区面积1999㎡，低于2000㎡，差1㎡" in result.explanation
        assert "core site 1999 m², below 2000 m² by 1 m²" in result.explanation_en
    assert result.measured["core_area"] == Decimal(core_area)


@pytest.mark.parametrize("branch_area, status", [(1999, NOT_MET_WAIVABLE), (2000, MET)])
def test_art6_2_multi_site_total_area_at_least_4000(check, make_park, make_site, branch_area, status):
    sites = [make_site("核心园区", 2000, core=True), make_site("分园区", branch_area)]
    result = check("site_area", make_park(sites=sites))
    assert result.status == status
    total = 2000 + branch_area
    if status == MET:
        assert "园区总面积4000㎡，不少于4000㎡" in result.explanation
    else:
        assert f"园区总面积{total}㎡，低于4000㎡，差1㎡" in result.explanation
    assert result.measured["total_area"] == Decimal(total)


def test_art6_2_multi_site_core_and_total_both_reported_when_both_fail(check, make_park, make_site):
    sites = [make_site("核心园区", 1500, core=True), make_site("分园区", 1000)]
    result = check("site_area", make_park(sites=sites))
    assert result.status == NOT_MET_WAIVABLE
    assert "核心园区面积1500㎡，低于2000㎡，差500㎡" in result.explanation
    assert "园区总面积2500㎡，低于4000㎡，差1500㎡" in result.explanation


def test_art6_2_several_sites_need_exactly_one_core_site(check, make_park, make_site):
    no_core = check("site_area", make_park(sites=[make_site("甲", 3000), make_site("乙", 3000)]))
    assert no_core.status == NOT_MET_WAIVABLE
    assert "未标明核心园区" in no_core.explanation
    two_cores = check("site_area", make_park(sites=[make_site("甲", 3000, core=True), make_site("乙", 3000, core=True)]))
    assert two_cores.status == NOT_MET_WAIVABLE
    assert "标明了2个核心园区（甲、乙），只能有一个核心园区" in two_cores.explanation


@pytest.mark.parametrize("sites, area, branches", [
    (0, MISSING_DATA, MISSING_DATA),
    (1, MET, MET),
    (3, MET, MET),  # 2 branch sites
    (4, MET, MET),  # 3 branch sites: the line itself
    (5, MET, NOT_MET_WAIVABLE),  # 4 branch sites
])
def test_art6_2_site_criteria_with_0_1_3_4_and_5_sites(check, make_park, make_site, sites, area, branches):
    """issue 11 item 9: with no site recorded, the floor area and the number of branch sites are not
    yet known (missing data) — neither met (“只设立0个园区”) nor failed; from one site on, each reads
    the sites, on both sides of the 3-branch line."""
    park = make_park(sites=[make_site("核心园区", 3000, core=True)][:sites] + [make_site(f"分园区{i}", 1000) for i in range(sites - 1)])
    site_area, branch_sites = check("site_area", park), check("branch_sites", park)
    assert (site_area.status, branch_sites.status) == (area, branches)
    if sites == 0:
        assert site_area.blocking and branch_sites.blocking
        assert "未登记任何园区（场地），建筑面积尚无法判断" in site_area.explanation and "not yet known" in site_area.explanation_en
        assert "分园区数量尚无法判断" in branch_sites.explanation and "0个园区" not in branch_sites.explanation
        assert check("planning_report", park).status == NEEDS_JUDGEMENT
        evaluation = Evaluation("changzhi", "园区", YEAR, AS_OF, [site_area, branch_sites])
        assert evaluation.outcome == "incomplete"
    else:
        assert branch_sites.measured == sites - 1


@pytest.mark.parametrize("branches, status", [(3, MET), (4, NOT_MET_WAIVABLE)])
def test_art6_2_branch_sites_in_principle_at_most_3(check, make_park, make_site, branches, status):
    sites = [make_site("核心园区", 2000, core=True)] + [make_site(f"分园区{i}", 1000) for i in range(branches)]
    result = check("branch_sites", make_park(sites=sites))
    assert result.status == status
    assert result.measured == branches
    if status == NOT_MET_WAIVABLE:
        assert "分园区4个，超过3个，多1个" in result.explanation


def test_art6_2_branch_sites_waivable_even_when_the_chapeau_is_strict(check, make_park, make_site, strict_parameters):
    sites = [make_site("核心园区", 2000, core=True)] + [make_site(f"分园区{i}", 1000) for i in range(4)]
    result = check("branch_sites", make_park(sites=sites), parameters=strict_parameters)
    assert result.status == NOT_MET_WAIVABLE


def test_art6_2_single_site_has_no_branch_sites(check, make_park, make_site):
    result = check("branch_sites", make_park(sites=[make_site("园区", 3000, core=False)]))
    assert result.status == MET
    assert result.measured == 0
    assert "无分园区" in result.explanation


def test_art6_2_facilities_need_judgement(check, make_park):
    result = check("facilities", make_park())
    assert result.status == NEEDS_JUDGEMENT
    assert "设施" in result.explanation


# --- 第六条第（三）项 --------------------------------------------------------------------------


@pytest.mark.parametrize("count, status", [(9, NOT_MET_WAIVABLE), (10, MET)])
def test_art6_3_agency_count_at_least_10(check, make_park, make_agency, count, status):
    result = check("agency_count", make_park(agencies=[make_agency(f"机构{i}") for i in range(count)]))
    assert result.status == status
    assert result.measured == count
    if status == NOT_MET_WAIVABLE:
        assert "入驻人力资源服务机构9家，少于10家，差1家" in result.explanation


def test_art6_3_agency_count_includes_public_agencies_resident_on_the_day(check, make_park, make_agency):
    agencies = [make_agency(f"经营性{i}") for i in range(8)]
    agencies.append(make_agency("公益性机构", kind="public"))
    agencies.append(make_agency("当天入驻", admitted_on=AS_OF))
    agencies.append(make_agency("次日入驻", admitted_on=AS_OF + datetime.timedelta(days=1)))
    agencies.append(make_agency("当天退出", exited_on=AS_OF))
    result = check("agency_count", make_park(agencies=agencies))
    assert result.measured == 10
    assert result.status == MET


@pytest.mark.parametrize("licence_kind, counted", [("licence", True), ("filing", True), ("none", False), ("", False)])
def test_art6_3_an_operating_agency_counts_only_with_its_licence_or_filing_certificate(
        check, make_park, make_agency, licence_kind, counted):
    """issue 11 item 20: 第七条第（一）项第5目 asks for every resident agency's 人力资源服务许可证/备案凭证; an
    operating agency with neither is not counted among the park's agencies (第六条第（三）项), nor its
    revenue, and the explanation names it; a public agency needs neither."""
    agencies = [make_agency(f"机构{i}") for i in range(8)] + [make_agency("公益性机构", kind="public")]
    unlicensed = make_agency("无证机构", revenue="12000000")  # alone it would meet the 超过1000万元 alternative
    unlicensed.licence_kind = licence_kind
    agencies[-1].licence_kind = "none"  # the public one: counted all the same
    park = make_park(agencies=agencies + [unlicensed])
    count, revenue = check("agency_count", park), check("agency_revenue", park)
    why = "未取得人力资源服务许可证或备案凭证的经营性机构1家（无证机构）不计入（第七条第（一）项第5目）"
    if counted:
        assert (count.status, count.measured, revenue.status) == (MET, 10, MET)
        assert revenue.measured["tier3_agencies"] == 1 and why not in count.explanation + revenue.explanation
        return
    assert (count.status, count.measured, revenue.status) == (NOT_MET_WAIVABLE, 9, NOT_MET_WAIVABLE)
    assert revenue.measured == {**revenue.measured, "total_revenue": Decimal("24000000"), "tier3_agencies": 0}
    assert why in count.explanation and why + "，其营业收入不计入" in revenue.explanation
    assert "(无证机构) not counted (第七条第（一）项第5目), nor their revenue" in revenue.explanation_en


@pytest.mark.parametrize("revenue, status", [("2999999.99", NOT_MET_WAIVABLE), ("3000000", MET)])
def test_art6_3_revenue_total_at_least_30_million(check, make_park, make_agency, revenue, status):
    # Nine agencies at exactly 300万元 (so no 超过 alternative holds) and one at `revenue`.
    agencies = [make_agency(f"机构{i}", revenue=3000000) for i in range(9)]
    agencies.append(make_agency("末位机构", revenue=revenue))
    result = check("agency_revenue", make_park(agencies=agencies))
    assert result.status == status
    assert result.measured["total_revenue"] == Decimal("27000000") + Decimal(revenue)
    if status == MET:
        assert "营业收入合计3000万元，达到3000万元" in result.explanation
    else:
        assert "营业收入合计29999999.99元，低于3000万元，差0.01元" in result.explanation


def test_art6_3_revenue_includes_amounts_collected_and_paid_on_behalf(check, make_park, make_agency):
    agencies = [make_agency(f"机构{i}", revenue=2000000, pass_through=1000000) for i in range(10)]
    with_pass_through = check("agency_revenue", make_park(agencies=agencies))
    assert with_pass_through.status == MET
    assert with_pass_through.measured["total_revenue"] == Decimal("30000000")
    without = [make_agency(f"机构{i}", revenue=2000000) for i in range(10)]
    assert check("agency_revenue", make_park(agencies=without)).status == NOT_MET_WAIVABLE


def _small(make_agency, n):
    """n operating agencies of 10万元 each: they keep the count up and move no alternative."""
    return [make_agency(f"小机构{i}", revenue=100000) for i in range(n)]


@pytest.mark.parametrize("over, status", [(4, NOT_MET_WAIVABLE), (5, MET)])
def test_art6_3_revenue_five_agencies_over_3_million(check, make_park, make_agency, over, status):
    agencies = [make_agency(f"大机构{i}", revenue="3000000.01") for i in range(over)]
    agencies += [make_agency("恰好300万", revenue=3000000)]  # 超过 excludes 300万元 itself
    agencies += _small(make_agency, 10 - len(agencies))
    result = check("agency_revenue", make_park(agencies=agencies))
    assert result.measured["tier1_agencies"] == over
    assert result.status == status
    if status == MET:
        assert "营业收入超过300万元的机构5家，不少于5家" in result.explanation
    else:
        assert "营业收入超过300万元的机构4家，少于5家，差1家" in result.explanation


@pytest.mark.parametrize("over, status", [(2, NOT_MET_WAIVABLE), (3, MET)])
def test_art6_3_revenue_three_agencies_over_5_million(check, make_park, make_agency, over, status):
    agencies = [make_agency(f"大机构{i}", revenue="5000000.01") for i in range(over)]
    agencies += [make_agency("恰好500万", revenue=5000000)]
    agencies += _small(make_agency, 10 - len(agencies))
    result = check("agency_revenue", make_park(agencies=agencies))
    assert result.measured["tier2_agencies"] == over
    assert result.status == status


@pytest.mark.parametrize("revenue, status", [("10000000", NOT_MET_WAIVABLE), ("10000000.01", MET)])
def test_art6_3_revenue_one_agency_over_10_million(check, make_park, make_agency, revenue, status):
    agencies = [make_agency("头部机构", revenue=revenue)] + _small(make_agency, 9)
    result = check("agency_revenue", make_park(agencies=agencies))
    assert result.measured["tier3_agencies"] == (1 if status == MET else 0)
    assert result.status == status
    if status == MET:
        assert "营业收入超过1000万元的机构1家，不少于1家" in result.explanation


def test_art6_3_revenue_measured_names_the_four_alternatives(check, make_park):
    result = check("agency_revenue", make_park())
    assert set(result.measured) == {"total_revenue", "tier1_agencies", "tier2_agencies", "tier3_agencies"}
    assert result.measured == {
        "total_revenue": Decimal("30000000"), "tier1_agencies": 0, "tier2_agencies": 0, "tier3_agencies": 0,
    }
    assert result.required["tier1_agencies"] == {"revenue_over": Decimal("3000000"), "at_least": 5}


def test_art6_3_revenue_when_none_holds_explains_every_gap(check, make_park, make_agency):
    result = check("agency_revenue", make_park(agencies=_small(make_agency, 10)))
    assert result.status == NOT_MET_WAIVABLE
    assert "四种情形均未满足" in result.explanation
    for text in ("差2900万元", "超过300万元的机构0家，少于5家，差5家", "超过500万元的机构0家，少于3家，差3家",
                 "超过1000万元的机构0家，少于1家，差1家"):
        assert text in result.explanation


def test_art6_3_revenue_counts_resident_operating_agencies_and_previous_year_only(check, make_park, make_agency):
    agencies = _small(make_agency, 7)
    agencies.append(make_agency("公益性大机构", revenue=50000000, kind="public"))
    agencies.append(make_agency("已退出大机构", revenue=50000000, exited_on=datetime.date(2025, 3, 1)))
    agencies.append(make_agency("本年度大机构", revenue=50000000, year=YEAR))  # this year's figures, not last year's
    result = check("agency_revenue", make_park(agencies=agencies))
    assert result.measured["total_revenue"] == Decimal("700000")
    assert result.status == NOT_MET_WAIVABLE
    assert "2024年度入驻经营性人力资源服务机构8家" in result.explanation


def test_art6_3_revenue_agencies_without_figures_count_as_zero(check, make_park, make_agency):
    agencies = [make_agency(f"机构{i}", revenue=3000000) for i in range(10)]
    agencies += [make_agency("无数据甲", figures=False), make_agency("无数据乙", figures=False)]
    result = check("agency_revenue", make_park(agencies=agencies))
    assert result.status == MET
    assert "其中2家机构未录入2024年度营业收入，按0计" in result.explanation
    assert "2 of them have no 2024 figures" in result.explanation_en


def test_art6_3_public_services_all_four(check, make_park):
    assert check("public_services", make_park()).status == MET
    result = check("public_services", make_park(public_services=["employment_entrepreneurship", "social_security"]))
    assert result.status == NOT_MET_WAIVABLE
    assert "缺少2项公共服务功能：职业培训、人才人事" in result.explanation
    assert "vocational training, talent & personnel" in result.explanation_en


def test_art6_3_integrity_needs_judgement(check, make_park):
    result = check("integrity", make_park())
    assert result.status == NEEDS_JUDGEMENT
    assert "守法诚信" in result.explanation


# --- 第六条第（四）项、第（五）项 ----------------------------------------------------------------


@pytest.mark.parametrize("kind, status", [("committee", MET), ("company", MET), ("none", NOT_MET_WAIVABLE)])
def test_art6_4_management_team_or_operating_company(check, make_park, kind, status):
    result = check("operator", make_park(operator_kind=kind))
    assert result.status == status
    if status != MET:
        assert "须有专门的产业园管理团队或专业化的运营公司" in result.explanation


def test_art6_5_social_benefit_needs_judgement(check, make_park):
    result = check("social_benefit", make_park())
    assert result.status == NEEDS_JUDGEMENT
    assert "乡村振兴" in result.explanation


# --- 第六条 chapeau: 原则上应当具备以下条件 -------------------------------------------------------


def _failing_parks(make_park, make_site, make_agency):
    return {
        "site_area": make_park(sites=[make_site("园区", 2999)]),
        "agency_count": make_park(agencies=[make_agency(f"机构{i}") for i in range(9)]),
        "agency_revenue": make_park(agencies=_small(make_agency, 10)),
        "public_services": make_park(public_services=[]),
        "operator": make_park(operator_kind="none"),
    }


@pytest.mark.parametrize("criterion_id", ["site_area", "agency_count", "agency_revenue", "public_services", "operator"])
def test_art6_in_principle_makes_computed_conditions_waivable(check, make_park, make_site, make_agency, criterion_id):
    result = check(criterion_id, _failing_parks(make_park, make_site, make_agency)[criterion_id])
    assert result.status == NOT_MET_WAIVABLE
    assert "第六条“原则上”" in result.explanation


@pytest.mark.parametrize("criterion_id", ["site_area", "agency_count", "agency_revenue", "public_services", "operator"])
def test_art6_strict_reading_makes_computed_conditions_not_met(
    check, make_park, make_site, make_agency, strict_parameters, criterion_id
):
    result = check(criterion_id, _failing_parks(make_park, make_site, make_agency)[criterion_id], parameters=strict_parameters)
    assert result.status == NOT_MET
    assert "原则上" not in result.explanation


def test_art6_in_principle_is_read_on_the_evaluation_day(changzhi, check, make_park, make_site):
    dated = changzhi.parameters.overridden(
        {"article6_in_principle": {"reference": "第六条", "values": {"2024-01-01": True, "2026-01-01": False}}},
        {}, "test", "test",
    )
    park = make_park(sites=[make_site("园区", 2999)])
    assert check("site_area", park, parameters=dated, as_of=datetime.date(2025, 12, 31)).status == NOT_MET_WAIVABLE
    assert check("site_area", park, parameters=dated, year=2026, as_of=datetime.date(2026, 1, 1)).status == NOT_MET


def test_art6_waiver_with_reason_clears_a_waivable_condition(changzhi, make_park, make_site):
    park = make_park(sites=[make_site("园区", 2999)])
    pending = changzhi.evaluate(park, YEAR, as_of=AS_OF)
    assert pending.by_id("site_area").blocking
    waived = changzhi.evaluate(park, YEAR, as_of=AS_OF, waivers={"site_area": "差1㎡，经评审同意豁免"})
    assert waived.by_id("site_area").final_status == WAIVED
    assert waived.by_id("site_area").waiver_reason == "差1㎡，经评审同意豁免"
    assert not waived.by_id("site_area").blocking


def test_art6_strict_failure_makes_the_park_not_eligible(changzhi, make_park, make_site, strict_parameters):
    park = make_park(sites=[make_site("园区", 2999)])
    ctx = EvaluationContext(park=park, year=YEAR, as_of=AS_OF, parameters=strict_parameters)
    results = evaluate_criteria(changzhi.criteria(RULES_DAY), ctx, waivers={"site_area": "试图豁免"})
    assert Evaluation("changzhi", park.name, YEAR, AS_OF, results).outcome == "not_eligible"
