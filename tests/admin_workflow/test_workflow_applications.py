"""The application pages: the procedure as buttons (exactly what the plugin allows this role in this
state; anything else refused when forged), the public notice counted in working days, the
eligibility panel with every criterion's article, measured value, requirement and status,
reviewers' verdicts, waivers with reasons, uploads and downloads of the materials, objections,
and two officers acting on one application."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import re
from pathlib import Path

import pytest

from admin_test_helpers import db_snapshot, list_count, make_user
from core.records.models import Application, Material, PublicNotice, Recognition, ReviewStep, Site
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import (
    CHANGZHI_MATERIALS,
    DAY,
    KARAMAY_MATERIALS,
    PDF,
    Browser,
    application_at,
    buttons,
    element_text,
    form_ids,
    upload_all,
)
from tests.builders import make_park


def details(application):
    return f"/admin/application/details/?id={application.id}"


def transition(application):
    return f"/admin/application/{application.id}/transition/"


def version_of(application):
    return str(Application.get_by_id(application.id).version)


def expected_buttons(application, role):
    procedure = rules_for(application.jurisdiction).procedure()
    return {t.id for t in procedure.available(Application.get_by_id(application.id).state, role)}


def upload_dir(app):
    return Path(app.config["UPLOAD_DIR"])


# --- the whole procedure through the pages ---------------------------------------------------------


def test_changzhi_article_7_park_applies_county_city_joint_evaluation_notice_approval(browse, town, on_day):
    """第七条: park submits → county preliminary review → city review → joint evaluation with site
    inspection → public notice of 5 working days → approval, each by the role the plugin names."""
    on_day(DAY(2025, 9, 29))
    operator, county, city, panel = (browse(a) for a in ("cz_operator", "cz_county", "cz_city", "cz_panel"))
    response = operator.post("/admin/application/open/", {"park": town.cz_park.id, "year": "2025"})
    assert response.status_code == 302
    application = Application.get(Application.park == town.cz_park)
    upload_all(operator, application, CHANGZHI_MATERIALS)

    everyone = {"cz_operator": operator, "cz_county": county, "cz_city": city, "cz_panel": panel}
    for step, account in (("submit", "cz_operator"), ("county_pass", "cz_county"), ("city_accept", "cz_city")):
        for name, browser in everyone.items():  # each sees exactly its own buttons
            html = browser.html(details(application))
            assert buttons(html, "transition") == expected_buttons(application, browser.user.role), (step, name)
        assert step in buttons(everyone[account].html(details(application)), "transition")
        page = everyone[account].flashed(transition(application), {"transition": step, "version": version_of(application)})
        assert "已完成" in page, step

    # the joint evaluation needs every judgement criterion judged: refused first, naming them
    page = city.flashed(transition(application), {"transition": "evaluation_pass", "version": version_of(application),
                                                  "remark": "实地考察：场地与材料一致"})
    assert "以下条件尚未满足、未评审或未豁免" in page and "第六条第（一）项" in page
    assert Application.get_by_id(application.id).state == "joint_evaluation"
    html = panel.html(details(application))
    judged = sorted(re.findall(r'id="verdict-([^"]+)"', html))
    assert judged == sorted(c.id for c in rules_for(application.jurisdiction).criteria(RULES_DAY) if c.judgement)
    for criterion_id in judged:
        panel.post(f"/admin/application/{application.id}/verdict/", {"criterion_id": criterion_id, "met": "1",
                                                                    "remark": "经评审，符合要求"})
    page = city.flashed(transition(application), {"transition": "evaluation_pass", "version": version_of(application),
                                                  "remark": "实地考察：场地与材料一致"})
    assert element_text(page, "application-state") == "公示中"
    flash_text = re.search(r"已完成[^<]*", page).group(0)  # Chinese only in Chinese (issue 11 item 4)
    assert "“公示中”" in flash_text and "the application is now" not in flash_text
    assert flash_text.count("公示中") == 1
    # 2025-09-29, 09-30, the National Day holidays, then 10-09, 10-10 and the make-up Saturday 10-11
    assert element_text(page, "notice-end") == "2025年10月11日"
    assert "5个工作日" in page or "5 working days" in page

    on_day(DAY(2025, 10, 11))
    page = city.flashed(transition(application), {"transition": "approve", "version": version_of(application)})
    assert "公示期至2025年10月11日（5个工作日），公示期满后方可办理" in page  # dates as officials write them (issue 11 item 5)
    on_day(DAY(2025, 10, 12))
    page = city.flashed(transition(application), {"transition": "approve", "version": version_of(application)})
    assert element_text(page, "application-state") == "已认定"
    recognition = Recognition.get(Recognition.application == application)
    assert recognition.official_name == "长治上党人力资源服务产业园"
    assert element_text(page, "recognition-link") == "长治上党人力资源服务产业园"
    steps = [s.transition for s in ReviewStep.select().where(ReviewStep.application == application).order_by(ReviewStep.id)]
    assert steps == ["submit", "county_pass", "city_accept", "evaluation_pass", "approve"]
    assert buttons(page, "transition") == set()  # a closed application offers nothing


def test_karamay_article_6_district_files_panel_party_group_notice_recognition(app, browse, town, on_day):
    """第六条: the district HRSS department files → panel review → party group → notice → recognition."""
    on_day(DAY(2025, 11, 3))
    district, city, panel, operator = (browse(a) for a in ("kr_county", "kr_city", "kr_panel", "kr_operator"))
    assert "form-open-application" not in operator.html("/admin/application/open/")  # the park does not file here
    assert operator.post("/admin/application/open/", {"park": town.kr_park.id, "year": "2025"}).status_code == 403
    assert 'id="open-application"' in district.html("/admin/application/")
    district.post("/admin/application/open/", {"park": town.kr_park.id, "year": "2025"})
    application = Application.get(Application.park == town.kr_park)
    upload_all(district, application, KARAMAY_MATERIALS)
    assert buttons(district.html(details(application)), "transition") == {"file", "withdraw"}
    district.post(transition(application), {"transition": "file", "version": version_of(application)})
    for criterion in (c for c in rules_for(application.jurisdiction).criteria(RULES_DAY) if c.judgement):
        panel.post(f"/admin/application/{application.id}/verdict/", {"criterion_id": criterion.id, "met": "1",
                                                                    "remark": "评审小组意见：符合"})
    assert buttons(city.html(details(application)), "transition") == {"panel_pass", "panel_return", "panel_reject"}
    city.post(transition(application), {"transition": "panel_pass", "version": version_of(application)})
    page = city.flashed(transition(application), {"transition": "party_approve", "version": version_of(application)})
    assert element_text(page, "notice-end") == "2025年11月7日"
    on_day(DAY(2025, 11, 10))
    page = city.flashed(transition(application), {"transition": "recognise", "version": version_of(application)})
    assert element_text(page, "recognition-link") == "克拉玛依独山子人力资源服务产业园"


# --- buttons absent for the wrong role and refused when forged ---------------------------------------


@pytest.mark.parametrize("account, forged", [
    ("cz_county", "submit"),  # the park submits, not the county
    ("cz_panel", "submit"),
    ("cz_city", "submit"),
    ("admin", "submit"),  # an administrator administers; it takes no step
    ("cz_finance", "submit"),
])
def test_a_step_of_another_role_is_absent_and_refused_when_forged(app, browse, town, account, forged):
    application = application_at(town, upload_dir(app), "cz", "draft")
    browser = browse(account)
    response = browser.get(details(application))
    if response.status_code == 200:
        assert buttons(response.get_data(as_text=True), "transition") == set()
    before = db_snapshot()
    response = browser.post(transition(application), {"transition": forged, "version": version_of(application)})
    assert response.status_code in (403, 404)
    assert db_snapshot() == before


def test_a_county_park_is_told_the_article_its_city_declares_for_county_measures(app, town):
    """长治 第五条、第二十二条 (its `county_measures_article`): a park of 潞州区 may apply under either
    programme, and the hint cites the city's articles; a park with one programme gets no choice."""
    luzhou_park = make_park(town.j["changzhi-luzhou"], name="潞州人力资源服务产业园")
    luzhou = Browser(app.test_client(), make_user("lz_operator", "park_operator", park=luzhou_park))
    html = luzhou.html("/admin/application/open/")
    assert "（长治办法第五条、第二十二条）" in element_text(html, "county-measures-hint")
    assert 'value="changzhi-luzhou"' in html and 'value="changzhi"' in html
    assert "county-measures-hint" not in Browser(app.test_client(), town.users["cz_operator"]).html("/admin/application/open/")


