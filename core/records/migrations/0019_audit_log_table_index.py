"""The audit log by table, newest first: an index on (table, id). The public site asks when each public
table last changed (admin.public.caching.last_change) — with it, one index seek per table, however
many rows of other tables a million-row log holds after the last public change."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("audit_log", ("table", "id"), False))
    db.execute_sql("ANALYZE audit_log")


def down(migrator, db):
    migrator.migrate(migrator.drop_index("audit_log", "audit_log_table_id"))
