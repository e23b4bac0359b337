"""The rules page: for each jurisdiction the user may see, the measures in force on a chosen day
(?on=, today by default): every number with its value, the document and article governing it that day
and the days it holds between, every criterion with its article; and, for a county's own measures,
a page reading them as a diff of its city's. Read-only: the numbers live in the plugins' parameter
files, and what they say on a day is core.rules.on_date's, as for `hrpark rules`."""
import datetime
import re

from flask import abort, current_app, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.auth import current_scope, current_user
from admin.i18n import (bilingual, both, current_language, format_date, format_money, format_number, format_percent,
                        in_page_language, localized)
from admin.scoping import scoped_select
from admin.views.base import SecuredBaseView
from core.records import vocab
from core.rules.dates import ACCEPTED_EN, ACCEPTED_FORMATS, ACCEPTED_ZH, DateFormatError, parse_date
from core.records.models import Jurisdiction, Park
from core.rules.impact import impact
from core.rules.parameters import ParameterError
from core.rules.on_date import ADDED, DROPPED, diff_rules, numbers_in_force
from core.rules.settings import known_settings
from core.records.vocab import CRITERION_STATUSES, GRADES, SUBSIDY_KINDS
from core.plugin.registry import RulesUnavailable, UnknownJurisdiction, rules_for
from core.rules.provenance import rule_provenance

def app_registry():
    """The jurisdiction plugins this app was built with."""
    return current_app.extensions["hrpark_registry"]


def plugin_failures():
    return list(app_registry().failures)


def format_parameter_value(value, unit):
    """A parameter's value as the measures write it: 3,000平方米, 30,000,000.00元, 15%, 第1季度, 是."""
    if value is None:
        return "—"
    if unit == "yuan":
        return format_money(value)
    if unit == "yuan_per_person":
        return _("%(amount)s per person", amount=format_money(value))
    if unit == "bool":
        return _("Yes") if value else _("No")
    if unit == "date":
        return format_date(value) if isinstance(value, datetime.date) else str(value)
    if unit == "ratio":
        return format_percent(value)
    if unit == "quarter":
        return _("quarter %(n)s", n=value)
    if unit == "text":
        return str(value)
    return format_number(value, unit)


def rule_title(row):
    """A provenance row's rule as people name it: a subsidy rule by the kind of subsidy it gives."""
    if row["kind"] == "subsidy" and row["title"] in vocab.SUBSIDY_KINDS:
        return vocab.SUBSIDY_KINDS.label(row["title"], current_language())
    return row["title"]


def plugin_name(code):
    """The jurisdiction whose plugin supplies a rule, by its name in the current language."""
    try:
        info = app_registry().get(code).info
    except UnknownJurisdiction:
        return code
    return localized(info.name, info.name_en)


def document_text(number):
    """The measures that govern a number, as cited: 《title》 and the document number where there is one.
    A local default is no document's: it is named as the deployment's of that programme."""
    document = number.document
    if number.parameter.local_default:
        return _("Local default of %(name)s, not set by the measures", name=plugin_name(number.source))
    if document is None:
        return plugin_name(number.source)
    return f"《{document.title}》" + (f"（{document.document_number}）" if document.document_number else "")


def period_text(number):
    """The days a number's value holds between: from its start, to its last day where it ends."""
    if number.value is None:
        return ""
    if number.effective_until is None:
        return _("from %(day)s", day=format_date(number.effective_from))
    return _("%(start)s to %(end)s", start=format_date(number.effective_from), end=format_date(number.effective_until))


def value_text(number):
    if number.value is None:
        return _("No value on this day")
    return format_parameter_value(number.value, number.unit)


def describe_number(number):
    """One number on the chosen day: its value, the article and document governing it, its period."""
    return {"value": value_text(number), "reference": number.reference, "document": document_text(number),
            "period": period_text(number)}


def describe_parameters(rules, on, registry):
    rows = []
    for n in numbers_in_force(rules, on, registry):
        p = n.parameter
        rows.append({
            **describe_number(n),
            "id": p.id,
            "description": localized(p.description, p.description_en),
            "local_default": p.local_default,
            "history": [
                (format_date(start), format_parameter_value(value, p.unit) if value is not None else _("ended"))
                for start, value in p.values
            ],
        })
    return rows


def describe_criteria(rules, on):
    return [
        {
            "id": c.id,
            "article": c.article,
            "title": localized(c.title, c.title_en),
            "waivable": c.waivable,
            "judgement": c.judgement,
            "source": plugin_name(c.source) if c.source else "",
        }
        for c in rules.criteria(on)
    ]


def criteria_on(rules, on):
    """The entry's criteria on day `on`, or, on a day they cannot be read, why (`no_rules`)."""
    try:
        return {"criteria": describe_criteria(rules, on)}
    except ParameterError as exc:
        return {"criteria": [], "no_rules": no_rules_on(rules, on, exc)}


