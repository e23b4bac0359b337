"""A programme modelled on another inherits per date (issue 12): before the county's own value begins,
its city's applies, cited to the city's document; from that date the county's, cited to the county's.
Dating a county's number honestly from its measure's start no longer fails `plugin check` or
evaluations of earlier days."""
import datetime
import importlib.metadata
import json

from click.testing import CliRunner

from core.io.cli.main import cli
from core.plugin.conformance import ERROR, run_checks
from core.plugin.registry import ENTRY_POINT_GROUP, load_registry

import pytest

DAY_BEFORE, START = datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)


def entry_points():
    dated = importlib.metadata.EntryPoint(name="changzhi-dated", value="countytest_plugins:DatedCounty",
                                          group=ENTRY_POINT_GROUP)
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)) + [dated]


def dated_registry():
    return load_registry(entry_points())


@pytest.fixture(autouse=True)
def _modules(county_modules):
    return county_modules


def test_before_its_own_date_the_county_reads_the_citys_number_cited_to_the_city():
    reg = dated_registry()
    assert not reg.failures, [str(f) for f in reg.failures]
    county = reg.get("changzhi-dated").parameters.get("single_site_min_area")
    city = reg.get("changzhi").parameters.get("single_site_min_area")
    assert county.at(DAY_BEFORE) == city.at(DAY_BEFORE) == 3000
    assert county.citation_at(DAY_BEFORE) == (city.reference, "changzhi")
    assert county.at(START) == 2000
    assert county.citation_at(START) == ("晚发区办法第六条第（二）项", "changzhi-dated")


def test_an_evaluation_on_either_side_of_the_countys_date():
    from core.rules.facts import ParkFacts, SiteFacts

    park = ParkFacts(id=1, name="晚发区园", jurisdiction="changzhi-dated",
                     sites=[SiteFacts(name="核心园区", floor_area=2500, is_core=True)])
    county = dated_registry().get("changzhi-dated")

    def site_area(on):
        return next(r for r in county.evaluate(park, 2025, as_of=on).results if r.criterion_id == "site_area")

    assert site_area(DAY_BEFORE).status == "not_met_waivable" and site_area(DAY_BEFORE).required == {"single_site_min_area": 3000}
    assert site_area(START).status == "met" and site_area(START).required == {"single_site_min_area": 2000}


def test_plugin_check_passes_a_county_dated_from_its_own_start():
    report = run_checks("changzhi-dated", entry_points=entry_points())
    assert [str(f) for f in report.findings if f.severity == ERROR] == []


def test_rules_on_a_day_name_the_governing_document_and_rules_diff_lists_the_change(with_registry):
    with_registry(dated_registry())
    runner = CliRunner()
    before = runner.invoke(cli, ["rules", "changzhi-dated", "--on", "2025-06-30", "--json"])
    after = runner.invoke(cli, ["rules", "changzhi-dated", "--on", "2025-07-01", "--json"])
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output

    def single_site(result):
        return next(p for p in json.loads(result.output)["parameters"] if p["id"] == "single_site_min_area")

    assert (single_site(before)["reference"], single_site(before)["source"]) == ("第六条第（二）项", "changzhi")
    assert (single_site(after)["reference"], single_site(after)["source"]) == ("晚发区办法第六条第（二）项", "changzhi-dated")
    assert single_site(after)["effective_from"] == "2025-07-01"

    diff = runner.invoke(cli, ["rules", "diff", "changzhi", "changzhi-dated", "--on", "2025-07-01", "--json"])
    assert diff.exit_code == 0, diff.output
    changes = json.loads(diff.output)["changes"]
    assert [(c["id"], c["parent"], c["county"]) for c in changes] == [("single_site_min_area", "3000", "2000")]
    early = runner.invoke(cli, ["rules", "diff", "changzhi", "changzhi-dated", "--on", "2025-06-30", "--json"])
    assert json.loads(early.output)["changes"] == []  # nothing differs before the county's measure
