"""Subsidies and the fund ledger: the year's subsidies proposed by the jurisdiction's formula with
its explanation; approve → pay, or withhold / cancel / recover with a reason; ledger lines in the
categories the measures allow (a forbidden one refused, citing its article), cancelled with a
reason, never deleted. Every change goes through core.records.services."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import lazy_gettext as _l

from admin.auth import current_actor, current_scope, current_user
from admin.i18n import bilingual, both, both_labels, current_language, format_money, in_page_language, localized
from admin.scoping import scoped_select
from admin.views import confirmation, records, workflow
from admin.views.documents import document_links
from admin.views.workflow import (
    as_int,
    posted_date,
    posted_text,
    posted_version,
    posted_year,
    rules_of_id,
    record_rules,
    rules_or_404,
    run,
    service_message,
)
from core.records import vocab
from core.rules.dates import DateFormatError, parse_date
from core.rules.ledger import ForbiddenCategory, check_category
from core.records.models import LedgerEntry, Park, Recognition, Subsidy
from core.records.services import ledger as ledger_service
from core.records.services import subsidies as subsidy_service
from core.records.services.base import ServiceError

#: Subsidy actions as buttons (core.records.services.subsidies.ACTIONS says who takes each, from which status).
ACTION_LABELS = {
    "approve": _l("Approve"),
    "pay": _l("Pay"),
    "withhold": _l("Withhold"),
    "cancel": _l("Cancel"),
    "recover": _l("Recover"),
}
LEDGER_STATUSES = {"active": _l("In effect"), "cancelled": _l("Cancelled")}


def ledger_status_label(status):
    return str(LEDGER_STATUSES.get(status, status))


def subsidy_status_label(status):
    return vocab.SUBSIDY_STATUSES.label(status, current_language())


def category_label(rules, category_id):
    """A ledger category by its label in the current language, with its article."""
    for c in (rules.ledger_categories() if rules is not None else []):
        if c.id == category_id:
            return f"{localized(c.label, c.label_en)}（{c.article}）"
    return category_id


def _ledger_category_column(view, context, model, name):
    return category_label(rules_of_id(model.park.jurisdiction_id), model.category)


def _ledger_review_column(view, context, model, name):
    """A flagged line: the words found, the forbidden use and its article, and the decision."""
    return ledger_service.review_note(model, current_language())


def fund_source_of(subsidy):
    """Where the money of this kind comes from, as its programme declares it (subsidies.yaml
    `fund_source`, e.g. 就业补助资金（第九条）), for the pay form to start from; "" when undeclared."""
    rules = rules_of_id(subsidy.jurisdiction_id)
    kind = next((k for k in (rules.subsidy_kinds() if rules is not None else ()) if k["id"] == subsidy.kind), {})
    source, article = kind.get("fund_source", ""), kind.get("fund_article", "")
    return f"{source}（{article}）" if source and article else source


def payee_account_of(subsidy):
    """The account the park's last payment went to, for the pay form to start from ("" for a first payment)."""
    last = (Subsidy.select(Subsidy.payee_account)
            .where((Subsidy.park == subsidy.park_id) & (Subsidy.payee_account != "") & (Subsidy.id != subsidy.id))
            .order_by(Subsidy.paid_on.desc(), Subsidy.id.desc()).first())
    return last.payee_account if last else ""


