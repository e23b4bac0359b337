"""Schema migrations: `hrpark db upgrade` applies the numbered scripts in core/records/migrations/ in order.

Built on playhouse.migrations (shipped with peewee): each script defines `up(migrator, db)` with
frozen copies of the tables it creates, so an old database upgrades with its data intact.
"""
from pathlib import Path

from peewee import PostgresqlDatabase
from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

from core.records.db import database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def runner(db=None):
    return Runner(db or database.obj, directory=str(MIGRATIONS_DIR), table_name="schema_migration")


#: Any fixed number: workers starting together upgrade one at a time under this PostgreSQL lock.
MIGRATION_LOCK = 720_241


def upgrade(db=None, target=None):
    """Apply every pending migration (or up to `target`); return the names applied.

    On PostgreSQL an advisory lock makes workers that start together take turns: the first
    migrates, the others then find nothing pending.
    """
    db = db or database.obj
    if not isinstance(db, PostgresqlDatabase):
        return runner(db).up(target=target)
    db.execute_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        return runner(db).up(target=target)
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))


def status(db=None):
    """(name, applied datetime or None) for each migration."""
    return [(m.name, m.applied) for m in runner(db).status()]


def pending_differences(db=None):
    """What the database lacks compared with the current models (empty when up to date)."""
    from core.records.accounts import MODELS as ACCOUNT_MODELS
    from core.records.models import MODELS
    from core.records.notifications import MODELS as INBOX_MODELS

    from core.records.text_search import text_index_names

    diff = diff_models(db or database.obj, MODELS + ACCOUNT_MODELS + INBOX_MODELS)
    # The lists' trigram indexes (migration 0018) are the search's, not a model's: no model declares them.
    kept = [index for index in diff.drop_indexes if index.name not in text_index_names()]
    return diff._replace(drop_indexes=kept)
