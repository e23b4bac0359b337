"""The official Word page python-docx writes documents on: A4 with 公文 margins, Chinese fonts set
for East Asian text (w:eastAsia — python-docx alone sets only the western font), the paragraph
styles of an official document (red header, title, body, headings, signature, form lines, table
text) and bordered tables. core.io.documents.word fills this page from a document's HTML.

Layout follows GB/T 9704-2012 《党政机关公文格式》: body 3号仿宋 (16 pt) at 22 lines a page,
title 2号宋体 bold (22 pt), first-level headings 黑体, second-level 楷体, page numbers 4号宋体
"— 1 —" right on odd pages and left on even ones.
"""

import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import StyleFactory
from lxml import etree

WESTERN_FONT = "Times New Roman"
FANGSONG = "仿宋"
SONG = "宋体"
HEI = "黑体"
KAI = "楷体"

#: Font-table entries: the name Word looks up, its English name (w:altName) and the GB2312 charset
#: (86), so Word or LibreOffice without the font substitutes a Chinese font of the same family.
FONT_TABLE = {
    FANGSONG: ("FangSong", "02010609060101010101", "modern", "fixed"),
    SONG: ("SimSun", "02010600030101010101", "auto", "variable"),
    HEI: ("SimHei", "02010609060101010101", "modern", "fixed"),
    KAI: ("KaiTi", "02010609060101010101", "modern", "fixed"),
}

# 公文 page: A4, top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm).
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
SMALL_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小4号
#: The red header: 24 pt keeps a 17-character 发文机关标志 (a city bureau's name and 文件) on one line.
HEADER_SIZE = Pt(24)
BODY_LINE = Pt(28.9)  # 22 lines in the 225 mm 版心
RED = RGBColor(0xE6, 0x00, 0x12)
#: pPr children that come after w:pBdr in the schema's order (Word refuses them out of order).
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


# --- fonts ------------------------------------------------------------------------------------------


def set_fonts(rpr_owner, east_asian, western=WESTERN_FONT):
    """Set the East Asian and western fonts of a style's or run's rPr, dropping theme fonts (which
    Word would otherwise prefer to the named ones)."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    _name_fonts(fonts, east_asian, western)
    fonts.set(qn("w:hint"), "eastAsia")


def _name_fonts(fonts, east_asian, western):
    """An rFonts element's named fonts, its theme fonts dropped."""
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(script), western)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_defaults(document):
    """docDefaults: 仿宋 3号, Chinese language, no space after paragraphs."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _name_fonts(rpr.find(qn("w:rFonts")), FANGSONG, WESTERN_FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _set_font_table(document):
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, (alt, panose, family, pitch) in FONT_TABLE.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:panose1")).set(qn("w:val"), panose)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), family)
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), pitch)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_extras(document):
    """Drop the default template's thumbnail (a blank page picture) and its Word-2010 style copy."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[rel_id]


# --- styles -----------------------------------------------------------------------------------------


def _paragraph_style(document, style_id, name, east_asian=FANGSONG, size=BODY_SIZE, bold=False, color=None,
                     align=None, first_line_chars=0, line=BODY_LINE, before=0, after=0, keep_next=False):
    styles = document.styles
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = styles["Normal"]
    style.quick_style = True
    set_fonts(style.element, east_asian)
    style.font.size = size
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    if first_line_chars:
        # Indent in characters (firstLineChars, hundredths): two characters whatever the font size.
        ind = style.element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
        ind.set(qn("w:firstLine"), str(int(size.pt * 20 * first_line_chars)))
    return style


