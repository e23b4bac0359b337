"""The park's separate fund ledger: each line in a category the measures allow, or refused citing why."""
from decimal import Decimal, InvalidOperation

from core.ledger import ForbiddenCategory, check_category
from core.models import LedgerEntry, Recognition
from core.plugins import rules_for
from core.programmes import rules_of_programme, stamp
from core.services.base import ServiceError, change, require_reach, require_role, require_text

LEDGER_ROLES = ("park_operator", "county_officer", "city_officer", "city_finance")


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
    require_reach(actor, park)
    require_role(actor, LEDGER_ROLES, "登记资金台账", "record ledger lines")
    if subsidy is not None and subsidy.park_id != park.id:
        raise ServiceError("所选补贴不属于该园区", "the subsidy belongs to another park", field="subsidy")
    rules = programme_of_line(park, subsidy)
    try:
        check_category(rules.ledger_categories(), category)
    except ForbiddenCategory as exc:
        raise ServiceError(str(exc), "forbidden use of the funds", field="category") from None
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ServiceError(f"金额“{amount}”不是有效数字", f"amount {amount!r} is not a number", field="amount") from None
    if amount <= 0:
        raise ServiceError("金额须大于0", "the amount must be positive", field="amount")
    project = require_text(project, "项目名称（按项目建立台账）", "the project", field="project")
    with change(actor):
        return LedgerEntry.create(
            park=park, subsidy=subsidy, project=project, category=category, amount=amount,
            date=date, voucher=voucher or "", description=description or "",
            programme=rules.code, programme_version=stamp(rules, date)["programme_version"],
        )


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
