"""Steps that cannot be undone ask once: a return, a rejection, a withdrawal, filing with conditions
not met, paying, withholding, cancelling and recovering a subsidy. Posted without `confirmed=1`, the
step changes nothing and the page answers with a dialog naming the park, the outcome, the amount and
the article; the dialog's own form takes the step. A step the service would refuse is refused at once,
and a step nobody needs to be asked about is taken at once."""
import html as html_lib
import re
from decimal import Decimal

import pytest

from admin_test_helpers import db_snapshot
from core.records.models import Application, Recognition, Subsidy
from core.plugin.registry import rules_for
from tests.admin_workflow.pages import CHANGZHI_MATERIALS, DAY, application_at, element_text, upload_all
from tests.builders import make_park


def transition(application):
    return f"/admin/application/{application.id}/transition/"


def version_of(record):
    return str(type(record).get_by_id(record.id).version)


def dialog(page):
    """The confirmation dialog's text and the fields its button posts, or None."""
    if 'id="confirm-dialog"' not in page:
        return None
    box = page[page.index('id="confirm-dialog"'):page.index('class="modal-backdrop')]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', box))
    text = html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", box)))
    return text, {name: html_lib.unescape(value) for name, value in fields.items()}


def answer_yes(browser, path, fields):
    return browser.client.post(path, data=fields, follow_redirects=True).get_data(as_text=True)


@pytest.fixture
def upload_dir(app):
    from pathlib import Path

    return Path(app.config["UPLOAD_DIR"])


def test_a_return_asks_once_naming_park_outcome_and_article_then_the_dialog_takes_it(browse, town, upload_dir, on_day):
    on_day(DAY(2025, 9, 29))
    application = application_at(town, upload_dir, "cz", "county_review")
    county = browse("cz_county")
    before = db_snapshot()
    response = county.post(transition(application), {"transition": "county_return", "version": version_of(application),
                                                      "remark": "营业执照复印件不清晰"}, confirm=False)
    assert response.status_code == 200
    text, fields = dialog(response.get_data(as_text=True))
    assert "初审退回补正" in text and "上党人力资源服务产业园" in text and "“草稿”" in text
    assert "第七条第（一）项" in text and "营业执照复印件不清晰" in text and "不可撤销" in text
    assert db_snapshot() == before  # asking changed nothing
    assert fields["transition"] == "county_return" and fields["confirmed"] == "1" and fields["csrf_token"]
    page = answer_yes(county, transition(application), fields)
    assert element_text(page, "application-state") == "草稿"
    assert Application.get_by_id(application.id).state == "draft"


def test_a_step_forward_is_not_asked_about(browse, town, upload_dir, on_day):
    on_day(DAY(2025, 9, 29))
    application = application_at(town, upload_dir, "cz", "county_review")
    response = browse("cz_county").post(transition(application), {"transition": "county_pass",
                                                                   "version": version_of(application)}, confirm=False)
    assert response.status_code == 302
    assert Application.get_by_id(application.id).state == "city_review"


def test_a_step_the_service_refuses_is_refused_at_once_not_asked_about(browse, town, upload_dir, on_day):
    on_day(DAY(2025, 9, 29))
    application = application_at(town, upload_dir, "cz", "county_review")
    county, operator = browse("cz_county"), browse("cz_operator")
    before = db_snapshot()
    # no remark where the step needs one
    page = county.flashed(transition(application), {"transition": "county_return", "version": version_of(application)},
                          confirm=False)
    assert dialog(page) is None and "意见或理由" in page
    # a stale version
    page = county.flashed(transition(application), {"transition": "county_return", "remark": "补正",
                                                    "version": str(int(version_of(application)) - 1)}, confirm=False)
    assert dialog(page) is None
    # a role the step is not for: forged, refused as before
    assert operator.post(transition(application), {"transition": "county_return", "remark": "补正",
                                                   "version": version_of(application)}, confirm=False).status_code == 403
    assert db_snapshot() == before


