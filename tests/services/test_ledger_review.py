"""issue 11 item 21: a ledger line is checked against its jurisdiction's forbidden uses as well as its
chosen category. Words of a forbidden use in its project or description (the plugin's parameters,
with the article) flag it for the finance officer, who accepts or refuses it with a reason, in one
audited transaction; nothing flagged is silently accepted."""
import datetime
import json

import pytest

from core.rules.ledger import LedgerCategory, forbidden_use_flags
from core.records.models import AuditLog, LedgerEntry, StaleEditError
from core.rules.parameters import ParameterSet, parse_entry
from core.records.services import ledger
from core.records.services.base import NotFound, PermissionDenied, ServiceError
from tests.builders import actor, make_park

DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def parks(world):
    return {
        "changzhi": make_park(world["shangdang"], name="上党园"),
        "karamay": make_park(world["dushanzi"], name="独山子园", sites=((True, "2500"),)),
    }


def line(park, category, project, description="", who=None):
    return ledger.add_entry(park, category, "12000", DAY, project, who or actor("park_operator", park=park),
                            description=description)


def test_changzhi_a_live_stream_recruitment_line_filed_under_park_operation_waits_for_review(parks):
    """第十一条 lists rent, renovation, property management, public venues and park operation: a 直播带岗
    招聘活动 filed under 园区运行管理 is flagged with 第十一条, not accepted as it stands."""
    entry = line(parks["changzhi"], "park_operation", "园区运行管理", description="直播带岗招聘活动场地及设备租赁")
    assert entry.review == "pending"
    assert entry.review_found == "“直播带岗”“招聘活动”：超出就业补助资金支出范围的支出（第十一条）"
    assert entry.review_found_en == "“直播带岗”, “招聘活动”: spending outside the employment-subsidy fund's scope (第十一条)"
    note = ledger.review_note(LedgerEntry.get_by_id(entry.id))
    assert note == "待财政部门审核（可能属于不得列支的用途：“直播带岗”“招聘活动”：超出就业补助资金支出范围的支出（第十一条））"
    assert "awaiting the finance officer's review" in ledger.review_note(entry, "en")


@pytest.mark.parametrize("city, category, project, flagged", [
    ("changzhi", "park_operation", "园区物业及保洁费用", False),
    ("changzhi", "agency_rent", "入驻企业房屋租金补贴（含工资性补贴）", True),  # wages in any category
    ("karamay", "promotion_events", "2025年春风行动专场招聘会及直播带岗", False),  # 第二十条第（三）项 allows it
    ("karamay", "standardisation_it_team", "发放园区工作人员工资", True),  # 第二十条: 不得用于发放工作人员工资
    ("karamay", "promotion_events", "招聘会后宴请嘉宾", True),  # 廉洁自律
])
def test_each_city_reads_its_own_forbidden_uses(parks, city, category, project, flagged):
    entry = line(parks[city], category, project)
    assert (entry.review == "pending") is flagged
    if flagged:
        assert entry.review_found.endswith("（第十一条）" if city == "changzhi" else "（第二十条）")
    else:
        assert entry.review == "" and entry.review_found == entry.review_found_en == ""


def test_each_word_found_names_its_forbidden_use_and_article(registry):
    changzhi = registry.get("changzhi")
    flags = forbidden_use_flags(changzhi.ledger_categories(), changzhi.parameters, DAY, "园区运行管理", "直播带岗招聘活动")
    assert {(f["word"], f["article"], f["category"]) for f in flags} == {
        ("直播带岗", "第十一条", "outside_fund_scope"), ("招聘活动", "第十一条", "outside_fund_scope")}


