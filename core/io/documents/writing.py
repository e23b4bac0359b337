"""How official documents write dates, money, areas and ticks: 2025年10月11日, ¥800,000.00 with
人民币捌拾万元整, 5,200平方米, ☑/☐. Dates and figures are core.rules.formatting's, in Chinese; what is
the documents' own is the ¥ and 人民币 of official amounts, capitals, ticks and blanks.

Capital numerals (大写金额) come from the `cn2an` library (its "rmb" mode follows the bank rules
for 大写: 元/角/分, 整 after whole yuan, one 零 for a run of zeros); this module only checks the
input — a Decimal of yuan, not negative, at most two decimal places — and adds 人民币.
"""
from decimal import Decimal, InvalidOperation

import cn2an

from core.rules import formatting

TICKED = "☑"
UNTICKED = "☐"
BLANK_DATE = "　　年　　月　　日"  # left for a hand-written date, as on the paper form
#: The largest amount cn2an writes in capitals (its limit is 16 integer digits).
MAX_CAPITAL_AMOUNT = Decimal("9999999999999999.99")


class AmountError(ValueError):
    """An amount that cannot be written on an official document."""


def date_zh(day) -> str:
    """2025-10-11 -> '2025年10月11日' (GB/T 9704: Arabic numerals, no leading zeros)."""
    return formatting.format_date(day, formatting.ZH)


def period_zh(start, end) -> str:
    """'2025年9月29日至2025年10月11日'."""
    return f"{date_zh(start)}至{date_zh(end)}"


def as_yuan(amount) -> Decimal:
    """A money amount as Decimal yuan; refuses floats (their noise would reach the page)."""
    if isinstance(amount, bool) or isinstance(amount, float):
        raise AmountError(f"金额须为Decimal或字符串，不能为{type(amount).__name__} — amounts must be Decimal or text, not {type(amount).__name__}")
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation:
        raise AmountError(f"金额“{amount}”不是数字 — amount {amount!r} is not a number") from None
    if not value.is_finite():
        raise AmountError(f"金额“{amount}”不是有限数值 — amount {amount!r} is not finite")
    return value


def yuan_figures(amount) -> str:
    """800000 -> '¥800,000.00' (小写金额)."""
    return "¥" + formatting.format_number(as_yuan(amount).quantize(Decimal("0.01")), formatting.ZH, places=2)


def yuan_capitals(amount) -> str:
    """800000 -> '人民币捌拾万元整'; 1000.56 -> '人民币壹仟元伍角陆分' (大写金额)."""
    value = as_yuan(amount)
    if value < 0:
        raise AmountError(f"金额不能为负数：{value} — an amount written in capitals cannot be negative: {value}")
    if value != value.quantize(Decimal("0.01")):
        raise AmountError(f"金额最多两位小数（到分）：{value} — an amount has at most two decimal places (fen): {value}")
    if value > MAX_CAPITAL_AMOUNT:
        raise AmountError(f"金额过大，无法写成大写：{value} — the amount is too large to write in capitals: {value}")
    return "人民币" + cn2an.an2cn(format(value.quantize(Decimal("0.01")), "f"), "rmb")


def number_zh(value) -> str:
    """5200 -> '5,200'; Decimal('2000.50') -> '2,000.5' (no float noise, no trailing zeros); also 万元 as on the
    approval form (建设投入资金 Decimal('1200.00') -> '1,200')."""
    if value is None:
        return ""
    return formatting.format_number(as_yuan(value).quantize(Decimal("0.01")), formatting.ZH)


def tick(ticked: bool) -> str:
    return TICKED if ticked else UNTICKED


def lines(text) -> list:
    """A recorded remark split into its lines (empty lines dropped), for paragraph loops."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