@pytest.mark.parametrize("codes, articles", [
    (["changzhi"], ["长治办法第五条、第二十二条"]),
    (["karamay"], []),  # its measures let no district make its own
    (["changzhi-luzhou", "changzhi"], ["长治办法第五条、第二十二条"]),  # the county's own declares none
])
def test_the_county_measures_hint_cites_what_each_programme_declares(app, codes, articles):
    from admin.views.applications import county_measures_articles

    with app.app_context():
        assert county_measures_articles(codes) == articles


def test_forged_steps_of_later_states_are_refused(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "county_review")
    operator, panel, city = browse("cz_operator"), browse("cz_panel"), browse("cz_city")
    before = db_snapshot()
    assert operator.post(transition(application), {"transition": "county_pass", "version": version_of(application)}).status_code == 403
    assert panel.post(transition(application), {"transition": "county_pass", "version": version_of(application)}).status_code == 403
    # the right role, but not a step of this state: refused with the reason, nothing written
    page = city.flashed(transition(application), {"transition": "city_accept", "version": version_of(application)})
    assert "申请当前为“县级初审中”，不能执行“审核申报材料通过，组织联合评审”" in page
    page = city.flashed(transition(application), {"transition": "no_such_step", "version": version_of(application)})
    assert "未知操作 no_such_step" in page
    assert db_snapshot() == before


