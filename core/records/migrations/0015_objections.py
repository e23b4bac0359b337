"""Objections to a public notice as records: filed under a real name, investigated, upheld or
dismissed with findings and a reply, looked up by the objector with a reference number."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def up(migrator, db):
    class Application(Model):
        class Meta:
            database = db
            table_name = "application"

    class PublicNotice(Model):
        class Meta:
            database = db
            table_name = "public_notice"

    class Objection(Model):
        notice = ForeignKeyField(PublicNotice, on_delete="RESTRICT")
        application = ForeignKeyField(Application, on_delete="RESTRICT")
        reference = CharField(unique=True)
        objector_name = CharField(default="")
        objector_phone = CharField(default="")
        filed_from = CharField(default="")
        content = TextField()
        attachment_name = CharField(default="")
        attachment_path = CharField(default="")
        channel = CharField()
        received_on = DateField()
        filed_at = DateTimeField()
        recorded_by = CharField(default="")
        status = CharField(default="received")
        officer = CharField(default="")
        investigated_on = DateField(null=True)
        findings = TextField(default="")
        reply = TextField(default="")
        decided_on = DateField(null=True)
        erased_on = DateField(null=True)
        version = IntegerField(default=1)

        class Meta:
            database = db
            table_name = "objection"
            indexes = ((("objector_phone", "filed_at"), False), (("filed_from", "filed_at"), False))

    db.create_tables([Objection])


def down(migrator, db):
    db.execute_sql("DROP TABLE objection")
