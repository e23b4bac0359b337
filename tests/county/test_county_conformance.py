"""`hrpark plugin check` (core/plugin/conformance.py) finds each kind of fault in a deliberately broken
county plugin, names the plugin and the fault in Chinese and English, and passes the plugins that
are right — the two cities, the worked example 潞州区, and a well-formed county."""
import importlib.metadata
import json
import re

import pytest
from click.testing import CliRunner

from core.io.cli.main import cli
from core.plugin.conformance import CHECK_LABELS, ERROR, WARNING, run_checks
from core.plugin.registry import ENTRY_POINT_GROUP, load_registry

SAMPLES = "countytest_plugins"


def entry_point(name, value):
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def installed():
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


def check(name, target, only=None):
    """The report of the sample plugin `target` installed (as entry point `name`) beside the real ones."""
    entry_points = installed() + [entry_point(name, target if ":" in target else f"{SAMPLES}:{target}")]
    return run_checks(name, entry_points=entry_points, only=only)


def faults(report, check_id=None, severity=ERROR):
    return [f for f in report.findings if f.severity == severity and (check_id is None or f.check == check_id)]


def assert_named_and_bilingual(finding, plugin, *needles):
    text = str(finding)
    assert finding.plugin == plugin and text.startswith(f"[错误 error] {plugin}:" if finding.severity == ERROR
                                                         else f"[警告 warning] {plugin}:")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.fault), finding.fault  # Chinese first
    assert re.search("[A-Za-z]{3} [a-z]+", finding.fault_en) and f"{finding.fault} — {finding.fault_en}" in text  # then English
    for needle in needles:
        assert needle in text, (needle, text)


# --- the plugins that are right pass ----------------------------------------------------------------


@pytest.mark.parametrize("code", ["changzhi", "karamay", "changzhi-luzhou"])
def test_the_installed_plugins_pass_every_check(code):
    report = run_checks(code)
    assert report.checks == list(CHECK_LABELS)
    assert report.passed, report.text()
    assert report.findings == []


def test_a_well_formed_county_passes(county_modules):
    report = check("changzhi-good", "County")
    assert report.passed and report.findings == [], report.text()
    assert (report.jurisdiction_name, report.version) == ("changzhi-good区", "1.2.3")


# --- hooks -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, target, needles",
    [
        ("changzhi-noledger", "NoLedgerCounty", ["ledger_categories()", "没有回答", "answered nothing"]),
        ("changzhi-raising", "RaisingTiersCounty", ["grade_tiers()", "RuntimeError", "分数线未配置"]),
        ("changzhi-wrongtype", "WrongTypeCounty", ["materials()", "MaterialSpec", "str"]),
    ],
)
def test_a_hook_that_does_not_answer_as_promised_is_named(county_modules, name, target, needles):
    report = check(name, target, only=["hooks"])
    [finding] = faults(report, "hooks")
    assert_named_and_bilingual(finding, name, *needles)
    assert not report.passed


# --- parameters --------------------------------------------------------------------------------------


def test_a_parameter_that_cites_no_article_is_named(county_modules):
    report = check("changzhi-uncited", "UncitedParameterCounty", only=["parameters"])
    [finding] = faults(report, "parameters")
    assert_named_and_bilingual(finding, "changzhi-uncited", "min_training_rooms", "（待定）", "names no article")


def test_a_parameter_without_its_article_fails_to_load_and_says_which(county_modules):
    report = check("changzhi-noreference", "NoReferenceCounty", only=["loads", "hooks"])
    loads, = faults(report, "loads")
    assert_named_and_bilingual(loads, "changzhi-noreference", "min_agencies", "缺少 reference", "failed to load")
    hooks, = faults(report, "hooks")  # reading the plugin's parameters fails before any hook is asked
    assert "min_agencies" in hooks.fault and "缺少 reference" in hooks.fault


def test_a_parameter_named_by_the_procedure_must_exist(county_modules):
    report = check("changzhi-nonotice", "MissingNoticeParameterCounty", only=["parameters"])
    [finding] = faults(report, "parameters")
    assert_named_and_bilingual(finding, "changzhi-nonotice", "notice_days", "公示期", "does not exist")


def test_every_parameter_of_the_installed_plugins_has_an_article_and_a_start_date(registry):
    for j in registry:
        for p in j.parameters:
            assert p.reference.strip() and p.effective_from is not None, (j.code, p.id)


