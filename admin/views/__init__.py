"""The back office's views, registered on the Admin by `register_views(admin)`.

Further views (the application workflow, assessments, the dashboard) are added by appending a
function `registrar(admin)` to REGISTRARS before the app is created; each builds its views on
admin.views.base.ScopedModelView / SecuredBaseView so they share the role and scope checks.
"""
from flask_babel import lazy_gettext as _l

#: Menu categories, shared by every registrar.
PARKS = _l("Parks & agencies")
FUNDS = _l("Recognition & funds")
RULES = _l("Rules & calendar")
SYSTEM = _l("System")


def register_plain_views(admin):
    from admin.views.files import FileDownloadView
    from admin.views.parks import AgencyView, AgencyYearView, JurisdictionYearView, ParkView, ParkYearView
    # The workflow half extends these read-only views with their pages and steps (same endpoints).
    from admin.views.assessments import RecognitionView
    from admin.views.money import LedgerView, SubsidyView
    from admin.views.rules import RulesView
    from admin.views.system import AuditLogView, HolidayDayView, SettingView, UserView
    from core.records.accounts import User
    from core.records.models import (
        Agency, AgencyYear, AuditLog, HolidayDay, JurisdictionYear, LedgerEntry, Park, ParkYear, Recognition, Setting,
        Subsidy,
    )

    from admin.views.dashboard import DashboardView

    admin.add_view(DashboardView(_l("Overview"), category=PARKS, endpoint="overview", url="overview"))
    admin.add_view(ParkView(Park, _l("Parks"), category=PARKS, endpoint="park"))
    admin.add_view(AgencyView(Agency, _l("Agencies"), category=PARKS, endpoint="agency"))
    admin.add_view(AgencyYearView(AgencyYear, _l("Agency yearly figures"), category=PARKS, endpoint="agency_year"))
    admin.add_view(ParkYearView(ParkYear, _l("Park yearly figures"), category=PARKS, endpoint="park_year"))
    admin.add_view(RecognitionView(Recognition, _l("Recognitions"), category=FUNDS, endpoint="recognition"))
    admin.add_view(SubsidyView(Subsidy, _l("Subsidies"), category=FUNDS, endpoint="subsidy"))
    admin.add_view(LedgerView(LedgerEntry, _l("Ledger"), category=FUNDS, endpoint="ledger"))
    admin.add_view(RulesView(_l("Rules"), category=RULES, endpoint="rules"))
    admin.add_view(
        JurisdictionYearView(JurisdictionYear, _l("Yearly facts of jurisdictions"), category=RULES, endpoint="jurisdiction_year")
    )
    admin.add_view(HolidayDayView(HolidayDay, _l("Holiday days"), category=RULES, endpoint="holiday"))
    admin.add_view(UserView(User, _l("Users"), category=SYSTEM, endpoint="user"))
    admin.add_view(SettingView(Setting, _l("Deployment settings"), category=SYSTEM, endpoint="setting"))
    admin.add_view(AuditLogView(AuditLog, _l("Audit log"), category=SYSTEM, endpoint="audit_log"))
    admin.add_view(FileDownloadView(_l("Files"), endpoint="files"))


def register_workflow_views(admin):
    """Applications, assessments and the one download route of official documents."""
    from admin.views import applications, assessments, objections, payments
    from admin.views.documents import DocumentView

    applications.register(admin)
    objections.register(admin)
    assessments.register(admin)
    payments.register(admin)
    admin.add_view(DocumentView(_l("Documents"), endpoint="documents"))


#: Functions `registrar(admin)` run in order by register_views; append yours.
REGISTRARS = [register_plain_views, register_workflow_views]


def register_views(admin):
    for registrar in REGISTRARS:
        registrar(admin)


def register_data_exchange_views(admin):
    """Spreadsheet import/export and API tokens (admin/views/imports.py, tokens.py)."""
    from admin.views.imports import SpreadsheetView
    from admin.views.tokens import ApiTokenView

    admin.add_view(SpreadsheetView(_l("Import & export"), category=PARKS, endpoint="spreadsheets"))
    admin.add_view(ApiTokenView(_l("API tokens"), category=SYSTEM, endpoint="api_tokens"))


REGISTRARS.append(register_data_exchange_views)


def register_reminder_views(admin):
    """The account's own inbox and notification settings (admin/views/inbox.py)."""
    from admin.views import inbox

    inbox.register(admin)


REGISTRARS.append(register_reminder_views)
