"""The ledger list reads the latest lines first (ORDER BY date DESC, id DESC LIMIT 20): an index on
(date, id) lets the database read those twenty instead of sorting every line of the province."""


def up(migrator, db):
    migrator.migrate(migrator.add_index("ledger_entry", ("date", "id"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("ledger_entry", "ledger_entry_date_id"))
