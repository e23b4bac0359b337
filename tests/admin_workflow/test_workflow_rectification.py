"""Rectifications through the pages.

Issue 11 item 17 (长治 第二十条): the 不合格 year's grant is shown held (暂缓兑现) while the park
rectifies, payable again once the rectification passes, cancelled with its amount if it fails.
Issue 11 item 18 (克拉玛依 第十八条 “整改期满仍不合格”): before the deadline the page does not offer
“still unqualified”, a forged close is refused with the deadline named (Chinese and English), and
nothing is written; from the deadline on it revokes.
"""
import pytest

from admin_test_helpers import db_snapshot
from core.records.models import Assessment, JurisdictionYear, ParkYear, Recognition, Rectification, Subsidy
from tests.admin_workflow.pages import CHANGZHI_FAIL, DAY, KARAMAY_FAIL, element_text
from tests.admin_workflow.test_workflow_assessments import cz_recognition, enter, kr_recognition, page_of  # noqa: F401


def confirmed(browser, recognition, scores):
    enter(browser, recognition, scores)
    assessment = Assessment.get(Assessment.recognition == recognition)
    browser.post(f"/admin/assessment/{assessment.id}/confirm/", {"version": str(assessment.version)})
    return assessment, Rectification.get(Rectification.assessment == assessment)


def close(browser, rectification, outcome, remark="复核"):
    return browser.flashed(f"/admin/assessment/rectification/{rectification.id}/close/",
                           {"outcome": outcome, "remark": remark, "version": str(rectification.version)})


def test_issue_11_item_18_still_unqualified_is_refused_before_the_deadline(browse, kr_recognition, on_day):
    on_day(DAY(2026, 2, 10))
    city = browse("kr_city")
    assessment, rectification = confirmed(city, kr_recognition, KARAMAY_FAIL)
    assert rectification.deadline == DAY(2026, 8, 10)
    on_day(DAY(2026, 8, 9))
    page = city.html(page_of(assessment))
    assert f'id="outcome-{rectification.id}-failed" disabled' in page
    assert element_text(page, f"failure-from-{rectification.id}") == "整改期满（2026年8月10日）起方可认定整改后仍不合格（第十八条）。"
    before = db_snapshot()
    page = close(city, rectification, "failed", "复核仍不合格")
    assert "整改期限至2026年8月10日，整改期满（该日起）方可认定整改后仍不合格（第十八条“整改期满仍不合格”）" in page
    assert db_snapshot() == before
    city.post("/auth/language", {"lang": "en", "next": "/admin/"})
    page = close(city, rectification, "failed", "still unqualified")
    assert "the rectification runs until 2026-08-10: it can be found still unqualified only on or after that day" in page
    assert db_snapshot() == before


@pytest.mark.parametrize("day", [DAY(2026, 8, 10), DAY(2026, 8, 11)])
def test_issue_11_item_18_still_unqualified_from_the_deadline_revokes(browse, kr_recognition, on_day, day):
    on_day(DAY(2026, 2, 10))
    city = browse("kr_city")
    assessment, rectification = confirmed(city, kr_recognition, KARAMAY_FAIL)
    on_day(day)
    page = city.html(page_of(assessment))
    assert f'id="outcome-{rectification.id}-failed" disabled' not in page and "failure-from-" not in page
    page = close(city, rectification, "failed", "整改期满复核仍不合格")
    assert "consequence-revoke" in page
    recognition = Recognition.get_by_id(kr_recognition.id)
    assert (recognition.status, recognition.revoked_on) == ("revoked", day)


@pytest.fixture
def cz_unqualified(browse, town, cz_recognition, on_day):
    """长治: 2025 graded 不合格, a year whose employment (1,600 against a line of 1,500) earns 303,000."""
    JurisdictionYear.create(jurisdiction=town.j["changzhi"], year=2025, facts={"urban_new_jobs": 6000, "rural_transfer": 4000})
    ParkYear.create(park=town.cz_park, year=2025, employment_promoted=1600)
    on_day(DAY(2026, 3, 10))
    city = browse("cz_city")
    assessment, rectification = confirmed(city, cz_recognition, CHANGZHI_FAIL)
    grant = Subsidy.get((Subsidy.park == town.cz_park) & (Subsidy.kind == "operating_grant"))
    return city, assessment, rectification, grant


def test_issue_11_item_17_the_grant_is_shown_held_while_the_park_rectifies(cz_unqualified, cz_recognition):
    city, assessment, rectification, grant = cz_unqualified
    page = city.html(f"/admin/subsidy/details/?id={grant.id}")
    assert element_text(page, "subsidy-status") == "暂缓兑现（整改中）"
    assert element_text(page, "subsidy-amount") == "303,000.00元"
    assert 'id="form-subsidy-action"' not in page  # settled by the rectification, not by a button
    recognition_page = city.html(f"/admin/recognition/details/?id={cz_recognition.id}")
    assert "暂缓兑现（整改中）" in recognition_page


@pytest.mark.parametrize("outcome, status, words", [
    ("passed", "拟发放", ("第二十条第（二）项", "复核整改合格（整改到位）")),
    ("failed", "已取消", ("第二十条第（二）项", "取消2025年度基础运营经费补助¥303,000.00")),
])
def test_issue_11_item_17_the_rectification_releases_or_cancels_the_grant(cz_unqualified, outcome, status, words):
    city, assessment, rectification, grant = cz_unqualified
    page = close(city, rectification, outcome, "整改到位" if outcome == "passed" else "复核仍不合格")
    assert ("consequence-release_subsidy" if outcome == "passed" else "consequence-cancel_previous_cycle_subsidy") in page
    page = city.html(f"/admin/subsidy/details/?id={grant.id}")
    assert element_text(page, "subsidy-status") == status
    assert element_text(page, "subsidy-amount") == "303,000.00元"
    assert all(word in element_text(page, "status-reason") for word in words)
    assert ('id="action-approve"' in page) == (outcome == "passed")  # payable again: approve, then pay
