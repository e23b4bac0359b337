"""The API's gate: a missing, unknown or revoked token is refused (401); a live token reaches exactly
what its account reaches in the back office — a foreign record answers 404 and no list shows one."""
import pytest

from admin.api.base import ENDPOINTS
from api_test_world import PARK_CODES, REACH, headers
from core.records.accounts import ApiToken, secret_hash
from core.records.models import AuditLog

LISTS = [e for e in ENDPOINTS if e.method == "GET" and "<" not in e.rule]
DETAILS = {  # detail rule -> the world's records it shows
    "/parks/<int:record_id>": "park",
    "/agencies/<int:record_id>": "agency",
    "/agency-years/<int:record_id>": "agency_year",
    "/park-years/<int:record_id>": "park_year",
    "/applications/<int:record_id>": "application",
    "/recognitions/<int:record_id>": "recognition",
    "/assessments/<int:record_id>": "assessment",
    "/subsidies/<int:record_id>": "subsidy",
    "/ledger/<int:record_id>": "ledger",
}


def test_every_list_refuses_a_missing_a_wrong_and_a_revoked_token(api_client, country):
    token = ApiToken.get(ApiToken.token_hash == secret_hash(country.token["admin"]))
    from admin.api.tokens import revoke_token

    revoke_token(token)
    for ep in LISTS:
        for sent in ({}, headers("hrp_not-a-token"), headers(country.token["admin"]), {"Authorization": "Basic abc"}):
            response = api_client.get(f"/api/v1{ep.rule}", headers=sent)
            assert response.status_code == 401, (ep.rule, sent)
            body = response.get_json()
            assert body["status"] == 401 and "令牌" in body["message"] and "token" in body["message"]
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # The account's other credentials are unaffected; a live token still works.
    assert api_client.get("/api/v1/parks", headers=headers(country.token["karamay_officer"])).status_code == 200


def test_a_disabled_account_s_token_is_refused(api_client, country):
    user = country.user["luzhou_operator"]
    user.active = False
    user.save()
    assert api_client.get("/api/v1/parks", headers=headers(country.token["luzhou_operator"])).status_code == 401


@pytest.mark.parametrize("account", sorted(REACH))
def test_a_token_reaches_its_own_records_and_never_a_foreign_one(api_client, country, account):
    sent = headers(country.token[account])
    reach = REACH[account]
    for rule, attribute in DETAILS.items():
        for code in PARK_CODES:
            record = getattr(country, attribute)[code]
            response = api_client.get("/api/v1" + rule.replace("<int:record_id>", str(record.id)), headers=sent)
            if code in reach:
                assert response.status_code in (200, 403), (rule, code)
                if response.status_code == 200:
                    assert response.get_json()["id"] == record.id
            else:
                assert response.status_code in (403, 404), (account, rule, code, response.get_json())
                assert str(record.id) not in [str(v) for v in (response.get_json().get("id"),)]
    foreign_parks = {country.park[c].id for c in PARK_CODES if c not in reach}
    for ep in LISTS:
        response = api_client.get(f"/api/v1{ep.rule}?per_page=100", headers=sent)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, (ep.rule, response.get_json())
        for item in response.get_json()["items"]:
            assert item.get("park_id") not in foreign_parks, (account, ep.rule, item)


def test_the_operator_sees_only_its_park_and_a_panel_member_no_money(api_client, country):
    parks = api_client.get("/api/v1/parks", headers=headers(country.token["luzhou_operator"])).get_json()
    assert [p["id"] for p in parks["items"]] == [country.park["changzhi-luzhou"].id]
    assert parks["total"] == 1
    # The back office's matrix gives a panel member no subsidies: nor does the API.
    response = api_client.get("/api/v1/subsidies", headers=headers(country.token["changzhi_panel"]))
    assert response.status_code == 403
    assert response.get_json()["errors"] == {}


def test_lists_paginate_and_filter_and_refuse_bad_parameters(api_client, country):
    sent = headers(country.token["admin"])
    first = api_client.get("/api/v1/parks?per_page=2&page=1", headers=sent).get_json()
    second = api_client.get("/api/v1/parks?per_page=2&page=2", headers=sent).get_json()
    assert first["total"] == second["total"] == 3 and first["pages"] == 2
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert {p["id"] for p in first["items"] + second["items"]} == {p.id for p in country.park.values()}
    karamay = country.j["karamay"].id
    filtered = api_client.get(f"/api/v1/parks?jurisdiction_id={karamay}", headers=sent).get_json()
    assert [p["jurisdiction_id"] for p in filtered["items"]] == [karamay]
    assert api_client.get("/api/v1/parks?per_page=100", headers=sent).status_code == 200
    for query, field in (("per_page=101", "per_page"), ("per_page=0", "per_page"), ("page=abc", "page"),
                         ("year=1989", "year"), ("colour=red", "colour")):
        path = "/api/v1/park-years?" + query
        response = api_client.get(path, headers=sent)
        assert response.status_code == 422, path
        assert field in response.get_json()["errors"], response.get_json()
    assert api_client.get("/api/v1/park-years?year=1990", headers=sent).status_code == 200


def test_money_is_a_decimal_string_and_an_application_carries_its_eligibility(api_client, country):
    sent = headers(country.token["admin"])
    figure = api_client.get(f"/api/v1/agency-years/{country.agency_year['karamay'].id}", headers=sent).get_json()
    assert figure["revenue"] == "1234567.89"
    application = api_client.get(f"/api/v1/applications/{country.application['karamay'].id}", headers=sent).get_json()
    assert application["state"] == country.application["karamay"].state
    eligibility = application["eligibility"]
    assert eligibility["outcome"] in ("eligible", "not_eligible", "pending")
    assert eligibility["results"] and all(r["article"].startswith("第") for r in eligibility["results"])


def test_a_huge_id_is_simply_not_found(api_client, country):
    response = api_client.get("/api/v1/parks/99999999999999999999999", headers=headers(country.token["admin"]))
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_tokens_are_stored_hashed_and_issuing_is_audited(country):
    clear = country.token["luzhou_operator"]
    assert not ApiToken.select().where(ApiToken.token_hash == clear).exists()
    assert ApiToken.select().where(ApiToken.token_hash == secret_hash(clear)).exists()
    rows = [r.after for r in AuditLog.select().where(AuditLog.table == "api_token")]
    assert rows and all(clear not in r and secret_hash(clear) not in r for r in rows)
