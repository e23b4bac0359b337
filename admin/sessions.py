"""Server-side sessions: the cookie carries only a random key; the session lives in the database.

So every worker process sees the same sessions, logging out ends the session on the server
(a replayed old cookie finds a revoked row and is refused), a session idle for longer than
SESSION_IDLE_MINUTES (30 by default) is ended, and so is every session SESSION_MAX_HOURS (12 by
default) after it began — at sign-in, which starts a new one — however active: a stolen key
is worth a working day at most. Cookies are HttpOnly and SameSite=Lax, and Secure when the
request came over HTTPS or HRPARK_SECURE_COOKIES is set.
"""
import datetime
import json
import secrets

from flask import request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from admin import security
from admin.headers import served_over_tls
from core.records.accounts import ServerSession, secret_hash
from core.records.db import database

COOKIE_NAME = "hrpark_session"
#: Why a session was ended when a request arrived (ServerSideSession.expired).
IDLE, ABSOLUTE = "idle", "absolute"
# Touch last_seen_at at most this often when nothing else changed (one write a minute, not a request).
TOUCH_EVERY = datetime.timedelta(seconds=60)


class ServerSideSession(CallbackDict, SessionMixin):
    """The session of one request: its data, and what to do with its row when the request ends."""

    def __init__(self, initial=None, key=None, row=None):
        def on_update(this):
            this.modified = True
            this.accessed = True

        super().__init__(initial, on_update)
        self.key = key
        self.row = row
        self.modified = False
        self.accessed = False
        self.expired = None  # IDLE or ABSOLUTE: the session was ended when this request arrived
        self._rotate = False
        self._end = False

    @property
    def new(self):
        return self.row is None

    def rotate(self):
        """Give the session a new key (at login), so a key learnt before login is worthless."""
        self._rotate = True
        self.modified = True

    def end(self):
        """End the session on the server and forget the cookie (logout)."""
        self.clear()
        self._end = True


def is_static(request):
    return "/static/" in request.path


def _jsonable(value):
    return str(value)


class DatabaseSessionInterface(SessionInterface):
    def idle_limit(self, app):
        return datetime.timedelta(minutes=float(app.config.get("SESSION_IDLE_MINUTES", 30)))

    def absolute_limit(self, app):
        return datetime.timedelta(hours=float(app.config.get("SESSION_MAX_HOURS", 12)))

    def cookie_name(self, app):
        return app.config.get("HRPARK_SESSION_COOKIE", COOKIE_NAME)

    def open_session(self, app, request):
        if is_static(request):
            return ServerSideSession()  # stylesheets and scripts need no session (and no query)
        # The session is read before any before_request handler runs: connect here.
        database.connect(reuse_if_open=True)
        key = request.cookies.get(self.cookie_name(app))
        if not key:
            return ServerSideSession()
        row = ServerSession.get_or_none(ServerSession.key_hash == secret_hash(key))
        if row is None or row.revoked_at is not None:
            return ServerSideSession()
        now = security.clock()
        ended = None
        if now - row.created_at > self.absolute_limit(app):
            ended = ABSOLUTE
        elif now - row.last_seen_at > self.idle_limit(app):
            ended = IDLE
        try:
            data = json.loads(row.data or "{}")
        except ValueError:
            data = {}
        if ended:
            ServerSession.update(revoked_at=now).where(ServerSession.id == row.id).execute()
            session = ServerSideSession()
            session.expired = ended
            if data.get("lang"):  # the language chosen outlives the session: the notice why it ended is read in it
                session["lang"] = data["lang"]
            return session
        return ServerSideSession(data, key=key, row=row)

    def save_session(self, app, session, response):
        name = self.cookie_name(app)
        cookie = dict(
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            httponly=True,
            samesite="Lax",
            secure=self._secure(app),
        )
        now = security.clock()
        if session._end:
            if session.row is not None:
                ServerSession.update(revoked_at=now).where(ServerSession.id == session.row.id).execute()
            response.delete_cookie(name, domain=cookie["domain"], path=cookie["path"], secure=cookie["secure"],
                                   httponly=True, samesite="Lax")
            return
        if session.new and not session:
            return  # nothing worth keeping: no row, no cookie
        data = json.dumps(dict(session), ensure_ascii=False, default=_jsonable)
        user_id = session.get("uid")
        if session.new or session._rotate:
            if session.row is not None:
                ServerSession.update(revoked_at=now).where(ServerSession.id == session.row.id).execute()
            key = secrets.token_urlsafe(32)
            security.purge_stale_rows(now)
            ServerSession.create(
                key_hash=secret_hash(key),
                user=user_id,
                data=data,
                created_at=now,
                last_seen_at=now,
                ip=(request.remote_addr or "")[:64],
                user_agent=(request.user_agent.string or "")[:255],
            )
            response.set_cookie(name, key, **cookie)
            return
        changes = {}
        if session.modified:
            changes.update(data=data, user=user_id)
        if session.modified or now - session.row.last_seen_at >= TOUCH_EVERY:
            changes["last_seen_at"] = now
        if changes:
            ServerSession.update(**changes).where(
                (ServerSession.id == session.row.id) & ServerSession.revoked_at.is_null()
            ).execute()

    def _secure(self, app):
        return served_over_tls(app)
