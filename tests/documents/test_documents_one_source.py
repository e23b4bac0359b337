"""Each document is written once: one HTML template per document, from which both the print view and
the Word file are made — no .docx template and no script building one in plugins/, and the two
formats carry the same paragraphs and table cells. A county changes a city's document by overriding
its blocks (Luzhou's approval reply), and the HTML-to-Word conversion keeps structure and fonts."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.io.documents.word import docx_from_html
from core.io.documents.registry import all_templates, render
from core.world.sample_records import build_sample_records
from tests.documents.reading import docx_paragraphs, open_docx

ROOT = Path(__file__).resolve().parents[2]
LUZHOU = "changzhi-luzhou"
DOCUMENTS = (
    ("changzhi.approval_form", "changzhi", "application"), ("changzhi.public_notice", "changzhi", "notice"),
    ("changzhi.approval_reply", "changzhi", "recognition"), ("changzhi.assessment_result", "changzhi", "failed"),
    ("changzhi.rectification_notice", "changzhi", "rectification"), ("changzhi.subsidy_sheet", "changzhi", "award"),
    ("karamay.application_report", "karamay", "application"), ("karamay.public_notice", "karamay", "notice"),
    ("karamay.recognition_notice", "karamay", "recognition"), ("karamay.assessment_result", "karamay", "excellent"),
    ("karamay.rectification_notice", "karamay", "rectification"),
    ("karamay.operating_subsidy_sheet", "karamay", "paid"),
)
BLOCKS = {"p", "h1", "h2", "td", "th", "div", "li"}


class _Blocks(HTMLParser):
    """The text of each innermost block of a print view's <main>, whitespace collapsed as a browser does."""

    def __init__(self):
        super().__init__()
        self.texts, self.current, self.in_main, self.depth = [], [], False, 0

    def flush(self):
        text = re.sub(r"[ \t\r\n\f]+", " ", "".join(self.current)).strip(" ")
        if text:
            self.texts.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        elif self.in_main and tag in BLOCKS:
            self.flush()
        elif self.in_main and tag == "br":
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCKS or tag == "main":
            self.flush()
        if tag == "main":
            self.in_main = False

    def handle_data(self, data):
        if self.in_main:
            self.current.append(data)


def html_blocks(data: bytes) -> list:
    parser = _Blocks()
    parser.feed(data.decode("utf-8"))
    return parser.texts


def word_blocks(data: bytes) -> list:
    """The Word file's non-empty paragraphs and cells."""
    return [t for t in docx_paragraphs(open_docx(data)) if t.strip()]


def normalised(texts) -> list:
    """Sorted, without whitespace: a cell's paragraphs are read after the body's in the Word file."""
    return sorted(re.sub(r"[\s\u3000]+", "", t) for t in texts)


def test_no_docx_template_nor_a_script_building_one_in_any_plugin():
    for folder in (ROOT / "plugins", ROOT / "tests"):  # the cities, the county, the tests' third city
        assert not list(folder.rglob("*.docx")), "a .docx template: write the document as HTML instead"
        assert not list(folder.rglob("make_docx_templates.py"))
    assert not (ROOT / "core" / "document_layout.py").exists()
    assert "docxtpl" not in (ROOT / "setup.cfg").read_text(encoding="utf-8")


def test_every_template_is_one_html_file_rendering_both_formats(registry):
    seen = 0
    for code, templates in all_templates().items():
        for template in templates:
            assert template.path.suffix == ".html" and template.path.is_file(), (code, template.id)
            assert template.formats == ("docx", "html"), (code, template.id)
            seen += 1
    assert seen >= 18  # Changzhi's 6, Karamay's 6, Luzhou's 6


