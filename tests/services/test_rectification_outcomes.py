"""What a rectification's outcome does to the money and the recognition.

Issue 11 item 17, 长治 第二十条: 合格及以上 are paid (第（一）项); 不合格 → 限期整改, and “整改后仍不合格
的，取消其上一个考核评估周期应划拨的补助资金” (第（二）项). The assessed cycle's grant is held while the
park rectifies; a passed rectification makes it payable again, citing the rectification; a failed
one cancels it, with its amount.

Issue 11 item 18, 克拉玛依 第十八条: “对整改期满仍不合格的产业园取消其市级人力资源服务产业园资格” —
still unqualified is found on or after the deadline, never before it.
"""
import datetime
from decimal import Decimal

import pytest

from core.records.models import Assessment, JurisdictionYear, ParkYear, Recognition, Rectification, Subsidy
from core.records.services import assessments, subsidies
from core.records.services.base import ServiceError
from tests.builders import actor
from tests.services.test_assessment_and_money import CHANGZHI_FAIL, KARAMAY_SCORES_FAIL, changzhi_park, karamay_park  # noqa: F401

GRANT = Decimal("303000.00")  # 第十条: 30万元 + (1600 − 1500) × 30元
CONFIRMED = datetime.date(2026, 3, 10)  # 第十八条: the first quarter after the year assessed
DEADLINE = datetime.date(2026, 9, 10)  # six months (rectification_months, a local default)


@pytest.fixture
def unqualified_2025(world, changzhi_park):
    """A Changzhi park graded 不合格 for 2025, a year whose employment earns a 303,000 grant."""
    park, recognition = changzhi_park
    city = actor("city_officer", world["changzhi"])
    JurisdictionYear.create(jurisdiction=world["changzhi"], year=2025, facts={"urban_new_jobs": 6000, "rural_transfer": 4000})
    ParkYear.create(park=park, year=2025, employment_promoted=1600)
    assessment = assessments.create_assessment(recognition, 2025, CHANGZHI_FAIL, city, assessed_on=CONFIRMED)
    assessment = assessments.confirm_assessment(assessment, city, on=CONFIRMED)
    return park, recognition, assessment, city


def grant_of(park, year=2025):
    return Subsidy.get((Subsidy.park == park) & (Subsidy.year == year) & (Subsidy.kind == "operating_grant"))


def test_issue_11_item_17_unqualified_holds_the_cycles_grant_with_its_amount(unqualified_2025):
    park, recognition, assessment, city = unqualified_2025
    assert [c["kind"] for c in assessment.consequences] == ["rectify", "hold_subsidy"]
    grant = grant_of(park)
    assert (grant.status, grant.amount) == ("held", GRANT)
    assert "暂缓兑现" in grant.status_reason
    award = Subsidy.get((Subsidy.park == park) & (Subsidy.kind == "recognition_award"))
    assert (award.status, award.amount) == ("proposed", Decimal("800000.00"))  # 第九条 rewards recognition itself
    assert subsidies.allowed_actions(grant, "city_officer") == [] and subsidies.allowed_actions(grant, "city_finance") == []
    assert subsidies.propose_subsidies(recognition, 2025, city) == []  # held stands: not proposed twice


def test_issue_11_item_17_a_passed_rectification_releases_the_grant_citing_it(world, unqualified_2025):
    park, recognition, assessment, city = unqualified_2025
    rectification = Rectification.get(Rectification.assessment == assessment)
    _, applied = assessments.close_rectification(rectification, True, "整改到位，服务体系已健全", city,
                                                 on=datetime.date(2026, 8, 1))
    assert [(c["kind"], c["article"]) for c in applied] == [("release_subsidy", "第二十条第（二）项")]
    grant = grant_of(park)
    assert (grant.status, grant.amount) == ("proposed", GRANT)  # payable again: approved, then paid
    assert "第二十条第（二）项" in grant.status_reason
    assert "整改期限至2026年9月10日，2026年8月1日复核整改合格（整改到位，服务体系已健全）" in grant.status_reason
    assert applied[0]["subsidies"] == [grant.id]
    assert Recognition.get_by_id(recognition.id).status == "active"
    subsidies.act(grant, "approve", city)
    paid = subsidies.act(grant, "pay", actor("city_finance", world["changzhi"]), today=datetime.date(2026, 9, 1),
                         payment=subsidies.Payment(datetime.date(2026, 8, 20), "记-2026-0820", "就业补助资金", "运营公司 基本户"))
    assert (paid.status, paid.amount) == ("paid", GRANT)
    # The consequence is on the assessment's record, once.
    assert [c["kind"] for c in Assessment.get_by_id(assessment.id).consequences] == [
        "rectify", "hold_subsidy", "release_subsidy"]


