"""Reading a generated document back as a person would: the .docx through python-docx (paragraphs,
tables, headers), the HTML as text."""
import html
import io
import re

import docx


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def docx_paragraphs(document) -> list:
    """Every paragraph's text, body and table cells in order (merged cells once)."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def docx_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(open_docx(data)))


def table_row(document, label):
    """The texts of the first table row whose first cell reads `label` (merged cells once)."""
    for table in document.tables:
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
            if cells and cells[0].replace("\n", "") == label:
                return cells
    raise AssertionError(f"no row {label!r}")


def html_text(data: bytes) -> str:
    text = data.decode("utf-8")
    text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", text))
