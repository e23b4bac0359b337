"""Recognitions and annual assessments through the pages: indicator entry, the computed grade at
both sides of each cut-off, the consequences previewed with their articles and applied only when
an officer confirms, rectifications closed with an outcome (a failed one revokes in Karamay),
drafts cancelled with a reason, and the refusals."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import re

import pytest

from admin_test_helpers import db_snapshot
from core.records.models import Assessment, Recognition, Rectification, Subsidy
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import (
    CHANGZHI_FAIL,
    CHANGZHI_PASS,
    DAY,
    KARAMAY_FAIL,
    KARAMAY_PASS,
    buttons,
    element_text,
    form_ids,
)


@pytest.fixture
def cz_recognition(town):
    park = town.cz_park
    return Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=DAY(2025, 3, 1),
                              official_name=rules_for(park.jurisdiction).recognised_name(park.name))


@pytest.fixture
def kr_recognition(town):
    park = town.kr_park
    return Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=DAY(2025, 3, 1),
                              official_name=rules_for(park.jurisdiction).recognised_name(park.name))


def enter(browser, recognition, scores, year="2025"):
    data = {f"score-{k}": v for k, v in scores.items()}
    data["year"] = year
    return browser.post(f"/admin/assessment/enter/?recognition_id={recognition.id}", data, follow=True)


def page_of(assessment):
    return f"/admin/assessment/details/?id={assessment.id}"


def consequences(html):
    return re.findall(r'class="list-group-item consequence consequence-([a-z_]+)">.*?class="badge badge-light article">([^<]+)<',
                      html, re.S)


def test_the_recognition_page_offers_assessment_entry_to_the_city_bureau_only(browse, cz_recognition):
    city, county, operator = browse("cz_city"), browse("cz_county"), browse("cz_operator")
    path = f"/admin/recognition/details/?id={cz_recognition.id}"
    assert 'id="enter-assessment"' in city.html(path)
    assert 'id="enter-assessment"' not in county.html(path)
    assert "长治上党人力资源服务产业园" in operator.html(path)
    assert county.get(f"/admin/assessment/enter/?recognition_id={cz_recognition.id}").status_code == 403
    assert browse("kr_city").get(f"/admin/assessment/enter/?recognition_id={cz_recognition.id}").status_code == 404
    html = city.html(f"/admin/assessment/enter/?recognition_id={cz_recognition.id}")
    for indicator in rules_for(cz_recognition.jurisdiction).indicators(RULES_DAY):  # 第十九条's three headings
        row = re.search(rf'<tr id="indicator-{indicator.id}">(.*?)</tr>', html, re.S).group(1)
        assert indicator.label in row and indicator.article in row and "本地默认值" in row


def test_changzhi_unqualified_previews_then_orders_rectification_and_holds(browse, town, cz_recognition, on_day):
    """第二十条第（二）项: 不合格 → rectification within the deadline; only 合格 and above are paid, so the
    year's grant is held meanwhile (issue 11 item 17)."""
    on_day(DAY(2026, 2, 10))
    city = browse("cz_city")
    page = enter(city, cz_recognition, CHANGZHI_FAIL).get_data(as_text=True)
    assessment = Assessment.get(Assessment.recognition == cz_recognition)
    assert element_text(page, "grade") == "不合格" and element_text(page, "total-score") == "50.00"
    assert element_text(page, "grade-article") == "第二十条"
    assert element_text(page, "assessment-status") == "草稿（尚未确认）"
    assert consequences(page) == [("rectify", "第二十条第（二）项"), ("hold_subsidy", "第二十条第（一）项、第（二）项")]
    assert "责令其限期6个月内整改" in page
    assert not Rectification.select().exists()  # nothing happens before an officer confirms

    page = city.flashed(f"/admin/assessment/{assessment.id}/confirm/", {"version": str(assessment.version)})
    assert element_text(page, "assessment-status") == "已确认"
    rectification = Rectification.get(Rectification.assessment == assessment)
    assert rectification.deadline == DAY(2026, 8, 10)
    assert element_text(page, f"rectification-{rectification.id}").startswith("期限：2026年8月10日")
    assert Recognition.get_by_id(cz_recognition.id).status == "rectifying"
    assert "form-confirm" not in form_ids(page)  # confirmed once, for good
    recognition_page = city.html(f"/admin/recognition/details/?id={cz_recognition.id}")
    assert element_text(recognition_page, "recognition-status") == "限期整改中"


