"""issue 11 item 21 through the pages: a ledger line whose words point to a forbidden use of its
jurisdiction (Changzhi 第十一条: a 直播带岗招聘活动 filed under 园区运行管理) is recorded flagged, not silently
accepted; the list shows the flag and then the decision in Chinese; only the finance officer of the
line's city accepts or refuses it, with a reason."""
import re

from admin_test_helpers import db_snapshot
from core.records.models import LedgerEntry
from tests.admin_workflow.pages import buttons, element_text, form_ids

LIVE_STREAM = {"category": "park_operation", "amount": "18000", "date": "2025-06-01", "project": "园区运行管理",
               "voucher": "记-2025-088", "description": "直播带岗招聘活动场地及设备租赁"}


def record(browser, park, **fields):
    return browser.flashed("/admin/ledger/record/", {"park_id": park.id, **LIVE_STREAM, **fields})


def ledger_row(html, entry):
    """The cells of the ledger list's row of `entry` (found by its details link)."""
    for row in re.findall(r"<tr\b.*?</tr>", html, re.S):
        if f"/admin/ledger/details/?id={entry.id}" in row:
            return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
                    for cell in re.findall(r"<td\b[^>]*>(.*?)</td>", row, re.S)]
    raise AssertionError(f"no row of ledger line {entry.id}")


def test_a_line_of_a_forbidden_use_is_flagged_and_decided_by_the_finance_officer(browse, town):
    operator, finance = browse("cz_operator"), browse("cz_finance")
    page = record(operator, town.cz_park)
    entry = LedgerEntry.select().order_by(LedgerEntry.id.desc()).get()
    assert entry.review == "pending" and entry.category == "park_operation"
    assert "台账已登记，待财政部门审核" in page and "“直播带岗”“招聘活动”：超出就业补助资金支出范围的支出（第十一条）" in page
    assert element_text(page, "entry-review").startswith("待财政部门审核（可能属于不得列支的用途")
    assert "form-decide-entry" not in form_ids(page)  # the operator does not decide

    listed = " ".join(ledger_row(finance.html("/admin/ledger/"), entry))
    assert "待财政部门审核" in listed and "第十一条" in listed and "pending" not in listed

    details = finance.html(f"/admin/ledger/details/?id={entry.id}")
    assert "form-decide-entry" in form_ids(details) and buttons(details, "decision") == {"accept", "refuse"}
    decide = f"/admin/ledger/{entry.id}/decide/"
    page = finance.flashed(decide, {"decision": "refuse", "reason": "", "version": entry.version})
    assert "请填写审核理由" in page and LedgerEntry.get_by_id(entry.id).review == "pending"
    page = finance.flashed(decide, {"decision": "refuse", "reason": "招聘活动不属第十一条所列用途", "version": entry.version})
    assert "审核结果已记录：经审核不予列支" in page
    stored = LedgerEntry.get_by_id(entry.id)
    assert (stored.review, stored.review_reason) == ("refused", "招聘活动不属第十一条所列用途")
    listed = " ".join(ledger_row(finance.html("/admin/ledger/"), entry))
    assert "经审核不予列支" in listed and "招聘活动不属第十一条所列用途" in listed and "refused" not in listed
    page = finance.flashed(decide, {"decision": "accept", "reason": "改判", "version": stored.version})
    assert "不在待审核状态" in page and LedgerEntry.get_by_id(entry.id).review == "refused"


def test_a_line_of_an_allowed_use_is_not_flagged(browse, town):
    page = record(browse("cz_operator"), town.cz_park, description="园区公共区域物业费")
    entry = LedgerEntry.select().order_by(LedgerEntry.id.desc()).get()
    assert entry.review == "" and "已登记台账" in page and "待财政部门审核" not in page
    assert "entry-review" not in page


def test_a_decision_is_refused_to_other_roles_and_other_cities(browse, town):
    record(browse("cz_operator"), town.cz_park)
    entry = LedgerEntry.select().order_by(LedgerEntry.id.desc()).get()
    decide = f"/admin/ledger/{entry.id}/decide/"
    browsers = {account: browse(account) for account in ("cz_operator", "cz_county", "cz_city", "kr_finance", "cz_finance")}
    before = db_snapshot()
    for account in ("cz_operator", "cz_county", "cz_city"):
        assert browsers[account].post(decide, {"decision": "accept", "reason": "同意", "version": entry.version}).status_code == 403
    assert browsers["kr_finance"].post(decide, {"decision": "accept", "reason": "同意", "version": entry.version}).status_code == 404
    page = browsers["cz_finance"].flashed(decide, {"decision": "maybe", "reason": "同意", "version": entry.version})
    assert "请选择准予列支或不予列支" in page
    assert db_snapshot() == before
