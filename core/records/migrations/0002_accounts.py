"""Accounts: users, login attempts (throttling), server-side sessions and API tokens.

Generated with playhouse.migrations.template(diff_models(db, core.records.accounts.MODELS)) on a database
at 0001, then frozen: later changes are new numbered migrations, never edits to this file.
Python-side defaults (the `now` timestamps) are the models' business, not the schema's.
"""
from peewee import *


def up(migrator, db):
    class Jurisdiction(Model):
        class Meta:
            database = db
            table_name = 'jurisdiction'

    class Park(Model):
        class Meta:
            database = db
            table_name = 'park'

    class User(Model):
        username = CharField(unique=True)
        display_name = CharField(default='')
        password_hash = CharField(default='')
        role = CharField()
        jurisdiction = ForeignKeyField(Jurisdiction, null=True, on_delete='RESTRICT')
        park = ForeignKeyField(Park, null=True, on_delete='RESTRICT')
        active = BooleanField(default=True)
        created_at = DateTimeField()
        last_login_at = DateTimeField(null=True)
        password_changed_at = DateTimeField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'user_account'
    db.create_tables([User])

    class ApiToken(Model):
        name = CharField()
        token_hash = CharField(unique=True)
        user = ForeignKeyField(User, on_delete='CASCADE')
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'api_token'
    db.create_tables([ApiToken])

    class LoginAttempt(Model):
        username = CharField()
        ip = CharField(default='')
        at = DateTimeField()
        outcome = CharField()
        class Meta:
            database = db
            table_name = 'login_attempt'
            indexes = ((('username', 'ip', 'at'), False),)
    db.create_tables([LoginAttempt])

    class ServerSession(Model):
        key_hash = CharField(unique=True)
        user = ForeignKeyField(User, null=True, on_delete='CASCADE')
        data = TextField(default='{}')
        created_at = DateTimeField()
        last_seen_at = DateTimeField(index=True)
        revoked_at = DateTimeField(null=True)
        ip = CharField(default='')
        user_agent = CharField(default='')
        class Meta:
            database = db
            table_name = 'server_session'
    db.create_tables([ServerSession])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('server_session'))
    migrator.migrate(migrator.drop_table('login_attempt'))
    migrator.migrate(migrator.drop_table('api_token'))
    migrator.migrate(migrator.drop_table('user_account'))
