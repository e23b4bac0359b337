"""Official documents (Word, or HTML to print) of a record, through ONE scoped route:
/admin/documents/<template id>/<record id>/<docx|html>. A record outside the user's reach answers
404, exactly as a record that does not exist; a role that may not see that kind of record, 403."""
from flask import Response, abort, url_for
from flask_admin import expose
from flask_babel import lazy_gettext as _l

from admin import permissions
from admin.auth import current_actor, current_scope, current_user
from admin.headers import DOCUMENT_POLICY
from admin.i18n import localized
from admin.scoping import reaches
from admin.views.base import SecuredBaseView
from core.io.documents import registry as documents
from core.io.documents.context import KIND_MODELS
from core.plugin.registry import UnknownJurisdiction
from core.records.services.base import ServiceError

#: Record kind -> the resource of admin.permissions whose VIEW it needs.
KIND_RESOURCES = {
    "application": "application",
    "notice": "application",
    "recognition": "recognition",
    "assessment": "assessment",
    "rectification": "assessment",
    "subsidy": "subsidy",
}
FORMAT_LABELS = {"docx": "Word", "html": _l("Print (HTML)")}


def may_download(record_kind) -> bool:
    user = current_user()
    return user is not None and permissions.allowed(user.role, KIND_RESOURCES[record_kind], permissions.VIEW)


def document_links(record_kind, record):
    """[{title, article, links: [(label, url, fmt)]}] of the templates that apply to `record`."""
    if record is None or not may_download(record_kind):
        return []
    try:
        templates = documents.templates_for_record(record_kind, record)
    except UnknownJurisdiction:
        return []
    entries = []
    for template in templates:
        links = [
            (str(FORMAT_LABELS[fmt]), url_for("documents.download", template_id=template.id, record_id=record.id, fmt=fmt), fmt)
            for fmt in template.formats
        ]
        entries.append({"id": template.id, "title": localized(template.title, template.title_en),
                        "article": template.article, "links": links})
    return entries


class DocumentView(SecuredBaseView):
    """The one download route of official documents."""

    def is_accessible(self):
        return current_user() is not None

    def is_visible(self):
        return False  # reached from the records' pages

    @expose("/")
    def index(self):
        abort(404)

    @expose("/<template_id>/<int:record_id>/<fmt>")
    def download(self, template_id, record_id, fmt):
        if fmt not in documents.FORMATS:
            abort(404)
        try:
            record_kind = documents.find_template_kind(template_id)
        except ServiceError:
            abort(404)
        if not may_download(record_kind):
            abort(403)
        if not reaches(current_scope(), KIND_MODELS[record_kind], record_id):
            abort(404)
        try:
            data, filename, mimetype = documents.render(template_id, record_id, fmt, current_actor())
        except (ServiceError, UnknownJurisdiction):
            # Another jurisdiction's template, or a record the actor may not reach: nothing to show.
            abort(404)
        response = Response(data, mimetype=mimetype)
        disposition = documents.content_disposition(filename, template_id, record_id)
        if fmt == "html":  # opened in the browser to print
            disposition = disposition.replace("attachment;", "inline;", 1)
            response.headers["Content-Security-Policy"] = DOCUMENT_POLICY
        response.headers["Content-Disposition"] = disposition
        response.headers["Cache-Control"] = "private, no-store"
        return response
