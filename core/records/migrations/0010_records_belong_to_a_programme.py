"""Applications, recognitions, assessments, subsidies and ledger lines belong to one programme (a
plugin's measures) and version. The columns start empty; `core.rules.programmes.assign_unassigned` fills
them once from the plugins installed at that moment (what governed the record until then), and
from then on a record keeps its programme whatever plugins come or go."""
from peewee import CharField

TABLES = ("application", "recognition", "assessment", "subsidy", "ledger_entry")


def up(migrator, db):
    migrator.migrate(
        *[migrator.add_column(table, column, CharField(default=""))
          for table in TABLES for column in ("programme", "programme_version")]
    )


def down(migrator, db):
    migrator.migrate(
        *[migrator.drop_column(table, column) for table in TABLES for column in ("programme", "programme_version")]
    )
