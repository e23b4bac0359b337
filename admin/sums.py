"""Money summed by the database exactly to the fen. SQLite keeps DECIMAL as REAL, so a plain SUM
adds floats (0.10 + 0.20 is not 0.30 there); each amount is rounded to whole fen first and the
integers are summed — exact on SQLite and PostgreSQL alike."""
from decimal import Decimal

from peewee import Cast, Value, fn


def fen_sum(column):
    """SUM(column) in whole fen (NULL over no rows, or over NULLs only)."""
    return fn.SUM(Cast(fn.ROUND(column * Value(100, converter=False)), "BIGINT"))  # the integer 100


def yuan(fen) -> Decimal:
    """Whole fen (an int, or PostgreSQL's NUMERIC sum; None for no rows) as yuan with two places."""
    return Decimal(int(fen or 0)).scaleb(-2)
