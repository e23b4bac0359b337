"""The rules page: for each jurisdiction the user may see, every parameter of its measures (value
in force, unit, article, effective dates, local-default badge) and every criterion with its article.
Read-only: the numbers live in the plugins' parameter files."""
import datetime

from flask import abort, current_app, request, url_for
from flask_admin import expose
from flask_babel import gettext as _

from admin.auth import current_scope, current_user
from admin.i18n import current_language, format_date, format_money, format_number, format_percent, localized
from admin.scoping import scoped_select
from admin.views.base import SecuredBaseView
from core import vocab
from core.models import Jurisdiction, Park
from core.parameters import ParameterError
from core.impact import impact
from core.vocab import CRITERION_STATUSES, GRADES, SUBSIDY_KINDS
from core.plugins import RulesUnavailable, UnknownJurisdiction, rules_for
from core.provenance import rule_provenance

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


def describe_parameters(rules, today):
    rows = []
    for p in rules.parameters:
        try:
            current = p.at(today)
        except ParameterError:
            current = None
        rows.append({
            "id": p.id,
            "description": localized(p.description, p.description_en),
            "value": format_parameter_value(current, p.unit),
            "unit": p.unit,
            "reference": p.reference,
            "local_default": p.local_default,
            "source": p.source,
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


def visible_jurisdictions(scope):
    if scope.is_park_bound:  # a park operator reads the rules of its park's jurisdiction
        return list(Jurisdiction.select().join(Park, on=(Park.jurisdiction == Jurisdiction.id)).where(Park.id == scope.park_id))
    return list(scoped_select(Jurisdiction, scope).order_by(Jurisdiction.id))


class RulesView(SecuredBaseView):
    resource = "rules"

    @expose("/")
    def index(self):
        today = datetime.date.today()
        registry = app_registry()
        entries = []
        for row in visible_jurisdictions(current_scope()):
            entry = {"row": row, "name": localized(row.name_zh, row.name_en), "rules": None}
            try:
                rules = rules_for(row, registry)
            except UnknownJurisdiction:
                entries.append(entry)
                continue
            entry.update(
                rules=rules,
                inherited_from=None if rules.code == row.code else localized(rules.info.name, rules.info.name_en),
                measures=rules.info.measures_title,
                effective_note=rules.info.effective_note,
                parameters=describe_parameters(rules, today),
                criteria=describe_criteria(rules, today),
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
        return self.render("hrpark/rules.html", entries=entries, tree=jurisdiction_tree(entries),
                           today=format_date(today), may_see_impact=current_user().role in IMPACT_ROLES)

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
            report = impact(rules, label)
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
