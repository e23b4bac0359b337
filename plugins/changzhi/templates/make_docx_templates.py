"""Writes Changzhi's .docx templates (docxtpl) beside this script, with python-docx:

    python plugins/changzhi/templates/make_docx_templates.py

The generated files are committed; tests/documents checks they are what this script writes.
Layout helpers (A4, 公文 margins, fonts, red header) are core.document_docx's; the blocks Karamay's
documents share (notice heading, form rows, sign-off, …) are core.document_layout's.
"""
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.document_docx import (
    cell_line,
    cell_text,
    form_table,
    hide_border,
    label_cell,
    merge,
    new_document,
    paragraph,
    row_height,
    save,
    signature,
    title,
)
from core.document_layout import (
    addressed_notice,
    alternative_paragraphs,
    consequence_paragraphs,
    form_heading,
    looped_table,
    merged_rows,
    notice_period,
    paired_rows,
    park_summary_table,
    payment_sign_off,
    rectification_deadline,
    write_templates,
)

HERE = Path(__file__).parent
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
COUNTY_BUREAU = "{{ park.county_bureau or '所在地人力资源和社会保障部门' }}"


def opinion_box(table, first_row, heading, opinion, height):
    """Two rows read as one box: the heading and the recorded opinion, then seal and date at the foot."""
    top = merge(table.rows[first_row], 0, 3)
    cell_text(top, heading, valign="top")
    cell_line(top, f"{{%p if {opinion} %}}")
    cell_line(top, f"{{%p for line in {opinion}.lines %}}")
    indented = cell_line(top, "{{ line }}")
    indented.paragraph_format.first_line_indent = indented.style.font.size * 2
    cell_line(top, "{%p endfor %}")
    cell_line(top, "{%p endif %}")
    row_height(table.rows[first_row], height)
    hide_border(top, "bottom")
    foot = merge(table.rows[first_row + 1], 0, 3)
    cell_text(foot, "（盖章）", align=RIGHT).paragraph_format.right_indent = foot.paragraphs[0].style.font.size * 5
    cell_line(foot, f"{{{{ {opinion}.date if {opinion} else blank_date }}}}", align=RIGHT,
              right_indent_pt=foot.paragraphs[0].style.font.size.pt * 2)
    hide_border(foot, "top")


def approval_form(directory):
    """The 附件: 市级人力资源服务产业园评估认定审批表, laid out as on paper."""
    document = new_document("市级人力资源服务产业园评估认定审批表", page_numbers=False)
    form_heading(document, ["市级人力资源服务产业园评估认定审批表"], "申报单位（盖章）：{{ park.applicant }}")
    table = form_table(document, [40, 44, 34, 38], rows=12)
    rows = table.rows
    merged_rows(rows, ((0, "园区名称", "{{ park.name }}"), (1, "园区地址", "{{ park.address }}")))
    paired_rows(rows, (
        (2, "负责人（联系人）", "{{ park.contact_person }}", "联系电话", "{{ park.phone }}"),
        (3, "产权归属", "{{ park.property_ownership }}", "注册时间", "{{ park.registration_date }}"),
        (4, "建设投入资金", "{{ park.investment_wan }} 万元", "建筑面积", "{{ park.floor_area_total_text }}"),
        (5, "管理团队人数", "{{ park.team_text }}", "入驻机构数量", "{{ park.agency_count_text }}"),
    ))
    for index in range(6):
        row_height(rows[index], 28)
    label_cell(rows[6].cells[0], "载体建设方式")
    cell_line(rows[6].cells[0], "（选择打√）", style="TableLabel")
    cell_text(merge(rows[6], 1, 3), "{% for m in park.build_modes %}{{ m.mark }} {{ m.label }}　　　　{% endfor %}")
    label_cell(rows[7].cells[0], "园区可提供的服务")
    cell_line(rows[7].cells[0], "（选择打√）", style="TableLabel")
    services = merge(rows[7], 1, 3)
    cell_text(services, "{% for s in park.offered_services[:5] %}{{ s.mark }}{{ s.label }} {% endfor %}")
    cell_line(services, "{% for s in park.offered_services[5:] %}{{ s.mark }}{{ s.label }} {% endfor %}")
    opinion_box(table, 8, "县级人力资源社会保障部门意见：", "opinions.county", 76)
    opinion_box(table, 10, "市级人力资源服务产业园评估认定组意见：", "opinions.city", 76)
    save(document, directory / "approval_form.docx")


