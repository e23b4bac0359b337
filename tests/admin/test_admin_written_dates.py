"""Dates in the back office's forms as people write them (issue 11 item 3): 2025年3月1日, 2025/3/1
and 2025-3-1 are read by core.rules.dates, the reader the import uses too; the box offers Flask-Admin's
date picker and stays typeable; a date that is not one is refused naming the accepted ways."""
import datetime
import re

import pytest

from admin_test_helpers import as_post, db_snapshot, form_fields, login_as
from core.records.models import HolidayDay, Park, Site


@pytest.fixture
def county(app, scoping_world):
    client = app.test_client()
    login_as(client, scoping_world.user["changzhi_county_officer"])  # 潞州区
    return client


@pytest.mark.parametrize("typed", ["2025年3月1日", "2025/3/1", "2025-3-1", "2025-03-01"])
def test_issue_11_item_3_park_and_site_dates_are_typed_as_people_write_them(county, scoping_world, typed):
    park, site = scoping_world.park["luzhou"], scoping_world.site["luzhou"]
    path = f"/admin/park/edit/?id={park.id}"
    fields = form_fields(county.get(path).get_data(as_text=True))
    response = county.post(path, data=as_post(fields, registration_date=typed, **{"sites-0-approved_on": typed}))
    assert response.status_code == 302
    assert Park.get_by_id(park.id).registration_date == datetime.date(2025, 3, 1)
    assert Site.get_by_id(site.id).approved_on == datetime.date(2025, 3, 1)


def test_issue_11_item_3_a_date_box_offers_the_picker_and_takes_typed_text(county, scoping_world):
    page = county.get(f"/admin/park/edit/?id={scoping_world.park['luzhou'].id}").get_data(as_text=True)
    for name in ("registration_date", "sites-0-approved_on", "agencies-0-admitted_on"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'type="text"' in box and 'data-role="datepicker"' in box, box


def test_issue_11_item_3_a_holiday_is_entered_as_2031年1月1日(app, scoping_world):
    client = app.test_client()
    login_as(client, scoping_world.user["changzhi_city_officer"])
    fields = form_fields(client.get("/admin/holiday/new/").get_data(as_text=True))
    assert client.post("/admin/holiday/new/", data=as_post(fields, day="2031年1月1日", name="元旦")).status_code == 302
    assert HolidayDay.get(HolidayDay.name == "元旦").day == datetime.date(2031, 1, 1)


@pytest.mark.parametrize("typed", ["2025-02-30", "2025/13/1", "明年三月", "1e309"])
def test_issue_11_item_3_a_refused_date_names_the_accepted_ways_in_both_languages(county, scoping_world, typed):
    park = scoping_world.park["luzhou"]
    path = f"/admin/park/edit/?id={park.id}"
    fields = form_fields(county.get(path).get_data(as_text=True))
    before = db_snapshot()
    page = county.post(path, data=as_post(fields, registration_date=typed)).get_data(as_text=True)
    assert "不是有效的日期，可写作 2025-03-01、2025-3-1、2025/3/1 或 2025年3月1日" in page
    assert db_snapshot() == before
    county.post("/auth/language", data={"lang": "en", "csrf_token": dict(fields)["csrf_token"]})
    page = county.post(path, data=as_post(fields, registration_date=typed)).get_data(as_text=True)
    assert "Not a valid date: write it as 2025-03-01, 2025-3-1, 2025/3/1 or 2025年3月1日." in page
    assert db_snapshot() == before
