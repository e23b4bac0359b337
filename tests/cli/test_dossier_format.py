"""The dossier format (core.io.dossier): typed loading, every error named by its path, the JSON Schema."""
import datetime
import json
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from core.io.dossier import (
    DossierError,
    dossier_json_schema,
    facts_to_dossier,
    load_dossier,
    load_dossier_file,
    normalise_dossier,
    read_json,
)

EXAMPLE_FILES = ["changzhi-park.json", "karamay-park.json", "changzhi-four-branches.json", "whatif-pass-through.json"]


def errors_of(data):
    with pytest.raises(DossierError) as caught:
        load_dossier(data)
    return dict(caught.value.errors)


def validator():
    schema = dossier_json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- the examples -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_examples_validate_against_the_json_schema(build, name):
    assert list(validator().iter_errors(build.example_data(name))) == []


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_examples_load_as_facts(build, name):
    facts, extras = load_dossier_file(build.example(name))
    assert facts.name and facts.sites and len(facts.agencies) >= 10
    assert extras.jurisdiction in ("changzhi", "karamay")


def test_changzhi_example_has_two_sites_and_twelve_agencies_with_two_years(build):
    facts, extras = load_dossier_file(build.example("changzhi-park.json"))
    assert len(facts.sites) == 2 and len(facts.core_sites()) == 1
    assert len(facts.agencies) == 12
    assert all(set(a.years) == {2024, 2025} for a in facts.agencies)
    assert extras.recognised_on == datetime.date(2025, 6, 18)
    assert extras.grades == {2025: "qualified"}


def test_four_branches_example_has_four_branch_sites(build):
    facts = load_dossier_file(build.example("changzhi-four-branches.json"))[0]
    assert len(facts.branch_sites()) == 4


def test_json_schema_refuses_what_the_loader_refuses(build):
    v = validator()
    negative = build.dossier()
    negative["agencies"][0]["years"][0]["revenue"] = -1
    unknown_code = build.dossier()
    unknown_code["park"]["public_services"] = ["employment"]
    no_name = build.dossier()
    del no_name["park"]["name"]
    misspelt = build.dossier()
    misspelt["park"]["adress"] = "x"
    for bad in (negative, unknown_code, no_name, misspelt):
        assert list(v.iter_errors(bad)), bad
        with pytest.raises(DossierError):
            load_dossier(bad)


def test_json_schema_accepts_money_as_number_or_decimal_string(build):
    data = build.dossier()
    data["agencies"][0]["years"][0]["revenue"] = 1234.5
    data["agencies"][1]["years"][0]["revenue"] = "1234.50"
    assert list(validator().iter_errors(data)) == []


# --- types ----------------------------------------------------------------------------------------


def test_money_numbers_are_read_through_str_never_as_binary_floats(build):
    data = build.dossier(agencies=[build.agency(1, 0)])
    data["agencies"][0]["years"][0]["revenue"] = 0.1
    data["agencies"][0]["years"][0]["pass_through"] = 0.2
    figures = load_dossier(data)[0].agencies[0].years[2025]
    assert figures.revenue_with_pass_through == Decimal("0.30")
    assert isinstance(figures.revenue, Decimal)


def test_read_json_keeps_decimals_exact(tmp_path, build):
    path = tmp_path / "d.json"
    path.write_text(json.dumps(build.dossier()).replace('"3200"', "3200.10"), encoding="utf-8")
    facts = load_dossier(read_json(path))[0]
    assert facts.sites[0].floor_area == Decimal("3200.10")


def test_money_two_decimal_places_allowed_three_refused(build):
    ok = build.dossier()
    ok["agencies"][0]["years"][0]["revenue"] = "1.23"
    assert load_dossier(ok)[0].agencies[0].years[2025].revenue == Decimal("1.23")
    bad = build.dossier()
    bad["agencies"][0]["years"][0]["revenue"] = "1.234"
    assert errors_of(bad) == {"agencies.0.years.0.revenue": "最多两位小数 / At most two decimal places."}


def test_money_zero_allowed_negative_refused(build):
    ok = build.dossier()
    ok["agencies"][0]["years"][0]["revenue"] = 0
    assert load_dossier(ok)[0].agencies[0].years[2025].revenue == Decimal("0")
    bad = build.dossier()
    bad["agencies"][3]["years"][0]["revenue"] = "-0.01"
    assert errors_of(bad) == {"agencies.3.years.0.revenue": "不能为负数 / Must not be negative."}


