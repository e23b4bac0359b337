"""The public site's pages: /public/ lists the programmes; for each programme (its plugin's code)
notices/, notices.atom, recognised/, assessments/ and measures/. No sign-in, no session needed,
the language fixed by the address (?lang=en; Chinese otherwise) so that a shared link reads the same
for everyone and caches by its URL."""
import re

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.i18n import current_language, format_date, localized
from admin.public import listings
from admin.public.caching import conditional, fingerprint, last_change
from admin.public.feed import atom_feed
from admin.views.rules import describe_criteria, describe_parameters
from core.plugin.registry import RulesUnavailable, UnknownJurisdiction
from core.records.vocab import GRADES, JURISDICTION_LEVELS
from core.rules.formatting import as_date
from core.rules.parameters import ParameterError

bp = Blueprint("public", __name__, url_prefix="/public")

#: Recognition states as announced: in force, under rectification within a deadline, revoked.
STATE_WORDS = {"active": _l("Recognition in force"), "rectifying": _l("Under rectification"),
               "revoked": _l("Recognition revoked")}


@bp.before_request
def _page_language():
    g.page_language = "en" if request.args.get("lang") == "en" else "zh_CN"


#: The four pages of a programme, in the order the menu and the index list them.
SECTIONS = (("public.notices", _l("Public notices and announcements")), ("public.recognised", _l("Recognised parks")),
            ("public.assessments", _l("Assessment results")), ("public.measures", _l("Policy documents")))


@bp.context_processor
def _helpers():
    return {"public_url": public_url, "format_date": format_date,
            "sections": SECTIONS}


def public_url(endpoint, **values):
    """A link of the public site that keeps the page's language."""
    if current_language() == "en":
        values["lang"] = "en"
    return url_for(endpoint, **values)


def registry():
    return current_app.extensions["hrpark_registry"]


def programme_or_404(code):
    try:
        return registry().get(code)
    except (UnknownJurisdiction, RulesUnavailable):
        abort(404)


def requested_page():
    """?page=N, 1 when absent; anything else than a page that exists is a 404 (see listings.page_bounds)."""
    text = request.args.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,6}", text):  # ASCII digits only: "²" is a digit to str.isdigit, not to int
        abort(404)
    return int(text)


def programme_facts(rules):
    """What every page of a programme says about it: its name, measures and level."""
    info = rules.info
    level = info.words.park_level if current_language() == "zh" else _(
        "%(level)s level", level=JURISDICTION_LEVELS.label(info.level, "en").capitalize())
    return {"code": rules.code, "name": localized(info.name, info.name_en), "measures": info.measures_title,
            "document_number": info.document_number, "level": level, "version": info.version,
            "hrss": info.bureaus["hrss"]}


def notice_article(rules):
    """The article the notice is held under: that of the step that opens it, else of the procedure."""
    procedure = rules.procedure()
    opening = next((t for t in procedure.transitions if "notice_open" in t.guards), None)
    return (opening.article if opening else "") or procedure.article


def page(template, rules, mimetype="text/html", render=render_template, **shown):
    """Render `template` for programme `rules` with what it `shown`, or answer 304 when the browser
    holds this version: the ETag is a digest of exactly what the page shows, on this day, in this
    language, under this version of the programme."""
    day = listings.today()
    facts = programme_facts(rules)
    etag = fingerprint(template, current_language(), day, facts, shown)
    return conditional(etag, last_change(day), lambda: render(template, programme=facts, day=day, **shown),
                       mimetype=mimetype)


@bp.route("/")
def index():
    day = listings.today()
    # each city's measures, then those of its counties modelled on them
    ordered = sorted(registry(), key=lambda rules: (rules.info.parent or rules.code, rules.info.parent is not None, rules.code))
    programmes = [programme_facts(rules) for rules in ordered]
    etag = fingerprint("index", current_language(), day, programmes)
    return conditional(etag, last_change(day), lambda: render_template("public/index.html", programmes=programmes))


