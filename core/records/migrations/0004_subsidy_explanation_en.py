"""Subsidies keep the formula's English explanation beside the Chinese one (the back office's English mode)."""
from peewee import TextField


def up(migrator, db):
    migrator.migrate(migrator.add_column("subsidy", "explanation_en", TextField(default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("subsidy", "explanation_en"))