def test_filing_with_conditions_not_met_lists_them_and_asks(app, world, on_day):
    from tests.admin_workflow.pages import Browser, helpers

    on_day(DAY(2025, 9, 29))
    short = make_park(world["shangdang"], name="上党第二人力资源服务产业园", agencies=3)
    operator = Browser(app.test_client(), helpers.make_user("short_operator", "park_operator", park=short))
    assert operator.post("/admin/application/open/", {"park": short.id, "year": "2025"}).status_code == 302
    application = Application.get(Application.park == short)
    upload_all(operator, application, CHANGZHI_MATERIALS)
    response = operator.post(transition(application), {"transition": "submit", "version": version_of(application)},
                             confirm=False)
    text, fields = dialog(response.get_data(as_text=True))
    assert "上党第二人力资源服务产业园" in text and "未满足" in text
    assert re.search(r"机构.*（第六条", text), text  # the short condition is named, with its article
    assert Application.get_by_id(application.id).state == "draft"
    answer_yes(operator, transition(application), fields)
    assert Application.get_by_id(application.id).state == "county_review"


def test_filing_with_every_condition_met_is_not_asked_about(browse, town, upload_dir, on_day):
    on_day(DAY(2025, 9, 29))
    operator = browse("cz_operator")
    assert operator.post("/admin/application/open/", {"park": town.cz_park.id, "year": "2025"}).status_code == 302
    application = Application.get(Application.park == town.cz_park)
    upload_all(operator, application, CHANGZHI_MATERIALS)
    response = operator.post(transition(application), {"transition": "submit", "version": version_of(application)},
                             confirm=False)
    assert response.status_code == 302
    assert Application.get_by_id(application.id).state == "county_review"


@pytest.fixture
def kr_subsidy(town):
    recognition = Recognition.create(park=town.kr_park, jurisdiction=town.kr_park.jurisdiction, recognised_on=DAY(2025, 3, 1),
                                     official_name=rules_for(town.kr_park.jurisdiction).recognised_name(town.kr_park.name))
    return Subsidy.create(park=town.kr_park, jurisdiction=town.kr_park.jurisdiction, recognition=recognition,
                          kind="operating", year=2025, amount=Decimal("500000"), rule_id="karamay.operating_subsidy",
                          article="第十八条、第二十条", explanation="考核合格，兑现运营补贴50万元")


def act(subsidy):
    return f"/admin/subsidy/{subsidy.id}/act/"


@pytest.mark.parametrize("status, account, action, reason, outcome", [
    ("approved", "kr_finance", "pay", "", "已拨付"),
    ("proposed", "kr_city", "withhold", "考核不合格（第二十条）", "不予兑现"),
    ("approved", "kr_city", "cancel", "园区申请放弃", "已取消"),
    ("paid", "kr_finance", "recover", "虚报入驻机构（第二十四条）", "已追回"),
])
def test_money_steps_ask_once_naming_park_kind_amount_and_article(browse, kr_subsidy, status, account, action, reason,
                                                                   outcome):
    Subsidy.update(status=status).where(Subsidy.id == kr_subsidy.id).execute()
    browser = browse(account)
    before = db_snapshot()
    payment = {"paid_on": "2025-10-11", "payment_voucher": "记-2025-1011", "fund_source": "市财政局运营补贴资金",
               "payee_account": "运营公司 基本户"} if action == "pay" else {}
    response = browser.post(act(kr_subsidy), {"action": action, "version": version_of(kr_subsidy), "reason": reason,
                                              **payment}, confirm=False)
    assert response.status_code == 200
    text, fields = dialog(response.get_data(as_text=True))
    assert "独山子人力资源服务产业园" in text and "2025" in text and "500,000.00" in text
    assert f"“{outcome}”" in text and "第十八条、第二十条" in text
    assert (reason in text) if reason else "2025-10-11 · 记-2025-1011 · 市财政局运营补贴资金 · 运营公司 基本户" in text
    assert db_snapshot() == before
    page = answer_yes(browser, act(kr_subsidy), fields)
    assert element_text(page, "subsidy-status") == outcome
    assert Subsidy.get_by_id(kr_subsidy.id).status != status


