"""schemathesis against the API's own OpenAPI document, through WSGI: for every operation, positive
and negative examples (a bounded number, so the run stays short) must never cause a server error,
and every response must match the status codes, content type and schema the document declares.
Run with a park operator's token (writes included) and with a city officer's (writes refused)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api_test_world import headers

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 10
#: An officer's token runs the writes only (refused: 403); reads take the same path for every token.
WRITES_ONLY = {"changzhi_officer"}


#: The first segment of a path -> the world's records its {…} parameter names.
PATH_RECORDS = {
    "parks": "park", "agencies": "agency", "agency-years": "agency_year", "park-years": "park_year",
    "applications": "application", "recognitions": "recognition", "assessments": "assessment",
    "subsidies": "subsidy", "ledger": "ledger", "jurisdictions": None,
}


def own_records(path, country):
    """Path parameters naming the operator's own records (Luzhou's), so writes really write."""
    parts = path.strip("/").split("/")
    if len(parts) < 2:
        return {}
    name = parts[1].strip("{}")
    attribute = PATH_RECORDS[parts[0]]
    if attribute is None:
        return {name: country.j["changzhi-luzhou"].id}
    return {name: getattr(country, attribute)["changzhi-luzhou"].id}


@pytest.mark.parametrize("account", ["luzhou_operator", "changzhi_officer"])
def test_the_api_keeps_its_openapi_promises(api_app, country, account):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    sent = headers(country.token[account])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 23
    if account in WRITES_ONLY:
        operations = [op for op in operations if op.method.upper() in ("POST", "PATCH")]
    for operation in operations:
        own = own_records(operation.path, country)
        for mode, pinned in ((GenerationMode.POSITIVE, own), (GenerationMode.NEGATIVE, own), (GenerationMode.POSITIVE, None)):
            if pinned is None and not own:
                continue  # a list: nothing to pin, already run
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def check(case):
                case.call_and_validate(headers=sent, checks=CHECKS)

            check()


def test_the_document_is_served_without_a_token_and_the_docs_page_works_offline(api_client):
    document = api_client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    spec = document.get_json()
    assert spec["openapi"].startswith("3.") and spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"/parks", "/park-years/{record_id}", "/parks/{park_id}/years"} <= set(spec["paths"])
    page = api_client.get("/api/v1/docs").get_data(as_text=True)
    assert "swagger-ui-bundle.js" in page and "http" not in page.split("<body>")[1].replace("/api/v1", "")
    assert api_client.get("/api/v1/docs/static/swagger-ui-bundle.js").status_code == 200
    assert api_client.get("/api/v1/docs/static/../../secret").status_code == 404



def test_the_description_cites_each_installed_programmes_article_on_the_platform(api_client, registry):
    """Each programme's `platform_article` (克拉玛依 第十四条, 长治 第十六条); programmes that declare
    none (潞州区's measures say nothing of the platform) cite none."""
    from admin.api.openapi import description

    spec_description = api_client.get("/api/v1/openapi.json").get_json()["info"]["description"]
    assert "信息共享平台的接口（克拉玛依办法第十四条、长治办法第十六条）。" in spec_description
    assert "platform (Karamay 第十四条, Changzhi 第十六条)." in spec_description
    uncited = description([registry.get("changzhi-luzhou")])
    assert "信息共享平台的接口。" in uncited and "platform. Each account" in uncited and "第" not in uncited
