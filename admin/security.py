"""Login throttling kept in the database, so it holds across every worker process.

Five failed sign-ins for one username from one IP address within 15 minutes lock that pair for
15 minutes from the fifth failure. A successful sign-in clears the count. Attempts made while
locked are recorded but neither checked nor counted, so the lock ends when it says it will.
The numbers are app config (LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES, LOGIN_LOCK_MINUTES).
"""
import datetime
from collections import deque
from dataclasses import dataclass

from core.accounts import LoginAttempt
from core.models import now

MAX_FAILURES = 5
WINDOW_MINUTES = 15
LOCK_MINUTES = 15


def clock() -> datetime.datetime:
    """The back office's clock (sessions and throttling read it; tests move it)."""
    return now()


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = MAX_FAILURES
    window: datetime.timedelta = datetime.timedelta(minutes=WINDOW_MINUTES)
    lock: datetime.timedelta = datetime.timedelta(minutes=LOCK_MINUTES)

    @classmethod
    def from_config(cls, config):
        return cls(
            max_failures=int(config.get("LOGIN_MAX_FAILURES", MAX_FAILURES)),
            window=datetime.timedelta(minutes=float(config.get("LOGIN_WINDOW_MINUTES", WINDOW_MINUTES))),
            lock=datetime.timedelta(minutes=float(config.get("LOGIN_LOCK_MINUTES", LOCK_MINUTES))),
        )


def locked_until(username, ip, policy: ThrottlePolicy, at=None):
    """The end of the lock on (username, ip) at time `at`, or None if it may try."""
    at = at or clock()
    since = at - policy.window - policy.lock
    rows = (
        LoginAttempt.select(LoginAttempt.at, LoginAttempt.outcome)
        .where((LoginAttempt.username == username) & (LoginAttempt.ip == ip) & (LoginAttempt.at >= since))
        .order_by(LoginAttempt.at, LoginAttempt.id)
        .tuples()
    )
    failures = deque()
    until = None
    for when, outcome in rows:
        if when > at:
            break
        if outcome == LoginAttempt.SUCCESS:
            failures.clear()
            until = None
        elif outcome == LoginAttempt.FAILURE:
            failures.append(when)
            # "within 15 minutes" includes a failure exactly 15 minutes before this one
            while failures and failures[0] < when - policy.window:
                failures.popleft()
            if len(failures) >= policy.max_failures:
                until = when + policy.lock
                failures.clear()
    if until is not None and until > at:
        return until
    return None


def record_attempt(username, ip, outcome, at=None):
    return LoginAttempt.create(username=username, ip=ip or "", outcome=outcome, at=at or clock())


#: Rows older than this serve neither the throttle (15 minutes) nor an idle session: they go.
KEEP_STALE_ROWS = datetime.timedelta(days=1)


def purge_stale_rows(now=None):
    """Delete login attempts and ended or idle sessions older than a day (run at each sign-in)."""
    from core.accounts import ServerSession

    cutoff = (now or clock()) - KEEP_STALE_ROWS
    LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()
    ServerSession.delete().where(
        (ServerSession.last_seen_at < cutoff) | (ServerSession.revoked_at < cutoff)
    ).execute()
