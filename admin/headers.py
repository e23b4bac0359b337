"""The security headers of every response: Content-Security-Policy with a nonce per request,
X-Content-Type-Options, framing (frame-ancestors and X-Frame-Options), Referrer-Policy, and HSTS
when the app is served over TLS.

Scripts run only from the app's own files, or inline when the <script> carries this request's
nonce: Flask-Admin's templates get it through Admin(csp_nonce_generator=csp_nonce), ours write
`nonce="{{ csp_nonce() }}"`. A <style> block needs the nonce too. Style attributes are allowed
(style-src-attr): the templates and Flask-Admin lay out with them, select2 and Bootstrap set
them, and a style attribute runs no script.

Flask-Admin 2.2.1's Bootstrap 4 templates still carry a few inline event handlers (the confirm
before a delete, "Add Site", bulk actions) and `javascript:void(0)` links. CSP allows such a
handler only by the hash of its exact text, under 'unsafe-hashes'. So each HTML page is read
for its handlers, and those that match LEGACY_HANDLERS — Flask-Admin's own, which call nothing
but its helpers — are allowed by their hashes. A handler that matches none (one that an injection
slipped into a page) is refused by the browser.
"""
import base64
import hashlib
import html
import re
import secrets

from flask import current_app, g, request

#: Flask-Admin's inline handlers (bootstrap4 templates), matched against the whole attribute.
LEGACY_HANDLERS = [
    re.compile(r"return faHelpers\.safeConfirm\('[^'\\<>]*'\);?"),
    re.compile(r"faForm\.addInlineField\(this, '[\w-]+'\);?"),
    re.compile(r"return modelActions\.execute\('\w+'\);?"),
    re.compile(r"return false;?"),
    re.compile(r"javascript:void\(0\);?"),
]
_HANDLER_ATTRIBUTE = re.compile(r"""\s(?:on[a-z]+|href)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)

#: A year, for browsers to reach the site over HTTPS only once they have seen it there.
HSTS = "max-age=31536000"

#: An official document opened in the browser to print: its own <style>, no script at all.
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


def csp_nonce() -> str:
    """This request's nonce (one per request, made when first asked for)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def _source_hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def legacy_handler_hashes(page: str):
    """The hashes of the page's Flask-Admin inline handlers (sorted, each once)."""
    hashes = set()
    for match in _HANDLER_ATTRIBUTE.finditer(page):
        value = html.unescape(match.group(1) if match.group(1) is not None else match.group(2)).strip()
        if any(pattern.fullmatch(value) for pattern in LEGACY_HANDLERS):
            hashes.add(_source_hash(value))
            if value.lower().startswith("javascript:"):
                hashes.add(_source_hash(value[len("javascript:"):]))
    return sorted(hashes)


def content_security_policy(nonce, handler_hashes=()):
    legacy = " 'unsafe-hashes' " + " ".join(handler_hashes) if handler_hashes else ""
    return (
        f"default-src 'self'; script-src 'self' 'nonce-{nonce}'{legacy}; "
        f"style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'self'"
    )


def served_over_tls(app=None) -> bool:
    """Over HTTPS, or behind a TLS proxy the deployment declares (HRPARK_SECURE_COOKIES)."""
    app = app or current_app
    return bool(request.is_secure or app.config.get("HRPARK_SECURE_COOKIES"))


def set_security_headers(response):
    """after_request: the headers above (a view that set its own policy keeps it)."""
    headers = response.headers
    if "Content-Security-Policy" not in headers:
        hashes = ()
        if response.mimetype == "text/html" and not response.is_streamed:
            hashes = legacy_handler_hashes(response.get_data(as_text=True))
        headers["Content-Security-Policy"] = content_security_policy(csp_nonce(), hashes)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Referrer-Policy", "same-origin")
    if served_over_tls():
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app):
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(set_security_headers)
