"""Signing in and out, the language switch, the current user and role helpers.

Each request loads its user from the server-side session, records changes in the audit log as
that user (core.records.audit.acting_as), and computes once what the user may reach (admin.scoping).
"""
import contextlib
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from admin import permissions, scoping, security
from admin.forms import LoginForm
from admin.i18n import LANGUAGES, bilingual, format_datetime
from admin.sessions import ABSOLUTE, is_static
from core.records.accounts import LoginAttempt, User, verify_password
from core.records.audit import Actor, acting_as
from core.records.audit import current_actor as audit_current_actor

bp = Blueprint("auth", __name__, url_prefix="/auth")


# --- who is signed in ----------------------------------------------------------------------------


def current_user():
    """The signed-in, active User of this request, or None."""
    return g.get("user")


def current_scope() -> scoping.Scope:
    """What the current user may reach (computed once per request)."""
    if "scope" not in g:
        g.scope = scoping.scope_for(current_user())
    return g.scope


def actor_for(user, scope) -> Actor:
    """The audit actor of `user`, carrying its reach so core.records.services can check it themselves."""
    if user is None:
        return Actor("anonymous", "anonymous", jurisdiction_ids=frozenset())
    if scope.unrestricted:
        return Actor(user.username, user.role, user.id)
    if scope.is_park_bound:
        return Actor(user.username, user.role, user.id, jurisdiction_ids=frozenset(), park_id=scope.park_id)
    return Actor(user.username, user.role, user.id, jurisdiction_ids=frozenset(scope.jurisdiction_ids))


def current_actor() -> Actor:
    """The actor of this request (what core.records.services are called with)."""
    return audit_current_actor()


def may(resource, action) -> bool:
    """True if the current user's role may take `action` on `resource` (see admin.permissions)."""
    user = current_user()
    return user is not None and permissions.allowed(user.role, resource, action)


def login_url(next_url=None):
    """The login page, returning to this page afterwards (and saying why, if the session expired)."""
    if next_url is None and request.method == "GET":
        next_url = request.full_path.rstrip("?")
    args = {"next": next_url} if next_url else {}
    if g.get("session_expired"):
        args["expired"] = g.session_expired
    return url_for("auth.login", **args)


def safe_next(target):
    """A same-site path to return to after signing in, or None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


# --- per request ---------------------------------------------------------------------------------


def load_user():
    """before_request: the user of the session, and the audit actor for every change it makes."""
    g.user = None
    if is_static(request):
        return
    user = None
    uid = session.get("uid")
    if uid is not None:
        user = User.get_or_none(User.id == uid)
        if user is None or not user.active:
            session.end()
            user = None
    g.user = user
    if getattr(session, "expired", None):
        g.session_expired = session.expired  # why: sessions.IDLE or sessions.ABSOLUTE
    stack = contextlib.ExitStack()
    stack.enter_context(acting_as(actor_for(user, current_scope())))
    g.actor_stack = stack


def release_actor(_exc=None):
    stack = g.pop("actor_stack", None)
    if stack is not None:
        stack.close()


# --- views ---------------------------------------------------------------------------------------


def _whole(number):
    number = float(number)
    return int(number) if number.is_integer() else number


def _client_ip():
    return (request.remote_addr or "")[:64]


def _lock_message(lock):
    """Tells the locked-out person what is locked and when they may try again."""
    when = dict(time=format_datetime(lock.until),
                minutes=max(1, int((lock.until - security.clock()).total_seconds() + 59) // 60))
    if lock.scope == security.USERNAME:
        return bilingual("Too many failed sign-ins for this account, from one or more addresses: it is locked. "
                         "Try again after %(time)s (in about %(minutes)s minutes).", **when)
    if lock.scope == security.ADDRESS:
        return bilingual("Too many failed sign-ins from this address: it is locked. Try again after %(time)s "
                         "(in about %(minutes)s minutes).", **when)
    return bilingual("Too many failed sign-ins for this name from this address. Try again after %(time)s "
                     "(in about %(minutes)s minutes).", **when)


def _render_login(form, error=None, notice=None, status=200):
    return (
        render_template("hrpark/login.html", form=form, error=error, notice=notice, languages=LANGUAGES,
                        next=safe_next(request.values.get("next"))),
        status,
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(request.form if request.method == "POST" else None)
    if request.method == "GET":
        if current_user() is not None:
            return redirect(safe_next(request.args.get("next")) or url_for("admin.index"))
        notice = None
        expired = g.get("session_expired") or request.args.get("expired")
        if expired == ABSOLUTE:
            notice = bilingual(
                "Your session ended: it had lasted the longest time allowed (%(hours)s h since signing in). Please sign in again.",
                hours=_whole(current_app.config.get("SESSION_MAX_HOURS", 12)),
            )
        elif expired:
            notice = bilingual(
                "Your session ended after %(minutes)s minutes without activity. Please sign in again.",
                minutes=_whole(current_app.config.get("SESSION_IDLE_MINUTES", 30)),
            )
        elif request.args.get("signed_out"):
            notice = _("You have signed out.")
        return _render_login(form, notice=notice)

    if not form.validate():
        return _render_login(form, error=bilingual("Enter your username and password."), status=400)
    username = form.username.data.strip().lower()
    ip = _client_ip()
    policy = security.ThrottlePolicy.from_config(current_app.config)
    lock = security.current_lock(username, ip, policy)
    if lock is not None:
        security.record_attempt(username, ip, LoginAttempt.LOCKED)
        return _render_login(form, error=_lock_message(lock), status=429)

    user = User.get_or_none(User.username == username)
    if not verify_password(user, form.password.data) or not user.active:
        security.record_attempt(username, ip, LoginAttempt.FAILURE)
        lock = security.current_lock(username, ip, policy)
        if lock is not None:
            return _render_login(form, error=_lock_message(lock), status=429)
        return _render_login(form, error=bilingual("Wrong username or password."), status=401)

    security.record_attempt(username, ip, LoginAttempt.SUCCESS)
    lang = session.get("lang")
    session.clear()
    session.rotate()
    session["uid"] = user.id
    if lang:
        session["lang"] = lang
    # A plain UPDATE: signing in is not an edit of the account (no version bump, no audit row;
    # the login_attempt table records it).
    User.update(last_login_at=security.clock()).where(User.id == user.id).execute()
    return redirect(safe_next(request.form.get("next") or request.args.get("next")) or url_for("admin.index"))


@bp.route("/logout", methods=["POST"])
def logout():
    session.end()
    return redirect(url_for("auth.login", signed_out=1))


@bp.route("/language", methods=["POST"])
def language():
    # The CSRF token was checked by CSRFProtect before this view ran.
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next")) or url_for("admin.index"))
