"""Evaluating every park: results per park under its own rules, in a number of queries that does
not grow with the number of parks or agencies."""
import contextlib
import logging

from core.records.batch import evaluate_all
from core.rules.facts import load_park_facts
from core.plugin.registry import Jurisdiction, rules_for
from tests.builders import make_park


@contextlib.contextmanager
def counting_queries():
    counter = {"n": 0}

    class Handler(logging.Handler):
        def emit(self, record):
            counter["n"] += 1

    logger = logging.getLogger("peewee")
    handler, level = Handler(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_each_park_is_evaluated_under_its_own_city(world):
    changzhi = make_park(world["shangdang"], name="长治园", revenue="2600000")  # 12 × 260万 = 3120万 ≥ 3000万
    karamay = make_park(world["dushanzi"], name="克拉玛依园", sites=((True, "2500"),), revenue="2600000")  # < 5000万
    results = evaluate_all(2025)
    assert results[changzhi.id].jurisdiction == "changzhi"
    assert results[changzhi.id].by_id("agency_revenue").status == "met"
    assert results[karamay.id].jurisdiction == "karamay"
    assert results[karamay.id].by_id("agency_revenue").status == "not_met"


def test_queries_do_not_grow_with_parks_or_agencies(world):
    make_park(world["shangdang"], name="园区0", agencies=3)
    with counting_queries() as few:
        evaluate_all(2025)
    for i in range(1, 15):
        make_park(world["shangdang" if i % 2 else "dushanzi"], name=f"园区{i}", agencies=12)
    with counting_queries() as many:
        results = evaluate_all(2025)
    assert len(results) == 15
    assert many["n"] == few["n"]


def test_the_batch_gives_what_one_park_at_a_time_gives(world):
    parks = [make_park(world["shangdang"], name="长治园", revenue="2600000"),
             make_park(world["shangdang"], name="长治小园", sites=((True, "1999"),), agencies=9),
             make_park(world["dushanzi"], name="克拉玛依园", sites=((True, "2500"),), revenue="2600000")]
    batch = evaluate_all(2025)
    for park in parks:
        alone = rules_for(park.jurisdiction).evaluate(load_park_facts([park.id])[park.id], 2025)
        assert batch[park.id].results == alone.results and batch[park.id].results
        assert batch[park.id].warnings == alone.warnings
    assert batch[parks[1].id].by_id("site_area").status != batch[parks[0].id].by_id("site_area").status


def test_plugins_are_asked_for_criteria_once_per_jurisdiction_not_per_park(world, monkeypatch):
    for i in range(6):
        make_park(world["shangdang" if i % 2 else "dushanzi"], name=f"园区{i}", agencies=2)
    asked = []
    original = Jurisdiction.criteria
    monkeypatch.setattr(Jurisdiction, "criteria", lambda self, on: asked.append(self.code) or original(self, on))
    evaluate_all(2025)
    assert sorted(asked) == ["changzhi", "karamay"]


def test_the_batch_and_one_park_at_a_time_leave_out_the_same_unlicensed_agencies(world):
    """issue 11 item 20: an operating agency recorded without a licence or filing certificate (`none`,
    or an empty kind) is left out the same way by the batch loader and by a single park's facts."""
    from core.records.models import Agency

    changzhi = make_park(world["shangdang"], name="长治园", agencies=10, revenue="3000000")
    karamay = make_park(world["dushanzi"], name="克拉玛依园", sites=((True, "2500"),), agencies=10, revenue="5000000")
    for park in (changzhi, karamay):
        agencies = list(Agency.select().where(Agency.park == park).order_by(Agency.id))
        for agency, kind in zip(agencies, ("none", "")):
            agency.licence_kind = kind
            agency.save()
    batch = evaluate_all(2025)
    for park, counts in ((changzhi, ("agency_count", "agency_revenue")), (karamay, ("operating_agencies", "agency_revenue"))):
        alone = rules_for(park.jurisdiction).evaluate(load_park_facts([park.id])[park.id], 2025)
        assert batch[park.id].results == alone.results
        count, revenue = (batch[park.id].by_id(c) for c in counts)
        assert count.measured == 8 and count.status != "met"
        assert "经营性机构2家（人力资源公司1、人力资源公司2）不计入" in count.explanation
        assert "其营业收入不计入" in revenue.explanation
