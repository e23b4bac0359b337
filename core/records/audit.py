"""Who is acting: the actor recorded in the audit log for every change made in this context."""
import contextlib
import contextvars
import datetime
import decimal
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who acts, and what they may reach: services check scope themselves, whatever the caller."""

    username: str
    role: str = "system"
    user_id: int | None = None
    #: Jurisdiction ids the actor may reach (own + descendants); None = every jurisdiction.
    jurisdiction_ids: frozenset | None = None
    #: A park operator's park.
    park_id: int | None = None

    def may_reach(self, jurisdiction_id, park_id=None) -> bool:
        if self.park_id is not None:
            return park_id is not None and park_id == self.park_id
        return self.jurisdiction_ids is None or jurisdiction_id in self.jurisdiction_ids


SYSTEM = Actor("system", "system")
_current = contextvars.ContextVar("hrpark_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting_as(actor: Actor):
    """Record every change inside the block as made by `actor`."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def jsonable(value):
    """A value as it is written into the audit log: Decimal and dates as strings, exactly."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=jsonable)
