"""青川市's whole procedure (第四条) in the back office, through the pages with the Flask test client:
the park submits, the county passes it, the experts (评审专家, a role the programme declares in its
roles.yaml) judge and give their opinion at the step that is theirs alone (专家评审), the city bureau decides and publishes the notice of 5
working days, then recognises. At each stage each role sees exactly its own buttons, and a step
forged by the wrong role is refused and changes nothing."""
import pytest

from admin_test_helpers import db_snapshot
from core.records.models import Application, Recognition, ReviewStep
from tests.admin_workflow.pages import DAY, buttons, element_text, upload_all

MATERIALS = ("application_report", "development_plan", "agency_roster", "apartment_proof")
ACCOUNTS = ("operator", "county", "expert", "panel", "city", "finance")
#: Who takes each step, and the buttons each role sees in the state the step leaves.
STEPS = (
    ("submit", "operator", ""),
    ("county_pass", "county", ""),
    ("expert_pass", "expert", "专家评审组意见：规划科学，人才公寓配套到位，同意通过。"),
    ("city_publish", "city", ""),
)
EXPECTED_BUTTONS = {
    "draft": {"operator": {"submit", "withdraw"}},
    "county_review": {"county": {"county_pass", "county_return"}},
    "expert_review": {"expert": {"expert_pass", "expert_reject"}},
    "city_decision": {"city": {"city_publish", "city_reject"}},
}


def details(application):
    return f"/admin/application/details/?id={application.id}"


def transition(application):
    return f"/admin/application/{application.id}/transition/"


def take(browser, application, step, remark=""):
    fresh = Application.get_by_id(application.id)
    return browser.flashed(transition(application), {"transition": step, "version": str(fresh.version), "remark": remark})


def open_application(browse, town, on_day):
    on_day(DAY(2026, 3, 2))
    operator = browse("operator")
    assert operator.post("/admin/application/open/", {"park": town.park.id, "year": "2026"}).status_code == 302
    application = Application.get(Application.park == town.park)
    upload_all(operator, application, MATERIALS)
    return application


def test_qingchuan_article_4_park_county_experts_city_notice_recognition(browse, town, on_day):
    application = open_application(browse, town, on_day)
    browsers = {account: browse(account) for account in ACCOUNTS}
    for step, account, remark in STEPS:
        state = Application.get_by_id(application.id).state
        for name, browser in browsers.items():  # each role sees its own buttons, and only at its stage
            response = browser.get(details(application))
            if name == "finance":  # the finance bureau does not see applications at all
                assert response.status_code == 403
                continue
            shown = buttons(response.get_data(as_text=True), "transition")
            assert shown == EXPECTED_BUTTONS[state].get(name, set()), (state, name)
        if step == "expert_pass":
            # the experts give an opinion on 第三条第（一）项 before they may pass the park
            page = take(browsers["expert"], application, step, remark)
            assert "以下条件尚未满足、未评审或未豁免" in page and "第三条第（一）项" in page
            response = browsers["city"].post(f"/admin/application/{application.id}/verdict/",
                                             {"criterion_id": "planning_report", "met": "1", "remark": "符合"})
            assert response.status_code == 403  # a verdict is the experts' (第四条第（二）项)
            browsers["expert"].post(f"/admin/application/{application.id}/verdict/",
                                    {"criterion_id": "planning_report", "met": "1", "remark": "规划报告科学合理"})
        page = take(browsers[account], application, step, remark)
        assert "已完成" in page, step

    assert element_text(page, "application-state") == "公示中"
    assert element_text(page, "notice-end") == "2026年3月6日"  # Monday 2 March + 5 working days
    on_day(DAY(2026, 3, 6))
    assert "公示期满后方可办理" in take(browsers["city"], application, "recognise")
    on_day(DAY(2026, 3, 9))
    page = take(browsers["city"], application, "recognise")
    assert element_text(page, "application-state") == "已认定"
    assert Recognition.get(Recognition.application == application).official_name == "青川白水人力资源服务产业园"
    steps = ReviewStep.select().where(ReviewStep.application == application).order_by(ReviewStep.id)
    assert [(s.transition, s.role) for s in steps] == [
        ("submit", "park_operator"), ("county_pass", "county_officer"), ("expert_pass", "expert"),
        ("city_publish", "city_officer"), ("recognise", "city_officer"),
    ]
    assert "评审专家" in browsers["city"].html(details(application))  # the step's role, named as declared


@pytest.mark.parametrize("account, forged", [
    ("city", "expert_pass"),  # the city bureau does not take the experts' step
    ("county", "expert_pass"),
    ("operator", "expert_pass"),
    ("finance", "expert_pass"),
    ("panel", "expert_pass"),  # a core review-panel member is not one of the programme's experts
    ("expert", "city_publish"),  # nor the experts the bureau's
])
def test_a_step_of_another_role_is_refused_and_changes_nothing(browse, town, on_day, account, forged):
    application = open_application(browse, town, on_day)
    take(browse("operator"), application, "submit")
    take(browse("county"), application, "county_pass")
    if forged == "city_publish":
        browse("expert").post(f"/admin/application/{application.id}/verdict/",
                              {"criterion_id": "planning_report", "met": "1", "remark": "符合"})
        take(browse("expert"), application, "expert_pass", "同意")
    intruder = browse(account)  # signed in first: signing in records the login
    before = db_snapshot()
    fresh = Application.get_by_id(application.id)
    response = intruder.post(transition(application), {"transition": forged, "version": str(fresh.version),
                                                               "remark": "越权"})
    assert response.status_code in (403, 404)
    assert db_snapshot() == before


def test_another_citys_officer_cannot_see_or_act_on_a_qingchuan_application(browse, town, on_day):
    application = open_application(browse, town, on_day)
    changzhi = browse("changzhi_city")
    assert changzhi.get(details(application)).status_code in (302, 403, 404)
    response = changzhi.post(transition(application), {"transition": "submit", "version": "1"})
    assert response.status_code in (403, 404)
    assert Application.get_by_id(application.id).state == "draft"
