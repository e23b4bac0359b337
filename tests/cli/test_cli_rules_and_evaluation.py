"""`hrpark plugins / rules / evaluate / whatif / subsidy / schema`: what they print, in text and JSON,
and how they refuse bad input (exit status 2, every problem by its path)."""
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from core.plugin.registry import Registry, load_registry, set_registry

YEAR = ("--year", "2026", "--as-of", "2026-06-30")  # figures of 2025 are read


def parsed(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def statuses(evaluation_json):
    return {r["id"]: r["status"] for r in evaluation_json["results"]}


# --- plugins --------------------------------------------------------------------------------------


def test_plugins_lists_both_cities_with_version_measures_and_unset_dates(run):
    result = run("plugins")
    assert result.exit_code == 0, result.output
    for text in ("长治市", "changzhi", "克拉玛依市", "karamay", "0.1.0", "《长治市级人力资源服务产业园管理办法（试行）》", "第二十五条"):
        assert text in result.stdout
    assert "由部署设置，尚未录入" in result.stdout


def test_plugins_json_is_the_tree_with_effective_dates(run):
    data = parsed(run("plugins", "--json"))
    codes = {j["code"]: j for j in data["jurisdictions"]}  # the cities; a county is among its city's children
    assert set(codes) == {"changzhi", "karamay"}
    assert codes["karamay"]["measures_title"] == "克拉玛依市级人力资源服务产业园建设管理办法"
    assert codes["karamay"]["children"] == [] and data["failures"] == []


def test_plugins_shows_dates_entered_as_deployment_settings(run, registry, monkeypatch):
    monkeypatch.setenv("HRPARK_KARAMAY_EFFECTIVE_FROM", "2025-03-01")
    set_registry(load_registry())  # the dates are read when the plugins load
    try:
        data = parsed(run("plugins", "--json"))
    finally:
        set_registry(registry)
    karamay = next(j for j in data["jurisdictions"] if j["code"] == "karamay")
    assert (karamay["effective_from"], karamay["effective_until"]) == ("2025-03-01", "2027-02-28")
    assert karamay["effective"] == "2025-03-01 至 2027-02-28"


def test_plugins_reports_a_plugin_that_failed_to_load(run, registry):
    broken = Registry()
    for j in registry:
        broken.jurisdictions[j.code] = j
    broken.add("luzhou", object())  # not a plugin: its hooks answer nothing
    set_registry(broken)
    try:
        result = run("plugins")
    finally:
        set_registry(registry)
    assert result.exit_code == 0
    assert "加载失败的插件 / Plugins that failed to load" in result.stdout
    assert "luzhou" in result.stdout


def test_plugins_shows_a_county_under_its_city(run, registry):
    from dataclasses import replace

    from plugins.changzhi import ChangzhiPlugin

    class TestCountyPlugin(ChangzhiPlugin):
        code = "changzhi-testcounty"
        parent_code = "changzhi"
        version = "9.9.9"

        def build_info(self):
            return replace(super().build_info(), code=self.code, name="测试县", name_en="Test County",
                           parent="changzhi", level="county", version=self.version)

    with_county = Registry()
    for j in registry:
        with_county.jurisdictions[j.code] = j
    with_county.add("changzhi-testcounty", TestCountyPlugin())
    set_registry(with_county)
    try:
        text = run("plugins").stdout
        data = parsed(run("plugins", "--json"))
    finally:
        set_registry(registry)
    changzhi = next(j for j in data["jurisdictions"] if j["code"] == "changzhi")
    county = next(c for c in changzhi["children"] if c["code"] == "changzhi-testcounty")
    assert (county["version"], county["level"], county["parent"]) == ("9.9.9", "county", "changzhi")
    assert "└ 测试县" in text and text.index("长治市") < text.index("└ 测试县") < text.index("克拉玛依市")


# --- rules ----------------------------------------------------------------------------------------


def test_rules_prints_parameters_criteria_procedure_assessment_and_ledger(run):
    result = run("rules", "changzhi")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "single_site_min_area", "3000", "第六条第（二）项", "本地默认值", "办法规定",  # parameters
        "branch_sites", "原则上，可豁免", "需评审判断",  # criteria
        "申请函件",  # materials
        "draft → county_review", "产业园运营方", "materials_complete", "公示期：5个工作日",  # procedure
        "economic_development", "优秀 excellent",  # assessment
        "outside_fund_scope", "禁止 forbidden",  # ledger
    ):
        assert text in out, text