def test_submitting_without_the_materials_names_what_is_missing(app, browse, town, on_day):
    on_day(DAY(2025, 9, 1))
    operator = browse("cz_operator")
    operator.post("/admin/application/open/", {"park": town.cz_park.id, "year": "2025"})
    application = Application.get(Application.park == town.cz_park)
    upload_all(operator, application, CHANGZHI_MATERIALS[:-1])
    html = operator.html(details(application))
    assert "入驻机构经营情况佐证材料" in element_text(html, "missing-materials")
    page = operator.flashed(transition(application), {"transition": "submit", "version": version_of(application)})
    assert "申报材料不全，缺少：入驻机构经营情况佐证材料（第七条第（一）项第5目）" in page
    assert "materials missing" not in page  # the English only in English (issue 11 item 4)
    assert Application.get_by_id(application.id).state == "draft"


def test_withdrawing_needs_a_reason_and_keeps_the_record(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "draft")
    operator = browse("cz_operator")
    page = operator.flashed(transition(application), {"transition": "withdraw", "version": version_of(application),
                                                      "remark": "  "})
    assert "请填写意见或理由" in page and "a remark is required" not in page
    assert Application.get_by_id(application.id).state == "draft"
    page = operator.flashed(transition(application), {"transition": "withdraw", "version": version_of(application),
                                                      "remark": "园区改建，暂缓申报"})
    assert element_text(page, "application-state") == "已撤回"
    assert Application.get_or_none(Application.id == application.id) is not None  # withdrawn, never deleted


def test_a_post_without_the_version_is_refused(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "draft")
    page = browse("cz_operator").flashed(transition(application), {"transition": "withdraw", "remark": "x"})
    assert "表单缺少版本号" in page
    assert Application.get_by_id(application.id).state == "draft"


def test_two_officers_one_application_the_second_is_refused_the_first_kept(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "city_review")
    first, second = browse("cz_city"), browse("cz_city2")
    read_first = re.search(r'name="version" value="(\d+)"', first.html(details(application))).group(1)
    read_second = re.search(r'name="version" value="(\d+)"', second.html(details(application))).group(1)
    assert read_first == read_second
    first.post(transition(application), {"transition": "city_accept", "version": read_first})
    steps = ReviewStep.select().count()
    page = second.flashed(transition(application), {"transition": "city_return", "version": read_second,
                                                    "remark": "材料不全"})
    assert "未保存：您打开此记录后，已有他人修改并保存。已保留对方的修改" in page
    assert Application.get_by_id(application.id).state == "joint_evaluation"
    assert ReviewStep.select().count() == steps


def test_a_refusal_reads_english_in_english_mode(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "draft")
    operator = browse("cz_operator")
    operator.post("/auth/language", {"lang": "en", "next": "/admin/"})
    page = operator.flashed(transition(application), {"transition": "withdraw", "version": version_of(application)})
    assert "a remark is required" in page and "请填写意见或理由" not in page