def test_issue_11_item_17_a_failed_rectification_cancels_the_grant_with_its_amount(unqualified_2025):
    park, recognition, assessment, city = unqualified_2025
    rectification = Rectification.get(Rectification.assessment == assessment)
    _, applied = assessments.close_rectification(rectification, False, "复核仍不合格", city, on=datetime.date(2026, 8, 1))
    assert [(c["kind"], c["article"], c["amount"]) for c in applied] == [
        ("cancel_previous_cycle_subsidy", "第二十条第（二）项", "303000.00")]
    grant = grant_of(park)
    assert (grant.status, grant.amount) == ("cancelled", GRANT)
    assert "第二十条第（二）项" in grant.status_reason and "取消2025年度基础运营经费补助¥303,000.00" in grant.status_reason
    assert Recognition.get_by_id(recognition.id).status == "active"  # one 不合格 does not revoke (two in a row do)
    assert subsidies.propose_subsidies(recognition, 2025, city) == []  # the formula gives nothing back


def test_issue_11_item_17_changzhi_may_find_failure_before_the_deadline(unqualified_2025):
    """长治 第二十条第（二）项 says “整改后仍不合格”, not Karamay's “整改期满”: no wait for the deadline."""
    park, recognition, assessment, city = unqualified_2025
    rectification = Rectification.get(Rectification.assessment == assessment)
    assert assessments.failure_refused_until(rectification, DEADLINE - datetime.timedelta(days=1)) is None
    closed, _ = assessments.close_rectification(rectification, False, "复核仍不合格", city, on=DEADLINE - datetime.timedelta(days=30))
    assert closed.outcome == "failed"


# --- 克拉玛依 第十八条 ----------------------------------------------------------------------------


@pytest.fixture
def karamay_rectifying(world, karamay_park):
    park, recognition = karamay_park
    city = actor("city_officer", world["karamay"])
    assessment = assessments.create_assessment(recognition, 2025, KARAMAY_SCORES_FAIL, city)
    assessments.confirm_assessment(assessment, city, on=datetime.date(2026, 2, 10))
    rectification = Rectification.get(Rectification.assessment == assessment)
    assert rectification.deadline == datetime.date(2026, 8, 10)
    return recognition, rectification, city


def test_issue_11_item_18_still_unqualified_refused_the_day_before_the_deadline(karamay_rectifying):
    recognition, rectification, city = karamay_rectifying
    with pytest.raises(ServiceError) as refused:
        assessments.close_rectification(rectification, False, "复核仍不合格", city, on=datetime.date(2026, 8, 9))
    assert "整改期限至2026年8月10日" in refused.value.zh and "第十八条" in refused.value.zh
    assert "2026-08-10" in refused.value.en
    assert Rectification.get_by_id(rectification.id).outcome == "pending"
    recognition = Recognition.get_by_id(recognition.id)
    assert (recognition.status, recognition.revoked_on) == ("rectifying", None)


@pytest.mark.parametrize("day", [datetime.date(2026, 8, 10), datetime.date(2026, 8, 11)])
def test_issue_11_item_18_still_unqualified_on_or_after_the_deadline_revokes(karamay_rectifying, day):
    recognition, rectification, city = karamay_rectifying
    closed, applied = assessments.close_rectification(rectification, False, "整改期满复核仍不合格", city, on=day)
    assert closed.outcome == "failed" and [c["kind"] for c in applied] == ["revoke"]
    recognition = Recognition.get_by_id(recognition.id)
    assert (recognition.status, recognition.revoked_on, recognition.revocation_article) == ("revoked", day, "第十八条")


def test_issue_11_item_18_a_passed_rectification_may_close_before_the_deadline(karamay_rectifying):
    recognition, rectification, city = karamay_rectifying
    closed, applied = assessments.close_rectification(rectification, True, "提前整改到位", city, on=datetime.date(2026, 5, 1))
    assert closed.outcome == "passed" and applied == []
    assert Recognition.get_by_id(recognition.id).status == "active"