def test_rules_json_has_every_section(run):
    data = parsed(run("rules", "karamay", "--json"))
    parameters = {p["id"]: p for p in data["parameters"]}
    assert parameters["min_total_revenue"]["value"] == "50000000"
    assert parameters["min_total_revenue"]["reference"] == "第五条第（三）项"
    assert parameters["min_total_revenue"]["local_default"] is False
    assert parameters["grade_excellent_min"]["local_default"] is True
    assert parameters["min_total_floor_area"]["source"] == "karamay"
    criteria = {c["id"]: c for c in data["criteria"]}
    assert criteria["agency_diversity"]["judgement"] is True and criteria["floor_area"]["waivable"] is False
    assert data["procedure"]["filer_role"] == "county_officer"
    recognise = next(t for t in data["procedure"]["transitions"] if t["id"] == "recognise")
    assert recognise["guards"] == ["notice_period_over", "no_objections", "recognise"]
    assert recognise["roles"] == ["city_officer"]
    assert {i["id"] for i in data["indicators"]} >= {"agencies", "revenue", "social_benefit"}
    assert [t["grade"] for t in data["grade_tiers"]] == ["excellent", "qualified", "unqualified"]
    assert {c["id"]: c["allowed"] for c in data["ledger_categories"]}["staff_wages"] is False
    assert {m["id"] for m in data["materials"]} >= {"application_report", "agency_financials"}


def test_rules_of_an_unknown_code_exit_2(run):
    result = run("rules", "taiyuan")
    assert result.exit_code == 2
    assert "未知辖区 'taiyuan'" in result.stderr and "changzhi" in result.stderr and "karamay" in result.stderr


# --- evaluate ---------------------------------------------------------------------------------


def test_evaluate_changzhi_example_meets_everything_but_judgement(run, build):
    result = run("evaluate", "changzhi", build.example("changzhi-park.json"), *YEAR)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("第六条第（二）项", "第六条第（五）项", "符合", "需评审判断", "营业收入取2025年", "待评审"):
        assert text in out, text
    assert "不符合" not in out


def test_evaluate_json_one_row_per_criterion(run, build):
    data = parsed(run("evaluate", "changzhi", build.example("changzhi-park.json"), *YEAR, "--json"))
    assert data["jurisdiction"] == "changzhi" and data["year"] == 2026 and data["as_of"] == "2026-06-30"
    assert statuses(data) == {
        "planning_report": "needs_judgement",
        "site_area": "met",
        "branch_sites": "met",
        "facilities": "needs_judgement",
        "agency_count": "met",
        "agency_revenue": "met",
        "public_services": "met",
        "integrity": "needs_judgement",
        "operator": "met",
        "social_benefit": "needs_judgement",
    }
    assert data["outcome"] == "pending"
    site_area = next(r for r in data["results"] if r["id"] == "site_area")
    assert "核心园区面积2650㎡，不少于2000㎡" in site_area["explanation"]
    revenue = next(r for r in data["results"] if r["id"] == "agency_revenue")
    assert revenue["article"] == "第六条第（三）项" and revenue["status_label"] == "符合"
    assert isinstance(revenue["measured"]["total_revenue"], str)  # Decimal as an exact string
    assert data["warnings"]  # the start date of the measures is not entered


def test_evaluate_karamay_example_meets_everything_but_judgement(run, build):
    data = parsed(run("evaluate", "karamay", build.example("karamay-park.json"), *YEAR, "--json"))
    computed = {k: v for k, v in statuses(data).items() if v != "needs_judgement"}
    assert set(computed.values()) == {"met"}
    assert set(computed) == {"floor_area", "public_services", "operating_agencies", "agency_revenue", "operator", "district_support"}
    assert data["outcome"] == "pending"


def test_evaluate_four_branches_is_not_met_but_waivable(run, build):
    path = build.example("changzhi-four-branches.json")
    data = parsed(run("evaluate", "changzhi", path, *YEAR, "--json"))
    assert statuses(data)["branch_sites"] == "not_met_waivable"
    assert {k for k, v in statuses(data).items() if v in ("not_met", "not_met_waivable")} == {"branch_sites"}
    text = run("evaluate", "changzhi", path, *YEAR).stdout
    assert "不符合（原则上，可豁免）" in text and "分园区4个，超过3个，多1个" in text


def test_evaluate_counts_agencies_on_the_as_of_day(run, build, write_dossier):
    data = build.dossier()
    for a in data["agencies"][:3]:
        a["exited_on"] = "2026-05-31"  # 12 - 3 = 9 after that day
    path = write_dossier(data)
    before = parsed(run("evaluate", "changzhi", path, "--year", "2026", "--as-of", "2026-05-30", "--json"))
    after = parsed(run("evaluate", "changzhi", path, "--year", "2026", "--as-of", "2026-05-31", "--json"))
    assert statuses(before)["agency_count"] == "met"
    assert statuses(after)["agency_count"] == "not_met_waivable"


