"""What every document shares: capital numerals and dates, East Asian fonts and the 公文 page,
escaping, who may download what, templates by jurisdiction, a county overriding exactly one
template (a block of the city's template, not a copy of it)."""
import datetime
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from core.io.documents.writing import AmountError, date_zh, yuan_capitals, yuan_figures
from core.io.documents.registry import DocumentTemplate, content_disposition, render, templates_for, templates_for_record
from core.rules.jurisdiction import JurisdictionInfo
from core.records.models import Park, Recognition
from core.plugin.registry import Registry, set_registry
from core.records.services.base import NotFound, ServiceError
from tests.builders import actor
from tests.documents.reading import docx_text, html_text, open_docx

ROOT = Path(__file__).resolve().parents[2]
ALL_DOCUMENTS = (("changzhi.approval_form", "application"), ("changzhi.public_notice", "notice"),
                 ("changzhi.approval_reply", "recognition"), ("changzhi.assessment_result", "excellent"),
                 ("changzhi.rectification_notice", "rectification"), ("changzhi.subsidy_sheet", "award"))


# --- amounts and dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("amount, capitals", [
    ("800000", "人民币捌拾万元整"), (Decimal("500000.00"), "人民币伍拾万元整"), ("303000", "人民币叁拾万叁仟元整"),
    ("300030", "人民币叁拾万零叁拾元整"), ("1000.56", "人民币壹仟元伍角陆分"), ("0", "人民币零元整"), ("0.01", "人民币壹分"),
])
def test_capital_numerals(amount, capitals):
    assert yuan_capitals(amount) == capitals


def test_capital_numerals_refuse_what_cannot_be_written():
    with pytest.raises(AmountError, match="负数"):
        yuan_capitals("-0.01")
    with pytest.raises(AmountError, match="两位小数"):
        yuan_capitals("0.001")
    with pytest.raises(AmountError, match="float"):
        yuan_capitals(0.1)
    with pytest.raises(AmountError, match="不是数字"):
        yuan_capitals("八十万")
    assert yuan_capitals("9999999999999999.99").startswith("人民币玖仟")
    with pytest.raises(AmountError, match="过大"):
        yuan_capitals("10000000000000000")


def test_figures_and_dates():
    assert yuan_figures(Decimal("800000")) == "¥800,000.00"
    assert yuan_figures("303000.5") == "¥303,000.50"
    assert date_zh(datetime.date(2025, 10, 11)) == "2025年10月11日"
    assert date_zh(datetime.date(2025, 1, 5)) == "2025年1月5日"
    assert date_zh(datetime.datetime(2025, 12, 31, 23, 59)) == "2025年12月31日"


# --- typography ---------------------------------------------------------------------------------------

def _effective_east_asian_font(run, document):
    fonts = run._r.rPr.rFonts if run._r.rPr is not None and run._r.rPr.rFonts is not None else None
    if fonts is not None and fonts.get(qn("w:eastAsia")):
        return fonts.get(qn("w:eastAsia"))
    style = run._parent.style if hasattr(run._parent, "style") else None
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
        style = style.base_style
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    return defaults.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_every_run_has_an_east_asian_font_on_an_official_a4_page(changzhi_case, karamay_case):
    cases = [(t, changzhi_case[key]) for t, key in ALL_DOCUMENTS]
    cases += [("karamay.application_report", karamay_case["application"]),
              ("karamay.operating_subsidy_sheet", karamay_case["paid"])]
    for template_id, record in cases:
        document = open_docx(render(template_id, record.id, "docx")[0])
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), template_id
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                      section.right_margin)] == [37, 35, 28, 26], template_id
        paragraphs = list(document.paragraphs) + [p for t in document.tables for row in t.rows for c in row.cells
                                                  for p in c.paragraphs]
        for paragraph in paragraphs:
            for run in paragraph.runs:
                assert _effective_east_asian_font(run, document) in ("仿宋", "宋体", "黑体", "楷体"), (template_id, run.text)
        styles_xml = document.styles.element.xml
        assert "eastAsiaTheme" not in styles_xml.split("<w:latentStyles")[0]  # named fonts, not theme fonts
        fonts = zipfile.ZipFile(__import__("io").BytesIO(render(template_id, record.id, "docx")[0])).read(
            "word/fontTable.xml").decode()
        assert 'w:name="仿宋"' in fonts and 'w:val="FangSong"' in fonts and 'w:val="86"' in fonts


