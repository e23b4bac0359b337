"""Each account's deadlines as an iCalendar feed (RFC 5545), for WPS, Outlook and phone calendars.

The feed's address holds a secret made for the account (shown once, only its hash kept, like an API
token); the account may revoke it, and a new one replaces the old. Whoever has the address sees the
deadlines within the account's reach, nothing else, and nothing can be changed through it.
"""
import datetime
import secrets

from icalendar import Calendar, Event

from admin.reminders.links import absolute_url, record_path
from admin.scoping import scope_for, visible_park_ids
from core.records.accounts import User, secret_hash
from core.records.deadlines import deadlines_between

#: What the feed covers around today: deadlines just passed, and those of the year ahead.
PAST_DAYS, AHEAD_DAYS = 60, 400
CALENDAR_NAME = "人力资源服务产业园·期限"


def issue_calendar_token(user):
    """A new secret for `user`'s feed (the previous one stops working); returns it in clear, once."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = secret_hash(token)
    user.save()
    return token


def revoke_calendar_token(user):
    user.calendar_token_hash = None
    user.save()


def user_of_token(token):
    """The active account whose feed `token` opens, or None (unknown, revoked, disabled)."""
    if not token or len(token) > 100:
        return None
    return User.get_or_none((User.calendar_token_hash == secret_hash(token)) & (User.active == True))  # noqa: E712


def account_deadlines(user, today):
    """The deadlines within `user`'s reach, from PAST_DAYS before `today` to AHEAD_DAYS after it."""
    park_ids = None if scope_for(user).unrestricted else visible_park_ids(user)
    first, last = today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=AHEAD_DAYS)
    return deadlines_between(first, last, park_ids)


def feed(deadlines, base=None, stamp=None):
    """The iCalendar text of `deadlines`: an all-day event each, its UID the deadline's key, its
    description ending with the link to the record (under `base`, the back office's address)."""
    stamp = stamp or datetime.datetime.now(datetime.timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", "-//hrpark//deadlines//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"{deadline.key.replace(':', '-')}@hrpark")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + datetime.timedelta(days=1))
        event.add("summary", deadline.title)
        link = absolute_url(record_path(deadline), base)
        lines = [deadline.body] + ([f"依据：{deadline.article}"] if deadline.article else []) + ([link] if link else [])
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")  # a deadline, not time taken
        calendar.add_component(event)
    return calendar.to_ical()