def no_rules_on(rules, on, exc):
    """Why a programme's rules cannot be read on `on`: a day before its first number, or else the
    plugin's own error, in the page's language."""
    days = rules.parameters.change_days()
    if days and on < days[0]:
        return _("No rule of these measures is in force on %(day)s: their numbers begin on %(first)s.",
                 day=format_date(on), first=format_date(days[0]))
    return in_page_language(str(exc))


def visible_jurisdictions(scope):
    if scope.is_park_bound:  # a park operator reads the rules of its park's jurisdiction
        return list(Jurisdiction.select().join(Park, on=(Park.jurisdiction == Jurisdiction.id)).where(Park.id == scope.park_id))
    return list(scoped_select(Jurisdiction, scope).order_by(Jurisdiction.id))


class RulesView(SecuredBaseView):
    resource = "rules"

    @expose("/")
    def index(self):
        try:
            on = requested_day()
        except DateFormatError as exc:
            return self.render("hrpark/rules.html", **day_refused(exc)), 400
        registry = app_registry()
        entries = []
        for row in visible_jurisdictions(current_scope()):
            entry = {"row": row, "name": localized(row.name_zh, row.name_en), "rules": None}
            try:
                rules = rules_for(row, registry)
            except RulesUnavailable as exc:  # named, never read as "no plugin" or as the city's rules
                entries.append({**entry, "unavailable": exc.zh if current_language() == "zh" else exc.en})
                continue
            except UnknownJurisdiction:
                entries.append(entry)
                continue
            entry.update(
                rules=rules,
                inherited_from=None if rules.code == row.code else localized(rules.info.name, rules.info.name_en),
                measures=rules.info.measures_title,
                effective_note=readable_note(rules.info.effective_note),
                parameters=describe_parameters(rules, on, registry),
                **criteria_on(rules, on),
                diff=county_diff_link(row, rules, registry, on),
                provenance=[
                    {**d, "kind_text": localized(d["kind_label"], d["kind_label_en"]), "plugin_name": plugin_name(d["plugin"]),
                     "title": rule_title(d)}
                    for d in (row.as_dict() for row in rule_provenance(rules.code, registry))
                ],
                plugin_version=rules.info.version,
                plugin_name=plugin_name(rules.code),
                revisions=[{"label": r.label, "day": format_date(r.effective_from),
                            "url": url_for(".impact_view", code=rules.code, version=r.label)} for r in rules.revisions()],
            )
            entries.append(entry)
        return self.render("hrpark/rules.html", entries=entries, tree=jurisdiction_tree(entries), **day_form(on),
                           may_see_impact=current_user().role in IMPACT_ROLES)

    @expose("/diff/")
    def diff_view(self):
        """A county's measures as a diff of its city's on a day (?code=&on=): the numbers that
        differ, the conditions added, rewritten or dropped, and how many are the city's unchanged."""
        registry = app_registry()
        code = request.args.get("code", "")
        if code not in {row.code for row in visible_jurisdictions(current_scope())}:
            abort(404)
        county = registry.get(code)  # a programme that cannot load: RulesUnavailable names its error
        if not county.info.parent or county.info.parent not in registry:
            abort(404)
        parent = registry.get(county.info.parent)
        names = {"county": county, "parent": parent, "county_name": localized(county.info.name, county.info.name_en),
                 "parent_name": localized(parent.info.name, parent.info.name_en)}
        try:
            on = requested_day()
        except DateFormatError as exc:
            return self.render("hrpark/rules_diff.html", **names, **day_refused(exc)), 400
        try:
            diff = describe_diff(diff_rules(parent, county, on, registry))
        except ParameterError as exc:  # a day before the measures: nothing to compare, and it says so
            return self.render("hrpark/rules_diff.html", **names, **day_form(on), notice=no_rules_on(county, on, exc))
        return self.render("hrpark/rules_diff.html", **names, **day_form(on), **diff)

    @expose("/impact/")
    def impact_view(self):
        """Rule-change impact (issue 12): the parks within the user's reach that a revision of the
        measures would move, with both results and the articles."""
        if current_user().role not in IMPACT_ROLES:
            abort(403)
        registry = app_registry()
        code, label = request.args.get("code", ""), request.args.get("version", "")
        visible = {row.code for row in visible_jurisdictions(current_scope())}
        if code not in registry or code not in visible:
            abort(404)
        rules = registry.get(code)
        try:
            report = impact(rules, label, on=requested_day())
        except RulesUnavailable as exc:
            abort(404, exc.zh)
        park_ids = {p.id for p in scoped_select(Park, current_scope(), Park.id)}
        return self.render("hrpark/impact.html", rules=rules, report=report, rows=impact_rows(report, park_ids),
                           effective_from=format_date(report.effective_from),
                           moved=[{"id": localized(rules.parameters.get(pid).description, rules.parameters.get(pid).description_en),
                                   "before": format_parameter_value(b, rules.parameters.get(pid).unit),
                                   "after": format_parameter_value(a, rules.parameters.get(pid).unit), "reference": ref}
                                  for pid, b, a, ref in report.moved_parameters])