@pytest.mark.parametrize("score, grade", [
    ("59.99", "不合格"), ("60", "合格"), ("89.99", "合格"), ("90", "优秀"),
])
def test_the_grade_at_both_sides_of_each_cut_off(browse, cz_recognition, score, grade):
    """The cut-offs are local defaults (the measures name the grades, not the scores): 以上 includes them."""
    page = enter(browse("cz_city"), cz_recognition, {k: score for k in CHANGZHI_PASS}).get_data(as_text=True)
    assert element_text(page, "grade") == grade
    assert "本地默认值，办法未规定" in page


@pytest.mark.parametrize("scores, year, message", [
    ({**CHANGZHI_PASS, "role_played": "101"}, "2025", "超出0–100"),
    ({**CHANGZHI_PASS, "role_played": "很好"}, "2025", "不是数值"),
    ({"role_played": "80"}, "2025", "未打分的指标"),
    (CHANGZHI_PASS, "二〇二五", "年度须为整数"),
    (CHANGZHI_PASS, "2024", "2024年早于认定年份2025年"),
])
def test_bad_scores_are_refused_naming_what_is_wrong(browse, cz_recognition, scores, year, message):
    city = browse("cz_city")
    before = db_snapshot()
    response = enter(city, cz_recognition, scores, year=year)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db_snapshot() == before


def test_confirmation_is_refused_to_other_roles_and_other_cities(browse, cz_recognition):
    city, county, kr_city = browse("cz_city"), browse("cz_county"), browse("kr_city")
    enter(city, cz_recognition, CHANGZHI_PASS)
    assessment = Assessment.get(Assessment.recognition == cz_recognition)
    assert "form-confirm" not in form_ids(county.html(page_of(assessment)))
    before = db_snapshot()
    path = f"/admin/assessment/{assessment.id}/confirm/"
    assert county.post(path, {"version": str(assessment.version)}).status_code == 403
    assert kr_city.post(path, {"version": str(assessment.version)}).status_code == 404
    assert kr_city.get(page_of(assessment)).status_code == 404
    assert db_snapshot() == before


def test_two_officers_confirming_the_second_is_refused_the_first_kept(browse, cz_recognition):
    first, second = browse("cz_city"), browse("cz_city2")
    enter(first, cz_recognition, CHANGZHI_PASS)
    assessment = Assessment.get(Assessment.recognition == cz_recognition)
    read = re.search(r'name="version" value="(\d+)"', second.html(page_of(assessment))).group(1)
    first.post(f"/admin/assessment/{assessment.id}/confirm/", {"version": read})
    subsidies = Subsidy.select().count()
    page = second.flashed(f"/admin/assessment/{assessment.id}/confirm/", {"version": read})
    assert "未保存：您打开此记录后，已有他人修改并保存" in page
    assert Assessment.get_by_id(assessment.id).status == "confirmed"
    assert Subsidy.select().count() == subsidies  # the consequences were applied once


def test_karamay_failed_rectification_revokes_citing_article_18(browse, kr_recognition, on_day):
    """第十八条: 不合格 → rectification; still 不合格 when the deadline ends → recognition revoked."""
    on_day(DAY(2026, 2, 10))
    city, county = browse("kr_city"), browse("kr_county")
    enter(city, kr_recognition, KARAMAY_FAIL)
    assessment = Assessment.get(Assessment.recognition == kr_recognition)
    page = city.flashed(f"/admin/assessment/{assessment.id}/confirm/", {"version": str(assessment.version)})
    assert {kind for kind, article in consequences(page)} >= {"criticism", "rectify", "withhold_subsidy"}
    assert all(article == "第十八条" for kind, article in consequences(page) if kind != "grant_subsidy")
    rectification = Rectification.get(Rectification.assessment == assessment)
    close = f"/admin/assessment/rectification/{rectification.id}/close/"
    assert f"form-rectification-{rectification.id}" not in form_ids(county.html(page_of(assessment)))
    before = db_snapshot()
    assert county.post(close, {"outcome": "failed", "remark": "x", "version": "1"}).status_code == 403
    assert db_snapshot() == before
    assert "请选择整改是否合格" in city.flashed(close, {"remark": "复核", "version": "1"})
    assert "请填写整改复核意见" in city.flashed(close, {"outcome": "failed", "remark": "", "version": "1"})
    on_day(DAY(2026, 8, 11))
    page = city.flashed(close, {"outcome": "failed", "remark": "复核仍不合格", "version": "1"})
    assert "consequence-revoke" in page
    recognition_page = city.html(f"/admin/recognition/details/?id={kr_recognition.id}")
    assert element_text(recognition_page, "recognition-status") == "已取消资格"
    assert "第十八条" in element_text(recognition_page, "revocation")
    assert 'id="enter-assessment"' not in recognition_page  # a revoked park is no longer assessed


