"""The recognition procedure of each city, driven through core.records.services as the back office drives it."""
import datetime

import pytest

from core.records.models import Application, AuditLog, Material, PublicNotice, Recognition, ReviewStep, StaleEditError
from core.records.services import applications as apps
from core.records.services.base import NotFound, PermissionDenied, ServiceError
from core.records.services.materials import add_material
from tests.builders import PDF, actor, make_park

CHANGZHI_MATERIALS = ("application_letter", "approval_form", "feasibility_plan", "operation_report",
                      "agency_roster", "agency_licences", "agency_operation_proof")
KARAMAY_MATERIALS = ("application_report", "feasibility_plan", "operation_report", "agency_roster",
                     "agency_licences", "agency_financials")


def upload_all(application, who, ids, tmp_path):
    for material_id in ids:
        add_material(application, material_id, f"{material_id}.pdf", PDF, who, directory=tmp_path)


def judge_all(application, who):
    for result in apps.judgement_pending(application):
        apps.record_verdict(application, result.criterion_id, True, "经评审，符合要求", who)


def test_changzhi_park_applies_and_is_recognised_after_five_working_days(world, tmp_path):
    """第七条: park applies → county preliminary review → city review → joint evaluation → notice → approval."""
    park = make_park(world["shangdang"], name="潞州人力资源服务产业园")
    operator = actor("park_operator", park=park)
    county = actor("county_officer", world["shangdang"])
    city = actor("city_officer", world["changzhi"])
    panel = actor("panel_member", world["changzhi"])

    application = apps.create_application(park, operator, year=2025)
    assert application.state == "draft"

    with pytest.raises(ServiceError) as missing:
        apps.take_transition(application, "submit", operator)
    assert "申请函件" in missing.value.zh and "第七条" in missing.value.zh

    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", county)
    apps.take_transition(application, "city_accept", city)

    with pytest.raises(ServiceError) as unjudged:
        apps.take_transition(application, "evaluation_pass", city, remark="实地考察：场地与材料一致", on=datetime.date(2025, 9, 29))
    assert "第六条" in unjudged.value.zh

    judge_all(application, panel)
    application = apps.take_transition(
        application, "evaluation_pass", city, remark="实地考察：场地与材料一致", on=datetime.date(2025, 9, 29)
    )
    assert application.state == "public_notice"
    notice = apps.latest_notice(application)
    # 2025-09-29, 09-30, then the National Day holiday, then 10-09, 10-10 and the make-up Saturday 10-11.
    assert (notice.start, notice.end, notice.working_days) == (datetime.date(2025, 9, 29), datetime.date(2025, 10, 11), 5)

    with pytest.raises(ServiceError) as early:
        apps.take_transition(application, "approve", city, on=datetime.date(2025, 10, 11))
    assert "2025年10月11日" in early.value.zh and "11 Oct 2025" in early.value.en  # issue 11 item 5
    application = apps.take_transition(application, "approve", city, on=datetime.date(2025, 10, 12))

    assert application.state == "recognised"
    recognition = Recognition.get(Recognition.application == application)
    assert recognition.official_name == "长治潞州人力资源服务产业园"
    assert recognition.recognised_on == datetime.date(2025, 10, 12)
    steps = [s.transition for s in ReviewStep.select().where(ReviewStep.application == application).order_by(ReviewStep.id)]
    assert steps == ["submit", "county_pass", "city_accept", "evaluation_pass", "approve"]


