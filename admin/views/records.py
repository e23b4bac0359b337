"""Read-only views of records with history: recognitions, subsidies and the fund ledger.

Their changes (revocation, approval, payment, cancellation) are workflow steps with reasons,
taken through core.records.services, never by editing a row here; nobody can delete them.
"""
from flask_admin.contrib.peewee.filters import DateBetweenFilter, FilterEqual, FilterLike, IntEqualFilter
from flask_babel import lazy_gettext as _l

from admin.presentation import vocab_options
from admin.sums import fen_sum, yuan
from admin.views.base import ScopedModelView
from core.records import vocab
from core.records.models import LedgerEntry, Park, Recognition, Subsidy


class RecognitionView(ScopedModelView):
    resource = "recognition"
    list_joins = (Recognition.park, Recognition.jurisdiction)
    column_list = ("official_name", "park", "jurisdiction", "recognised_on", "status", "revoked_on")
    column_details_exclude_list = ("version",)
    column_export_exclude_list = ("version",)
    column_searchable_list = ("official_name",)
    column_filters = (
        FilterLike(Park.name, _l("Park")),
        FilterEqual(Recognition.status, _l("Status"), options=vocab_options(vocab.RECOGNITION_STATUSES)),
    )


class SubsidyView(ScopedModelView):
    resource = "subsidy"
    list_joins = (Subsidy.park, Subsidy.jurisdiction)
    column_list = ("park", "jurisdiction", "kind", "year", "amount", "article", "status", "paid_on", "amount_concerned")
    column_sortable_list = ("year",)
    column_details_exclude_list = ("version",)
    column_export_exclude_list = ("version",)
    column_filters = (
        FilterLike(Park.name, _l("Park")),
        IntEqualFilter(Subsidy.year, _l("Year")),
        FilterEqual(Subsidy.status, _l("Status"), options=vocab_options(vocab.SUBSIDY_STATUSES)),
        FilterEqual(Subsidy.kind, _l("Kind"), options=vocab_options(vocab.SUBSIDY_KINDS)),
        DateBetweenFilter(Subsidy.paid_on, _l("Day paid")),
    )
    list_template = "hrpark/subsidy_list.html"

    def list_totals(self):
        """(amount, amount concerned) summed in SQL to the fen over every row the list's filters keep,
        on every page: the list's own query without its order and page."""
        query = self.filtered_query().order_by()
        amount, concerned = query.select(fen_sum(Subsidy.amount), fen_sum(Subsidy.amount_concerned)).tuples()[0]
        return yuan(amount), yuan(concerned)


class LedgerView(ScopedModelView):
    resource = "ledger"
    list_joins = (LedgerEntry.park,)
    # review: a line whose words point to a forbidden use, and the finance officer's decision.
    column_list = ("park", "date", "project", "category", "amount", "voucher", "status", "review")
    column_details_exclude_list = ("version",)
    column_export_exclude_list = ("version",)
    column_default_sort = [("date", True), ("id", True)]  # latest first, and a stable order within a day
    column_sortable_list = ("date", "amount")
    column_searchable_list = ("project", "voucher", "description")
    column_filters = (
        FilterLike(Park.name, _l("Park")),
        FilterEqual(LedgerEntry.category, _l("Category")),
        FilterEqual(LedgerEntry.review, _l("Fund-use review"), options=vocab_options(vocab.LEDGER_REVIEWS)),
    )