class SubsidyView(records.SubsidyView):
    """The foundation's list of subsidies, with a page for each and the formula's proposals."""

    def details_url(self, subsidy):
        return url_for(".details_view", id=subsidy.id)

    @staticmethod
    def _posted_payment():
        """The payment details of the pay form (a day that is no date is left out: the service asks for one)."""
        if posted_text("action") != "pay":
            return None
        try:
            day = parse_date(posted_text("paid_on"))
        except DateFormatError:
            day = None
        return subsidy_service.Payment(day, posted_text("payment_voucher"), posted_text("fund_source"),
                                       posted_text("payee_account"))

    def _question(self, subsidy, version):
        """The dialog before paying, withholding, cancelling or recovering, when the service would do it."""
        action = posted_text("action")
        if action not in confirmation.CONFIRMED_ACTIONS or confirmation.dry_run(lambda: subsidy_service.act(
                subsidy, action, current_actor(), reason=posted_text("reason"), expected_version=version,
                payment=self._posted_payment(), today=workflow.today())) is None:
            return None
        labels = (str(ACTION_LABELS[action]), vocab.SUBSIDY_KINDS.label(subsidy.kind, current_language()),
                  subsidy_status_label(subsidy_service.ACTIONS[action][1]), subsidy.park.name)
        return confirmation.subsidy_question(subsidy, action, labels, format_money(subsidy.amount), self.details_url(subsidy))

    @expose("/details/")
    def details_view(self, subsidy=None, confirm=None):
        subsidy = subsidy or self.get_one(request.args.get("id"))
        role = current_user().role
        actions = subsidy_service.allowed_actions(subsidy, role)
        ledger = list(LedgerEntry.select().where(LedgerEntry.subsidy == subsidy).order_by(LedgerEntry.date, LedgerEntry.id))
        return self.render(
            "hrpark/subsidy.html",
            subsidy=subsidy,
            explanation=localized(subsidy.explanation, subsidy.explanation_en or subsidy.explanation),
            jurisdiction_name=localized(subsidy.jurisdiction.name_zh, subsidy.jurisdiction.name_en),
            status_label=subsidy_status_label(subsidy.status),
            actions=[(a, str(ACTION_LABELS[a]), subsidy_service.ACTIONS[a][3]) for a in actions],
            reason_needed=any(subsidy_service.ACTIONS[a][3] for a in actions),
            ledger=ledger,
            ledger_status_label=ledger_status_label,
            ledger_total=sum((e.amount for e in ledger if e.status == "active" and e.review != "refused"), start=0),
            documents=document_links("subsidy", subsidy),
            confirm=confirm,
            today_text=workflow.today().isoformat(),
            fund_source=fund_source_of(subsidy),
            payee_account=payee_account_of(subsidy) if "pay" in actions else "",
        )

    @expose("/<int:subsidy_id>/act/", methods=("POST",))
    def act_view(self, subsidy_id):
        subsidy = self.get_one(subsidy_id)
        version = posted_version()
        if version is not None and not confirmation.confirmed() and (question := self._question(subsidy, version)):
            return self.details_view(subsidy, confirm=question)
        if version is not None:
            done = run(subsidy_service.act, subsidy, posted_text("action"), current_actor(), reason=posted_text("reason"),
                       expected_version=version, payment=self._posted_payment(), today=workflow.today())
            if done is not None:
                flash(bilingual("Done: the subsidy is now “%(status)s”.", status=both_labels(vocab.SUBSIDY_STATUSES, done.status)),
                      "success")
        return redirect(self.details_url(subsidy))

    @expose("/propose/", methods=("GET", "POST"))
    def propose_view(self):
        recognition = scoped_select(Recognition, current_scope()).where(
            Recognition.id == as_int(request.values.get("recognition_id"))
        ).first()
        if recognition is None:
            abort(404)
        record_rules(recognition)
        year = as_int(request.values.get("year"))
        if year is None or not 2000 <= year <= 2100:
            year = workflow.today().year - 1
        if request.method == "POST":
            year = posted_year()
            if year is not None:
                created = run(subsidy_service.propose_subsidies, recognition, year, current_actor())
                if created is not None:
                    flash(bilingual("%(n)s subsidy line(s) recorded for %(year)s.", n=len(created), year=year), "success")
            return redirect(url_for(".propose_view", recognition_id=recognition.id, year=year or ""))
        try:
            proposals = subsidy_service.compute(recognition, year)
        except ValueError as exc:
            flash(bilingual("The formula could not be computed: %(error)s", error=in_page_language(str(exc))), "error")
            proposals = []
        standing = {
            (s.kind, s.year): s for s in Subsidy.select().where(
                (Subsidy.park == recognition.park_id) & (Subsidy.year == year) & (Subsidy.status.in_(subsidy_service.STANDING))
            )
        }
        return self.render(
            "hrpark/subsidy_propose.html",
            recognition=recognition,
            year=year,
            proposals=[{
                "kind": p.kind,
                "kind_label": vocab.SUBSIDY_KINDS.label(p.kind, current_language()),
                "rule_id": p.rule_id,
                "amount": p.amount,
                "article": p.article,
                "explanation": localized(p.explanation, p.explanation_en),
                "due": p.due,
                "withheld": p.withheld,
                "held": p.held,
                "recorded": standing.get((p.kind, p.year)),
            } for p in proposals],
            may_record=current_user().role == "city_officer",
        )


