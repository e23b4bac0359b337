"""Writes through the API: a park operator submits its own park's yearly figures and roster (and
the officer then sees them in the back office); officials' tokens cannot write; stale versions,
duplicates and invalid bodies are refused with field-level messages."""
from decimal import Decimal

from admin_test_helpers import db_snapshot as full_snapshot
from admin_test_helpers import login_as
from api_test_world import headers
from core.records.models import Agency, AgencyYear, AuditLog, ParkYear


def db_snapshot():
    """Every business row; tokens' last-used times change on every request, by design."""
    snapshot = full_snapshot()
    snapshot.pop("api_token")
    return snapshot


def post(client, path, token, body):
    return client.post(f"/api/v1{path}", json=body, headers=headers(token))


def patch(client, path, token, body):
    return client.patch(f"/api/v1{path}", json=body, headers=headers(token))


def test_an_operator_submits_yearly_figures_that_the_officer_sees_in_the_back_office(api_app, country):
    client = api_app.test_client()
    park = country.park["changzhi-luzhou"]
    response = post(client, f"/parks/{park.id}/years", country.token["luzhou_operator"],
                    {"year": 2025, "events_held": 17, "employment_promoted": 4321})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["park_id"] == park.id and created["employment_promoted"] == 4321 and created["version"] == 1
    stored = ParkYear.get_by_id(created["id"])
    assert stored.events_held == 17
    audit = AuditLog.select().where((AuditLog.table == "park_year") & (AuditLog.record_id == stored.id)).get()
    assert audit.actor == "lz_operator" and audit.park_id == park.id

    officer = api_app.test_client()
    login_as(officer, country.user["changzhi_officer"])
    page = officer.get("/admin/park_year/").get_data(as_text=True)
    assert "4,321" in page and park.name in page  # a count written for people (issue 11 item 5)


def test_an_operator_submits_the_roster_and_an_agency_s_figures(api_client, country):
    token = country.token["luzhou_operator"]
    park = country.park["changzhi-luzhou"]
    agency = post(api_client, f"/parks/{park.id}/agencies", token,
                  {"name": "潞州猎头公司", "licence_no": "LZ-9", "service_lines": ["headhunting"], "admitted_on": "2024-03-01"})
    assert agency.status_code == 201, agency.get_json()
    agency_id = agency.get_json()["id"]
    figures = post(api_client, f"/agencies/{agency_id}/years", token, {"year": 2024, "revenue": "2000000.00", "tax": 30000.5})
    assert figures.status_code == 201, figures.get_json()
    assert figures.get_json()["revenue"] == "2000000.00" and figures.get_json()["tax"] == "30000.50"
    assert AgencyYear.get_by_id(figures.get_json()["id"]).tax == Decimal("30000.50")


def test_writes_outside_the_operator_s_park_or_by_officials_are_refused(api_client, country):
    before = db_snapshot()
    foreign = country.park["karamay"]
    response = post(api_client, f"/parks/{foreign.id}/years", country.token["luzhou_operator"], {"year": 2025})
    assert response.status_code == 404
    response = post(api_client, f"/agencies/{country.agency['karamay'].id}/years", country.token["luzhou_operator"], {"year": 2025})
    assert response.status_code == 404
    own = country.park["changzhi-luzhou"]
    for official in ("admin", "changzhi_officer", "luzhou_officer", "changzhi_panel"):
        response = post(api_client, f"/parks/{own.id}/years", country.token[official], {"year": 2025})
        assert response.status_code == 403, official
        assert "运营方" in response.get_json()["message"]
        response = patch(api_client, f"/agencies/{country.agency['changzhi-luzhou'].id}", country.token[official],
                         {"version": 1, "name": "改名"})
        assert response.status_code == 403
    assert db_snapshot() == before


def test_a_stale_version_is_refused_and_the_first_change_kept(api_client, country):
    token = country.token["luzhou_operator"]
    figure = country.park_year["changzhi-luzhou"]
    first = patch(api_client, f"/park-years/{figure.id}", token, {"version": 1, "events_held": 5})
    assert first.status_code == 200 and first.get_json()["version"] == 2
    stale = patch(api_client, f"/park-years/{figure.id}", token, {"version": 1, "events_held": 9})
    assert stale.status_code == 409
    assert ParkYear.get_by_id(figure.id).events_held == 5
    missing = patch(api_client, f"/park-years/{figure.id}", token, {"events_held": 9})
    assert missing.status_code == 422 and "version" in missing.get_json()["errors"]


