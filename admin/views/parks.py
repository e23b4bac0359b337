"""Views of parks and what they are made of: parks (with their sites and agencies inline),
agencies, agencies' and parks' yearly figures, and jurisdictions' yearly facts. The facts a
programme declares are fields of the park, park-year and jurisdiction-year forms (declared_facts)."""
from flask_admin.contrib.peewee.filters import FilterEqual, FilterLike, IntEqualFilter
from flask_admin.model.form import InlineFormAdmin
from flask_babel import lazy_gettext as _l

from admin.i18n import is_chinese
from admin.presentation import vocab_options
from admin.views import workflow
from admin.views.base import ScopedModelView
from admin.views.declared_facts import DeclaredFactsMixin, facts_column
from core.records import vocab
from core.records.models import Agency, AgencyYear, Jurisdiction, JurisdictionYear, Park, ParkYear, Site
from core.rules.shared_facts import names_of
from core.rules.programmes import ladder, ladder_text


class SiteInline(InlineFormAdmin):
    form_label = _l("Site")  # Flask-Admin would write the model's class name ("Add Site") in any language
    form_columns = ("id", "name", "address", "is_core", "floor_area", "approved_on", "version")


class AgencyInline(InlineFormAdmin):
    form_label = _l("Agency")
    form_columns = ("id", *names_of("agency"), "version")


def _ladder_column(view, context, model, name):
    """Every programme open to the park, from the nearest level up : X区级 ✓ 2024 → Y市级：差2项条件."""
    rungs = ladder(model, on=workflow.today(), reg=workflow.app_registry())
    return ladder_text(rungs, english=not is_chinese()) or "—"


class ParkView(DeclaredFactsMixin, ScopedModelView):
    resource = "park"
    facts_owner = "park"
    list_joins = (Park.jurisdiction,)
    column_list = (
        "name", "jurisdiction", "address", "build_mode", "operator_kind", "staff_fulltime", "investment_wan",
        "public_services",
    )
    column_details_list = (
        "jurisdiction", "name", "ladder", "address", "contact_person", "phone", "property_ownership",
        "registration_date", "investment_wan", "build_mode", "public_services", "offered_services", "operator_kind",
        "operator_name", "staff_fulltime", "staff_parttime", "facts", "created_at",
    )
    column_export_exclude_list = ("facts", "version")
    extra_label_names = ("ladder",)
    column_formatters_detail = {"ladder": _ladder_column, "facts": facts_column}
    column_sortable_list = ("name",)
    column_searchable_list = ("name", "address", "operator_name")
    column_filters = (
        FilterLike(Jurisdiction.name_zh, _l("Jurisdiction")),
        FilterEqual(Park.build_mode, _l("Build mode"), options=vocab_options(vocab.BUILD_MODES)),
        FilterEqual(Park.operator_kind, _l("Operator kind"), options=vocab_options(vocab.OPERATOR_KINDS)),
    )
    form_columns = (
        "jurisdiction", "name", "address", "contact_person", "phone", "property_ownership", "registration_date",
        "investment_wan", "build_mode", "public_services", "offered_services", "operator_kind", "operator_name",
        "staff_fulltime", "staff_parttime", "version",
    )
    inline_models = (SiteInline(Site), AgencyInline(Agency))


class AgencyView(ScopedModelView):
    resource = "agency"
    list_joins = (Agency.park,)
    column_list = (
        "name", "park", "kind", "licence_kind", "licence_no", "service_lines", "admitted_on", "exited_on",
    )
    column_details_exclude_list = ("version",)
    column_export_exclude_list = ("version",)
    column_sortable_list = ("name",)
    column_searchable_list = ("name", "licence_no")
    column_filters = (
        FilterLike(Park.name, _l("Park")),
        FilterEqual(Agency.kind, _l("Kind"), options=vocab_options(vocab.AGENCY_KINDS)),
        FilterEqual(Agency.licence_kind, _l("Licence kind"), options=vocab_options(vocab.LICENCE_KINDS)),
    )
    form_columns = ("park", *names_of("agency"), "version")


class AgencyYearView(ScopedModelView):
    resource = "agency_year"
    list_joins = (AgencyYear.agency, Agency.park)
    extra_label_names = ("agency.park",)
    column_list = ("agency", "agency.park", *names_of("agency_year"))
    column_details_exclude_list = ("version",)
    column_export_list = ("agency", "agency.park", *names_of("agency_year"))
    column_sortable_list = ("year",)
    column_filters = (
        FilterLike(Agency.name, _l("Agency")),
        FilterLike(Park.name, _l("Park")),
        IntEqualFilter(AgencyYear.year, _l("Year")),
    )
    form_columns = ("agency", *names_of("agency_year"), "version")
    # Tens of thousands of agencies: looked up by name as one types, never listed whole.
    form_ajax_refs = {"agency": {"fields": ["name", "licence_no"], "page_size": 10}}


class ParkYearView(DeclaredFactsMixin, ScopedModelView):
    resource = "park_year"
    facts_owner = "park_year"
    list_joins = (ParkYear.park,)
    column_list = ("park", *names_of("park_year"), "facts")
    column_sortable_list = ("year",)
    column_formatters = {"facts": facts_column}
    column_details_exclude_list = ("version",)
    column_export_exclude_list = ("version",)
    column_filters = (FilterLike(Park.name, _l("Park")), IntEqualFilter(ParkYear.year, _l("Year")))
    form_columns = ("park", *names_of("park_year"), "version")

    @staticmethod
    def jurisdiction_of(record):
        return record.park.jurisdiction


class JurisdictionYearView(DeclaredFactsMixin, ScopedModelView):
    resource = "jurisdiction_year"
    facts_owner = "jurisdiction_year"
    list_joins = (JurisdictionYear.jurisdiction,)
    column_list = ("jurisdiction", "year", "facts")
    column_sortable_list = ("year",)
    column_formatters = {"facts": facts_column}
    column_details_exclude_list = ("version",)
    column_export_exclude_list = ("version",)
    column_filters = (IntEqualFilter(JurisdictionYear.year, _l("Year")),)
    form_columns = ("jurisdiction", "year", "version")
