"""A whole year's scores on one grid: each recognised park of the programme not yet assessed for the
year is a row, each indicator a column. Previewing computes grades and consequences and writes nothing;
saving writes every scored row as a draft in one transaction — a row half-filled, or a score out of
range, refuses it all, naming the park (row) and the indicator (column)."""
import re

import pytest

from admin_test_helpers import db_snapshot
from core.records.models import Assessment, Recognition
from tests.admin_workflow.pages import CHANGZHI_FAIL, CHANGZHI_PASS

GRID = "/admin/assessment/grid/"


@pytest.fixture
def parks(grid_parks):
    return grid_parks[:2]


def scores(recognition, values):
    return {f"score-{recognition.id}-{k}": v for k, v in values.items()}


def rows(html):
    return re.findall(r'id="grid-row-(\d+)"', html)


def result(html, recognition):
    cell = re.search(rf'id="grid-row-{recognition.id}">.*?class="grid-result small">(.*?)</td>', html, re.S).group(1)
    return re.sub(r"<[^>]+>|\s+", "", cell)


def test_the_grid_lists_the_programme_s_parks_not_yet_assessed_with_a_column_per_indicator(browse, parks):
    first, second = parks
    city = browse("cz_city")
    html = city.html(f"{GRID}?year=2025")
    assert rows(html) == sorted([str(first.id), str(second.id)], key=lambda i: Recognition.get_by_id(i).official_name)
    assert all(f'name="score-{first.id}-{k}"' in html for k in CHANGZHI_PASS)
    assert "独山子" not in html  # Karamay's park: another city, another programme
    assert 'id="grid-assessments"' in city.html("/admin/assessment/")


def test_preview_computes_grades_and_consequences_and_writes_nothing(browse, parks):
    first, second = parks
    city = browse("cz_city")
    before = db_snapshot()
    page = city.flashed(f"{GRID}?year=2025", {**scores(first, CHANGZHI_PASS), **scores(second, CHANGZHI_FAIL),
                                              "preview": "1"})
    assert result(page, first).startswith("合格（80.00）")
    assert result(page, second).startswith("不合格（50.00）") and "第二十条" in result(page, second)
    assert 'id="grid-save"' in page
    assert db_snapshot() == before


def test_saving_writes_every_scored_row_as_a_draft(browse, parks):
    first, second = parks
    city = browse("cz_city")
    response = city.post(f"{GRID}?year=2025", {**scores(first, CHANGZHI_PASS), **scores(second, CHANGZHI_FAIL),
                                               "save": "1"})
    assert response.status_code == 302
    drafts = {a.recognition_id: (a.grade, a.status) for a in Assessment.select().where(Assessment.year == 2025)}
    assert drafts == {first.id: ("qualified", "draft"), second.id: ("unqualified", "draft")}
    assert "均已有2025年度考核记录" in city.html(f"{GRID}?year=2025")


def test_a_half_filled_row_saves_nothing_and_names_its_park_and_indicator(browse, parks):
    first, second = parks
    city = browse("cz_city")
    before = db_snapshot()
    half = dict(CHANGZHI_PASS, role_played="")
    page = city.flashed(f"{GRID}?year=2025", {**scores(first, CHANGZHI_PASS), **scores(second, half), "save": "1"})
    message = re.search(r"未保存：[^<]*", page).group(0)
    assert f"{second.official_name} · 作用发挥情况" in message and first.official_name not in message
    assert db_snapshot() == before


@pytest.mark.parametrize("score", ["101", "-1", "abc", "1e309"])
def test_a_score_out_of_range_refuses_the_whole_save_naming_the_park(browse, parks, score):
    first, second = parks
    city = browse("cz_city")
    before = db_snapshot()
    bad = dict(CHANGZHI_PASS, economic_development=score)
    page = city.flashed(f"{GRID}?year=2025", {**scores(first, CHANGZHI_PASS), **scores(second, bad), "save": "1"})
    assert "未保存任何记录" in page and second.official_name in page
    assert db_snapshot() == before  # the first, valid row was not kept either


def test_only_the_assessing_role_reaches_the_grid(browse, parks):
    for account in ("cz_county", "cz_finance", "cz_operator"):
        assert browse(account).get(f"{GRID}?year=2025").status_code == 403, account
