"""The back office's lists on databases already filled, each beside its floor and the stock view.

    python benchmarks/lists.py --database sqlite:////path/to/1x.db --database sqlite:////path/to/province.db --repeat 9

Runs benchmarks.pages.measure_lists (the same pages, floors and stock Flask-Admin view as run.py) on
each database in turn, signed in as a throw-away administrator that is removed afterwards, and
prints run.py's tables. Nothing else is written: generate the databases first (`hrpark generate
--scale 1`, `--province`) and bring them to the current schema (`hrpark --database URL db upgrade`).
"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import pages  # noqa: E402
from benchmarks.run import admin_user  # noqa: E402


def measure(url, repeat):
    """{db, scale, lists, stock} of one database, as run.py's rows."""
    from core.records import db as core_db
    from core.records.accounts import User
    from core.records.db import is_sqlite
    from core.records.models import LedgerEntry

    db = core_db.connect(url)
    user, password = admin_user()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            app, client = pages.signed_in_client(db, workdir, user, password)
            lists = pages.measure_lists(db, app, client, repeat)
            stock = pages.stock_ledger(db, repeat)
    finally:
        User.delete().where(User.id == user.id).execute()
    lines = LedgerEntry.select().count()
    return {"db": "sqlite" if is_sqlite(db) else "postgresql", "scale": f"{lines:,} ledger lines",
            "lists": lists, "stock": stock}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", required=True, help="URL of a filled database (repeatable)")
    parser.add_argument("--repeat", type=int, default=9, help="requests timed per page (after one warm-up)")
    args = parser.parse_args(argv)
    rows = [measure(url, args.repeat) for url in args.database]
    print("\n".join(pages.report_lists(rows)))


if __name__ == "__main__":
    main()