# --- the eligibility panel ----------------------------------------------------------------------


def criterion_row(html, criterion_id):
    match = re.search(rf'<tr id="criterion-{criterion_id}" data-status="([^"]+)" data-final-status="([^"]+)">(.*?)</tr>',
                      html, re.S)
    assert match, criterion_id
    status, final, cells = match.groups()
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    return status, final, text


def test_the_panel_lists_every_criterion_with_its_article_measured_required_and_status(app, browse, town, on_day):
    on_day(DAY(2025, 10, 9))
    application = application_at(town, upload_dir(app), "cz", "draft")
    html = browse("cz_county").html(details(application))
    criteria = rules_for(application.jurisdiction).criteria(RULES_DAY)
    assert len(criteria) >= 10
    for criterion in criteria:
        status, _final, cells = criterion_row(html, criterion.id)
        assert cells[0] == criterion.article
        assert cells[1] == criterion.title
        assert status == ("needs_judgement" if criterion.judgement else "met"), criterion.id
    _s, _f, count = criterion_row(html, "agency_count")
    assert (count[2], count[3]) == ("12家", "10家")  # counts with their unit (issue 11 item 5)
    assert "2025年10月9日入驻人力资源服务机构12家，不少于10家" in count[5]  # dates as officials write them (issue 11 item 5)
    assert element_text(html, "eligibility-outcome").startswith("待评审")


def test_the_panel_writes_each_explanation_in_the_page_language(app, browse, town, on_day):
    """An explanation is written when the page shows it, in the page's language."""
    on_day(DAY(2025, 10, 9))
    application = application_at(town, upload_dir(app), "cz", "draft")
    reader = browse("cz_county")
    chinese = criterion_row(reader.html(details(application)), "agency_count")[2][5]
    reader.post("/auth/language", {"lang": "en", "next": "/admin/"})
    english = criterion_row(reader.html(details(application)), "agency_count")[2][5]
    assert chinese == "2025年10月9日入驻人力资源服务机构12家，不少于10家。"
    assert english == "12 HR service agencies resident on 9 Oct 2025, at least 10."


@pytest.mark.parametrize("area, status", [("2999", "not_met_waivable"), ("3000", "met")])
def test_a_single_site_needs_3000_square_metres_in_principle(app, browse, town, area, status):
    """第六条第（二）项: 只设立一个园区的，建筑面积不少于3000平方米 (waivable: the article is 原则上)."""
    Site.update(floor_area=area).where(Site.park == town.cz_park).execute()
    application = application_at(town, upload_dir(app), "cz", "draft")
    found, _final, cells = criterion_row(browse("cz_city").html(details(application)), "site_area")
    assert found == status
    assert cells[0] == "第六条第（二）项"


@pytest.mark.parametrize("city", ["cz", "kr"])
def test_a_park_without_sites_shows_its_site_criteria_as_not_yet_known(app, browse, town, city):
    """issue 11 item 9: with no site recorded, the site criteria read “not yet known” (missing data) in
    Chinese — not 符合 “只设立0个园区”, not a failure — and the outcome says data is missing."""
    park = town.cz_park if city == "cz" else town.kr_park
    Site.delete().where(Site.park == park).execute()
    application = application_at(town, upload_dir(app), city, "draft")
    html = browse(f"{city}_city").html(details(application))
    for criterion_id in (("site_area", "branch_sites") if city == "cz" else ("floor_area",)):
        status, final, cells = criterion_row(html, criterion_id)
        assert (status, final) == ("missing_data", "missing_data"), criterion_id
        assert "尚无法判断（缺少数据）" in cells[4] and "尚无法判断" in cells[5] and "0个园区" not in cells[5]
    assert element_text(html, "eligibility-outcome").startswith("尚无法判断：部分条件缺少数据")
    assert "form-waiver-site_area" not in form_ids(html)


