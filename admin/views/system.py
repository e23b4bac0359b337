"""Views of the system: holiday days, deployment settings, user accounts and the audit log."""

from flask import current_app, g, request
from flask_admin.contrib.peewee.filters import (
    DateTimeBetweenFilter,
    DateTimeGreaterFilter,
    DateTimeSmallerFilter,
    FilterEqual,
    IntEqualFilter,
)
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from flask_admin.form.widgets import DatePickerWidget
from flask_admin.helpers import is_form_submitted
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import TextInput

from admin.auth import current_user
from admin.forms import CsrfForm, date_refusal
from admin.i18n import bilingual, localized
from admin.presentation import TABLE_LABELS, record_label, table_label, vocab_options
from admin.views.audit_values import readable_fields
from admin.views.base import ScopedModelView
from core.records import vocab
from core.records.accounts import AccountError, User, normalise_username, revoke_sessions, validate_binding
from core.rules.dates import DateFormatError
from core.records.models import AuditLog, Jurisdiction, Park
from core.rules.settings import DATE, known_setting, known_settings


class HolidayDayView(ScopedModelView):
    """The statutory calendar for the years chinese_calendar does not know (holidays, make-up days)."""

    resource = "holiday"
    column_list = ("day", "is_workday", "name", "entered_by")
    column_default_sort = ("day", True)
    column_sortable_list = ("day",)
    form_columns = ("day", "is_workday", "name")

    def on_model_change(self, form, record, is_created):
        record.entered_by = current_user().username


def installed_settings():
    """The deployment settings read by the code of the installed jurisdictions and by the core's own
    (jurisdiction code "": the whole deployment's, such as how long objectors' details are kept)."""
    return known_settings(set(current_app.extensions["hrpark_registry"].jurisdictions) | {""})


def setting_title(setting):
    return f"{setting.name} · {localized(setting.title_zh, setting.title_en)}"


class KnownSettingField(SelectField):
    """One of the settings the installed jurisdictions read: any other key is refused, naming them."""

    @property
    def choices(self):
        return [(s.name, f"{setting_title(s)}（{localized(s.kind.zh, s.kind.en)}）") for s in installed_settings()]

    @choices.setter
    def choices(self, value):  # SelectField.__init__ assigns; the installed plugins decide
        pass

    @property
    def setting(self):
        return next((s for s in installed_settings() if s.name == self.data), None)

    def pre_validate(self, form):
        if self.setting is None:
            known = ", ".join(s.name for s in installed_settings()) or "—"
            raise ValidationError(bilingual("%(key)s is not a known setting. The known settings are: %(known)s",
                                            key=self.data or "—", known=known))


class SettingValueField(StringField):
    """The value, read as its setting's kind says; each known setting's meaning is shown under it.
    Typed as text unless the form is for a date setting (SettingView.with_widget_for)."""

    widget = TextInput()

    @property
    def description(self):
        return "; ".join(
            f"{s.name}: {localized(s.help_zh, s.help_en) or localized(s.title_zh, s.title_en)} "
            f"({localized(s.kind.zh, s.kind.en)}, {s.env_variable})"
            for s in installed_settings()
        )

    @description.setter
    def description(self, value):
        pass


class SettingForm(CsrfForm):
    setting = KnownSettingField(_l("Setting"))
    value = SettingValueField(_l("Value"), validators=[InputRequired()])

    def validate_value(self, field):
        setting = self.setting.setting
        if setting is None:
            return  # refused by the setting's own check
        try:
            field.data = setting.kind.normalise(field.data)
        except DateFormatError:
            raise ValidationError(date_refusal()) from None
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def jurisdiction_name(code):
    """A jurisdiction's code as people read it: its name (— for a setting of the whole deployment)."""
    if not code:
        return "—"
    row = Jurisdiction.get_or_none(Jurisdiction.code == code)
    return record_label(row) if row is not None else code


def with_widget_for(form):
    """Flask-Admin's date picker (the text stays typeable) when the form is for a date setting — the
    one chosen, or every setting offered being a date; a number of days is typed as text, which
    the picker would overwrite with a date."""
    chosen = form.setting.setting
    kinds = {chosen.kind} if chosen is not None else {s.kind for s in installed_settings()}
    form.value.widget = DatePickerWidget() if kinds == {DATE} else TextInput()
    return form


class SettingView(ScopedModelView):
    """Values the measures leave to each deployment (e.g. the date a city's measures take effect):
    only the settings the installed jurisdictions' code reads, each typed."""

    resource = "setting"
    column_list = ("jurisdiction_code", "key", "value")
    column_formatters = {
        "key": lambda v, c, m, n: setting_title(known) if (known := known_setting(m.jurisdiction_code, m.key)) else m.key,
        "jurisdiction_code": lambda v, c, m, n: jurisdiction_name(m.jurisdiction_code),
    }
    form = SettingForm

    def create_form(self, obj=None):
        form = super().create_form(obj)
        if not is_form_submitted() and request.args.get("setting"):
            form.setting.data = request.args["setting"]  # "set this one" from the list
        return with_widget_for(form)

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and not is_form_submitted():
            known = known_setting(obj.jurisdiction_code, obj.key)
            form.setting.data = known.name if known else f"{obj.jurisdiction_code}.{obj.key}"
        return with_widget_for(form)

    def on_model_change(self, form, record, is_created):
        setting = form.setting.setting
        record.jurisdiction_code, record.key = setting.jurisdiction_code, setting.key
        record.value = form.value.data  # as its kind stores it (a date as 2025-03-01)


