"""The secured base views of the back office: every path passes through the user's role and scope.

`ScopedModelView` closes the gaps of Flask-Admin's peewee backend (checked on 2.2.1): the list,
its count, details, edit (GET and POST), create, delete, bulk actions, foreign-key choices, ajax
lookups and export all read through `get_query()`, which is limited to the user's scope; a record
outside it answers 404 and nothing changes. What a role may do at all comes from
admin.permissions. Deletion never cascades, records with history are never deleted, and an edit
made on a stale version is refused with the first editor's change kept.
"""
import itertools
import time

from flask import abort, flash, has_request_context, redirect, render_template, request
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.peewee import ModelView
from flask_admin.model.filters import BaseIntFilter
from flask_admin.helpers import get_redirect_target, is_form_submitted
from flask_babel import lazy_gettext as _l
from flask_babel import gettext, ngettext
from peewee import JOIN, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField, IntegrityError
from werkzeug.exceptions import HTTPException

from admin import permissions, presentation, saved_filters, scoping
from admin.deletion import DeletionRefused, refuse_deletion_reason
from admin.auth import current_scope, current_user, login_url, may
from admin.forms import CsrfForm, form_error_lines
from admin.i18n import bilingual, in_page_language
from admin.text_search import IndexedSearch
from admin.views.fields import GuardedInlineConverter, HrparkModelConverter, ScopedAjaxLoader, as_pk
from admin.ids import MAX_ID, as_whole
from core.records.accounts import AccountError
from core.records.models import HistoryDeletionError, StaleEditError


UTF8_BOM = "\ufeff"
#: Excel number formats of exported cells: money to the fen, counts with thousands separators,
#: years and record numbers as written (2025, not 2,025), dates as dates.
MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
PLAIN_NUMBER_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class Refusal(ValueError):
    """A save refused for a reason the user can act on; the message (bilingual) is shown as is."""


class ScopeViolation(Exception):
    """A saved record fell outside the user's scope: the transaction is rolled back."""


class SecuredViewMixin:
    """Sign-in required; the view's `resource` must be viewable by the user's role."""

    resource = ""

    def may(self, action_name):
        return may(self.resource, action_name)

    def is_accessible(self):
        return current_user() is not None and self.may(permissions.VIEW)

    def is_visible(self):
        try:
            return self.is_accessible()
        except RuntimeError:  # outside a request
            return True

    def inaccessible_callback(self, name, **kwargs):
        if current_user() is None:
            return redirect(login_url())
        abort(403)


class HomeView(AdminIndexView):
    """The back office's front page (admin.views.workbench); signing in is required here too."""

    def is_accessible(self):
        return current_user() is not None

    def inaccessible_callback(self, name, **kwargs):
        return redirect(login_url())


class SecuredBaseView(SecuredViewMixin, BaseView):
    """A plain page (not a table) with the same sign-in and role checks."""


