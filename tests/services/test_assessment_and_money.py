"""Assessments and their consequences, subsidies through their statuses, and the fund ledger."""
import datetime
from decimal import Decimal

import pytest

from core.records.models import JurisdictionYear, LedgerEntry, ParkYear, Recognition, Rectification, Subsidy
from core.records.services import assessments, ledger, subsidies
from core.records.services.base import NotFound, PermissionDenied, ServiceError
from tests.builders import actor, make_park

PAYMENT = subsidies.Payment(datetime.date(2026, 3, 31), " 记-2026-0318 ", "市级财政运营补贴资金（第二十条）", "独山子产业园运营公司 基本户")

KARAMAY_SCORES_PASS = {i: 75 for i in ("agencies", "revenue", "tax", "employment", "service_products", "events",
                                        "fund_use", "plan", "management", "service_quality", "event_effect",
                                        "social_benefit")}
KARAMAY_SCORES_FAIL = {k: 40 for k in KARAMAY_SCORES_PASS}
CHANGZHI_PASS = {"economic_development": 80, "role_played": 80, "operation_management": 80}
CHANGZHI_FAIL = {"economic_development": 50, "role_played": 50, "operation_management": 50}


def recognise(park, jurisdiction, on):
    from core.plugin.registry import rules_for

    return Recognition.create(park=park, jurisdiction=jurisdiction, recognised_on=on,
                              official_name=rules_for(jurisdiction).recognised_name(park.name))


@pytest.fixture
def karamay_park(world):
    park = make_park(world["dushanzi"], name="独山子人力资源服务产业园", sites=((True, "2500"),), revenue="5000000")
    return park, recognise(park, world["dushanzi"], datetime.date(2025, 3, 1))


@pytest.fixture
def changzhi_park(world):
    park = make_park(world["shangdang"], name="潞州人力资源服务产业园")
    return park, recognise(park, world["shangdang"], datetime.date(2025, 3, 1))


def test_karamay_qualified_year_proposes_the_operating_subsidy_then_approve_and_pay(world, karamay_park):
    """第十八条, 第二十条: 合格 → 50万元 operating subsidy; the bureau approves, finance pays."""
    park, recognition = karamay_park
    city, finance = actor("city_officer", world["karamay"]), actor("city_finance", world["karamay"])
    assessment = assessments.create_assessment(recognition, 2025, KARAMAY_SCORES_PASS, city)
    assert assessment.grade == "qualified" and assessment.total_score == Decimal("75.00")
    assessments.confirm_assessment(assessment, city)
    subsidy = Subsidy.get((Subsidy.park == park) & (Subsidy.year == 2025))
    assert (subsidy.amount, subsidy.status, subsidy.article) == (Decimal("500000.00"), "proposed", "第十八条、第二十条")
    with pytest.raises(PermissionDenied):
        subsidies.act(subsidy, "pay", city)
    subsidies.act(subsidy, "approve", city)
    with pytest.raises(PermissionDenied):
        subsidies.act(subsidy, "approve", finance)
    paid = subsidies.act(subsidy, "pay", finance, payment=PAYMENT, today=datetime.date(2026, 4, 1))
    assert paid.status == "paid" and paid.status_changed_by == finance.username
    assert (paid.paid_on, paid.payment_voucher, paid.fund_source, paid.payee_account) == (
        datetime.date(2026, 3, 31), "记-2026-0318", "市级财政运营补贴资金（第二十条）", "独山子产业园运营公司 基本户")
    with pytest.raises(ServiceError):
        subsidies.act(paid, "recover", finance, reason="")
    recovered = subsidies.act(paid, "recover", finance, reason="经审计发现虚报入驻机构数量（第二十四条）")
    assert recovered.status == "recovered" and "第二十四条" in recovered.status_reason


def test_karamay_unqualified_orders_rectification_and_withholds_then_failed_rectification_revokes(world, karamay_park):
    """第十八条: 不合格 → criticism, rectification, no subsidy that year; still 不合格 → revoked."""
    park, recognition = karamay_park
    city = actor("city_officer", world["karamay"])
    assessment = assessments.create_assessment(recognition, 2025, KARAMAY_SCORES_FAIL, city)
    assert assessment.grade == "unqualified"
    confirmed = assessments.confirm_assessment(assessment, city, on=datetime.date(2026, 2, 10))
    kinds = [c["kind"] for c in confirmed.consequences]
    assert {"criticism", "rectify", "withhold_subsidy"} <= set(kinds)
    rectification = Rectification.get(Rectification.assessment == assessment)
    assert rectification.deadline == datetime.date(2026, 8, 10)
    assert Recognition.get_by_id(recognition.id).status == "rectifying"
    withheld = Subsidy.get((Subsidy.park == park) & (Subsidy.year == 2025))
    assert withheld.status == "withheld" and withheld.amount == 0
    assert withheld.amount_concerned == Decimal("500000.00")  # what was withheld, not hidden behind 0.00

    assessments.close_rectification(rectification, False, "复核仍不合格", city, on=datetime.date(2026, 8, 11))
    recognition = Recognition.get_by_id(recognition.id)
    assert recognition.status == "revoked" and "第十八条" in recognition.revocation_article
    assert recognition.revoked_on == datetime.date(2026, 8, 11)