def public_notice(directory):
    document = new_document("拟认定市级人力资源服务产业园公示")
    title(document, "关于拟认定{{ jurisdiction.name }}级人力资源服务产业园的公示")
    paragraph(document, "根据{{ measures }}第七条规定，经园区申报、" + COUNTY_BUREAU + "初审、{{ issuer }}审核，"
              "并组织发改、财政等部门联合评审和实地考察，拟认定{{ park.name }}为{{ jurisdiction.name }}级人力资源服务产业园"
              "（认定后名称为“{{ proposed_name }}”），现予以公示。")
    notice_period(document)
    paragraph(document, "附：拟认定园区基本情况", style="OfficialBody")
    park_summary_table(document, "所在县（区）")
    signature(document)
    save(document, directory / "public_notice.docx")


def approval_reply(directory):
    document = addressed_notice("市级人力资源服务产业园认定批复",
                                "关于同意认定{{ recognition.official_name }}为市级人力资源服务产业园的批复")
    paragraph(document, "你单位报送的市级人力资源服务产业园申报材料收悉。根据{{ measures }}第六条、第七条规定，经" + COUNTY_BUREAU +
              "初审、我局审核，组织发改、财政等部门联合评审和实地考察，并经公示{% if notice %}（{{ notice.period }}，"
              "共{{ notice.working_days }}个工作日）{% endif %}无异议，现批复如下：")
    paragraph(document, "一、同意认定{{ park.name }}为市级人力资源服务产业园，名称为“{{ recognition.official_name }}”。")
    paragraph(document, "二、根据办法第九条，由市级财政从就业补助资金中给予一次性奖励{{ award.wan }}"
              "（{{ award.capitals }}，{{ award.figures }}）。")
    paragraph(document, "三、根据办法第十条，园区当年促进就业人数达到全市当年城镇新增就业和农村劳动力转移就业年度任务之和的"
              "{{ grant.percent }}%的，给予{{ grant.base_wan }}基础运营经费补助，超出部分按{{ grant.per_person }}元/人的标准予以奖励，"
              "每年补助总额不超过{{ grant.cap_wan }}。奖补资金应专款专用，主要用于补贴入驻企业房屋租金、装修、物管、租用公共场地"
              "或设施、园区运行管理等方面（第十一条）。")
    paragraph(document, "四、我局每年第一季度对园区上年度运营情况进行考核评估（第十八条）。考核评估为不合格等次的，责令限期整改；"
              "整改后仍不合格的，取消其上一个考核评估周期应划拨的补助资金；连续两次考核评估为不合格等次的，"
              "取消市级人力资源服务产业园资格（第二十条）。")
    paragraph(document, "请" + COUNTY_BUREAU + "切实履行具体管理职责（第十四条），指导园区完善管理制度，落实安全生产、"
              "信息安全和个人信息保护责任（第十七条），更好发挥产业园集聚、服务和示范作用。")
    signature(document)
    paragraph(document, "（此件公开发布）", style="OfficialBody")
    save(document, directory / "approval_reply.docx")


