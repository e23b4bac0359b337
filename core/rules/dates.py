"""Dates as people write them: 2025-03-01, 2025-3-1, 2025/3/1, 2025.3.1 and 2025年3月1日, with
full-width digits too (２０２５年３月１日). The one reader of a typed date: the back-office forms
(admin.forms.WrittenDateField), the deployment settings and the spreadsheet import (core.io.tabular)
all go through `parse_date`, so a date accepted in one place is accepted in every other.

A time after the date (a spreadsheet's "2025-03-01 00:00:00") is ignored; anything else —
a day that does not exist (2025-2-30), a two-digit year, words — is refused, and the message
says which ways of writing it are accepted.
"""
import datetime
import re
import unicodedata

#: How a date may be written, as shown to the user when one is refused.
ACCEPTED_FORMATS = ("2025-03-01", "2025-3-1", "2025/3/1", "2025年3月1日")
ACCEPTED_ZH = f"{'、'.join(ACCEPTED_FORMATS[:-1])} 或 {ACCEPTED_FORMATS[-1]}"
ACCEPTED_EN = f"{', '.join(ACCEPTED_FORMATS[:-1])} or {ACCEPTED_FORMATS[-1]}"

_DATE = re.compile(
    r"(?P<year>\d{4})\s*(?:(?P<sep>[-/.])|年)\s*(?P<month>\d{1,2})\s*(?(sep)(?P=sep)|月)\s*(?P<day>\d{1,2})"
    r"(?(sep)|\s*日?)"
)
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


class DateFormatError(ValueError):
    """A text that is not a date in an accepted format; the message is Chinese, then English."""

    def __init__(self, text):
        self.text = text
        super().__init__(f"“{text}”不是有效的日期，可写作 {ACCEPTED_ZH} / {text!r} is not a valid date: write it as {ACCEPTED_EN}.")


def parse_date(value):
    """The date `value` names (a date, a datetime or a text as above); None for a blank text.

    Raises DateFormatError for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    match = _DATE.match(text)
    if match is None or not _TIME.fullmatch(text[match.end():]):
        raise DateFormatError(str(value).strip())
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:  # 2025-2-30, month 13
        raise DateFormatError(str(value).strip()) from None
