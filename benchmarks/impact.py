"""Rule-change impact at scale: `hrpark impact` against one batch evaluation of the same parks.

    python benchmarks/impact.py [--scale 100] [--databases sqlite,postgresql] [--repeat 5]

Generates the province-scale data (`hrpark generate`'s code), installs the fictional 2027 revision of
Changzhi's measures (examples/revisions/), then times, median of --repeat rounds:
  - batch: every park Changzhi governs loaded and judged once (eligibility, the latest grade of each
    recognised park, its subsidies for the year) — what one evaluation of the register costs;
  - impact: `core.rules.impact.impact(changzhi, "正式")`, the same parks judged under both versions.
Prints the medians and their ratio (issue 12's target: impact ≤ 2.5 × batch). Not a test.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["HRPARK_REVISIONS_DIR"] = str(ROOT / "examples" / "revisions")

from benchmarks.run import fresh_database  # noqa: E402


def one_batch(rules, year):
    from core.rules.assessment import assessment_day
    from core.rules.facts import load_park_facts
    from core.rules.impact import governed_parks
    from core.records.models import Assessment, Recognition
    from core.rules.subsidy import SubsidyContext

    park_ids = governed_parks(rules)
    facts = load_park_facts(park_ids)
    rules.evaluate_parks([facts[i] for i in park_ids], year)
    recognitions = list(Recognition.select().where(Recognition.programme == rules.code))
    grades, latest = {}, {}
    for a in Assessment.select().where(Assessment.status == "confirmed").order_by(Assessment.year):
        grades.setdefault(a.recognition_id, {})[a.year] = a.grade
        latest[a.recognition_id] = a
    for r in recognitions:
        if r.id in latest:
            rules.grade(latest[r.id].scores, assessment_day(latest[r.id].year))
        rules.subsidies(SubsidyContext(park=facts[r.park_id], year=year, recognised_on=r.recognised_on,
                                       recognition_status=r.status, grades=grades.get(r.id, {}), revoked_on=r.revoked_on))
    return len(park_ids)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from core.records import db as core_db
    from core.records import schema
    from core.world.generate import generate
    from core.rules.impact import impact
    from core.plugin.registry import load_registry, set_registry

    registry = set_registry(load_registry())
    rules = registry.get("changzhi")
    assert [r.label for r in rules.revisions()] == ["正式"], rules.revisions()
    print(f"| database | scale | parks | batch (median) | impact (median) | impact ÷ batch | parks moved |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as workdir:
        for kind in args.databases.split(","):
            with fresh_database(kind, workdir) as (url, _env):
                database = core_db.connect(url)
                schema.upgrade(database)
                generate(args.scale, reg=registry)
                batch_times, impact_times = [], []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    parks = one_batch(rules, 2027)
                    batch_times.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    report = impact(rules, "正式", year=2027)
                    impact_times.append(time.perf_counter() - started)
                b, i = statistics.median(batch_times), statistics.median(impact_times)
                print(f"| {kind} | {args.scale}× | {parks} | {b * 1000:.0f} ms | {i * 1000:.0f} ms | {i / b:.2f}× "
                      f"| {len(report.parks)} |")
                database.close()


if __name__ == "__main__":
    main()