def test_the_words_are_parameters_with_their_article_not_code():
    categories = [LedgerCategory("ok", "园区运行管理", "park operation", "第十一条"),
                  LedgerCategory("outside", "超范围支出", "outside", "第十一条", allowed=False, words_parameter="words")]

    def words(dated):
        entry = {"description": "提示词", "description_en": "words", "unit": "text", "reference": "第十一条", "values": dated}
        return ParameterSet({"words": parse_entry("words", entry, "test", "test")})

    both = words({"2024-01-01": "直播带岗", "2026-01-01": "直播带岗、团建"})
    assert forbidden_use_flags(categories, both, DAY, "团建活动") == []  # not a word on that day
    assert [f["word"] for f in forbidden_use_flags(categories, both, datetime.date(2026, 3, 1), "团建活动")] == ["团建"]
    assert [f["word"] for f in forbidden_use_flags(categories, both, datetime.date(2023, 1, 1), "直播带岗")] == ["直播带岗"]
    ended = words({"2024-01-01": "直播带岗", "2025-01-01": None})
    assert forbidden_use_flags(categories, ended, DAY, "直播带岗") == []


@pytest.mark.parametrize("accept, review", [(True, "accepted"), (False, "refused")])
def test_the_finance_officer_decides_with_a_reason_audited(world, parks, accept, review):
    entry = line(parks["changzhi"], "park_operation", "直播带岗招聘活动")
    finance = actor("city_finance", world["changzhi"], name="cz_finance")
    with pytest.raises(ServiceError, match="请填写审核理由"):
        ledger.decide(entry, accept, "  ", finance)
    decided = ledger.decide(entry, accept, "经核，属园区公共服务活动场地费用" if accept else "招聘活动不属第十一条所列用途", finance,
                            expected_version=entry.version)
    stored = LedgerEntry.get_by_id(entry.id)
    assert (stored.review, stored.reviewed_by, stored.reviewed_at is not None) == (review, "cz_finance", True)
    assert stored.review_reason == decided.review_reason and stored.review_reason in ledger.review_note(stored)
    assert ledger.review_note(stored).startswith("经审核准予列支" if accept else "经审核不予列支")
    audit = AuditLog.select().where((AuditLog.table == "ledger_entry") & (AuditLog.record_id == entry.id)
                                    & (AuditLog.action == "update")).get()
    assert (audit.actor, json.loads(audit.before)["review"], json.loads(audit.after)["review"]) == ("cz_finance", "pending", review)
    with pytest.raises(ServiceError, match="不在待审核状态"):
        ledger.decide(stored, not accept, "改变主意", finance)


def test_only_the_finance_officer_of_the_lines_city_decides(world, parks):
    entry = line(parks["changzhi"], "park_operation", "直播带岗招聘活动")
    for role in ("park_operator", "county_officer", "city_officer"):
        who = actor(role, park=parks["changzhi"]) if role == "park_operator" else actor(role, world["changzhi"])
        with pytest.raises(PermissionDenied):
            ledger.decide(entry, True, "同意", who)
    with pytest.raises(NotFound):
        ledger.decide(entry, True, "同意", actor("city_finance", world["karamay"]))
    assert LedgerEntry.get_by_id(entry.id).review == "pending"


def test_a_stale_decision_is_refused_and_leaves_nothing_written(world, parks):
    entry = line(parks["changzhi"], "park_operation", "直播带岗招聘活动")
    finance = actor("city_finance", world["changzhi"])
    rows = AuditLog.select().count()
    with pytest.raises(StaleEditError):
        ledger.decide(entry, False, "不予列支", finance, expected_version=entry.version + 1)
    assert LedgerEntry.get_by_id(entry.id).review == "pending" and AuditLog.select().count() == rows


def test_nothing_to_decide_on_a_line_not_flagged_or_cancelled(world, parks):
    finance = actor("city_finance", world["changzhi"])
    plain = line(parks["changzhi"], "agency_rent", "入驻企业房屋租金补贴")
    with pytest.raises(ServiceError, match="未提示禁止用途"):
        ledger.decide(plain, True, "同意", finance)
    flagged = line(parks["changzhi"], "park_operation", "直播带岗招聘活动")
    ledger.cancel_entry(flagged, "录入有误", actor("park_operator", park=parks["changzhi"]))
    with pytest.raises(ServiceError, match="已冲销"):
        ledger.decide(flagged, True, "同意", finance)
