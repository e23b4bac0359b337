"""Accounts (core/records/accounts.py: argon2id hashes, password length, role bindings, the audit log never
holding a hash, migration 0002) and scopes (admin/scoping.py: who reaches which jurisdiction)."""
import pytest
from peewee import CharField

from admin import scoping
from admin_test_helpers import make_user
from core.records import schema
from core.records.accounts import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    ApiToken,
    LoginAttempt,
    ServerSession,
    User,
    check_password_strength,
    create_user,
    normalise_username,
    validate_binding,
    verify_password,
)
from core.records.models import AuditLog, BaseModel, Jurisdiction, Park


@pytest.fixture
def places(db):
    city = Jurisdiction.create(code="changzhi", name_zh="长治市", level="city")
    county = Jurisdiction.create(code="luzhou", name_zh="潞州区", level="county", parent=city)
    town = Jurisdiction.create(code="luzhou-zone", name_zh="潞州开发区", level="county", parent=county)
    other = Jurisdiction.create(code="karamay", name_zh="克拉玛依市", level="city")
    parks = {j.code: Park.create(jurisdiction=j, name=f"{j.name_zh}园") for j in (city, county, town, other)}
    return {"city": city, "county": county, "town": town, "other": other, "parks": parks}


# --- passwords ------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id_at_or_above_the_owasp_minimum(places, production_password_hasher):
    user = create_user("officer", "county_officer", "a-long-password", jurisdiction=places["county"])
    assert user.password_hash.startswith("$argon2id$v=19$")
    params = dict(p.split("=") for p in user.password_hash.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2 and int(params["p"]) >= 1
    assert verify_password(user, "a-long-password") and not verify_password(user, "a-long-passwor")
    assert not verify_password(None, "a-long-password")


def test_a_password_needs_at_least_ten_characters():
    with pytest.raises(AccountError, match="密码至少需要 10 个字符"):
        check_password_strength("x" * (MIN_PASSWORD_LENGTH - 1))
    check_password_strength("x" * MIN_PASSWORD_LENGTH)


def test_the_audit_log_never_holds_a_password_hash(places):
    user = create_user("officer", "county_officer", "a-long-password", jurisdiction=places["county"])
    user.set_password("another-long-password")
    user.save()
    rows = list(AuditLog.select().where(AuditLog.table == "user_account"))
    assert len(rows) == 2
    for row in rows:
        assert "argon2" not in (row.before or "") + (row.after or "")
    assert '"password_hash": "***"' in rows[1].after


def test_usernames_are_case_insensitive_and_plain():
    assert normalise_username("  Zhang.San@HR ") == "zhang.san@hr"
    for bad in ("", "a b", "张三", "x" * 65):
        with pytest.raises(AccountError):
            normalise_username(bad)
    assert normalise_username("x" * 64) == "x" * 64


def test_a_username_is_unique(places):
    create_user("officer", "county_officer", "a-long-password", jurisdiction=places["county"])
    with pytest.raises(AccountError, match="已存在"):
        create_user("OFFICER", "county_officer", "a-long-password", jurisdiction=places["county"])


# --- bindings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role, binding, ok", [
    ("admin", None, True),
    ("admin", "city", False),
    ("city_officer", "city", True),
    ("city_officer", "county", False),
    ("city_officer", None, False),
    ("city_finance", "city", True),
    ("city_finance", "county", False),
    ("county_officer", "county", True),
    ("county_officer", "city", False),
    ("panel_member", "city", True),
    ("panel_member", "county", True),
    ("panel_member", None, False),
    ("park_operator", "park", True),
    ("park_operator", "county", False),
    ("park_operator", None, False),
    ("city_officer", "park", False),
    ("mayor", "city", False),
])
def test_each_role_is_bound_as_it_must_be(places, role, binding, ok):
    jurisdiction = places[binding] if binding in ("city", "county") else None
    park = places["parks"]["luzhou"] if binding == "park" else None
    if ok:
        validate_binding(role, jurisdiction, park)
    else:
        with pytest.raises(AccountError):
            validate_binding(role, jurisdiction, park)


def test_migration_0002_creates_the_account_tables(db):
    assert ("0002_accounts" in [name for name, applied in schema.status(db) if applied])
    assert not schema.pending_differences(db)
    for model in (User, LoginAttempt, ServerSession, ApiToken):
        assert model.table_exists(), model


# --- scopes --------------------------------------------------------------------------------------


def test_a_city_officer_reaches_the_city_and_everything_below_it(places):
    officer = make_user("c", "city_officer", jurisdiction=places["city"])
    ids = {places[k].id for k in ("city", "county", "town")}
    assert scoping.visible_jurisdiction_ids(officer) == ids
    assert scoping.visible_park_ids(officer) == {places["parks"][c].id for c in ("changzhi", "luzhou", "luzhou-zone")}


def test_a_county_officer_reaches_the_county_and_below_but_not_the_city(places):
    officer = make_user("k", "county_officer", jurisdiction=places["county"])
    assert scoping.visible_jurisdiction_ids(officer) == {places["county"].id, places["town"].id}
    assert places["parks"]["changzhi"].id not in scoping.visible_park_ids(officer)


def test_a_park_operator_reaches_its_park_only(places):
    operator = make_user("p", "park_operator", park=places["parks"]["luzhou"])
    assert scoping.visible_park_ids(operator) == {places["parks"]["luzhou"].id}
    assert scoping.visible_jurisdiction_ids(operator) == set()


def test_an_administrator_reaches_everything(places):
    admin = make_user("root", "admin")
    assert scoping.visible_jurisdiction_ids(admin) == {j.id for j in Jurisdiction.select()}
    assert scoping.visible_park_ids(admin) == {p.id for p in Park.select()}


def test_a_disabled_or_unbound_account_reaches_nothing(places):
    disabled = make_user("d", "city_officer", jurisdiction=places["city"], active=False)
    unbound = make_user("u", "city_officer")
    for user in (disabled, unbound, None):
        assert scoping.visible_jurisdiction_ids(user) == set()
        assert scoping.visible_park_ids(user) == set()


def test_a_table_without_a_scope_rule_is_refused(places):
    class Stray(BaseModel):
        name = CharField()

    officer = make_user("c", "city_officer", jurisdiction=places["city"])
    with pytest.raises(scoping.UnscopedModelError, match="Stray"):
        scoping.condition(Stray, scoping.scope_for(officer))
    assert scoping.condition(Stray, scoping.EVERYTHING) is None  # an administrator reads it


def test_the_request_actor_carries_the_reach_for_the_services(places):
    from admin.auth import actor_for

    officer = make_user("k", "county_officer", jurisdiction=places["county"])
    actor = actor_for(officer, scoping.scope_for(officer))
    assert actor.may_reach(places["town"].id) and not actor.may_reach(places["city"].id)
    operator = make_user("p", "park_operator", park=places["parks"]["luzhou"])
    actor = actor_for(operator, scoping.scope_for(operator))
    assert actor.may_reach(places["county"].id, places["parks"]["luzhou"].id)
    assert not actor.may_reach(places["county"].id, places["parks"]["luzhou-zone"].id)
    assert actor_for(None, scoping.NOTHING).may_reach(places["city"].id) is False
