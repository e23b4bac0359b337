"""The garbage collector's pauses in a serving process, with its start-up objects in its walks and set aside.

    python benchmarks/collector_pauses.py --database sqlite:////path/to/province.db --requests 400

Builds the back office as `hrpark serve` does, signs in a throw-away administrator (removed
afterwards), and asks for a list page `--requests` times, first as the app was built and then after
admin.serving.set_start_up_objects_aside; each half runs in a fresh process. Prints each half's
median, p95 and slowest request and the collections of each generation (count, total, longest).
"""
import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_half(url, path, requests, set_aside):
    """{requests: [ms…], collections: {generation: [ms…]}, tracked} of one process."""
    from admin.serving import set_start_up_objects_aside
    from benchmarks import pages
    from benchmarks.run import admin_user
    from core.records import db as core_db
    from core.records.accounts import User

    db = core_db.connect(url)
    user, password = admin_user()
    collections, started = {0: [], 1: [], 2: []}, [0.0]

    def watch(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            collections[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    try:
        with tempfile.TemporaryDirectory() as workdir:
            _app, client = pages.signed_in_client(db, workdir, user, password)
            client.get(path)
            if set_aside:
                set_start_up_objects_aside()
            tracked = len(gc.get_objects())
            gc.callbacks.append(watch)
            times = []
            for _ in range(requests):
                begun = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - begun) * 1000)
            gc.callbacks.remove(watch)
    finally:
        User.delete().where(User.id == user.id).execute()
        db.close()
    return {"requests": times, "collections": collections, "tracked": tracked}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="URL of a filled database (only a throw-away user is written)")
    parser.add_argument("--path", default="/admin/subsidy/", help="the page asked for")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--half", choices=("as-built", "set-aside"), help=argparse.SUPPRESS)  # one process's half
    args = parser.parse_args(argv)
    if args.half:
        print(json.dumps(one_half(args.database, args.path, args.requests, args.half == "set-aside")))
        return
    for half in ("as-built", "set-aside"):
        out = subprocess.run([sys.executable, __file__, "--database", args.database, "--path", args.path,
                              "--requests", str(args.requests), "--half", half], check=True, capture_output=True, text=True)
        found = json.loads(out.stdout.strip().splitlines()[-1])
        times = sorted(found["requests"])
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{half:>9}: {found['tracked']:,} objects in the collector's walks; {args.path} median "
              f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms, slowest {times[-1]:.1f} ms")
        for generation, pauses in sorted(found["collections"].items()):
            if pauses:
                print(f"           generation {generation}: {len(pauses)} collections, {sum(pauses):.1f} ms in all, "
                      f"longest {max(pauses):.1f} ms")


if __name__ == "__main__":
    main()
