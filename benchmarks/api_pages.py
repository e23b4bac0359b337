"""The API's list pages on databases already filled: the first page, a numbered page, the last page and
the keyset links from them, each as an administrator's token reads it.

    python benchmarks/api_pages.py --database sqlite:////path/to/1x.db --database sqlite:////path/to/province.db

Every page is timed through the Flask test client (server time, JSON included) `--repeat` times after
one warm-up, with its statements counted once. The numbered page is the deepest the API numbers
(`page` such that it starts at row COUNT_LIMIT - per_page, or the table's last page when smaller); the
"prev of last" and "next of middle" pages are the URLs the API's own links give. A token and a
throw-away administrator are made for the run and removed afterwards; nothing else is written.
"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import time_request  # noqa: E402
from benchmarks.run import admin_user  # noqa: E402

LISTS = ("/api/v1/ledger", "/api/v1/agency-years")
PER_PAGE = 20


def timed(db, client, path, headers, repeat):
    """(median ms, p95 ms, statements, the JSON body) of `path` (benchmarks.pages.time_request)."""
    median, p95, statements, first = time_request(db, client, path, repeat, headers)
    return median, p95, statements, first.get_json()


def measure(url, repeat):
    """[(list, page, median ms, p95 ms, statements)] of one database."""
    from admin.api import schemas
    from admin.api.tokens import issue_token
    from admin.app import create_app
    from core.records import db as core_db
    from core.records.accounts import ApiToken, User

    db = core_db.connect(url)
    user, _password = admin_user()
    rows = []
    try:
        _token, clear = issue_token(user, "benchmark")
        headers = {"Authorization": f"Bearer {clear}"}
        with tempfile.TemporaryDirectory() as workdir:
            app = create_app({"DATABASE": db, "TESTING": True, "SECRET_KEY": "bench-secret",
                              "INSTANCE_PATH": str(Path(workdir) / "instance")})
            client = app.test_client()
            for path in LISTS:
                first = f"{path}?per_page={PER_PAGE}"
                ms, p95, n, body = timed(db, client, first, headers, repeat)
                rows.append((path, "first", ms, p95, n))
                deepest = (schemas.COUNT_LIMIT - PER_PAGE) // PER_PAGE + 1
                if body["pages"] is not None:
                    deepest = min(deepest, max(body["pages"], 1))
                ms, p95, n, middle = timed(db, client, f"{first}&page={deepest}", headers, repeat)
                rows.append((path, f"page={deepest}", ms, p95, n))
                if middle["next"]:
                    rows.append((path, "its next", *timed(db, client, middle["next"], headers, repeat)[:3]))
                ms, p95, n, last = timed(db, client, body["last"], headers, repeat)
                rows.append((path, "last", ms, p95, n))
                if last["prev"]:
                    rows.append((path, "prev of last", *timed(db, client, last["prev"], headers, repeat)[:3]))
    finally:
        ApiToken.delete().where(ApiToken.user == user.id).execute()
        User.delete().where(User.id == user.id).execute()
        db.close()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", required=True, help="URL of a filled database (repeatable)")
    parser.add_argument("--repeat", type=int, default=15, help="requests timed per page (after one warm-up)")
    args = parser.parse_args(argv)
    for url in args.database:
        print(f"\n{url}")
        print(f"{'list':<24} {'page':<14} {'median ms':>10} {'p95 ms':>8} {'statements':>11}")
        for path, name, ms, p95, n in measure(url, args.repeat):
            print(f"{path:<24} {name:<14} {ms:>10.1f} {p95:>8.1f} {n:>11}")


if __name__ == "__main__":
    main()
