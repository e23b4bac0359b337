"""Views of the system: holiday days, deployment settings, user accounts and the audit log."""
import datetime
import json

from flask import g
from flask_admin.contrib.peewee.filters import (
    DateTimeBetweenFilter,
    DateTimeGreaterFilter,
    DateTimeSmallerFilter,
    FilterEqual,
    FilterLike,
    IntEqualFilter,
)
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import PasswordField, SelectField
from wtforms.validators import Optional

from admin.auth import current_user
from admin.i18n import bilingual
from admin.presentation import TABLE_LABELS, record_label, table_label, vocab_options
from admin.views.base import Refusal, ScopedModelView
from core import vocab
from core.accounts import AccountError, User, normalise_username, revoke_sessions, validate_binding
from core.models import AuditLog, Jurisdiction, Park


class HolidayDayView(ScopedModelView):
    """The statutory calendar for the years chinese_calendar does not know (holidays, make-up days)."""

    resource = "holiday"
    column_list = ("day", "is_workday", "name", "entered_by")
    column_default_sort = ("day", True)
    form_columns = ("day", "is_workday", "name")

    def on_model_change(self, form, record, is_created):
        record.entered_by = current_user().username


class JurisdictionCodeField(SelectField):
    """A jurisdiction's code (or none, for a setting of the whole deployment), from the database."""

    @property
    def choices(self):
        rows = Jurisdiction.select(Jurisdiction.code, Jurisdiction.name_zh, Jurisdiction.name_en).order_by(Jurisdiction.id)
        return [("", "—")] + [(j.code, f"{j.code} · {record_label(j)}") for j in rows]

    @choices.setter
    def choices(self, value):
        pass


#: Settings with a known meaning: what their value must look like.
DATE_SETTINGS = {"effective_from", "effective_until"}


class SettingView(ScopedModelView):
    """Values the measures leave to each deployment (e.g. the date Karamay's measures take effect)."""

    resource = "setting"
    column_list = ("jurisdiction_code", "key", "value")
    form_columns = ("jurisdiction_code", "key", "value")
    form_overrides = {"jurisdiction_code": JurisdictionCodeField}

    def on_model_change(self, form, record, is_created):
        record.key = (record.key or "").strip()
        record.value = (record.value or "").strip()
        if not record.key:
            raise Refusal(bilingual("A setting needs a key."))
        if record.key in DATE_SETTINGS:
            try:
                datetime.date.fromisoformat(record.value)
            except ValueError:
                raise Refusal(
                    bilingual("%(key)s must be a date written as YYYY-MM-DD, e.g. 2025-10-11.", key=record.key)
                ) from None


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
    column_searchable_list = ("username", "display_name")
    column_filters = (FilterEqual(User.role, _l("Role"), options=vocab_options(vocab.ROLES)),)
    form_columns = ("username", "display_name", "role", "jurisdiction", "park", "active", "version")
    form_extra_fields = {"new_password": PasswordField(_l("New password"), validators=[Optional()])}

    def on_model_change(self, form, user, is_created):
        user.username = normalise_username(user.username)
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
}


def _pretty_json(view, context, model, name):
    raw = getattr(model, name)
    if not raw:
        return ""
    try:
        text = json.dumps(json.loads(raw), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        text = raw
    return Markup(f"<pre class='mb-0'>{escape(text)}</pre>")


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
    column_searchable_list = ("actor", "remark")
    column_filters = (
        FilterEqual(AuditLog.table, _l("Table"), options=lambda: [(t, table_label(t)) for t in TABLE_LABELS]),
        FilterLike(AuditLog.actor, _l("Actor")),
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
    column_formatters_detail = dict(column_formatters, before=_pretty_json, after=_pretty_json)
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
