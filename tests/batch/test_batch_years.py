"""The batch reads only the years of figures its rules read, and judges exactly as with every year read."""
import copy
import datetime
from types import SimpleNamespace

import pytest

from core.rules.assessment import GradeRecord, assessment_day
from core.records.batch import evaluate_all, evaluate_facts, figure_years, rules_by_jurisdiction_code
from core.rules.facts import YearNotRead, load_park_facts
from core.rules.subsidy import SubsidyContext
from core.records.models import Assessment, Jurisdiction, Recognition
from core.world.generate import generate
from tests.builders import make_park

TODAY = datetime.date(2026, 11, 22)


def _subsidies_and_consequences(facts, rules):
    """Every recognition's consequences and the subsidies of each year it was assessed, as the batch computes them."""
    grades = {}
    for recognition_id, year, grade in Assessment.select(Assessment.recognition, Assessment.year, Assessment.grade).where(
            Assessment.status == "confirmed").tuples():
        grades.setdefault(recognition_id, {})[year] = grade
    found = {}
    recognitions = Recognition.select(Recognition.id, Recognition.park, Jurisdiction.code, Recognition.recognised_on,
                                      Recognition.status, Recognition.revoked_on).join(Jurisdiction).tuples()
    for recognition_id, park_id, code, recognised_on, status, revoked_on in recognitions:
        history = [GradeRecord(y, g) for y, g in sorted(grades.get(recognition_id, {}).items())]
        found[recognition_id] = [rules[code].consequences(history, assessment_day(history[-1].year) if history else recognised_on)]
        for year in sorted(grades.get(recognition_id, {})):
            found[recognition_id].append(rules[code].subsidies(SubsidyContext(
                park=facts[park_id], year=year, recognised_on=recognised_on, recognition_status=status,
                grades=grades[recognition_id], revoked_on=revoked_on)))
    return found, {year for by_year in grades.values() for year in by_year}


@pytest.mark.parametrize("year", [2025, 2026])
def test_reading_only_the_rules_years_changes_no_result(db, year):
    generate(1, today=TODAY)
    rules = rules_by_jurisdiction_code()
    as_of = datetime.date(year, 6, 30)
    every_year = load_park_facts()
    full = evaluate_facts(every_year, year, as_of, rules)
    reduced = evaluate_all(year, as_of=as_of)
    assert list(reduced) == list(full) and len(full) > 10
    for park_id, evaluation in full.items():
        # Outcome, each criterion's status, measured and required values and explanations, warnings.
        assert reduced[park_id].as_dict() == evaluation.as_dict()
    # The criteria reading the year before's figures met by some parks (figures were read), in 2025 not by all.
    revenue = {e.by_id("agency_revenue").status for e in full.values()}
    assert "met" in revenue and (year != 2025 or revenue - {"met"})
    subsidies, assessed = _subsidies_and_consequences(every_year, rules)
    read = load_park_facts(years=figure_years(rules, year), park_years=assessed)
    assert _subsidies_and_consequences(read, rules)[0] == subsidies
    assert any(p.due and p.amount > 0 for found in subsidies.values() for proposals in found[1:] for p in proposals)


def test_the_years_read_are_the_year_and_those_the_plugins_look_back(world, registry):
    rules = rules_by_jurisdiction_code(registry)
    assert figure_years(rules, 2025) == [2024, 2025]  # both cities read the year before (figure_years_back = 1)
    undeclared = copy.copy(next(iter(rules.values())))
    undeclared.plugin = SimpleNamespace(figure_years_back=None)  # a plugin that does not say: every year is read
    assert figure_years({**rules, "other": undeclared}, 2025) is None


def test_a_rule_reading_a_year_not_read_is_an_error_not_missing_figures(world):
    park = make_park(world["shangdang"], year=2023)
    read = load_park_facts([park.id], years=[2024, 2025], park_years=[2023])[park.id]
    agency = read.agencies[0]
    assert agency.figures(2024) is None  # read: the agency has no figures of 2024
    with pytest.raises(YearNotRead):
        agency.figures(2023)  # it has, but they were not read
    with pytest.raises(YearNotRead):
        2022 in agency.years
    assert read.year(2023).employment_promoted > 0 and read.year(2025) is None  # the park's years include `park_years`
    with pytest.raises(YearNotRead):
        read.year(2022)
    every = load_park_facts([park.id])[park.id].agencies[0]
    assert every.figures(2023).revenue > 0 and every.figures(2022) is None