def test_karamay_passed_rectification_restores_the_recognition(world, karamay_park):
    park, recognition = karamay_park
    city = actor("city_officer", world["karamay"])
    assessment = assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, KARAMAY_SCORES_FAIL, city), city)
    rectification = Rectification.get(Rectification.assessment == assessment)
    assessments.close_rectification(rectification, True, "整改到位", city)
    assert Recognition.get_by_id(recognition.id).status == "active"
    with pytest.raises(ServiceError):
        assessments.close_rectification(rectification, True, "再次办结", city)


def test_changzhi_two_consecutive_unqualified_years_revoke(world, changzhi_park):
    """第二十条第（二）项: 连续两次考核评估为不合格 → recognition revoked."""
    park, recognition = changzhi_park
    city = actor("city_officer", world["changzhi"])
    first = assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, CHANGZHI_FAIL, city), city)
    rectification = Rectification.get(Rectification.assessment == first)
    assessments.close_rectification(rectification, True, "整改到位", city)
    assert Recognition.get_by_id(recognition.id).status == "active"
    assessments.confirm_assessment(assessments.create_assessment(recognition, 2026, CHANGZHI_FAIL, city), city)
    assert Recognition.get_by_id(recognition.id).status == "revoked"


def test_changzhi_failed_rectification_cancels_the_cycle_subsidy(world, changzhi_park):
    """第二十条第（二）项: 整改后仍不合格 → the subsidy of the assessed cycle is cancelled, even one
    approved before the grade (held meanwhile, issue 11 item 17)."""
    park, recognition = changzhi_park
    city = actor("city_officer", world["changzhi"])
    stray = Subsidy.create(park=park, jurisdiction=world["shangdang"], recognition=recognition, kind="operating_grant",
                           year=2025, amount=Decimal("300000"), rule_id="changzhi.operating_grant", article="第十条",
                           status="approved")
    assessment = assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, CHANGZHI_FAIL, city), city)
    assert Subsidy.get_by_id(stray.id).status == "held"
    rectification = Rectification.get(Rectification.assessment == assessment)
    _, applied = assessments.close_rectification(rectification, False, "复核仍不合格", city)
    assert [c["kind"] for c in applied] == ["cancel_previous_cycle_subsidy"]
    cancelled = Subsidy.get_by_id(stray.id)
    assert (cancelled.status, cancelled.amount) == ("cancelled", Decimal("300000.00"))


def test_changzhi_operating_grant_follows_employment_above_fifteen_percent(world, changzhi_park):
    """第十条: ≥15% of the city's targets → 30万 + 30元/人 above the line, at most 50万."""
    park, recognition = changzhi_park
    city = actor("city_officer", world["changzhi"])
    JurisdictionYear.create(jurisdiction=world["changzhi"], year=2025, facts={"urban_new_jobs": 6000, "rural_transfer": 4000})
    ParkYear.create(park=park, year=2025, employment_promoted=1600)
    assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, CHANGZHI_PASS, city), city)
    grants = {s.kind: s for s in Subsidy.select().where((Subsidy.park == park) & (Subsidy.year == 2025))}
    assert grants["operating_grant"].amount == Decimal("303000.00")  # 300000 + 100 × 30
    assert grants["recognition_award"].amount == Decimal("800000.00")  # 第九条, the year of recognition
    assert subsidies.propose_subsidies(recognition, 2025, city) == []  # nothing proposed twice


def test_assessment_refused_for_other_jurisdictions_and_bad_scores(world, changzhi_park):
    park, recognition = changzhi_park
    with pytest.raises(NotFound):
        assessments.create_assessment(recognition, 2025, CHANGZHI_PASS, actor("city_officer", world["karamay"]))
    with pytest.raises(PermissionDenied):
        assessments.create_assessment(recognition, 2025, CHANGZHI_PASS, actor("county_officer", world["shangdang"]))
    with pytest.raises(ServiceError) as out_of_range:
        assessments.create_assessment(recognition, 2025, {**CHANGZHI_PASS, "role_played": 101}, actor("city_officer", world["changzhi"]))
    assert "0–100" in out_of_range.value.zh
    with pytest.raises(ServiceError) as missing:
        assessments.create_assessment(recognition, 2025, {"role_played": 80}, actor("city_officer", world["changzhi"]))
    # Named as people know them, in each language (issue 11 item 4), not by their ids.
    assert "经济发展情况" in missing.value.zh and "economic_development" not in missing.value.zh
    assert "economic development" in missing.value.en