class LedgerView(records.LedgerView):
    """The foundation's fund ledger, with recording a line and cancelling one with a reason."""

    list_template = "hrpark/ledger_list.html"
    column_formatters = {"category": _ledger_category_column, "status": lambda v, c, m, n: ledger_status_label(m.status),
                         "review": _ledger_review_column}
    column_formatters_export = column_formatters

    def may_record(self):
        return current_user() is not None and current_user().role in ledger_service.LEDGER_ROLES

    def details_url(self, entry):
        return url_for(".details_view", id=entry.id)

    @expose("/record/", methods=("GET", "POST"))
    def record_view(self):
        if not self.may_record():
            abort(403)
        parks = list(scoped_select(Park, current_scope()).order_by(Park.name, Park.id))
        park = None
        park_id = as_int(request.values.get("park_id"))
        if park_id is not None:
            park = next((p for p in parks if p.id == park_id), None)
            if park is None:
                abort(404)
        elif len(parks) == 1:
            park = parks[0]
        if park is None:
            return self.render("hrpark/ledger_record.html", parks=parks, park=None)
        rules = rules_or_404(park.jurisdiction)
        categories = rules.ledger_categories()
        subsidies = list(Subsidy.select().where(Subsidy.park == park).order_by(Subsidy.year.desc(), Subsidy.id))
        if request.method == "POST":
            entry = self._record(park, rules, subsidies)
            if entry is not None and entry.review == "pending":
                flash(bilingual("Ledger line recorded. It waits for the finance officer's decision: %(found)s",
                                found=both(ledger_service.review_note(entry, "zh"), ledger_service.review_note(entry, "en"))),
                      "warning")
                return redirect(self.details_url(entry))
            if entry is not None:
                flash(bilingual("Ledger line recorded."), "success")
                return redirect(self.details_url(entry))
        return self.render(
            "hrpark/ledger_record.html",
            parks=parks,
            park=park,
            categories=[{
                "id": c.id,
                "label": localized(c.label, c.label_en),
                "article": c.article,
                "allowed": c.allowed,
            } for c in categories],
            subsidies=[(s.id, f"{s.year} · {vocab.SUBSIDY_KINDS.label(s.kind, current_language())} · {s.article}")
                       for s in subsidies],
            default_date=workflow.today().isoformat(),
        )

    def _record(self, park, rules, subsidies):
        category = posted_text("category")
        try:
            # Checked here as well as in the service so the refusal names the article in both languages.
            check_category(rules.ledger_categories(), category)
        except ForbiddenCategory as exc:
            zh, _sep, en = str(exc).partition(" — ")
            flash(service_message(ServiceError(zh, en or zh)), "error")
            return None
        date = posted_date("date")
        if date is None:
            return None
        subsidy = None
        subsidy_id = as_int(request.form.get("subsidy"))
        if subsidy_id is not None:
            subsidy = next((s for s in subsidies if s.id == subsidy_id), None)
            if subsidy is None:
                abort(404)
        return run(ledger_service.add_entry, park, category, posted_text("amount"), date, posted_text("project"),
                   current_actor(), voucher=posted_text("voucher"), description=posted_text("description"), subsidy=subsidy)

    @expose("/details/")
    def details_view(self):
        entry = self.get_one(request.args.get("id"))
        return self.render(
            "hrpark/ledger_entry.html",
            entry=entry,
            category=category_label(record_rules(entry), entry.category),
            status_label=ledger_status_label(entry.status),
            may_cancel=entry.status == "active" and self.may_record(),
            review=ledger_service.review_note(entry, current_language()),
            may_decide=entry.review == "pending" and entry.status == "active"
            and current_user().role in ledger_service.REVIEWER_ROLES,
        )

    @expose("/<int:entry_id>/cancel/", methods=("POST",))
    def cancel_view(self, entry_id):
        entry = self.get_one(entry_id)
        done = run(ledger_service.cancel_entry, entry, posted_text("reason"), current_actor())
        if done is not None:
            flash(bilingual("Ledger line cancelled."), "success")
        return redirect(self.details_url(entry))

    @expose("/<int:entry_id>/decide/", methods=("POST",))
    def decide_view(self, entry_id):
        """The finance officer accepts or refuses a flagged line, with a reason."""
        entry = self.get_one(entry_id)
        decision = posted_text("decision")
        if decision not in ("accept", "refuse"):
            flash(bilingual("Choose to accept or to refuse the line."), "error")
            return redirect(self.details_url(entry))
        version = posted_version()
        if version is not None:
            done = run(ledger_service.decide, entry, decision == "accept", posted_text("reason"), current_actor(),
                       expected_version=version)
            if done is not None:
                flash(bilingual("Decision recorded: %(review)s.", review=both_labels(vocab.LEDGER_REVIEWS, done.review)), "success")
        return redirect(self.details_url(entry))
