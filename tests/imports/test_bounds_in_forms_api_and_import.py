"""Issue 11 item 13: the back-office forms refuse what the API and the import refuse — negative
money, negative counts, year 0 or −5, a 26-digit revenue, a third decimal place — each naming
the field, because all three read the bounds a model column declares (core.records.bounds). The forms
used to accept them, and on SQLite such a value then broke the record's pages, the table's
export and the API list. Each bound is tried on both sides."""
import csv
import io
import re

import pytest

from admin.api import schemas
from admin.presentation import label_for
from admin_test_helpers import as_post, db_snapshot, form_fields, login_as
from api_test_world import headers
from core.io import tabular
from core.records.audit import Actor
from core.records.bounds import bounds_of
from core.records.models import AgencyYear, ParkYear

#: (field, value, what the refusal says) — the Chinese half, as the form shows it.
REFUSED = [
    ("revenue", "-1", "不能为负数"),
    ("revenue", "99999999999999999999999999", "不能超过99999999999999.99"),
    ("revenue", "100000000000000.00", "不能超过99999999999999.99"),
    ("tax", "-0.01", "不能为负数"),
    ("pass_through", "1.234", "最多两位小数"),
    ("year", "0", "年份应在1990至2100之间"),
    ("year", "-5", "年份应在1990至2100之间"),
    ("year", "1989", "年份应在1990至2100之间"),
    ("year", "2101", "年份应在1990至2100之间"),
    ("employment_helped", "-1", "不能为负数"),
    ("employment_helped", "2147483648", "不能超过2147483647"),
]
#: The other side of each bound: accepted by all three.
ACCEPTED = [
    ("revenue", "99999999999999.99"), ("revenue", "0"), ("tax", "0.01"), ("pass_through", "1.23"),
    ("year", "1990"), ("year", "2100"), ("employment_helped", "0"), ("employment_helped", "2147483647"),
]
HEADERS = {"revenue": "营业收入（元）", "tax": "纳税额（元）", "pass_through": "代收代付（元）", "year": "年度",
           "employment_helped": "帮助就业人数"}


def figures(field, value):
    """An agency's yearly figures with `field` set to `value` (a year unused by the world)."""
    return {"year": "2019", "revenue": "1000", "pass_through": "0", "tax": "0", "employment_helped": "1", field: value}


@pytest.fixture
def operator(api_app, country):
    client = api_app.test_client()
    login_as(client, country.user["luzhou_operator"])
    return client


def post_form(client, agency, values):
    fields = form_fields(client.get("/admin/agency_year/new/").get_data(as_text=True))
    return client.post("/admin/agency_year/new/", data=as_post(fields, agency=str(agency.id), **values))


def post_api(client, country, agency, values):
    body = {k: (int(v) if k in ("year", "employment_helped") else v) for k, v in values.items()}
    return client.post(f"/api/v1/agencies/{agency.id}/years", json=body, headers=headers(country.token["luzhou_operator"]))


def import_csv(country, agency, values):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["许可证/备案编号"] + [HEADERS[k] for k in values])
    writer.writerow([agency.licence_no] + list(values.values()))
    park = country.park["changzhi-luzhou"]
    actor = Actor("lz_operator", "park_operator", jurisdiction_ids=frozenset(), park_id=park.id)
    return tabular.import_table("figures.csv", buffer.getvalue().encode("utf-8-sig"), park, actor)


@pytest.mark.parametrize("field, value, reason", REFUSED)
def test_issue_11_item_13_forms_api_and_import_refuse_the_same_values_naming_the_field(
        api_client, operator, country, field, value, reason):
    agency = country.agency["changzhi-luzhou"]
    values = figures(field, value)
    before = db_snapshot()

    page = post_form(operator, agency, values).get_data(as_text=True)
    flashed = " ".join(re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', page, re.S))
    with api_client.application.test_request_context():
        label = str(label_for(AgencyYear, field))  # the field's name on the form
    assert f"未保存，请更正：{label}: {reason}" in flashed, flashed

    response = post_api(api_client, country, agency, values)
    assert response.status_code == 422
    assert any(reason in message for message in response.get_json()["errors"][field])

    with pytest.raises(tabular.ImportRefused) as refused:
        import_csv(country, agency, values)
    [problem] = refused.value.problems
    assert problem.header == HEADERS[field] and reason in problem.message

    snapshot = db_snapshot()
    snapshot.pop("api_token"), before.pop("api_token")  # a token's last use is recorded, by design
    assert snapshot == before


@pytest.mark.parametrize("field, value", ACCEPTED)
def test_issue_11_item_13_the_other_side_of_each_bound_is_accepted_everywhere(api_client, operator, country, field, value):
    agency = country.agency["changzhi-luzhou"]
    values = figures(field, value)
    year = int(values["year"])
    assert post_form(operator, agency, values).status_code == 302
    AgencyYear.delete().where((AgencyYear.agency == agency) & (AgencyYear.year == year)).execute()
    assert post_api(api_client, country, agency, values).status_code == 201
    AgencyYear.delete().where((AgencyYear.agency == agency) & (AgencyYear.year == year)).execute()
    import_csv(country, agency, values)
    assert AgencyYear.get((AgencyYear.agency == agency) & (AgencyYear.year == year))


def test_issue_11_item_13_a_park_s_own_counts_are_held_to_them_in_the_form_too(operator, country):
    park = country.park["changzhi-luzhou"]
    fields = form_fields(operator.get("/admin/park_year/new/").get_data(as_text=True))
    before = db_snapshot()
    page = operator.post("/admin/park_year/new/", data=as_post(fields, park=str(park.id), year="2019", events_held="-3"))
    assert "不能为负数" in page.get_data(as_text=True)
    assert db_snapshot() == before


@pytest.mark.parametrize("model, name", [
    (AgencyYear, "year"), (AgencyYear, "revenue"), (AgencyYear, "pass_through"), (AgencyYear, "tax"),
    (AgencyYear, "employment_helped"), (ParkYear, "year"), (ParkYear, "events_held"), (ParkYear, "people_served"),
])
def test_issue_11_item_13_one_declaration_per_column_is_what_each_path_reads(api_app, model, name):
    """The form's validator, the API field and the import column all hold the column's own Bounds."""
    column = getattr(model, name)
    declared = bounds_of(column)
    assert declared is not None
    view = next(v for v in api_app.extensions["hrpark_admin"]._views if getattr(v, "model", None) is model)
    with api_app.test_request_context():
        validators = getattr(view.get_create_form(), name).kwargs["validators"]
    assert any(getattr(v, "bounds", None) is declared for v in validators)
    schema = {AgencyYear: schemas.AgencyYearIn, ParkYear: schemas.ParkYearIn}[model]
    assert schema._declared_fields[name].bounds is declared
    kind = {AgencyYear: tabular.AGENCY_YEARS, ParkYear: tabular.PARK_YEARS}[model]
    [import_column] = [c for c in tabular.COLUMNS[kind] if c.key == name]
    assert import_column.read.keywords["bounds"] is declared
