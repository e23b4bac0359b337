"""Accounts of the back office and the API: users bound to a jurisdiction or a park, password
hashing, login attempts (for throttling), server-side sessions, API tokens and saved list filters.

Everything here lives in the database, so several worker processes share it.
"""
import functools
import hashlib
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core.records import vocab
from core.records.models import AuditedModel, BaseModel, Jurisdiction, Park, now

# argon2-cffi's PasswordHasher() defaults (RFC 9106 "low memory" profile): argon2id, time_cost=3,
# memory_cost=65536 KiB (64 MiB), parallelism=4, hash_len=32, salt_len=16. OWASP's minimum for
# argon2id is m=19 MiB, t=2, p=1, so the defaults are above it; they are stated, not changed.
PASSWORD_HASHER = PasswordHasher()
# 等保2.0 (GB/T 22239-2019) level three asks for passwords of some complexity, changed regularly:
# here at least ten characters, and none of the commonest passwords (COMMON_PASSWORDS_FILE).
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = PASSWORD_HASHER.hash(secrets.token_urlsafe(16))

REDACTED = "***"
#: How an account's notifications are mailed: not at all, one mail each, or one digest a day.
MAIL_MODES = tuple(vocab.MAIL_MODES.codes())


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why, Chinese first."""


class User(AuditedModel):
    """A person who signs in: one role, bound to a jurisdiction (officers) or a park (operators)."""

    username = CharField(unique=True)
    display_name = CharField(default="")
    password_hash = CharField(default="")
    role = CharField()  # vocab.ROLES
    jurisdiction = ForeignKeyField(Jurisdiction, null=True, backref="users", on_delete="RESTRICT")
    park = ForeignKeyField(Park, null=True, backref="users", on_delete="RESTRICT")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)
    last_login_at = DateTimeField(null=True)
    password_changed_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    # Reminders (core.records.reminders): where and how often mail goes, and the calendar feed's
    # secret, of which only the hash is kept (like a session key).
    email = CharField(default="")
    mail_mode = CharField(default="off")  # MAIL_MODES
    calendar_token_hash = CharField(null=True, unique=True)

    class Meta:
        table_name = "user_account"  # "user" is reserved in PostgreSQL
        indexes = ((("role", "id"), False),)  # the list's role filter (migration 0017)

    def audit_scope(self):
        if self.park_id is not None:
            return self.park.jurisdiction_id, self.park_id
        return self.jurisdiction_id, None

    # The audit log never holds a password hash (nor the calendar link's), not even an old one.
    def snapshot(self):
        return _redact(super().snapshot())

    def _stored_snapshot(self):
        return _redact(super()._stored_snapshot())

    def set_password(self, password):
        check_password_strength(password)
        self.password_hash = PASSWORD_HASHER.hash(password)
        self.password_changed_at = now()

    @property
    def role_label(self):
        return vocab.ROLES.label(self.role)

    @property
    def role_label_en(self):
        return vocab.ROLES.label(self.role, "en")

    def __str__(self):
        return self.username


def _redact(data):
    for secret in ("password_hash", "calendar_token_hash"):
        if data and data.get(secret):
            data = dict(data, **{secret: REDACTED})
    return data


class LoginAttempt(BaseModel):
    """One sign-in attempt, kept to throttle guessing across every worker process."""

    SUCCESS, FAILURE, LOCKED = "success", "failure", "locked"

    username = CharField()  # as typed, lower-cased: unknown names are throttled too
    ip = CharField(default="")
    at = DateTimeField(default=now)
    outcome = CharField()

    class Meta:
        table_name = "login_attempt"
        # one username's attempts, and one address's (migration 0007): admin.security counts both
        indexes = ((("username", "ip", "at"), False), (("ip", "at"), False))


class ServerSession(BaseModel):
    """A browser session kept on the server: the cookie holds only a random key, stored here hashed.

    Logging out or disabling the account revokes the row, so a replayed cookie is refused.
    """

    key_hash = CharField(unique=True)
    user = ForeignKeyField(User, null=True, backref="sessions", on_delete="CASCADE")
    data = TextField(default="{}")
    created_at = DateTimeField(default=now)
    last_seen_at = DateTimeField(default=now, index=True)
    revoked_at = DateTimeField(null=True)
    ip = CharField(default="")
    user_agent = CharField(default="")

    class Meta:
        table_name = "server_session"


class ApiToken(BaseModel):
    """A token for the API (a later issue): only its hash is stored."""

    name = CharField()
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, backref="api_tokens", on_delete="CASCADE")
    created_at = DateTimeField(default=now)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "api_token"


class SavedFilter(BaseModel):
    """A list's filters saved by an account under a name: the query string of one back-office list
    (its filters, sort, search and page size; never the page number), to open again or share as a
    link. It carries the question, not the answer: whoever opens it sees their own scope's records."""

    user = ForeignKeyField(User, backref="saved_filters", on_delete="CASCADE")
    endpoint = CharField()  # the list's view endpoint, e.g. "application"
    name = CharField(max_length=60)
    query = TextField()
    created_at = DateTimeField(default=now)

    class Meta:
        table_name = "saved_filter"
        indexes = ((("user", "endpoint", "name"), True),)