class UserView(ScopedModelView):
    """Accounts (administrators only). Accounts are never deleted: they are disabled."""

    resource = "user"
    list_joins = (User.jurisdiction, User.park)
    extra_label_names = ("new_password",)
    column_list = ("username", "display_name", "role", "jurisdiction", "park", "active", "last_login_at")
    column_details_list = (
        "username", "display_name", "role", "jurisdiction", "park", "active", "created_at", "last_login_at",
        "password_changed_at",
    )
    column_export_list = ("username", "display_name", "role", "jurisdiction", "park", "active", "last_login_at")
    column_sortable_list = ("username",)
    column_searchable_list = ("username", "display_name")
    column_filters = (FilterEqual(User.role, _l("Role"), options=vocab_options(vocab.ROLES)),)
    form_columns = ("username", "display_name", "role", "jurisdiction", "park", "active", "version")
    form_extra_fields = {"new_password": PasswordField(_l("New password"), validators=[Optional()])}

    def on_model_change(self, form, user, is_created):
        user.username = normalise_username(user.username)
        user.display_name = (user.display_name or "").strip()
        if not user.display_name:  # pages name people by it, never by their username
            raise AccountError(bilingual("Enter the person's name: pages name people by it, not by their username."))
        validate_binding(user.role, user.jurisdiction, user.park)
        password = form.new_password.data
        if password:
            user.set_password(password)
        elif is_created:
            raise AccountError("新账户需要设置密码 (a new account needs a password)")
        if not is_created and user.id == current_user().id and (not user.active or user.role != "admin"):
            raise AccountError("不能停用自己的管理员账户或取消自己的管理员角色 (you cannot disable or demote your own administrator account)")

    def after_model_change(self, form, user, is_created):
        if not user.active:
            revoke_sessions(user)


ACTIONS = {
    "create": _l("Created"),
    "update": _l("Updated"),
    "delete": _l("Deleted"),
    "transition": _l("Workflow step"),
    "erase": _l("Personal information erased"),
}


def _readable_values(view, context, model, name):
    """The row as it was before or after the change, column by column as people read it."""
    rows = readable_fields(model.table, getattr(model, name), model.jurisdiction_id)
    if not rows:
        return ""
    cells = "".join(f"<tr><th class='font-weight-normal text-muted'>{escape(label)}</th>"
                    f"<td style='white-space: pre-line'>{escape(text)}</td></tr>" for label, text in rows)
    return Markup(f"<table class='table table-sm mb-0 audit-values'>{cells}</table>")


def _name_of(kind):
    def formatter(view, context, model, name):
        key = getattr(model, name)
        return g.get("audit_names", {}).get((kind, key), "" if key is None else f"#{key}")

    return formatter


class AuditLogView(ScopedModelView):
    """Every change, who, when, before and after — read-only, limited to the user's scope."""

    resource = "audit_log"
    column_list = ("at", "actor", "role", "action", "table", "record_id", "jurisdiction_id", "park_id", "remark")
    column_default_sort = ("id", True)
    column_sortable_list = ("at",)
    column_searchable_list = ("actor", "remark")
    column_filters = (
        FilterEqual(AuditLog.table, _l("Table"), options=lambda: [(t, table_label(t)) for t in TABLE_LABELS]),
        FilterEqual(AuditLog.actor, _l("Actor")),  # a username exactly (an index serves it); search finds a part
        FilterEqual(AuditLog.action, _l("Action"), options=lambda: [(k, str(v)) for k, v in ACTIONS.items()]),
        IntEqualFilter(AuditLog.record_id, _l("Record ID")),
        DateTimeBetweenFilter(AuditLog.at, _l("Time")),
        DateTimeGreaterFilter(AuditLog.at, _l("Time")),
        DateTimeSmallerFilter(AuditLog.at, _l("Time")),
    )
    column_formatters = {
        "table": lambda v, c, m, n: table_label(m.table),
        "action": lambda v, c, m, n: str(ACTIONS.get(m.action, m.action)),
        "jurisdiction_id": _name_of("jurisdiction"),
        "park_id": _name_of("park"),
    }
    column_formatters_detail = dict(column_formatters, before=_readable_values, after=_readable_values)
    column_formatters_export = {
        "table": lambda v, c, m, n: table_label(m.table),
        "jurisdiction_id": _name_of("jurisdiction"),
        "park_id": _name_of("park"),
    }

    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        if kwargs.get("execute", True):
            self._load_names(rows)
        return count, rows

    def get_one(self, id):
        record = super().get_one(id)
        self._load_names([record])
        return record

    def _load_names(self, rows):
        """Names of the jurisdictions and parks on the page: two queries, not one per row."""
        jids = {r.jurisdiction_id for r in rows if r.jurisdiction_id is not None}
        pids = {r.park_id for r in rows if r.park_id is not None}
        names = {}
        if jids:
            for j in Jurisdiction.select().where(Jurisdiction.id.in_(sorted(jids))):
                names[("jurisdiction", j.id)] = record_label(j)
        if pids:
            for pid, pname in Park.select(Park.id, Park.name).where(Park.id.in_(sorted(pids))).tuples():
                names[("park", pid)] = pname
        g.audit_names = names
