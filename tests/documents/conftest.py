"""Fixtures of the document tests: the cities' templates wired into their plugins (until the plugin
classes call plugins.<city>.documents themselves), and one park of each city taken through its
whole life by the services — application, notice, recognition, assessments, rectification, subsidies."""
import datetime
from decimal import Decimal

import pytest

from core.records.models import JurisdictionYear, Jurisdiction, ParkYear, PublicNotice, Recognition, Rectification, Subsidy
from core.records.services import applications as apps
from core.records.services import assessments, subsidies
from core.records.services.materials import add_material
from tests.builders import PDF, actor, make_park

CHANGZHI_PASS = {"economic_development": 80, "role_played": 80, "operation_management": 80}
CHANGZHI_FAIL = {k: 50 for k in CHANGZHI_PASS}
KARAMAY_IDS = ("agencies", "revenue", "tax", "employment", "service_products", "events", "fund_use", "plan",
               "management", "service_quality", "event_effect", "social_benefit")


def upload_all(application, who, tmp_path):
    for spec in apps.rules_of(application).materials():
        if spec.required:
            add_material(application, spec.id, f"{spec.id}.pdf", PDF, who, directory=tmp_path)


def describe(park, **changes):
    """The approval form's particulars (附件), recorded on the park."""
    values = dict(contact_person="王建国", phone="0355-2021888", property_ownership="区属国有资产",
                  registration_date=datetime.date(2021, 5, 8), investment_wan=Decimal("1200.50"),
                  build_mode="conversion", offered_services=["policy_consultation", "registration", "financing"])
    values.update(changes)
    for key, value in values.items():
        setattr(park, key, value)
    park.save()
    return park


@pytest.fixture
def changzhi_case(world, tmp_path):
    """A 屯留区 park (屯留 has no measures of its own: Changzhi's rules and templates apply)."""
    tunliu = Jurisdiction.create(code="changzhi-tunliu", name_zh="屯留区", level="county", parent=world["changzhi"])
    park = describe(make_park(tunliu, name="屯留区人力资源服务产业园", sites=((True, "3500"), (False, "1200"))))
    park.operator_name = "屯留区人力资源产业园运营管理有限公司"
    park.save()
    operator, county = actor("park_operator", park=park), actor("county_officer", tunliu)
    city, panel = actor("city_officer", world["changzhi"]), actor("panel_member", world["changzhi"])
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", county, remark="材料齐全，同意上报。")
    apps.take_transition(application, "city_accept", city)
    for result in apps.judgement_pending(application):
        apps.record_verdict(application, result.criterion_id, True, "经评审，符合要求", panel)
    apps.take_transition(application, "evaluation_pass", city, remark="联合评审通过。\n实地考察：场地、设施与申报一致。",
                         on=datetime.date(2025, 9, 29))
    notice = PublicNotice.get(PublicNotice.application == application)
    apps.take_transition(application, "approve", city, on=datetime.date(2025, 10, 12))
    recognition = Recognition.get(Recognition.application == application)
    JurisdictionYear.create(jurisdiction=world["changzhi"], year=2025, facts={"urban_new_jobs": 6000, "rural_transfer": 4000})
    ParkYear.create(park=park, year=2025, employment_promoted=1600)
    excellent = assessments.confirm_assessment(
        assessments.create_assessment(recognition, 2025, {k: 95 for k in CHANGZHI_PASS}, city,
                                      assessed_on=datetime.date(2026, 3, 10)), city, on=datetime.date(2026, 3, 10))
    failed = assessments.confirm_assessment(
        assessments.create_assessment(recognition, 2026, CHANGZHI_FAIL, city, assessed_on=datetime.date(2027, 3, 12)),
        city, on=datetime.date(2027, 3, 12))
    grants = {s.kind: s for s in Subsidy.select().where((Subsidy.park == park) & (Subsidy.year == 2025))}
    subsidies.act(grants["recognition_award"], "approve", city)
    return {
        "park": park, "county": tunliu, "application": application, "notice": notice, "recognition": recognition,
        "excellent": excellent, "failed": failed, "rectification": Rectification.get(Rectification.assessment == failed),
        "award": grants["recognition_award"], "grant": grants["operating_grant"],
        "city": city, "operator": operator,
    }


@pytest.fixture
def karamay_case(world, tmp_path):
    park = describe(make_park(world["dushanzi"], name="独山子人力资源服务产业园", sites=((True, "2500"),),
                              revenue="5000000"))
    district, city = actor("county_officer", world["dushanzi"]), actor("city_officer", world["karamay"])
    panel, finance = actor("panel_member", world["karamay"]), actor("city_finance", world["karamay"])
    application = apps.create_application(park, district, year=2025)
    upload_all(application, district, tmp_path)
    apps.take_transition(application, "file", district, remark="区人社局审核同意申报")
    for result in apps.judgement_pending(application):
        apps.record_verdict(application, result.criterion_id, True, "经评审小组评议，符合要求", panel)
    apps.take_transition(application, "panel_pass", city)
    apps.take_transition(application, "party_approve", city, on=datetime.date(2025, 11, 3))
    notice = PublicNotice.get(PublicNotice.application == application)
    apps.take_transition(application, "recognise", city, on=datetime.date(2025, 11, 10))
    recognition = Recognition.get(Recognition.application == application)
    excellent = assessments.confirm_assessment(
        assessments.create_assessment(recognition, 2025, {k: 93 for k in KARAMAY_IDS}, city,
                                      assessed_on=datetime.date(2026, 3, 6)), city, on=datetime.date(2026, 3, 6))
    paid = Subsidy.get((Subsidy.park == park) & (Subsidy.year == 2025))
    subsidies.act(paid, "approve", city)
    subsidies.act(paid, "pay", finance, today=datetime.date(2026, 4, 1),
                  payment=subsidies.Payment(datetime.date(2026, 3, 20), "记-2026-0320", "市级财政资金", "运营公司 基本户"))
    failed = assessments.confirm_assessment(
        assessments.create_assessment(recognition, 2026, {k: 40 for k in KARAMAY_IDS}, city,
                                      assessed_on=datetime.date(2027, 3, 8)), city, on=datetime.date(2027, 3, 8))
    return {
        "park": park, "application": application, "notice": notice, "recognition": recognition,
        "excellent": excellent, "failed": failed, "rectification": Rectification.get(Rectification.assessment == failed),
        "paid": Subsidy.get_by_id(paid.id), "withheld": Subsidy.get((Subsidy.park == park) & (Subsidy.year == 2026)),
        "city": city,
    }