#: The account tables, in dependency order (migrations compare against this).
MODELS = [User, LoginAttempt, ServerSession, ApiToken, SavedFilter]


def secret_hash(value: str) -> str:
    """The stored form of a session key or API token (SHA-256: they are long random strings)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@functools.cache
def common_passwords() -> frozenset:
    """The shipped list of passwords too common to be allowed, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check_password_strength(password):
    """Refuse, with a message in both languages, a password any account may not have."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符 (a password needs at least {MIN_PASSWORD_LENGTH} characters)"
        )
    if password.strip() != password or not password.strip():
        raise AccountError("密码不能以空格开头或结尾 (a password cannot begin or end with a space)")
    if password.lower() in common_passwords():
        raise AccountError(
            "该密码是最常见的密码之一，容易被猜中，请换一个 "
            "(this is one of the most common passwords, easily guessed: choose another)"
        )


def verify_password(user, password) -> bool:
    """True if `password` is the user's; an unknown user (None) costs the same time and fails."""
    if user is None or not user.password_hash:
        try:
            PASSWORD_HASHER.verify(_DUMMY_HASH, password or "")
        except VerificationError:
            pass
        return False
    try:
        PASSWORD_HASHER.verify(user.password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if PASSWORD_HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = PASSWORD_HASHER.hash(password)
        user.save(only=[User.password_hash])
    return True


# Which kind of binding each role needs. City roles sit at a city; a county officer at a county.
ROLE_BINDING = {
    "admin": None,
    "city_officer": "city",
    "city_finance": "city",
    "county_officer": "county",
    "panel_member": "any",
    "park_operator": "park",
}


def validate_binding(role, jurisdiction=None, park=None):
    """Raise AccountError unless `role` is bound as it must be (see ROLE_BINDING)."""
    if role not in vocab.ROLES:
        raise AccountError(f"未知角色 {role!r}，可选：{', '.join(vocab.ROLES.codes())} (unknown role)")
    label = vocab.ROLES.label(role)
    need = ROLE_BINDING[vocab.core_role(role)]
    if need is None:
        if jurisdiction is not None or park is not None:
            raise AccountError(f"{label}不绑定辖区或产业园 (an administrator is bound to nothing: it sees everything)")
        return
    if need == "park":
        if park is None:
            raise AccountError(f"{label}必须绑定一个产业园（--park） (a park operator must be bound to a park)")
        if jurisdiction is not None:
            raise AccountError(f"{label}只绑定产业园，不绑定辖区 (a park operator is bound to its park, not a jurisdiction)")
        return
    if park is not None:
        raise AccountError(f"{label}不绑定产业园，应绑定辖区（--jurisdiction） (only park operators are bound to a park)")
    if jurisdiction is None:
        raise AccountError(f"{label}必须绑定一个辖区（--jurisdiction） (this role must be bound to a jurisdiction)")
    if need != "any" and jurisdiction.level != need:
        level = vocab.JURISDICTION_LEVELS.label(need)
        raise AccountError(
            f"{label}应绑定{level}级辖区，{jurisdiction.name_zh}不是 "
            f"(this role is bound to a {vocab.JURISDICTION_LEVELS.label(need, 'en')}; {jurisdiction.code} is not one)"
        )


def normalise_username(username):
    name = (username or "").strip().lower()
    if not name or len(name) > 64 or not all(c.isascii() and (c.isalnum() or c in "._-@") for c in name):
        raise AccountError(
            "用户名只能由英文字母、数字和 . _ - @ 组成，长度 1–64 (a username is 1–64 ASCII letters, digits or . _ - @)"
        )
    return name


def create_user(username, role, password, jurisdiction=None, park=None, display_name=""):
    """Create an active account; raise AccountError with a clear message if anything is wrong."""
    username = normalise_username(username)
    validate_binding(role, jurisdiction, park)
    if User.select().where(User.username == username).exists():
        raise AccountError(f"用户名 {username} 已存在 (username already exists)")
    user = User(username=username, role=role, jurisdiction=jurisdiction, park=park, display_name=display_name)
    user.set_password(password)
    user.save()
    return user


def revoke_sessions(user):
    """End every session of `user` on the server (logout everywhere, or the account was disabled)."""
    return (
        ServerSession.update(revoked_at=now())
        .where((ServerSession.user == user) & ServerSession.revoked_at.is_null())
        .execute()
    )
