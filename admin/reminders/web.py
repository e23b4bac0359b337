"""The reminders in the back office's app: the calendar feed's route (outside the login: its
secret is its credential), and the mail of the notifications a request wrote, sent once the
response has gone out."""
from flask import Blueprint, Response, abort, g, request

from admin.reminders.calendar import account_deadlines, feed, user_of_token
from admin.reminders.links import base_url
from admin.reminders.queue import mail_soon
from admin.views import workflow
from core.records import reminders
from core.records.notifications import unread_count

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.route("/<token>.ics")
def calendar_feed(token):
    user = user_of_token(token)
    if user is None:
        abort(404)
    body = feed(account_deadlines(user, workflow.today()), base=base_url() or request.host_url)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="hrpark.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _collect():
    g.notifications_written = reminders.collect_written()


def _mail_after(response):
    ids = list(g.get("notifications_written") or ())
    if ids:
        response.call_on_close(lambda: mail_soon(ids))
    return response


def unread_notifications():
    """How many of the signed-in account's notifications are unread (the navigation bar's badge)."""
    from admin.auth import current_user

    user = current_user()
    return unread_count(user) if user is not None else 0


def init_app(app):
    app.jinja_env.globals["unread_notifications"] = unread_notifications
    app.register_blueprint(bp)
    app.before_request(_collect)
    app.after_request(_mail_after)
