"""The public notices page at 1× and at N× the demo's data, side by side: requests to the two
alternate, so both see the same load on this shared machine.

    python benchmarks/public_notices.py --databases sqlite,postgresql --scale 100 --repeat 301

For each database: two fresh databases filled by `hrpark generate --scale 1` and `--scale N`, one
app on each; the page of a county programme's notices (the demo's 潞州区) and of a city's, asked
alternately. Prints per page: the median server time (wall clock, and the CPU time of this thread,
which other processes disturb less), the statements of one request, and the status of a repeat
request carrying the ETag the page gave (304: answered without rendering).
"""
import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import fresh_database  # noqa: E402
from tests.statements import counting  # noqa: E402

PATHS = ("/public/changzhi-luzhou/notices/", "/public/changzhi/notices/", "/public/karamay/notices/")


def filled_app(url, env, scale, workdir):
    from admin.app import create_app
    from core.records import db as core_db
    from core.records import schema
    from core.world.generate import generate

    db = core_db.open_database(url)
    if "PGOPTIONS" in env:  # this side's own schema, whichever schema the environment names later
        db.connect_params["options"] = env["PGOPTIONS"]
    core_db.database.initialize(db)
    schema.upgrade(db)
    generate(scale)
    db.close()
    app = create_app({"DATABASE": db, "TESTING": True, "SECRET_KEY": "bench-secret",
                      "INSTANCE_PATH": str(Path(workdir) / f"instance{scale}")})
    return db, app.test_client()


def measure(sides, path, repeat):
    """{scale: (median wall ms, median CPU ms, statements, repeat status)} with requests alternating."""
    from core.records.db import database

    wall, cpu, result = {s: [] for s in sides}, {s: [] for s in sides}, {}
    for scale, (db, client) in sides.items():
        database.initialize(db)
        client.get(path)  # warm
        with counting(db) as statements:
            first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers.get("ETag", "")})
        result[scale] = [len(statements), again.status_code]
    for i in range(repeat):
        for scale, (db, client) in (sides.items() if i % 2 else reversed(sides.items())):
            database.initialize(db)
            started, started_cpu = time.perf_counter(), time.thread_time()
            client.get(path)
            cpu[scale].append((time.thread_time() - started_cpu) * 1000)
            wall[scale].append((time.perf_counter() - started) * 1000)
    return {s: (statistics.median(wall[s]), statistics.median(cpu[s]), *result[s]) for s in sides}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=301)
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="hrpark-public-")
    print("| database | page | 1× wall / CPU ms | "
          f"{args.scale}× wall / CPU ms | ratio wall / CPU | statements 1× → {args.scale}× | repeat with ETag |")
    print("|---|---|---|---|---|---|---|")
    for kind in args.databases.split(","):
        with contextlib.ExitStack() as stack:
            sides = {}
            for scale in (1, args.scale):
                url, env = stack.enter_context(fresh_database(kind, workdir))
                sides[scale] = filled_app(url, env, scale, workdir)
            for path in PATHS:
                m = measure(sides, path, args.repeat)
                (w1, c1, q1, s1), (wn, cn, qn, sn) = m[1], m[args.scale]
                print(f"| {kind} | `{path}` | {w1:.1f} / {c1:.1f} | {wn:.1f} / {cn:.1f} | {wn / w1:.2f}× / {cn / c1:.2f}× | "
                      f"{q1} → {qn} | {s1} / {sn} |")
            for db, _client in sides.values():
                db.close()


if __name__ == "__main__":
    main()