def _set_styles(document):
    normal = document.styles["Normal"]
    set_fonts(normal.element, FANGSONG)
    normal.font.size = BODY_SIZE
    body = WD_ALIGN_PARAGRAPH.JUSTIFY
    center = WD_ALIGN_PARAGRAPH.CENTER
    right = WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph_style(document, "OfficialHeader", "发文机关标志", SONG, HEADER_SIZE, bold=True, color=RED,
                     align=center, line=Pt(40))
    _paragraph_style(document, "DocNumber", "发文字号", align=center)
    _paragraph_style(document, "OfficialTitle", "公文标题", SONG, TITLE_SIZE, bold=True, align=center, line=Pt(36),
                     keep_next=True)
    _paragraph_style(document, "Addressee", "主送机关", align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(document, "OfficialBody", "公文正文", align=body, first_line_chars=2)
    _paragraph_style(document, "HeadingOne", "一级标题", HEI, align=body, first_line_chars=2, keep_next=True)
    _paragraph_style(document, "HeadingTwo", "二级标题", KAI, align=body, first_line_chars=2, keep_next=True)
    _paragraph_style(document, "Signature", "落款", align=right)
    _paragraph_style(document, "FormTitle", "表格标题", SONG, TITLE_SIZE, bold=True, align=center, line=Pt(36),
                     after=6)
    _paragraph_style(document, "FormLine", "表头信息", size=SMALL_SIZE, line=Pt(26))
    _paragraph_style(document, "TableLabel", "表格栏目", size=TABLE_SIZE, align=center, line=Pt(19))
    _paragraph_style(document, "TableText", "表格文字", size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(19))
    _paragraph_style(document, "TableSmall", "表格小字", size=Pt(10.5), align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(16))
    _paragraph_style(document, "Note", "附注", size=SMALL_SIZE, align=body, line=Pt(22))
    _paragraph_style(document, "PageNumber", "页码", SONG, SMALL_SIZE, line=None)
    _paragraph_style(document, "CoverTitle", "封面标题", SONG, Pt(26), bold=True, align=center, line=Pt(44))
    _paragraph_style(document, "CoverLine", "封面信息", size=BODY_SIZE, line=Pt(36))


# --- the page ---------------------------------------------------------------------------------------


def _page_number_paragraph(document, container, align):
    """'— 1 —' with a PAGE field, 一字线 either side, one character in from the edge."""
    paragraph = container.paragraphs[0] if container.paragraphs else container.add_paragraph()
    paragraph.style = style_of(document, "PageNumber")
    paragraph.alignment = align
    indent = Pt(14)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")


def new_document(title, author="hrpark", page_numbers=True):
    """A blank official document: A4, 公文 margins, styles and fonts, page numbers if wanted."""
    document = Document()
    _drop_extras(document)
    _set_defaults(document)
    _set_font_table(document)
    _set_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, margin in MARGINS.items():
        setattr(section, f"{side}_margin", margin)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(24)
    # No line grid: snapping to it would stretch the tables' 12 pt lines to the body's 28.9 pt; the
    # body's exact 28.9 pt line spacing gives the 22 lines a page without it.
    if page_numbers:
        document.settings.odd_and_even_pages_header_footer = True
        _page_number_paragraph(document, section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number_paragraph(document, section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = "hrpark"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = datetime.datetime.now().replace(microsecond=0)
    props.language = "zh-CN"
    return document


# --- styles and tables ------------------------------------------------------------------------------


def style_of(owner, style_id):
    """The style with `style_id` (python-docx looks styles up by their name, here Chinese)."""
    styles = owner.part.document.styles if not hasattr(owner, "styles") else owner.styles
    element = styles.element.get_by_id(style_id)  # one XPath, not a wrapper made for every style
    if element is None:
        raise KeyError(style_id)
    return StyleFactory(element)



# --- tables -----------------------------------------------------------------------------------------


def form_table(document, widths_mm, rows):
    """A bordered table of `rows` rows with columns `widths_mm` wide, centred, fixed layout."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = style_of(document, "TableGrid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        outer = edge in ("top", "left", "bottom", "right")
        for key, value in (("w:val", "single"), ("w:sz", "12" if outer else "4"), ("w:space", "0"),
                           ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    tbl_pr.append(borders)
    for row in table.rows:
        keep_row(row)
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    return table


def keep_row(row):
    """A row is never split across two pages (cantSplit)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def repeat_header(row):
    """The row repeats at the top of every page the table runs onto (tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def row_height(row, points):
    """A row at least `points` high."""
    row.height = Pt(points)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


