"""Filling a template with a document's context: .docx through docxtpl, .html through Jinja (with
core's A4 layout, core/document_templates/official.html, to extend). Both escape the data (a park
named "A&B" prints as such) and fail loudly on a name the context does not have."""
import datetime
import io
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

#: core's own HTML layout and parts, found after the template's own directory.
CORE_TEMPLATE_DIR = Path(__file__).parent / "document_templates"


def _environment(loader=None):
    return Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


def render_docx(path, context) -> bytes:
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=_environment(), autoescape=True)
    props = template.docx.core_properties
    props.title = f"{context.get('document_title', '')}－{context['park']['name']}" if "park" in context else props.title
    props.author = context.get("issuer", props.author)
    now = datetime.datetime.now().replace(microsecond=0)
    props.created = now
    props.modified = now
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_html(path, context) -> bytes:
    path = Path(path)
    loader = ChoiceLoader([FileSystemLoader(str(path.parent)), FileSystemLoader(str(CORE_TEMPLATE_DIR))])
    environment = _environment(loader)
    return environment.get_template(path.name).render(context).encode("utf-8")