def test_karamay_district_department_files_and_city_recognises(world, tmp_path):
    """第六条: the district HRSS department files; panel review; party group; notice; recognition."""
    park = make_park(world["dushanzi"], name="独山子人力资源服务产业园", sites=((True, "2500"),),
                     revenue="5000000")
    district = actor("county_officer", world["dushanzi"])
    city = actor("city_officer", world["karamay"])
    panel = actor("panel_member", world["karamay"])

    with pytest.raises(PermissionDenied):
        apps.create_application(park, actor("park_operator", park=park))
    application = apps.create_application(park, district, year=2025)
    upload_all(application, district, KARAMAY_MATERIALS, tmp_path)
    apps.take_transition(application, "file", district)
    judge_all(application, panel)
    apps.take_transition(application, "panel_pass", city)
    apps.take_transition(application, "party_approve", city, on=datetime.date(2025, 11, 3))
    notice = apps.latest_notice(application)
    assert notice.end == datetime.date(2025, 11, 7)
    application = apps.take_transition(application, "recognise", city, on=datetime.date(2025, 11, 10))
    assert Recognition.get(Recognition.application == application).official_name == "克拉玛依独山子人力资源服务产业园"


def test_only_the_role_the_procedure_names_takes_a_transition(world, tmp_path):
    park = make_park(world["shangdang"])
    operator = actor("park_operator", park=park)
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    with pytest.raises(PermissionDenied) as refused:
        apps.take_transition(application, "submit", actor("county_officer", world["shangdang"]))
    assert "产业园运营方" in refused.value.zh
    assert Application.get_by_id(application.id).state == "draft"


def test_another_jurisdiction_cannot_reach_the_application(world, tmp_path):
    park = make_park(world["shangdang"])
    operator = actor("park_operator", park=park)
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    other_park = make_park(world["shangdang"], name="另一园区")
    before = AuditLog.select().count()
    for outsider in (actor("county_officer", world["dushanzi"]), actor("city_officer", world["karamay"]),
                     actor("park_operator", park=other_park)):
        with pytest.raises(NotFound):
            apps.take_transition(application, "county_pass", outsider)
        with pytest.raises(NotFound):
            apps.get_application(application.id, outsider)
    assert Application.get_by_id(application.id).state == "county_review"
    assert AuditLog.select().count() == before


def test_a_stale_transition_is_refused_and_nothing_is_written(world, tmp_path):
    park = make_park(world["shangdang"])
    operator = actor("park_operator", park=park)
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    read_version = Application.get_by_id(application.id).version
    apps.take_transition(application, "submit", operator)
    steps = ReviewStep.select().count()
    audit_rows = AuditLog.select().count()
    with pytest.raises(StaleEditError):
        apps.take_transition(application, "county_return", actor("county_officer", world["shangdang"]),
                             remark="材料不全", expected_version=read_version)
    assert ReviewStep.select().count() == steps
    assert AuditLog.select().count() == audit_rows


def test_a_refused_transition_leaves_no_trace(world, tmp_path):
    park = make_park(world["shangdang"])
    operator = actor("park_operator", park=park)
    application = apps.create_application(park, operator, year=2025)
    audit_rows = AuditLog.select().count()
    with pytest.raises(ServiceError):
        apps.take_transition(application, "withdraw", operator, remark="  ")
    assert AuditLog.select().count() == audit_rows
    assert Application.get_by_id(application.id).state == "draft"


def test_branch_sites_in_principle_can_be_waived_by_the_city_with_a_reason(world, tmp_path):
    """第六条第（二）项: 分园区原则上不超过3个 — four branches are waivable, with a recorded reason,
    during the joint evaluation (第七条第（二）项)."""
    park = make_park(world["shangdang"], sites=((True, "2500"), (False, "600"), (False, "600"), (False, "600"), (False, "600")))
    operator = actor("park_operator", park=park)
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", actor("county_officer", world["shangdang"]))
    apps.take_transition(application, "city_accept", actor("city_officer", world["changzhi"]))
    result = apps.evaluate_application(application).by_id("branch_sites")
    assert result.status == "not_met_waivable"
    with pytest.raises(PermissionDenied):
        apps.grant_waiver(application, "branch_sites", "历史原因", actor("county_officer", world["shangdang"]))
    with pytest.raises(ServiceError):
        apps.grant_waiver(application, "branch_sites", "", actor("city_officer", world["changzhi"]))
    with pytest.raises(ServiceError) as nothing_to_waive:
        apps.grant_waiver(application, "agency_count", "理由", actor("city_officer", world["changzhi"]))
    assert "不能豁免" in nothing_to_waive.value.zh
    apps.grant_waiver(application, "branch_sites", "四个分园区系原规划分批建设，经评审同意", actor("city_officer", world["changzhi"]))
    result = apps.evaluate_application(application).by_id("branch_sites")
    assert result.final_status == "waived"
    assert "分批建设" in result.waiver_reason


