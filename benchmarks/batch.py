"""The batch evaluation of every park beside its plain-SQL floor, on a database already filled.

    python benchmarks/batch.py --database sqlite:////path/to/province.db --repeat 5
    python benchmarks/batch.py --database postgresql://postgres@127.0.0.1:5432/province --profile 25

Runs benchmarks.run.batch_evaluation (the same batch and the same floor as run.py) `--repeat` times
and prints the medians and their ratio. Reads only: the database is left as it was. `--profile N`
instead runs the batch once under cProfile and prints its N costliest functions (cumulative and own).
`--phases` also prints the median of each of the batch's steps (the load's SQL and building are one step).
"""
import argparse
import cProfile
import io
import pstats
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import batch_evaluation  # noqa: E402


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="URL of a filled database (only read)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds, each the floor then the batch")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile one batch, print the top N")
    parser.add_argument("--phases", action="store_true", help="also print each step's median")
    args = parser.parse_args(argv)
    from core.records import db as core_db

    db = core_db.connect(args.database)
    try:
        if args.profile:
            profile(db, args.profile)
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
