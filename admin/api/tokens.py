"""API tokens: issued to one account, shown once, stored only as a hash, revoked in the back office.

A token acts with its account's role and scope at the moment of use: disabling the account or
rebinding it to another park takes effect on the next request. Issuing and revoking are written
to the audit log (never the token itself, nor its hash).
"""
import datetime
import secrets

from core.records import audit
from core.records.accounts import ApiToken, User, secret_hash
from core.records.db import database
from core.records.models import AuditLog, now

PREFIX = "hrp_"
MAX_NAME = 100
#: How finely "last used" is kept: a token used again within this is not written again.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be issued or revoked as asked; the message is Chinese, then English."""


def _log(action, token, user):
    actor = audit.current_actor()
    jurisdiction_id, park_id = user.audit_scope()
    AuditLog.create(
        actor=actor.username, role=actor.role, action=action, table="api_token", record_id=token.id,
        jurisdiction_id=jurisdiction_id, park_id=park_id,
        after=audit.dumps({"name": token.name, "user": user.username, "revoked_at": token.revoked_at}),
    )


def issue_token(user, name):
    """(ApiToken, the token in clear): the clear text exists only in this return value."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise TokenError(f"令牌名称应为1–{MAX_NAME}个字符 (a token needs a name of 1–{MAX_NAME} characters)")
    if not user.active:
        raise TokenError("账户已停用，不能签发令牌 (the account is disabled)")
    clear = PREFIX + secrets.token_urlsafe(32)
    with database.atomic():
        token = ApiToken.create(name=name, token_hash=secret_hash(clear), user=user)
        _log("issue_token", token, user)
    return token, clear


def revoke_token(token):
    """Revoke `token` (already revoked: nothing changes)."""
    if token.revoked_at is not None:
        return token
    with database.atomic():
        token.revoked_at = now()
        ApiToken.update(revoked_at=token.revoked_at).where(ApiToken.id == token.id).execute()
        _log("revoke_token", token, token.user)
    return token


def tokens_visible_to(user):
    """The tokens `user` manages: its own; an administrator's: everyone's."""
    query = ApiToken.select(ApiToken, User).join(User).order_by(ApiToken.id.desc())
    if user.role != "admin":
        query = query.where(ApiToken.user == user.id)
    return query


def user_of_token(clear):
    """The active account of a live token, or None; marks the token as used."""
    if not clear or not clear.startswith(PREFIX) or len(clear) > 200:
        return None
    token = (
        ApiToken.select(ApiToken, User).join(User)
        .where((ApiToken.token_hash == secret_hash(clear)) & ApiToken.revoked_at.is_null())
        .first()
    )
    if token is None or not token.user.active:
        return None
    # A plain UPDATE: using a token is not an edit (no audit row), but officials see when it was last used.
    # At most once a minute per token: a write on every request would serialise concurrent API reads
    # on the database's write lock (measured: benchmarks/RESULTS.md).
    used = now()
    if token.last_used_at is None or used - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.update(last_used_at=used).where(ApiToken.id == token.id).execute()
    return token.user
