"""Form fields of the facts a programme declares (its facts.yaml), kept in a record's `facts`.

Each declared fact of the view's record becomes one field, made from its declaration: its type and
bounds, its name in the page's language and its article. A form shows the facts of the programmes
the user's scope reaches (of the record's own programme once it has one); a record keeps only the
facts its programme declares, each checked by its declaration (core.rules.fact_declarations).
"""
from decimal import Decimal

from flask_admin.helpers import get_form_data, is_form_submitted
from flask_babel import LazyString
from markupsafe import Markup, escape
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional

from admin.auth import current_scope
from admin.i18n import is_chinese
from admin.views import workflow
from core.records.models import Jurisdiction

PREFIX = "fact_"


def _lazy(zh, en):
    return LazyString(lambda: zh if is_chinese() else en)


def _field(fact):
    """The form field of one declared fact."""
    label = _lazy(f"{fact.name_zh}（{fact.article}）", f"{fact.name_en} ({fact.article})")
    bounds = [NumberRange(min=fact.min, max=fact.max)] if fact.min is not None or fact.max is not None else []
    if fact.type == "bool":
        return BooleanField(label)
    if fact.type == "int":
        return IntegerField(label, validators=[Optional(), *bounds])
    if fact.type == "decimal":
        return DecimalField(label, validators=[Optional(), *bounds])
    if fact.type == "choice":
        return SelectField(label, choices=[("", "—"), *((c, c) for c in fact.choices)], validators=[Optional()])
    if fact.type == "list_of_text":
        return TextAreaField(label, description=_lazy("每行一项", "One per line"))
    return StringField(label)


def declared_in(programmes, owner):
    """{id: FactDeclaration} of `owner` the `programmes` (registry jurisdictions) declare."""
    return {fact.id: fact for rules in programmes if rules is not None
            for fact in rules.facts().values() if fact.owner == owner}


def facts_text(facts, declared):
    """A record's facts as a list cell: each declared one by its name, in the page's language."""
    shown = []
    for fact_id, value in (facts or {}).items():
        fact = declared.get(fact_id)
        name = (fact.name_zh if is_chinese() else fact.name_en) if fact else fact_id
        if isinstance(value, bool):
            value = ("是" if value else "否") if is_chinese() else ("yes" if value else "no")
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        shown.append(f"{escape(name)}：{escape(value)}")
    return Markup("<br>".join(shown)) if shown else ""


def facts_column(view, context, model, name):
    """The list and details cell of a record's declared facts."""
    return facts_text(model.facts, view.all_declared())


class DeclaredFactsMixin:
    """For a ScopedModelView whose model has a `facts` column: `facts_owner` names the record
    (core.rules.fact_declarations.OWNERS), `jurisdiction_of(record)` its jurisdiction row."""

    facts_owner = ""

    @staticmethod
    def jurisdiction_of(record):
        return record.jurisdiction

    def all_declared(self):
        return declared_in(workflow.app_registry(), self.facts_owner)

    def _declared_for(self, record):
        """The facts the record's programme declares; before it has one, those of the scope's programmes."""
        if record is not None and getattr(record, "id", None) is not None:
            return declared_in([workflow.rules_of(self.jurisdiction_of(record))], self.facts_owner)
        scope = current_scope()
        rows = Jurisdiction.select()
        if not scope.unrestricted:
            rows = rows.where(Jurisdiction.id.in_(list(scope.jurisdiction_ids) or [0]))
        return declared_in([workflow.rules_of(row) for row in rows], self.facts_owner)

    def _with_facts(self, form_class, record):
        """`form_class` with a field per fact the record's programme (or the scope's) declares: made
        per request, as the installed programmes and the user's scope say."""
        fields = {PREFIX + fact.id: _field(fact) for fact in self._declared_for(record).values()}
        return type(form_class.__name__, (form_class,), fields) if fields else form_class

    def create_form(self, obj=None):
        return self._with_facts(self._create_form_class, None)(get_form_data(), obj=obj)

    def edit_form(self, obj=None):
        form = self._with_facts(self._edit_form_class, obj)(get_form_data(), obj=obj)
        if not is_form_submitted():
            for name, field in form._fields.items():
                if name.startswith(PREFIX):
                    value = (obj.facts or {}).get(name[len(PREFIX):])
                    field.data = "\n".join(value) if isinstance(value, list) else value
        return form

    def on_model_change(self, form, record, is_created):
        """Keep in `record.facts` each fact its programme declares, cleaned by its declaration
        (FactValueError, a ValueError, refuses the save with the fact named)."""
        super().on_model_change(form, record, is_created)
        declared = declared_in([workflow.rules_of(self.jurisdiction_of(record))], self.facts_owner)
        facts = dict(record.facts or {})
        for name, field in form._fields.items():
            if not name.startswith(PREFIX):
                continue
            fact, value = declared.get(name[len(PREFIX):]), field.data
            if fact is None:
                if value not in (None, False, ""):
                    raise ValueError(f"{field.label.text}：该园区所适用的办法不读取此项 / "
                                     f"not read by the measures governing this record")
                continue
            if fact.type == "list_of_text":
                value = (value or "").splitlines()
            elif isinstance(value, Decimal) and fact.type == "int":
                value = int(value)
            facts[fact.id] = fact.clean(value)
        record.facts = facts