def test_issue_11_item_3_the_as_of_day_is_typed_as_people_write_it(run, build):
    path = build.example("changzhi-park.json")
    iso = parsed(run("evaluate", "changzhi", path, "--year", "2026", "--as-of", "2026-06-30", "--json"))
    for typed in ("2026年6月30日", "2026/6/30"):
        assert parsed(run("evaluate", "changzhi", path, "--year", "2026", "--as-of", typed, "--json")) == iso


def test_evaluate_a_dossier_of_another_city_says_it_is_a_what_if(run, build):
    result = run("evaluate", "karamay", build.example("changzhi-park.json"), *YEAR)
    assert result.exit_code == 0
    assert "档案所属辖区为 changzhi" in result.stdout


# --- what-if: the same park under both cities -------------------------------------------------------


def pass_through_park(build):
    """40,000,000 of 2025 revenue, 12,000,000 of it collected and paid on behalf (代收代付)."""
    agencies = [build.agency(i, 2_800_000, 1_200_000) for i in range(1, 11)]
    return build.dossier(agencies=agencies)


@pytest.mark.parametrize("command", [("whatif",), ("evaluate", "all")])
def test_whatif_pass_through_counted_by_changzhi_not_by_karamay(run, build, write_dossier, command):
    path = write_dossier(pass_through_park(build))
    data = parsed(run(*command, path, *YEAR, "--json"))
    by_code = {e["jurisdiction"]: e for e in data["evaluations"]}
    assert {"changzhi", "karamay"} <= set(by_code)  # and any county installed
    assert statuses(by_code["changzhi"])["agency_revenue"] == "met"
    assert statuses(by_code["karamay"])["agency_revenue"] == "not_met"
    assert (by_code["changzhi"]["outcome"], by_code["karamay"]["outcome"]) == ("pending", "not_eligible")
    karamay_revenue = next(r for r in by_code["karamay"]["results"] if r["id"] == "agency_revenue")
    assert "不含代收代付" in karamay_revenue["explanation"]
    changzhi_revenue = next(r for r in by_code["changzhi"]["results"] if r["id"] == "agency_revenue")
    assert changzhi_revenue["measured"]["total_revenue"] == "40000000.00"


def test_whatif_text_shows_both_cities_side_by_side(run, build, write_dossier, registry):
    result = run("whatif", write_dossier(pass_through_park(build)), *YEAR)
    assert result.exit_code == 0, result.output
    summary = result.stdout.split("=" * 20)[0]
    assert "长治市" in summary and "克拉玛依市" in summary
    assert "不符合认定条件" in summary and "待评审" in summary
    assert "第五条第（三）项 入驻经营性机构上一年度" in summary
    assert result.stdout.count("结论 / Outcome") == len(registry.codes())


def test_whatif_example_file_differs_between_the_cities(run, build):
    data = parsed(run("whatif", build.example("whatif-pass-through.json"), *YEAR, "--json"))
    outcomes = {e["jurisdiction"]: e["outcome"] for e in data["evaluations"]}
    assert (outcomes["changzhi"], outcomes["karamay"]) == ("pending", "not_eligible")


# --- subsidy ----------------------------------------------------------------------------------------


def test_subsidy_changzhi_award_and_operating_grant_in_the_recognition_year(run, build):
    result = run("subsidy", "changzhi", build.example("changzhi-park.json"), "--year", "2025")
    assert result.exit_code == 0, result.output
    for text in ("第九条", "800,000.00", "第十条", "309,600.00", "超出320人×30元", "合计应发 / Total due: 1,109,600.00 元"):
        assert text in result.stdout, text


def test_subsidy_json_amounts_are_decimal_strings(run, build):
    data = parsed(run("subsidy", "changzhi", build.example("changzhi-park.json"), "--year", "2025", "--json"))
    amounts = {p["rule_id"]: (p["amount"], p["due"], p["withheld"]) for p in data["proposals"]}
    assert amounts == {
        "changzhi.recognition_award": ("800000.00", True, False),
        "changzhi.operating_grant": ("309600.00", True, False),
    }
    assert data["total_due"] == "1109600.00"
    assert data["grades"] == {"2025": "qualified"} and data["recognised_on"] == "2025-06-18"


def test_subsidy_withheld_in_an_unqualified_year(run, build, write_dossier):
    data = build.example_data("karamay-park.json")
    data["assessments"] = [{"year": 2025, "grade": "unqualified", "rectification": "pending"}]
    result = parsed(run("subsidy", "karamay", write_dossier(data), "--year", "2025", "--json"))
    (proposal,) = result["proposals"]
    assert (proposal["amount"], proposal["withheld"]) == ("0.00", True)
    assert result["total_due"] == "0.00"


