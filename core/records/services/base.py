"""What every service shares: its errors, the transaction-and-actor wrapper, and the reach check."""
import contextlib
import datetime

from core.records import audit
from core.records.db import database
from core.records.models import StaleEditError  # noqa: F401 (re-exported: services raise it on stale edits)


class ServiceError(Exception):
    """A refused change. `message` is Chinese first, then English."""

    def __init__(self, zh, en, field=None):
        self.zh = zh
        self.en = en
        self.field = field
        super().__init__(f"{zh} — {en}")

    @property
    def message(self):
        return str(self)


class PermissionDenied(ServiceError):
    """The actor's role may not do this, or the record is outside the actor's reach."""


class NotFound(ServiceError):
    pass


@contextlib.contextmanager
def change(actor):
    """One transaction, every audit row written as `actor`."""
    with audit.acting_as(actor), database.atomic():
        yield


def require_role(actor, roles, what_zh, what_en):
    if actor.role not in roles:
        from core.records.vocab import ROLES

        allowed = "、".join(ROLES.label(r) for r in roles)
        raise PermissionDenied(
            f"{ROLES.label(actor.role)}无权{what_zh}（限{allowed}）",
            f"role {actor.role} may not {what_en} (only {', '.join(roles)})",
        )


def require_reach(actor, park):
    """Refuse a park outside the actor's jurisdiction(s) or, for an operator, another park."""
    if not actor.may_reach(park.jurisdiction_id, park.id):
        raise NotFound("记录不存在或不在您的管辖范围内", "record not found or outside your jurisdiction")


def require_text(value, zh, en, field=None):
    if not (value or "").strip():
        raise ServiceError(f"请填写{zh}", f"{en} is required", field=field)
    return value.strip()


def check_version(instance, expected_version):
    """The version the user read must still be the stored one (optimistic locking)."""
    if expected_version is not None and int(expected_version) != instance.version:
        raise StaleEditError(instance)


def today():
    return datetime.date.today()
