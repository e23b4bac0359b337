"""The province-scale benchmark: generated data at several scales, on SQLite and PostgreSQL, and a table.

    python benchmarks/run.py --scales 1,100 --databases sqlite,postgresql [--repeat 15] [--wrk-seconds 5]
    python benchmarks/run.py --scales province --databases sqlite --repeat 5 --skip batch,api,roster

For each database and scale: a fresh database (SQLite: a temporary file; PostgreSQL: a schema of
its own at 127.0.0.1:5432/test, dropped afterwards) filled by `hrpark generate`'s code (`province`:
`hrpark generate --province`, the ledger and audit log topped up to a million rows each), then
  - batch evaluation of every park (eligibility; grades and subsidies of every recognised park),
    median of 15 rounds (5 above 10×), and its ratio to reading the same rows with plain SQL (cursor.fetchall);
  - the back office's list pages and dashboard through the Flask test client, signed in as an
    administrator: median and p95 server time over --repeat requests, and queries per page;
  - the API's list endpoints under wrk from a second process against `hrpark serve --workers 2
    --threads 4` (gunicorn, one process per core) on 127.0.0.1: requests per second and p95 latency;
  - the import of a 5,000-row roster into one park;
  - the lists at scale beside their plain-SQL floor, and the ledger beside a stock Flask-Admin view
    (benchmarks/pages.py).
`--skip batch,api,roster` leaves those parts out (a province run then takes minutes, not hours).
Prints a Markdown table (paste it into benchmarks/RESULTS.md). Not a test: times depend on the machine.
"""
import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import pages  # noqa: E402

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
PAGES = {
    "parks": "/admin/park/",
    "agencies": "/admin/agency/",
    "applications": "/admin/application/",
    "subsidies": "/admin/subsidy/",
    "ledger": "/admin/ledger/",
    "workbench": "/admin/",
    "overview": "/admin/overview/",
    # The public site (no sign-in needed; the signed-in client reads it as anyone would).
    "public notices": "/public/changzhi-luzhou/notices/",
    "public recognised": "/public/changzhi/recognised/",
}
API = {"parks": "/api/v1/parks", "agencies": "/api/v1/agencies", "applications": "/api/v1/applications",
       "agency-years": "/api/v1/agency-years"}
ROSTER_ROWS = 5000
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH rps=%.1f p50=%.2f p95=%.2f errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


