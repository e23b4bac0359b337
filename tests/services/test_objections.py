"""Objections to a public notice as records: filing inside the notice only, the 已受理 → 调查核实 →
成立 / 不成立 handling by the city's officers, what recognition waits for, masking, and erasure."""
import datetime
import json

import pytest

from core.records.models import Application, AuditLog, Objection, PublicNotice, Recognition, Setting, StaleEditError
from core.records.services import applications as apps
from core.records.services import objections as obj
from core.records.services.base import NotFound, PermissionDenied, ServiceError
from tests.builders import PDF, actor, make_park
from tests.services.test_application_procedure import CHANGZHI_MATERIALS, judge_all, upload_all

NOTICE_DAY = datetime.date(2025, 11, 3)  # a Monday: five working days end on Friday the 7th


@pytest.fixture
def under_notice(world, tmp_path, monkeypatch):
    """A Changzhi application under its public notice (3–7 Nov 2025), and the city officer."""
    monkeypatch.setenv("HRPARK_UPLOAD_DIR", str(tmp_path / "uploads"))
    park = make_park(world["shangdang"])
    operator, city = actor("park_operator", park=park), actor("city_officer", world["changzhi"])
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", actor("county_officer", world["shangdang"]))
    apps.take_transition(application, "city_accept", city)
    judge_all(application, actor("panel_member", world["changzhi"]))
    apps.take_transition(application, "evaluation_pass", city, remark="实地考察通过", on=NOTICE_DAY)
    return application, apps.latest_notice(application), city


def file(notice, on=datetime.date(2025, 11, 4), phone="13812345678", address="10.0.0.1", **kwargs):
    return obj.file_objection(notice.id, "张三", phone, "入驻机构数量不实", on=on, address=address, **kwargs)


def test_objections_are_taken_from_the_first_to_the_last_day_of_the_notice(under_notice):
    application, notice, city = under_notice
    assert notice.end == datetime.date(2025, 11, 7)
    for outside in (datetime.date(2025, 11, 2), datetime.date(2025, 11, 8)):
        with pytest.raises(ServiceError) as refused:
            file(notice, on=outside)
        assert "期外不受理异议" in refused.value.zh
    assert Objection.select().count() == 0
    first, last = file(notice, on=notice.start), file(notice, on=notice.end, phone="13900001111")
    assert (first.received_on, last.received_on) == (notice.start, notice.end)
    assert first.reference != last.reference and len(first.reference) == 12
    assert PublicNotice.get_by_id(notice.id).objection_count == 2


def test_only_the_city_officer_handles_an_objection_in_order(under_notice, world):
    application, notice, city = under_notice
    objection = file(notice)
    for other in (actor("county_officer", world["shangdang"]), actor("panel_member", world["changzhi"]),
                  actor("park_operator", park=application.park)):
        with pytest.raises(PermissionDenied):
            obj.start_investigation(objection, other)
    with pytest.raises(NotFound):
        obj.start_investigation(objection, actor("city_officer", world["karamay"]))
    with pytest.raises(ServiceError) as not_yet:
        obj.decide(objection, "dismissed", "查无实据", "经核实不成立", city)
    assert "不能办结异议" in not_yet.value.zh
    investigating = obj.start_investigation(objection, city, expected_version=1, on=datetime.date(2025, 11, 5))
    assert (investigating.status, investigating.officer) == ("investigating", city.username)
    with pytest.raises(StaleEditError):
        obj.decide(objection, "dismissed", "查无实据", "经核实不成立", city, expected_version=1)
    with pytest.raises(ServiceError) as no_reply:
        obj.decide(objection, "dismissed", "查无实据", "", city, expected_version=investigating.version)
    assert no_reply.value.field == "reply"
    assert Objection.get_by_id(objection.id).status == "investigating"


def test_recognition_waits_while_an_objection_is_open_then_proceeds_once_dismissed(under_notice):
    application, notice, city = under_notice
    objection = file(notice)
    after = datetime.date(2025, 11, 10)
    with pytest.raises(ServiceError) as waiting:
        apps.take_transition(application, "approve", city, on=after)
    assert objection.reference in waiting.value.zh
    objection = obj.start_investigation(objection, city)
    with pytest.raises(ServiceError) as still:
        apps.take_transition(application, "approve", city, on=after)
    assert objection.reference in still.value.zh
    obj.decide(objection, "dismissed", "经实地核查，入驻机构数量属实", "您反映的问题经核实不成立", city, on=after)
    assert apps.take_transition(application, "approve", city, on=after).state == "recognised"
    assert Recognition.select().where(Recognition.application == application).exists()


def test_an_upheld_objection_ends_the_application_by_the_procedures_transition(under_notice):
    application, notice, city = under_notice
    objection = obj.start_investigation(file(notice), city)
    obj.decide(objection, "upheld", "两家机构已注销", "您反映的问题经核实成立，不予认定", city, on=datetime.date(2025, 11, 10))
    ended = Application.get_by_id(application.id)
    assert ended.state == "rejected"
    step = ended.steps.order_by(ended.steps.model.id.desc()).first()
    assert step.transition == "notice_reject" and objection.reference in step.remark
    assert not Recognition.select().where(Recognition.application == application).exists()


