"""Indexes for the back office's lists at a province's size: each filter a list offers on its own
table's column, and each column it lets one sort by, leads an index, ending with id where the list
pages by (value, id) keys (admin.paging) — so a filtered or sorted page reads one index range, not
every row. The audit log's rows of one park (a park operator's scope) are read by park_id too."""

#: (table, columns) of each index added; peewee names it table_col1_col2.
INDEXES = (
    ("audit_log", ("action", "id")),
    ("audit_log", ("actor", "id")),
    ("audit_log", ("at", "id")),
    ("audit_log", ("record_id",)),
    ("audit_log", ("park_id", "id")),
    ("ledger_entry", ("category", "date", "id")),
    ("ledger_entry", ("review", "date", "id")),
    ("ledger_entry", ("amount", "id")),
    ("park", ("name", "id")),
    ("park", ("build_mode", "id")),
    ("park", ("operator_kind", "id")),
    ("agency", ("name", "id")),
    ("agency", ("kind", "id")),
    ("agency", ("licence_kind", "id")),
    ("agency_year", ("year", "id")),
    ("park_year", ("year", "id")),
    ("jurisdiction_year", ("year", "id")),
    ("recognition", ("status", "id")),
    ("subsidy", ("year", "id")),
    ("subsidy", ("status", "id")),
    ("subsidy", ("kind", "id")),
    ("application", ("year", "id")),
    ("application", ("state", "id")),
    ("assessment", ("year", "id")),
    ("assessment", ("grade", "id")),
    ("user_account", ("role", "id")),
)


def up(migrator, db):
    migrator.migrate(*[migrator.add_index(table, columns, False) for table, columns in INDEXES])
    for table in sorted({table for table, _columns in INDEXES}):
        db.execute_sql(f"ANALYZE {table}")  # SQLite prefers an index only once it has statistics


def down(migrator, db):
    migrator.migrate(*[migrator.drop_index(table, "_".join((table, *columns))) for table, columns in INDEXES])