# --- overrides ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, target, needles",
    [
        ("changzhi-unknownparam", "UnknownParameterOverrideCounty",
         ["unknown_override.yaml", "single_site_minimum_area", "覆盖的参数", "targets nothing the parent has"]),
        ("changzhi-clashparam", "ClashingParameterCounty",
         ["clashing_addition.yaml", "min_agencies", "新增参数", "put it under overrides:"]),
        ("changzhi-unknowncriterion", "UnknownCriterionCounty", ["site_areas", "覆盖的条件", "criterion override"]),
        ("changzhi-renaming", "RenamingCriterionCounty", ["site_area", "public_events", "须沿用原 id", "keep the id"]),
        ("changzhi-clashcriterion", "ClashingCriterionCounty", ["site_area", "新增的条件", "override it instead"]),
        ("changzhi-unknowntemplate", "UnknownTemplateCounty", ["changzhi.no_such_form", "覆盖的文书模板", "template override"]),
        ("taiyuan-orphan", "MissingParentCounty", ["taiyuan", "未安装", "not installed"]),
        ("changzhi-mismatch", "ParentMismatchCounty", ["parent_code", "karamay", "changzhi"]),
    ],
)
def test_an_override_of_something_the_parent_lacks_is_named(county_modules, name, target, needles):
    report = check(name, target, only=["overrides"])
    found = faults(report, "overrides")
    assert found, report.text()
    assert_named_and_bilingual(found[0], name, *needles)
    assert not report.passed


@pytest.mark.parametrize("name, target", [("changzhi-unknownparam", "UnknownParameterOverrideCounty"),
                                          ("changzhi-unknowncriterion", "UnknownCriterionCounty"),
                                          ("taiyuan-orphan", "MissingParentCounty")])
def test_such_a_plugin_does_not_load_either_and_the_cities_do(county_modules, name, target):
    report = check(name, target, only=["loads"])
    [finding] = faults(report, "loads")
    assert finding.plugin == name and "未能加载" in finding.fault
    registry = load_registry(installed() + [entry_point(name, f"{SAMPLES}:{target}")])
    assert {"changzhi", "karamay", "changzhi-luzhou"} <= set(registry.codes())


def test_an_override_repeating_the_citys_number_is_a_warning_not_an_error(county_modules):
    report = check("changzhi-samevalue", "SameValueCounty")
    assert report.passed, report.text()
    [warning] = faults(report, "overrides", WARNING)
    assert_named_and_bilingual(warning, "changzhi-samevalue", "single_site_min_area", "3000", "enter your own measure's number")


# --- templates ---------------------------------------------------------------------------------------


def test_a_template_without_its_file_is_named(county_modules):
    report = check("changzhi-missingfile", "MissingTemplateFileCounty", only=["templates"])
    [finding] = faults(report, "templates")
    assert_named_and_bilingual(finding, "changzhi-missingfile", "changzhi-missingfile.form", "no_such.html", "does not exist")


def test_a_template_that_does_not_render_on_the_sample_park_is_named(county_modules):
    report = check("changzhi-brokentemplate", "BrokenTemplateCounty", only=["templates"])
    [finding] = faults(report, "templates")
    assert_named_and_bilingual(finding, "changzhi-brokentemplate", "changzhi-brokentemplate.form", "html", "no_such_value")


def test_every_template_of_luzhou_renders_in_both_formats(changzhi_documents):
    report = run_checks("changzhi-luzhou", registry=load_registry(), only=["templates"])
    assert report.passed and not report.findings, report.text()
    templates = load_registry().get("changzhi-luzhou").document_templates()
    assert len(templates) == len(changzhi_documents) and all(t.formats == ("docx", "html") for t in templates)


# --- isolation ---------------------------------------------------------------------------------------


def test_a_plugin_changing_its_city_on_import_is_caught(county_modules, monkeypatch):
    from plugins.changzhi import criteria as changzhi_criteria

    monkeypatch.setattr(changzhi_criteria, "ACCEPTED_OPERATOR_KINDS", changzhi_criteria.ACCEPTED_OPERATOR_KINDS)
    entry_points = installed() + [entry_point("changzhi-mutating", "countytest_mutating:plugin")]
    report = run_checks("changzhi-mutating", entry_points=entry_points, only=["isolation"])
    changed = {f.fault_en.split(",")[1].split("'s answers")[0].strip(): f for f in faults(report, "isolation")}
    assert set(changed) == {"changzhi", "changzhi-luzhou"}, report.text()  # the city and its other county
    finding = changed["changzhi"]
    assert_named_and_bilingual(finding, "changzhi-mutating", "辖区 changzhi 的回答改变了", "evaluate(sample park 2)")
    assert "karamay" not in report.text()


def test_rules_sourced_to_another_jurisdiction_are_named(county_modules):
    report = check("changzhi-foreign", "ForeignSourceCounty", only=["isolation"])
    texts = [str(f) for f in faults(report, "isolation")]
    assert any("borrowed" in t and "karamay" in t and "条件" in t for t in texts), texts
    assert any("karamay.recognition_award" in t and "奖补" in t for t in texts), texts
    for finding in faults(report, "isolation"):
        assert_named_and_bilingual(finding, "changzhi-foreign")


