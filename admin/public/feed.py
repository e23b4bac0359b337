"""The Atom feed of a programme's public notices (RFC 4287), built with the standard library: one
entry per notice public today, newest first, each linking to the notices page."""
import datetime
import xml.etree.ElementTree as ET

from flask import url_for
from flask_babel import gettext as _

from admin.i18n import current_language, format_date

ATOM = "http://www.w3.org/2005/Atom"


def _moment(day):
    """A day as Atom's date-time: its midnight in China Standard Time."""
    return datetime.datetime.combine(day, datetime.time(), datetime.timezone(datetime.timedelta(hours=8))).isoformat()


def _text(parent, tag, text, **attributes):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def atom_feed(_template, programme, day, notices, article) -> bytes:
    """The feed of `notices` (as the notices page describes them) of `programme` on `day` (called
    as the pages' renderer is: views.page)."""
    ET.register_namespace("", ATOM)
    lang = "en" if current_language() == "en" else "zh-CN"
    page = url_for("public.notices", programme=programme["code"], _external=True,
                   **({"lang": "en"} if lang == "en" else {}))
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _text(feed, "title", _("Public notices: %(name)s", name=programme["measures"]))
    _text(feed, "id", f"{page}#feed")
    _text(feed, "link", None, rel="alternate", href=page)
    _text(feed, "link", None, rel="self", href=url_for("public.notices_feed", programme=programme["code"], _external=True,
                                                        **({"lang": "en"} if lang == "en" else {})))
    _text(feed, "updated", _moment(max((n["start"] for n in notices), default=datetime.date(2000, 1, 1))))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", programme["hrss"] or programme["name"])
    for notice in notices:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", _("Public notice: %(park)s", park=notice["park"]))
        _text(entry, "id", f"{page}#notice-{notice['id']}")
        _text(entry, "link", None, rel="alternate", href=f"{page}#notice-{notice['id']}")
        _text(entry, "updated", _moment(notice["start"]))
        _text(entry, "summary", _(
            "%(park)s (%(place)s): public notice from %(start)s to %(end)s, %(days)s working days (%(article)s).",
            park=notice["park"], place=notice["place"], start=format_date(notice["start"]),
            end=format_date(notice["end"]), days=notice["working_days"], article=article))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
