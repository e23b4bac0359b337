"""How numbers, money, areas, shares and dates read, in Chinese or English: 38,880,000.02元 or
CNY 38,880,000.02; 5,200平方米 or 5,200 m²; 15%; 2025年10月10日 or 10 Oct 2025.

The one place these formats are made, on Babel's format_decimal / format_percent / format_date.
Every function takes the locale to write in ("zh_CN" or "en"; anything Chinese reads zh_CN): the
back office passes the request's (admin.i18n), official documents and the command line zh_CN.
Amounts are Decimal (a float is refused: its noise would reach the page).
"""
import datetime
import functools
from decimal import Decimal, InvalidOperation

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

ZH = "zh_CN"
EN = "en"
#: How a date is written: the Chinese long form (GB/T 9704 style, no leading zeros) and 10 Oct 2025.
DATE_PATTERNS = {ZH: "long", EN: "d MMM y"}
#: Units written after a number, per language: (Chinese, English). Chinese writes them without a space.
UNITS = {
    "yuan": ("元", "CNY"),
    "wan_yuan": ("万元", "× 10,000 CNY"),
    "m2": ("平方米", "m²"),
    "persons": ("人", "persons"),
    "person_times": ("人次", "person-times"),
    "agencies": ("家", "agencies"),
    "sites": ("个", "sites"),
    "events": ("场", "events"),
    "items": ("项", "items"),
    "bytes": ("字节", "bytes"),
    "working_days": ("个工作日", "working days"),
    "days": ("天", "days"),
    "months": ("个月", "months"),
    "years": ("年", "years"),
    "score": ("分", "points"),
    "count": ("个", ""),
}


def locale_of(locale) -> str:
    """zh_CN for any Chinese locale (a Babel Locale, 'zh', 'zh_Hans_CN'), else en."""
    language = getattr(locale, "language", None) or str(locale or ZH)
    return ZH if language.lower().startswith("zh") else EN


def as_decimal(value) -> Decimal:
    """A number as Decimal: Decimal, int or text (with or without thousands separators); never float."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"a number to show must be Decimal, int or text, not {type(value).__name__}")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def format_number(value, locale=ZH, places=None) -> str:
    """5200 -> '5,200'; Decimal('2000.50') -> '2,000.5'; with `places`, exactly that many decimals."""
    if value is None:
        return ""
    number = as_decimal(value)
    pattern = _shown_places(number) if places is None else "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(number, format=pattern, locale=locale_of(locale))


def _shown_places(number) -> str:
    """The Babel pattern writing `number` with its thousands separated and no trailing zeros."""
    exponent = number.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return "#,##0" + ("." + "#" * places if places else "")


#: English units that change for exactly one: 1 agency, 2 agencies.
SINGULAR_EN = {"persons": "person", "agencies": "agency", "sites": "site", "events": "event", "items": "item",
               "working_days": "working day", "days": "day", "months": "month", "years": "year", "score": "point"}


def with_unit(text, unit, locale=ZH, one=False) -> str:
    """A formatted number followed by its unit in the language: '5,200平方米', '5,200 m²'
    (`one`: the number is 1, so the English unit is singular)."""
    zh, en = UNITS.get(unit, ("", ""))
    if locale_of(locale) == ZH:
        return f"{text}{zh}"
    if one:
        en = SINGULAR_EN.get(unit, en)
    return f"{text} {en}".strip()


def format_money(value, locale=ZH) -> str:
    """38,880,000.02元 in Chinese; CNY 38,880,000.02 in English (always two decimals, to the fen)."""
    if value is None:
        return ""
    text = format_number(as_decimal(value).quantize(Decimal("0.01")), locale, places=2)
    return f"{text}元" if locale_of(locale) == ZH else f"CNY {text}"


def format_wan(value, locale=ZH) -> str:
    """An amount in 万元 (ten thousand yuan), as the measures state investments: 1,200.50万元."""
    if value is None:
        return ""
    return with_unit(format_number(value, locale, places=2), "wan_yuan", locale)


def format_area(value, locale=ZH) -> str:
    """5,200平方米 in Chinese; 5,200 m² in English."""
    if value is None:
        return ""
    return with_unit(format_number(value, locale), "m2", locale)


def format_percent(ratio, locale=ZH) -> str:
    """A share written as a percentage: Decimal('0.15') -> '15%'; Decimal('0.155') -> '15.5%'."""
    if ratio is None:
        return ""
    ratio = as_decimal(ratio)
    return babel_percent(ratio, format=_shown_places(ratio * 100) + "%", locale=locale_of(locale))


def as_date(value):
    """A date from a date, a datetime or ISO text ('2025-10-11', '2025-10-11T09:30:00')."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def format_date(value, locale=ZH) -> str:
    """2025年10月11日 in Chinese; 11 Oct 2025 in English."""
    if value is None or value == "":
        return ""
    return _formatted_date(as_date(value), locale_of(locale))


@functools.lru_cache(maxsize=4096)
def _formatted_date(day, code):
    # Babel parses the pattern and looks the locale up on every call; lists and the batch ask for the
    # same few days again and again.
    return babel_date(day, DATE_PATTERNS[code], locale=code)


def format_datetime(value, locale=ZH) -> str:
    """2025年10月11日 09:30 in Chinese; 11 Oct 2025 09:30 in English."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(str(value))
    return f"{format_date(value, locale)} {babel_time(value, 'HH:mm', locale=locale_of(locale))}"
