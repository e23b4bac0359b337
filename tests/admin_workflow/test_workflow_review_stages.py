"""Issue 11 item 11 on the application page: verdicts and waivers offered only at the stage the
procedure names for them, a forged one refused with a flash message naming the stage (nothing
written), and a changed verdict shown with the earlier one, who gave it and when."""
from pathlib import Path

from admin_test_helpers import db_snapshot
from core.records.models import Application, CriterionVerdict, Site
from tests.admin_workflow.pages import DAY, application_at, form_ids
from tests.admin_workflow.test_workflow_applications import criterion_row, details


def upload_dir(app):
    return Path(app.config["UPLOAD_DIR"])


def verdict_url(application):
    return f"/admin/application/{application.id}/verdict/"


def test_issue_11_item_11_no_verdict_form_and_a_forged_verdict_refused_after_the_panel(app, browse, town, on_day):
    """长治 第七条第（二）项: once the joint evaluation has passed, the panel's verdicts stand."""
    on_day(DAY(2025, 9, 29))
    application = application_at(town, upload_dir(app), "cz", "public_notice")
    panel = browse("cz_panel")
    page = panel.html(details(application))
    assert "form-verdicts" not in form_ids(page) and 'id="verdict-' not in page
    assert "评审判断在申请处于“联合评审与实地考察中”时记录" in page
    before = db_snapshot()
    page = panel.flashed(verdict_url(application), {"criterion_id": "planning_report", "met": "0", "remark": "事后改判"})
    assert "记录评审判断只能在申请处于“联合评审与实地考察中”时办理（第七条第（二）项），申请当前为“公示中”" in page
    assert db_snapshot() == before


def test_issue_11_item_11_a_forged_verdict_on_a_draft_reads_english_in_english_mode(app, browse, town):
    application = application_at(town, upload_dir(app), "kr", "draft")
    panel = browse("kr_panel")
    panel.post("/auth/language", {"lang": "en", "next": "/admin/"})
    before = db_snapshot()
    page = panel.flashed(verdict_url(application), {"criterion_id": "development_plan", "met": "1", "remark": "ok"})
    assert "one can record a verdict only in the state “under review by the panel" in page
    assert "记录评审判断" not in page
    assert db_snapshot() == before


def test_issue_11_item_11_a_waiver_is_not_offered_nor_taken_before_the_joint_evaluation(app, browse, town):
    for i in range(4):
        Site.create(park=town.cz_park, name=f"分园区{i}", is_core=False, floor_area="600")
    application = application_at(town, upload_dir(app), "cz", "city_review")
    city = browse("cz_city")
    assert "form-waiver-branch_sites" not in form_ids(city.html(details(application)))
    before = db_snapshot()
    page = city.flashed(f"/admin/application/{application.id}/waiver/", {"criterion_id": "branch_sites", "reason": "提前豁免"})
    assert "豁免“原则上”条件只能在申请处于“联合评审与实地考察中”时办理（第七条第（二）项），申请当前为“市人社局审核中”" in page
    assert db_snapshot() == before


def test_issue_11_item_11_the_page_shows_a_changed_verdict_with_the_earlier_one(app, browse, town):
    application = application_at(town, upload_dir(app), "kr", "panel_review")
    panel, city = browse("kr_panel"), browse("kr_city")
    panel.flashed(verdict_url(application), {"criterion_id": "development_plan", "met": "0", "remark": "规划不具体"})
    page = city.flashed(verdict_url(application), {"criterion_id": "development_plan", "met": "1", "remark": "补充后符合"})
    _status, final, cells = criterion_row(page, "development_plan")
    assert final == "judged_met"
    assert "kr_city" in cells[5] and "补充后符合" in cells[5]
    assert "此前的评审判断（kr_panel" in cells[5] and "不符合 — 规划不具体" in cells[5]
    verdict = CriterionVerdict.get(CriterionVerdict.application == application)
    assert (verdict.met, verdict.reviewer, verdict.version) == (True, "kr_city", 2)
    assert Application.get_by_id(application.id).state == "panel_review"
