"""The back office's Flask app factory: `create_app(config)`.

Config keys (each also read from the environment where noted):
  DATABASE            an already-open peewee database (tests), else
  DATABASE_URL        a peewee URL (else HRPARK_DATABASE_URL, else SQLite instance/hrpark.db)
  SECRET_KEY          else HRPARK_SECRET_KEY, else (development) a random key kept in instance/secret_key
  UPLOAD_DIR          where uploads are stored, outside the web root (default instance/uploads)
  SESSION_IDLE_MINUTES  idle sessions end after this (default 30; HRPARK_SESSION_IDLE_MINUTES)
  SESSION_MAX_HOURS   every session ends this long after sign-in, active or not (default 12;
                      HRPARK_SESSION_MAX_HOURS)
  HRPARK_SECURE_COOKIES  served behind a TLS proxy: Secure cookies and HSTS even when the app
                      sees plain HTTP (both are on anyway for a request that came over HTTPS)
  TRUSTED_PROXIES     how many reverse proxies to trust for the client address and scheme
  REGISTRY            the jurisdiction plugins (default: the installed ones)
  TESTING, WTF_CSRF_ENABLED (on unless set off), LOGIN_MAX_FAILURES / _WINDOW_MINUTES / _LOCK_MINUTES
Everything shared between worker processes (sessions, login attempts) lives in the database.
"""
import logging
import os
import secrets
from pathlib import Path

from flask import Flask, redirect, render_template, request, url_for
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from admin import assets, auth, headers, i18n, ids, objections_public, presentation, public
from admin.api import register_api
from admin.reminders import web as reminder_web
from admin.sessions import DatabaseSessionInterface, is_static
from admin.views import register_views
from admin.views.workbench import WorkbenchView
from core.records import schema, vocab
from core.records.db import connect, database
from core.plugin.registry import registry as installed_registry
from core.plugin.registry import RulesUnavailable, sync_jurisdictions
from core.rules.programmes import assign_unassigned

log = logging.getLogger("hrpark.admin")

PACKAGE_DIR = Path(__file__).parent


def _instance_path(config):
    path = config.get("INSTANCE_PATH") or os.environ.get("HRPARK_INSTANCE_PATH") or "instance"
    return str(Path(path).resolve())


def _secret_key(app, config):
    """The configured key, else a random one created once and kept in the instance folder."""
    key = config.get("SECRET_KEY") or os.environ.get("HRPARK_SECRET_KEY")
    if key:
        return key
    path = Path(app.instance_path) / "secret_key"
    try:
        # O_EXCL: when several workers start together, exactly one writes the key; the rest read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32))
    if not app.config.get("TESTING"):
        log.warning("HRPARK_SECRET_KEY is not set: using the key kept in %s (set the variable in production)", path)
    return path.read_text(encoding="ascii").strip()


