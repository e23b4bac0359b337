"""Lists at a province's size: `total` is counted only up to COUNT_LIMIT (null above it), and `next`
walks every record exactly once by id (keyset), filters and scope kept, whatever is added meanwhile."""
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from admin.api import schemas
from api_test_world import headers
from core.records.models import Agency, AgencyYear


def add_years(agency, years):
    return [AgencyYear.create(agency=agency, year=y, revenue=Decimal("100.00")) for y in years]


def walk(api_client, token, path):
    """Every item reached by following `next` from `path`, and the pages fetched."""
    items, pages, url = [], 0, path
    while url:
        response = api_client.get(url, headers=headers(token))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"]
        pages += 1
        url = body["next"]
        assert pages < 100
    return items, pages


def test_next_walks_every_record_once_in_id_order_keeping_filters(api_client, country):
    agency = country.agency["changzhi"]
    add_years(agency, range(2010, 2024))  # 15 rows of this agency with the one already there
    items, pages = walk(api_client, country.token["admin"], f"/api/v1/agency-years?agency_id={agency.id}&per_page=4")
    ids = [i["id"] for i in items]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 15 and pages == 4
    assert {i["agency_id"] for i in items} == {agency.id}
    first = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=4",
                           headers=headers(country.token["admin"])).get_json()
    query = parse_qs(urlsplit(first["next"]).query)
    assert urlsplit(first["next"]).path == "/api/v1/agency-years"
    assert query == {"agency_id": [str(agency.id)], "per_page": ["4"], "after_id": [str(ids[3])]}
    assert first["total"] == 15 and first["pages"] == 4


def test_the_last_page_has_no_next_and_an_exact_fit_does_not_promise_more(api_client, country):
    agency = country.agency["karamay"]
    add_years(agency, range(2020, 2023))  # 4 rows in all
    sent = headers(country.token["admin"])
    exact = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=4", headers=sent).get_json()
    assert len(exact["items"]) == 4 and exact["next"] is None
    short = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=3", headers=sent).get_json()
    assert len(short["items"]) == 3 and short["next"] is not None
    paged = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=3&page=2", headers=sent).get_json()
    assert len(paged["items"]) == 1 and paged["next"] is None and paged["page"] == 2


def test_records_added_while_walking_are_neither_skipped_nor_repeated(api_client, country):
    agency = country.agency["changzhi"]
    add_years(agency, range(2015, 2021))  # 7 rows
    sent = headers(country.token["admin"])
    first = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=3", headers=sent).get_json()
    added = add_years(agency, [2030])  # a new row lands at the end
    seen = [i["id"] for i in first["items"]]
    url = first["next"]
    while url:
        body = api_client.get(url, headers=sent).get_json()
        seen += [i["id"] for i in body["items"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 8 and seen[-1] == added[0].id


def test_total_is_null_above_the_count_limit_and_pages_with_it(api_client, country, monkeypatch):
    monkeypatch.setattr(schemas, "COUNT_LIMIT", 4)
    agency = country.agency["changzhi"]
    sent = headers(country.token["admin"])
    add_years(agency, range(2020, 2023))  # 4 rows of this agency: at the limit, counted
    at_limit = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}", headers=sent).get_json()
    assert at_limit["total"] == 4 and at_limit["pages"] == 1
    add_years(agency, [2019])  # 5: above it
    above = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=2", headers=sent).get_json()
    assert above["total"] is None and above["pages"] is None and len(above["items"]) == 2 and above["next"]
    items, _pages = walk(api_client, country.token["admin"], f"/api/v1/agency-years?agency_id={agency.id}&per_page=2")
    assert len(items) == 5  # still reachable in full


def test_keyset_pages_stay_within_the_token_s_scope(api_client, country):
    for code in ("karamay", "changzhi", "changzhi-luzhou"):
        add_years(country.agency[code], range(2016, 2024))
    own = {a.id for a in Agency.select().where(Agency.park == country.park["changzhi-luzhou"])}
    items, _pages = walk(api_client, country.token["luzhou_operator"], "/api/v1/agency-years?per_page=3&after_id=0")
    assert len(items) == 9 and {i["agency_id"] for i in items} <= own
    # An after_id beyond a foreign record's id neither shows it nor tells it exists.
    foreign = country.agency_year["karamay"].id
    body = api_client.get(f"/api/v1/agency-years?after_id={foreign - 1}&per_page=100",
                          headers=headers(country.token["luzhou_operator"])).get_json()
    assert foreign not in [i["id"] for i in body["items"]]


@pytest.mark.parametrize("query, field", [("after_id=3&page=2", "page"), ("after_id=-1", "after_id"),
                                          ("after_id=x", "after_id")])
def test_bad_paging_is_refused_naming_the_parameter(api_client, country, query, field):
    response = api_client.get(f"/api/v1/agency-years?{query}", headers=headers(country.token["admin"]))
    assert response.status_code == 422
    assert field in response.get_json()["errors"], response.get_json()


@pytest.mark.parametrize("per_page, page, refused", [(20, 500, False), (20, 501, True), (100, 100, False),
                                                     (100, 101, True), (1, 10_000, False), (1, 10_001, True)])
def test_numbered_pages_reach_as_far_as_the_count_and_point_beyond_to_after_id(api_client, country, per_page, page,
                                                                               refused):
    """A numbered page is an OFFSET: it may start within the first COUNT_LIMIT rows, no further."""
    assert schemas.COUNT_LIMIT == 10_000
    response = api_client.get(f"/api/v1/agency-years?per_page={per_page}&page={page}",
                              headers=headers(country.token["admin"]))
    if refused:
        assert response.status_code == 422
        assert "after_id" in " ".join(response.get_json()["errors"]["page"])
    else:
        assert response.status_code == 200 and response.get_json()["items"] == []