def assessment_result(directory):
    document = addressed_notice("市级人力资源服务产业园考核评估结果通报",
                                "关于{{ assessment.year }}年度市级人力资源服务产业园考核评估结果的通报")
    paragraph(document, "根据{{ measures }}第十八条、第十九条规定，我局对{{ recognition.official_name }}{{ assessment.year }}年度"
              "运营情况进行了考核评估，从经济发展情况、作用发挥情况、运营管理水平等方面进行了综合评估。现将结果通报如下：")
    paragraph(document, "一、考核评估结果", style="HeadingOne")
    paragraph(document, "{{ recognition.official_name }}{{ assessment.year }}年度考核评估综合得分{{ assessment.total_score }}分，"
              "等次为{{ assessment.grade }}。各项得分如下：")
    table = looped_table(document, [70, 50, 36], ("考核评估内容", "依据", "得分"), "s in assessment.scores", (
        ("{{ s.label }}", {}), ("{{ s.article }}", {"align": CENTER}), ("{{ s.score }}", {"align": CENTER}),
    ))
    total = table.add_row()
    for row in (table.rows[0], table.rows[2], total):
        row_height(row, 26)
    label_cell(total.cells[0], "综合得分（等次）")
    cell_text(merge(total, 1, 2), "{{ assessment.total_score }}分（{{ assessment.grade }}）", align=CENTER)
    paragraph(document, "二、结果运用", style="HeadingOne")
    consequence_paragraphs(document)
    alternative_paragraphs(document, (
        ("assessment.commended", "希望{{ recognition.official_name }}珍惜荣誉、再接再厉，积极申报省级人力资源服务产业园，"
                                 "在全市发挥示范引领作用。"),
        ("assessment.grade_code == 'unqualified'",
         "请{{ recognition.official_name }}对照考核评估中发现的问题，认真分析原因，"
         "于{{ assessment.rectification_deadline }}前整改到位，并将整改情况书面报送" + COUNTY_BUREAU + "和我局。"),
    ), "希望{{ recognition.official_name }}进一步完善运营管理，提升服务水平，更好发挥产业园集聚和服务作用。")
    signature(document)
    save(document, directory / "assessment_result.docx")


def rectification_notice(directory):
    document = addressed_notice("限期整改通知书", "关于{{ recognition.official_name }}限期整改的通知")
    paragraph(document, "根据{{ measures }}第十八条、第十九条规定，我局对你园区{{ assessment.year }}年度运营情况进行了考核评估，"
              "考核评估结果为{{ assessment.grade }}（综合得分{{ assessment.total_score }}分）。根据办法第二十条第（二）项规定，"
              "现责令你园区限期整改，有关事项通知如下：")
    rectification_deadline(document)
    paragraph(document, "二、整改要求", style="HeadingOne")
    paragraph(document, "对照考核评估中发现的问题，认真分析原因，制定整改方案，明确整改措施、责任人和完成时限，逐项整改到位。")
    paragraph(document, "三、整改报告", style="HeadingOne")
    paragraph(document, "请于整改期满前将整改情况书面报送" + COUNTY_BUREAU + "，经审核后报我局，我局将组织复核。")
    paragraph(document, "四、整改结果运用", style="HeadingOne")
    paragraph(document, "整改后仍不合格的，取消其上一个考核评估周期应划拨的补助资金；连续两次考核评估为不合格等次的，"
              "取消市级人力资源服务产业园资格（第二十条第（二）项）。")
    signature(document)
    save(document, directory / "rectification_notice.docx")


def subsidy_sheet(directory):
    document = new_document("市级人力资源服务产业园补助资金拨付表", page_numbers=False)
    form_heading(document, ["市级人力资源服务产业园补助资金拨付表"], "填报单位：{{ issuer }}")
    table = form_table(document, [40, 40, 36, 40], rows=12)
    rows = table.rows
    merged_rows(rows, (
        (0, "园区名称", "{{ recognition.official_name if recognition else park.name }}"),
        (3, "补助项目", "{{ subsidy_title }}"),
        (4, "政策依据", "{{ measures }}{{ subsidy_article }}"),
        (5, "测算依据", "{{ subsidy.explanation }}"),
        (7, "金额（大写）", "{{ subsidy.amount_capitals }}"),
        (8, "资金来源", "市级就业补助资金（第九条、第十条）"),
        (9, "备注", "{{ subsidy.status_reason }}"),
    ))
    paired_rows(rows, (
        (1, "运营单位", "{{ park.applicant }}", "所在县（区）", "{{ park.county }}"),
        (2, "认定时间", "{{ recognition.recognised_on if recognition else '' }}", "补助年度", "{{ subsidy.year }}年度"),
        (6, "金额（小写）", "{{ subsidy.amount_figures }}", "状态", "{{ subsidy.status }}"),
    ))
    for index in range(10):
        row_height(rows[index], 28)
    payment_sign_off(rows[10], rows[11], 36, 96)
    save(document, directory / "subsidy_sheet.docx")


BUILDERS = (approval_form, public_notice, approval_reply, assessment_result, rectification_notice, subsidy_sheet)


def build(directory=HERE):
    """Write every template into `directory` (tests write into a temporary one and compare)."""
    return write_templates(BUILDERS, directory)


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