def test_verdicts_are_recorded_by_reviewers_with_a_remark(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "joint_evaluation")
    panel, county = browse("cz_panel"), browse("cz_county")
    assert 'id="verdict-planning_report"' in panel.html(details(application))
    assert 'id="verdict-' not in county.html(details(application)) and "form-verdicts" not in form_ids(county.html(details(application)))
    verdict = f"/admin/application/{application.id}/verdict/"
    page = panel.flashed(verdict, {"criterion_id": "planning_report", "remark": "规划充分"})
    assert "请选择该条件是否符合" in page
    page = panel.flashed(verdict, {"criterion_id": "planning_report", "met": "0", "remark": " "})
    assert "请填写评审意见" in page
    page = panel.flashed(verdict, {"criterion_id": "agency_count", "met": "1", "remark": "数量足够"})
    assert "由系统计算，不需评审判断" in page
    page = panel.flashed(verdict, {"criterion_id": "planning_report", "met": "0", "remark": "规划论证不充分"})
    _status, final, cells = criterion_row(page, "planning_report")
    assert final == "judged_not_met" and "规划论证不充分" in cells[5]
    assert element_text(page, "eligibility-outcome").startswith("不符合")
    before = db_snapshot()
    assert county.post(verdict, {"criterion_id": "planning_report", "met": "1", "remark": "伪造"}).status_code == 403
    assert db_snapshot() == before


def test_an_in_principle_criterion_is_waived_by_the_city_with_a_reason(app, browse, town):
    """第六条第（二）项: 分园区原则上不超过3个 — four branches, waived with a recorded reason during
    the joint evaluation (第七条第（二）项)."""
    for i in range(4):
        Site.create(park=town.cz_park, name=f"分园区{i}", is_core=False, floor_area="600")
    application = application_at(town, upload_dir(app), "cz", "joint_evaluation")
    city, county, panel = browse("cz_city"), browse("cz_county"), browse("cz_panel")
    status, _final, _cells = criterion_row(city.html(details(application)), "branch_sites")
    assert status == "not_met_waivable"
    assert "form-waiver-branch_sites" in form_ids(city.html(details(application)))
    assert "form-waiver-branch_sites" not in form_ids(county.html(details(application)))
    waiver = f"/admin/application/{application.id}/waiver/"
    page = city.flashed(waiver, {"criterion_id": "branch_sites", "reason": ""})
    assert "请填写豁免理由" in page and "a reason is required" not in page
    page = city.flashed(waiver, {"criterion_id": "agency_count", "reason": "理由"})
    assert "不能豁免" in page
    before = db_snapshot()
    assert panel.post(waiver, {"criterion_id": "branch_sites", "reason": "伪造"}).status_code == 403
    assert db_snapshot() == before
    page = city.flashed(waiver, {"criterion_id": "branch_sites", "reason": "原规划分批建设，经评审同意"})
    _status, final, cells = criterion_row(page, "branch_sites")
    assert final == "waived" and "原规划分批建设" in cells[5] and "cz_city" in cells[5]
    assert "form-waiver-branch_sites" not in form_ids(page)


# --- uploads and downloads ---------------------------------------------------------------------


def stored_files(app):
    return [p for p in upload_dir(app).rglob("*") if p.is_file()]


@pytest.mark.parametrize("filename, content, message", [
    ("letter.exe", b"MZ\x90\x00", "“申请函件”不接受.exe文件"),
    ("letter.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名.pdf不符"),
    ("letter.pdf", b"", "文件为空"),
    ("letter.pdf", PDF + b"x" * (20 * 1024 * 1024 + 1 - len(PDF)), "超过上限20MB"),
])
def test_a_bad_upload_is_refused_with_a_clear_message_and_nothing_stored(app, browse, town, filename, content, message):
    application = application_at(town, upload_dir(app), "cz", "draft")
    operator = browse("cz_operator")
    files_before, before = stored_files(app), db_snapshot()
    page = operator.flashed(f"/admin/application/{application.id}/upload/", {"material_id": "application_letter"},
                                         files={"file": (content, filename)})
    assert message in page
    assert stored_files(app) == files_before and db_snapshot() == before


def test_the_largest_allowed_upload_is_stored(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "draft")
    content = PDF + b"x" * (20 * 1024 * 1024 - len(PDF))  # exactly 20 MB: 不超过 the limit
    page = browse("cz_operator").flashed(f"/admin/application/{application.id}/upload/",
                                         {"material_id": "application_letter"}, files={"file": (content, "函件.pdf")})
    assert "函件.pdf" in page
    stored = Material.get((Material.application == application) & (Material.filename == "函件.pdf"))
    assert stored.size == 20 * 1024 * 1024
    assert Path(stored.stored_path).resolve().is_relative_to(upload_dir(app).resolve())
    assert Material.get((Material.application == application) & (Material.filename == "application_letter.pdf")).withdrawn


