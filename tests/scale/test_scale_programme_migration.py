"""Moving today's data onto programmes changes nothing (issue 12): every park of the demo and of
`hrpark generate --scale 5` is evaluated, graded and given its subsidies before and after its records
lose their programme (as migration 0010 leaves them) and get it back from `assign_unassigned`, and
every result is identical."""
import datetime

import pytest

from core.world import generate as gen
from core.rules.assessment import assessment_day
from core.world.demo import build_demo_data
from core.rules.facts import load_park_facts
from core.records.models import Application, Assessment, LedgerEntry, Recognition, Subsidy
from core.rules.programmes import assign_unassigned, governing_rules
from core.records.services import subsidies

TODAY = datetime.date(2026, 11, 22)
GOVERNED = (Application, Recognition, Assessment, Subsidy, LedgerEntry)


def every_result():
    """Eligibility of every application, grade of every assessment, subsidies of every recognition."""
    facts = load_park_facts()
    results = {}
    for application in Application.select():
        rules = governing_rules(application)
        evaluation = rules.evaluate(facts[application.park_id], application.year)
        results[("application", application.id)] = (rules.code, [(r.criterion_id, r.status) for r in evaluation.results])
    for assessment in Assessment.select().where(Assessment.scores != "{}"):
        rules = governing_rules(assessment)
        results[("assessment", assessment.id)] = rules.grade(assessment.scores, assessment_day(assessment.year))
    for recognition in Recognition.select():
        for year in (2024, 2025, 2026):
            results[("subsidies", recognition.id, year)] = [
                (p.rule_id, p.amount, p.due, p.withheld) for p in subsidies.compute(recognition, year)
            ]
    stamps = {(m.__name__, r.id): (r.programme, r.programme_version) for m in GOVERNED for r in m.select()}
    return results, stamps


def _is_city_level_county_record(key):
    """A record of the city's programme whose park lies in a county with measures of its own."""
    name, record_id = key
    model = next(m for m in GOVERNED if m.__name__ == name)
    record = model.get_by_id(record_id)
    park = record.park if hasattr(record, "park") else record.recognition.park
    return park.jurisdiction.code == "changzhi-luzhou"


@pytest.mark.parametrize("world", ["demo", "generate"])
def test_programmes_assigned_to_existing_records_change_no_result(db, registry, world, tmp_path):
    if world == "demo":
        build_demo_data(today=TODAY, upload_dir=tmp_path)
    else:
        gen.generate(5, today=TODAY, reg=registry)
    before, stamps = every_result()
    assert before and all(programme for programme, _ in stamps.values())
    # As migration 0010 leaves a database made before programmes. The demo's city-level application of
    # 潞州区's park could not exist then (it is made under a programme other than its place's own), so
    # it keeps its programme; the application it would have been is the one filed under 潞州区's.
    before_programmes = [key for key, (programme, _) in stamps.items() if programme != "changzhi" or not
                         _is_city_level_county_record(key)]
    for name, record_id in before_programmes:
        model = next(m for m in GOVERNED if m.__name__ == name)
        model.update(programme="", programme_version="").where(model.id == record_id).execute()
    assigned = assign_unassigned(registry)
    assert sum(assigned.values()) == len(before_programmes)
    after, stamps_after = every_result()
    assert after == before
    assert stamps_after == stamps