IMPACT_ROLES = ("admin", "city_officer", "city_finance")


def impact_rows(report, park_ids):
    """The report's parks within the user's reach, one row per change, in words."""
    language = current_language()
    rows = []
    for park in report.parks:
        if park.park_id not in park_ids:
            continue
        for change in park.changes:
            if change["what"] == "eligibility":
                what = _("Eligibility")
                before = "；".join(f"{localized(c['title'], c['title_en'])}：{CRITERION_STATUSES.label(c['before'], language)}"
                                  for c in change["criteria"])
                after = "；".join(f"{localized(c['title'], c['title_en'])}：{CRITERION_STATUSES.label(c['after'], language)}"
                                 for c in change["criteria"])
            elif change["what"] == "grade":
                what = _("Grade of %(year)s", year=change["year"])
                before = f"{GRADES.label(change['before'], language)}（{change['total_before']}）"
                after = f"{GRADES.label(change['after'], language)}（{change['total_after']}）"
            else:
                what = SUBSIDY_KINDS.label(change["kind"], language) if change["kind"] in SUBSIDY_KINDS else change["kind"]
                before, after = format_money(change["before"]), format_money(change["after"])
            rows.append({"park": park.park, "what": what, "before": before, "after": after,
                         "articles": "、".join(a for a in change["articles"] if a)})
    return rows


def readable_note(note):
    """A plugin's note on its dates in the page's language, a deployment setting it names
    (city.effective_from) called by its title, as the settings page calls it."""
    note = in_page_language(note)
    for setting in sorted(known_settings(), key=lambda s: len(s.name), reverse=True):
        title = f"“{localized(setting.title_zh, setting.title_en)}”"
        note = re.sub(rf"\s?{re.escape(setting.name)}", lambda _match: title, note)
    return note


def requested_day():
    """The day asked for (?on=, written any way core.rules.dates reads), today when none is given."""
    return parse_date(request.args.get("on")) or datetime.date.today()


def day_form(on):
    """What the date field of the rules pages shows for day `on`."""
    return {"on": on, "on_text": on.isoformat(), "day": format_date(on), "date_formats": date_formats()}


def day_refused(exc):
    """The page's variables when ?on= is not a date: the field keeps the text, a message says why."""
    return {"on": None, "on_text": exc.text, "date_formats": date_formats(), "entries": [], "tree": [],
            "date_error": bilingual("“%(text)s” is not a valid date: write it as %(formats)s.", text=exc.text,
                                    formats=both(ACCEPTED_ZH, ACCEPTED_EN))}


def date_formats():
    return "、".join(ACCEPTED_FORMATS) if current_language() == "zh" else ", ".join(ACCEPTED_FORMATS)


def county_diff_link(row, rules, registry, on):
    """(text, url) of the diff page of a programme modelled on another, on its own page only."""
    parent = rules.info.parent
    if rules.code != row.code or not parent or parent not in registry:
        return None
    info = registry.get(parent).info
    return (_("Compare with the measures of %(name)s", name=localized(info.name, info.name_en)),
            url_for(".diff_view", code=rules.code, on=on.isoformat()))


CRITERION_CHANGES = {ADDED: _l("Added"), DROPPED: _l("Dropped")}


def describe_diff(diff):
    """The diff page's rows: each number on both sides, each condition changed, the counts kept."""
    numbers = [{"id": d.id, "description": localized(d.county.parameter.description, d.county.parameter.description_en),
                "parent": describe_number(d.parent) if d.parent else None, "county": describe_number(d.county),
                "same_value": d.parent is not None and d.parent.value == d.county.value}
               for d in diff.numbers]
    criteria = [{"id": d.id, "change": CRITERION_CHANGES.get(d.change, _l("Rewritten")),
                 "parent": d.parent and {"title": localized(d.parent.title, d.parent.title_en), "article": d.parent.article},
                 "county": d.county and {"title": localized(d.county.title, d.county.title_en), "article": d.county.article}}
                for d in diff.criteria]
    return {"compared": True, "numbers": numbers, "criteria": criteria, "inherited_numbers": diff.inherited_numbers,
            "inherited_criteria": diff.inherited_criteria}


def jurisdiction_tree(entries):
    """[(city entry, [county entries])] of the visible jurisdictions: each county under its city."""
    by_id = {e["row"].id: e for e in entries}
    roots, children = [], {}
    for e in entries:
        parent = e["row"].parent_id
        if parent in by_id:
            children.setdefault(parent, []).append(e)
        else:
            roots.append(e)
    return [(root, children.get(root["row"].id, [])) for root in roots]
