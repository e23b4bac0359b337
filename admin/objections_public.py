"""The public site's objection pages, under /public/objections/: anyone objects to a notice under
their real name, with a CAPTCHA (image or audio), and later looks up where it stands by its
reference number and the last four digits of their phone.

Every refusal is a 4xx page saying what is wrong, and writes nothing. The CAPTCHA's answer is kept
in the (server-side) session and is good for one try. Rate limits per address and per phone are
counted in the database (core.records.services.objections), so they hold across workers.
"""
import secrets

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha
from flask import Blueprint, Response, abort, current_app, render_template, request, session

from admin.i18n import current_language, localized
from admin.views import workflow
from admin.views.workflow import as_int
from core.records.models import Application, PublicNotice
from core.records.services import objections as service
from core.records.services.base import NotFound, ServiceError
from core.records.vocab import OBJECTION_STATUSES

bp = Blueprint("public_objections", __name__, url_prefix="/public/objections")
CAPTCHA_KEY = "objection_captcha"
CAPTCHA_DIGITS = 5  # digits only: the audio CAPTCHA speaks digits
FIELDS = ("name", "phone", "content")


def new_captcha():
    """A fresh answer for this session's next try (the image and the audio both read it)."""
    session[CAPTCHA_KEY] = "".join(secrets.choice("0123456789") for _ in range(CAPTCHA_DIGITS))


def captcha_solved():
    """True if the posted answer is this session's; either way the answer is used up."""
    expected = session.pop(CAPTCHA_KEY, None)
    given = request.form.get("captcha") or ""
    return bool(expected) and secrets.compare_digest(given.strip().encode(), expected.encode())


def notice_for(notice_id):
    """The notice named in the address, or a 404 page saying so."""
    notice = PublicNotice.get_or_none(PublicNotice.id == as_int(notice_id)) if as_int(notice_id) else None
    if notice is None:
        abort(404)
    return notice


def form_page(notice, status=200, error="", values=None):
    new_captcha()
    application = Application.get_by_id(notice.application_id)
    return render_template("public_objections/form.html", notice=notice, park=application.park, error=error,
                           values=values or {}), status


def refusal(exc):
    """The status of a refused filing: too many is 429, an unknown notice 404, anything else 400."""
    if isinstance(exc, NotFound):
        return 404
    return 429 if exc.field == "rate" else 400


@bp.route("/new/<notice_id>", methods=("GET", "POST"))
def new(notice_id):
    notice = notice_for(notice_id)
    if request.method == "GET":
        return form_page(notice)
    posted = {name: request.form.get(name) or "" for name in FIELDS}
    values = {name: value[:service.MAX_CONTENT] for name, value in posted.items()}  # typed back into the form
    if not captcha_solved():
        return form_page(notice, 400, localized("验证码不正确，请重新输入", "The CAPTCHA answer is wrong; try the new one."), values)
    upload = request.files.get("attachment")
    attachment = (upload.filename, upload.read(service.ATTACHMENT_MAX_BYTES + 1)) if upload and upload.filename else None
    try:
        objection = service.file_objection(notice.id, posted["name"], posted["phone"], posted["content"],
                                           on=workflow.today(), attachment=attachment, address=request.remote_addr or "",
                                           directory=current_app.config["UPLOAD_DIR"])
    except ServiceError as exc:
        return form_page(notice, refusal(exc), localized(exc.zh, exc.en), values)
    return render_template("public_objections/filed.html", objection=objection)


@bp.route("/captcha.png")
def captcha_image():
    return Response(ImageCaptcha().generate(_expected()).getvalue(), mimetype="image/png",
                    headers={"Cache-Control": "no-store"})


@bp.route("/captcha.wav")
def captcha_audio():
    return Response(bytes(AudioCaptcha().generate(_expected())), mimetype="audio/wav",
                    headers={"Cache-Control": "no-store"})


def _expected():
    expected = session.get(CAPTCHA_KEY)
    if not expected:
        abort(404)
    return expected


@bp.route("/lookup", methods=("GET", "POST"))
def lookup():
    """One objection's state, dates and reply, for whoever has its reference and phone."""
    if request.method == "GET":
        return render_template("public_objections/lookup.html", found=None, error="")
    try:
        found = service.look_up(request.form.get("reference"), request.form.get("phone_last4"))
    except NotFound as exc:
        return render_template("public_objections/lookup.html", found=None, error=localized(exc.zh, exc.en)), 404
    return render_template("public_objections/lookup.html", found=found, error="",
                           status_label=OBJECTION_STATUSES.label(found.status, current_language()))