def test_an_upheld_objection_refuses_recognition_naming_the_way_out(under_notice):
    application, notice, city = under_notice
    objection = obj.start_investigation(file(notice), city)
    with pytest.raises(ServiceError) as refused:
        decided = Objection.get_by_id(objection.id)
        decided.status = "upheld"  # as if the application had left the notice already
        decided.save()
        apps.take_transition(application, "approve", city, on=datetime.date(2025, 11, 10))
    assert "第七条第（三）项" in refused.value.zh and objection.reference in refused.value.zh


def test_online_objections_need_a_real_name_and_a_valid_phone(under_notice):
    application, notice, city = under_notice
    for name, phone in (("", "13812345678"), ("张三", ""), ("张三", "12345"), ("张\x00三", "13812345678"), ("张" * 41, "13812345678")):
        with pytest.raises(ServiceError):
            obj.file_objection(notice.id, name, phone, "内容", on=datetime.date(2025, 11, 4))
    assert Objection.select().count() == 0


def test_online_objections_are_limited_per_address_and_per_phone(under_notice):
    application, notice, city = under_notice
    at = datetime.datetime(2025, 11, 4, 9, 0)
    for n in range(obj.PER_PHONE_PER_HOUR):
        file(notice, address=f"10.0.0.{n}", now=at)
    with pytest.raises(ServiceError) as by_phone:
        file(notice, address="10.0.0.99", now=at)
    assert by_phone.value.field == "rate"
    for n in range(obj.PER_ADDRESS_PER_HOUR):
        file(notice, phone=f"1390000{n:04d}", address="10.9.9.9", now=at)
    with pytest.raises(ServiceError):
        file(notice, phone="13700000000", address="10.9.9.9", now=at)
    assert Objection.select().count() == obj.PER_PHONE_PER_HOUR + obj.PER_ADDRESS_PER_HOUR
    file(notice, address="10.9.9.9", now=at + datetime.timedelta(hours=1, seconds=1))  # an hour later it is allowed


def test_attachments_are_checked_like_materials(under_notice):
    application, notice, city = under_notice
    for attachment in (("a.exe", b"MZ"), ("a.pdf", b"not a pdf"), ("a.pdf", b""), ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * obj.ATTACHMENT_MAX_BYTES)):
        with pytest.raises(ServiceError) as refused:
            file(notice, attachment=attachment)
        assert refused.value.field == "attachment"
    assert Objection.select().count() == 0
    stored = file(notice, attachment=("证明.pdf", PDF + b"proof"))
    assert stored.attachment_name == "证明.pdf" and open(stored.attachment_path, "rb").read() == PDF + b"proof"


def test_the_objector_looks_up_only_their_own_objection(under_notice):
    application, notice, city = under_notice
    mine, theirs = file(notice), file(notice, phone="13900002222")
    assert obj.look_up(mine.reference.lower(), "5678").id == mine.id
    for reference, last4 in ((mine.reference, "2222"), (theirs.reference, "5678"), ("", ""), ("X" * 12, "5678")):
        with pytest.raises(NotFound):
            obj.look_up(reference, last4)


def test_masking_and_who_sees_the_objector(under_notice, world):
    application, notice, city = under_notice
    assert obj.mask_phone("13812345678") == "138****5678" and obj.mask_name("张三丰") == "张**"
    assert obj.may_see_personal(city, application)
    for other in (actor("county_officer", world["shangdang"]), actor("panel_member", world["changzhi"]),
                  actor("park_operator", park=application.park), actor("city_officer", world["karamay"]),
                  actor("finance_officer", world["changzhi"])):
        assert not obj.may_see_personal(other, application)


def test_the_audit_log_never_holds_the_objectors_personal_information(under_notice):
    application, notice, city = under_notice
    objection = file(notice, attachment=("证明.pdf", PDF))
    obj.decide(obj.start_investigation(objection, city), "dismissed", "查无实据", "不成立", city)
    rows = AuditLog.select().where(AuditLog.table == "objection")
    assert rows.count() >= 3
    logged = " ".join(f"{r.before} {r.after}" for r in rows)
    for personal in ("张三", "13812345678", "10.0.0.1", "证明.pdf"):
        assert personal not in logged


def test_erasure_after_the_retention_period(under_notice):
    application, notice, city = under_notice
    objection = file(notice, attachment=("证明.pdf", PDF))
    decided_on = datetime.date(2025, 11, 10)
    obj.decide(obj.start_investigation(objection, city), "dismissed", "查无实据", "不成立", city, on=decided_on)
    still_open = file(notice, phone="13900003333")
    Setting.create(jurisdiction_code="", key="objection_retention_days", value="30")
    assert obj.erase_expired(on=decided_on + datetime.timedelta(days=30)) == []  # the 30th day: kept
    assert Objection.get_by_id(objection.id).objector_name == "张三"
    assert obj.erase_expired(on=decided_on + datetime.timedelta(days=31)) == [objection.reference]
    erased = Objection.get_by_id(objection.id)
    assert (erased.objector_name, erased.objector_phone, erased.filed_from, erased.attachment_path) == ("", "", "", "")
    assert not __import__("os").path.exists(objection.attachment_path)
    assert Objection.get_by_id(still_open.id).objector_name == "张三"
    row = AuditLog.select().where(AuditLog.action == "erase").order_by(AuditLog.id.desc()).first()
    assert json.loads(row.after)["references"] == [objection.reference] and "张三" not in row.after
