"""Downloads of uploaded files, through the user's scope: a material of another jurisdiction's
application answers 404, and a stored path can never leave UPLOAD_DIR."""
from pathlib import Path

from flask import abort, current_app, send_file
from flask_admin import expose

from admin.auth import current_scope
from admin.scoping import scoped_select
from admin.views.base import SecuredBaseView
from core.io.documents.registry import content_disposition
from core.records.models import Material


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]).resolve()


def stored_file(relative_path) -> Path:
    """The absolute path of a stored file, or 404 if it would lie outside UPLOAD_DIR or is missing."""
    root = upload_root()
    path = (root / relative_path).resolve()
    if root != path and root not in path.parents:
        abort(404)
    if not path.is_file():
        abort(404)
    return path


class FileDownloadView(SecuredBaseView):
    resource = "material"

    def is_visible(self):
        return False  # reached from the records that own the files, not from the menu

    @expose("/")
    def index(self):
        abort(404)

    @expose("/material/<int:material_id>")
    def material(self, material_id):
        record = scoped_select(Material, current_scope()).where(Material.id == material_id).first()
        if record is None:
            abort(404)
        response = send_file(
            stored_file(record.stored_path),
            mimetype=record.content_type or "application/octet-stream",
            as_attachment=True,
            download_name=record.filename,
        )
        # The file's own name (RFC 5987 filename*), and an ASCII name for clients that read only filename=
        # (Werkzeug's own fallback strips a Chinese name down to ".pdf").
        response.headers["Content-Disposition"] = content_disposition(record.filename, "material", record.id)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response
