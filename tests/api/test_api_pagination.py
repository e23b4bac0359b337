"""Lists at a province's size: `total` is counted only up to COUNT_LIMIT (null above it); `next`, `prev`
and `last` walk every record exactly once by id (keyset), filters and scope kept, whatever is added
meanwhile; a numbered page starts where the pages before it end."""
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from admin.api import schemas
from api_test_world import headers
from core.records.models import Agency, AgencyYear


def add_years(agency, years):
    return [AgencyYear.create(agency=agency, year=y, revenue=Decimal("100.00")) for y in years]


def walk(api_client, token, path, link="next"):
    """Every item reached by following `link` (next or prev) from `path`, and the pages fetched;
    walking back, the items come in the order read (each page's own in ascending id)."""
    items, pages, url = [], 0, path
    while url:
        response = api_client.get(url, headers=headers(token))
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"] if link == "next" else body["items"][::-1]
        pages += 1
        url = body[link]
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


def test_last_and_prev_walk_every_record_once_backwards_keeping_filters(api_client, country):
    agency = country.agency["changzhi"]
    add_years(agency, range(2010, 2024))  # 15 rows of this agency
    path = f"/api/v1/agency-years?agency_id={agency.id}&per_page=4"
    forwards, _pages = walk(api_client, country.token["admin"], path)
    first = api_client.get(path, headers=headers(country.token["admin"])).get_json()
    assert first["prev"] is None and first["page"] == 1
    assert parse_qs(urlsplit(first["last"]).query) == {"agency_id": [str(agency.id)], "per_page": ["4"], "page": ["last"]}
    last = api_client.get(first["last"], headers=headers(country.token["admin"])).get_json()
    ids = [i["id"] for i in forwards]
    # The last page is the greatest ids, in ascending order, whole: 15 = 3 × 4 + 3 reads 4 from the end.
    assert [i["id"] for i in last["items"]] == ids[-4:] and last["next"] is None and last["page"] is None
    assert parse_qs(urlsplit(last["prev"]).query)["before_id"] == [str(ids[-4])]
    backwards, pages = walk(api_client, country.token["admin"], first["last"], link="prev")
    assert [i["id"] for i in backwards] == ids[::-1] and pages == 4
    assert {i["agency_id"] for i in backwards} == {agency.id}


def test_a_page_reached_backwards_links_forwards_again(api_client, country):
    agency = country.agency["changzhi"]
    add_years(agency, range(2010, 2020))  # 11 rows
    sent = headers(country.token["admin"])
    ids = [i["id"] for i in walk(api_client, country.token["admin"], f"/api/v1/agency-years?agency_id={agency.id}")[0]]
    middle = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=3&before_id={ids[6]}",
                            headers=sent).get_json()
    assert [i["id"] for i in middle["items"]] == ids[3:6]
    assert parse_qs(urlsplit(middle["next"]).query)["after_id"] == [str(ids[5])]
    assert parse_qs(urlsplit(middle["prev"]).query)["before_id"] == [str(ids[3])]
    start = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page=3&before_id={ids[2]}",
                           headers=sent).get_json()
    assert [i["id"] for i in start["items"]] == ids[:2] and start["prev"] is None and start["next"]
    # Before the first record: nothing, and nothing further back; after the last: nothing either way.
    none = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&before_id={ids[0]}", headers=sent).get_json()
    assert none["items"] == [] and none["prev"] is None and none["next"] is None
    beyond = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&after_id={ids[-1]}", headers=sent).get_json()
    assert beyond["items"] == [] and beyond["prev"] is None and beyond["next"] is None


@pytest.mark.parametrize("per_page", [1, 3, 4, 11, 12])
def test_a_numbered_page_holds_the_records_of_its_place_and_links_both_ways(api_client, country, per_page):
    agency = country.agency["karamay"]
    add_years(agency, range(2010, 2020))  # 11 rows
    sent = headers(country.token["admin"])
    ids = [i["id"] for i in walk(api_client, country.token["admin"], f"/api/v1/agency-years?agency_id={agency.id}")[0]]
    assert len(ids) == 11
    pages = (11 + per_page - 1) // per_page
    for number in range(1, pages + 2):  # one past the end: empty
        body = api_client.get(f"/api/v1/agency-years?agency_id={agency.id}&per_page={per_page}&page={number}",
                              headers=sent).get_json()
        expected = ids[(number - 1) * per_page:number * per_page]
        assert [i["id"] for i in body["items"]] == expected and body["page"] == number
        assert (body["next"] is not None) == (number < pages)
        assert (body["prev"] is not None) == (1 < number <= pages)
        if body["prev"]:
            before = api_client.get(body["prev"], headers=sent).get_json()
            assert [i["id"] for i in before["items"]] == ids[(number - 2) * per_page:(number - 1) * per_page]


def test_last_and_prev_stay_within_the_token_s_scope(api_client, country):
    for code in ("karamay", "changzhi", "changzhi-luzhou"):
        add_years(country.agency[code], range(2016, 2024))
    own = {a.id for a in Agency.select().where(Agency.park == country.park["changzhi-luzhou"])}
    items, _pages = walk(api_client, country.token["luzhou_operator"], "/api/v1/agency-years?per_page=2&page=last",
                         link="prev")
    assert len(items) == 9 and {i["agency_id"] for i in items} <= own
    # A before_id past a foreign record neither shows it nor tells it exists.
    foreign = country.agency_year["karamay"].id
    body = api_client.get(f"/api/v1/agency-years?before_id={foreign + 1}&per_page=100",
                          headers=headers(country.token["luzhou_operator"])).get_json()
    assert foreign not in [i["id"] for i in body["items"]]


@pytest.mark.parametrize("query, field", [("before_id=3&after_id=2", "after_id"), ("page=last&before_id=9", "page"),
                                          ("page=2&before_id=9", "page"), ("before_id=0", "before_id"),
                                          ("before_id=-3", "before_id"), ("page=LAST", "page"), ("page=0", "page"),
                                          ("page=1e3", "page"), ("page=", "page"), ("page=%20last", "page")])
def test_bad_backward_paging_is_refused_naming_the_parameter(api_client, country, query, field):
    response = api_client.get(f"/api/v1/agency-years?{query}", headers=headers(country.token["admin"]))
    assert response.status_code == 422
    assert field in response.get_json()["errors"], response.get_json()
