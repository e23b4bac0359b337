"""What a number entered into a record may be: the bounds of each numeric column, declared once.

core.records.models attaches a `Bounds` to every column people fill in (`bounded(IntegerField(), COUNT)`,
the money and area fields carry theirs); the back-office forms (admin.views.fields), the API's
schemas (admin.api.schemas) and the spreadsheet import (core.io.tabular) all read a column's bounds
with `bounds_of`, so the three refuse the same values for the same reason. The largest values
are the columns' own sizes: a money column holds 16 digits, two of them fen (NUMERIC(16,2)); an
integer column a signed 32-bit number.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_PLACES = {1: ("一", "one"), 2: ("两", "two")}


class OutOfBounds(ValueError):
    """A number outside its column's bounds: `reason` says which bound, the message says it in
    Chinese, then English ("不能为负数 / Must not be negative.")."""

    def __init__(self, reason, zh, en, bounds):
        self.reason, self.zh, self.en, self.bounds = reason, zh, en, bounds
        super().__init__(f"{zh} / {en}")


@dataclass(frozen=True)
class Bounds:
    """The smallest and largest value of a column and its decimal places (0: a whole number).
    `what` names the value in a range message (年份 / Year)."""

    minimum: Decimal
    maximum: Decimal
    places: int = 0
    what_zh: str = ""
    what_en: str = ""

    def check(self, number):
        """Return `number` if it is within the bounds; raise OutOfBounds saying why not."""
        try:
            value = Decimal(number) if not isinstance(number, Decimal) else number
        except (InvalidOperation, TypeError, ValueError):
            raise OutOfBounds("invalid", "不是有效的数字", "Not a valid number.", self) from None
        if not value.is_finite():
            raise OutOfBounds("invalid", "不是有效的数字", "Not a valid number.", self)
        if self.minimum > 0 and not self.minimum <= value <= self.maximum:
            raise OutOfBounds("range", f"{self.what_zh}应在{self.minimum}至{self.maximum}之间",
                              f"{self.what_en or 'It'} must be between {self.minimum} and {self.maximum}.", self)
        if value < self.minimum:
            raise OutOfBounds("negative", "不能为负数", "Must not be negative.", self)
        if value > self.maximum:
            raise OutOfBounds("too_large", f"不能超过{self.maximum}", f"Must not exceed {self.maximum}.", self)
        if value != value.to_integral_value() and self.places == 0:
            raise OutOfBounds("whole", "应为整数", "Must be a whole number.", self)
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            zh, en = _PLACES.get(self.places, (self.places, self.places))
            raise OutOfBounds("places", f"最多{zh}位小数", f"At most {en} decimal places.", self)
        return number

    def json_schema(self):
        """The bounds as JSON Schema keywords (the API's OpenAPI document)."""
        as_number = int if self.places == 0 else float
        return {"minimum": as_number(self.minimum), "maximum": as_number(self.maximum)}


#: Yuan to the fen: NUMERIC(16,2).
MONEY = Bounds(Decimal(0), Decimal("99999999999999.99"), places=2)
#: 万元 to two places: NUMERIC(14,2).
WAN = Bounds(Decimal(0), Decimal("999999999999.99"), places=2)
#: Square metres to two places: NUMERIC(12,2).
AREA = Bounds(Decimal(0), Decimal("9999999999.99"), places=2)
#: People, agencies, events …: a signed 32-bit integer column, not negative.
COUNT = Bounds(Decimal(0), Decimal(2_147_483_647))
#: The years the records and the measures are about.
YEAR = Bounds(Decimal(1990), Decimal(2100), what_zh="年份", what_en="Year")


def bounded(column, bounds):
    """`column` (a peewee field) with its bounds attached; returns the column."""
    column.bounds = bounds
    return column


def bounds_of(column):
    """The bounds of a model column, or None for a column without any (text, codes, versions)."""
    return getattr(column, "bounds", None)
