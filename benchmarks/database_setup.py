"""What each test pays for its fresh database: migrating one from scratch, against copying the
migrated template the test suite keeps (tests/conftest.py: a file copy on SQLite; on PostgreSQL the
template schema's SQL, from pg_dump, replayed into the test's own schema).

    python benchmarks/database_setup.py [--repeat 15] [--databases sqlite,postgresql]

PostgreSQL needs HRPARK_TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test).
Prints the median milliseconds of each way, create and drop included, and their ratio. Not a test.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HRPARK_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")

from core.records import schema  # noqa: E402
from core.records.db import database, open_database  # noqa: E402
from tests import conftest  # noqa: E402


def migrated_from_scratch(backend):
    if backend == "sqlite":
        db = open_database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'hrpark.db'}")
        db.connect()
        schema.upgrade(db)
        db.close()
        return
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = open_database(conftest.PG_URL)
    admin.execute_sql(f'CREATE SCHEMA "{name}"')
    admin.close()
    db = conftest._in_schema(name)
    db.connect()
    schema.upgrade(db)
    db.close()
    conftest._drop_schema(name)


def copied_from_template(backend):
    db, cleanup = conftest.make_database(backend, Path(tempfile.mkdtemp()))
    db.close()
    database.initialize(None)
    if cleanup:
        cleanup()


def median_ms(way, backend, repeat):
    way(backend)  # the first call builds the template: not what each test pays
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        way(backend)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for backend in args.databases.replace("postgresql", "postgres").split(","):
        scratch = median_ms(migrated_from_scratch, backend, args.repeat)
        template = median_ms(copied_from_template, backend, args.repeat)
        print(f"{backend:9} migrated from scratch {scratch:8.1f} ms   from the template {template:7.1f} ms"
              f"   ratio {scratch / template:5.1f}×   (median of {args.repeat})")


if __name__ == "__main__":
    main()
