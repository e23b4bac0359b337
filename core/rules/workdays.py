"""Working days on the Chinese statutory calendar (holidays and make-up working days).

chinese_calendar knows the State Council's arrangement for the years it ships; for a later year
an administrator enters the holidays and make-up days (core.records.models.HolidayDay). Where neither
knows a year, days are counted Monday–Friday and a warning says so, naming the year.
"""
import datetime
import functools
from dataclasses import dataclass, field

import chinese_calendar


@dataclass
class WorkingCalendar:
    #: Days an administrator entered: date -> True (working day) / False (holiday).
    entered: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def _entered_years(self):
        return {d.year for d in self.entered}

    def knows_year(self, year) -> bool:
        return year in self._entered_years() or _library_knows(year)

    def is_workday(self, day: datetime.date) -> bool:
        day = _as_date(day)
        if day in self.entered:
            return self.entered[day]
        # An entered day in a year the library knows is a correction: the library still rules the rest.
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year in self._entered_years():
            return day.weekday() < 5  # the year's exceptions were entered; the rest are ordinary
        self._warn_unknown(day.year)
        return day.weekday() < 5

    def _warn_unknown(self, year):
        message = (
            f"{year}年法定节假日安排未知（日历库未收录、管理员也未录入），已暂按周一至周五计算工作日，"
            f"请在“节假日”中录入{year}年安排后复核 — the statutory holidays of {year} are unknown; "
            f"working days were counted Monday to Friday. Enter the {year} holidays and check again."
        )
        if message not in self.warnings:
            self.warnings.append(message)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The last day of a period of `n` working days beginning on `start` (start counts if a working day)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"工作日天数应为不小于1的整数，收到 {n!r} — the number of working days must be a whole number of at least 1, got {n!r}")
        day = _as_date(start)
        counted = 0
        while True:
            if self.is_workday(day):
                counted += 1
                if counted == n:
                    return day
            day += datetime.timedelta(days=1)

    def count_working_days(self, start: datetime.date, end: datetime.date) -> int:
        """Working days from `start` to `end`, both included."""
        count = 0
        day, end = _as_date(start), _as_date(end)
        while day <= end:
            if self.is_workday(day):
                count += 1
            day += datetime.timedelta(days=1)
        return count


def _as_date(day) -> datetime.date:
    """A datetime counts as its calendar day (entered days are keyed by date)."""
    return day.date() if isinstance(day, datetime.datetime) else day


@functools.lru_cache(maxsize=None)  # the library's years are fixed for the life of the process
def _library_knows(year) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def calendar_from_database() -> WorkingCalendar:
    """A calendar with the days administrators entered (one query)."""
    from core.records.models import HolidayDay

    return WorkingCalendar({h.day: h.is_workday for h in HolidayDay.select()})
