"""资金拨付汇总表: what was paid to which park, of which kind, in a chosen period — by the day the
finance bureau paid it (拨付日期), not the subsidy's year — with totals by park and overall, what was
later recovered, charts of the paid money per month and per park, and the same table as an .xlsx or a
Word document. Only the user's jurisdiction."""
import datetime
from collections import defaultdict
from decimal import Decimal

from flask import Response, request
from flask_admin import expose
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.auth import current_scope, current_user
from admin.charts import Chart, Series, top_with_rest
from admin.i18n import current_language, localized
from admin.scoping import scoped_select
from admin.views import workflow
from admin.views.base import MONEY_FORMAT, SecuredBaseView
from core.records import vocab
from core.records.models import Park, Subsidy
from core.rules.dates import DateFormatError, parse_date

ZERO = Decimal("0.00")
#: Statuses of a subsidy that was paid (a recovered one was paid first: its money came back later).
PAID = ("paid", "recovered")


def period_asked(today):
    """(from, to, problem) of the query string: this year to today unless given; a day that is no
    date, or a period ending before it starts, is named and the default kept."""
    start, end, problem = datetime.date(today.year, 1, 1), today, None
    for name in ("from", "to"):
        text = (request.args.get(name) or "").strip()
        if not text:
            continue
        try:
            day = parse_date(text)
        except DateFormatError:
            problem = text
            continue
        if day is not None and name == "from":
            start = day
        elif day is not None:
            end = day
    if end < start:
        problem, start, end = f"{start.isoformat()} > {end.isoformat()}", datetime.date(today.year, 1, 1), today
    return start, end, problem


def payment_summary(scope, start, end):
    """The subsidies paid from `start` to `end` (both included) within `scope`, in one query:
    {"parks": [{"id", "name", "kinds": [(kind label, count, paid, recovered)], "paid", "recovered"}],
    "rows": [(park name, kind label, count, paid, recovered)], "total": (count, paid, recovered),
    "months": [(YYYY-MM, paid)]}. Parks are told apart by id: two districts may each have one of a name."""
    query = (scoped_select(Subsidy, scope, Park.id, Park.name, Subsidy.kind, Subsidy.status, Subsidy.amount,
                           Subsidy.paid_on)
             .join(Park, on=(Subsidy.park == Park.id))
             .where(Subsidy.status.in_(PAID) & Subsidy.paid_on.between(start, end))
             .order_by(Park.name, Park.id, Subsidy.kind))
    cells, months = defaultdict(lambda: [0, ZERO, ZERO]), defaultdict(lambda: ZERO)
    for park_id, park_name, kind, status, amount, paid_on in query.tuples():
        cell = cells[(park_id, park_name, kind)]
        cell[0] += 1
        cell[1] += amount
        cell[2] += amount if status == "recovered" else ZERO
        months[f"{paid_on.year}-{paid_on.month:02d}"] += amount
    language = current_language()
    parks = {}
    for (park_id, name, kind), cell in cells.items():
        park = parks.setdefault(park_id, {"id": park_id, "name": name, "kinds": []})
        park["kinds"].append((vocab.SUBSIDY_KINDS.label(kind, language), *cell))
    for park in parks.values():
        park["paid"], park["recovered"] = (sum((k[i] for k in park["kinds"]), ZERO) for i in (2, 3))
    rows = [(park["name"], *kind) for park in parks.values() for kind in park["kinds"]]
    total = (sum(r[2] for r in rows), sum((r[3] for r in rows), ZERO), sum((r[4] for r in rows), ZERO))
    return {"parks": list(parks.values()), "rows": rows, "total": total, "months": sorted(months.items())}


def every_month(months):
    """(YYYY-MM, paid) from the first month paid to the last, a month without payment at 0.00: a gap shows as one."""
    paid = dict(months)
    if not paid:
        return []
    year, month = map(int, min(paid).split("-"))
    found = []
    while not found or found[-1][0] != max(paid):
        key = f"{year}-{month:02d}"
        found.append((key, paid.get(key, ZERO)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def payment_charts(summary):
    """Charts of the paid money: per month, and per park as horizontal bars (the largest parks, the rest as 其他)."""
    months = every_month(summary["months"])
    per_month = Chart("paid-per-month", _("Paid per month"), _("Month"), [(month, month) for month, _paid in months],
                      [Series("paid", _("Paid"), [paid for _month, paid in months], "#1565c0")])
    parks = top_with_rest([(park["id"], park["name"], park["paid"]) for park in summary["parks"]])
    per_park = Chart("paid-per-park", _("Paid per park"), _("Park"), [(key, name) for key, name, _paid in parks],
                     [Series("paid", _("Paid"), [paid for _key, _name, paid in parks], "#2e7d32")],
                     horizontal=True, height=60 + 32 * len(parks))
    return [per_month, per_park] if months else []


class PaymentSummaryView(SecuredBaseView):
    resource = "subsidy"

    @expose("/")
    def index(self):
        start, end, problem = period_asked(workflow.today())
        if request.args.get("format") in ("xlsx", "docx"):
            with force_locale("zh_CN"):  # in Chinese whatever the page's language, as the lists' exports
                summary = payment_summary(current_scope(), start, end)
                maker = self.workbook if request.args["format"] == "xlsx" else self.document
                return maker(summary, start, end)
        summary = payment_summary(current_scope(), start, end)
        return self.render("hrpark/payment_summary.html", start=start, end=end, problem=problem, summary=summary,
                           charts=payment_charts(summary)), 400 if problem else 200

    def workbook(self, summary, start, end):
        from core.io.spreadsheets import XLSX_MIMETYPE, list_workbook

        headers = ["产业园", "补贴类别", "笔数", "拨付金额（元）", "其中已追回（元）"]
        rows = [list(r) for r in summary["rows"]]
        count, paid, recovered = summary["total"]
        rows.append(["合计", "", count, paid, recovered])
        content = list_workbook(f"资金拨付汇总表 {start.isoformat()}至{end.isoformat()}", headers, rows,
                                number_formats=[None, None, "0", MONEY_FORMAT, MONEY_FORMAT])
        name = f"payments_{start.isoformat()}_{end.isoformat()}.xlsx"
        return Response(content, mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": f"attachment;filename={name}"})

    def document(self, summary, start, end):
        """The same table as a Word document, for signing and filing with the finance bureau."""
        from flask import render_template

        from core.io.documents.registry import FORMATS
        from core.io.documents.word import docx_from_html
        from core.io.documents.writing import date_zh, yuan_figures

        user = current_user()
        issuer = localized(user.jurisdiction.name_zh, user.jurisdiction.name_en) if user.jurisdiction_id else ""
        html = render_template("hrpark/payment_summary_document.html", start=date_zh(start), end=date_zh(end),
                               issuer=issuer, total=(summary["total"][0], *map(yuan_figures, summary["total"][1:])),
                               rows=[(p, k, n, yuan_figures(a), yuan_figures(b)) for p, k, n, a, b in summary["rows"]])
        name = f"payments_{start.isoformat()}_{end.isoformat()}.docx"
        return Response(docx_from_html(html), mimetype=FORMATS["docx"],
                        headers={"Content-Disposition": f"attachment;filename={name}"})


def register(admin):
    from admin.views import FUNDS

    admin.add_view(PaymentSummaryView(_l("Payments summary"), category=FUNDS, endpoint="payment_summary"))
