"""Form fields and converters that keep every choice inside the user's scope.

Flask-Admin's peewee backend fills a foreign-key dropdown (and an ajax lookup) with every row of
the related table, and accepts any id posted. Here the choices are the user's scoped rows, read
when the form is used, and a posted id of a row outside the scope is refused with 403 — nobody
can pick it from the page, so it was forged. Inline child rows are never deleted recursively.
"""
from flask import abort
from flask_admin.contrib.peewee.ajax import QueryAjaxModelLoader
from flask_admin.contrib.peewee.form import CustomModelConverter, InlineModelConverter, InlineModelFormList
from flask_admin.model.fields import AjaxSelectField
from wtforms import HiddenField
from wtforms.validators import ValidationError
from wtfpeewee.fields import SelectQueryField
from wtfpeewee.orm import FieldInfo

from admin import presentation, scoping
from admin.auth import current_scope
from admin.deletion import DeletionRefused, refuse_deletion_reason
from admin.ids import as_id, as_whole
from admin.forms import VersionField, VocabCheckboxField, VocabSelectField, WithinBounds, WrittenDateField
from core.records.bounds import bounds_of


def as_pk(value):
    """A posted id as an int, or None if it is not one (nor can be: admin.ids)."""
    return as_id(value)


def refuse_if_forged(model, pk):
    """403 when `pk` names a real row of `model` that lies outside the user's scope."""
    pk = as_pk(pk)
    if pk is not None and model.select(model.id).where(model.id == pk).exists():
        abort(403)


class ScopedSelectField(SelectQueryField):
    """A foreign-key dropdown listing only the rows the current user may reach."""

    def __init__(self, label=None, validators=None, model=None, **kwargs):
        self.scoped_model = model
        kwargs.setdefault("get_label", presentation.record_label)
        super().__init__(label, validators, query=model.select(), **kwargs)

    @property
    def query(self):
        return scoping.scoped_select(self.scoped_model, current_scope()).order_by(self.scoped_model.id)

    @query.setter
    def query(self, value):  # set by SelectQueryField.__init__; the scope decides instead
        pass

    def get_model(self, pk):
        if as_pk(pk) is None:
            return None
        found = self.query.where(self.scoped_model.id == as_pk(pk)).first()
        if found is None:
            refuse_if_forged(self.scoped_model, pk)
        return found

    def pre_validate(self, form):
        # A posted value that no record's id can be is no choice, and never reaches the database.
        data = self.data
        if data is not None and not isinstance(data, self.scoped_model) and as_pk(data) is None:
            raise ValidationError(self.gettext("Not a valid choice."))
        super().pre_validate(form)


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """An ajax lookup (for tables too big for a dropdown) over the user's scoped rows only."""

    MAX_LIMIT = 50

    def format(self, model):
        if not model:
            return None
        return (model.id, presentation.record_label(model))

    def get_one(self, pk):
        if as_pk(pk) is None:
            return None
        found = scoping.scoped_select(self.model, current_scope()).where(self.model.id == as_pk(pk)).first()
        if found is None:
            refuse_if_forged(self.model, pk)
        return found

    def get_list(self, term, offset=0, limit=10):
        query = scoping.scoped_select(self.model, current_scope())
        if term:
            stmt = None
            for field in self._cached_fields:
                q = field ** f"%{term}%"
                stmt = q if stmt is None else (stmt | q)
            query = query.where(stmt)
        limit = max(1, min(as_whole(limit, 1) or 10, self.MAX_LIMIT))
        return list(query.order_by(self.model.id).offset(as_whole(offset, 0) or 0).limit(limit))


class HrparkModelConverter(CustomModelConverter):
    """Labels from admin.presentation, vocabulary codes as selects / checkboxes, a hidden version,
    and foreign keys limited to the user's scope."""

    def convert(self, model, field, field_args):
        args = dict(field_args or {})
        args.setdefault("label", presentation.label_for(model, field.name))
        if field.name == "version":
            return FieldInfo(field.name, VersionField(label=args["label"]))
        if field.primary_key:
            # An inline row's id: empty for a row added in the browser. wtfpeewee would make it
            # required (Flask-Admin's own optional pk field matches only peewee's PrimaryKeyField).
            return FieldInfo(field.name, HiddenField(label=args["label"]))
        limits = bounds_of(field)
        if limits is not None:
            args["validators"] = [*(args.get("validators") or []), WithinBounds(limits)]
        vocabulary = presentation.vocabulary_of(model, field.name)
        if vocabulary is not None:
            args.pop("validators", None)
            if presentation.is_list_field(model, field.name):
                return FieldInfo(field.name, VocabCheckboxField(vocab=vocabulary, **args))
            default = field.default if not callable(field.default) else None
            return FieldInfo(field.name, VocabSelectField(vocab=vocabulary, allow_blank=field.null, default=default, **args))
        return super().convert(model, field, args)

    def handle_date(self, model, field, **kwargs):
        return field.name, WrittenDateField(**kwargs)

    def handle_foreign_key(self, model, field, **kwargs):
        loader = getattr(self.view, "_form_ajax_refs", {}).get(field.name)
        if loader:
            if field.null:
                kwargs["allow_blank"] = True
            return field.name, AjaxSelectField(loader, **kwargs)
        if field.null:
            kwargs["allow_blank"] = True
        return FieldInfo(field.name, ScopedSelectField(model=field.rel_model, **kwargs))


class GuardedInlineFormList(InlineModelFormList):
    """Inline child rows (a park's sites and agencies): a posted id must be one of this parent's
    rows, and removing a row never cascades (a row with dependants is refused)."""

    def save_related(self, obj):
        attr = getattr(self.model, self.prop)
        existing = {str(row.id): row for row in self.model.select().where(attr == obj.id)}
        for field in self.entries:
            field_id = field.get_pk()
            if field_id not in (None, "") and str(field_id) not in existing:
                abort(404)  # another parent's row
            row = existing.get(str(field_id)) if field_id not in (None, "") else None
            if row is not None and self.should_delete(field):
                reason = refuse_deletion_reason(row)
                if reason:
                    raise DeletionRefused(reason)
                row.delete_instance()
                continue
            is_created = row is None
            if is_created:
                row = self.model()
            field.populate_obj(row, None)
            setattr(row, self.prop, obj.id)
            self.inline_view._on_model_change(field, row, is_created)
            row.save()


class GuardedInlineConverter(InlineModelConverter):
    inline_field_list_type = GuardedInlineFormList

