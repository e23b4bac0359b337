"""The Word file of a document, made from its print view: `docx_from_html(html)` reads the HTML a
document template renders (core/io/documents/templates/official.html and its parts) and writes the same
paragraphs and tables with python-docx on the official page of core.io.documents.word_page.

So each document is written once, as HTML: its Word file and its print view carry the same words.
What the Word file takes from the HTML is its structure and its classes — a paragraph's class names
its official style (`body` 公文正文, `h1` 一级标题, `addressee` 主送机关 …), a table's cells their
spans and widths (`<col style="width:25%">`, `<th style="width:17%">`), a row's minimum height
`style="height:37mm"` (no rowspan); the stylesheet itself is the browser's.
"""
import io
import re

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import html as lxml_html

from core.io.documents.word_page import (
    BODY_LINE,
    BODY_SIZE,
    PPR_AFTER_BORDER,
    TABLE_SIZE,
    TEXT_WIDTH_MM,
    form_table,
    new_document,
    repeat_header,
    row_height,
    style_of,
)

#: A paragraph's class in the HTML -> its style in the Word file; the first class that has one wins.
PARAGRAPH_STYLES = {
    "red-header": "OfficialHeader",
    "doc-number": "DocNumber",
    "title": "OfficialTitle",
    "form-title": "FormTitle",
    "addressee": "Addressee",
    "body": "OfficialBody",
    "h1": "HeadingOne",
    "h2": "HeadingTwo",
    "issuer": "Signature",
    "date": "Signature",
    "note": "Note",
    "form-line": "FormLine",
    "cover-title": "CoverTitle",
}
#: Elements whose content runs on within a paragraph.
INLINE = {"span", "b", "strong", "em", "i", "a", "small", "sup", "sub", "u", "br"}
BOLD = {"b", "strong"}
#: Elements that only hold blocks (their own text, if any, becomes a paragraph of the default style).
CONTAINERS = {"main", "section", "div", "body", "article", "header", "footer"}
#: HTML's collapsible whitespace (not U+3000, the full-width space forms use to leave room to write).
SPACE = re.compile(r"[ \t\r\n\f]+")
#: The print view hides page numbers with `@bottom-right { content: none; }` (forms have none).
NO_PAGE_NUMBERS = re.compile(r"@bottom-right\s*\{\s*content:\s*none")
LENGTH = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([\d.]+)\s*(%|mm|pt)")
#: The right indent (in characters of its size) of a paragraph of each class, the later class winning.
RIGHT_INDENTS = {"seal": (TABLE_SIZE, 5), "day": (TABLE_SIZE, 2), "issuer": (BODY_SIZE, 2), "date": (BODY_SIZE, 4)}
#: Rows of a form table are at least this high (pt), as on the paper forms; other tables' rows 22 pt.
FORM_ROW, TABLE_ROW = 26, 22
#: The space the print view leaves above a signature (two body lines) and around a title (one).
SIGNATURE_SPACE = BODY_LINE * 2
TITLE_SPACE = BODY_LINE


def docx_from_html(html: str, author="hrpark") -> bytes:
    """The .docx of a rendered document template: its <main> (else <body>) as paragraphs and tables."""
    root = lxml_html.document_fromstring(html)
    title = (root.findtext(".//title") or "").strip()
    styles = " ".join(s.text or "" for s in root.iter("style"))
    document = new_document(title, author=author, page_numbers=not NO_PAGE_NUMBERS.search(styles))
    page = next(root.iter("main"), None)
    _Writer(document).blocks(page if page is not None else root.find("body"), document, "OfficialBody")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _classes(element) -> set:
    return set((element.get("class") or "").split())


def _lengths(element) -> dict:
    """{'width': (number, unit), 'height': …} of an element's inline style."""
    return {name: (float(number), unit) for name, number, unit in LENGTH.findall(element.get("style") or "")}


def _points(length):
    number, unit = length
    return Mm(number).pt if unit == "mm" else number