def test_wrong_types_are_all_named_by_path_chinese_first(build):
    data = build.dossier()
    data["agencies"][3]["years"][0]["revenue"] = "三百万"
    data["agencies"][0]["years"][0]["employment_helped"] = 1.5
    data["sites"][0]["core"] = "yes"
    data["sites"][0]["floor_area"] = True
    data["park"]["registration_date"] = "2021/03/01"
    data["park"]["public_services"] = "employment_entrepreneurship"
    errors = errors_of(data)
    assert errors == {
        "park.registration_date": "不是有效的日期，应为 YYYY-MM-DD / Not a valid date (YYYY-MM-DD).",
        "park.public_services": "应为数组 […] / Not a valid list.",
        "sites.0.core": "应为 true 或 false / Not a valid boolean (true or false).",
        "sites.0.floor_area": "不是有效的数字 / Not a valid number.",
        "agencies.0.years.0.employment_helped": "不是有效的整数 / Not a valid integer.",
        "agencies.3.years.0.revenue": "不是有效的数字 / Not a valid number.",
    }


def test_unknown_vocabulary_codes_name_the_valid_ones(build):
    data = build.dossier()
    data["park"]["build_mode"] = "rebuilt"
    data["agencies"][2]["service_lines"] = ["recruitment", "hunting"]
    data["agencies"][1]["kind"] = "private"
    errors = errors_of(data)
    assert set(errors) == {"park.build_mode", "agencies.2.service_lines.1", "agencies.1.kind"}
    assert errors["park.build_mode"].startswith("“rebuilt”不是有效的代码，可选：new（新建）、conversion（改建）")
    assert "operating, public" in errors["agencies.1.kind"]


def test_unknown_fields_are_refused_by_path(build):
    data = build.dossier()
    data["sites"][0]["area"] = 10
    data["extra"] = 1
    errors = errors_of(data)
    assert errors == {
        "sites.0.area": "未知字段（请核对拼写） / Unknown field (check the spelling).",
        "extra": "未知字段（请核对拼写） / Unknown field (check the spelling).",
    }


def test_required_fields_and_format_marker(build):
    errors = errors_of({"format": "hrpark-dossier/3", "park": {}, "sites": [{"name": "a"}]})
    assert errors == {
        "format": "应为 hrpark-dossier/2 / Must be hrpark-dossier/2.",
        "jurisdiction": "缺少必填字段 / Missing data for required field.",
        "park.name": "缺少必填字段 / Missing data for required field.",
        "sites.0.floor_area": "缺少必填字段 / Missing data for required field.",
    }


def test_blank_names_refused(build):
    data = build.dossier()
    data["park"]["name"] = "   "
    assert errors_of(data) == {"park.name": "不能为空 / May not be blank."}


def test_a_file_that_is_not_an_object_is_refused():
    assert errors_of([1, 2]) == {"": "应为对象 {…} / Not a JSON object."}


@pytest.mark.parametrize("year, ok", [(1989, False), (1990, True), (2100, True), (2101, False)])
def test_years_between_1990_and_2100_inclusive(build, year, ok):
    data = build.dossier()
    data["park_years"][0]["year"] = year
    if ok:
        assert year in load_dossier(data)[0].years
    else:
        assert errors_of(data) == {"park_years.0.year": "年份应在1990至2100之间 / Year must be between 1990 and 2100."}


# --- cross-item checks ----------------------------------------------------------------------------


def test_duplicate_licence_numbers_refused_empty_ones_allowed(build):
    data = build.dossier()
    data["agencies"][5]["licence_no"] = data["agencies"][2]["licence_no"]
    assert errors_of(data) == {
        "agencies.5.licence_no": "与 agencies.2 的许可证/备案编号重复 / Same licence number as agencies.2."
    }
    blank = build.dossier()
    blank["agencies"][0]["licence_no"] = ""
    blank["agencies"][1]["licence_no"] = ""
    assert len(load_dossier(blank)[0].agencies) == 12


def test_duplicate_site_names_refused(build):
    data = build.dossier()
    data["sites"].append({"name": " 主园区 ", "floor_area": 100})
    assert errors_of(data) == {"sites.1.name": "与 sites.0 的名称重复 / Same name as sites.0."}


def test_one_figure_per_agency_and_year(build):
    data = build.dossier()
    data["agencies"][4]["years"].append({"year": 2025, "revenue": 1})
    assert errors_of(data) == {
        "agencies.4.years.1.year": "与本机构 years.0 的年份重复 / Same year as years.0 of this agency."
    }
    other_year = build.dossier()
    other_year["agencies"][4]["years"].append({"year": 2024, "revenue": 1})
    assert set(load_dossier(other_year)[0].agencies[4].years) == {2024, 2025}


def test_duplicate_years_of_park_targets_and_assessments_refused(build):
    data = build.dossier(assessments=[{"year": 2025, "grade": "qualified"}, {"year": 2025, "grade": "excellent"}])
    data["park_years"].append({"year": 2025})
    data["jurisdiction_years"].append({"year": 2025, "facts": {"urban_new_jobs": 1, "rural_transfer": 1}})
    assert set(errors_of(data)) == {"park_years.1.year", "jurisdiction_years.1.year", "assessments.1.year"}


