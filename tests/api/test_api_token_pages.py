"""The back office's token page: an account issues a token that is shown once (only its hash is
kept) and works on the API; it lists and revokes its own tokens, never another account's; an
administrator sees and revokes everyone's."""
import re

from admin_test_helpers import csrf_token, login_as
from api_test_world import headers
from core.records.accounts import ApiToken, secret_hash


def issue(client, name):
    token = csrf_token(client, "/admin/api_tokens/")
    return client.post("/admin/api_tokens/issue", data={"csrf_token": token, "name": name})


def test_a_token_is_shown_once_and_works(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["luzhou_operator"])
    page = issue(client, "报送程序").get_data(as_text=True)
    clear = re.search(r"(hrp_[A-Za-z0-9_-]{20,})", page).group(1)
    assert ApiToken.get(ApiToken.token_hash == secret_hash(clear)).name == "报送程序"
    again = client.get("/admin/api_tokens/").get_data(as_text=True)
    assert clear not in again and "报送程序" in again
    assert api_client_get(api_app, clear).status_code == 200


def api_client_get(app, clear):
    return app.test_client().get("/api/v1/parks", headers=headers(clear))


def test_an_account_revokes_its_own_token_but_not_another_s(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["luzhou_operator"])
    mine = ApiToken.get(ApiToken.token_hash == secret_hash(country.token["luzhou_operator"]))
    theirs = ApiToken.get(ApiToken.token_hash == secret_hash(country.token["karamay_operator"]))
    page = client.get("/admin/api_tokens/").get_data(as_text=True)
    assert "luzhou_operator token" in page and "karamay_operator token" not in page
    token = csrf_token(client, "/admin/api_tokens/")
    assert client.post(f"/admin/api_tokens/{theirs.id}/revoke", data={"csrf_token": token}).status_code == 404
    assert ApiToken.get_by_id(theirs.id).revoked_at is None
    assert client.post(f"/admin/api_tokens/{mine.id}/revoke", data={"csrf_token": token}).status_code == 302
    assert ApiToken.get_by_id(mine.id).revoked_at is not None
    assert api_client_get(api_app, country.token["luzhou_operator"]).status_code == 401
    assert api_client_get(api_app, country.token["karamay_operator"]).status_code == 200


def test_an_administrator_revokes_anyone_s_token_and_a_form_without_csrf_is_refused(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["admin"])
    theirs = ApiToken.get(ApiToken.token_hash == secret_hash(country.token["karamay_operator"]))
    assert "karamay_operator token" in client.get("/admin/api_tokens/").get_data(as_text=True)
    assert client.post(f"/admin/api_tokens/{theirs.id}/revoke", data={}).status_code == 400
    assert ApiToken.get_by_id(theirs.id).revoked_at is None
    token = csrf_token(client, "/admin/api_tokens/")
    assert client.post(f"/admin/api_tokens/{theirs.id}/revoke", data={"csrf_token": token}).status_code == 302
    assert ApiToken.get_by_id(theirs.id).revoked_at is not None


def test_a_token_needs_a_name_and_signing_in_is_required(api_app, country):
    anonymous = api_app.test_client()
    assert anonymous.get("/admin/api_tokens/").status_code == 302
    client = api_app.test_client()
    login_as(client, country.user["changzhi_officer"])
    count = ApiToken.select().count()
    response = issue(client, "   ")
    assert response.status_code == 302 and ApiToken.select().count() == count
    assert issue(client, "x" * 100).status_code == 200
    assert issue(client, "x" * 101).status_code == 302 and ApiToken.select().count() == count + 1
