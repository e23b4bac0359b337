"""`hrpark plugin check` covers versions and dates (issue 12 point 7), and a county's own number dated
from its measure's start works the plain way: the condition that reads it names it
(`Criterion(..., parameters=("min_public_events",))`) and is a condition only from that number's first
day — absent the day before, on the rules page and in evaluations, never an error. The check builds the
rules on every day the measures change and the day before each, lists those days, and names the day,
the parameter or item, and the file of every fault: a revision dating a value before its own start, a
revision naming a number the programme lacks, a condition judged on a day its number has no value."""
import datetime
import importlib.metadata
import json

import pytest
from click.testing import CliRunner

from core.io.cli.main import cli
from core.plugin.conformance import ERROR, run_checks
from core.world.samples import SAMPLE_AS_OF, sample_day, sample_park
from core.plugin.registry import ENTRY_POINT_GROUP, load_registry

START, DAY_BEFORE = datetime.date(2026, 9, 1), datetime.date(2026, 8, 31)
MODULE = "countytest_dated"


@pytest.fixture(autouse=True)
def _modules(county_modules, monkeypatch):
    monkeypatch.delenv("HRPARK_REVISIONS_DIR", raising=False)
    return county_modules


def entry_points(name, target):
    ours = importlib.metadata.EntryPoint(name=name, value=f"{MODULE}:{target}", group=ENTRY_POINT_GROUP)
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)) + [ours]


def check(name, target, only=None):
    return run_checks(name, entry_points=entry_points(name, target), only=only)


def errors(report, check_id="dates"):
    return [str(f) for f in report.findings if f.severity == ERROR and f.check == check_id]


def assert_one_dates_error_naming(report, *needles):
    [finding] = errors(report)
    for needle in needles:
        assert needle in finding, (needle, finding)
    assert not report.passed


# --- a county's own number from its measure's start -------------------------------------------------


def test_the_check_passes_a_county_whose_own_condition_begins_with_its_measure():
    report = check("changzhi-ownnumber", "OwnNumberCounty")
    assert report.passed and report.findings == [], report.text()
    assert {DAY_BEFORE, START} <= set(report.days) and min(report.days) == datetime.date(2024, 1, 1)
    assert "    检查的日期 / days checked: 2024-01-01、2026-08-31、2026-09-01" in report.text().splitlines()
    assert report.as_dict()["days"] == ["2024-01-01", "2026-08-31", "2026-09-01"]


def test_its_condition_is_absent_the_day_before_its_number_and_judged_from_that_day():
    county = load_registry(entry_points("changzhi-ownnumber", "OwnNumberCounty")).get("changzhi-ownnumber")
    assert "public_events" not in [c.id for c in county.criteria(DAY_BEFORE)]
    assert "public_events" in [c.id for c in county.criteria(START)]
    park = sample_park("changzhi-ownnumber", 2026)  # 20 events in 2025
    before = county.evaluate(park, 2026, as_of=DAY_BEFORE)
    assert "public_events" not in [r.criterion_id for r in before.results]
    assert before.by_id("site_area").required == {"single_site_min_area": 3000}  # the city's number, still
    after = county.evaluate(park, 2026, as_of=START)
    assert (after.by_id("public_events").status, after.by_id("public_events").required) == ("met", 4)
    assert after.by_id("site_area").required == {"single_site_min_area": 2000}


def test_the_samples_are_set_on_the_first_day_of_a_programme_that_begins_later():
    reg = load_registry(entry_points("changzhi-ownnumber", "OwnNumberCounty"))
    county, city = reg.get("changzhi-ownnumber"), reg.get("changzhi")
    assert sample_day(county.info, county.parameters, county.code) == START  # its own numbers' first day
    assert sample_day(city.info, city.parameters, city.code) == SAMPLE_AS_OF  # in force in 2025 already
    entered = county.info.__class__(**{**county.info.__dict__, "effective_from": datetime.date(2026, 10, 1)})
    assert sample_day(entered, county.parameters, county.code) == datetime.date(2026, 10, 1)  # its start, once entered
    ended = city.info.__class__(**{**city.info.__dict__, "effective_until": datetime.date(2024, 12, 31)})
    assert sample_day(ended, city.parameters, city.code) == datetime.date(2024, 12, 31)  # never after its end


def test_a_condition_reading_a_number_it_does_not_name_fails_the_check_naming_the_day_number_and_files():
    report = check("changzhi-undeclared", "UndeclaredNumberCounty", only=["dates"])
    found = errors(report)  # each day checked before 2026-09-01; from it the number has its value
    assert [f.split("：")[0].split(": ")[1] for f in found] == ["2024-01-01", "2026-08-31"], found
    for needle in ("public_events", "min_public_events", "countytest_data/own_number.yaml",
                   "luzhou/criteria.py", 'parameters=("min_public_events",)', "has no value that day"):
        assert needle in found[1], (needle, found[1])
    assert not report.passed


