"""The account's own pages of reminders: the inbox (站内消息: its notifications, newest first, each
linking to its record; mark read, one or all) and the settings (通知设置: the e-mail address, how
mail comes — not at all, each notification, or a daily digest — and the calendar feed's secret
link, made, shown once, revoked).

Every query here is of the signed-in account's own rows: no account sees another's notifications,
whatever its role or reach. Both pages are reached from the navigation bar, not the menu.
"""
import re

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from admin.auth import current_user
from admin.i18n import bilingual, current_language, localized
from admin.reminders.calendar import issue_calendar_token, revoke_calendar_token
from admin.reminders.links import record_path
from admin.reminders.mail import MailConfigError, mail_enabled
from admin.views.base import SecuredBaseView
from core.records import vocab
from core.records.accounts import MAIL_MODES
from core.records.db import database
from core.records.models import now
from core.records.notifications import Notification

PAGE_SIZE = 50
MAX_EMAIL_LENGTH = 254
#: One address: something, an @, a domain with a dot; no spaces, no second @ (RFC 5321's limit on length).
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class OwnPageView(SecuredBaseView):
    """A page every signed-in account has for itself; shown from the navigation bar, not the menu."""

    def is_accessible(self):
        return current_user() is not None

    def is_visible(self):
        return False


def own_notifications():
    return Notification.select().where(Notification.recipient == current_user().id)


class InboxView(OwnPageView):
    @expose("/")
    def index(self):
        page = request.args.get("page", "1")
        page = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
        total = own_notifications().count()
        rows = list(own_notifications().order_by(Notification.created_at.desc(), Notification.id.desc())
                    .paginate(page, PAGE_SIZE))
        items = [{
            "row": row,
            "title": localized(row.title, row.title_en),
            "body": localized(row.body, row.body_en),
            "kind": vocab.NOTIFICATION_KINDS.label(row.kind, current_language()),
            "link": record_path(row),
        } for row in rows]
        pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
        return self.render("hrpark/inbox.html", items=items, page=page, pages=pages, total=total)

    @expose("/<int:notification_id>/read", methods=["POST"])
    def read(self, notification_id):
        """Mark one notification read (CSRFProtect has checked the form); with `open`, go on to its
        record. Another account's notification is not found."""
        row = own_notifications().where(Notification.id == notification_id).first()
        if row is None:
            abort(404)
        if row.read_at is None:
            Notification.update(read_at=now()).where(Notification.id == row.id).execute()
        path = record_path(row)
        return redirect(path if request.form.get("open") and path else url_for(".index"))

    @expose("/read-all", methods=["POST"])
    def read_all(self):
        count = (Notification.update(read_at=now())
                 .where((Notification.recipient == current_user().id) & Notification.read_at.is_null()).execute())
        flash(bilingual("%(count)s message(s) marked as read.", count=count), "success")
        return redirect(url_for(".index"))


class NotificationSettingsView(OwnPageView):
    def _render(self, calendar_url=None, status=200):
        try:
            mail_on = mail_enabled()
        except MailConfigError:
            mail_on = False
        modes = [(code, vocab.MAIL_MODES.label(code, current_language())) for code in MAIL_MODES]
        return self.render("hrpark/notification_settings.html", user=current_user(), modes=modes,
                           mail_on=mail_on, calendar_url=calendar_url), status

    @expose("/")
    def index(self):
        return self._render()

    @expose("/mail", methods=["POST"])
    def save_mail(self):
        user = current_user()
        email = (request.form.get("email") or "").strip()
        mode = request.form.get("mail_mode", "off")
        if mode not in MAIL_MODES:
            flash(bilingual("Choose how mail should come: not at all, each message, or a daily digest."), "error")
            return self._render(status=400)
        if len(email) > MAX_EMAIL_LENGTH or (email and not EMAIL.fullmatch(email)):
            flash(bilingual("“%(email)s” is not an e-mail address (write it as name@example.gov.cn).",
                            email=email[:MAX_EMAIL_LENGTH]), "error")
            return self._render(status=400)
        if mode != "off" and not email:
            flash(bilingual("Enter an e-mail address to receive mail."), "error")
            return self._render(status=400)
        with database.atomic():
            user.email, user.mail_mode = email, mode
            user.save()
        flash(bilingual("Notification settings saved."), "success")
        return redirect(url_for(".index"))

    @expose("/calendar", methods=["POST"])
    def calendar(self):
        user = current_user()
        with database.atomic():
            token = issue_calendar_token(user)
        # Rendered, not redirected: the secret must not travel through a URL or the session.
        return self._render(calendar_url=url_for("calendar.calendar_feed", token=token, _external=True))

    @expose("/calendar/revoke", methods=["POST"])
    def revoke_calendar(self):
        with database.atomic():
            revoke_calendar_token(current_user())
        flash(bilingual("The calendar link was revoked: calendars using it no longer update."), "success")
        return redirect(url_for(".index"))


def register(admin):
    from flask_babel import lazy_gettext as _l

    admin.add_view(InboxView(_l("Messages"), endpoint="inbox"))
    admin.add_view(NotificationSettingsView(_l("Notification settings"), endpoint="notification_settings"))
