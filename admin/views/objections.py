"""The objections to a notice on the application page, and the city officer's steps on each:
开始调查核实, then 成立 / 不成立 with the findings and the reply to the objector.

Who objected (name, phone, attachment) is shown only to the city officers who reach the
application; everyone else who sees the page sees 张* and 138****5678 (core.records.services.objections).
"""
from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose

from admin.auth import current_actor, current_user
from admin.i18n import bilingual, current_language
from admin.views.base import SecuredBaseView
from admin.views.workflow import posted_text, posted_version, run, today
from core.records.models import Objection
from core.records.services import objections as service
from core.records.services.base import NotFound
from core.records.vocab import OBJECTION_CHANNELS, OBJECTION_STATUSES


def objection_rows(application, notice, actor):
    """The notice's objections as the page shows them to `actor`."""
    if notice is None:
        return []
    personal = service.may_see_personal(actor, application)
    language = current_language()
    return [{
        "id": o.id,
        "reference": o.reference,
        "version": o.version,
        "status": o.status,
        "status_label": OBJECTION_STATUSES.label(o.status, language),
        "channel_label": OBJECTION_CHANNELS.label(o.channel, language),
        "name": o.objector_name if personal else service.mask_name(o.objector_name),
        "phone": o.objector_phone if personal else service.mask_phone(o.objector_phone),
        "attachment": o.attachment_name if personal and o.attachment_path else "",
        "content": o.content,
        "received_on": o.received_on,
        "officer": o.officer,
        "investigated_on": o.investigated_on,
        "findings": o.findings,
        "reply": o.reply,
        "decided_on": o.decided_on,
        "erased": o.erased_on is not None,
        "may_handle": personal and o.status in service.OPEN,
    } for o in Objection.select().where(Objection.notice == notice).order_by(Objection.id)]


class ObjectionView(SecuredBaseView):
    """The steps on one objection (posted from the application page) and its attachment."""

    def is_accessible(self):
        return current_user() is not None

    def is_visible(self):
        return False

    def _objection(self, objection_id):
        try:
            return service.objection_for(current_actor(), objection_id)
        except NotFound:
            abort(404)

    def _back(self, objection):
        return redirect(url_for("application.details_view", id=objection.application_id) + "#objections")

    @expose("/")
    def index(self):
        return redirect(url_for("application.index_view"))  # objections are read on their application's page

    @expose("/<int:objection_id>/investigate/", methods=("POST",))
    def investigate_view(self, objection_id):
        objection = self._objection(objection_id)
        version = posted_version()
        if version is not None and run(service.start_investigation, objection, current_actor(),
                                       expected_version=version, on=today()) is not None:
            flash(bilingual("The objection is under investigation."), "success")
        return self._back(objection)

    @expose("/<int:objection_id>/decide/", methods=("POST",))
    def decide_view(self, objection_id):
        objection = self._objection(objection_id)
        version = posted_version()
        if version is not None and run(service.decide, objection, posted_text("outcome"), posted_text("findings"),
                                       posted_text("reply"), current_actor(), expected_version=version,
                                       on=today()) is not None:
            flash(bilingual("The objection is decided and the reply recorded."), "success")
        return self._back(objection)

    @expose("/<int:objection_id>/attachment/")
    def attachment_view(self, objection_id):
        objection = self._objection(objection_id)
        if not service.may_see_personal(current_actor(), objection.application) or not objection.attachment_path:
            abort(404)
        return send_file(objection.attachment_path, mimetype=service.attachment_content_type(objection),
                         as_attachment=True, download_name=objection.attachment_name)


def posted_attachment():
    """(filename, bytes) of the form's attachment, or None when none was chosen."""
    upload = request.files.get("attachment")
    if upload is None or not upload.filename:
        return None
    return upload.filename, upload.read(service.ATTACHMENT_MAX_BYTES + 1)


def register(admin):
    admin.add_view(ObjectionView(endpoint="objection", url="objection"))