@contextlib.contextmanager
def fresh_database(kind, workdir):
    """(url, env for subprocesses) of an empty database; removed afterwards."""
    if kind == "sqlite":
        path = Path(workdir) / f"bench_{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}", {}
        return
    import psycopg2

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE SCHEMA "{schema}"')
    previous = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = f"-c search_path={schema}"  # libpq: every connection of this process and its children
    try:
        yield PG_URL, {"PGOPTIONS": os.environ["PGOPTIONS"]}
    finally:
        if previous is None:
            os.environ.pop("PGOPTIONS", None)
        else:
            os.environ["PGOPTIONS"] = previous
        admin.cursor().execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def batch_evaluation(db, repeat=3, phases=None):
    """(median seconds of the batch, median seconds of the plain-SQL read of the same rows, parks).

    The batch reads the years of figures its rules read (core.records.batch.figure_years) and, for the
    subsidies, the parks' figures of each assessed year; the plain read reads those same rows.
    `phases` (a dict): each round's seconds of the batch's steps are appended to it under their names
    (rules, grades, load, evaluate, consequences and subsidies)."""
    from core.rules.assessment import GradeRecord, assessment_day
    from core.records.batch import evaluate_facts, figure_years, rules_by_jurisdiction_code
    from core.rules.facts import driver_rows, load_park_facts
    from core.records.models import Assessment, Jurisdiction, Recognition
    from core.rules.subsidy import SubsidyContext

    clock = [time.perf_counter()]

    def step(name):  # the time since the last step, under `name`
        now = time.perf_counter()
        if phases is not None:
            phases.setdefault(name, []).append(now - clock[0])
        clock[0] = now

    def batch():
        clock[0] = time.perf_counter()
        rules = rules_by_jurisdiction_code()
        step("rules")
        grades = {}
        confirmed = Assessment.select(Assessment.recognition, Assessment.year, Assessment.grade).where(
            Assessment.status == "confirmed")
        for recognition_id, year, grade in driver_rows(confirmed, "benchmark: confirmed grades"):
            grades.setdefault(recognition_id, {})[year] = grade
        step("grades")
        assessed = {year for by_year in grades.values() for year in by_year}
        facts = load_park_facts(years=figure_years(rules, 2025), park_years=assessed)
        step("load")
        results = evaluate_facts(facts, 2025, None, rules)
        step("evaluate")
        recognitions = Recognition.select(Recognition.id, Recognition.park, Jurisdiction.code, Recognition.recognised_on,
                                          Recognition.status, Recognition.revoked_on).join(Jurisdiction)
        for recognition_id, park_id, code, recognised_on, status, revoked_on in driver_rows(recognitions, "benchmark: recognitions"):
            recognised_on = Recognition.recognised_on.python_value(recognised_on)  # SQLite's text, as the model reads it
            revoked_on = Recognition.revoked_on.python_value(revoked_on)
            j = rules[code]
            history = [GradeRecord(y, g) for y, g in sorted(grades.get(recognition_id, {}).items())]
            j.consequences(history, assessment_day(history[-1].year) if history else recognised_on)
            for year in sorted(grades.get(recognition_id, {})):
                j.subsidies(SubsidyContext(park=facts[park_id], year=year, recognised_on=recognised_on,
                                           recognition_status=status, grades=grades[recognition_id], revoked_on=revoked_on))
        step("consequences and subsidies")
        return len(results)

    years = figure_years(rules_by_jurisdiction_code(), 2025)
    assessed = {year for (year,) in Assessment.select(Assessment.year).where(Assessment.status == "confirmed").tuples()}
    of_years = {} if years is None else {
        "agency_year": f"WHERE year IN ({', '.join(map(str, sorted(years)))})",
        "park_year": f"WHERE year IN ({', '.join(map(str, sorted({*years, *assessed})))})"}
    tables = ("jurisdiction", "park", "site", "agency", "agency_year", "park_year", "jurisdiction_year", "recognition",
              "assessment")

    def plain():
        cursor = db.connection().cursor()
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" {of_years.get(table, "")}')
            cursor.fetchall()
        cursor.close()

    batch_times, plain_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        plain()
        plain_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        parks = batch()
        batch_times.append(time.perf_counter() - started)
    return statistics.median(batch_times), statistics.median(plain_times), parks


def admin_user():
    from core.records.accounts import PASSWORD_HASHER, User

    password = "bench-password-" + uuid.uuid4().hex[:6]
    user = User.create(username="bench-admin", role="admin", active=True, display_name="bench",
                       password_hash=PASSWORD_HASHER.hash(password))
    return user, password


def list_pages(db, client, repeat):
    """{page: (median ms, p95 ms, queries, status)} through the signed-in test client."""
    return {name: pages.time_page(db, client, path, repeat) for name, path in PAGES.items()}


