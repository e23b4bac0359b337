"""Reminders: the in-app inbox (a notification per recipient, unique per thing told), and on each
account its e-mail address, how it wants mail (off / each / a daily digest) and the hash of its
calendar feed's secret.

The notification table is a frozen copy of core.records.notifications.Notification as made here;
later changes are new numbered migrations."""
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
        class Meta:
            database = db
            table_name = 'user_account'

    class Notification(Model):
        recipient = ForeignKeyField(User, on_delete='CASCADE')
        kind = CharField()
        title = CharField()
        title_en = CharField(default='')
        body = TextField(default='')
        body_en = TextField(default='')
        article = CharField(default='')
        jurisdiction = ForeignKeyField(Jurisdiction, null=True, on_delete='CASCADE')
        park = ForeignKeyField(Park, null=True, on_delete='CASCADE')
        record_table = CharField(default='')
        record_id = IntegerField(null=True)
        due_on = DateField(null=True)
        dedupe_key = CharField()
        created_at = DateTimeField()
        read_at = DateTimeField(null=True)
        mailed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'notification'
            indexes = ((('recipient', 'dedupe_key'), True), (('recipient', 'read_at'), False), (('mailed_at',), False))
    db.create_tables([Notification])

    migrator.migrate(
        migrator.add_column('user_account', 'email', CharField(default='')),
        migrator.add_column('user_account', 'mail_mode', CharField(default='off')),
        migrator.add_column('user_account', 'calendar_token_hash', CharField(null=True)),
        migrator.add_index('user_account', ('calendar_token_hash',), True),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('user_account', 'user_account_calendar_token_hash'),
        migrator.drop_column('user_account', 'calendar_token_hash'),
        migrator.drop_column('user_account', 'mail_mode'),
        migrator.drop_column('user_account', 'email'),
        migrator.drop_table('notification'),
    )
