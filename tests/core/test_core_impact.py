"""Versions and rule-change impact (issue 12): a revision is a new version of a programme with its own
start; records keep the version in force on their date; `impact` judges the register under the current
and the revised version and lists each park whose eligibility, grade or subsidy would change."""
import datetime
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from core.io.cli.main import cli
from core.rules.impact import impact
from core.rules.jurisdiction import Revision
from core.records.models import Assessment, Recognition
from core.plugin.registry import set_registry
from core.rules.programmes import stamp
from plugins.changzhi import ChangzhiPlugin
from tests.builders import make_park, registry_with

REVISED = """
label: 正式
effective_from: 2027-01-01
overrides:
  min_agencies:
    reference: 第六条第（三）项（2027年修订）
    values: {2027-01-01: 13}
  recognition_award:
    reference: 第九条（2027年修订）
    values: {2027-01-01: 1000000}
  grade_excellent_min:
    reference: 本地默认值（2027年修订）
    values: {2027-01-01: 92}
"""
AT_91 = {"economic_development": "100", "role_played": "100", "operation_management": "70"}


@pytest.fixture
def revised(tmp_path, registry):
    path = tmp_path / "2027-正式.yaml"
    path.write_text(REVISED, encoding="utf-8")

    class RevisedChangzhi(ChangzhiPlugin):
        revisions = (Revision("正式", datetime.date(2027, 1, 1), path),)

    reg = set_registry(registry_with(registry, "changzhi", RevisedChangzhi()))
    assert not reg.failures, [str(f) for f in reg.failures]
    yield reg.get("changzhi")
    set_registry(registry)


def test_each_record_gets_the_version_in_force_on_its_date(revised):
    assert revised.version_on(datetime.date(2026, 12, 31)) == "试行"
    assert revised.version_on(datetime.date(2027, 1, 1)) == "正式"
    assert stamp(revised, datetime.date(2027, 3, 1)) == {"programme": "changzhi", "programme_version": "正式"}
    # The earlier version stays readable: its numbers by date.
    assert revised.parameters.value("min_agencies", datetime.date(2026, 12, 31)) == 10
    assert revised.parameters.value("min_agencies", datetime.date(2027, 1, 1)) == 13


def test_impact_lists_the_parks_the_revision_moves_with_both_results_and_articles(revised, world):
    place = world["shangdang"]
    unmoved = make_park(place, name="十五家机构园", agencies=15, year=2026)
    moved = make_park(place, name="十二家机构园", agencies=12, year=2026)
    recognition = Recognition.create(park=unmoved, jurisdiction=place, official_name="长治十五家机构园",
                                     recognised_on=datetime.date(2027, 1, 5))
    Assessment.create(recognition=recognition, year=2026, scores=AT_91, total_score=Decimal("91"), grade="excellent",
                      status="confirmed", assessed_on=datetime.date(2027, 2, 1))

    report = impact(revised, "正式", year=2027, on=datetime.date(2026, 12, 1))  # the year not begun: judged on its end
    assert (report.current, report.revision, report.parks_judged) == ("试行", "正式", 2)
    assert {row[0] for row in report.moved_parameters} == {"min_agencies", "recognition_award", "grade_excellent_min"}
    changes = {p.park: {c["what"]: c for c in p.changes} for p in report.parks}
    assert set(changes) == {"十五家机构园", "十二家机构园"}
    eligibility = changes["十二家机构园"]["eligibility"]
    assert "第六条第（三）项" in eligibility["articles"]
    assert [(c["before"], c["after"]) for c in eligibility["criteria"]] == [("met", "not_met_waivable")]  # 原则上
    assert "eligibility" not in changes["十五家机构园"]  # 15 agencies meet both 10 and 13
    grade = changes["十五家机构园"]["grade"]
    assert (grade["before"], grade["after"], grade["total_before"]) == ("excellent", "qualified", "91.00")
    award = changes["十五家机构园"]["subsidy"]
    assert (Decimal(award["before"]), Decimal(award["after"])) == (Decimal("800000"), Decimal("1000000"))
    assert award["articles"] == ["第九条"]


def test_impact_from_the_command_line(revised, world, db, monkeypatch):
    monkeypatch.setattr("core.io.cli.main.connect_database", lambda ctx, migrate=False: db)
    make_park(world["shangdang"], name="十二家机构园", agencies=12, year=2026)
    result = CliRunner().invoke(cli, ["impact", "changzhi", "--version", "正式", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["park"] for p in data["parks"]] == ["十二家机构园"]
    unknown = CliRunner().invoke(cli, ["impact", "changzhi", "--version", "第三版"])
    assert unknown.exit_code != 0 and "正式" in unknown.output + str(unknown.exception)
