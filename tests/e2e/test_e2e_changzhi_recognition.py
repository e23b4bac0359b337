"""A Changzhi park from draft to recognition, entirely through the back office in Chromium: the
operator uploads the missing materials and submits (第七条第（一）项), the county passes it, the
city accepts it, waives the 原则上 branch-site condition with a reason, the panel records its
verdicts, the city passes the evaluation with the site-inspection record (第七条第（二）项), the
notice's end date is shown counted in working days across the National Day holiday (第七条第（三）项:
at least 5 working days), and the approval is refused on the notice's last day and given the day
after (第七条第（四）项)."""
import datetime
import re
from pathlib import Path

import pytest

if not Path("/usr/bin/chromium").exists():
    pytest.skip("/usr/bin/chromium 不存在，浏览器测试已跳过 (Chromium is not installed)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="未安装 playwright (the playwright package is not installed)")

from core.world.demo import demo_pdf  # noqa: E402
from core.records.models import Application, Park, PublicNotice, Recognition, ReviewStep  # noqa: E402
from core.records.services.applications import missing_materials  # noqa: E402

pytestmark = pytest.mark.browser

PARK = "潞城区人力资源服务产业园"
SITE_INSPECTION = "联合评审通过；实地考察：核心园区2400平方米，四个分园区场地与申报一致"
# Opened on Tuesday 29 September 2026: 29 and 30 September are working days 1 and 2; 1–7 October
# is the National Day holiday; 8 and 9 October are days 3 and 4; Saturday 10 October is a make-up
# working day (调休), day 5. Counting weekdays alone would have ended it on Monday 5 October.
NOTICE_END = datetime.date(2026, 10, 10)


def test_a_changzhi_park_goes_from_draft_to_recognition_through_the_ui(open_session, demo_server):
    application = Application.get(Application.park == Park.get(Park.name == PARK))
    assert application.state == "draft"

    # --- the park operator: the missing materials, then submit ------------------------------------
    operator = open_session().login("cz_park_lucheng")
    operator.goto("/admin/application/")
    with operator.page.expect_navigation():
        operator.page.click(f"a[href*='details/?id={application.id}']")
    assert operator.state() == "draft"
    missing = operator.page.inner_text("#missing-materials")
    operator.screenshot("flow-01-operator-draft-zh")

    operator.take("submit")  # refused: materials missing, each named
    assert "申报材料不全" in operator.flashes()
    assert operator.state() == "draft"

    missing_specs = missing_materials(application)
    missing_ids = [m.id for m in missing_specs]
    assert len(missing_ids) == 4 and all(m.title in missing for m in missing_specs)
    assert all(operator.page.locator(f"#form-upload-{m}").count() == 1 for m in missing_ids)
    for material_id in missing_ids:
        operator.upload(material_id, f"{material_id}.pdf", demo_pdf(f"Lucheng park: {material_id}"))
        assert f"{material_id}.pdf" in operator.page.inner_text(f"#material-{material_id}")
    assert operator.page.locator("#missing-materials").count() == 0, missing
    operator.take("submit")
    assert operator.state() == "county_review"
    assert operator.page.locator("#transition-submit").count() == 0  # nothing more for the operator here

    # --- the county: preliminary review ------------------------------------------------------------
    county = open_session().login("cz_lucheng").open_application(application.id)
    assert county.page.locator("#form-upload-application_letter").count() == 0  # officers do not upload
    county.take("county_pass", remark="材料齐全，同意上报市人社局")
    assert county.state() == "city_review"

    # --- the city: accepts, and waives the in-principle branch-site condition -----------------------
    city = open_session().login("cz_city").open_application(application.id)
    city.take("city_accept")
    assert city.state() == "joint_evaluation"
    assert city.criterion("branch_sites").get_attribute("data-status") == "not_met_waivable"
    with city.page.expect_navigation():
        city.page.click("#form-waiver-branch_sites button[type=submit]")  # no reason: refused
    assert "豁免理由" in city.flashes()
    city.page.fill("#form-waiver-branch_sites textarea[name=reason]", "分园区均在同一街区，经市局研究同意按一个园区管理")
    with city.page.expect_navigation():
        city.page.click("#form-waiver-branch_sites button[type=submit]")
    assert city.criterion("branch_sites").get_attribute("data-final-status") == "waived"
    assert city.criterion("branch_sites").locator(".article").inner_text() == "第六条第（二）项"

    # --- the panel: a verdict on every condition that needs judgement --------------------------------
    panel = open_session().login("cz_panel").open_application(application.id)
    judged = [row.get_attribute("id").removeprefix("verdict-") for row in panel.page.locator(".verdict-row").all()]
    assert set(judged) == {"planning_report", "facilities", "integrity", "social_benefit"}
    assert panel.page.inner_text("#judged-progress") == "已评审0项，共4项"
    for criterion_id in judged:  # every verdict on one form, saved together
        panel.page.check(f"#met-{criterion_id}-1")
        panel.page.fill(f"#verdict-{criterion_id} textarea", "经评审小组评议，符合要求")
    with panel.page.expect_navigation():
        panel.page.click("#save-verdicts")
    assert panel.page.evaluate("location.hash") == "#criteria"  # back where the panel was
    assert panel.page.inner_text("#judged-progress") == "已评审4项，共4项"
    for criterion_id in judged:
        assert panel.criterion(criterion_id).get_attribute("data-final-status") == "judged_met"
    assert panel.page.locator("#transition-evaluation_pass").count() == 0  # the panel does not decide

    # --- the city: passes the evaluation with the site-inspection record; the notice opens ------------
    city.open_application(application.id)
    assert city.page.get_attribute("#eligibility-outcome", "data-outcome") == "eligible"
    city.take("evaluation_pass")  # the site inspection must be recorded
    assert "请填写意见或理由" in city.flashes()
    assert city.state() == "joint_evaluation"
    city.take("evaluation_pass", remark=SITE_INSPECTION)
    assert city.state() == "public_notice"
    assert city.page.get_attribute("#notice-end", "data-date") == NOTICE_END.isoformat()
    assert city.page.inner_text("#notice-end") == "2026年10月10日"
    assert re.search(r"(?<!\d)5\s*(个工作日|working days)", city.page.inner_text("#public-notice"))
    city.screenshot("flow-02-city-public-notice-zh")
    notice = PublicNotice.get(PublicNotice.application == application.id)
    assert (notice.start, notice.end, notice.working_days) == (demo_server.clock.day, NOTICE_END, 5)

    # --- approval: refused on the notice's last day, given the day after -----------------------------
    demo_server.clock.day = NOTICE_END
    city.open_application(application.id)
    city.take("approve")
    assert "公示期满后方可办理" in city.flashes() and "2026年10月10日" in city.flashes()
    assert city.state() == "public_notice"

    demo_server.clock.day = NOTICE_END + datetime.timedelta(days=1)
    city.open_application(application.id)
    city.take("approve")
    assert city.state() == "recognised"
    recognition = Recognition.get(Recognition.application == application.id)
    assert recognition.recognised_on == datetime.date(2026, 10, 11)
    assert city.page.inner_text("#recognition-link") == recognition.official_name
    city.screenshot("flow-03-city-recognised-zh")

    steps = [(s.transition, s.actor, s.remark) for s in ReviewStep.select().where(ReviewStep.application == application.id)
             .order_by(ReviewStep.id)]
    assert [t for t, _a, _r in steps] == ["submit", "county_pass", "city_accept", "evaluation_pass", "approve"]
    assert [a for _t, a, _r in steps] == ["cz_park_lucheng", "cz_lucheng", "cz_city", "cz_city", "cz_city"]
    assert steps[3][2] == SITE_INSPECTION
