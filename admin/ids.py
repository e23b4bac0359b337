"""Record ids and other whole numbers read from a request — a route's <int:…>, `?id=`, a posted
foreign key or version — parsed in one place and bounded to what the database's integer columns
hold (a signed 32-bit integer on PostgreSQL, peewee's AutoField and IntegerField).

A number beyond that is no record's id: it is answered as "not found" here, before it reaches
the database, where it would be an error ("integer out of range" on PostgreSQL, OverflowError
"Python int too large to convert to SQLite INTEGER" on SQLite).
"""
import re

from werkzeug.routing import IntegerConverter

#: The largest id, version or other whole number a column holds.
MAX_ID = 2_147_483_647
MIN_WHOLE = -MAX_ID - 1

_ID = re.compile(r"\s*\d{1,10}\s*")
_WHOLE = re.compile(r"\s*[-+]?\d{1,10}\s*")


def as_id(value):
    """`value` (a string or an int) as an id from 1 to MAX_ID, or None if it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def as_whole(value, minimum=MIN_WHOLE, maximum=MAX_ID):
    """`value` as a whole number within [minimum, maximum] (an integer column's range by
    default), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _WHOLE.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


class IdConverter(IntegerConverter):
    """Every route's <int:…>: digits up to MAX_ID. A larger number matches no route: 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(app):
    """Make <int:…> mean IdConverter in every rule; call before any route is added."""
    app.url_map.converters["int"] = IdConverter
