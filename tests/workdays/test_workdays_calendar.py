"""core.rules.workdays: notice periods counted on the statutory calendar (holidays skipped, make-up
working days counted), admin-entered days for years the library does not ship, and the warning
when neither knows a year."""
import datetime

import pytest

from core.records.models import HolidayDay
from core.rules.workdays import WorkingCalendar, calendar_from_database

D = datetime.date

# An invented arrangement for 2027 (the library ships 2004–2026): New Year on Fri 1 and Mon 4
# January, a make-up working Saturday on 9 January.
ENTERED_2027 = {D(2027, 1, 1): False, D(2027, 1, 4): False, D(2027, 1, 9): True}


def test_five_working_days_across_national_day_2025():
    calendar = WorkingCalendar()
    # 9-29, 9-30; 10-01…10-08 off; 10-09, 10-10 and the make-up Saturday 10-11.
    assert calendar.add_working_days(D(2025, 9, 29), 5) == D(2025, 10, 11)
    assert calendar.count_working_days(D(2025, 9, 29), D(2025, 10, 11)) == 5
    assert calendar.count_working_days(D(2025, 9, 29), D(2025, 10, 10)) == 4
    assert calendar.warnings == []


def test_national_day_2025_make_up_days_are_working_days():
    calendar = WorkingCalendar()
    assert calendar.is_workday(D(2025, 9, 28))  # a Sunday worked
    assert calendar.is_workday(D(2025, 10, 11))  # a Saturday worked
    assert not calendar.is_workday(D(2025, 10, 1))
    assert not calendar.is_workday(D(2025, 10, 8))  # a Wednesday off
    assert not calendar.is_workday(D(2025, 10, 12))  # an ordinary Sunday


def test_five_working_days_across_spring_festival_2026():
    calendar = WorkingCalendar()
    # Fri 2-13, make-up Sat 2-14; 2-15…2-23 off; 2-24, 2-25, 2-26.
    assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 26)
    assert calendar.count_working_days(D(2026, 2, 15), D(2026, 2, 23)) == 0
    assert calendar.warnings == []


def test_a_notice_starting_on_a_holiday_starts_counting_on_the_next_working_day():
    calendar = WorkingCalendar()
    # 10-01 is a holiday: 10-09, 10-10, 10-11 (Sat, worked), 10-13, 10-14.
    assert calendar.add_working_days(D(2025, 10, 1), 5) == D(2025, 10, 14)
    assert calendar.add_working_days(D(2025, 10, 1), 1) == D(2025, 10, 9)


def test_the_start_day_counts_when_it_is_a_working_day():
    calendar = WorkingCalendar()
    assert calendar.add_working_days(D(2025, 9, 29), 1) == D(2025, 9, 29)
    assert calendar.add_working_days(D(2025, 9, 28), 1) == D(2025, 9, 28)  # the make-up Sunday


def test_an_unknown_year_warns_naming_it_and_counts_monday_to_friday():
    calendar = WorkingCalendar()
    assert not calendar.knows_year(2027)
    # Fri 2027-01-01 counts as an ordinary Friday: 1, 4, 5, 6, 7 January.
    assert calendar.add_working_days(D(2027, 1, 1), 5) == D(2027, 1, 7)
    assert len(calendar.warnings) == 1
    warning = calendar.warnings[0]
    assert "2027年法定节假日安排未知" in warning
    assert "周一至周五" in warning
    assert "holidays of 2027 are unknown" in warning


def test_a_notice_running_into_an_unknown_year_warns_for_that_year_only():
    calendar = WorkingCalendar()
    assert calendar.add_working_days(D(2026, 12, 30), 5) == D(2027, 1, 5)
    assert len(calendar.warnings) == 1
    assert "2027" in calendar.warnings[0] and "2026" not in calendar.warnings[0]


def test_entered_days_for_2027_are_used_and_the_warning_disappears():
    calendar = WorkingCalendar(dict(ENTERED_2027))
    assert calendar.knows_year(2027)
    # 1 and 4 January off; 5, 6, 7, 8 and the make-up Saturday 9 January.
    assert calendar.add_working_days(D(2027, 1, 1), 5) == D(2027, 1, 9)
    assert calendar.is_workday(D(2027, 1, 11))  # an ordinary Monday of an entered year
    assert not calendar.is_workday(D(2027, 1, 10))  # an ordinary Sunday
    assert calendar.warnings == []


def test_a_day_entered_in_a_year_the_library_knows_corrects_that_day_only():
    # Bug fixed in core.rules.workdays: one entered day used to turn the library's whole year into Mon–Fri.
    calendar = WorkingCalendar({D(2025, 10, 10): False})
    assert not calendar.is_workday(D(2025, 10, 1))  # still the library's National Day
    assert calendar.is_workday(D(2025, 10, 11))  # still the library's make-up Saturday
    # 9-29, 9-30, 10-09, (10-10 entered off), 10-11, 10-13.
    assert calendar.add_working_days(D(2025, 9, 29), 5) == D(2025, 10, 13)


def test_a_datetime_counts_as_its_day():
    calendar = WorkingCalendar(dict(ENTERED_2027))
    assert calendar.add_working_days(datetime.datetime(2025, 9, 29, 16, 30), 5) == D(2025, 10, 11)
    assert not calendar.is_workday(datetime.datetime(2027, 1, 4, 9, 0))


def test_count_of_an_empty_period_is_zero():
    calendar = WorkingCalendar()
    assert calendar.count_working_days(D(2025, 10, 9), D(2025, 10, 8)) == 0
    assert calendar.count_working_days(D(2025, 10, 9), D(2025, 10, 9)) == 1


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "5", None])
def test_a_period_of_less_than_one_working_day_is_refused_in_both_languages(bad):
    with pytest.raises(ValueError) as refused:
        WorkingCalendar().add_working_days(D(2025, 9, 29), bad)
    message = str(refused.value)
    assert message.index("工作日天数") < message.index("working days")
    assert repr(bad) in message


def test_calendar_from_database_reads_the_days_administrators_entered(db):
    for day, is_workday in ENTERED_2027.items():
        HolidayDay.create(day=day, is_workday=is_workday, name="元旦" if not is_workday else "元旦调休上班",
                          entered_by="admin")
    calendar = calendar_from_database()
    assert calendar.entered == ENTERED_2027
    assert calendar.add_working_days(D(2027, 1, 1), 5) == D(2027, 1, 9)
    assert calendar.warnings == []


def test_calendar_from_an_empty_database_warns_for_2027(db):
    calendar = calendar_from_database()
    assert calendar.entered == {}
    assert calendar.add_working_days(D(2027, 1, 1), 5) == D(2027, 1, 7)
    assert any("2027" in w for w in calendar.warnings)
