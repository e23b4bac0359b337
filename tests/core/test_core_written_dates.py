"""core.rules.dates, the one reader of typed dates (issue 11 item 3): the ways people write a date are
read, anything else is refused with the accepted ways named in both languages."""
import datetime

import pytest

from core.rules.dates import DateFormatError, parse_date

MARCH_1 = datetime.date(2025, 3, 1)


@pytest.mark.parametrize("typed", [
    "2025-03-01", "2025-3-1", "2025/3/1", "2025/03/01", "2025.3.1", "2025年3月1日", "2025年3月1", "2025 年 3 月 1 日",
    "２０２５年３月１日", "２０２５／３／１", " 2025-3-1 ", "2025-03-01 00:00:00", "2025-03-01T08:30",
])
def test_issue_11_item_3_the_ways_people_write_a_date_are_read(typed):
    assert parse_date(typed) == MARCH_1


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("   ", None), (MARCH_1, MARCH_1), (datetime.datetime(2025, 3, 1, 9, 0), MARCH_1),
])
def test_blank_is_no_date_and_a_date_is_itself(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("typed", [
    "2025-02-29", "2024-02-30", "2025-13-01", "2025年0月1日", "25-3-1", "20250301", "2025/3-1", "2025年3-1",
    "2025-03-01 日", "2025-03-01x", "三月一日", "1e309", "2025-03-01 25:99:99:99", "9" * 500,
])
def test_issue_11_item_3_anything_else_is_refused_naming_the_accepted_ways(typed):
    with pytest.raises(DateFormatError) as refused:
        parse_date(typed)
    message = str(refused.value)
    assert "不是有效的日期，可写作 2025-03-01、2025-3-1、2025/3/1 或 2025年3月1日" in message
    assert "write it as 2025-03-01, 2025-3-1, 2025/3/1 or 2025年3月1日" in message


def test_a_leap_day_is_a_date_in_a_leap_year():
    assert parse_date("2024年2月29日") == datetime.date(2024, 2, 29)
