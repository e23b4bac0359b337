"""How a criterion's measured and required values read in the eligibility panel: numbers with their
units (38,880,000.02元, 5,200平方米, 12家), codes by their labels, and nested requirements as
sentences (营业收入超过3,000,000.00元的机构不少于5家) — never a dumped dict.

The plugins report a value bare (a criterion's one number) or as a dict of named parts; the unit
of a bare value comes from its criterion, of a part from its key. A key or criterion not listed
here reads as a plain number, so a county plugin's new criterion still shows, only without a unit.
"""
import datetime
from decimal import Decimal

from flask_babel import gettext as _

from admin.i18n import format_date, format_money, format_number, is_chinese, localized
from core.records import vocab
from core.rules.shared_facts import SHARED_FACTS

MEASURED, REQUIRED = "measured", "required"

#: Units of the bare values of the installed plugins' criteria (core.rules.formatting.UNITS, or "yuan").
CRITERION_UNITS = {
    "agency_revenue": "yuan",  # a criterion's revenue total
    "floor_area": "m2",
    "agency_count": "agencies",
    "operating_agencies": "agencies",
    "branch_sites": "sites",
    "public_events": "events",
}

#: Named parts: key -> (unit, (Chinese, English) as measured, (Chinese, English) as a requirement).
#: "{}" is the value with its unit; a requirement reads as the condition it sets.
PARTS = {
    "sites": ("sites", ("园区数{}", "{}"), ("园区数{}", "{}")),
    "core_sites": ("sites", ("核心园区{}", "core: {}"), ("核心园区{}", "core: {}")),
    "core_area": ("m2", ("核心园区面积{}", "core site {}"), ("核心园区面积不少于{}", "a core site of at least {}")),
    "total_area": ("m2", ("园区总面积{}", "total floor area {}"), ("园区总面积不少于{}", "a total floor area of at least {}")),
    "single_site_min_area": ("m2", ("单一园区面积{}", "single site {}"),
                             ("只设一个园区的，面积不少于{}", "a single site of at least {}")),
    "core_site_min_area": ("m2", ("核心园区面积{}", "core site {}"), ("核心园区面积不少于{}", "a core site of at least {}")),
    "multi_site_min_total_area": ("m2", ("园区总面积{}", "all sites {}"),
                                  ("设多个园区的，总面积不少于{}", "several sites of at least {} in all")),
    "total_revenue": ("yuan", ("营业收入合计{}", "total revenue {}"), ("营业收入合计达到{}", "a total revenue of at least {}")),
    "tier1_agencies": ("agencies", ("营业收入超过第一档的机构{}", "above the first line: {}"), None),
    "tier2_agencies": ("agencies", ("营业收入超过第二档的机构{}", "above the second line: {}"), None),
    "tier3_agencies": ("agencies", ("营业收入超过第三档的机构{}", "above the third line: {}"), None),
    "staff": ("persons", ("工作人员{}", "staff: {}"), ("工作人员不少于{}", "staff: at least {}")),
    "operator_kind": (None, ("运营管理主体：{}", "operator: {}"), ("运营管理主体：{}", "operator: {}")),
    "year": ("year", ("{}年度", "in {}"), ("{}年度", "in {}")),
    "events_held": (None, ("举办活动{}", "{} held"), ("举办活动不少于{}", "at least {}")),
    "employment_promoted": (None, ("促进就业{}", "{} helped into employment"),
                            ("促进就业不少于{}", "at least {} helped into employment")),
    "people_served": (None, ("服务{}", "{} served"), ("服务不少于{}", "at least {} served")),
}
#: Units of the shared figures a criterion reports by their own names (core.rules.shared_facts): a part
#: without a unit of its own above takes its figure's.
FIGURE_UNITS = {fact.id: fact.unit for fact in SHARED_FACTS if fact.unit}
#: Codes a criterion may report, read by their labels.
VOCABULARIES = (vocab.PUBLIC_SERVICES, vocab.OPERATOR_KINDS, vocab.SERVICE_LINES, vocab.AGENCY_KINDS,
                vocab.LICENCE_KINDS)


def criterion_value(criterion_id, value, side=MEASURED) -> str:
    """A criterion's measured or required value as the eligibility panel shows it."""
    if isinstance(value, dict):
        return _joined(_part(key, item, side) for key, item in value.items())
    return plain(value, CRITERION_UNITS.get(criterion_id))


def plain(value, unit=None) -> str:
    """A single value: a number with its unit, a code by its label, a date, a list of them."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, Decimal)):
        if unit == "yuan":
            return format_money(value)
        if unit == "year":
            return str(value)
        return format_number(value, unit)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return format_date(value)
    if isinstance(value, str):
        for vocabulary in VOCABULARIES:
            if value in vocabulary:
                return localized(vocabulary.label(value, "zh"), vocabulary.label(value, "en"))
        return value
    if isinstance(value, (list, tuple, set)):
        return ("、" if is_chinese() else ", ").join(plain(item, unit) for item in value) or "—"
    if isinstance(value, dict):
        return _joined(_part(key, item, MEASURED) for key, item in value.items())
    return str(value)


def _part(key, value, side):
    if isinstance(value, dict) and set(value) == {"revenue_over", "at_least"}:
        # A tier of a criterion: N agencies each above a revenue line.
        return _("at least %(count)s with revenue above %(amount)s",
                 count=format_number(value["at_least"], "agencies"), amount=format_money(value["revenue_over"]))
    unit, measured, required = PARTS.get(key, (None, None, None))
    unit = unit or FIGURE_UNITS.get(key)
    phrase = (required or measured) if side == REQUIRED else measured
    text = plain(value, unit)
    if phrase is None:  # a part no plugin of ours reports: its key (a name of the plugin's) and value
        return f"{key}：{text}" if is_chinese() else f"{key}: {text}"
    return localized(*phrase).format(text)


def _joined(parts):
    return ("；" if is_chinese() else "; ").join(parts) or "—"