def test_an_objection_during_the_notice_stops_recognition(world, tmp_path):
    park = make_park(world["shangdang"])
    operator, city = actor("park_operator", park=park), actor("city_officer", world["changzhi"])
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", actor("county_officer", world["shangdang"]))
    apps.take_transition(application, "city_accept", city)
    judge_all(application, actor("panel_member", world["changzhi"]))
    apps.take_transition(application, "evaluation_pass", city, remark="实地考察通过", on=datetime.date(2025, 11, 3))
    apps.record_objection(application, "有群众反映入驻机构数量不实", city, on=datetime.date(2025, 11, 4))
    with pytest.raises(ServiceError) as objected:
        apps.take_transition(application, "approve", city, on=datetime.date(2025, 11, 20))
    assert "异议" in objected.value.zh
    assert PublicNotice.get(PublicNotice.application == application).objection_count == 1
    apps.take_transition(application, "notice_reject", city, remark="异议经核实成立", on=datetime.date(2025, 11, 20))
    assert Application.get_by_id(application.id).state == "rejected"
    assert not Recognition.select().where(Recognition.park == park).exists()


def test_a_notice_running_into_an_unknown_year_warns_and_counts_weekdays(world, tmp_path):
    park = make_park(world["shangdang"], year=2025)
    operator, city = actor("park_operator", park=park), actor("city_officer", world["changzhi"])
    application = apps.create_application(park, operator, year=2026)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", actor("county_officer", world["shangdang"]))
    apps.take_transition(application, "city_accept", city)
    judge_all(application, actor("panel_member", world["changzhi"]))
    apps.take_transition(application, "evaluation_pass", city, remark="实地考察通过", on=datetime.date(2026, 12, 29))
    notice = apps.latest_notice(application)
    assert "2027" in notice.calendar_warning
    assert notice.end == datetime.date(2027, 1, 4)  # Dec 29, 30, 31 (2026 known), then Mon Jan 4 counted blind


def test_materials_are_checked_for_type_size_and_content(world, tmp_path):
    park = make_park(world["shangdang"])
    operator = actor("park_operator", park=park)
    application = apps.create_application(park, operator, year=2025)
    with pytest.raises(ServiceError) as wrong_type:
        add_material(application, "application_letter", "letter.exe", b"MZ...", operator, directory=tmp_path)
    assert ".exe" in wrong_type.value.zh
    with pytest.raises(ServiceError) as disguised:
        add_material(application, "application_letter", "letter.pdf", b"MZ not a pdf", operator, directory=tmp_path)
    assert "不符" in disguised.value.zh
    with pytest.raises(ServiceError):
        add_material(application, "application_letter", "letter.pdf", b"", operator, directory=tmp_path)
    with pytest.raises(ServiceError) as unknown:
        add_material(application, "no_such_material", "x.pdf", PDF, operator, directory=tmp_path)
    assert "no_such_material" in unknown.value.zh
    assert Material.select().count() == 0
    assert not any(tmp_path.rglob("*.pdf"))

    first = add_material(application, "application_letter", "函件.pdf", PDF, operator, directory=tmp_path)
    second = add_material(application, "application_letter", "函件-修订.pdf", PDF + b"v2", operator, directory=tmp_path)
    assert Material.get_by_id(first.id).withdrawn and not Material.get_by_id(second.id).withdrawn
    assert apps.missing_materials(application)[0].id != "application_letter"
