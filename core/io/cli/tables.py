"""Printing for the command line: aligned tables (Chinese counted as two columns), JSON
with Decimals as exact strings, and the one-line message of a bad input."""
import datetime
import json
from decimal import Decimal

import click
from tabulate import tabulate

from core.io.dossier import json_default
from core.rules.criteria import fmt_number

EMPTY = "—"
BAD_INPUT = 2


class InputError(click.ClickException):
    """A bad input the command names in one line: exit status 2, as every `hrpark` command's."""

    exit_code = BAD_INPUT

    def show(self, file=None):
        click.echo(f"输入有误 / Bad input: {self.message}", err=True)


def table(rows, headers, widths=None) -> str:
    """A boxed table; `widths` maps a column index to the width its text is wrapped at."""
    rows = [[cell if cell not in (None, "") else EMPTY for cell in row] for row in rows]
    if not rows:
        return "（无 / none）"
    maxcolwidths = [widths.get(i) for i in range(len(headers))] if widths else None
    return tabulate(rows, headers=headers, tablefmt="simple_grid", maxcolwidths=maxcolwidths, disable_numparse=True)


def plain(value) -> str:
    """A value as a person reads it: no float noise, dicts one entry a line, lists joined."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, Decimal):
        return fmt_number(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_inline(v)}" for k, v in value.items()) or EMPTY
    if isinstance(value, (list, tuple, set)):
        return "、".join(plain(v) for v in value) or EMPTY
    return str(value)


def _inline(value) -> str:
    """A nested value on one line: {'revenue_over': 3000000, 'at_least': 5} -> 'revenue_over 3000000, at_least 5'."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {_inline(v)}" for k, v in value.items())
    return plain(value)


def yuan(amount) -> str:
    """800000 -> '800,000.00' (the unit, 元, is in the column header)."""
    return f"{Decimal(str(amount)).quantize(Decimal('0.01')):,}"


def bilingual(zh, en) -> str:
    """Chinese on the first line, English under it (as every explanation is printed)."""
    return f"{zh}\n{en}" if en and en != zh else (zh or en or "")


def _json_default(value):
    """As a dossier writes a value (Decimal as exact text, dates ISO), and a set as a list."""
    return list(value) if isinstance(value, (set, frozenset, tuple)) else json_default(value)


def to_json(data) -> str:
    """UTF-8 JSON for machines: Chinese kept as is, Decimals as exact strings."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
