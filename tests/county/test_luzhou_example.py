"""The worked example: 潞州区 (changzhi-luzhou), a county plugin of Changzhi under 长治办法第二十二条,
for its FICTIONAL measure docs/examples/luzhou-measures.zh.md. What it inherits from Changzhi, what
it overrides (each number at both sides of its line), its own 第六条第（六）项, its subsidies and
documents — and Changzhi's answers for the same parks unchanged with it installed."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from core.rules.assessment import GradeRecord
from core.plugin.fingerprints import plain
from core.rules.facts import AgencyFacts, AgencyYearFacts, JurisdictionYearFacts, ParkFacts, ParkYearFacts, SiteFacts
from core.world.samples import sample_history_set, sample_parks
from core.plugin.registry import load_registry
from core.rules.provenance import rule_provenance
from core.rules.criteria import MET, MISSING_DATA, NEEDS_JUDGEMENT, NOT_MET, NOT_MET_WAIVABLE, EvaluationContext
from core.rules.subsidy import SubsidyContext
from core.records.vocab import PUBLIC_SERVICES

ROOT = Path(__file__).resolve().parents[2]
MEASURE = ROOT / "docs" / "examples" / "luzhou-measures.zh.md"
PARAMETER_FILE = ROOT / "plugins" / "luzhou" / "parameters.yaml"
LUZHOU, CHANGZHI = "changzhi-luzhou", "changzhi"
YEAR = 2026  # the year of application: figures of 2025 are read
AS_OF = datetime.date(2026, 6, 30)
OWN = "潞州区办法"


@pytest.fixture(scope="module")
def reg():
    registry = load_registry()
    assert not registry.failures, [str(f) for f in registry.failures]
    return registry


@pytest.fixture(scope="module")
def luzhou(reg):
    return reg.get(LUZHOU)


@pytest.fixture(scope="module")
def changzhi(reg):
    return reg.get(CHANGZHI)


def agency(n, revenue="2000000", pass_through="0", year=YEAR - 1, kind="operating"):
    return AgencyFacts(name=f"机构{n}", kind=kind, admitted_on=datetime.date(2024, 1, 1),
                       years={year: AgencyYearFacts(year, Decimal(revenue), Decimal(pass_through))})


def park(area="1500", sites=None, agencies=None, events=6, operator="company"):
    """A park meeting every computed condition of Luzhou's 第六条 unless told otherwise: one site of
    1500 m², six operating agencies with 200万元 each (1200万元), four public services, six events."""
    return ParkFacts(
        name="潞州测试人力资源服务产业园",
        jurisdiction=LUZHOU,
        sites=sites if sites is not None else [SiteFacts("主园区", Decimal(area), is_core=True)],
        agencies=agencies if agencies is not None else [agency(n) for n in range(6)],
        public_services=PUBLIC_SERVICES.codes(),
        operator_kind=operator,
        operator_name="潞州人力资源产业园运营有限公司",
        years={} if events is None else {YEAR - 1: ParkYearFacts(YEAR - 1, events_held=events)},
    )


def status(j, facts, criterion_id):
    return j.evaluate(facts, YEAR, as_of=AS_OF).by_id(criterion_id)


def own_overrides():
    return yaml.safe_load(PARAMETER_FILE.read_text(encoding="utf-8"))["overrides"]


# --- who it is ------------------------------------------------------------------------------------


def test_luzhou_is_a_county_of_changzhi_with_its_own_measure_and_prefix(reg, luzhou):
    info = luzhou.info
    assert (info.code, info.name, info.name_en, info.parent, info.level) == (LUZHOU, "潞州区", "Luzhou District", CHANGZHI, "county")
    assert info.measures_title == "潞州区人力资源服务产业园认定管理办法（示例）" and info.version == "0.1.0"
    assert "changzhi-luzhou.effective_from" in info.effective_note
    assert LUZHOU in [j.code for j in reg.children(CHANGZHI)] and LUZHOU not in [j.code for j in reg.cities()]
    assert luzhou.recognised_name("高新区人力资源服务产业园") == "潞州高新区人力资源服务产业园"
    assert luzhou.recognised_name("潞州区人力资源服务产业园") == "潞州区人力资源服务产业园"  # prefixed once


def test_the_example_measure_is_marked_fictional():
    text = MEASURE.read_text(encoding="utf-8")
    assert text.startswith("# 潞州区人力资源服务产业园认定管理办法（示例）")
    assert "示例 / FICTIONAL" in text and "虚构示例" in text


def test_its_own_articles_exist_in_its_measure_and_the_inherited_ones_in_changzhis(luzhou):
    measure = MEASURE.read_text(encoding="utf-8")
    changzhi_text = (ROOT.parent / "shared" / "regulations" / "changzhi-measures.zh.txt")
    articles = [p.reference for p in luzhou.parameters] + [c.article for c in luzhou.criteria(RULES_DAY)]
    articles += [m.article for m in luzhou.materials()] + [t.article for t in luzhou.procedure().transitions]
    articles += [c.article for h in sample_history_set() for c in luzhou.consequences(h, RULES_DAY)]
    for article in articles:
        for number in re.findall(r"第([一二三四五六七八九十]+)条", article):
            if article.startswith(OWN):
                assert f"第{number}条" in measure, article
            elif changzhi_text.exists() and "本地默认值" not in article:
                assert f"第{number}条" in changzhi_text.read_text(encoding="utf-8"), article


# --- what it inherits -----------------------------------------------------------------------------


def test_every_number_it_does_not_override_is_changzhis(luzhou, changzhi):
    overridden = set(own_overrides()) | {"min_public_events"}
    inherited = [p for p in luzhou.parameters if p.id not in overridden]
    assert {p.id for p in inherited} == {p.id for p in changzhi.parameters} - overridden
    for p in inherited:
        assert p == changzhi.parameters.get(p.id) and p.source == CHANGZHI


def test_procedure_indicators_tiers_and_ledger_are_changzhis(luzhou, changzhi):
    assert luzhou.procedure() == changzhi.procedure()
    assert luzhou.indicators(RULES_DAY) == changzhi.indicators(RULES_DAY)
    assert luzhou.grade_tiers(RULES_DAY) == changzhi.grade_tiers(RULES_DAY)
    assert luzhou.ledger_categories() == changzhi.ledger_categories()
    scores = {i.id: 89.99 for i in luzhou.indicators(RULES_DAY)}
    assert luzhou.grade(scores, RULES_DAY) == changzhi.grade(scores, RULES_DAY) == (Decimal("89.99"), "qualified")


def test_criteria_are_changzhis_in_order_then_its_own(luzhou, changzhi):
    city = changzhi.criteria(RULES_DAY)
    county = luzhou.criteria(RULES_DAY)
    assert [c.id for c in county] == [c.id for c in city] + ["public_events"]
    for mine, theirs in zip(county, city):
        if mine.id == "branch_sites":
            continue
        assert plain(mine) == plain(theirs) and mine.source == CHANGZHI  # (a judgement's check is a fresh closure)


def test_materials_are_changzhis_but_the_approval_form(luzhou, changzhi):
    county = {m.id: m for m in luzhou.materials()}
    for m in changzhi.materials():
        if m.id == "approval_form":
            assert county[m.id].title == "《潞州区级人力资源服务产业园评估认定审批表》"
            assert county[m.id].article == "潞州区办法第七条第（一）项第2目" and county[m.id].required
        else:
            assert county[m.id] == m
    assert list(county) == [m.id for m in changzhi.materials()]


# --- what it overrides: numbers at both sides of their lines --------------------------------------


def test_each_override_is_luzhous_with_its_article(luzhou, changzhi):
    for pid, entry in own_overrides().items():
        mine, theirs = luzhou.parameters.get(pid), changzhi.parameters.get(pid)
        assert (mine.source, mine.reference) == (LUZHOU, entry["reference"]) and mine.reference.startswith(OWN)
        assert mine.unit == theirs.unit and theirs.source == CHANGZHI
        if pid == "employment_ratio":  # the same 15 %, but of the district's targets (第十条)
            assert mine.at(AS_OF) == theirs.at(AS_OF) and "全区" in mine.description and "全市" in theirs.description
        else:  # a number of its own, or (tier*_min_agencies) the same count of agencies over its own revenue line
            assert mine.at(AS_OF) != theirs.at(AS_OF) or mine.description != theirs.description, pid


@pytest.mark.parametrize("area, county, city", [("1499", NOT_MET_WAIVABLE, NOT_MET_WAIVABLE), ("1500", MET, NOT_MET_WAIVABLE),
                                                ("2999", MET, NOT_MET_WAIVABLE), ("3000", MET, MET)])
def test_single_site_area_not_less_than_1500(luzhou, changzhi, area, county, city):
    assert status(luzhou, park(area=area), "site_area").status == county
    assert status(changzhi, park(area=area), "site_area").status == city
    if county == NOT_MET_WAIVABLE:
        assert "低于1500㎡" in status(luzhou, park(area=area), "site_area").explanation


@pytest.mark.parametrize("core_area, branch_area, expected", [
    ("999", "1001", NOT_MET_WAIVABLE),   # core below 1000
    ("1000", "1000", MET),               # core 1000, total 2000: both lines met exactly
    ("1000", "999", NOT_MET_WAIVABLE),   # total 1999
])
def test_several_sites_core_not_less_than_1000_and_total_not_less_than_2000(luzhou, core_area, branch_area, expected):
    sites = [SiteFacts("核心园区", Decimal(core_area), is_core=True), SiteFacts("分园区", Decimal(branch_area))]
    assert status(luzhou, park(sites=sites), "site_area").status == expected


@pytest.mark.parametrize("branches, county, city", [(2, MET, MET), (3, NOT_MET_WAIVABLE, MET), (4, NOT_MET_WAIVABLE, NOT_MET_WAIVABLE)])
def test_branch_sites_in_principle_at_most_2(luzhou, changzhi, branches, county, city):
    sites = [SiteFacts("核心园区", Decimal("3000"), is_core=True)] + [SiteFacts(f"分园区{n}", Decimal("1000")) for n in range(branches)]
    result = status(luzhou, park(sites=sites), "branch_sites")
    assert result.status == county and result.title == "分园区原则上不超过2个" and result.source == LUZHOU
    assert result.article == "潞州区办法第六条第（二）项"
    assert status(changzhi, park(sites=sites), "branch_sites").title == "分园区原则上不超过3个"
    assert status(changzhi, park(sites=sites), "branch_sites").status == city


@pytest.mark.parametrize("sites, area, branches", [(0, MISSING_DATA, MISSING_DATA), (1, MET, MET), (3, MET, MET),
                                                   (4, MET, NOT_MET_WAIVABLE)])
def test_site_criteria_with_0_1_3_and_4_sites(luzhou, sites, area, branches):
    """issue 11 item 9: the county reads sites as its city does — none recorded: not yet known
    (missing data), not “只设立0个园区” met; 3 sites = 2 branches meets its line of 2, 4 sites do not."""
    recorded = [SiteFacts("核心园区", Decimal("1500"), is_core=True)][:sites] + [
        SiteFacts(f"分园区{n}", Decimal("1000")) for n in range(sites - 1)]
    site_area, branch_sites = status(luzhou, park(sites=recorded), "site_area"), status(luzhou, park(sites=recorded), "branch_sites")
    assert (site_area.status, branch_sites.status) == (area, branches)
    if not sites:
        assert "尚无法判断" in site_area.explanation and "尚无法判断" in branch_sites.explanation
        assert luzhou.evaluate(park(sites=[]), YEAR, as_of=AS_OF).outcome == "incomplete"


@pytest.mark.parametrize("count, expected", [(5, NOT_MET_WAIVABLE), (6, MET)])
def test_agencies_not_fewer_than_6(luzhou, changzhi, count, expected):
    facts = park(agencies=[agency(n, revenue="2500000") for n in range(count)])
    assert status(luzhou, facts, "agency_count").status == expected
    assert status(changzhi, facts, "agency_count").status == NOT_MET_WAIVABLE  # Changzhi: 10


@pytest.mark.parametrize("second, expected", [("4999999.99", NOT_MET_WAIVABLE), ("5000000", MET)])
def test_total_revenue_of_10_million_or_more(luzhou, second, expected):
    """达1000万元以上 includes 1000万: 5,000,000 + 5,000,000 (+ four agencies without revenue). Neither
    agency is over 500万 and only two are over 200万 or 100万, so no other alternative holds."""
    facts = park(agencies=[agency(0, revenue="5000000"), agency(1, revenue=second)] + [agency(n, revenue="0") for n in range(2, 6)])
    result = status(luzhou, facts, "agency_revenue")
    assert result.status == expected
    assert (result.measured["tier1_agencies"], result.measured["tier2_agencies"], result.measured["tier3_agencies"]) == (2, 2, 0)
    assert status(load_registry().get(CHANGZHI), facts, "agency_revenue").status == NOT_MET_WAIVABLE  # Changzhi: 3000万


@pytest.mark.parametrize("revenue, expected", [("1000000", NOT_MET_WAIVABLE), ("1000000.01", MET)])
def test_five_agencies_over_1_million(luzhou, revenue, expected):
    """超过100万元 excludes 100万 itself (five agencies: 500万 in total, under the 1000万 line)."""
    facts = park(agencies=[agency(n, revenue=revenue) for n in range(5)] + [agency(5, revenue="0")])
    result = status(luzhou, facts, "agency_revenue")
    assert result.status == expected and result.measured["tier1_agencies"] == (5 if expected == MET else 0)


@pytest.mark.parametrize("revenue, expected", [("5000000", NOT_MET_WAIVABLE), ("5000000.01", MET)])
def test_one_agency_over_5_million(luzhou, revenue, expected):
    facts = park(agencies=[agency(0, revenue=revenue)] + [agency(n, revenue="0") for n in range(1, 6)])
    assert status(luzhou, facts, "agency_revenue").status == expected


# --- its own condition: 第六条第（六）项 ----------------------------------------------------------


@pytest.mark.parametrize("events, expected", [(5, NOT_MET_WAIVABLE), (6, MET), (7, MET)])
def test_public_events_not_fewer_than_6(luzhou, events, expected):
    result = status(luzhou, park(events=events), "public_events")
    assert result.status == expected
    assert (result.article, result.source, result.measured, result.required) == ("潞州区办法第六条第（六）项", LUZHOU, events, 6)
    if expected == MET:
        assert result.explanation == f"2025年度举办公益性招聘活动{events}场，不少于6场。"
    else:
        assert "少于6场，差1场" in result.explanation and "可经评审记录理由后豁免" in result.explanation


def test_public_events_without_figures_count_as_none(luzhou):
    result = status(luzhou, park(events=None), "public_events")
    assert result.status == NOT_MET_WAIVABLE and result.measured == 0 and "未录入该年度园区数据" in result.explanation


def test_public_events_are_strict_when_article_6_is_not_in_principle(luzhou):
    strict = luzhou.parameters.overridden(
        {"article6_in_principle": {"reference": "第六条", "values": {"2024-01-01": False}}}, {}, "test", "test")
    criterion = next(c for c in luzhou.criteria(RULES_DAY) if c.id == "public_events")
    ctx = EvaluationContext(park(events=5), YEAR, AS_OF, strict, luzhou.info)
    assert criterion.run(ctx).status == NOT_MET
    assert criterion.run(replace(ctx, park=park(events=6))).status == MET


def test_changzhi_does_not_have_it(changzhi):
    assert "public_events" not in {c.id for c in changzhi.criteria(RULES_DAY)} and "min_public_events" not in changzhi.parameters


def test_a_park_meeting_every_county_line_is_only_waiting_for_judgement(luzhou, changzhi):
    county = luzhou.evaluate(park(), YEAR, as_of=AS_OF)
    assert {r.status for r in county.results} == {MET, NEEDS_JUDGEMENT} and county.outcome == "pending"
    city = changzhi.evaluate(park(), YEAR, as_of=AS_OF)
    assert {r.criterion_id for r in city.results if r.status == NOT_MET_WAIVABLE} == {"site_area", "agency_count", "agency_revenue"}


# --- 第二十条 in the district's words --------------------------------------------------------------


def test_consequences_speak_of_the_district_and_otherwise_are_changzhis(luzhou, changzhi):
    for history in sample_history_set():
        mine, theirs = luzhou.consequences(history, RULES_DAY), changzhi.consequences(history, RULES_DAY)
        assert [c.kind for c in mine] == [c.kind for c in theirs if c.kind != "recommend_provincial"]
        for c in mine:
            assert not re.search("市级|全市|省级", c.explanation), c.explanation
            if c.kind in ("commendation", "revoke"):
                assert c.article.startswith(OWN)
            else:
                assert c in theirs
    excellent = {c.kind: c for c in luzhou.consequences([GradeRecord(2025, "excellent")], RULES_DAY)}
    assert excellent["commendation"].explanation == "2025年度考核优秀，予以全区通报表扬"
    twice = luzhou.consequences([GradeRecord(2024, "unqualified", "failed"), GradeRecord(2025, "unqualified", "failed")], RULES_DAY)
    assert "取消潞州区级人力资源服务产业园资格" in next(c for c in twice if c.kind == "revoke").explanation
    assert luzhou.consequences([], RULES_DAY) == []


# --- 第九条、第十条: the district's award and grant ----------------------------------------------


def context(promoted=None, urban=None, rural=0, set_by=LUZHOU, year=2025, grade="qualified", recognised=datetime.date(2025, 3, 1),
            status="active", revoked_on=None):
    facts = park()
    if promoted is not None:
        facts.years[year] = ParkYearFacts(year, employment_promoted=promoted)
    if urban is not None:
        facts.jurisdiction_years[year] = JurisdictionYearFacts(year, {"urban_new_jobs": urban, "rural_transfer": rural}, set_by=set_by)
    return SubsidyContext(park=facts, year=year, recognised_on=recognised, recognition_status=status,
                          grades={year: grade} if grade else {}, revoked_on=revoked_on)


def proposals(luzhou, ctx):
    return {p.kind: p for p in luzhou.subsidies(ctx)}


def test_the_award_is_200_thousand_in_the_year_of_recognition(luzhou):
    award = proposals(luzhou, context())["recognition_award"]
    assert (award.amount, award.due, award.rule_id, award.article, award.source) == (
        Decimal("200000"), True, "changzhi-luzhou.recognition_award", "潞州区办法第九条", LUZHOU)
    assert "潞州区级人力资源服务产业园，区级财政一次性奖励20万元" in award.explanation
    later = proposals(luzhou, context(year=2026))["recognition_award"]
    assert (later.amount, later.due) == (Decimal("0"), False)


@pytest.mark.parametrize("promoted, amount, due", [
    (1499, "0", False),          # the line: 15 % of 10,000 = 1,500 persons (达到 includes it)
    (1500, "100000", True),      # base only
    (1501, "100020", True),      # + 20 yuan a person above
    (6500, "200000", True),      # 100,000 + 5,000 × 20 = 200,000: the cap exactly
    (6501, "200000", True),      # 200,020 capped at 200,000
])
def test_the_grant_against_the_districts_targets(luzhou, promoted, amount, due):
    grant = proposals(luzhou, context(promoted=promoted, urban=7000, rural=3000))["operating_grant"]
    assert (grant.amount, grant.due) == (Decimal(amount), due)
    assert grant.rule_id == "changzhi-luzhou.operating_grant" and grant.article == "潞州区办法第十条"
    assert "全区2025年度任务10000人" in grant.explanation
    if promoted == 6501:
        assert "超过每年补助总额上限20万元，按20万元补助" in grant.explanation


def test_the_citys_targets_do_not_count_for_the_district(luzhou):
    grant = proposals(luzhou, context(promoted=9000, urban=32000, rural=24000, set_by=CHANGZHI))["operating_grant"]
    assert (grant.amount, grant.due) == (Decimal("0"), False)
    assert "未录入潞州区2025年度目标任务" in grant.explanation and "changzhi" in grant.explanation
    given_directly = proposals(luzhou, context(promoted=1500, urban=7000, rural=3000, set_by=""))["operating_grant"]
    assert given_directly.amount == Decimal("100000")  # a dossier's targets are the park's own district's


def test_the_grant_waits_for_the_grade_and_is_held_when_unqualified(luzhou):
    """潞州区办法第二十条 as Changzhi's (issue 11 item 17): a 不合格 year's grant is held while the park rectifies."""
    waiting = proposals(luzhou, context(promoted=2000, urban=7000, rural=3000, grade=None))["operating_grant"]
    assert not waiting.due and "尚未考核" in waiting.explanation
    held = proposals(luzhou, context(promoted=2000, urban=7000, rural=3000, grade="unqualified"))["operating_grant"]
    assert (held.due, held.held, held.withheld, held.article) == (False, True, False, "潞州区办法第十条、第二十条")
    assert held.amount > 0 and "潞州区办法第二十条" in held.explanation


def test_nothing_is_due_before_recognition_or_after_revocation(luzhou):
    for ctx in (context(recognised=None), context(recognised=datetime.date(2026, 1, 5)),
                context(status="revoked", revoked_on=datetime.date(2025, 9, 1))):
        assert not any(p.due for p in luzhou.subsidies(ctx))
    revoked = proposals(luzhou, context(status="revoked", revoked_on=datetime.date(2025, 9, 1)))["recognition_award"]
    assert "区级产业园资格已于2025-09-01取消" in revoked.explanation


# --- Changzhi's results unchanged with Luzhou installed ------------------------------------------


def changzhi_parks():
    return [replace(p, jurisdiction="changzhi-shangdang") for p in sample_parks()] + [
        replace(park(), jurisdiction="changzhi-shangdang"), replace(park(area="3000", events=0), jurisdiction=CHANGZHI)]


def test_changzhis_evaluations_are_the_same_with_and_without_luzhou(registries):
    without, with_luzhou = registries
    for facts in changzhi_parks():
        for year, as_of in ((YEAR, AS_OF), (2025, datetime.date(2025, 12, 31))):
            before = without.get(CHANGZHI).evaluate(facts, year, as_of=as_of).as_dict()
            after = with_luzhou.get(CHANGZHI).evaluate(facts, year, as_of=as_of).as_dict()
            assert before == after


def test_changzhis_other_answers_are_the_same_with_and_without_luzhou(registries):
    without, with_luzhou = registries
    before, after = without.get(CHANGZHI), with_luzhou.get(CHANGZHI)
    assert before.parameters == after.parameters and before.info == after.info
    assert plain(before.criteria(RULES_DAY)) == plain(after.criteria(RULES_DAY)) and before.materials() == after.materials()
    assert before.procedure() == after.procedure() and before.ledger_categories() == after.ledger_categories()
    for history in sample_history_set():
        assert before.consequences(history, RULES_DAY) == after.consequences(history, RULES_DAY)
    ctx = dict(promoted=9000, urban=32000, rural=24000, set_by=CHANGZHI)
    assert before.subsidies(context(**ctx)) == after.subsidies(context(**ctx))
    assert before.recognised_name("上党人力资源服务产业园") == after.recognised_name("上党人力资源服务产业园") == "长治上党人力资源服务产业园"
    assert before.evaluate(park(), YEAR, as_of=AS_OF).by_id("site_area").status == NOT_MET_WAIVABLE  # 1500 < 3000


# --- where each rule comes from -----------------------------------------------------------------


def test_provenance_names_luzhou_for_what_it_changes_and_changzhi_for_the_rest(reg):
    rows = {(r.kind, r.id): r for r in rule_provenance(LUZHOU, reg)}
    own = {key for key, r in rows.items() if not r.inherited}
    assert own == (
        {("parameter", pid) for pid in own_overrides()} | {("parameter", "min_public_events")}
        | {("criterion", "branch_sites"), ("criterion", "public_events"), ("material", "approval_form"),
           ("consequence", "commendation"), ("consequence", "revoke"),
           ("subsidy", "changzhi-luzhou.recognition_award"), ("subsidy", "changzhi-luzhou.operating_grant")}
        | {("template", t.id) for t in reg.get(LUZHOU).document_templates()}
    )
    for key, r in rows.items():
        if r.inherited:
            assert (r.plugin, r.version) == (CHANGZHI, "0.1.0"), key
        else:
            assert (r.plugin, r.version) == (LUZHOU, "0.1.0"), key
    assert rows[("parameter", "single_site_min_area")].article == "潞州区办法第六条第（二）项"
    assert rows[("parameter", "notice_working_days")].article == "第七条第（三）项"
    assert rows[("criterion", "site_area")].plugin == CHANGZHI  # Changzhi's rule, read with Luzhou's number
    changzhi_rows = rule_provenance(CHANGZHI, reg)
    assert changzhi_rows and all(r.plugin == CHANGZHI and not r.inherited for r in changzhi_rows)


def test_provenance_on_the_command_line(reg):
    from click.testing import CliRunner

    from core.io.cli.main import cli

    result = CliRunner().invoke(cli, ["plugin", "provenance", LUZHOU])
    assert result.exit_code == 0, result.output
    assert "潞州区（changzhi-luzhou）" in result.output and "长治市 → 潞州区" in result.output
    assert "changzhi-luzhou 0.1.0" in result.output and "继承 inherited" in result.output
    data = CliRunner().invoke(cli, ["plugin", "provenance", LUZHOU, "--json"])
    import json

    rules = json.loads(data.stdout)["rules"]
    assert {"kind": "criterion", "id": "public_events", "plugin": LUZHOU, "inherited": False}.items() <= next(
        r for r in rules if r["id"] == "public_events").items()
    unknown = CliRunner().invoke(cli, ["plugin", "provenance", "taiyuan"])
    assert unknown.exit_code == 2 and "未知辖区 'taiyuan'" in unknown.output


# --- documents: Changzhi's templates under the district's header ---------------------------------


def test_every_changzhi_template_is_issued_under_luzhous_header_but_the_public_notice(changzhi_documents):
    templates = {t.id: t for t in load_registry().get(LUZHOU).document_templates()}
    assert list(templates) == [t.id for t in changzhi_documents]
    for city in changzhi_documents:
        mine = templates[city.id]
        assert mine.source == LUZHOU and mine.record_kind == city.record_kind
        assert "市级" not in mine.title
        if city.id == "changzhi.public_notice":  # 潞州区办法第七条第（三）项: the city bureau publishes it
            assert (mine.issuer, mine.header, mine.path) == ("长治市人力资源和社会保障局", "", city.path)
            continue
        assert (mine.issuer, mine.header) == ("潞州区人力资源和社会保障局", "潞州区人力资源和社会保障局文件")
        assert mine.number_prefix == ("潞人社发" if city.number_prefix else "")
        if city.id == "changzhi.approval_reply":  # Luzhou's own blocks over Changzhi's reply (第七条第（四）项)
            assert mine.path.parent == ROOT / "plugins" / "luzhou" / "templates" and mine.path.is_file()
            assert mine.parent_templates == city.path.parent and mine.reword is None
        else:  # Changzhi's one file, read in the district's words: no copy of it
            assert mine.path == city.path and mine.reword is not None
        assert mine.article.startswith(OWN)


def document_text(path):
    return path.read_text(encoding="utf-8")


def test_luzhou_rewords_changzhis_files_instead_of_copying_them():
    templates = load_registry().get(LUZHOU).document_templates()
    reworded = [t for t in templates if t.reword is not None]
    assert sorted(t.id for t in reworded) == ["changzhi.approval_form", "changzhi.assessment_result",
                                              "changzhi.rectification_notice", "changzhi.subsidy_sheet"]
    own = sorted(p.name for p in (ROOT / "plugins" / "luzhou" / "templates").iterdir())
    assert own == ["approval_reply.html"]
    for template in reworded:
        path = template.path
        assert path.parent == ROOT / "plugins" / "changzhi" / "templates"
        city_text, text = document_text(path), template.reword(document_text(path))
        assert "市级人力资源服务产业园" in city_text and text != city_text
        # (“积极申报市级人力资源服务产业园” is the district park's next step, not a city document)
        assert not re.search("(?<!申报)市级人力资源服务产业园|全市|市级财政|市级就业补助资金", text), path.name


# --- in the database: parks of the county, on SQLite and PostgreSQL ------------------------------


def test_targets_know_who_set_them(db, registry):
    from core.rules.facts import load_park_facts
    from core.records.models import JurisdictionYear, Park, Site
    from core.plugin.registry import sync_jurisdictions

    rows = sync_jurisdictions(registry)
    JurisdictionYear.create(jurisdiction=rows[CHANGZHI], year=2025, facts={"urban_new_jobs": 32000, "rural_transfer": 24000})
    JurisdictionYear.create(jurisdiction=rows[CHANGZHI], year=2026, facts={"urban_new_jobs": 33000, "rural_transfer": 24000})
    JurisdictionYear.create(jurisdiction=rows[LUZHOU], year=2025, facts={"urban_new_jobs": 7000, "rural_transfer": 3000})
    county_park = Park.create(jurisdiction=rows[LUZHOU], name="潞州园")
    city_park = Park.create(jurisdiction=rows[CHANGZHI], name="市直园")
    Site.create(park=county_park, name="主园区", is_core=True, floor_area=Decimal("1500"))
    facts = load_park_facts()
    county = facts[county_park.id].jurisdiction_years
    assert (county[2025].set_by, sum(county[2025].facts.values()), county[2026].set_by) == (LUZHOU, 10000, CHANGZHI)
    assert facts[city_park.id].jurisdiction_years[2025].set_by == CHANGZHI


def test_a_park_of_the_county_is_judged_by_the_countys_rules_and_a_district_without_measures_by_the_citys(db, registry):
    from core.records.models import Jurisdiction, Park, ParkYear, Site, Agency, AgencyYear
    from core.plugin.registry import rules_for, sync_jurisdictions
    from core.rules.facts import load_park_facts

    rows = sync_jurisdictions(registry)
    shangdang = Jurisdiction.create(code="changzhi-shangdang", name_zh="上党区", level="county", parent=rows[CHANGZHI])
    parks = {}
    for row in (rows[LUZHOU], shangdang):
        p = Park.create(jurisdiction=row, name=f"{row.name_zh}园", public_services=PUBLIC_SERVICES.codes(), operator_kind="company")
        Site.create(park=p, name="主园区", is_core=True, floor_area=Decimal("1500"))
        ParkYear.create(park=p, year=YEAR - 1, events_held=6)
        for n in range(6):
            a = Agency.create(park=p, name=f"机构{n}", licence_no=f"L{p.id}-{n}", admitted_on=datetime.date(2024, 1, 1))
            AgencyYear.create(agency=a, year=YEAR - 1, revenue=Decimal("2000000"))
        parks[row.code] = p
    facts = load_park_facts()
    county = rules_for(rows[LUZHOU], registry).evaluate(facts[parks[LUZHOU].id], YEAR, as_of=AS_OF)
    district = rules_for(shangdang, registry).evaluate(facts[parks["changzhi-shangdang"].id], YEAR, as_of=AS_OF)
    assert county.jurisdiction == LUZHOU and district.jurisdiction == CHANGZHI
    assert {r.status for r in county.results} == {MET, NEEDS_JUDGEMENT}
    assert district.by_id("site_area").status == NOT_MET_WAIVABLE and "public_events" not in {r.criterion_id for r in district.results}


def test_documents_of_a_county_park_render_from_the_database(db, tmp_path, changzhi_documents, with_registry):
    from core.io.documents.registry import render
    from core.world.sample_records import build_sample_records

    reg = with_registry(load_registry())
    records = build_sample_records(reg.get(LUZHOU), reg, tmp_path)
    html = render("changzhi.approval_reply", records["recognition"].id, "html")[0].decode("utf-8")
    for text in ("潞州区人力资源和社会保障局文件", "潞人社发〔2025〕", "为潞州区级人力资源服务产业园的批复", "一次性奖励20万元",
                 "人民币贰拾万元整", "由区级财政给予10万元基础运营经费补助", "每年补助总额不超过20万元", "“潞州示例人力资源服务产业园”"):
        assert text in html, text
    assert "市级" not in html.split("</style>")[-1]
    docx, filename, _ = render("changzhi.approval_reply", records["recognition"].id, "docx")
    assert filename.startswith("潞州区级人力资源服务产业园认定批复") and docx[:2] == b"PK"
    body = document_text_bytes(docx)
    assert "潞州区人力资源和社会保障局文件" in body and "一次性奖励20万元" in body
    sheet = render("changzhi.subsidy_sheet", records["subsidy"].id, "html")[0].decode("utf-8")
    assert "区级就业补助资金" in sheet and "市级" not in sheet.split("</style>")[-1]
    notice = render("changzhi.public_notice", records["notice"].id, "html")[0].decode("utf-8")
    assert "长治市人力资源和社会保障局" in notice


def document_text_bytes(data):
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_the_demo_parks_of_luzhou_pass_its_criteria_and_changzhis_are_unchanged(db, registry, registries):
    from core.world.demo import build_demo_data
    from core.rules.facts import load_park_facts
    from core.records.models import Application, Jurisdiction, Park, Subsidy

    build_demo_data(today=datetime.date(2026, 11, 22))
    without, _ = registries
    facts = load_park_facts()
    luzhou_parks = list(Park.select().join(Jurisdiction).where(Jurisdiction.code == LUZHOU).order_by(Park.id))
    assert len(luzhou_parks) == 2
    for p in luzhou_parks:
        application = Application.get(Application.park == p)
        evaluation = registry.get(LUZHOU).evaluate(facts[p.id], application.year)
        assert not [r for r in evaluation.results if r.status in (NOT_MET, NOT_MET_WAIVABLE)], evaluation.as_dict()
    award = Subsidy.get((Subsidy.park == luzhou_parks[0]) & (Subsidy.kind == "recognition_award"))
    assert (award.amount, award.rule_id, award.status) == (Decimal("200000.00"), "changzhi-luzhou.recognition_award", "paid")
    for p in Park.select():
        code = facts[p.id].jurisdiction
        if code.startswith("changzhi-") and code != LUZHOU:  # districts governed by Changzhi's measures
            year = Application.get(Application.park == p).year
            assert (registry.get(CHANGZHI).evaluate(facts[p.id], year, as_of=AS_OF).as_dict()
                    == without.get(CHANGZHI).evaluate(facts[p.id], year, as_of=AS_OF).as_dict())
