"""What may be deleted: never a record with history, never a row others still refer to, and
never by cascading (Flask-Admin's peewee backend deletes with recursive=True, which would take an
application or a subsidy down with its park)."""
from admin import presentation
from admin.i18n import bilingual


class DeletionRefused(Exception):
    """A deletion was refused; the message says why (bilingual)."""


def refuse_deletion_reason(record):
    """Why `record` may not be deleted, or None."""
    if not getattr(record, "hard_delete_allowed", True):
        return bilingual("Records with history are never deleted: withdraw or cancel them with a reason.")
    for fk in type(record)._meta.backrefs:
        if fk.model.select(fk.model.id).where(fk == record.id).exists():
            return bilingual(
                "Cannot delete: records in “%(table)s” still refer to it. Remove or move them first.",
                table=presentation.table_label(fk.model._meta.table_name),
            )
    return None