@bp.route("/<programme>/")
def programme_home(programme):
    return page("public/programme.html", programme_or_404(programme))


@bp.route("/<programme>/notices/")
def notices(programme):
    rules = programme_or_404(programme)
    day, number = listings.today(), requested_page()
    try:
        rows, pages = listings.notice_rows(rules.code, day, number)
    except listings.PageOutOfRange:
        abort(404)
    article = notice_article(rules)
    shown = notice_texts([notice_view(n, day) for n in rows], rules.info.bureaus["hrss"], article)
    return page("public/notices.html", rules, notices=shown, pages=pages, page_number=number, article=article)


def notice_texts(notices, bureau, article):
    """Each notice's period, how to object and its objection form's address, from patterns translated
    and an address built once for the page: per notice, only the formatting is left."""
    period = _("%(start)s to %(end)s (%(days)s working days)")
    how = _("Anyone who objects to this park being recognised may write to %(bureau)s by %(end)s, giving the "
            "reasons and facts (%(article)s).")
    form = url_for("public_objections.new", notice_id="NOTICE")
    for n in notices:
        start, end = format_date(n["start"]), format_date(n["end"])
        n.update(period=period % {"start": start, "end": end, "days": n["working_days"]},
                 how=how % {"bureau": bureau, "end": end, "article": article},
                 form_url=form.replace("NOTICE", str(n["id"])))
    return notices


def notice_view(notice, day):
    start, end = as_date(notice["start"]), as_date(notice["end"])
    return {"id": notice["id"], "park": notice["park"], "place": localized(notice["place_zh"], notice["place_en"]),
            "start": start, "end": end, "working_days": notice["working_days"],
            "in_progress": listings.notice_in_progress(start, end, day)}


@bp.route("/<programme>/notices.atom")
def notices_feed(programme):
    rules = programme_or_404(programme)
    day = listings.today()
    rows, _pages = listings.notice_rows(rules.code, day)
    return page("atom", rules, mimetype="application/atom+xml", render=atom_feed,
                notices=[notice_view(n, day) for n in rows], article=notice_article(rules))


@bp.route("/<programme>/recognised/")
def recognised(programme):
    rules = programme_or_404(programme)
    number = requested_page()
    try:
        rows, pages = listings.recognition_rows(rules.code, number)
    except listings.PageOutOfRange:
        abort(404)
    parks = [{"name": r.official_name, "place": localized(r.jurisdiction.name_zh, r.jurisdiction.name_en),
              "recognised_on": r.recognised_on, "state": str(STATE_WORDS[r.status]), "revoked": r.status == "revoked",
              "revoked_on": r.revoked_on, "article": r.revocation_article, "document_number": r.document_number}
             for r in rows]
    return page("public/recognised.html", rules, parks=parks, pages=pages, page_number=number)


@bp.route("/<programme>/assessments/")
def assessments(programme):
    rules = programme_or_404(programme)
    language = current_language()
    results = [{"park": a.recognition.official_name, "year": a.year, "grade": GRADES.label(a.grade, language),
                "assessed_on": a.assessed_on,
                "announced": [{"text": localized(c.get("explanation", ""), c.get("explanation_en", "")),
                               "article": c.get("article", "")} for c in announced]}
               for a, announced in listings.assessment_rows(rules.code)]
    return page("public/assessments.html", rules, results=results)


@bp.route("/<programme>/measures/")
def measures(programme):
    """The measures in force today, article by article, with the numbers the software applies and
    their dates: the same functions and parameter files as the back office's rules page."""
    rules = programme_or_404(programme)
    day = listings.today()
    try:
        criteria = describe_criteria(rules, day)
        parameters = describe_parameters(rules, day, registry())
    except ParameterError:  # a day before the measures' first number: the page says none is in force
        criteria, parameters = [], []
    return page("public/measures.html", rules, criteria=criteria, parameters=parameters)