def test_approving_is_not_asked_about_and_a_missing_reason_is_refused_at_once(browse, kr_subsidy):
    city = browse("kr_city")
    assert city.post(act(kr_subsidy), {"action": "cancel", "version": version_of(kr_subsidy), "reason": ""},
                     confirm=False).status_code == 302  # refused with a message, not asked about
    assert Subsidy.get_by_id(kr_subsidy.id).status == "proposed"
    assert city.post(act(kr_subsidy), {"action": "approve", "version": version_of(kr_subsidy)},
                     confirm=False).status_code == 302
    assert Subsidy.get_by_id(kr_subsidy.id).status == "approved"


# --- revoking a recognition: a rectification failed (Karamay 第十八条), a second 不合格 (Changzhi 第二十条) ---


def enter(browser, recognition, scores, year):
    data = {f"score-{k}": v for k, v in scores.items()}
    data["year"] = str(year)
    return browser.post(f"/admin/assessment/enter/?recognition_id={recognition.id}", data, follow=True)


def test_closing_a_rectification_as_failed_lists_the_revocation_and_asks(browse, town, on_day):
    from core.records.models import Assessment, Rectification
    from tests.admin_workflow.pages import KARAMAY_FAIL

    park = town.kr_park
    recognition = Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=DAY(2025, 3, 1),
                                     official_name=rules_for(park.jurisdiction).recognised_name(park.name))
    on_day(DAY(2026, 2, 10))
    city = browse("kr_city")
    enter(city, recognition, KARAMAY_FAIL, 2025)
    assessment = Assessment.get(Assessment.recognition == recognition)
    city.flashed(f"/admin/assessment/{assessment.id}/confirm/", {"version": str(assessment.version)})
    rectification = Rectification.get(Rectification.assessment == assessment)
    close = f"/admin/assessment/rectification/{rectification.id}/close/"
    on_day(DAY(2026, 8, 11))
    before = db_snapshot()
    response = city.post(close, {"outcome": "failed", "remark": "复核仍不合格", "version": "1"}, confirm=False)
    text, fields = dialog(response.get_data(as_text=True))
    assert recognition.official_name in text and "取消市级产业园资格" in text and "第十八条" in text
    assert db_snapshot() == before  # the dry run left nothing behind
    assert Recognition.get_by_id(recognition.id).status == "rectifying"
    # passing it is not asked about
    assert city.post(close, {"outcome": "passed", "remark": "整改到位", "version": "1"}, confirm=False).status_code == 302
    assert Recognition.get_by_id(recognition.id).status == "active"


def test_a_second_unqualified_year_that_revokes_asks_before_confirming(browse, town, on_day):
    from core.records.models import Assessment
    from tests.admin_workflow.pages import CHANGZHI_FAIL

    park = town.cz_park
    recognition = Recognition.create(park=park, jurisdiction=park.jurisdiction, recognised_on=DAY(2024, 3, 1),
                                     official_name=rules_for(park.jurisdiction).recognised_name(park.name))
    city = browse("cz_city")
    on_day(DAY(2025, 2, 10))
    enter(city, recognition, CHANGZHI_FAIL, 2024)
    first = Assessment.get(Assessment.recognition == recognition)
    response = city.post(f"/admin/assessment/{first.id}/confirm/", {"version": str(first.version)}, confirm=False)
    assert response.status_code == 302  # one 不合格 year revokes nothing: not asked about
    on_day(DAY(2026, 2, 10))
    enter(city, recognition, CHANGZHI_FAIL, 2025)
    second = Assessment.get((Assessment.recognition == recognition) & (Assessment.year == 2025))
    before = db_snapshot()
    response = city.post(f"/admin/assessment/{second.id}/confirm/", {"version": str(second.version)}, confirm=False)
    text, fields = dialog(response.get_data(as_text=True))
    assert recognition.official_name in text and "取消市级产业园资格" in text and "第二十条" in text
    assert db_snapshot() == before
    answer_yes(city, f"/admin/assessment/{second.id}/confirm/", fields)
    assert Recognition.get_by_id(recognition.id).status == "revoked"