def test_subsidy_karamay_first_year_when_excellent(run, build):
    result = run("subsidy", "karamay", build.example("karamay-park.json"), "--year", "2025")
    assert result.exit_code == 0, result.output
    assert "500,000.00" in result.stdout and "第1年（共3年）" in result.stdout


def test_subsidy_without_recognition_is_not_due(run, build, write_dossier):
    data = parsed(run("subsidy", "karamay", write_dossier(build.dossier()), "--year", "2025", "--json"))
    assert data["recognised_on"] is None
    assert all(not p["due"] for p in data["proposals"]) and data["total_due"] == "0.00"


def test_subsidy_needs_a_year(run, build):
    result = run("subsidy", "changzhi", build.example("changzhi-park.json"))
    assert result.exit_code == 2 and "--year" in result.output


# --- bad input: exit 2, every problem by its path ---------------------------------------------------


def test_malformed_json_exit_2_with_line_and_column(run, write_dossier):
    result = run("evaluate", "changzhi", write_dossier('{"format": "hrpark-dossier/1",\n  "park": {,}}'), *YEAR)
    assert result.exit_code == 2
    assert "JSON 格式错误（第2行" in result.stderr and "Malformed JSON at line 2" in result.stderr


def test_schema_errors_exit_2_listing_every_path(run, build, write_dossier):
    data = build.dossier()
    data["agencies"][3]["years"][0]["revenue"] = "abc"
    data["agencies"][7]["years"][0]["revenue"] = -5
    data["agencies"][8]["licence_no"] = data["agencies"][1]["licence_no"]
    data["park"]["operator"]["kind"] = "council"
    result = run("evaluate", "changzhi", write_dossier(data), *YEAR)
    assert result.exit_code == 2
    err = result.stderr
    assert "输入有误（4处） / Bad input (4)" in err
    assert "agencies.3.years.0.revenue: 不是有效的数字 / Not a valid number." in err
    assert "agencies.7.years.0.revenue: 不能为负数 / Must not be negative." in err
    assert "agencies.8.licence_no: 与 agencies.1 的许可证/备案编号重复" in err
    assert "park.operator.kind: “council”不是有效的代码" in err
    assert result.stdout == ""


def test_unknown_jurisdiction_code_exit_2(run, build):
    result = run("evaluate", "beijing", build.example("changzhi-park.json"), *YEAR)
    assert result.exit_code == 2 and "未知辖区 'beijing'" in result.stderr


def test_missing_file_exit_2(run, tmp_path):
    result = run("evaluate", "changzhi", tmp_path / "nowhere.json")
    assert result.exit_code == 2 and "文件不存在" in result.stderr and "File not found" in result.stderr


@pytest.mark.parametrize("option, value, message", [
    ("--year", "1989", "年份应在1990至2100之间"),
    ("--year", "二〇二六", "不是年份"),
    ("--as-of", "2026-02-30", "不是有效的日期，可写作 2025-03-01、2025-3-1、2025/3/1 或 2025年3月1日"),  # issue 11 item 3
])
def test_bad_options_exit_2_with_a_bilingual_message(run, build, option, value, message):
    result = run("evaluate", "changzhi", build.example("changzhi-park.json"), option, value)
    assert result.exit_code == 2 and message in result.output


# --- schema and the database not touched ---------------------------------------------------------


def test_schema_dossier_prints_a_valid_json_schema(run, build):
    schema = parsed(run("schema", "dossier"))
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["park"]["properties"]["build_mode"]["enum"] == ["new", "conversion"]
    assert list(Draft202012Validator(schema).iter_errors(build.example_data("karamay-park.json"))) == []


def test_rules_and_evaluate_do_not_create_a_database(run, build, tmp_path):
    assert run("rules", "changzhi").exit_code == 0
    assert run("evaluate", "changzhi", build.example("changzhi-park.json"), *YEAR).exit_code == 0
    assert run("--database", f"sqlite:///{tmp_path / 'named.db'}", "plugins").exit_code == 0
    assert not (Path(tmp_path) / "instance").exists()
    assert not (Path(tmp_path) / "named.db").exists()


def test_a_day_with_no_parameter_values_is_bad_input_naming_the_option(run, build):
    result = run("evaluate", "karamay", build.example("karamay-park.json"), "--year", "2021", "--as-of", "2021-03-01")
    assert result.exit_code == 2
    assert "--as-of: 该日期不在办法参数的有效期内" in result.stderr and "2021-03-01" in result.stderr
