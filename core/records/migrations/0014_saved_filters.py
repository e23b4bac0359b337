"""Saved list filters: an account's named query strings of a back-office list (filters, sort, search),
one name once per account and list."""
from peewee import CharField, DateTimeField, ForeignKeyField, Model, TextField


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user_account"

    class SavedFilter(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        endpoint = CharField()
        name = CharField(max_length=60)
        query = TextField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "saved_filter"
            indexes = ((("user", "endpoint", "name"), True),)

    db.create_tables([SavedFilter])


def down(migrator, db):
    db.execute_sql("DROP TABLE saved_filter")