def test_a_plugin_taking_another_plugins_code_is_caught(county_modules):
    report = check("aaa_thief", "CodeThief", only=["isolation"])
    texts = [str(f) for f in faults(report, "isolation")]
    assert any("karamay" in t and "另一个已安装的插件" in t and "displaces" in t for t in texts), texts
    registry = load_registry(installed() + [entry_point("aaa_thief", f"{SAMPLES}:CodeThief")])
    assert registry.get("karamay").info.name == "karamay区"  # the thief answers for Karamay …
    assert "karamay" in {f.name for f in registry.failures}  # … and the real one is refused


def test_luzhou_leaves_changzhi_and_karamay_unchanged_in_fresh_processes():
    report = run_checks("changzhi-luzhou", only=["isolation"])
    assert report.passed and report.findings == [], report.text()


# --- how the findings reach the user -----------------------------------------------------------------


def test_an_unknown_check_or_plugin_is_refused():
    with pytest.raises(ValueError, match="未知的检查 speed"):
        run_checks("changzhi", only=["speed"])
    with pytest.raises(LookupError, match="未知辖区 'taiyuan'.*unknown jurisdiction"):
        run_checks("taiyuan")


def test_the_report_text_lists_each_check_and_the_verdict(county_modules):
    report = check("changzhi-noledger", "NoLedgerCounty")
    text = report.text()
    assert text.splitlines()[0] == "插件检查 / Plugin check: changzhi-noledger（changzhi-noledger区，插件版本 1.2.3）"
    assert "✗ 每个规则方法和钩子都有回答 / every rule method and hook answers" in text and "✓ 插件加载 / the plugin loads" in text
    assert text.splitlines()[-1] == "结论 / Result: 未通过：1 处错误 / failed: 1 error(s)"
    data = report.as_dict()
    assert data["passed"] is False and [c["id"] for c in data["checks"] if not c["passed"]] == ["hooks"]


def test_the_pytest_fixture_fails_listing_the_faults(hrpark_conformance, county_modules):
    entry_points = installed() + [entry_point("changzhi-noledger", f"{SAMPLES}:NoLedgerCounty")]
    with pytest.raises(pytest.fail.Exception) as failed:
        hrpark_conformance("changzhi-noledger", entry_points=entry_points)
    assert "changzhi-noledger" in str(failed.value) and "ledger_categories()" in str(failed.value)
    assert hrpark_conformance("changzhi-luzhou", only=["overrides"]).passed


# --- hrpark plugin check ----------------------------------------------------------------------------


def test_cli_check_passes_luzhou_with_exit_status_0():
    result = CliRunner().invoke(cli, ["plugin", "check", "changzhi-luzhou"])
    assert result.exit_code == 0, result.output
    assert "结论 / Result: 通过 / passed" in result.output


def test_cli_check_json(county_modules):
    result = CliRunner().invoke(cli, ["plugin", "check", "changzhi-luzhou", "--only", "overrides", "--only", "loads", "--json"])
    data = json.loads(result.stdout)
    assert data["passed"] is True and [c["id"] for c in data["checks"]] == ["loads", "overrides"]


def test_cli_check_exits_1_on_a_fault_and_2_on_bad_input(county_modules, with_registry):
    with_registry(load_registry(installed() + [entry_point("changzhi-noledger", f"{SAMPLES}:NoLedgerCounty")]))
    result = CliRunner().invoke(cli, ["plugin", "check", "changzhi-noledger", "--only", "hooks"])
    assert result.exit_code == 1 and "ledger_categories()" in result.output
    unknown = CliRunner().invoke(cli, ["plugin", "check", "taiyuan"])
    assert unknown.exit_code == 2 and "未知辖区 'taiyuan'" in unknown.output
    bad_check = CliRunner().invoke(cli, ["plugin", "check", "changzhi", "--only", "speed"])
    assert bad_check.exit_code == 2 and "未知的检查 speed" in bad_check.output


def test_a_step_given_to_a_role_the_programme_does_not_declare_is_named_by_file_and_key(county_modules, monkeypatch):
    """`expert` is known to the process (another programme declares it), so the procedure loads; but this
    county neither declares it nor is it a core role: the hooks check names procedure.yaml and the step."""
    from core.records import vocab

    monkeypatch.setattr(vocab.ROLES, "terms", list(vocab.ROLES.terms))
    monkeypatch.setattr(vocab.ROLES, "_by_code", dict(vocab.ROLES._by_code))
    monkeypatch.setattr(vocab, "PROGRAMME_ROLES", dict(vocab.PROGRAMME_ROLES))
    vocab.declare_role("expert", "评审专家", "expert reviewer", "panel_member")
    report = check("changzhi-norole", "countytest_roles:UndeclaredRoleCounty", only=["hooks"])
    [finding] = faults(report, "hooks")
    assert_named_and_bilingual(finding, "changzhi-norole", "countytest_roles/procedure.yaml: transitions[submit].roles",
                               "角色 expert", "neither a core role nor one this programme declares")
    assert not report.passed
