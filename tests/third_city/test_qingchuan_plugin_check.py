"""`hrpark plugin check qingchuan` passes on the third city: it loads, every hook answers, every
number cites its article and date, its dated revision builds on both sides of its day, its document
renders as Word and print view from a sample park taken through its whole procedure (the experts'
verdicts by the experts, its own fact from facts.yaml's sample value), and it answers only for itself."""
import json

import pytest
from click.testing import CliRunner

from core.io.cli.main import cli
from core.plugin.conformance import CHECK_LABELS, run_checks

from .conftest import QINGCHUAN, entry_points


@pytest.fixture(autouse=True)
def no_ambient_database(monkeypatch, tmp_path):
    """No HRPARK_DATABASE_URL and no instance/hrpark.db: the command sees only the plugins."""
    monkeypatch.delenv("HRPARK_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)


def test_every_check_passes_installed_through_an_entry_point():
    report = run_checks(QINGCHUAN, entry_points=entry_points())
    assert report.checks == list(CHECK_LABELS)
    assert report.passed and report.findings == [], report.text()
    assert (report.jurisdiction_name, report.version) == ("青川市", "0.1.0")
    assert {"2026-06-30", "2026-07-01"} <= {str(day) for day in report.days}  # both sides of the revision


def test_the_command_passes_it(registry):
    result = CliRunner().invoke(cli, ["plugin", "check", QINGCHUAN])
    assert result.exit_code == 0, result.output
    assert "青川市" in result.output and "结论 / Result: 通过 / passed" in result.output


def test_the_command_reports_each_check_as_json(registry):
    result = CliRunner().invoke(cli, ["plugin", "check", QINGCHUAN, "--json"])
    data = json.loads(result.stdout)
    assert data["passed"] is True
    assert [c["id"] for c in data["checks"]] == list(CHECK_LABELS)