class ScopedModelView(SecuredViewMixin, ModelView):
    """A table of the back office, limited to the user's scope and role.

    Subclasses set `resource` (a key of admin.permissions.MATRIX) and may set `list_joins`: the
    foreign keys to join in the list query, so related names are read in the same query instead
    of one query per row. A bulk action added with Flask-Admin's @action runs only if the role has
    `action_permissions[name]` (EDIT by default) and every posted id is within the scope; read the
    records with `self.scoped_records(ids)`. A page added with @expose needs VIEW unless listed in
    `endpoint_permissions`; it must read its records through `get_one` / `get_query`.
    """

    def _get_filter_groups(self):
        """The filters' options read in the request's language: Flask-Admin computes them once, at
        start-up, outside any request (so in no language at all)."""
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                options = self._filters[item["index"]].get_options(self)
                item["options"] = [(code, str(label)) for code, label in options] if options else None
        return groups

    def init_search(self):
        """Flask-Admin's search, its words looked up through the tables' text indexes."""
        if not super().init_search():
            return False
        if all(field.model is self.model for field in self._search_fields):
            self._search_fields = [IndexedSearch(self.model, self._search_fields)]
        return True

    def search_placeholder(self):
        # Flask-Admin's peewee backend offers none, and the template then shows "None".
        return _l("Search") if self.column_searchable_list else None

    form_base_class = CsrfForm
    model_form_converter = HrparkModelConverter
    inline_model_form_converter = GuardedInlineConverter
    column_type_formatters = presentation.TYPE_FORMATTERS
    column_type_formatters_detail = presentation.TYPE_FORMATTERS
    column_type_formatters_export = presentation.EXPORT_TYPE_FORMATTERS
    column_display_pk = False
    column_default_sort = ("id", True)
    can_set_page_size = True
    page_size = 20
    page_size_options = (20, 50, 100)
    export_types = ["csv", "xlsx"]
    export_max_rows = 10000
    list_template = "hrpark/list.html"  # Flask-Admin's list, with the saved filters and the list's link

    #: Foreign keys joined (and selected) in the list query, in join order.
    list_joins = ()
    #: Endpoint -> permission it needs; an endpoint not listed needs VIEW. Bulk actions say their own.
    endpoint_permissions = {
        "index_view": permissions.VIEW,
        "details_view": permissions.VIEW,
        "create_view": permissions.CREATE,
        "edit_view": permissions.EDIT,
        "delete_view": permissions.DELETE,
        "export": permissions.EXPORT,
        "ajax_update": permissions.EDIT,
    }
    #: Bulk action name -> permission it needs (delete: DELETE; any other: EDIT unless listed).
    action_permissions = {"delete": permissions.DELETE}

    def __init__(self, model, *args, **kwargs):
        if self.column_labels is None:
            self.column_labels = presentation.labels_for(model, extra=getattr(self, "extra_label_names", ()))
        formatters = presentation.column_formatters_for(model)
        formatters.update(self.column_formatters or {})
        self.column_formatters = formatters
        detail = presentation.column_formatters_for(model)
        detail.update(self.column_formatters_detail or self.column_formatters or {})
        self.column_formatters_detail = detail
        export = presentation.column_formatters_for(model, export=True)
        export.update(self.column_formatters_export or {})
        self.column_formatters_export = export
        super().__init__(model, *args, **kwargs)

    # --- what the role may do (outside a request, while Flask-Admin builds its caches: all) -----

    def _flag(self, action_name):
        if not has_request_context():
            return True
        return self.may(action_name)

    can_create = property(lambda self: self._flag(permissions.CREATE))
    can_edit = property(lambda self: self._flag(permissions.EDIT))
    can_view_details = property(lambda self: self._flag(permissions.VIEW))
    can_export = property(lambda self: self._flag(permissions.EXPORT))

    @property
    def can_delete(self):
        return getattr(self.model, "hard_delete_allowed", True) and self._flag(permissions.DELETE)

    def _handle_view(self, name, **kwargs):
        if not self.is_accessible():
            return self.inaccessible_callback(name, **kwargs)
        if name == "delete_view":
            allowed = self.can_delete
        elif name == "ajax_lookup":
            allowed = self.may(permissions.CREATE) or self.may(permissions.EDIT)
        elif name == "action_view":
            allowed = True  # each action is checked in handle_action
        else:
            allowed = self.may(self.endpoint_permissions.get(name, permissions.VIEW))
        if not allowed:
            abort(403)
        return None

    def handle_view_exception(self, exc):
        if isinstance(exc, HTTPException):
            raise exc
        return super().handle_view_exception(exc)

    # --- the query, limited to the scope ------------------------------------------------------

    def _joined_models(self):
        return {fk.rel_model for fk in self.list_joins}

    def get_query(self):
        query = self.model.select(self.model, *[fk.rel_model for fk in self.list_joins])
        for fk in self.list_joins:
            query = query.join_from(fk.model, fk.rel_model, JOIN.LEFT_OUTER if fk.null else JOIN.INNER, on=fk)
        cond = scoping.condition(self.model, current_scope())
        return query if cond is None else query.where(cond)

    def get_count_query(self):
        """The peewee backend counts `get_query()`; this says so for anyone who asks."""
        return self.get_query()

    def _get_list_extra_args(self):
        """Flask-Admin's list arguments, the page number bounded: a negative page is the first
        (PostgreSQL refuses a negative OFFSET) and a page past the end of any table stays within
        the integers the database takes (page × page size is the OFFSET)."""
        args = super()._get_list_extra_args()
        last_page = MAX_ID // max(self.page_size_options + (self.page_size,))
        args.page = min(max(args.page or 0, 0), last_page)
        return args

    def _get_list_filter_args(self):
        """Flask-Admin's active filters, less a whole-number filter whose value no integer column
        holds: that one is refused with Flask-Admin's own "invalid filter value" message, as a
        value that is no number at all is, instead of reaching the database as an error."""
        active = super()._get_list_filter_args()
        if not active:
            return active
        kept = []
        for idx, name, value in active:
            flt = self._filters[idx]
            if isinstance(flt, BaseIntFilter) and as_whole(value) is None:
                flash(self.get_invalid_value_msg(value, flt), "error")
                continue
            kept.append((idx, name, value))
        return kept

    def _handle_join(self, query, field, joins):
        # A model already joined by get_query() must not be joined twice (search, filters, sort).
        model_class = getattr(field, "model", None)
        if model_class in self._joined_models():
            return query
        return super()._handle_join(query, field, joins)

    def get_one(self, id):
        """The record `id` if the user may reach it; otherwise 404, as if it did not exist."""
        pk = as_pk(id)
        if pk is None:
            abort(404)
        record = self.get_query().where(self.model.id == pk).first()
        if record is None:
            abort(404)
        return record

    def scoped_records(self, ids):
        """The records of `ids`, all inside the scope, or 404 (a bulk action never half-applies)."""
        pks = [as_pk(i) for i in ids]
        if not pks or any(pk is None for pk in pks):
            abort(404)
        records = list(self.get_query().where(self.model.id.in_(pks)))
        if len(records) != len(set(pks)):
            abort(404)
        return records

    # --- saved filters: the list's query string under a name, for the account alone --------------

    def saved_filters(self):
        return saved_filters.saved_for(current_user(), self.endpoint)

    def saved_filter_url(self, saved):
        return self.get_url(".index_view") + (f"?{saved.query}" if saved.query else "")

    @expose("/saved-filters/", methods=("POST",))
    def save_filter_view(self):
        """保存当前筛选: the list's query string posted, kept under the name given (400 with the reason if refused)."""
        try:
            name = saved_filters.checked_name(request.form.get("name"))
            query = saved_filters.list_query(request.form.get("query"), self.get_url(".index_view"), len(self._filters or ()))
        except saved_filters.FilterRefused as exc:
            return render_template("hrpark/error.html", status=400, message=in_page_language(str(exc)),
                                   back=self.get_url(".index_view")), 400
        saved = saved_filters.save(current_user(), self.endpoint, name, query)
        flash(bilingual("Filter “%(name)s” saved.", name=saved.name), "success")
        return redirect(self.saved_filter_url(saved))

    @expose("/saved-filters/<int:filter_id>/delete/", methods=("POST",))
    def delete_filter_view(self, filter_id):
        """Delete one of the account's own saved filters of this list; anyone else's is not found (404)."""
        if not saved_filters.delete(current_user(), self.endpoint, filter_id):
            abort(404)
        flash(bilingual("Saved filter deleted."), "success")
        return redirect(get_redirect_target() or self.get_url(".index_view"))

    # --- forms ---------------------------------------------------------------------------------

    def _create_ajax_loader(self, name, options):
        fk = getattr(self.model, name)
        return ScopedAjaxLoader(name, fk.rel_model, **options)

    def get_create_form(self):
        form_class = super().get_create_form()
        if hasattr(form_class, "version"):
            delattr(form_class, "version")  # a new record starts at version 1
        return form_class

    def validate_form(self, form):
        """Flask-Admin's check, and when it refuses a posted form, a message naming every field
        that is wrong (an inline row's fields too, which the page does not mark)."""
        if super().validate_form(form):
            return True
        lines = form_error_lines(form) if is_form_submitted() else []
        if lines:
            # The messages are already in the page's language(s): the frame is translated, not doubled.
            flash(gettext("Not saved. Please correct: %(errors)s", errors="; ".join(lines)), "error")
        return False

    def assert_in_scope(self, record):
        if not scoping.reaches(current_scope(), self.model, record.id):
            raise ScopeViolation()

    def create_model(self, form):
        record = self.model()
        return record if self._save(form, record, True) else False

    def update_model(self, form, record):
        if "version" in self.model._meta.fields and getattr(form, "version", None) is not None:
            if form.version.data is None:
                flash(bilingual("The form carried no version number; reload the page and try again."), "error")
                return False
        return self._save(form, record, False)

    def _save(self, form, record, is_created):
        """The form's values saved to `record` with its inline rows, in one transaction that is
        rolled back (403) if the record ends outside the scope; False when the save is refused."""
        try:
            with self.model._meta.database.atomic():
                form.populate_obj(record)
                self._on_model_change(form, record, is_created)
                record.save(force_insert=is_created)
                self._save_inline(form, record)
                self.assert_in_scope(record)
        except ScopeViolation:
            abort(403)
        except Exception as exc:
            if not self._flash_refusal(exc):
                raise
            return False
        self.after_model_change(form, record, is_created)
        return True

    def _save_inline(self, form, record):
        for field in form._fields.values():
            if field.type == "GuardedInlineFormList":
                field.save_related(record)

    def _flash_refusal(self, exc):
        """Tell the user why a save was refused; False if `exc` is not a refusal (it propagates)."""
        if isinstance(exc, HTTPException):
            raise exc
        if isinstance(exc, StaleEditError):
            flash(bilingual(
                "Not saved: someone else changed this record after you opened it. Their change is kept; "
                "reload the page to see it, then make your change again."
            ), "error")
        elif isinstance(exc, (AccountError, Refusal, DeletionRefused, HistoryDeletionError)):
            flash(in_page_language(str(exc)), "error")
        elif isinstance(exc, IntegrityError):
            flash(bilingual("Not saved: it conflicts with an existing record (a duplicate, or a record still in use)."), "error")
        elif isinstance(exc, ValueError):
            flash(bilingual("Not saved: %(error)s", error=in_page_language(str(exc))), "error")
        else:
            return False
        return True

    # --- deletion: never recursive, never a record with history --------------------------------

    def delete_model(self, record):
        reason = refuse_deletion_reason(record)
        if reason:
            flash(reason, "error")
            return False
        try:
            with self.model._meta.database.atomic():
                self.on_model_delete(record)
                record.delete_instance()
        except Exception as exc:
            if not self._flash_refusal(exc):
                raise
            return False
        self.after_model_delete(record)
        return True

    def is_action_allowed(self, name):
        if name in self.action_disallowed_list:
            return False
        if name == "delete" and not self.can_delete:
            return False
        return self.may(self.action_permissions.get(name, permissions.EDIT))

    def handle_action(self, return_view=None):
        form = self.action_form()
        if not self.validate_form(form):
            abort(400)
        name = form.action.data
        if name not in self._actions_data or not self.is_action_allowed(name):
            abort(403)
        ids = request.form.getlist("rowid")
        self.scoped_records(ids)  # 404 unless every id is within the scope
        response = self._actions_data[name][0](ids)
        if response is not None:
            return response
        return redirect(get_redirect_target() or self.get_url(".index_view"))

    @action("delete", _l("Delete"), _l("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        records = self.scoped_records(ids)
        try:
            with self.model._meta.database.atomic():
                for record in records:
                    reason = refuse_deletion_reason(record)
                    if reason:
                        raise DeletionRefused(reason)
                    self.on_model_delete(record)
                    record.delete_instance()
        except Exception as exc:
            if not self._flash_refusal(exc):
                raise
            return None
        for record in records:
            self.after_model_delete(record)
        flash(ngettext("Record was successfully deleted.", "%(num)s records were successfully deleted.", len(records)), "success")
        return None

    # --- export: the scoped list, with formula cells defused -----------------------------------

    def get_export_value(self, model, name):
        return presentation.escape_csv_cell(super().get_export_value(model, name))

    def get_export_name(self, export_type="csv"):
        return f"{self.endpoint}_{time.strftime('%Y-%m-%d_%H-%M-%S')}.{export_type}"

    def _export_csv(self, return_url):
        """The CSV in UTF-8 with a byte-order mark: without it a Chinese Excel reads the file as GBK."""
        response = super()._export_csv(return_url)
        response.response = itertools.chain([UTF8_BOM], response.response)
        response.content_type = "text/csv; charset=utf-8"
        return response

    def _export_number_formats(self):
        """Column name -> Excel number format for the exported columns that hold numbers or dates."""
        formats = {}
        for name, _label in self._export_columns:
            field = self.model._meta.fields.get(name)
            if isinstance(field, DateTimeField):
                formats[name] = DATETIME_FORMAT
            elif isinstance(field, DateField):
                formats[name] = DATE_FORMAT
            elif isinstance(field, DecimalField):
                formats[name] = MONEY_FORMAT
            elif isinstance(field, IntegerField) and not isinstance(field, ForeignKeyField):
                formats[name] = COUNT_FORMAT if presentation.is_count(self.model, name) else PLAIN_NUMBER_FORMAT
        return formats

    def _export_tablib(self, export_type, return_url):
        """.xlsx through openpyxl (not tablib): the same scoped rows and escaped cells as the CSV,
        with Chinese headers and Chinese labels whatever the page's language; amounts and counts are
        numeric cells and dates date cells (with their number formats), so a SUM adds them up."""
        if export_type != "xlsx":
            return super()._export_tablib(export_type, return_url)
        from flask import Response
        from flask_babel import force_locale

        from core.io.spreadsheets import XLSX_MIMETYPE, list_workbook

        with force_locale("zh_CN"):
            _count, records = self._export_data()
            headers = [str(label) for _name, label in self._export_columns]
            rows = [[self.get_export_value(r, name) for name, _label in self._export_columns] for r in records]
            title = str(self.name)
        by_name = self._export_number_formats()
        formats = [by_name.get(name) for name, _label in self._export_columns]
        return Response(list_workbook(title, headers, rows, number_formats=formats), mimetype=XLSX_MIMETYPE, headers={
            "Content-Disposition": f"attachment;filename={self.get_export_name('xlsx')}",
        })
