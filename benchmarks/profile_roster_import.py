"""Time and profile the 5,000-row roster import of benchmarks/run.py, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/profile_roster_import.py [--databases sqlite,postgresql] [--repeat 3]
                                                         [--rows 5000] [--profile] [--queries]

Each database is fresh (SQLite: a temporary file; PostgreSQL: a throw-away schema at
127.0.0.1:5432/test, as run.py's `fresh_database`) and filled by `generate(1)`; every repeat imports
the same .xlsx (built as run.py's `roster_import` builds it) into a new park. Prints the median
seconds; --profile adds a pyinstrument profile of one more import (pyinstrument is not a
dependency of the project: `.venv/bin/pip install pyinstrument`), --queries the statements it ran.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import counting, fresh_database, roster_xlsx  # noqa: E402  (benchmarks/run.py)


def import_into_new_park(data, rows, number):
    from core.io import tabular
    from core.records.audit import Actor
    from core.records.models import Jurisdiction, Park

    park = Park.create(jurisdiction=Jurisdiction.get(Jurisdiction.code == "changzhi"), name=f"名册导入基准园区{number}")
    started, cpu = time.perf_counter(), time.process_time()
    result = tabular.import_table("roster.xlsx", data, park, Actor("bench", "admin"), kind="roster")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.created == rows, result.as_dict()
    return elapsed, cpu


def run(kind, args, workdir):
    from core.records import db as core_db
    from core.records import schema
    from core.world.generate import generate

    data = roster_xlsx(args.rows)
    with fresh_database(kind, workdir) as (url, _env):
        db = core_db.connect(url)
        schema.upgrade(db)
        generate(1)
        if kind != "sqlite":
            db.execute_sql("ANALYZE")
        times, cpu = zip(*(import_into_new_park(data, args.rows, n) for n in range(args.repeat)))
        # CPU time of this process too: on a busy machine it varies less than the wall clock.
        print(f"{kind}: {args.rows} rows, median of {args.repeat}: {statistics.median(times):.3f} s "
              f"({', '.join(f'{t:.3f}' for t in times)}); this process's CPU {statistics.median(cpu):.3f} s")
        if args.queries:
            with counting(db) as statements:
                import_into_new_park(data, args.rows, "queries")
            print(f"{kind}: {len(statements)} statements")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            profiler.start()
            import_into_new_park(data, args.rows, "profiled")
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        db.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--queries", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hrpark-profile-") as workdir:
        for kind in args.databases.split(","):
            run(kind, args, workdir)


if __name__ == "__main__":
    main()
