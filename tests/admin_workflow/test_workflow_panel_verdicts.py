"""The panel's verdicts on one form (第七条第（二）项 for Changzhi): every condition needing judgement
with met / not met / remark, saved together — all or none, a refusal naming its condition — with the
progress shown (2 of 4 judged) and the page returning to the conditions where the panel was."""
import re

import pytest

from admin_test_helpers import db_snapshot
from core.records.models import CriterionVerdict
from tests.admin_workflow.pages import DAY, application_at, element_text

JUDGED = ("planning_report", "facilities", "integrity", "social_benefit")  # Changzhi's judgement conditions


@pytest.fixture
def evaluation(town, app, on_day):
    from pathlib import Path

    on_day(DAY(2025, 9, 29))
    return application_at(town, Path(app.config["UPLOAD_DIR"]), "cz", "joint_evaluation")


def verdicts(application):
    return f"/admin/application/{application.id}/verdicts/"


def details(application):
    return f"/admin/application/details/?id={application.id}"


def form(**rows):
    """met-<id> and remark-<id> of each row given as (met, remark); met None leaves the radio unset."""
    data = {}
    for criterion_id, (met, remark) in rows.items():
        if met is not None:
            data[f"met-{criterion_id}"] = met
        data[f"remark-{criterion_id}"] = remark
    return data


def progress(html):
    match = re.search(r'id="judged-progress" data-judged="(\d+)" data-total="(\d+)"', html)
    return int(match.group(1)), int(match.group(2))


def test_every_row_on_one_form_is_saved_together_and_the_page_returns_to_the_conditions(browse, evaluation):
    panel = browse("cz_panel")
    html = panel.html(details(evaluation))
    assert sorted(re.findall(r'id="verdict-([^"]+)"', html)) == sorted(JUDGED)
    assert progress(html) == (0, 4) and element_text(html, "judged-progress") == "已评审0项，共4项"
    response = panel.post(verdicts(evaluation), form(**{c: ("1", "经评审，符合要求") for c in JUDGED}))
    assert response.status_code == 302 and response.headers["Location"].endswith("#criteria")
    page = panel.html(details(evaluation))
    assert progress(page) == (4, 4)
    assert {v.criterion_id: v.met for v in CriterionVerdict.select()} == dict.fromkeys(JUDGED, True)


def test_rows_left_blank_are_left_for_later(browse, evaluation):
    panel = browse("cz_panel")
    page = panel.flashed(verdicts(evaluation), form(planning_report=("1", "规划论证充分"), facilities=("0", "配套设施不全"),
                                                    integrity=(None, ""), social_benefit=(None, "")))
    assert "已记录2项评审意见" in page
    assert progress(page) == (2, 4)
    assert {v.criterion_id: v.met for v in CriterionVerdict.select()} == {"planning_report": True, "facilities": False}


def test_a_remark_without_met_or_not_met_saves_nothing_and_names_the_row(browse, evaluation):
    panel = browse("cz_panel")
    before = db_snapshot()
    page = panel.flashed(verdicts(evaluation), form(planning_report=("1", "规划论证充分"), integrity=(None, "待核实")))
    integrity_title = re.search(r'<tr id="criterion-integrity"[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td>([^<]+)</td>', page).group(1)
    assert "未保存" in page and integrity_title in re.search(r"未保存[^<]*", page).group(0)
    assert db_snapshot() == before


def test_a_refused_row_saves_none_of_the_others_and_is_named(browse, evaluation):
    panel = browse("cz_panel")
    before = db_snapshot()
    page = panel.flashed(verdicts(evaluation), form(planning_report=("1", "规划论证充分"), facilities=("1", "")))
    assert "评审意见" in page  # the remark the second row lacks
    facilities_title = re.search(r'<tr id="criterion-facilities"[^>]*>\s*<td[^>]*>[^<]*</td>\s*<td>([^<]+)</td>', page).group(1)
    assert f"“{facilities_title}”" in page
    assert db_snapshot() == before  # all or none: the first row was not kept either


def test_nothing_chosen_is_said_and_nothing_written(browse, evaluation):
    panel = browse("cz_panel")
    before = db_snapshot()
    page = panel.flashed(verdicts(evaluation), form(**{c: (None, "") for c in JUDGED}))
    assert "尚未选择任何评审意见" in page
    assert db_snapshot() == before


def test_only_the_stage_s_roles_at_the_stage_record_verdicts(browse, town, app, on_day, evaluation):
    from pathlib import Path

    other_city = application_at(town, Path(app.config["UPLOAD_DIR"]), "kr", "panel_review")
    county, operator, panel = browse("cz_county"), browse("cz_operator"), browse("cz_panel")
    before = db_snapshot()
    for browser in (county, operator):
        assert browser.post(verdicts(evaluation), form(planning_report=("1", "x"))).status_code == 403
    assert 'id="form-verdicts"' not in county.html(details(evaluation))
    assert panel.post(verdicts(other_city), form(planning_report=("1", "x"))).status_code == 404
    assert db_snapshot() == before