def test_a_passed_rectification_restores_the_recognition(browse, kr_recognition):
    city = browse("kr_city")
    enter(city, kr_recognition, KARAMAY_FAIL)
    assessment = Assessment.get(Assessment.recognition == kr_recognition)
    city.post(f"/admin/assessment/{assessment.id}/confirm/", {"version": str(assessment.version)})
    rectification = Rectification.get(Rectification.assessment == assessment)
    page = city.flashed(f"/admin/assessment/rectification/{rectification.id}/close/",
                        {"outcome": "passed", "remark": "整改到位", "version": str(rectification.version)})
    assert 'data-outcome="passed"' in page
    assert Recognition.get_by_id(kr_recognition.id).status == "active"


def test_a_draft_is_cancelled_with_a_reason_never_deleted(browse, cz_recognition):
    city = browse("cz_city")
    enter(city, cz_recognition, CHANGZHI_PASS)
    assessment = Assessment.get(Assessment.recognition == cz_recognition)
    cancel = f"/admin/assessment/{assessment.id}/cancel/"
    assert "请填写取消理由" in city.flashed(cancel, {"reason": ""})
    page = city.flashed(cancel, {"reason": "分数录错，重新录入"})
    assert element_text(page, "assessment-status") == "已取消" and "分数录错" in page
    assert Assessment.get_by_id(assessment.id).status == "cancelled"
    assert browse("cz_city").post("/admin/assessment/delete/", {"id": assessment.id}).status_code == 403


def test_karamay_qualified_year_proposes_the_operating_subsidy_with_its_explanation(browse, kr_recognition):
    """第十八条、第二十条: 合格 → the operating subsidy of 50万元, proposed with the formula's explanation."""
    city = browse("kr_city")
    enter(city, kr_recognition, KARAMAY_PASS)
    assessment = Assessment.get(Assessment.recognition == kr_recognition)
    page = city.flashed(f"/admin/assessment/{assessment.id}/confirm/", {"version": str(assessment.version)})
    assert ("grant_subsidy", "第十八条、第二十条") in consequences(page)
    subsidy = Subsidy.get(Subsidy.park == kr_recognition.park)
    assert f"/admin/subsidy/details/?id={subsidy.id}" in page
    html = city.html(f"/admin/subsidy/details/?id={subsidy.id}")
    assert element_text(html, "subsidy-amount") == "500,000.00元"
    assert element_text(html, "subsidy-article") == "第十八条、第二十条"
    assert element_text(html, "subsidy-explanation") == subsidy.explanation and "合格" in subsidy.explanation
    assert buttons(html, "action") == {"approve", "withhold", "cancel"}


def test_the_assessment_list_is_scoped(browse, cz_recognition, kr_recognition):
    enter(browse("cz_city"), cz_recognition, CHANGZHI_PASS)
    enter(browse("kr_city"), kr_recognition, KARAMAY_PASS)
    cz = Assessment.get(Assessment.recognition == cz_recognition)
    kr = Assessment.get(Assessment.recognition == kr_recognition)
    html = browse("cz_county").html("/admin/assessment/")
    assert f"details/?id={cz.id}" in html and f"details/?id={kr.id}" not in html
    assert browse("cz_panel").get("/admin/assessment/").status_code == 403
    assert browse("cz_city").get("/admin/assessment/new/").status_code == 403  # entered through the scores form
