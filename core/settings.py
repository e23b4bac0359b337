"""Deployment settings: values the measures leave to each deployment (e.g. Karamay art. 25's
start date, left blank as "2025年×月×日" in the text).

Looked up in the environment first (HRPARK_<CODE>_<KEY>, e.g. HRPARK_KARAMAY_EFFECTIVE_FROM),
then in the database's `setting` table, which an administrator edits in the back office.
Database values are kept for CACHE_SECONDS, so evaluating a thousand parks reads them once; a
save in this process clears the cache at once, other workers see the change within that time.
"""
import datetime
import os
import time

CACHE_SECONDS = 30
_cache = {}  # (code, key) -> (read at, value)


def forget_cached_settings():
    _cache.clear()


def deployment_setting(code, key, default=None):
    env = os.environ.get(f"HRPARK_{code.upper()}_{key.upper()}")
    if env:
        return env
    cached = _cache.get((code, key))
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1] if cached[1] is not None else default
    try:
        from core.db import database
        from core.models import Setting

        if database.obj is None:
            return default
        row = Setting.get_or_none((Setting.jurisdiction_code == code) & (Setting.key == key))
    except Exception:  # no database bound or no table yet: the setting is simply not entered
        return default
    value = row.value if row is not None else None
    _cache[(code, key)] = (time.monotonic(), value)
    return value if value is not None else default


def deployment_date(code, key):
    value = deployment_setting(code, key)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
