"""Bar charts of money, drawn in the browser with ECharts (vendored in admin/static/vendor/echarts
and served by the app: no CDN) and shown as a table of the same numbers.

A view builds a `Chart` from exact Decimal amounts; templates/hrpark/_charts.html renders it: the
table (what a reader without script, a screen reader and the tests read) and the ECharts options
as JSON, which admin/static/charts.js draws. In the options each amount is a string with exactly
two places ("800000.10"): JSON numbers would pass through float, and ECharts reads the string as
the number it writes."""
import json
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

CENT = Decimal("0.01")
#: Bars after which the rest are summed into one (其他): a chart of forty parks reads as none.
TOP = 10


def two_places(amount: Decimal) -> str:
    """An amount as ECharts receives it: a string with exactly two decimal places."""
    return str(Decimal(amount).quantize(CENT))


@dataclass
class Series:
    """One kind of bar: `values` follow the chart's categories; a series not `drawn` is in the table only."""

    key: str
    label: str
    values: list
    colour: str | None = None
    drawn: bool = True


@dataclass
class Chart:
    """A bar chart: `categories` are (key, label) pairs, e.g. (2025, "2025") or (park id, park name);
    keys name the table's cells (id="<chart id>-<category key>-<series key>")."""

    id: str
    title: str
    category_label: str
    categories: list
    series: list = field(default_factory=list)
    stacked: bool = False
    horizontal: bool = False
    height: int = 280

    @property
    def drawn(self):
        return [s for s in self.series if s.drawn]

    @property
    def drawable(self):
        """False when no drawn bar would have a height (only money withheld or recovered, say): the table says it."""
        return any(v > 0 for s in self.drawn for v in s.values)

    def undrawn_totals(self):
        """(label, total) of each series in the table only that holds money: the line under the chart names them."""
        totals = [(s.label, sum(s.values, Decimal(0))) for s in self.series if not s.drawn]
        return [(label, total) for label, total in totals if total]

    def rows(self):
        """The table: (category key, category label, [(series, amount)]) per category."""
        return [(key, label, [(s, s.values[i]) for s in self.series]) for i, (key, label) in enumerate(self.categories)]

    def options(self) -> dict:
        """The ECharts option object (the page adds the money formatters, which JSON cannot carry)."""
        labels = [str(label) for _key, label in self.categories]
        category_axis = {"type": "category", "data": labels, "axisTick": {"alignWithLabel": True}}
        value_axis = {"type": "value", "name": _("CNY")}
        if self.horizontal:
            category_axis["inverse"] = True  # the first (largest) bar on top
        series = []
        for s in self.drawn:
            entry = {"name": s.label, "type": "bar", "data": [two_places(v) for v in s.values], "barMaxWidth": 48}
            if s.colour:
                entry["itemStyle"] = {"color": s.colour}
            if self.stacked:
                entry["stack"] = "total"
            series.append(entry)
        return {
            "aria": {"enabled": True},
            "animation": False,
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"show": len(series) > 1, "top": 0},
            "grid": {"left": 8, "right": 48, "top": 36 if len(series) > 1 else 24, "bottom": 8, "containLabel": True},
            "xAxis": value_axis if self.horizontal else category_axis,
            "yAxis": category_axis if self.horizontal else value_axis,
            "series": series,
        }

    def options_json(self) -> str:
        """The options for a <script type="application/json">: "<" escaped, so a name cannot close the script."""
        return json.dumps(self.options(), ensure_ascii=False).replace("<", "\\u003c")


def top_with_rest(items, top=TOP):
    """(key, label, amount) items, largest first, the ones after `top` summed as one ("other", 其他)."""
    ranked = sorted(items, key=lambda item: item[2], reverse=True)
    if len(ranked) <= top:
        return ranked
    rest = sum((amount for _key, _label, amount in ranked[top - 1:]), Decimal(0))
    return ranked[:top - 1] + [("other", _("Other"), rest)]