class _Writer:
    """Walks the HTML, writing each block element as a paragraph (or a table) and the inline content
    within it as runs, with HTML's whitespace rules (spaces collapse; none at a paragraph's ends)."""

    def __init__(self, document):
        self.document = document
        self.paragraph = None  # the paragraph inline content goes to, or None
        self.space_pending = False
        self.page_break_pending = False
        self.fresh_cell = None  # a table cell whose own (first) paragraph is still unwritten

    # --- paragraphs ---------------------------------------------------------------------------------

    def new_paragraph(self, container, style):
        """A paragraph of `style` in `container`; a table cell's first one is the cell's own."""
        if container is self.fresh_cell:
            self.fresh_cell = None
            paragraph = container.paragraphs[0]
            paragraph.style = style_of(self.document, style)
        else:
            paragraph = container.add_paragraph(style=style_of(self.document, style))
        if self.page_break_pending:
            paragraph.paragraph_format.page_break_before = True
            self.page_break_pending = False
        self.paragraph, self.space_pending = paragraph, False
        return paragraph

    def end_paragraph(self):
        if self.paragraph is not None and self.paragraph.runs:
            last = self.paragraph.runs[-1]
            last.text = last.text.rstrip(" ")
        self.paragraph = None

    def text(self, container, style, text, bold=False):
        """Inline `text` into the open paragraph (opening one of `style` for text that is not blank)."""
        if not text:
            return
        collapsed = SPACE.sub(" ", text)
        if self.paragraph is None:
            collapsed = collapsed.lstrip(" ")
            if not collapsed:
                return
            self.new_paragraph(container, style)
        if not self.paragraph.text or self.space_pending:
            collapsed = collapsed.lstrip(" ")
        if collapsed:
            self.paragraph.add_run(collapsed).bold = bold or None
            self.space_pending = collapsed.endswith(" ")

    def inline(self, element, container, style, bold=False):
        bold = bold or element.tag in BOLD
        if element.tag == "br":
            if self.paragraph is None:
                self.new_paragraph(container, style)
            self.paragraph.add_run().add_break()
            self.space_pending = True
        else:
            self.text(container, style, element.text, bold)
            for child in element:
                if isinstance(child.tag, str):
                    self.inline(child, container, style, bold)
                self.text(container, style, child.tail, bold)
            if "choice" in _classes(element):  # a tick box and its label, then a space before the next
                self.text(container, style, " ")

    # --- blocks -------------------------------------------------------------------------------------

    def blocks(self, element, container, style):
        """The children of `element` into `container`; loose text goes in paragraphs of `style`."""
        self.text(container, style, element.text)
        for child in element:
            if not isinstance(child.tag, str):  # a comment
                pass
            elif child.tag in INLINE:
                self.inline(child, container, style)
            else:
                self.end_paragraph()
                self.block(child, container, style)
            self.text(container, style, child.tail)
        self.end_paragraph()

    def block(self, element, container, style):
        classes = _classes(element)
        in_cell = hasattr(container, "_tc")  # a cell's paragraphs keep the cell's style: no body text there
        own = None if in_cell else next(
            (PARAGRAPH_STYLES[c] for c in element.get("class", "").split() if c in PARAGRAPH_STYLES), None)
        if element.tag == "table":
            self.table(element, container)
        elif "page-break" in classes:
            self.page_break_pending = True
        elif element.tag in CONTAINERS and own is None:
            self.container(element, container, style, classes)
        else:
            if own is None:
                own = "OfficialTitle" if element.tag == "h1" else style
            paragraph = self.new_paragraph(container, own)
            self.blocks(element, container, own)  # inline content; a nested block starts a new paragraph
            self.format(paragraph, classes, in_cell)

    def container(self, element, container, style, classes):
        if "signature" in classes:
            first = len(container.paragraphs)
            self.blocks(element, container, "Signature")
            if len(container.paragraphs) > first:
                container.paragraphs[first].paragraph_format.space_before = SIGNATURE_SPACE
        elif "cover-lines" in classes:
            first = len(container.paragraphs)
            self.blocks(element, container, "CoverLine")
            for number, paragraph in enumerate(container.paragraphs[first:]):
                paragraph.paragraph_format.left_indent = Pt(BODY_SIZE.pt * 3)
                if number == 0:
                    paragraph.paragraph_format.space_before = Mm(70)
        else:
            self.blocks(element, container, style)

    def format(self, paragraph, classes, in_cell=False):
        """What a paragraph's classes add to its style: alignment, indents, the red rule, spacing."""
        fmt = paragraph.paragraph_format
        if in_cell:
            if "body" in classes:  # an opinion's lines, indented as a paragraph of text
                fmt.first_line_indent = Pt(TABLE_SIZE.pt * 2)
            classes = classes & {"right", "seal", "day"}
        if "right" in classes or "seal" in classes or "day" in classes:
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for name, (size, characters) in RIGHT_INDENTS.items():  # a seal's 盖章 over the middle of the date below it
            if name in classes:
                fmt.right_indent = Pt(size.pt * characters)
        if "issuer" in classes:
            fmt.keep_with_next = True  # never the issuer on one page and the date on the next
        if "title" in classes:
            fmt.space_before = fmt.space_after = TITLE_SPACE
        if "red-header" in classes:
            fmt.space_before = Pt(14)
        if "cover-title" in classes:
            fmt.space_before = Mm(40)
        if "doc-number" in classes:
            fmt.space_before = BODY_LINE
            _red_rule(paragraph)

    # --- tables -------------------------------------------------------------------------------------

    def table(self, element, container):
        rows = [tr for tr in element.iter("tr")]
        if not rows:
            return
        spans = [[cell for cell in tr if cell.tag in ("td", "th")] for tr in rows]
        columns = max(sum(int(c.get("colspan") or 1) for c in cells) for cells in spans)
        table = form_table(container, _column_widths(element, spans, columns), rows=len(rows))
        classes = _classes(element)
        small = "criteria" in classes
        for tr, cells, row in zip(rows, spans, table.rows):
            height = _lengths(tr).get("height") or next(
                (_lengths(c)["height"] for c in cells if "height" in _lengths(c)), None)
            row_height(row, _points(height) if height else (FORM_ROW if "form" in classes else TABLE_ROW))
            if tr.getparent().tag == "thead":
                repeat_header(row)
            column = 0
            for cell_element in cells:
                span = int(cell_element.get("colspan") or 1)
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                column += span
                self.cell(cell_element, cell, small)

    def cell(self, element, cell, small):
        classes = _classes(element)
        label = element.tag == "th" or "label" in classes
        style = "TableLabel" if label else ("TableSmall" if small else "TableText")
        # An opinion box reads from its top, or holds only its seal and date at its foot.
        paragraphs = list(element.iter("p"))
        foot_only = paragraphs and all(_classes(p) & {"seal", "day"} for p in paragraphs)
        valign = WD_CELL_VERTICAL_ALIGNMENT
        box_align = valign.BOTTOM if foot_only else valign.TOP
        cell.vertical_alignment = box_align if "opinion" in classes else valign.CENTER
        for extra in cell.paragraphs[1:]:  # merging cells keeps each one's empty paragraph
            extra._p.getparent().remove(extra._p)
        cell.paragraphs[0].style = style_of(self.document, style)
        self.fresh_cell = cell
        self.blocks(element, cell, style)
        self.fresh_cell = None


def _column_widths(table, spans, columns) -> list:
    """Each column's width in mm: from <col style="width:…%"> or a first row's cells' widths, the
    rest shared out equally."""
    widths = [None] * columns
    cols = [col for col in table.iter("col")]
    if cols:
        for index, col in enumerate(cols[:columns]):
            widths[index] = _lengths(col).get("width")
    else:
        column = 0
        for cell in spans[0]:
            span = int(cell.get("colspan") or 1)
            if span == 1:
                widths[column] = _lengths(cell).get("width")
            column += span
    fixed = [_mm(w) for w in widths if w is not None]
    free = [i for i, w in enumerate(widths) if w is None]
    rest = max(TEXT_WIDTH_MM - sum(fixed), 10 * len(free))
    return [_mm(w) if w is not None else rest / len(free) for w in widths]


def _mm(length):
    number, unit = length
    return {"%": TEXT_WIDTH_MM * number / 100, "mm": number, "pt": number * 25.4 / 72}[unit]


def _red_rule(paragraph):
    """The red line under the 发文字号 that separates the header from the document (pBdr bottom)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *PPR_AFTER_BORDER)
