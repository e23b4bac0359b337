"""The in-app inbox: one row per notification and recipient, read or not, mailed or not.

A notification is written in the transaction of what it tells (an application returned, a grant
paid …) or by the daily scan (a deadline drawing near). Its `dedupe_key` is unique per recipient,
so telling the same thing twice — the scan run again the next day — writes nothing.
"""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core.records.accounts import User
from core.records.models import BaseModel, Jurisdiction, Park, now


class Notification(BaseModel):
    """Something one account should know: what happened or falls due, in both languages, and where."""

    recipient = ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    kind = CharField()  # vocab.NOTIFICATION_KINDS
    title = CharField()
    title_en = CharField(default="")
    body = TextField(default="")
    body_en = TextField(default="")
    article = CharField(default="")
    jurisdiction = ForeignKeyField(Jurisdiction, null=True, on_delete="CASCADE")
    park = ForeignKeyField(Park, null=True, on_delete="CASCADE")
    # The record it is about, as (table, id): the back office turns it into a link.
    record_table = CharField(default="")
    record_id = IntegerField(null=True)
    due_on = DateField(null=True)
    dedupe_key = CharField()
    created_at = DateTimeField(default=now)
    read_at = DateTimeField(null=True)
    mailed_at = DateTimeField(null=True)

    class Meta:
        table_name = "notification"
        # one row per thing told and recipient; the inbox reads a recipient's rows, unread first
        indexes = ((("recipient", "dedupe_key"), True), (("recipient", "read_at"), False), (("mailed_at",), False))


#: The tables of the inbox (migrations compare against this).
MODELS = [Notification]


def notify(recipients, **fields):
    """A notification for each of `recipients` (Users), none twice for one `dedupe_key`; returns the
    ids of the rows written (a recipient told before gets none)."""
    key = fields["dedupe_key"]
    recipients = {user.id: user for user in recipients}
    if not recipients:
        return []
    told = {
        uid for (uid,) in Notification.select(Notification.recipient)
        .where(Notification.recipient.in_(list(recipients)) & (Notification.dedupe_key == key)).tuples()
    }
    new = sorted(set(recipients) - told)
    for uid in new:
        # ON CONFLICT DO NOTHING: a second worker telling the same thing at the same moment loses quietly.
        Notification.insert(recipient=uid, created_at=now(), **fields).on_conflict_ignore().execute()
    if not new:
        return []
    return [row_id for (row_id,) in Notification.select(Notification.id).where(
        Notification.recipient.in_(new) & (Notification.dedupe_key == key)).tuples()]

def unread_count(user):
    return Notification.select().where((Notification.recipient == user) & Notification.read_at.is_null()).count()
