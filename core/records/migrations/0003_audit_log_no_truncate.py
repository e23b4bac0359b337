"""The audit log refuses TRUNCATE as well: 0001's row triggers do not fire on it in PostgreSQL.

SQLite has no TRUNCATE (its DELETE without WHERE fires 0001's trigger), so nothing changes there.
"""
from peewee import SqliteDatabase


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        return
    db.execute_sql(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def down(migrator, db):
    if not isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