def test_html_prints_on_a4_with_official_margins_and_chinese_fonts(changzhi_case):
    page = render("changzhi.approval_reply", changzhi_case["recognition"].id, "html")[0].decode()
    assert "@page { size: A4 portrait; margin: 37mm 26mm 35mm 28mm; }" in page
    assert '"FangSong", "仿宋"' in page and '"SimSun", "宋体"' in page and "Noto Serif CJK SC" in page
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page


def test_names_are_escaped_in_both_formats(changzhi_case):
    park = Park.get_by_id(changzhi_case["park"].id)
    park.address = "长治路<b>1</b>号 & 2号"
    park.save()
    html_page = render("changzhi.approval_form", changzhi_case["application"].id, "html")[0].decode()
    assert "长治路&lt;b&gt;1&lt;/b&gt;号 &amp; 2号" in html_page and "<b>1</b>" not in html_page
    assert "长治路<b>1</b>号 & 2号" in docx_text(render("changzhi.approval_form", changzhi_case["application"].id, "docx")[0])


def test_html_and_docx_say_the_same(changzhi_case):
    for template_id, key in ALL_DOCUMENTS:
        record_id = changzhi_case[key].id
        text = html_text(render(template_id, record_id, "html")[0])
        for phrase in ("屯留区人力资源服务产业园",):
            assert phrase in text, template_id
    sheet = html_text(render("changzhi.subsidy_sheet", changzhi_case["award"].id, "html")[0])
    assert "¥800,000.00" in sheet and "人民币捌拾万元整" in sheet


# --- reach and bad requests ---------------------------------------------------------------------------

def test_a_record_outside_the_actors_reach_is_not_found(world, changzhi_case):
    record_id = changzhi_case["application"].id
    for outsider in (actor("city_officer", world["karamay"]), actor("county_officer", world["dushanzi"]),
                     actor("county_officer", world["changzhi-luzhou"])):
        with pytest.raises(NotFound):
            render("changzhi.approval_form", record_id, "docx", actor=outsider)
    for insider in (actor("city_officer", world["changzhi"]), actor("county_officer", changzhi_case["county"]),
                    changzhi_case["operator"]):
        assert render("changzhi.approval_form", record_id, "docx", actor=insider)[0][:2] == b"PK"


def test_bad_requests_say_what_is_wrong(changzhi_case, karamay_case):
    with pytest.raises(NotFound) as unknown:
        render("changzhi.nonsense", 1, "docx")
    assert "没有文书模板" in unknown.value.zh and "changzhi.approval_form" in unknown.value.zh
    with pytest.raises(NotFound) as missing:
        render("changzhi.approval_form", 9999, "docx")
    assert "认定申请记录 #9999 不存在" in missing.value.zh
    with pytest.raises(ServiceError) as other_city:
        render("karamay.application_report", changzhi_case["application"].id, "docx")
    assert "不适用于屯留区的记录" in other_city.value.zh and "长治" in other_city.value.zh
    with pytest.raises(ServiceError) as fmt:
        render("changzhi.approval_form", changzhi_case["application"].id, "pdf")
    assert "docx 或 html" in fmt.value.zh


def test_an_unconfirmed_assessment_has_no_result_notice(changzhi_case):
    from core.records.services import assessments

    draft = assessments.create_assessment(changzhi_case["recognition"], 2027, {"economic_development": 80,
                                          "role_played": 80, "operation_management": 80}, changzhi_case["city"])
    with pytest.raises(ServiceError) as refused:
        render("changzhi.assessment_result", draft.id, "docx")
    assert "尚未确认" in refused.value.zh