@pytest.mark.parametrize("template_id, case, key", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_word_and_print_view_carry_the_same_paragraphs_and_cells(changzhi_case, karamay_case, template_id, case, key):
    record = {"changzhi": changzhi_case, "karamay": karamay_case}[case][key]
    printed = html_blocks(render(template_id, record.id, "html")[0])
    word = word_blocks(render(template_id, record.id, "docx")[0])
    assert len(printed) >= 5
    assert normalised(word) == normalised(printed)


def test_a_countys_reply_overrides_blocks_of_its_citys_template_instead_of_copying_it(db, registry, tmp_path):
    own = (ROOT / "plugins" / "luzhou" / "templates" / "approval_reply.html").read_text(encoding="utf-8")
    city = (ROOT / "plugins" / "changzhi" / "templates" / "approval_reply.html").read_text(encoding="utf-8")
    assert '{% extends "parent/approval_reply.html" %}' in own
    assert "<p" not in own and "o.signature" not in own  # blocks only: the layout is the city's
    for block in re.findall(r"{% block (\w+) %}", own):
        assert f"{{% block {block} %}}" in city, block
    assert len(own.splitlines()) < len(city.splitlines())

    records = build_sample_records(registry.get(LUZHOU), registry, tmp_path)
    for fmt in ("html", "docx"):
        data = render("changzhi.approval_reply", records["recognition"].id, fmt)[0]
        text = "\n".join(word_blocks(data)) if fmt == "docx" else "\n".join(html_blocks(data))
        # the county's blocks …
        assert "为潞州区级人力资源服务产业园的批复" in text and "由区级财政从就业补助资金中给予一次性奖励" in text
        assert "经我局初审、市人力资源和社会保障局审核，会同区发改、财政等部门联合评审和实地考察" in text
        assert "全区当年城镇新增就业" in text and "由区级财政给予" in text
        assert "四、每年第一季度" in text and "取消区级人力资源服务产业园资格" in text
        assert "请你单位落实安全生产" in text and "切实履行具体管理职责" not in text
        # … in the city's document, under the district's header
        assert "潞州区人力资源和社会保障局文件" in text and "（此件公开发布）" in text
        assert "市级" not in text and "全市" not in text


def test_the_word_file_keeps_the_structure_and_fonts_of_the_html():
    html = """<html><head><title>测试文书－某园区</title><style>@page { @bottom-right { content: none; } }</style></head>
    <body><main class="page">
      <div class="red-header">某某局文件</div><div class="doc-number">某发〔2025〕1号</div>
      <h1 class="title">关于  某事的
         通知</h1>
      <p class="addressee">各单位：</p>
      <p class="body">第一段<span class="amount">¥1.00</span>，<b>加粗</b>&amp;转义。</p>
      <p class="h1">一、标题</p>
      <table class="form"><colgroup><col style="width:25%"><col></colgroup>
        <tr><td class="label">名称<br>（全称）</td><td>甲</td></tr>
        <tr style="height:30mm"><td colspan="2" class="opinion"><p>意见：</p><p class="seal">（盖章）</p></td></tr>
      </table>
      <div class="signature"><p class="issuer">某某局</p><p class="date">2025年1月1日</p></div>
    </main></body></html>"""
    document = open_docx(docx_from_html(html, author="某某局"))
    texts = [p.text for p in document.paragraphs]
    assert texts == ["某某局文件", "某发〔2025〕1号", "关于 某事的 通知", "各单位：", "第一段¥1.00，加粗&转义。", "一、标题",
                     "某某局", "2025年1月1日"]
    styles = [p.style.style_id for p in document.paragraphs]
    assert styles == ["OfficialHeader", "DocNumber", "OfficialTitle", "Addressee", "OfficialBody", "HeadingOne",
                      "Signature", "Signature"]
    assert [r.bold for r in document.paragraphs[4].runs if r.text == "加粗"] == [True]
    assert document.paragraphs[1]._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr") is not None  # the red rule
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["名称\n（全称）", "甲"]
    merged = table.rows[1].cells
    assert merged[0]._tc is merged[1]._tc and [p.text for p in merged[0].paragraphs] == ["意见：", "（盖章）"]
    assert round(table.rows[1].height.mm) == 30 and round(table.columns[0].width.mm) == 39  # 25 % of 156 mm
    assert document.core_properties.title == "测试文书－某园区" and document.core_properties.author == "某某局"
    assert not document.sections[0].footer.paragraphs[0].text  # the print view hides page numbers: so does Word
