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


def _paragraphs(container):
    """Every paragraph of a document part, tables (and tables in tables) included."""
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def _reword_docx(template, reword):
    """`reword` applied run by run to the template's body, headers and footers (each text of a
    template, Jinja tags included, is written in one run)."""
    template.init_docx()
    document = template.docx
    parts = [document] + [s.header for s in document.sections] + [s.footer for s in document.sections]
    for part in parts:
        for p in _paragraphs(part):
            for run in p.runs:
                if run.text != reword(run.text):
                    run.text = reword(run.text)


def render_docx(path, context, reword=None) -> bytes:
    template = DocxTemplate(str(path))
    if reword is not None:
        _reword_docx(template, reword)
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


def render_html(path, context, reword=None) -> bytes:
    path = Path(path)
    loader = ChoiceLoader([FileSystemLoader(str(path.parent)), FileSystemLoader(str(CORE_TEMPLATE_DIR))])
    environment = _environment(loader)
    if reword is None:
        template = environment.get_template(path.name)
    else:
        template = environment.from_string(reword(path.read_text(encoding="utf-8")))
    return template.render(context).encode("utf-8")