def test_the_rules_on_the_day_before_say_its_number_has_no_value_that_day(with_registry):
    with_registry(load_registry(entry_points("changzhi-ownnumber", "OwnNumberCounty")))
    before = CliRunner().invoke(cli, ["rules", "changzhi-ownnumber", "--on", "2026-08-31"])
    assert before.exit_code == 0, before.output
    assert "（该日无有效值）" in before.output and "no value on that day" in before.output
    assert "今日" not in before.output and "│ public_events " not in before.output  # not a condition yet
    data = json.loads(CliRunner().invoke(cli, ["rules", "changzhi-ownnumber", "--on", "2026-09-01", "--json"]).output)
    assert next(p for p in data["parameters"] if p["id"] == "min_public_events")["value"] == 4
    assert "public_events" in [c["id"] for c in data["criteria"]]


# --- revisions ---------------------------------------------------------------------------------------


def test_a_revision_dated_from_its_start_passes_and_its_days_are_checked():
    report = check("changzhi-revised", "RevisedOnItsStartCounty", only=["dates"])
    assert report.passed and report.findings == [], report.text()
    assert {datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)} <= set(report.days)


def test_a_plugins_revision_dating_a_value_before_its_start_fails_naming_the_day_parameter_and_file():
    report = check("changzhi-pastrevision", "PastChangingRevisionCounty", only=["dates"])
    assert_one_dates_error_naming(report, "2027-01-01", "2026-12-01", "min_agencies", "revision_changes_the_past.yaml",
                                  "早于修订施行日", "cannot change the past")


def deployment_revision(tmp_path, monkeypatch, code, data_file):
    """A deployment's revision file for `code` under HRPARK_REVISIONS_DIR, copied from countytest_data."""
    from countytest_plugins import DATA

    directory = tmp_path / "revisions" / code
    directory.mkdir(parents=True)
    (directory / data_file).write_text((DATA / data_file).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("HRPARK_REVISIONS_DIR", str(tmp_path / "revisions"))
    return directory / data_file


def test_a_deployments_revision_dating_a_value_before_its_start_fails_naming_the_day_parameter_and_file(
        tmp_path, monkeypatch):
    path = deployment_revision(tmp_path, monkeypatch, "changzhi-good", "revision_changes_the_past.yaml")
    report = check("changzhi-good", "County")
    assert_one_dates_error_naming(report, str(path), "2027-01-01", "2026-12-01", "min_agencies", "早于修订施行日")
    assert errors(report, "loads")  # nor does the programme load with it


def test_a_revision_naming_a_number_the_programme_lacks_fails_naming_the_day_parameter_and_file(tmp_path, monkeypatch):
    path = deployment_revision(tmp_path, monkeypatch, "changzhi-good", "revision_unknown_parameter.yaml")
    report = check("changzhi-good", "County", only=["dates"])
    assert_one_dates_error_naming(report, "2027-01-01", "min_agencys", str(path), "不是本办法的参数",
                                  "not a number of the programme")


def test_the_same_revision_for_another_programme_leaves_this_one_passing(tmp_path, monkeypatch):
    deployment_revision(tmp_path, monkeypatch, "changzhi-other", "revision_unknown_parameter.yaml")
    report = check("changzhi-good", "County", only=["loads", "dates"])
    assert report.passed and report.findings == [], report.text()


def test_two_revisions_taking_effect_on_the_same_day_fail_naming_the_day(tmp_path, monkeypatch):
    path = deployment_revision(tmp_path, monkeypatch, "changzhi-revised", "revision_on_its_start.yaml")
    report = check("changzhi-revised", "RevisedOnItsStartCounty", only=["dates"])
    assert_one_dates_error_naming(report, "2027-01-01", "同日施行", str(path), "revision_on_its_start.yaml",
                                  "which governs that day is unclear")


def test_a_condition_naming_a_number_the_programme_lacks_does_not_load_and_says_which():
    report = check("changzhi-misnamed", "MisnamedNumberCounty", only=["loads"])
    [finding] = errors(report, "loads")
    assert "条件 public_events 声明的参数 min_public_event 不存在" in finding and "declares unknown parameters" in finding


def test_its_provenance_lists_the_condition_that_begins_with_its_measure():
    from core.rules.provenance import rule_provenance

    reg = load_registry(entry_points("changzhi-ownnumber", "OwnNumberCounty"))
    rows = {(r.kind, r.id): r for r in rule_provenance("changzhi-ownnumber", reg)}
    assert (rows[("criterion", "public_events")].plugin, rows[("criterion", "public_events")].inherited) == (
        "changzhi-ownnumber", False)
    assert rows[("criterion", "site_area")].inherited  # the city's condition, read on the same day
    early = {(r.kind, r.id) for r in rule_provenance("changzhi-ownnumber", reg, on=DAY_BEFORE)}
    assert ("criterion", "public_events") not in early and ("parameter", "min_public_events") in early
