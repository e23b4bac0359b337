"""Deployment settings: values the measures leave to each deployment (e.g. a measure's
start date, left blank as "2025年×月×日" in the text).

The code that reads a setting declares it (`declare_setting`, at import): its jurisdiction, key,
type and what it means. The declarations are the list of known settings the back office offers,
each typed (a date is read as people write it, core.rules.dates) — a key nobody reads cannot be entered.

Looked up in the environment first (HRPARK_<CODE>_<KEY>, e.g. HRPARK_CITY_EFFECTIVE_FROM),
then in the database's `setting` table, which an administrator edits in the back office.
Database values are kept for CACHE_SECONDS, so evaluating a thousand parks reads them once; a
save in this process clears the cache at once, other workers see the change within that time.
"""
import datetime
import os
import time
from dataclasses import dataclass
from typing import Callable

from core.rules.dates import parse_date

CACHE_SECONDS = 30
_cache = {}  # (code, key) -> (read at, value)


def forget_cached_settings():
    _cache.clear()


def deployment_setting(code, key, default=None):
    env = os.environ.get(env_variable(code, key))
    if env:
        return env
    cached = _cache.get((code, key))
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1] if cached[1] is not None else default
    try:
        from core.records.db import database
        from core.records.models import Setting

        if database.obj is None:
            return default
        row = Setting.get_or_none((Setting.jurisdiction_code == code) & (Setting.key == key))
    except Exception:  # no database bound or no table yet: the setting is simply not entered
        return default
    value = row.value if row is not None else None
    _cache[(code, key)] = (time.monotonic(), value)
    return value if value is not None else default


def env_variable(code, key):
    """The environment variable that overrides a setting: HRPARK_CITY_EFFECTIVE_FROM (HRPARK_KEY for
    a setting of the whole deployment, whose code is empty)."""
    return f"HRPARK_{code.upper()}_{key.upper()}" if code else f"HRPARK_{key.upper()}"


# --- the known settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingKind:
    """What a setting's value is: its name, and how a typed value is read into the stored text."""

    code: str
    zh: str
    en: str
    #: typed text -> the text stored; raises ValueError (message Chinese / English) if it is not one.
    normalise: Callable[[str], str]


def _date_text(text):
    day = parse_date(text)
    if day is None:
        raise ValueError("缺少日期 / The date is missing.")
    return day.isoformat()


DATE = SettingKind("date", "日期", "date", _date_text)


def _days_text(text):
    try:
        days = int((text or "").strip())
    except ValueError:
        raise ValueError("请填写天数（整数） / Enter a whole number of days.") from None
    if not 1 <= days <= 36500:
        raise ValueError("天数应在1至36500之间 / The number of days must be between 1 and 36500.")
    return str(days)


DAYS = SettingKind("days", "天数", "days", _days_text)


@dataclass(frozen=True)
class DeploymentSetting:
    """A setting some code reads: its jurisdiction, key, kind and meaning (with the article)."""

    jurisdiction_code: str
    key: str
    kind: SettingKind
    title_zh: str
    title_en: str
    help_zh: str = ""
    help_en: str = ""

    @property
    def name(self):
        """city.effective_from — how a setting is named to people and in the form; a setting of the
        whole deployment by its key alone."""
        return f"{self.jurisdiction_code}.{self.key}" if self.jurisdiction_code else self.key

    @property
    def env_variable(self):
        return env_variable(self.jurisdiction_code, self.key)

    def read_days(self, default):
        value = deployment_setting(self.jurisdiction_code, self.key)
        try:
            return int(_days_text(value)) if value else default
        except ValueError:
            return default

    def read_date(self):
        value = deployment_setting(self.jurisdiction_code, self.key)
        try:
            return datetime.date.fromisoformat(value) if value else None
        except ValueError:
            return None


_known = {}  # (jurisdiction code, key) -> DeploymentSetting


def declare_setting(jurisdiction_code, key, kind, title_zh, title_en, help_zh="", help_en=""):
    """Declare a setting the calling code reads; returns it (read it with its `read_*` method)."""
    setting = DeploymentSetting(jurisdiction_code, key, kind, title_zh, title_en, help_zh, help_en)
    _known[(jurisdiction_code, key)] = setting
    return setting


def known_settings(jurisdiction_codes=None):
    """The declared settings (of `jurisdiction_codes` only, if given), by name."""
    found = [s for s in _known.values() if jurisdiction_codes is None or s.jurisdiction_code in jurisdiction_codes]
    return sorted(found, key=lambda s: s.name)


def known_setting(jurisdiction_code, key):
    return _known.get((jurisdiction_code, key))
