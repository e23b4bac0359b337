"""The park detail of the API carries the park's ladder (issue 12): every programme open to it, recognised
or with the conditions short, worked out today — not the list, which would cost an evaluation per park and
programme. Scoped as the park itself; declared in the OpenAPI document, and the responses match it."""
import datetime

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from admin.app import create_app
from api_test_world import headers
from core.plugin.registry import load_registry, set_registry
from core.rules.programmes import ladder, ladder_as_dict
from plugins.luzhou import LuzhouPlugin
from tests.builders import registry_with

ERROR_TEXT = "parameters.yaml 第5行：缺少 values"


class BrokenLuzhou(LuzhouPlugin):
    def build_info(self):
        raise ValueError(ERROR_TEXT)


def park_detail(client, country, code, account):
    return client.get(f"/api/v1/parks/{country.park[code].id}", headers=headers(country.token[account]))


def conforms(app, country, code, account):
    """The park detail's response, checked against the app's own OpenAPI document."""
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)["/parks/{record_id}"]["GET"]
    case = operation.Case(path_parameters={"record_id": country.park[code].id})
    response = case.call(headers=headers(country.token[account]))
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
    return response.json()


def test_the_park_detail_carries_the_ladder_of_the_county_park(api_app, api_client, country, registry):
    response = park_detail(api_client, country, "changzhi-luzhou", "luzhou_officer")
    assert response.status_code == 200
    data = response.get_json()
    today = datetime.date.today()
    assert data["ladder"] == ladder_as_dict(ladder(country.park["changzhi-luzhou"], on=today, reg=registry), today)
    county, city = data["ladder"]["rungs"]
    assert (county["programme"], county["level"], county["recognised_on"], county["text"]) == (
        "changzhi-luzhou", "county", "2025-10-11", "潞州区级 ✓ 2025")
    assert (city["programme"], city["level"], city["recognised_on"], city["version"]) == ("changzhi", "city", None, "试行")
    # One site-less agency: the city's conditions are not met yet, each with its article.
    assert city["outcome"] in ("not_eligible", "incomplete", "pending")
    assert city["short"] and all(c["article"].startswith("第") for c in city["short"])
    assert data["ladder"]["text"] == f"潞州区级 ✓ 2025 → 长治市级：差{len(city['short'])}项条件"
    assert data["name"] == "潞州区人力资源服务产业园" and data["id"] == country.park["changzhi-luzhou"].id


def test_a_city_park_has_one_rung_and_the_list_carries_no_ladder(api_client, country):
    data = park_detail(api_client, country, "karamay", "karamay_officer").get_json()
    assert [(r["programme"], r["text"]) for r in data["ladder"]["rungs"]] == [("karamay", "克拉玛依市级 ✓ 2025")]
    listed = api_client.get("/api/v1/parks", headers=headers(country.token["admin"])).get_json()
    assert len(listed["items"]) == 3 and all("ladder" not in item for item in listed["items"])


@pytest.mark.parametrize("account, code, status", [
    ("karamay_officer", "changzhi-luzhou", 404),  # another city's park: as if it did not exist
    ("luzhou_officer", "changzhi", 404),  # the city's own park is beyond the county
    ("luzhou_operator", "changzhi", 404),
    ("changzhi_officer", "changzhi-luzhou", 200),  # the city reaches its county's parks
    ("changzhi_panel", "changzhi-luzhou", 200),
])
def test_the_ladder_is_scoped_as_the_park_itself(api_client, country, account, code, status):
    response = park_detail(api_client, country, code, account)
    assert response.status_code == status
    body = response.get_json()
    if status == 404:
        assert "ladder" not in body and "不在您的管辖范围内" in body["message"]
    else:
        assert body["ladder"]["rungs"][0]["programme"] == "changzhi-luzhou"


def test_the_openapi_document_declares_the_ladder_and_the_response_matches_it(api_app, api_client, country):
    spec = api_client.get("/api/v1/openapi.json").get_json()
    ok = spec["paths"]["/parks/{record_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/ParkDetailOut"}
    schemas = spec["components"]["schemas"]
    assert "ladder" in schemas["ParkDetailOut"]["required"] and "ladder" not in schemas["ParkOut"]["properties"]
    assert {"short", "version", "unavailable", "recognised_on"} <= set(schemas["LadderRung"]["required"])
    assert set(schemas["ShortCondition"]["properties"]) == {"criterion", "article", "title", "title_en", "status"}
    assert conforms(api_app, country, "changzhi-luzhou", "changzhi_officer")["ladder"]["rungs"][1]["short"]


def test_a_county_programme_that_cannot_load_is_named_in_the_ladder(db, tmp_path, country):
    broken = registry_with(load_registry(), "changzhi-luzhou", BrokenLuzhou())
    app = create_app({"DATABASE": db, "TESTING": True, "SECRET_KEY": "test-secret-key",
                      "INSTANCE_PATH": str(tmp_path / "broken"), "REGISTRY": broken})
    try:
        data = conforms(app, country, "changzhi-luzhou", "changzhi_officer")
    finally:
        set_registry(load_registry())
    county, city = data["ladder"]["rungs"]
    assert ERROR_TEXT in county["unavailable"] and county["outcome"] is None and county["title"] == ""
    assert county["text"] == f"潞州区级 ✓ 2025；规则不可用（{county['unavailable']}）"
    assert city["unavailable"] is None and city["outcome"] is not None  # the city's programme is not replaced, nor lost
