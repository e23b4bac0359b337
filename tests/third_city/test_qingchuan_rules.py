"""青川市 evaluated: each condition of 第三条 met and not met on both sides of its number, the article
cited; its own fact (人才公寓套数) declared in its facts.yaml and read by its criterion; the dated
revision of 2026-07-01 raising that number from 20 to 30, judged on both sides of the day; and no
rule of Qingchuan answering for another city."""
import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from core.rules.facts import SiteFacts
from core.world.samples import sample_park
from core.rules.criteria import MET, MISSING_DATA, NOT_MET

from .conftest import QINGCHUAN, REVISION_DAY

BEFORE = REVISION_DAY - datetime.timedelta(days=1)


def park(apartments=20, floor_area="2000", agencies=8):
    base = sample_park(QINGCHUAN, 2025)
    return replace(base, facts={} if apartments is None else {"talent_apartments": apartments},
                   sites=[SiteFacts("核心园区", Decimal(floor_area), is_core=True)], agencies=base.agencies[:agencies])


def result(rules, criterion_id, the_park, on):
    return next(r for r in rules.evaluate(the_park, 2026, as_of=on).results if r.criterion_id == criterion_id)


def test_its_own_fact_is_declared_by_it_and_by_neither_real_city(registry):
    fact = registry.get(QINGCHUAN).plugin.declared_facts()["talent_apartments"]
    assert (fact.name_zh, fact.type, fact.owner, fact.article) == ("人才公寓套数", "int", "park", "第三条第（四）项")
    for city in ("changzhi", "karamay", "changzhi-luzhou"):
        assert "talent_apartments" not in registry.get(city).plugin.declared_facts()


@pytest.mark.parametrize("criterion_id, low, at_line, article", [
    ("floor_area", dict(floor_area="1999"), dict(floor_area="2000"), "第三条第（二）项"),
    ("agency_count", dict(agencies=7), dict(agencies=8), "第三条第（三）项"),
    ("talent_apartments", dict(apartments=19), dict(apartments=20), "第三条第（四）项"),
])
def test_each_condition_is_met_at_its_number_and_not_one_below(rules, criterion_id, low, at_line, article):
    met = result(rules, criterion_id, park(**at_line), BEFORE)
    failed = result(rules, criterion_id, park(**low), BEFORE)
    assert (met.status, failed.status) == (MET, NOT_MET)
    assert met.article == failed.article == article
    assert "差1" in failed.explanation and "below" in failed.explanation_en


def test_the_revision_raises_the_apartments_from_its_day_on(rules):
    """revision_2026.yaml: 20 apartments on 2026-06-30, 30 from 2026-07-01; the version label follows."""
    for apartments, before, after in ((20, MET, NOT_MET), (29, MET, NOT_MET), (30, MET, MET)):
        on_eve, on_day = (result(rules, "talent_apartments", park(apartments=apartments), d) for d in (BEFORE, REVISION_DAY))
        assert (on_eve.status, on_day.status) == (before, after), apartments
        assert (on_eve.required, on_day.required) == (20, 30)
    assert "低于30套，差10套" in result(rules, "talent_apartments", park(apartments=20), REVISION_DAY).explanation
    assert (rules.version_on(BEFORE), rules.version_on(REVISION_DAY)) == ("2025年版", "2026年修订")


def test_a_park_without_the_fact_is_not_judged_on_a_guess(rules):
    missing = result(rules, "talent_apartments", park(apartments=None), BEFORE)
    assert missing.status == MISSING_DATA and missing.blocking and "未填报人才公寓套数" in missing.explanation


def test_the_planning_report_waits_for_the_experts(rules):
    planning = result(rules, "planning_report", park(), BEFORE)
    assert planning.status == "needs_judgement" and planning.article == "第三条第（一）项"


def test_qingchuan_answers_only_for_itself(registry):
    """Its criteria are its own; the two real cities' criteria and numbers are what they were."""
    day = BEFORE
    assert {c.source for c in registry.get(QINGCHUAN).criteria(day)} == {QINGCHUAN}
    for city in ("changzhi", "karamay"):
        assert "talent_apartments" not in {c.id for c in registry.get(city).criteria(day)}
        assert "min_talent_apartments" not in registry.get(city).parameters.parameters


def test_its_fact_declares_the_sample_value_the_plugin_check_uses(registry):
    """facts.yaml's `sample`: the value the sample park of `hrpark plugin check` carries (a park with
    none would lack the data 第三条第（四）项 reads); checked against the declaration as a value is."""
    fact = registry.get(QINGCHUAN).plugin.declared_facts()["talent_apartments"]
    assert fact.sample == 40 and fact.default is None


@pytest.mark.parametrize("day, version", [(BEFORE, "2025年版"), (REVISION_DAY, "2026年修订")])
def test_a_record_made_without_a_programme_takes_the_version_of_its_own_day(town, day, version):
    """A recognition entered without a programme (an import, say) is stamped with the version in force
    on its own day — the rules never read the clock — as those made before programmes are."""
    from core.records.models import Recognition

    recognition = Recognition.create(park=town.park, jurisdiction=town.county, official_name="青川白水产业园",
                                     recognised_on=day)
    assert (recognition.programme, recognition.programme_version) == (QINGCHUAN, version)


def test_the_rules_kernel_never_reads_the_clock():
    """core/rules takes every day it judges from its caller (the request's day, the command's --on)."""
    from pathlib import Path

    kernel = Path(__file__).resolve().parents[2] / "core" / "rules"
    reading = [p.name for p in kernel.glob("*.py") if any(call in p.read_text(encoding="utf-8")
                                                          for call in ("date.today()", "datetime.now(", "time.time()"))]
    assert reading == []
