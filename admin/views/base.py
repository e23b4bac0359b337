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

from flask import abort, flash, g, has_request_context, redirect, render_template, request
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.tools import parse_like_term
from flask_admin.model.filters import BaseIntFilter
from flask_admin.helpers import get_redirect_target, is_form_submitted
from flask_babel import lazy_gettext as _l
from flask_babel import gettext, ngettext
from peewee import JOIN, SQL, DateField, DateTimeField, DecimalField, ForeignKeyField, IntegerField, IntegrityError
from werkzeug.exceptions import HTTPException

from admin import paging, permissions, presentation, saved_filters, scoping
from admin.deletion import DeletionRefused, refuse_deletion_reason
from admin.auth import current_scope, current_user, login_url, may
from admin.forms import CsrfForm, form_error_lines
from admin.i18n import bilingual, in_page_language
from admin.text_search import IndexedSearch
from admin.views.fields import GuardedInlineConverter, HrparkModelConverter, ScopedAjaxLoader, as_pk
from admin.ids import as_whole
from core.records.accounts import AccountError
from core.records.search_buckets import BucketSearch
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

    def list_condition(self):
        """The WHERE of every list read: the user's scope (None: the whole table)."""
        return scoping.condition(self.model, current_scope())

    def get_query(self):
        query = self.model.select(self.model, *[fk.rel_model for fk in self.list_joins])
        for fk in self.list_joins:
            query = query.join_from(fk.model, fk.rel_model, JOIN.LEFT_OUTER if fk.null else JOIN.INNER, on=fk)
        cond = self.list_condition()
        return query if cond is None else query.where(cond)

    def get_count_query(self):
        """The table's rows within the scope, with no join: the list's joins fetch names to show,
        they keep or drop no row; a filter or search on a joined table adds its own join."""
        query = self.model.select(SQL("1"))
        cond = self.list_condition()
        return query if cond is None else query.where(cond)

    # --- the list: capped count, keyset pages, sorting only where an index serves it --------------

    #: Where the list's count stops ("10,000+ 条" past it).
    count_cap = paging.COUNT_CAP
    #: Nothing is sortable unless a view offers it: each offered column leads an index (tests check).
    column_sortable_list = ()

    @expose("/")
    def index_view(self):
        g.list_keyset = True  # the list page reads its position from the pager's keys (export does not)
        return super().index_view()

    def _get_list_extra_args(self):
        """Flask-Admin's list arguments, the page number bounded: a negative page is the first
        (PostgreSQL refuses a negative OFFSET) and an old ?page=N reaches paging.OFFSET_LIMIT rows
        at most. The pager's keys are dropped from the arguments that other links carry on (a new
        sort, filter, search or page size starts at the first page)."""
        args = super()._get_list_extra_args()
        page_size = self.get_safe_page_size(args.page_size) or self.page_size
        args.page = min(max(args.page or 0, 0), paging.max_page_number(page_size))
        for name in paging.POSITION_ARGS:
            args.extra_args.pop(name, None)
        if has_request_context():
            g.list_view_args = args
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

    def _join_path(self, model_class):
        """The list's joins that lead from the model to `model_class`, in order; None if none do."""
        by_target = {fk.rel_model: fk for fk in self.list_joins}
        path = []
        while model_class is not self.model:
            fk = by_target.get(model_class)
            if fk is None or len(path) > len(self.list_joins):
                return None
            path.insert(0, fk)
            model_class = fk.model
        return path

    def _handle_join(self, query, field, joins):
        """Join the table of `field` once (search, filters): along the list's joins when it is one
        of theirs (the count query starts with none of them), else as Flask-Admin does."""
        model_class = getattr(field, "model", None)
        if model_class is None or model_class is self.model or model_class.__name__ in joins:
            return query
        path = self._join_path(model_class)
        if path is None:
            return super()._handle_join(query, field, joins)
        for fk in path:
            if fk.rel_model.__name__ not in joins:
                query = query.join_from(fk.model, fk.rel_model, JOIN.LEFT_OUTER if fk.null else JOIN.INNER, on=fk)
                joins.add(fk.rel_model.__name__)
        return query

    def _list_order(self, sort_column, sort_desc):
        """(fields, descending): the sort column if offered (else the default order), then id,
        all in one direction so that a key compares as one row value."""
        if sort_column is not None and sort_column in self._sortable_columns:
            order = [(self._sortable_columns[sort_column], bool(sort_desc))]
        else:
            order = self._get_default_order() or [("id", False)]
        descending = bool(order[0][1])
        fields = []
        for name, _desc in order:
            field = getattr(self.model, name) if isinstance(name, str) else name
            if not any(f is field for f in fields):  # (a peewee field's == is SQL, not equality)
                fields.append(field)
        if not any(f is self.model.id for f in fields):
            fields.append(self.model.id)
        return fields, descending

    def _apply_search(self, query, joins, search):
        """Flask-Admin's search: each word matched (LIKE) by one of the searchable columns, the rows
        first found in the table's text index where it has one (g.list_index_order then says how to
        read the list in the index's order)."""
        if len(self._search_fields) == 1 and isinstance(self._search_fields[0], IndexedSearch):
            query, g.list_index_order = self._search_fields[0].narrow(
                query, [parse_like_term(value) for value in search.split(" ") if value])
            return query
        for value in search.split(" "):
            if not value:
                continue
            term = parse_like_term(value)
            stmt = None
            for field in self._search_fields:
                query = self._handle_join(query, field, joins)
                stmt = field ** term if stmt is None else stmt | (field ** term)
            query = query.where(stmt)
        return query

    def _narrowed(self, query, search, filters, joined=()):
        """`query` (whose joins are `joined`) with the search and the active filters applied,
        joining what they name."""
        joins = {model.__name__ for model in joined}
        if self._search_supported and search:
            query = self._apply_search(query, joins, search)
        for index, _name, value in filters or ():
            flt = self._filters[index]
            query = self._handle_join(query, flt.column, joins)
            query = flt.apply(query, flt.clean(value))
        return query

    def list_count_query(self, search, filters):
        """The count's query: the scope, the search and the filters, and no other join."""
        return self._narrowed(self.get_count_query(), search, filters)

    def filtered_query(self):
        """The list query of this request, searched and filtered, without order or page (for totals)."""
        return g.list_filtered_query

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """The page's rows and a capped count (paging.capped_count).

        The page is read at the pager's key (paging.read_page): after the last row shown, before the
        first, or backwards from the end; an old ?page=N by a bounded OFFSET. With `execute=False`
        the page's query is returned instead of its rows."""
        g.list_index_order = None
        query = self._narrowed(self.get_query(), search, filters, joined=self._joined_models())
        index_order = g.list_index_order
        g.list_filtered_query = query
        cap = min(paging.SEARCH_COUNT_CAP if search and search.strip() else self.count_cap, self.count_cap)
        fields, descending = self._list_order(sort_column, sort_desc)
        if index_order is not None and tuple(f.name for f in fields) != index_order.columns:
            index_order = None  # another sort: the index finds the rows, the sort reads them all
        count_query = self.list_count_query(search, filters)
        if isinstance(index_order, BucketSearch):
            index_order = index_order.reading(count_query)
        if isinstance(index_order, BucketSearch) and index_order.counts_by_buckets:
            count = paging.capped_count_of_ids(index_order.first_ids(count_query, True, limit=cap + 1), cap)
        else:
            count = paging.capped_count(count_query, cap)
        if (isinstance(index_order, BucketSearch) and not index_order.counts_by_buckets
                and not isinstance(count, paging.CappedCount)):
            index_order = paging.SORT_ALL  # few rows match: the trigram index finds them all at once
        page_size = self.page_size if page_size is None else page_size
        if not execute or not page_size:  # the query itself, or Flask-Admin's "no limit"
            ordered = query.order_by(*paging.ordering(fields, descending)).limit(page_size or None)
            return count, (ordered if not execute else list(ordered))
        position = paging.FIRST
        if g.get("list_keyset"):
            position = paging.position_from(request.args, fields)
        result = paging.read_page(query, fields, descending, page_size, position, page or 0, index_order)
        g.list_page = (result, fields)
        return count, result.rows

    def list_pager(self):
        """The pager's links (首页/上一页/下一页/末页), each None where it leads nowhere; None if
        there is only one page."""
        result, fields = g.get("list_page", (None, None))
        args = g.get("list_view_args")
        if result is None or args is None or not (result.has_previous or result.has_next):
            return None

        def url(**position):
            extra = dict(args.extra_args, **position)
            return self._get_list_url(args.clone(page=None, extra_args=extra))

        rows = result.rows
        return {
            "first": url() if result.has_previous else None,
            "previous": url(**{paging.BEFORE: paging.key_text(rows[0], fields)}) if result.has_previous and rows else None,
            "next": url(**{paging.AFTER: paging.key_text(rows[-1], fields)}) if result.has_next and rows else None,
            "last": url(**{paging.LAST: 1}) if result.has_next else None,
        }

    def count_figure(self, count):
        return paging.count_figure(count)

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
