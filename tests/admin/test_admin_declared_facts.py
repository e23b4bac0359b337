"""Facts a programme declares (its facts.yaml) are fields of the back office's forms, made from the
declaration: a park-year form shows the facts of its park's measures and no other's, a value is
checked by its declaration before anything is written, and what is saved is what the rules read."""
import pytest

from admin_test_helpers import as_post, db_snapshot, form_fields, login_as
from admin_test_world import build_world
from core.records.models import JurisdictionYear, Park, ParkYear
from core.rules.facts import load_park_facts


@pytest.fixture
def world(db, tmp_path):
    return build_world(upload_dir=tmp_path / "uploads")


@pytest.fixture
def app(make_app, world):
    from core.plugin.registry import registry

    return make_app(REGISTRY=registry())  # the installed cities, whose facts.yaml declare the facts


def signed_in(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def with_values(fields, **values):
    return [(k, v) for k, v in fields if k not in values] + list(values.items())


def test_a_park_year_form_offers_the_facts_of_its_parks_measures_only(app, world):
    karamay = signed_in(app, world.user["karamay_county_officer"])
    page = karamay.get(f"/admin/park_year/edit/?id={world.park_year['dushanzi'].id}").get_data(as_text=True)
    assert 'name="fact_incubation_subsidy_claimed"' in page and "已享受孵化基地补贴（第二十条）" in page
    changzhi = signed_in(app, world.user["changzhi_county_officer"])
    page = changzhi.get(f"/admin/park_year/edit/?id={world.park_year['luzhou'].id}").get_data(as_text=True)
    assert "fact_incubation_subsidy_claimed" not in page and 'name="events_held"' in page


def test_a_declared_fact_is_saved_in_the_years_facts_and_read_by_the_rules(app, world):
    client = signed_in(app, world.user["karamay_county_officer"])
    record = world.park_year["dushanzi"]
    path = f"/admin/park_year/edit/?id={record.id}"
    fields = form_fields(client.get(path).get_data(as_text=True))
    assert client.post(path, data=as_post(with_values(fields, fact_incubation_subsidy_claimed="y"))).status_code == 302
    stored = ParkYear.get_by_id(record.id)
    assert (stored.facts, stored.version) == ({"incubation_subsidy_claimed": True}, 2)
    assert load_park_facts([record.park_id])[record.park_id].years[2024].facts == {"incubation_subsidy_claimed": True}
    fields = [(k, v) for k, v in form_fields(client.get(path).get_data(as_text=True)) if k != "fact_incubation_subsidy_claimed"]
    assert client.post(path, data=as_post(fields)).status_code == 302  # the box unticked
    assert ParkYear.get_by_id(record.id).facts == {"incubation_subsidy_claimed": False}


def test_a_jurisdictions_yearly_facts_are_checked_by_their_declaration_then_read_by_its_districts_parks(app, world):
    client = signed_in(app, world.user["changzhi_city_officer"])
    page = client.get("/admin/jurisdiction_year/new/").get_data(as_text=True)
    assert 'name="fact_urban_new_jobs"' in page and "城镇新增就业目标（第十条）" in page
    assert "fact_incubation_subsidy_claimed" not in page  # Karamay's, outside this officer's programmes
    fields = with_values(form_fields(page), jurisdiction=str(world.j["changzhi"].id), year="2030",
                         fact_urban_new_jobs="-5", fact_rural_transfer="20000")
    before = db_snapshot()
    refused = client.post("/admin/jurisdiction_year/new/", data=as_post(fields)).get_data(as_text=True)
    assert "城镇新增就业目标（第十条）: 数值必须大于 0" in refused and db_snapshot() == before
    fields = with_values(fields, fact_urban_new_jobs="30000")
    assert client.post("/admin/jurisdiction_year/new/", data=as_post(fields)).status_code == 302
    assert JurisdictionYear.get(JurisdictionYear.year == 2030).facts == {"urban_new_jobs": 30000, "rural_transfer": 20000}
    park = world.park["luzhou"]  # a district park reads its city's year, the district having entered none
    entered = load_park_facts([park.id])[park.id].jurisdiction_years[2030]
    assert (entered.facts["urban_new_jobs"], entered.set_by) == (30000, "changzhi")


def test_a_parks_list_fact_is_entered_one_per_line(app, world):
    client = signed_in(app, world.user["karamay_county_officer"])
    park = world.park["dushanzi"]
    path = f"/admin/park/edit/?id={park.id}"
    fields = form_fields(client.get(path).get_data(as_text=True))
    fields = with_values(fields, fact_district_support_measures="房租补贴\n\n 引才奖励 ", fact_special_fund="y")
    assert client.post(path, data=as_post(fields)).status_code == 302
    assert Park.get_by_id(park.id).facts == {"district_support_measures": ["房租补贴", "引才奖励"], "special_fund": True}