def test_exit_on_or_after_admission(build):
    same_day = build.dossier()
    same_day["agencies"][0].update(admitted_on="2024-05-01", exited_on="2024-05-01")
    assert load_dossier(same_day)[0].agencies[0].exited_on == datetime.date(2024, 5, 1)
    before = build.dossier()
    before["agencies"][0].update(admitted_on="2024-05-01", exited_on="2024-04-30")
    assert errors_of(before) == {
        "agencies.0.exited_on": "退出日期 2024-04-30 早于入驻日期 2024-05-01 / Exit date 2024-04-30 is before admission date 2024-05-01."
    }


def test_recognition_revocation_date_checks(build):
    revoked = build.dossier(recognition={"recognised_on": "2025-06-01", "status": "revoked", "revoked_on": "2026-03-01"})
    extras = load_dossier(revoked)[1]
    assert (extras.recognition_status, extras.revoked_on) == ("revoked", datetime.date(2026, 3, 1))
    early = build.dossier(recognition={"recognised_on": "2025-06-01", "status": "revoked", "revoked_on": "2025-05-31"})
    assert set(errors_of(early)) == {"recognition.revoked_on"}
    active = build.dossier(recognition={"recognised_on": "2025-06-01", "status": "active", "revoked_on": "2026-03-01"})
    assert set(errors_of(active)) == {"recognition.revoked_on"}


# --- to facts and back ----------------------------------------------------------------------------


def test_defaults_fill_in_and_extras_carry_the_evaluation_inputs(build):
    data = build.dossier(
        recognition={"recognised_on": "2025-06-18"},
        assessments=[{"year": 2026, "grade": "unqualified", "rectification": "pending"}, {"year": 2025, "grade": "qualified"}],
    )
    facts, extras = load_dossier(data)
    assert facts.agencies[0].licence_kind == "licence" and facts.build_mode == "new"
    assert sum(facts.jurisdiction_years[2025].facts.values()) == 10000
    assert facts.facts == {"district_support_measures": ["房租补贴"], "special_fund": False}
    assert [(r.year, r.grade, r.rectification) for r in extras.assessments] == [
        (2025, "qualified", None),
        (2026, "unqualified", "pending"),
    ]
    context = extras.subsidy_context(facts, 2026)
    assert (context.recognised_on, context.recognition_status, context.grades) == (
        datetime.date(2025, 6, 18),
        "active",
        {2025: "qualified", 2026: "unqualified"},
    )


def test_free_facts_are_kept_and_typed_ones_checked(build):
    data = build.dossier(jurisdiction="karamay", facts={"district_support_measures": "房租补贴", "note": "自由记录"})
    assert errors_of(data) == {"facts.district_support_measures": "所在区扶持政策措施 (district_support_measures): 应为文字列表 (expected a list of texts)"}
    kept = build.dossier(facts={"note": "自由记录"})
    assert load_dossier(kept)[0].facts == {"note": "自由记录"}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_normalised_dossier_round_trips_unchanged(build, name):
    once = normalise_dossier(build.example_data(name))
    assert normalise_dossier(once) == once
    facts, extras = load_dossier(once)
    assert facts_to_dossier(facts, extras) == once
    assert once["agencies"][0]["years"][0]["revenue"].count(".") == 1  # money as two-place strings


def test_a_dossier_of_the_first_format_is_read_as_today_s():
    """hrpark-dossier/1 kept a year's declared facts beside its figures and the city's targets as
    `employment_targets`: both are read into the declared facts they are now."""
    first = {"format": "hrpark-dossier/1", "jurisdiction": "karamay", "park": {"name": "园"},
             "park_years": [{"year": 2025, "events_held": 3, "incubation_subsidy_claimed": True}],
             "employment_targets": [{"year": 2025, "urban_new_jobs": 7000, "rural_transfer": 3000}]}
    facts, _ = load_dossier(first)
    assert (facts.years[2025].events_held, facts.years[2025].facts) == (3, {"incubation_subsidy_claimed": True})
    assert facts.jurisdiction_years[2025].facts == {"urban_new_jobs": 7000, "rural_transfer": 3000}
    assert normalise_dossier(first)["format"] == "hrpark-dossier/2"
    wrong = {**first, "park_years": [{"year": 2025, "incubation_subsidy_claimed": "maybe"}]}
    assert list(errors_of(wrong)) == ["park_years.0.facts.incubation_subsidy_claimed"]


def test_the_json_schema_lists_each_declared_fact_with_its_names_and_article():
    from core.io.dossier import dossier_json_schema

    schema = dossier_json_schema()["properties"]
    year_facts = schema["park_years"]["items"]["properties"]["facts"]["properties"]
    assert year_facts["incubation_subsidy_claimed"] == {
        "type": "boolean", "description": "已享受孵化基地补贴 / Incubation-base subsidy claimed（克拉玛依市第二十条）"}
    targets = schema["jurisdiction_years"]["items"]["properties"]["facts"]["properties"]
    assert targets["urban_new_jobs"]["type"] == "integer" and "长治市第十条" in targets["urban_new_jobs"]["description"]
