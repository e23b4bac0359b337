"""Issue 11 items 4 and 5 on the workflow pages: money and counts written for people, requirements
as sentences, people by their names, messages in the page's language only, indicators by their
names, and an uploaded file downloaded under its own name."""
import re
import urllib.parse
from decimal import Decimal

from tests.admin_workflow.pages import CHANGZHI_PASS, DAY, application_at, helpers
from tests.builders import PDF

from core.records.models import Agency, AgencyYear, Material, Recognition

EN = "en"


def upload_dir(app):
    from pathlib import Path

    return Path(app.config["UPLOAD_DIR"])


def details(application):
    return f"/admin/application/details/?id={application.id}"


def criterion_cells(html, criterion_id):
    row = re.search(rf'<tr id="criterion-{criterion_id}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def alerts(html):
    return " ".join(text_of(a) for a in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S))


def in_english(browser):
    browser.post("/auth/language", {"lang": EN, "next": "/admin/"})
    return browser


def test_issue_11_item_5_the_eligibility_panel_writes_money_and_counts_for_people(app, browse, town, on_day):
    """38,880,000.02元, not 38880000.02; nested requirements as sentences, not dumped dicts."""
    on_day(DAY(2025, 10, 9))
    agencies = list(Agency.select().where(Agency.park == town.cz_park).order_by(Agency.id))
    AgencyYear.update(revenue=Decimal("3240000.00")).where(AgencyYear.agency.in_(agencies)).execute()
    AgencyYear.update(revenue=Decimal("3240000.02")).where(AgencyYear.agency == agencies[0]).execute()
    application = application_at(town, upload_dir(app), "cz", "draft")
    html = browse("cz_city").html(details(application))
    measured, required = criterion_cells(html, "agency_revenue")[2:4]
    assert "营业收入合计38,880,000.02元" in measured and "38880000" not in measured
    assert "营业收入超过3,000,000.00元的机构不少于5家" in required
    assert "营业收入合计达到30,000,000.00元" in required
    for cell in (measured, required):
        assert "{" not in cell and "revenue_over" not in cell and "at_least" not in cell
    assert criterion_cells(html, "agency_count")[2:4] == ["12家", "10家"]
    assert "园区总面积3,500平方米" in criterion_cells(html, "site_area")[2]

    english = in_english(browse("cz_city")).html(details(application))
    measured, required = criterion_cells(english, "agency_revenue")[2:4]
    assert "total revenue CNY 38,880,000.02" in measured
    assert "at least 5 agencies with revenue above CNY 3,000,000.00" in required


def test_issue_11_item_5_dates_read_as_officials_write_them(app, browse, town, on_day):
    on_day(DAY(2025, 10, 10))
    application = application_at(town, upload_dir(app), "cz", "draft")
    html = browse("cz_city").html(details(application))
    panel = text_of(html[html.index('id="eligibility"'):html.index('id="materials"')])
    assert "2025年10月10日" in panel and "2025-10-10" not in panel
    english = text_of(in_english(browse("cz_city")).html(details(application)))
    assert "10 Oct 2025" in english


def test_issue_11_item_4_people_are_named_by_their_display_names(app, browse, town):
    """A verdict and the steps taken name the account's display name, not its username."""
    from core.records.models import CriterionVerdict, ReviewStep

    town.users["cz_panel"].display_name = "评审专家王敏"
    town.users["cz_panel"].save()
    application = application_at(town, upload_dir(app), "cz", "public_notice")
    # application_at acts through the services; name the verdicts and a step as the accounts' usernames
    CriterionVerdict.update(reviewer="cz_panel").where(CriterionVerdict.application == application).execute()
    ReviewStep.update(actor="cz_panel").where(ReviewStep.application == application).execute()
    html = browse("cz_city").html(details(application))
    steps = text_of(html[html.index('id="history"'):])
    assert "评审专家王敏" in steps and "cz_panel" not in steps
    verdicts = " ".join(re.findall(r'<div class="verdict[^"]*">(.*?)</div>', html, re.S))
    assert "评审专家王敏" in verdicts and "cz_panel" not in verdicts


def test_issue_11_item_4_a_refusal_is_in_the_page_s_language_only(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "draft")
    path = f"/admin/application/{application.id}/upload/"
    zh = alerts(browse("cz_operator").flashed(path, {"material_id": "application_letter"}, files={"file": (b"MZ", "letter.exe")}))
    assert "不接受.exe文件" in zh and "files are not accepted" not in zh
    en = alerts(in_english(browse("cz_operator")).flashed(path, {"material_id": "application_letter"},
                                                           files={"file": (b"MZ", "letter.exe")}))
    assert "files are not accepted" in en and "不接受" not in en


def test_issue_11_item_4_a_missing_score_names_the_indicator_not_its_id(app, browse, town):
    application = application_at(town, upload_dir(app), "cz", "recognised")
    recognition = Recognition.get(Recognition.application == application)
    scores = {f"score-{k}": v for k, v in CHANGZHI_PASS.items() if k != "role_played"}
    path = f"/admin/assessment/enter/?recognition_id={recognition.id}"
    zh = alerts(browse("cz_city").flashed(path, {"year": "2025", **scores}))
    assert "未打分的指标：作用发挥情况" in zh and "role_played" not in zh and "role played" not in zh
    en = alerts(in_english(browse("cz_city")).flashed(path, {"year": "2025", **scores}))
    assert "indicators not scored:" in en and "role_played" not in en and "未打分" not in en


def test_issue_11_item_4_a_download_carries_the_file_s_own_name(app, browse, town):
    """The stored name is the uploaded file's own; the download says it in RFC 5987's filename* and
    gives clients that read only filename= an ASCII name (Werkzeug's own fallback was ".pdf")."""
    application = application_at(town, upload_dir(app), "cz", "draft")
    operator = browse("cz_operator")
    own = "园区建设运营报告（2025年）.pdf"
    operator.post(f"/admin/application/{application.id}/upload/", {"material_id": "operation_report"},
                  files={"file": (PDF + b"own", own)})
    material = Material.get((Material.application == application) & (Material.material_id == "operation_report")
                            & (Material.withdrawn == False))  # noqa: E712
    assert material.filename == own
    response = browse("cz_city").get(f"/admin/files/material/{material.id}")
    assert response.status_code == 200 and response.data.startswith(PDF)
    disposition = response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{urllib.parse.quote(own)}" in disposition
    assert f'filename="material-{material.id}.pdf"' in disposition


def test_issue_11_item_4_messages_of_the_core_are_cut_to_the_page_s_language(app):
    from flask import session

    from admin import i18n

    for lang, expected in (("zh_CN", ["新账户需要设置密码", "施行日期尚未设置", "园区（一期）"]),
                           ("en", ["a new account needs a password", "the start date is not set", "园区（一期）"])):
        with app.test_request_context("/"):
            session["lang"] = lang
            assert [i18n.in_page_language(t) for t in (
                "新账户需要设置密码 (a new account needs a password)",
                "施行日期尚未设置 — the start date is not set",
                "园区（一期）",
            )] == expected
    assert helpers  # the shared helpers are loaded (pages.py)
