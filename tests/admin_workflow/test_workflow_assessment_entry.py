"""Entering an assessment from the assessment list: the role that assesses finds every recognised park
of its jurisdiction with the year due — the earliest year since recognition, up to last year, not yet
entered — and the entry form starts at that year, not at one already entered."""
import re

import pytest

from core.records.models import Assessment, Recognition
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import CHANGZHI_PASS, DAY

LIST, ENTER = "/admin/assessment/", "/admin/assessment/enter/"


def recognise(park, on):
    return Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=on,
                              official_name=rules_for(park.jurisdiction).recognised_name(park.name))


def year_due(html, recognition):
    return int(re.search(rf'id="choice-{recognition.id}">.*?class="year-due">(\d+)<', html, re.S).group(1))


def enter(browser, recognition, year):
    data = {f"score-{k}": v for k, v in CHANGZHI_PASS.items()}
    data["year"] = str(year)
    return browser.post(f"{ENTER}?recognition_id={recognition.id}", data)


def test_the_list_offers_entry_to_the_assessors_only(browse, town):
    assert 'id="enter-assessment"' in browse("cz_city").html(LIST)
    for account in ("cz_county", "cz_finance"):
        page = browse(account).get(LIST)
        assert page.status_code == 403 or 'id="enter-assessment"' not in page.get_data(as_text=True), account
        assert browse(account).get(ENTER).status_code == 403, account


def test_the_year_due_is_the_earliest_not_yet_entered_up_to_last_year(browse, town, on_day):
    on_day(DAY(2026, 2, 10))
    older = recognise(town.cz_park, DAY(2024, 3, 1))
    recognise(town.kr_park, DAY(2025, 3, 1))
    city = browse("cz_city")
    html = city.html(ENTER)
    assert "独山子" not in html  # another city's park
    assert year_due(html, older) == 2024
    assert 'value="2024"' in city.html(f"{ENTER}?recognition_id={older.id}")
    assert enter(city, older, 2024).status_code == 302
    assert year_due(city.html(ENTER), older) == 2025
    assert enter(city, older, 2025).status_code == 302
    assert year_due(city.html(ENTER), older) == 2025  # nothing left: last year, already entered, is shown
    Assessment.update(status="cancelled").where(Assessment.year == 2024).execute()
    assert year_due(city.html(ENTER), older) == 2024  # a cancelled one is due again


def test_a_park_recognised_this_year_is_due_for_this_year(browse, town, on_day):
    on_day(DAY(2026, 2, 10))
    new = recognise(town.cz_park, DAY(2026, 1, 15))
    assert year_due(browse("cz_city").html(ENTER), new) == 2026


def test_the_choice_costs_the_same_queries_for_one_park_or_many(browse, town, world, db, on_day):
    from tests.builders import make_park
    from tests.statements import counting

    on_day(DAY(2026, 2, 10))
    recognise(town.cz_park, DAY(2024, 3, 1))
    city = browse("cz_city")
    city.html(ENTER)
    with counting(db) as one:
        city.html(ENTER)
    for i in range(5):
        recognise(make_park(world["shangdang"], name=f"上党园区{i}"), DAY(2024, 3, 1))
    with counting(db) as six:
        html = city.html(ENTER)
    assert html.count('class="year-due">2024<') == 6
    assert len(six) == len(one), (one, six)
