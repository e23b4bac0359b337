"""The rules page: for each jurisdiction the user may see, every parameter of its measures (value
in force, unit, article, effective dates, local-default badge) and every criterion with its article.
Read-only: the numbers live in the plugins' parameter files."""
import datetime

from flask import abort, current_app, request
from flask_admin import expose
from flask_babel import gettext as _

from admin.auth import current_scope, current_user
from admin.i18n import current_language, format_date, format_money, localized
from admin.scoping import scoped_select
from admin.views.base import SecuredBaseView
from core.models import Jurisdiction, Park
from core.parameters import ParameterError
from core.impact import impact
from core.vocab import CRITERION_STATUSES, GRADES, SUBSIDY_KINDS
from core.plugins import RulesUnavailable, UnknownJurisdiction, rules_for
from core.provenance import rule_provenance
from core.rules import fmt_number

#: unit -> (Chinese, English) written after a value.
UNIT_LABELS = {
    "m2": ("平方米", "m²"),
    "yuan": ("", ""),
    "yuan_per_person": ("元/人", "CNY per person"),
    "count": ("个", ""),
    "persons": ("人", "persons"),
    "working_days": ("个工作日", "working days"),
    "days": ("天", "days"),
    "sites": ("个", "sites"),
    "years": ("年", "years"),
    "months": ("个月", "months"),
    "ratio": ("", ""),
    "score": ("分", "points"),
    "bool": ("", ""),
    "text": ("", ""),
    "date": ("", ""),
}


def app_registry():
    """The jurisdiction plugins this app was built with."""
    return current_app.extensions["hrpark_registry"]


def plugin_failures():
    return list(app_registry().failures)


def format_parameter_value(value, unit):
    if value is None:
        return "—"
    if unit == "yuan":
        return format_money(value)
    if unit == "bool":
        return _("Yes") if value else _("No")
    if unit == "date":
        return format_date(value) if isinstance(value, datetime.date) else str(value)
    text = fmt_number(value)
    zh, en = UNIT_LABELS.get(unit, ("", ""))
    if current_language() == "zh":
        return f"{text}{zh}"
    return f"{text} {en}".strip()


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
            "source": c.source,
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
                    {**d, "kind_text": localized(d["kind_label"], d["kind_label_en"])}
                    for d in (row.as_dict() for row in rule_provenance(rules.code, registry))
                ],
                plugin_version=rules.info.version,
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
                           moved=[{"id": pid, "before": format_parameter_value(b, rules.parameters.get(pid).unit),
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
