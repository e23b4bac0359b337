"""The batch evaluation of every park beside its plain-SQL floor, on a database already filled.

    python benchmarks/batch.py --database sqlite:////path/to/province.db --repeat 5
    python benchmarks/batch.py --database postgresql://postgres@127.0.0.1:5432/province --profile 25

Runs benchmarks.run.batch_evaluation (the same batch and the same floor as run.py) `--repeat` times
and prints the medians and their ratio. Reads only: the database is left as it was. `--profile N`
instead runs the batch once under cProfile and prints its N costliest functions (cumulative and own).
`--phases` also prints the median of each of the batch's steps (the load's SQL and building are one step).
`--arithmetic` instead times the plain read of the agencies and their years beside the least Python the
rules need over its tuples (no objects): what the batch would cost if making and freeing them were free.
"""
import argparse
import cProfile
import datetime
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import batch_evaluation  # noqa: E402

#: The parameters naming the revenue lines the arithmetic compares each agency's figures with: the three
#: tiers of a programme that has them (read from its parameters.yaml, as the criterion reads them).
TIER_LINES = ("tier1_revenue", "tier2_revenue", "tier3_revenue")


def profile(db, top):
    """The batch once unprofiled (to warm caches and connections), then once under cProfile."""
    batch_evaluation(db, repeat=1)
    profiler = cProfile.Profile()
    profiler.enable()
    batch_evaluation(db, repeat=1)
    profiler.disable()
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(out.getvalue())


def rules_arithmetic(db, repeat, year=2024):
    """(median s of reading every agency and its figures of `year` and the next by plain SQL, median s of
    the rules' arithmetic over those tuples): each agency resident at the end of the next year, operating
    and licensed, its `year` revenue and pass-through as Decimal, each park's total and tiers' counts."""
    from decimal import Decimal

    from core.records.batch import rules_by_jurisdiction_code
    from core.records.db import is_sqlite
    from core.rules.facts import LICENSED_KINDS

    sqlite = is_sqlite(db)
    end = datetime.date(year + 1, 12, 31)
    day = end.isoformat() if sqlite else end  # as the driver gives a date
    tiered = next(j for j in rules_by_jurisdiction_code().values() if TIER_LINES[0] in j.parameters)
    cent, lines = Decimal("0.01"), [tiered.parameters.value(line, end) for line in TIER_LINES]

    def read():
        cursor = db.connection().cursor()
        tables = {}
        for table, where in (("agency", ""), ("agency_year", f"WHERE year IN ({year}, {year + 1})")):
            cursor.execute(f'SELECT * FROM "{table}" {where}')
            tables[table] = ([column[0] for column in cursor.description], cursor.fetchall())
        cursor.close()
        return tables

    def arithmetic(tables):
        names, rows = tables["agency_year"]
        agency_at, year_at, revenue_at, pass_at = (names.index(n) for n in ("agency_id", "year", "revenue", "pass_through"))
        money = (lambda v: Decimal(round(v * 100)) * cent) if sqlite else (lambda v: v)
        figures = {row[agency_at]: row for row in rows if row[year_at] == year}
        names, rows = tables["agency"]
        id_at, park_at, kind_at, licence_at, admitted_at, exited_at = (names.index(n) for n in (
            "id", "park_id", "kind", "licence_kind", "admitted_on", "exited_on"))
        parks = {}
        for agency in rows:
            admitted, exited = agency[admitted_at], agency[exited_at]
            if (admitted is not None and admitted > day) or (exited is not None and exited <= day):
                continue
            if agency[kind_at] != "operating" or agency[licence_at] not in LICENSED_KINDS:
                continue
            park = parks.setdefault(agency[park_at], [0, Decimal(0), 0, 0, 0])
            park[0] += 1
            found = figures.get(agency[id_at])
            if found is not None:
                value = money(found[revenue_at]) + money(found[pass_at])
                park[1] += value
                for tier, line in enumerate(lines, start=2):
                    park[tier] += value > line
        return parks

    reads, sums = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        tables = read()
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        arithmetic(tables)
        sums.append(time.perf_counter() - started)
    return statistics.median(reads), statistics.median(sums)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="URL of a filled database (only read)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds, each the floor then the batch")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile one batch, print the top N")
    parser.add_argument("--phases", action="store_true", help="also print each step's median")
    parser.add_argument("--arithmetic", action="store_true", help="time the rules' arithmetic over the plain read instead")
    args = parser.parse_args(argv)
    from core.records import db as core_db

    db = core_db.connect(args.database)
    try:
        if args.profile:
            profile(db, args.profile)
            return
        if args.arithmetic:
            read_s, sum_s = rules_arithmetic(db, args.repeat)
            print(f"{args.database}: plain read of the agencies and their years {read_s * 1000:.1f} ms, the rules' "
                  f"arithmetic over its tuples {sum_s * 1000:.1f} ms ({sum_s / read_s:.2f}× the read; medians of {args.repeat})")
            return
        batch_evaluation(db, repeat=1)  # warm: plugins loaded, caches filled, as in a running service
        phases = {} if args.phases else None
        batch_s, plain_s, parks = batch_evaluation(db, repeat=args.repeat, phases=phases)
        print(f"{args.database}: {parks} parks, batch {batch_s:.4f}s, plain SQL {plain_s:.4f}s, "
              f"ratio {batch_s / plain_s:.2f}× (medians of {args.repeat})")
        for name, seconds in (phases or {}).items():
            median = statistics.median(seconds)
            print(f"  {name:<28} {median * 1000:9.2f} ms  ({median / plain_s:.2f}× the plain read)")
    finally:
        db.close()


if __name__ == "__main__":
    main()
