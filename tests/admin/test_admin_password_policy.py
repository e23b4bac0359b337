"""Issue 11 item 16: passwords as a 等保2.0 level-three system enforces them — at least ten
characters and none of the commonest passwords (core/records/common_passwords.txt) — wherever a password
is set: `hrpark user create` and the accounts page. The demo's accounts keep demo1234."""
import pytest
from click.testing import CliRunner

from admin.demo_accounts import DEMO_PASSWORD
from admin_test_helpers import as_post, form_fields, login_as
from core.records.accounts import MIN_PASSWORD_LENGTH, AccountError, User, check_password_strength, common_passwords
from core.io.cli.main import cli

COMMON = "该密码是最常见的密码之一"


def test_issue_11_item_16_the_shipped_list_holds_only_passwords_the_length_rule_lets_through():
    listed = common_passwords()
    assert len(listed) >= 200
    assert all(len(p) >= MIN_PASSWORD_LENGTH for p in listed)
    assert {"1234567890", "woaini1314", "qwertyuiop", "password123", "1qaz2wsx3edc"} <= listed


@pytest.mark.parametrize("password", ["1234567890", "woaini1314", "QwertyUiop", "Password123", "1qaz2wsx3edc"])
def test_issue_11_item_16_a_common_password_is_refused_whatever_its_case(password):
    with pytest.raises(AccountError, match=COMMON) as refused:
        check_password_strength(password)
    assert "one of the most common passwords" in str(refused.value)


@pytest.mark.parametrize("password", ["1234567890x", "woaini1314!", "lu-cheng-2025-zhan"])
def test_issue_11_item_16_a_password_near_a_common_one_but_not_on_the_list_is_accepted(password):
    check_password_strength(password)


def test_issue_11_item_16_the_length_rule_holds_on_both_sides():
    with pytest.raises(AccountError, match="密码至少需要 10 个字符"):
        check_password_strength("k7#mQ2vX9")  # 9 characters
    check_password_strength("k7#mQ2vX9p")  # 10


def test_issue_11_item_16_hrpark_user_create_refuses_a_common_password(db):
    result = CliRunner().invoke(cli, ["user", "create", "someone", "--role", "admin", "--password", "woaini1314520"])
    assert result.exit_code != 0
    assert COMMON in result.output and "choose another" in result.output
    assert not User.select().where(User.username == "someone").exists()


def test_issue_11_item_16_the_accounts_page_refuses_a_common_password(client, scoping_world):
    login_as(client, scoping_world.user["admin"])
    fields = form_fields(client.get("/admin/user/new/").get_data(as_text=True))
    data = dict(username="new_officer", role="county_officer", jurisdiction=str(scoping_world.j["shangdang"].id),
                display_name="上党区李明")
    refused = client.post("/admin/user/new/", data=as_post(fields, new_password="qwertyuiop123", **data))
    assert COMMON in refused.get_data(as_text=True)
    assert not User.select().where(User.username == "new_officer").exists()
    # and changing an existing account's password to one
    user = scoping_world.user["changzhi_county_officer"]
    path = f"/admin/user/edit/?id={user.id}"
    before = User.get_by_id(user.id).password_hash
    edited = client.post(path, data=as_post(form_fields(client.get(path).get_data(as_text=True)),
                                            new_password="1234567890"))
    assert COMMON in edited.get_data(as_text=True)
    assert User.get_by_id(user.id).password_hash == before
    accepted = client.post("/admin/user/new/", data=as_post(fields, new_password="lu-cheng-2025-zhan", **data))
    assert accepted.status_code == 302 and User.select().where(User.username == "new_officer").exists()


def test_issue_11_item_16_the_demo_password_breaks_the_rules_and_is_set_only_by_the_demo():
    """demo1234 would be refused for a real account; the demo hashes it directly (admin.demo_accounts)."""
    with pytest.raises(AccountError):
        check_password_strength(DEMO_PASSWORD)
