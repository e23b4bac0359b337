"""Ledger lines whose words point to a forbidden use wait for the finance officer's decision: what
was found (in both languages), the decision (pending / accepted / refused), its reason, who and when."""
from peewee import CharField, DateTimeField, TextField

COLUMNS = ("review", "review_found", "review_found_en", "review_reason", "reviewed_by", "reviewed_at")


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("ledger_entry", "review", CharField(default="")),
        migrator.add_column("ledger_entry", "review_found", TextField(default="")),
        migrator.add_column("ledger_entry", "review_found_en", TextField(default="")),
        migrator.add_column("ledger_entry", "review_reason", TextField(default="")),
        migrator.add_column("ledger_entry", "reviewed_by", CharField(default="")),
        migrator.add_column("ledger_entry", "reviewed_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(*(migrator.drop_column("ledger_entry", column) for column in COLUMNS))
