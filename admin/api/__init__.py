"""The JSON API under /api/v1: token authentication, the same scoping as the back office, an
OpenAPI 3 document and a browsable documentation page. `register_api(app)` adds it to an app."""
from flask import request
from werkzeug.exceptions import default_exceptions

PREFIX = "/api/"


def register_api(app):
    from admin.api import openapi  # noqa: F401 (registers the routes on the blueprint)
    from admin.api.base import bp, error_response

    app.register_blueprint(bp)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(bp)  # tokens, not cookies: a cross-site page cannot send one

    # Errors raised before a view of the blueprint runs (no such route, wrong method) would get
    # the back office's HTML page: under /api/ they answer in JSON too.
    handlers = app.error_handler_spec.setdefault(None, {})
    for code in (400, 404, 405, 413):
        exc_class = default_exceptions[code]
        previous = handlers.get(code, {}).get(exc_class)

        def handler(exc, code=code, previous=previous):
            if request.path.startswith(PREFIX):
                return error_response(code)
            return previous(exc) if previous is not None else exc

        handlers.setdefault(code, {})[exc_class] = handler
