"""Asking once before a step that cannot be undone: returning or rejecting an application, filing it
with conditions not met, paying, withholding, cancelling or recovering a subsidy, confirming an
assessment that revokes a recognition. The step's POST without `confirmed=1` changes nothing and shows
the page again with a dialog saying what will happen — to whom, how much, under which article — whose
button posts the same fields with `confirmed=1`. A step the service would refuse anyway (wrong role,
stale version, missing reason) is not asked about: `dry_run` finds that out from the service itself,
and the refusal is what the user needs to see."""
from dataclasses import dataclass, field

from flask import request
from flask_babel import gettext as _

from core.plugin.registry import RulesUnavailable
from core.records.db import database
from core.records.models import StaleEditError
from core.records.services.base import ServiceError
from core.rules.criteria import JUDGED_NOT_MET, MISSING_DATA, NOT_MET, NOT_MET_WAIVABLE

#: The subsidy actions asked about (approving is undone by the later steps, so it is not).
CONFIRMED_ACTIONS = ("pay", "withhold", "cancel", "recover")
#: The pay form's fields (拨付日期、凭证号、资金来源、收款账户), posted again by the dialog.
PAYMENT_FIELDS = ("paid_on", "payment_voucher", "fund_source", "payee_account")
#: Condition results a filer is warned of before filing.
UNMET = (NOT_MET, NOT_MET_WAIVABLE, JUDGED_NOT_MET, MISSING_DATA)


@dataclass
class Question:
    """What the dialog says and what its button posts again."""

    title: str
    what: str
    article: str
    button: str
    action: str
    fields: list
    cancel_url: str
    danger: bool = True
    items: list = field(default_factory=list)  # (title, article, note) listed under `what`
    said: str = ""  # the remark or reason given, repeated so the user sees what will be recorded
    payment: str = ""  # the payment details given, likewise


def confirmed() -> bool:
    return request.form.get("confirmed") == "1"


def dry_run(take):
    """What `take()` answers when the service takes the step, found in a savepoint that is rolled back
    (nothing stays written); None when the service refuses it."""
    with database.atomic() as savepoint:
        try:
            answer = take()
        except (ServiceError, StaleEditError, RulesUnavailable):
            answer = None
        savepoint.rollback()
    return answer


def reposted(*names):
    """(name, value) of the posted fields to send again, the CSRF token included."""
    return [(name, request.form.get(name, "")) for name in ("csrf_token", "version", *names)]


def transition_question(application, transition, ends_badly, unmet, labels, cancel_url):
    """The question before `transition` of `application`, or None when it is not asked about. A
    filing is asked about when conditions are not met (`unmet`: their (title, article, status) as
    shown); a return, a rejection or a withdrawal always. `labels`: (transition label, target state
    label, park name)."""
    label, target_label, park_name = labels
    if not ends_badly and not unmet:
        return None
    if ends_badly:
        what = _("%(park)s — the application of %(year)s will be “%(state)s”.", park=park_name, year=application.year,
                 state=target_label)
    else:
        what = _("%(park)s — the application of %(year)s goes on with %(n)s condition(s) not met:", park=park_name,
                 year=application.year, n=len(unmet))
    return Question(title=label, what=what, article=transition.article, button=_("Yes: %(step)s", step=label),
                    action=request.path, fields=reposted("transition", "remark", "document_number"), cancel_url=cancel_url, danger=ends_badly,
                    items=unmet, said=(request.form.get("remark") or "").strip())


def subsidy_question(subsidy, action, labels, amount_text, cancel_url):
    """The question before `action` (one of CONFIRMED_ACTIONS) on `subsidy`. `labels`:
    (action label, subsidy kind label, target status label, park name)."""
    label, kind_label, target_label, park_name = labels
    what = _("%(park)s — %(kind)s of %(year)s, %(amount)s, will be “%(status)s”.", park=park_name, kind=kind_label,
             year=subsidy.year, amount=amount_text, status=target_label)
    payment = " · ".join((request.form.get(name) or "").strip() for name in PAYMENT_FIELDS) if action == "pay" else ""
    return Question(title=label, what=what, article=subsidy.article, button=_("Yes: %(step)s", step=label),
                    action=request.path, fields=reposted("action", "reason", *PAYMENT_FIELDS), cancel_url=cancel_url,
                    danger=action != "pay", said=(request.form.get("reason") or "").strip(), payment=payment)


def consequences_question(label, what, consequences, cancel_url, *names):
    """The question before a step adding `consequences` ((label, article, explanation) each): a
    confirmed assessment that revokes, a rectification closed as failed."""
    return Question(title=label, what=what, article="、".join(dict.fromkeys(a for _l, a, _e in consequences)),
                    button=_("Yes: %(step)s", step=label), action=request.path, fields=reposted(*names),
                    cancel_url=cancel_url, items=consequences)
