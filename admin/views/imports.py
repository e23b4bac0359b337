"""Spreadsheets in the back office: upload an agency roster or yearly figures (.xlsx / .csv) into a
park, all or nothing, with every problem listed by row and column; download the import template
of a jurisdiction; download a jurisdiction's yearly assessment workbook."""
import datetime

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose

from admin import permissions, scoping
from admin.auth import current_actor, current_scope, current_user, may
from admin.i18n import bilingual
from admin.views.base import SecuredBaseView
from admin.views.rules import app_registry
from core.io import tabular
from core.io.dossier import FIRST_YEAR, LAST_YEAR
from core.records.models import Jurisdiction, Park
from core.plugin.registry import UnknownJurisdiction, rules_for
from core.io.spreadsheets import XLSX_MIMETYPE, assessment_workbook_for, template_workbook

#: The back-office resource each kind of file writes.
KIND_RESOURCE = {tabular.ROSTER: "agency", tabular.AGENCY_YEARS: "agency_year", tabular.PARK_YEARS: "park_year"}


def can_import():
    return all(may(resource, permissions.CREATE) and may(resource, permissions.EDIT) for resource in KIND_RESOURCE.values())


def can_download_workbook():
    return may("recognition", permissions.EXPORT)


def _attachment(data, filename):
    from urllib.parse import quote

    return Response(data, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f"attachment; filename=hrpark.xlsx; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store",
    })


class SpreadsheetView(SecuredBaseView):
    """Import (roster, yearly figures), templates and the assessment workbook."""

    def is_accessible(self):
        return current_user() is not None and (can_import() or can_download_workbook())

    def _parks(self):
        return list(scoping.scoped_select(Park, current_scope()).order_by(Park.name))

    def _jurisdictions(self):
        """The jurisdictions whose templates the user may want: its own (a park operator: its park's)."""
        user = current_user()
        ids = scoping.visible_jurisdiction_ids(user)
        if user.park_id is not None:
            ids = {user.park.jurisdiction_id}
        return list(Jurisdiction.select().where(Jurisdiction.id.in_(sorted(ids))).order_by(Jurisdiction.id))

    def _page(self, **context):
        return self.render(
            "hrpark/imports.html", kinds=tabular.KINDS, kind_labels=tabular.KIND_LABELS, parks=self._parks(),
            jurisdictions=self._jurisdictions(), can_import=can_import(), can_workbook=can_download_workbook(),
            this_year=datetime.date.today().year, **context,
        )

    @expose("/")
    def index(self):
        return self._page()

    @expose("/upload", methods=["POST"])
    def upload(self):
        if not can_import():
            abort(403)
        kind = request.form.get("kind") or None
        upload = request.files.get("file")
        park_id = request.form.get("park_id", "")
        park = None
        if park_id.isdigit() and len(park_id) < 10:
            park = scoping.scoped_select(Park, current_scope()).where(Park.id == int(park_id)).first()
        if park is None:
            flash(bilingual("Choose a park within your reach."), "error")
            return redirect(url_for(".index"))
        if upload is None or not upload.filename:
            flash(bilingual("Choose a .xlsx or .csv file."), "error")
            return redirect(url_for(".index"))
        try:
            result = tabular.import_table(upload.filename, upload.read(), park, current_actor(), kind=kind)
        except tabular.ImportRefused as exc:
            return self._page(park=park, filename=upload.filename, problems=exc.problems), 422
        return self._page(park=park, filename=upload.filename, result=result)

    @expose("/template/<kind>/<int:jurisdiction_id>")
    def template(self, kind, jurisdiction_id):
        if kind not in tabular.KINDS or not can_import():
            abort(404)
        jurisdiction = next((j for j in self._jurisdictions() if j.id == jurisdiction_id), None)
        if jurisdiction is None:
            abort(404)
        try:
            measures = rules_for(jurisdiction, app_registry()).info.measures_title
        except UnknownJurisdiction:
            measures = ""
        parks = [(p.id, p.name, jurisdiction.name_zh) for p in self._parks() if p.jurisdiction_id == jurisdiction.id]
        data = template_workbook(kind, jurisdiction.name_zh, measures, parks)
        return _attachment(data, f"{jurisdiction.name_zh}_{tabular.KIND_LABELS[kind][0]}_模板.xlsx")

    @expose("/assessment-workbook")
    def assessment_workbook(self):
        if not can_download_workbook():
            abort(403)
        jurisdiction_id = request.args.get("jurisdiction_id", "")
        year = request.args.get("year", "")
        if not (year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR):
            flash(bilingual("Enter a year between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR), "error")
            return redirect(url_for(".index"))
        jurisdiction = next((j for j in self._jurisdictions() if str(j.id) == jurisdiction_id), None)
        if jurisdiction is None:
            abort(404)
        try:
            rules = rules_for(jurisdiction, app_registry())
        except UnknownJurisdiction:
            abort(404)
        data = assessment_workbook_for(jurisdiction, rules, int(year), app_registry())
        return _attachment(data, f"{jurisdiction.name_zh}_{year}年度考核.xlsx")
