"""Blocks that recur in the cities' official documents, built with core.document_docx: the heading
of an addressed notice, a form's title lines, label/value form rows, a table repeated per item
({%tr for %}), the park summary of a public notice, the payment sheet's sign-off rows and the
paragraphs every notice of a kind carries.

The template scripts (plugins/<city>/templates/make_*.py) compose their documents from these; each
helper makes the same python-docx calls in the same order as the code it replaced, so the committed
.docx files stay what the scripts write.
"""
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.document_docx import (
    cell_line,
    cell_text,
    form_table,
    label_cell,
    merge,
    new_document,
    paragraph,
    red_header,
    row_height,
    tag,
    title,
)

RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


def addressed_notice(document_title, heading):
    """A new numbered document under the red header: its title, then the addressees' line."""
    document = new_document(document_title)
    red_header(document)
    title(document, heading)
    paragraph(document, "{{ addressees }}：", style="Addressee")
    return document


def form_heading(document, titles, filer_line):
    """A form's title line(s), who fills it in (left) and the date (right)."""
    for text in titles:
        paragraph(document, text, style="FormTitle")
    paragraph(document, filer_line, style="FormLine")
    paragraph(document, "填报日期：{{ issue_date }}", style="FormLine", align=RIGHT)


def merged_rows(rows, entries):
    """(row index, label, value) rows: the label in the first cell, the value across the other three."""
    for index, label, value in entries:
        label_cell(rows[index].cells[0], label)
        cell_text(merge(rows[index], 1, 3), value)


def paired_rows(rows, entries):
    """(row index, label, value, label, value) rows: two label/value pairs side by side."""
    for index, left_label, left, right_label, right in entries:
        cells = rows[index].cells
        label_cell(cells[0], left_label)
        cell_text(cells[1], left)
        label_cell(cells[2], right_label)
        cell_text(cells[3], right)


def looped_table(document, widths_mm, headings, loop, cells):
    """A table of heading labels, then one row repeated per item: `loop` is the docxtpl row loop
    ('s in assessment.scores'), `cells` the repeated row's (text, cell_text options) per column.
    Rows: 0 headings, 1 {%tr for %}, 2 the item, 3 {%tr endfor %}."""
    table = form_table(document, widths_mm, rows=4)
    for cell, text in zip(table.rows[0].cells, headings):
        label_cell(cell, text)
    cell_text(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    for cell, (text, options) in zip(table.rows[2].cells, cells):
        cell_text(cell, text, **options)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    return table


def park_summary_table(document, county_label):
    """附: the proposed park's basic facts, under a public notice; `county_label` names its county
    or district ('所在县（区）', '所在区')."""
    rows = (
        ("园区名称", "{{ park.name }}"),
        (county_label, "{{ park.county }}"),
        ("园区地址", "{{ park.address }}"),
        ("运营单位", "{{ park.applicant }}"),
        ("建筑面积", "{{ park.floor_area_text }}"),
        ("入驻机构数量", "{{ park.agency_count_text }}"),
    )
    table = form_table(document, [40, 116], rows=len(rows))
    for row, (label, value) in zip(table.rows, rows):
        label_cell(row.cells[0], label)
        cell_text(row.cells[1], value)
        row_height(row, 26)


def notice_period(document):
    """A public notice's period and how to object (to the issuing bureau)."""
    paragraph(document, "公示期：{{ notice.period }}（共{{ notice.working_days }}个工作日）。")
    paragraph(document, "公示期间，任何单位和个人对拟认定园区有异议的，可以书面形式向{{ issuer }}反映。反映情况应实事求是，"
              "个人须署真实姓名，单位须加盖公章，并提供联系方式，以便调查核实。")


def consequence_paragraphs(document):
    """One numbered paragraph per consequence of the assessment, with its deadline and article."""
    tag(document, "{%p for c in assessment.consequences %}")
    paragraph(document, "（{{ loop.index }}）{{ c.explanation }}{% if c.deadline %}，整改期限至{{ c.deadline }}{% endif %}"
              "（{{ c.article }}）。")
    tag(document, "{%p endfor %}")


def alternative_paragraphs(document, branches, otherwise):
    """{%p if %}…{%p elif %}…{%p else %}…{%p endif %}: `branches` are (Jinja condition, paragraph),
    the first an if, the rest elifs; `otherwise` the else paragraph."""
    for number, (condition, text) in enumerate(branches):
        tag(document, f"{{%p {'if' if number == 0 else 'elif'} {condition} %}}")
        paragraph(document, text)
    tag(document, "{%p else %}")
    paragraph(document, otherwise)
    tag(document, "{%p endif %}")


def rectification_deadline(document):
    """一、整改期限: from the notice's issue to the recorded deadline."""
    paragraph(document, "一、整改期限", style="HeadingOne")
    paragraph(document, "自本通知印发之日起至{{ rectification.deadline }}止。")


def payment_sign_off(handler_row, opinion_row, handler_height, opinion_height):
    """A payment sheet's foot: who handled, checked and approved it, then the opinion boxes of the
    issuing jurisdiction's HRSS bureau and finance bureau (its `bureaus`), each with seal and date."""
    cell_text(merge(handler_row, 0, 3), "经办人：　　　　　　　审核人：　　　　　　　分管领导：")
    row_height(handler_row, handler_height)
    for column, authority in ((0, "{{ bureaus.hrss }}意见"), (2, "{{ bureaus.finance }}意见")):
        label_cell(opinion_row.cells[column], authority)
        box = opinion_row.cells[column + 1]
        cell_text(box, "", valign="bottom")
        cell_line(box, "（盖章）", align=RIGHT, right_indent_pt=28)
        cell_line(box, "年　　月　　日", align=RIGHT)
    row_height(opinion_row, opinion_height)


def write_templates(builders, directory):
    """Run each builder (a function named as the template it writes) into `directory`; the paths written."""
    directory = Path(directory)
    for builder in builders:
        builder(directory)
    return [directory / f"{builder.__name__}.docx" for builder in builders]