def test_templates_are_listed_per_jurisdiction_and_record(registry, changzhi_case):
    changzhi = templates_for("changzhi")
    assert [t.record_kind for t in changzhi] == ["application", "notice", "recognition", "assessment",
                                                 "rectification", "subsidy"]
    assert [t.id for t in templates_for("karamay", "subsidy")] == ["karamay.operating_subsidy_sheet"]
    assert all(t.formats == ("docx", "html") for t in changzhi + templates_for("karamay"))
    assert [t.id for t in templates_for_record("application", changzhi_case["application"])] == ["changzhi.approval_form"]
    assert content_disposition("审批表.docx", "changzhi.approval_form", 3) == (
        "attachment; filename=\"changzhi.approval_form-3.docx\"; filename*=UTF-8''%E5%AE%A1%E6%89%B9%E8%A1%A8.docx")
    with pytest.raises(ValueError, match="记录类型"):
        DocumentTemplate("x.y", "标题", "title", "park", "第一条")


# --- a county overrides exactly one template ---------------------------------------------------------

def test_a_county_override_replaces_exactly_that_template(world, changzhi_case, registry, tmp_path):
    from plugins.changzhi import ChangzhiPlugin

    city_templates = {t.id: t for t in ChangzhiPlugin().build_document_templates()}
    # A header of its own, and a reply of its own: the city's reply with one block changed.
    reply_file = tmp_path / "reply.html"
    reply_file.write_text('{% extends "parent/approval_reply.html" %}\n'
                          "{% block publication %}（此件由屯留区公开发布）{% endblock %}\n", encoding="utf-8")
    city_reply_template = city_templates["changzhi.approval_reply"]
    override = replace(city_reply_template, issuer="屯留区人力资源和社会保障局", header="屯留区人力资源和社会保障局文件",
                       number_prefix="屯人社发", path=reply_file, parent_templates=city_reply_template.path.parent)

    class TunliuPlugin(ChangzhiPlugin):
        code = "changzhi-tunliu"
        parent_code = "changzhi"
        template_overrides = {"changzhi.approval_reply": override}

        def build_info(self):
            return JurisdictionInfo(code="changzhi-tunliu", name="屯留区", name_en="Tunliu", level="county",
                                    measures_title="屯留区人力资源服务产业园认定管理办法（测试）", name_prefix="长治",
                                    parent="changzhi")

    county_registry = Registry()
    for j in registry:
        county_registry.add(county_registry_name(registry, j.code), j.plugin)
    county_registry.add("changzhi-tunliu", TunliuPlugin())
    assert not county_registry.failures, [str(f) for f in county_registry.failures]
    before = render("changzhi.approval_form", changzhi_case["application"].id, "docx")[0]
    set_registry(county_registry)
    try:
        county, city = templates_for("changzhi-tunliu"), templates_for("changzhi")
        assert [t.id for t in county] == [t.id for t in city]
        # The inherited ones are the city's, their titles in the county's level (core.rules.level_words).
        changed = [t.id for t, c in zip(county, city) if replace(t, title=c.title) != c]
        assert changed == ["changzhi.approval_reply"]
        assert county[0].title == "屯留区级人力资源服务产业园评估认定审批表" and city[0].title.startswith("市级")
        assert county[2].source == "changzhi-tunliu" and county[0].source == "changzhi"
        # The city-level recognition made before the county's measures stays the city's document
        # (长治 第五条: city-level recognition of a county's park is the city's; issue 12).
        recognition = Recognition.get_by_id(changzhi_case["recognition"].id)
        city_reply = docx_text(render("changzhi.approval_reply", recognition.id, "docx")[0])
        assert "长治市人力资源和社会保障局文件" in city_reply and "屯留区人力资源和社会保障局文件" not in city_reply
        # A county-level recognition, under the county's own programme (第二十二条), takes its override.
        recognition.programme = "changzhi-tunliu"
        recognition.save()
        reply = docx_text(render("changzhi.approval_reply", recognition.id, "docx")[0])
        assert "屯留区人力资源和社会保障局文件" in reply and "屯人社发〔2025〕　号" in reply
        assert "（此件由屯留区公开发布）" in reply and "长治市人力资源和社会保障局文件" not in reply
        assert "（此件公开发布）" not in reply and "一次性奖励80万元" in reply  # the rest is the city's
        # The other templates are the city's, filled under the county's rules.
        form = docx_text(render("changzhi.approval_form", changzhi_case["application"].id, "docx")[0])
        assert form == docx_text(before)
    finally:
        set_registry(registry)


def county_registry_name(registry, code):
    return registry.entry_point_names.get(code, code)
