"""The park's separate fund ledger: each line in a category the measures allow, or refused citing
why; a line whose words point to a forbidden use, whatever its category, waits for the finance
officer's decision (accept or refuse, with a reason)."""
import datetime
from decimal import Decimal, InvalidOperation

from core.rules.ledger import ForbiddenCategory, check_category, flags_text, forbidden_use_flags
from core.records.models import LedgerEntry, Recognition
from core.plugin.registry import rules_for
from core.rules.programmes import rules_of_programme, stamp
from core.records.services.base import (
    ServiceError,
    change,
    check_version,
    require_reach,
    require_role,
    require_text,
)
from core.records.vocab import LEDGER_REVIEWS

LEDGER_ROLES = ("park_operator", "county_officer", "city_officer", "city_finance")
#: 市财政局负责扶持资金的拨付 (the measures' articles on the finance bureau): they decide on a flagged line.
REVIEWER_ROLES = ("city_finance",)


def programme_of_line(park, subsidy=None):
    """The rules a ledger line is kept under: its subsidy's programme, else the programme of the
    park's latest standing recognition, else its place's."""
    if subsidy is not None:
        return rules_of_programme(subsidy.programme)
    recognition = (Recognition.select().where((Recognition.park == park) & (Recognition.status != "revoked"))
                   .order_by(Recognition.id.desc()).first())
    if recognition is not None and recognition.programme:
        return rules_of_programme(recognition.programme)
    return rules_for(park.jurisdiction)  # RulesUnavailable where the place's own plugin failed


def add_entry(park, category, amount, date, project, actor, voucher="", description="", subsidy=None):
    """Record a line; returned with `review` "pending" when its project or description names a
    forbidden use (core.rules.ledger.forbidden_use_flags), "" otherwise."""
    require_reach(actor, park)
    require_role(actor, LEDGER_ROLES, "登记资金台账", "record ledger lines")
    if subsidy is not None and subsidy.park_id != park.id:
        raise ServiceError("所选补贴不属于该园区", "the subsidy belongs to another park", field="subsidy")
    rules = programme_of_line(park, subsidy)
    categories = rules.ledger_categories()
    try:
        check_category(categories, category)
    except ForbiddenCategory as exc:
        raise ServiceError(str(exc), "forbidden use of the funds", field="category") from None
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"金额“{amount}”不是有效数字", f"amount {amount!r} is not a number", field="amount") from None
    if not amount.is_finite() or amount <= 0:
        raise ServiceError("金额须大于0", "the amount must be positive", field="amount")
    project = require_text(project, "项目名称（按项目建立台账）", "the project", field="project")
    if not isinstance(date, datetime.date):
        raise ServiceError(f"日期“{date}”无效", f"date {date!r} is not a date", field="date")
    flags = forbidden_use_flags(categories, rules.parameters, date, project, description or "")
    with change(actor):
        return LedgerEntry.create(
            park=park, subsidy=subsidy, project=project, category=category, amount=amount,
            date=date, voucher=voucher or "", description=description or "",
            review="pending" if flags else "", review_found=flags_text(flags, "zh"), review_found_en=flags_text(flags, "en"),
            programme=rules.code, programme_version=stamp(rules, date)["programme_version"],
        )


def review_note(entry, language="zh") -> str:
    """What was found in a flagged line and where its decision stands, in one sentence."""
    if not entry.review:
        return ""
    found = entry.review_found if language == "zh" else (entry.review_found_en or entry.review_found)
    state = LEDGER_REVIEWS.label(entry.review, language)
    if language == "zh":
        reason = f"，理由：{entry.review_reason}" if entry.review_reason else ""
        return f"{state}（可能属于不得列支的用途：{found}）{reason}"
    reason = f"; reason: {entry.review_reason}" if entry.review_reason else ""
    return f"{state} (possibly a forbidden use: {found}){reason}"


def decide(entry, accept, reason, actor, expected_version=None):
    """The finance officer accepts (准予列支) or refuses (不予列支) a flagged line, with a reason."""
    require_reach(actor, entry.park)
    require_role(actor, REVIEWER_ROLES, "审核资金台账", "decide on a flagged ledger line")
    reason = require_text(reason, "审核理由", "a reason", field="reason")
    with change(actor):
        entry = LedgerEntry.get_by_id(entry.id)
        check_version(entry, expected_version)
        if entry.status == "cancelled":
            raise ServiceError("该笔已冲销，无需审核", "the line is cancelled: nothing to decide")
        if entry.review != "pending":
            raise ServiceError(
                f"该笔不在待审核状态（{LEDGER_REVIEWS.label(entry.review) if entry.review else '未提示禁止用途'}）",
                f"the line is not waiting for a decision ({entry.review or 'nothing was flagged'})",
            )
        entry.review = "accepted" if accept else "refused"
        entry.review_reason = reason
        entry.reviewed_by = actor.username
        entry.reviewed_at = datetime.datetime.now().replace(microsecond=0)
        entry.save()
        return entry


def cancel_entry(entry, reason, actor):
    require_reach(actor, entry.park)
    require_role(actor, LEDGER_ROLES, "冲销台账", "cancel ledger lines")
    reason = require_text(reason, "冲销理由", "a reason", field="reason")
    with change(actor):
        entry = LedgerEntry.get_by_id(entry.id)
        if entry.status == "cancelled":
            raise ServiceError("该笔已冲销", "already cancelled")
        entry.status = "cancelled"
        entry.cancel_reason = reason
        entry.save()
        return entry