def test_ledger_refuses_forbidden_uses_citing_the_article(world, karamay_park):
    """第二十条: 不得用于发放工作人员工资、津补贴."""
    park, _ = karamay_park
    operator = actor("park_operator", park=park)
    with pytest.raises(ServiceError) as wages:
        ledger.add_entry(park, "staff_wages", "12000", datetime.date(2025, 6, 1), "园区运营", operator)
    assert "第二十条" in wages.value.zh
    with pytest.raises(ServiceError):
        ledger.add_entry(park, "rent_utilities", "-1", datetime.date(2025, 6, 1), "房租减免", operator)
    with pytest.raises(ServiceError):
        ledger.add_entry(park, "rent_utilities", "100", datetime.date(2025, 6, 1), "", operator)
    entry = ledger.add_entry(park, "rent_utilities", "35000.50", datetime.date(2025, 6, 1), "2025年入驻机构房租减免", operator,
                             voucher="记-2025-061")
    assert entry.amount == Decimal("35000.50")
    other = make_park(world["shangdang"], name="长治园")
    with pytest.raises(NotFound):
        ledger.add_entry(other, "agency_rent", "100", datetime.date(2025, 6, 1), "x", operator)
    cancelled = ledger.cancel_entry(entry, "凭证号录错，冲销重录", operator)
    assert cancelled.status == "cancelled"
    assert LedgerEntry.select().count() == 1


@pytest.fixture
def approved(world, karamay_park):
    park, recognition = karamay_park
    city = actor("city_officer", world["karamay"])
    assessments.confirm_assessment(assessments.create_assessment(recognition, 2025, KARAMAY_SCORES_PASS, city), city)
    return subsidies.act(Subsidy.get((Subsidy.park == park) & (Subsidy.year == 2025)), "approve", city)


@pytest.mark.parametrize("change, field, message", [
    ({"paid_on": None}, "paid_on", "请填写有效的拨付日期"),
    ({"paid_on": datetime.date(2026, 4, 2)}, "paid_on", "晚于今天"),  # the day after today
    ({"paid_on": datetime.date(2024, 12, 31)}, "paid_on", "早于补贴所属的2025年度"),  # the day before its year
    ({"voucher": "  "}, "voucher", "凭证号"),
    ({"fund_source": ""}, "fund_source", "资金来源"),
    ({"payee_account": ""}, "payee_account", "收款账户"),
    ({"voucher": "记" * 101}, "voucher", "不能超过100个字符"),
])
def test_a_payment_is_refused_naming_what_is_wrong_and_nothing_is_written(world, approved, change, field, message):
    from dataclasses import replace

    finance = actor("city_finance", world["karamay"])
    with pytest.raises(ServiceError) as refused:
        subsidies.act(approved, "pay", finance, payment=replace(PAYMENT, **change), today=datetime.date(2026, 4, 1))
    assert refused.value.field == field and message in refused.value.zh
    stored = Subsidy.get_by_id(approved.id)
    assert (stored.status, stored.paid_on, stored.payment_voucher) == ("approved", None, "")


@pytest.mark.parametrize("day", [datetime.date(2026, 4, 1), datetime.date(2025, 1, 1)])  # today; its year's first day
def test_a_payment_on_the_boundary_days_is_taken(world, approved, day):
    from dataclasses import replace

    paid = subsidies.act(approved, "pay", actor("city_finance", world["karamay"]), payment=replace(PAYMENT, paid_on=day),
                         today=datetime.date(2026, 4, 1))
    assert (paid.status, paid.paid_on) == ("paid", day)


def test_withholding_cancelling_and_recovering_record_the_amount_concerned(world, approved):
    city, finance = actor("city_officer", world["karamay"]), actor("city_finance", world["karamay"])
    paid = subsidies.act(approved, "pay", finance, payment=PAYMENT, today=datetime.date(2026, 4, 1))
    assert paid.amount_concerned is None
    recovered = subsidies.act(paid, "recover", finance, reason="虚报（第二十四条）")
    assert (recovered.amount_concerned, recovered.amount) == (Decimal("500000.00"), Decimal("500000.00"))
