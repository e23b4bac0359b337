"""The conformance checks as a pytest fixture, for a plugin's own test suite.

A plugin's tests/conftest.py imports the fixture (the scaffold writes this line):

    from core.plugin.pytest_conformance import hrpark_conformance  # noqa: F401

and a test calls it with the plugin's jurisdiction code; the test fails listing every fault:

    def test_conformance(hrpark_conformance):
        hrpark_conformance("city-county")

    def test_the_city_is_unchanged(hrpark_conformance):
        hrpark_conformance("city-county", only=["isolation"])
"""
import pytest

from core.plugin.conformance import run_checks


@pytest.fixture
def hrpark_conformance():
    """check(code, only=None) → the Report; fails the test when any check finds an error."""

    def check(code, only=None, entry_points=None):
        report = run_checks(code, only=only, entry_points=entry_points)
        if not report.passed:
            pytest.fail(report.text(), pytrace=False)
        return report

    return check
