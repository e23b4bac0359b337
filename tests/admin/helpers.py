"""Helpers of the back-office tests: signing in through the real login form, reading CSRF tokens
from the pages, and snapshots of the database to prove a refused request changed nothing.

tests/admin/conftest.py loads this file as the module `admin_test_helpers` (pytest runs with
--import-mode=importlib, so test files are not importable by path): `from admin_test_helpers
import login_as`.
"""
import re
from html.parser import HTMLParser

from core.records.accounts import MODELS as ACCOUNT_MODELS
from core.records.accounts import PASSWORD_HASHER, LoginAttempt, ServerSession, User
from core.records.models import MODELS

PASSWORD = "correct-horse-battery"
# Hashed once (argon2id is slow on purpose); every account made here shares it.
PASSWORD_HASH = PASSWORD_HASHER.hash(PASSWORD)

_INPUT = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>")
_VALUE = re.compile(r"\bvalue=\"([^\"]+)\"")
_META = re.compile(r"<meta name=\"csrf-token\" content=\"([^\"]+)\"")


def csrf_tokens(html):
    """Every CSRF token carried by a form on the page."""
    return [_VALUE.search(tag).group(1) for tag in _INPUT.findall(html) if _VALUE.search(tag)]


def csrf_token(client, path="/auth/login"):
    """A CSRF token of the client's session, read from a page as a browser would."""
    html = client.get(path).get_data(as_text=True)
    tokens = csrf_tokens(html)
    if tokens:
        return tokens[0]
    meta = _META.search(html)
    assert meta, f"no CSRF token on {path}"
    return meta.group(1)


def make_user(username, role, jurisdiction=None, park=None, active=True):
    """An account with the shared test password (bound as `role` requires)."""
    return User.create(
        username=username, role=role, jurisdiction=jurisdiction, park=park, active=active,
        password_hash=PASSWORD_HASH, display_name=username,
    )


def login(client, username, password=PASSWORD, next_url=None):
    """Post the login form with a real token; return the response."""
    data = {"csrf_token": csrf_token(client), "username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/auth/login", data=data)


def login_as(client, user, password=PASSWORD):
    """Sign `client` in as `user` through the login form; fail loudly if it does not work."""
    response = login(client, user.username, password)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def post_form(client, path, data, token_from=None):
    """POST `data` to `path` with a token read from `token_from` (default: the admin home page)."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, token_from or "/admin/"))
    return client.post(path, data=data)


# Tables that change on every request by design (sessions touched, attempts logged).
VOLATILE = {ServerSession, LoginAttempt}


def db_snapshot():
    """Every row of every business table (and the audit log), to compare before and after."""
    snapshot = {}
    for model in MODELS + ACCOUNT_MODELS:
        if model in VOLATILE:
            continue
        snapshot[model._meta.table_name] = [
            tuple(str(v) for v in row) for row in model.select().order_by(model.id).tuples()
        ]
    return snapshot


def list_count(html):
    """The total Flask-Admin shows on a list page: "列表 (N)" / "List (N)"; 0 when it shows none."""
    match = re.search(r"(?:列表|List)\s*\((\d+)\)", html)
    return int(match.group(1)) if match else 0


def select_options(html, field):
    """(value, label) of the options of the <select> named `field`."""
    match = re.search(rf"<select[^>]*\bname=\"{field}\"[^>]*>(.*?)</select>", html, re.S)
    assert match, f"no <select name={field}>"
    return re.findall(r"<option[^>]*value=\"([^\"]*)\"[^>]*>([^<]*)</option>", match.group(1))


class _FormReader(HTMLParser):
    """The fields a browser would submit from the first <form> whose attributes contain `marker`."""

    def __init__(self, marker):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.inside = False
        self.done = False
        self.fields = []
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and self.marker in " ".join(f"{k}={v}" for k, v in attrs.items()):
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs and not self._select_chosen:
                self.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "form":
            self.inside = False
            self.done = True


def form_fields(html, marker="admin-form"):
    """[(name, value)] as the browser would post the form (default: Flask-Admin's create/edit form)."""
    reader = _FormReader(marker)
    reader.feed(html)
    assert reader.fields, f"no form marked {marker!r} on the page"
    return reader.fields


def as_post(fields, **changes):
    """A MultiDict-like dict of lists from form fields, with some values replaced."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data