def _env_flag(name):
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def create_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    app = Flask(
        __name__,
        instance_path=_instance_path(config),
        template_folder=str(PACKAGE_DIR / "templates"),
        static_folder=None,
    )
    ids.install(app)  # <int:…> in every route stops at the largest id, before any route is added
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(
        SESSION_IDLE_MINUTES=float(os.environ.get("HRPARK_SESSION_IDLE_MINUTES", 30)),
        SESSION_MAX_HOURS=float(os.environ.get("HRPARK_SESSION_MAX_HOURS", 12)),
        HRPARK_SECURE_COOKIES=_env_flag("HRPARK_SECURE_COOKIES"),
        TRUSTED_PROXIES=int(os.environ.get("HRPARK_TRUSTED_PROXIES", 0)),
        UPLOAD_DIR=str(Path(app.instance_path) / "uploads"),
        WTF_CSRF_ENABLED=True,
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        FLASK_ADMIN_SWATCH="default",
    )
    app.config.update({k: v for k, v in config.items() if k not in ("DATABASE", "REGISTRY")})
    app.secret_key = _secret_key(app, config)
    Path(app.config["UPLOAD_DIR"]).mkdir(parents=True, exist_ok=True)

    if app.config["TRUSTED_PROXIES"]:
        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    # --- database: migrate, then make a row for each installed jurisdiction ----------------------
    db = config.get("DATABASE")
    if db is not None:
        database.initialize(db)
    else:
        db = connect(config.get("DATABASE_URL"))
    reg = config.get("REGISTRY") or installed_registry()
    app.extensions["hrpark_registry"] = reg
    db.connect(reuse_if_open=True)
    schema.upgrade(db)
    sync_jurisdictions(reg)
    assign_unassigned(reg)  # records older than programmes get the one that governed them (migration 0010)
    for failure in reg.failures:
        log.error("%s", failure)

    @app.before_request
    def _connect():
        if not is_static(request):
            database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc=None):
        auth.release_actor()
        if not database.is_closed():
            database.close()

    # --- sessions, CSRF, languages ----------------------------------------------------------------
    app.session_interface = DatabaseSessionInterface()
    CSRFProtect(app)
    headers.init_app(app)  # CSP with a nonce per request, framing, HSTS behind TLS
    catalogs = i18n.compile_catalogs(fallback=Path(app.instance_path) / "translations")
    i18n.HrparkBabel(app, catalogs)
    app.jinja_env.globals.update(
        languages=i18n.LANGUAGES,
        current_language=i18n.current_language,
        current_user=auth.current_user,
        format_date=i18n.format_date,
        format_datetime=i18n.format_datetime,
        format_money=i18n.format_money,
        format_number=i18n.format_number,
        person_name=presentation.person_name,
        in_page_language=i18n.in_page_language,
        subsidy_kind_label=lambda code: vocab.SUBSIDY_KINDS.label(code, i18n.current_language()),
    )
    app.before_request(auth.load_user)
    app.register_blueprint(auth.bp)
    app.register_blueprint(assets.bp)  # admin/static: the vendored chart library
    app.register_blueprint(objections_public.bp)  # /public/objections/: filing and looking up objections
    reminder_web.init_app(app)  # the calendar feed; a request's notifications mailed after it
    app.register_blueprint(public.bp)  # /public/: notices, recognised parks, results, measures, no sign-in

    # --- the back office ----------------------------------------------------------------------------
    admin = Admin(
        app,
        name=_l("HR Service Industrial Parks"),
        index_view=WorkbenchView(name=_l("Workbench"), url="/admin"),
        theme=Bootstrap4Theme(base_template="hrpark/base.html", fluid=True),
        csp_nonce_generator=headers.csp_nonce,  # its inline scripts carry the request's nonce
        translations_path=str(catalogs),  # before Flask-Admin's own catalog (see i18n.FLASK_ADMIN_DOMAIN)
    )
    register_views(admin)
    app.extensions["hrpark_admin"] = admin

    @app.route("/")
    def _root():
        return redirect(url_for("admin.index"))

    _register_error_pages(app)
    register_api(app)  # after the error pages: the API answers its own errors in JSON
    return app


def _register_error_pages(app):
    def page(status, message):
        return render_template("hrpark/error.html", status=status, message=message), status

    # error -> (status, its message): called when the error happens, in the page's language.
    messages = {
        CSRFError: (400, lambda: i18n.bilingual(
            "The form's security token is missing or has expired. Go back, reload the page and try again.")),
        400: (400, lambda: i18n.bilingual("The request was not understood.")),
        403: (403, lambda: i18n.bilingual("You may not do this, or this record is outside your jurisdiction.")),
        404: (404, lambda: i18n.bilingual("Not found, or outside your jurisdiction.")),
        413: (413, lambda: i18n.bilingual("The upload is too large.")),
    }
    for error, (status, message) in messages.items():
        app.register_error_handler(error, lambda exc, status=status, message=message: page(status, message()))

    @app.errorhandler(RulesUnavailable)
    def _rules_unavailable(exc):
        # The programme governing this record cannot load: say so with the plugin's own error
        # (issue 12) rather than show it under another programme's rules.
        return page(503, exc.zh if i18n.is_chinese() else exc.en)

    @app.after_request
    def _no_store(response):
        if request.path.startswith(("/admin", "/auth")) and "/static/" not in request.path:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