def test_validation_errors_name_every_field_in_both_languages(api_client, country):
    before = db_snapshot()
    token = country.token["luzhou_operator"]
    park = country.park["changzhi-luzhou"]
    response = post(api_client, f"/parks/{park.id}/years", token,
                    {"year": 1989, "events_held": -1, "people_served": "many", "colour": "red"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"year", "events_held", "people_served", "colour"}
    assert all(any("/" in m or "—" in m for m in messages) for messages in errors.values())
    assert "年份" in errors["year"][0] and "Year" in errors["year"][0]
    response = post(api_client, f"/parks/{park.id}/agencies", token,
                    {"name": "A", "admitted_on": "2024-05-01", "exited_on": "2024-04-30", "service_lines": ["x"]})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"exited_on", "service_lines.0"}
    response = post(api_client, f"/agencies/{country.agency['changzhi-luzhou'].id}/years", token,
                    {"year": 2023, "revenue": "1.005"})
    assert response.status_code == 422 and "revenue" in response.get_json()["errors"]
    response = api_client.post(f"/api/v1/parks/{park.id}/years", data="year=2025", headers=headers(token))
    assert response.status_code == 415
    assert db_snapshot() == before


def test_amount_and_count_boundaries(api_client, country):
    token = country.token["luzhou_operator"]
    agency = country.agency["changzhi-luzhou"]
    ok = post(api_client, f"/agencies/{agency.id}/years", token, {"year": 2020, "revenue": "99999999999999.99", "employment_helped": 2147483647})
    assert ok.status_code == 201, ok.get_json()
    too_big = post(api_client, f"/agencies/{agency.id}/years", token, {"year": 2021, "revenue": "100000000000000.00"})
    assert too_big.status_code == 422 and "revenue" in too_big.get_json()["errors"]
    too_many = post(api_client, f"/agencies/{agency.id}/years", token, {"year": 2021, "employment_helped": 2147483648})
    assert too_many.status_code == 422 and "employment_helped" in too_many.get_json()["errors"]
    zero = post(api_client, f"/agencies/{agency.id}/years", token, {"year": 2022, "revenue": 0})
    assert zero.status_code == 201
    negative = post(api_client, f"/agencies/{agency.id}/years", token, {"year": 2023, "revenue": "-0.01"})
    assert negative.status_code == 422


def test_a_second_figure_for_the_same_year_is_a_conflict(api_client, country):
    token = country.token["luzhou_operator"]
    park = country.park["changzhi-luzhou"]
    response = post(api_client, f"/parks/{park.id}/years", token, {"year": 2024})
    assert response.status_code == 409
    assert ParkYear.select().where((ParkYear.park == park) & (ParkYear.year == 2024)).count() == 1


def test_an_agency_change_keeps_its_park(api_client, country):
    token = country.token["luzhou_operator"]
    agency = country.agency["changzhi-luzhou"]
    response = patch(api_client, f"/agencies/{agency.id}", token, {"version": 1, "exited_on": "2025-06-30", "exit_reason": "迁出"})
    assert response.status_code == 200, response.get_json()
    stored = Agency.get_by_id(agency.id)
    assert stored.exited_on.isoformat() == "2025-06-30" and stored.park_id == agency.park_id and stored.name == agency.name


def test_a_years_declared_facts_are_taken_as_the_parks_measures_declare_them(api_client, country):
    """已享受孵化基地补贴 is Karamay's (facts.yaml, 第二十条): a Karamay park's year takes it, typed; a
    wrong type or a fact the park's measures do not declare is refused by field, nothing written."""
    karamay, luzhou = country.park["karamay"], country.park["changzhi-luzhou"]
    before = db_snapshot()
    wrong = post(api_client, f"/parks/{karamay.id}/years", country.token["karamay_operator"],
                 {"year": 2025, "facts": {"incubation_subsidy_claimed": "yes"}})
    assert wrong.status_code == 422 and "facts.incubation_subsidy_claimed" in wrong.get_json()["errors"]
    foreign = post(api_client, f"/parks/{luzhou.id}/years", country.token["luzhou_operator"],
                   {"year": 2025, "facts": {"incubation_subsidy_claimed": True}})
    assert foreign.status_code == 422 and "facts.incubation_subsidy_claimed" in foreign.get_json()["errors"]
    assert db_snapshot() == before
    created = post(api_client, f"/parks/{karamay.id}/years", country.token["karamay_operator"],
                   {"year": 2025, "facts": {"incubation_subsidy_claimed": True}})
    assert created.status_code == 201 and created.get_json()["facts"] == {"incubation_subsidy_claimed": True}
    changed = patch(api_client, f"/park-years/{created.get_json()['id']}", country.token["karamay_operator"],
                    {"version": 1, "facts": {"incubation_subsidy_claimed": False}})
    assert changed.status_code == 200 and ParkYear.get_by_id(created.get_json()["id"]).facts == {"incubation_subsidy_claimed": False}
