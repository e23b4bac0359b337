"""Filling a document template with a document's context: the HTML through Jinja (with core's A4
layout, core/io/documents/templates/official.html, to extend), and the Word file made from that HTML
(core.io.documents.word), so both come from one source. Jinja escapes the data (a park named "A&B"
prints as such) and fails loudly on a name the context does not have.

A template finds, besides its own directory and core's layout, the templates of the jurisdiction it
extends as `parent/<file>` (a county's `{% extends "parent/approval_reply.html" %}` changing blocks of
its city's document instead of copying it)."""
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined

from core.io.documents.word import docx_from_html

#: core's own HTML layout and parts, found after the template's own directory.
CORE_TEMPLATE_DIR = Path(__file__).parent / "templates"
PARENT_PREFIX = "parent"


def _environment(path: Path, parent_dir=None):
    loaders = [FileSystemLoader(str(path.parent))]
    if parent_dir is not None:
        loaders.append(PrefixLoader({PARENT_PREFIX: FileSystemLoader(str(parent_dir))}))
    loaders.append(FileSystemLoader(str(CORE_TEMPLATE_DIR)))
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


def render_html(path, context, reword=None, parent_dir=None) -> bytes:
    """The print view: template `path` filled with `context` (its source read through `reword`, a
    county's words over its city's file, when given)."""
    path = Path(path)
    environment = _environment(path, parent_dir)
    if reword is None:
        template = environment.get_template(path.name)
    else:
        template = environment.from_string(reword(path.read_text(encoding="utf-8")))
    return template.render(context).encode("utf-8")


def render_docx(path, context, reword=None, parent_dir=None) -> bytes:
    """The Word file: the print view of `path` written as a .docx, signed by the document's issuer."""
    html = render_html(path, context, reword, parent_dir).decode("utf-8")
    return docx_from_html(html, author=context.get("issuer") or "hrpark")
