"""Login throttling kept in the database, so it holds across every worker process.

Three counts of failed sign-ins within 15 minutes, each locking for 15 minutes from the failure
that reached it:
  - one username from one address: 5 failures lock that pair (a successful sign-in clears it);
  - one address, whatever the usernames: 10 failures lock the address (a password sprayed over
    many accounts);
  - one username, whatever the addresses: 10 failures lock the account (one account guessed at
    from many addresses). Its owner is locked out too until the time the message names: that is
    the price of the lock, and why it is short.
A success clears only the pair's count: an attacker who owns one account must not be able to
reset the address's count by signing in with it, nor the account's owner the attacker's count.
Attempts made while locked are recorded but neither checked nor counted, so a lock ends when it
says it will. The numbers are app config (LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_ADDRESS,
LOGIN_MAX_FAILURES_PER_USERNAME, LOGIN_WINDOW_MINUTES, LOGIN_LOCK_MINUTES).
"""
import datetime
from collections import deque
from dataclasses import dataclass

from core.records.accounts import LoginAttempt
from core.records.models import now

MAX_FAILURES = 5
MAX_FAILURES_PER_ADDRESS = 10
MAX_FAILURES_PER_USERNAME = 10
WINDOW_MINUTES = 15
LOCK_MINUTES = 15

#: What a lock is on (Lock.scope).
PAIR, ADDRESS, USERNAME = "pair", "address", "username"


def clock() -> datetime.datetime:
    """The back office's clock (sessions and throttling read it; tests move it)."""
    return now()


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = MAX_FAILURES
    max_failures_per_address: int = MAX_FAILURES_PER_ADDRESS
    max_failures_per_username: int = MAX_FAILURES_PER_USERNAME
    window: datetime.timedelta = datetime.timedelta(minutes=WINDOW_MINUTES)
    lock: datetime.timedelta = datetime.timedelta(minutes=LOCK_MINUTES)

    @classmethod
    def from_config(cls, config):
        return cls(
            max_failures=int(config.get("LOGIN_MAX_FAILURES", MAX_FAILURES)),
            max_failures_per_address=int(config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", MAX_FAILURES_PER_ADDRESS)),
            max_failures_per_username=int(config.get("LOGIN_MAX_FAILURES_PER_USERNAME", MAX_FAILURES_PER_USERNAME)),
            window=datetime.timedelta(minutes=float(config.get("LOGIN_WINDOW_MINUTES", WINDOW_MINUTES))),
            lock=datetime.timedelta(minutes=float(config.get("LOGIN_LOCK_MINUTES", LOCK_MINUTES))),
        )


@dataclass(frozen=True)
class Lock:
    until: datetime.datetime
    scope: str  # PAIR, ADDRESS or USERNAME


def _lock_end(attempts, at, max_failures, policy, success_clears):
    """Replay `attempts` ((at, outcome) in time order): the end of the lock in force at `at`, or None."""
    failures = deque()
    until = None
    for when, outcome in attempts:
        if when > at:
            break
        if outcome == LoginAttempt.SUCCESS and success_clears:
            failures.clear()
            until = None
        elif outcome == LoginAttempt.FAILURE:
            failures.append(when)
            # "within 15 minutes" includes a failure exactly 15 minutes before this one
            while failures and failures[0] < when - policy.window:
                failures.popleft()
            if len(failures) >= max_failures:
                until = when + policy.lock
                failures.clear()
    return until if until is not None and until > at else None


def _attempts(condition, since):
    return list(
        LoginAttempt.select(LoginAttempt.at, LoginAttempt.outcome, LoginAttempt.username, LoginAttempt.ip)
        .where(condition & (LoginAttempt.at >= since))
        .order_by(LoginAttempt.at, LoginAttempt.id)
        .tuples()
    )


def current_lock(username, ip, policy: ThrottlePolicy, at=None):
    """The lock that keeps `username` from signing in from `ip` at time `at` (the one that ends
    last, if several hold), or None if it may try."""
    at = at or clock()
    since = at - policy.window - policy.lock
    by_username = _attempts(LoginAttempt.username == username, since)
    # No address known (no remote address): there is no address to count for.
    by_address = _attempts(LoginAttempt.ip == ip, since) if ip else []
    ends = {
        PAIR: _lock_end([(w, o) for w, o, _u, i in by_username if i == ip], at, policy.max_failures, policy, True),
        USERNAME: _lock_end([(w, o) for w, o, _u, _i in by_username], at, policy.max_failures_per_username,
                            policy, False),
        ADDRESS: _lock_end([(w, o) for w, o, _u, _i in by_address], at, policy.max_failures_per_address,
                           policy, False),
    }
    held = [Lock(until, scope) for scope, until in ends.items() if until is not None]
    return max(held, key=lambda lock: lock.until) if held else None


def record_attempt(username, ip, outcome, at=None):
    return LoginAttempt.create(username=username, ip=ip or "", outcome=outcome, at=at or clock())


#: Rows older than this serve neither the throttle (15 minutes) nor an idle session: they go.
KEEP_STALE_ROWS = datetime.timedelta(days=1)


def purge_stale_rows(now=None):
    """Delete login attempts and ended or idle sessions older than a day (run at each sign-in)."""
    from core.records.accounts import ServerSession

    cutoff = (now or clock()) - KEEP_STALE_ROWS
    LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()
    ServerSession.delete().where(
        (ServerSession.last_seen_at < cutoff) | (ServerSession.revoked_at < cutoff)
    ).execute()
