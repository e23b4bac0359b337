"""Deployment settings: values the measures leave to each deployment (e.g. Karamay art. 25's
start date, left blank as "2025年×月×日" in the text).

Looked up in the environment first (HRPARK_<CODE>_<KEY>, e.g. HRPARK_KARAMAY_EFFECTIVE_FROM),
then in the database's `setting` table, which an administrator edits in the back office.
"""
import datetime
import os


def deployment_setting(code, key, default=None):
    env = os.environ.get(f"HRPARK_{code.upper()}_{key.upper()}")
    if env:
        return env
    try:
        from core.db import database
        from core.models import Setting

        if database.obj is None:
            return default
        row = Setting.get_or_none((Setting.jurisdiction_code == code) & (Setting.key == key))
    except Exception:  # no database bound or no table yet: the setting is simply not entered
        return default
    return row.value if row is not None else default


def deployment_date(code, key):
    value = deployment_setting(code, key)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
