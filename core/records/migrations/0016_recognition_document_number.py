"""The recognition's document number (批复文号): the measures end the procedure with a written
approval (行文批复, each programme citing its own article), published on the 认定名单. Recognitions
made before stay without one."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("recognition", "document_number", CharField(default="")))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("recognition", "document_number"))
