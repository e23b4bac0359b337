"""A record's own history in the audit log — the earlier verdicts a changed verdict keeps (issue 11
item 11, shown on the application page), a document's creation date, the audit page filtered by
record — is read by (table, record_id): an index on those two reads a record's few rows instead of
scanning its jurisdiction's log."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("audit_log", ("table", "record_id"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("audit_log", "audit_log_table_record_id"))