def test_uploads_only_by_the_filer_while_a_draft(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "draft")
    county = browse("cz_county")
    assert "form-upload-application_letter" not in form_ids(county.html(details(application)))
    before = db_snapshot()
    response = county.post(f"/admin/application/{application.id}/upload/", {"material_id": "application_letter"},
                                        files={"file": (PDF, "x.pdf")})
    assert response.status_code == 403 and db_snapshot() == before
    page = browse("cz_operator").flashed(f"/admin/application/{application.id}/upload/", {"material_id": "application_letter"})
    assert "请选择要上传的文件" in page
    application = application_at(town, upload_dir(app), "kr", "panel_review")  # Karamay: the district files
    page = browse("kr_county").flashed(f"/admin/application/{application.id}/upload/", {"material_id": "other"},
                                       files={"file": (PDF, "x.pdf")})
    assert "申请已提交，材料不能再修改" in page


def test_materials_download_only_for_those_who_may_see_the_application(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "county_review")
    material = Material.get((Material.application == application) & (Material.material_id == "application_letter"))
    path = f"/admin/files/material/{material.id}"
    html = browse("cz_county").html(details(application))
    assert path in html
    response = browse("cz_county").get(path)
    assert response.status_code == 200 and response.data == PDF + b"application_letter"
    assert browse("kr_city").get(path).status_code == 404
    assert browse("kr_operator").get(path).status_code == 404
    stranger = Browser(app.test_client(), make_user("other_operator", "park_operator",
                                                    park=make_park(town.j["shangdang"], name="另一园区")))
    assert stranger.get(path).status_code == 404
    assert stranger.get(details(application)).status_code == 404
    assert browse("cz_finance").get(path).status_code == 403  # finance does not read application files


# --- the public notice ------------------------------------------------------------------------------


def test_an_objection_during_the_notice_stops_the_approval(app, browse, town, on_day):
    application = application_at(town, upload_dir(app), "cz", "public_notice", notice_day=DAY(2025, 11, 3))
    city, county = browse("cz_city"), browse("cz_county")
    assert "form-objection" in form_ids(city.html(details(application)))
    assert "form-objection" not in form_ids(county.html(details(application)))
    objection = f"/admin/application/{application.id}/objection/"
    on_day(DAY(2025, 11, 4))
    assert "请填写异议内容" in city.flashed(objection, {"text": ""})
    before = db_snapshot()
    assert county.post(objection, {"text": "伪造"}).status_code == 403
    assert db_snapshot() == before
    page = city.flashed(objection, {"text": "有群众反映入驻机构数量不实"})
    assert element_text(page, "objection-count") == "1"
    on_day(DAY(2025, 11, 20))
    page = city.flashed(transition(application), {"transition": "approve", "version": version_of(application)})
    assert "公示期间收到1条异议，须先处理异议" in page
    assert PublicNotice.get(PublicNotice.application == application).objection_count == 1
    assert not Recognition.select().where(Recognition.park == town.cz_park).exists()


# --- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_each_user_only_its_applications(app, browse, town):
    cz = application_at(town, upload_dir(app), "cz", "county_review")
    kr = application_at(town, upload_dir(app), "kr", "draft")
    html = browse("cz_city").html("/admin/application/")
    assert list_count(html) == 1 and f"details/?id={cz.id}" in html and "县级初审中" in html
    assert f"details/?id={kr.id}" not in html
    assert list_count(browse("admin").html("/admin/application/")) == 2
    assert browse("cz_finance").get("/admin/application/").status_code == 403
    city = browse("cz_city")
    assert city.get("/admin/application/new/").status_code == 403  # opened only through the procedure
    before = db_snapshot()
    assert city.post("/admin/application/delete/", {"id": cz.id}).status_code == 403  # withdrawn, never deleted
    assert city.post("/admin/application/action/", {"action": "delete", "rowid": [cz.id]}).status_code == 403
    assert db_snapshot() == before
    csv = browse("cz_city").get("/admin/application/export/csv/").get_data(as_text=True)
    assert "上党人力资源服务产业园" in csv and "独山子" not in csv and "县级初审中" in csv