def api_under_load(url, env, user, seconds, workdir, workers=2, threads=4):
    """{endpoint: (requests/s, p95 ms, errors)} from wrk against `hrpark serve`, or a reason it could not run."""
    if shutil.which("wrk") is None:
        return "wrk is not installed (apt-get install -y wrk)"
    try:
        from admin.api.tokens import issue_token
    except ImportError as exc:
        return f"the API is not there yet ({exc})"
    _token, clear = issue_token(user, "benchmark")
    script = Path(workdir) / "p95.lua"
    script.write_text(WRK_SCRIPT)
    port = 18000 + os.getpid() % 1000
    environment = dict(os.environ, **env, HRPARK_SECRET_KEY="bench-secret", HRPARK_INSTANCE_PATH=str(Path(workdir) / "instance"))
    server = subprocess.Popen([sys.executable, "-m", "core.io.cli.main", "--database", url, "serve", "--port", str(port),
                               "--workers", str(workers), "--threads", str(threads)], cwd=str(ROOT), env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        results = {}
        for name, path in API.items():
            # One second unmeasured first, so that every worker has built its app and warmed its caches.
            subprocess.run(["wrk", "-t2", "-c8", "-d1s", "-H", f"Authorization: Bearer {clear}",
                            f"http://127.0.0.1:{port}{path}"], capture_output=True, timeout=30)
            out = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                 "-H", f"Authorization: Bearer {clear}", f"http://127.0.0.1:{port}{path}"],
                capture_output=True, text=True, timeout=seconds + 30,
            ).stdout
            line = next((l for l in out.splitlines() if l.startswith("BENCH")), "")
            fields = dict(part.split("=") for part in line.split()[1:]) if line else {}
            non2xx = next((l for l in out.splitlines() if "Non-2xx" in l), "")
            results[name] = (float(fields.get("rps", "nan")), float(fields.get("p95", "nan")),
                             non2xx.split(":")[-1].strip() if non2xx else "0")
        return results
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def roster_xlsx(rows):
    """A roster workbook of `rows` agencies, as an operator would fill the template."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["机构名称", "许可证/备案编号", "机构性质", "许可类型", "服务业态", "入驻日期"])
    for i in range(rows):
        sheet.append([f"名册导入人力资源服务公司{i:05d}", f"ROSTER-{i:05d}", "经营性", "人力资源服务许可证", "招聘服务、培训服务", "2024-03-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_import(user):
    """Seconds to import a 5,000-row roster into a new park (one transaction)."""
    from core.io import tabular
    from core.records.audit import Actor
    from core.records.models import Jurisdiction, Park

    data = roster_xlsx(ROSTER_ROWS)
    park = Park.create(jurisdiction=Jurisdiction.get(Jurisdiction.code == "changzhi"), name="名册导入基准园区")
    started = time.perf_counter()
    result = tabular.import_table("roster.xlsx", data, park, Actor("bench", "admin"), kind="roster")
    elapsed = time.perf_counter() - started
    assert result.created == ROSTER_ROWS, result.as_dict()
    return elapsed


def run_one(kind, scale, args, workdir):
    from core.records import db as core_db
    from core.records import schema
    from core.world.generate import generate
    from core.world.province import PROVINCE, generate_sized
    from core.records.models import Agency, AgencyYear, AuditLog, LedgerEntry, Park

    skip = set(args.skip)
    with fresh_database(kind, workdir) as (url, env):
        db = core_db.connect(url)
        schema.upgrade(db)
        started = time.perf_counter()
        counts = generate_sized(PROVINCE, report=lambda text: print(f"[{kind} {scale}] {text}", file=sys.stderr)) \
            if scale == "province" else generate(scale)
        row = {"db": kind, "scale": scale if scale == "province" else f"{scale}×", "generate_s": time.perf_counter() - started,
               "rows": sum(counts.values()), "parks": Park.select().count(), "agencies": Agency.select().count(),
               "agency_years": AgencyYear.select().count(), "ledger": LedgerEntry.select().count(),
               "audit": AuditLog.select().count()}
        print(f"[{kind} {row['scale']}] generated {row['rows']} rows in {row['generate_s']:.1f}s", file=sys.stderr)
        if "batch" not in skip:
            # Medians of several interleaved rounds: at 1× a round is tens of milliseconds, and three of them
            # were seen to swing the ratio by half a point on this shared machine.
            small = scale != "province" and scale <= 10
            row["batch_s"], row["plain_s"], _ = batch_evaluation(db, repeat=15 if small else 5)
            print(f"[{kind} {row['scale']}] batch {row['batch_s']:.3f}s plain {row['plain_s']:.3f}s", file=sys.stderr)
        user, password = admin_user()
        app, client = pages.signed_in_client(db, workdir, user, password)
        row["pages"] = list_pages(db, client, args.repeat)
        row["revalidated"] = {name: pages.revalidation_status(client, path) for name, path in PAGES.items()
                              if path.startswith("/public/")}
        print(f"[{kind} {row['scale']}] pages {row['pages']}", file=sys.stderr)
        row["lists"] = pages.measure_lists(db, app, client, args.repeat)
        row["stock"] = pages.stock_ledger(db, args.repeat)
        print(f"[{kind} {row['scale']}] lists {row['lists']} stock {row['stock']}", file=sys.stderr)
        row["api"] = (api_under_load(url, env, user, args.wrk_seconds, workdir, args.workers, args.threads)
                      if args.wrk_seconds and "api" not in skip else "skipped")
        print(f"[{kind} {row['scale']}] api {row['api']}", file=sys.stderr)
        if "roster" not in skip:
            row["roster_s"] = roster_import(user)
        db.close()
    return row


def report(rows, workers=2, threads=4):
    lines = ["| database | scale | parks | agencies | agency-years | ledger lines | audit rows | rows generated | generate (s) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['db']} | {r['scale']} | {r['parks']} | {r['agencies']} | {r['agency_years']} | {r['ledger']} | "
                     f"{r['audit']} | {r['rows']} | {r['generate_s']:.1f} |")
    lines += ["", "Batch evaluation of every park (eligibility, grades, subsidies) vs plain SQL read of the same rows (target ≤ 2×):", "",
              "| database | scale | batch (s) | plain SQL (s) | ratio |", "|---|---|---|---|---|"]
    for r in rows:
        if "batch_s" not in r:
            lines.append(f"| {r['db']} | {r['scale']} | skipped | | |")
            continue
        lines.append(f"| {r['db']} | {r['scale']} | {r['batch_s']:.3f} | {r['plain_s']:.3f} | {r['batch_s'] / r['plain_s']:.2f}× |")
    lines += ["", "Back office pages, server time through the test client (median / p95 ms, queries per page):", "",
              "| database | scale | " + " | ".join(PAGES) + " |", "|---|---|" + "---|" * len(PAGES)]
    for r in rows:
        cells = [f"{m:.0f} / {p:.0f} ms, {q} q" + ("" if s == 200 else f" (HTTP {s})") for m, p, q, s in (r["pages"][n] for n in PAGES)]
        lines.append(f"| {r['db']} | {r['scale']} | " + " | ".join(cells) + " |")
    lines += ["", "Public pages asked again with the ETag they gave (304: answered without rendering):", ""]
    lines += [f"- {r['db']} {r['scale']}: " + ", ".join(f"{n} HTTP {status}" for n, status in r["revalidated"].items())
              for r in rows]
    lines += pages.report_lists(rows)
    lines += ["", f"API list endpoints under wrk (2 threads, 8 connections) against `hrpark serve --workers {workers} "
                  f"--threads {threads}` (req/s, p95 ms):", ""]
    if all(isinstance(r["api"], dict) for r in rows):
        lines += ["| database | scale | " + " | ".join(API) + " |", "|---|---|" + "---|" * len(API)]
        for r in rows:
            cells = [f"{rps:.0f} req/s, p95 {p95:.0f} ms" + ("" if e == "0" else f", non-2xx {e}") for rps, p95, e in (r["api"][n] for n in API)]
            lines.append(f"| {r['db']} | {r['scale']} | " + " | ".join(cells) + " |")
    else:
        lines += [f"- {r['db']} {r['scale']}: {r['api']}" for r in rows]
    lines += ["", f"Import of a {ROSTER_ROWS}-row roster (.xlsx) into one park:", "", "| database | scale | seconds |", "|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['db']} | {r['scale']} | " + (f"{r['roster_s']:.1f}" if "roster_s" in r else "skipped") + " |")
    return "\n".join(lines)


def scales(text):
    """`1,100,province` -> [1, 100, "province"]."""
    return [part if part == "province" else int(part) for part in text.split(",")]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=scales, default="1,100", help="units of the samples' parks, or `province`")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=15, help="requests per page for median/p95")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="seconds of load per API endpoint (0: skip)")
    parser.add_argument("--workers", type=int, default=2, help="hrpark serve --workers for the API load")
    parser.add_argument("--threads", type=int, default=4, help="hrpark serve --threads for the API load")
    parser.add_argument("--skip", type=lambda text: [p for p in text.split(",") if p], default=[],
                        help="parts left out: batch, api, roster (comma-separated)")
    args = parser.parse_args(argv)
    rows = []
    workdir = tempfile.mkdtemp(prefix="hrpark-bench-")
    try:
        for kind in args.databases.split(","):
            for scale in args.scales:
                rows.append(run_one(kind, scale, args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nCommand: python benchmarks/run.py {' '.join(argv if argv is not None else sys.argv[1:])}\n")
    print(report(rows, args.workers, args.threads))


if __name__ == "__main__":
    main()
