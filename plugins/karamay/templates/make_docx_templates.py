"""Writes Karamay's .docx templates (docxtpl) beside this script, with python-docx:

    python plugins/karamay/templates/make_docx_templates.py

The generated files are committed; tests/documents checks they are what this script writes.
Layout helpers (A4, 公文 margins, fonts, red header) come from core.document_docx, and the blocks
these documents have in common with Changzhi's (notice heading, form rows, sign-off, …) from
core.document_layout.
"""
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from core.document_docx import (
    cell_line,
    cell_text,
    form_table,
    label_cell,
    merge,
    new_document,
    paragraph,
    repeat_header,
    row_height,
    save,
    signature,
    tag,
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
CENTER = WD_ALIGN_PARAGRAPH.CENTER
DISTRICT = "{{ park.county_bureau or '所在地区人社部门' }}"
FUND_USES = ("（一）入驻园区的人力资源服务机构场地租金、水、电、暖减免及补贴；",
             "（二）园区人力资源服务标准化建设、信息化建设、人才队伍建设等；",
             "（三）园区招商、宣传、品牌建设与推介，举办招聘会、人才推介、直播带岗、空中宣讲等促进就业、服务人才活动，"
             "举办或组织参加人力资源服务博览会、推介会、交易会等。")


def application_report(directory):
    """第七条第（一）项: the report, with a cover, filed by the district (第六条第（一）项)."""
    document = new_document("申请认定克拉玛依市级人力资源服务产业园报告")
    for _ in range(3):
        paragraph(document, "", style="CoverLine")
    paragraph(document, "申请认定克拉玛依市级", style="CoverTitle")
    paragraph(document, "人力资源服务产业园报告", style="CoverTitle")
    for _ in range(6):
        paragraph(document, "", style="CoverLine")
    for line in ("园区名称：{{ park.name }}", "运营单位：{{ park.applicant }}", "申报单位：{{ filer }}（盖章）",
                 "申报日期：{{ filed_on }}"):
        p = paragraph(document, line, style="CoverLine")
        p.paragraph_format.left_indent = p.style.font.size * 3
    last = document.paragraphs[-1]
    last.runs[-1].add_break(WD_BREAK.PAGE)
    title(document, "关于申请认定{{ proposed_name }}为克拉玛依市级人力资源服务产业园的报告")
    paragraph(document, "{{ issuer }}：", style="Addressee")
    paragraph(document, "根据{{ measures }}第五条、第六条、第七条规定，我局对辖区内{{ park.name }}的建设和运营情况进行了审核，"
              "现申请认定其为克拉玛依市级人力资源服务产业园。有关情况报告如下：")
    paragraph(document, "一、园区基本情况", style="HeadingOne")
    paragraph(document, "{{ park.name }}位于{{ park.address }}，运营单位为{{ park.applicant }}（{{ park.operator_kind }}），"
              "园区总建筑面积{{ park.floor_area_text }}，现有入驻人力资源服务机构{{ park.agency_count_text }}，"
              "管理团队{{ park.team_text or '（未录入）' }}。园区具备{{ public_services_text }}等公共服务功能。")
    paragraph(document, "二、对照认定条件的审核情况", style="HeadingOne")
    paragraph(document, "对照办法第五条，逐项审核情况如下（营业收入为{{ evaluation.previous_year }}年度数据）：")
    small = {"style": "TableSmall"}
    table = looped_table(document, [26, 34, 70, 26], ("条款", "认定条件", "审核情况", "结论"), "r in evaluation.results", (
        ("{{ r.article }}", small), ("{{ r.title }}", small), ("{{ r.finding }}", small),
        ("{{ r.status }}", {**small, "align": CENTER}),
    ))
    row_height(table.rows[0], 24)
    repeat_header(table.rows[0])
    paragraph(document, "综合审核结论：{{ evaluation.outcome }}。")
    tag(document, "{%p for w in evaluation.warnings %}")
    paragraph(document, "注：{{ w }}", style="Note")
    tag(document, "{%p endfor %}")
    paragraph(document, "三、申报材料", style="HeadingOne")
    paragraph(document, "按照办法第七条，随本报告报送以下材料：")
    tag(document, "{%p for m in materials %}")
    paragraph(document, "{{ m.mark }} {{ m.title }}（{{ m.article }}）{% if not m.required %}（选报）{% endif %}")
    tag(document, "{%p endfor %}")
    paragraph(document, "特此报告。")
    signature(document, issuer="{{ filer }}", date="{{ filed_on }}")
    save(document, directory / "application_report.docx")


def public_notice(directory):
    document = new_document("拟认定克拉玛依市级人力资源服务产业园公示")
    title(document, "关于拟认定克拉玛依市级人力资源服务产业园的公示")
    paragraph(document, "根据{{ measures }}第六条规定，经" + DISTRICT + "申报，市人力资源和社会保障局会同市财政局组织评审小组评审，"
              "并经局党组审议，拟认定{{ park.name }}为克拉玛依市级人力资源服务产业园（认定后名称为“{{ proposed_name }}”），现予以公示。")
    notice_period(document)
    paragraph(document, "附：拟认定园区基本情况")
    park_summary_table(document, "所在区")
    signature(document)
    save(document, directory / "public_notice.docx")


def recognition_notice(directory):
    document = addressed_notice("克拉玛依市级人力资源服务产业园认定通知",
                                "关于认定{{ recognition.official_name }}为克拉玛依市级人力资源服务产业园的通知")
    paragraph(document, "根据{{ measures }}第六条规定，经" + DISTRICT + "申报，市人力资源和社会保障局会同市财政局组织评审，"
              "经局党组审议，并经公示{% if notice %}（{{ notice.period }}，共{{ notice.working_days }}个工作日）{% endif %}无异议，"
              "决定认定{{ park.name }}为克拉玛依市级人力资源服务产业园，名称为“{{ recognition.official_name }}”。现将有关事项通知如下：")
    paragraph(document, "一、运营补贴", style="HeadingOne")
    paragraph(document, "按照办法第二十条，市人力资源和社会保障局、市财政局按照每年{{ terms.per_year_wan }}"
              "（{{ terms.per_year_capitals }}，{{ terms.per_year_figures }}）的标准，连续{{ terms.years }}年给予运营补贴，"
              "不得与创业孵化示范基地补贴政策重复申领。各年度运营补贴以当年综合评估结果为依据：合格及以上等次的予以发放，"
              "不合格等次的当年不予兑现（第十八条）。")
    paragraph(document, "二、资金管理", style="HeadingOne")
    paragraph(document, "补贴资金须制定资金管理使用办法，按项目建立基础管理台账，实行单独核算，确保专款专用，按照下列范围使用：")
    for use in FUND_USES:
        paragraph(document, use)
    paragraph(document, "不得用于发放工作人员工资、津补贴等，及其他违反中央、自治区廉洁自律规定的支出事项（第二十条）。"
              "利用虚假材料和信息骗取扶持资金的，依法追回已发放的资金（第二十四条）。")
    paragraph(document, "三、评估考核", style="HeadingOne")
    paragraph(document, "我局每年对产业园进行综合评估（第十六条、第十七条）。评估结果为优秀的予以通报表扬；不合格的进行通报批评"
              "并责令限期整改，整改期满仍不合格的，取消其市级人力资源服务产业园资格（第十八条）。请" + DISTRICT +
              "和产业园积极配合，如实提供相关数据和资料（第十九条）。")
    signature(document)
    paragraph(document, "（此件公开发布）")
    save(document, directory / "recognition_notice.docx")


def assessment_result(directory):
    document = addressed_notice("综合评估结果通报", "{{ heading }}")
    paragraph(document, "根据{{ measures }}第十六条、第十七条规定，我局采取定量与定性相结合的方式，对{{ recognition.official_name }}"
              "{{ assessment.year }}年度建设运营情况进行了综合评估。现将结果通报如下：")
    paragraph(document, "一、综合评估结果", style="HeadingOne")
    paragraph(document, "{{ recognition.official_name }}{{ assessment.year }}年度综合评估得分{{ assessment.total_score }}分，"
              "等次为{{ assessment.grade }}。各项指标得分如下：")
    table = looped_table(document, [24, 96, 36], ("类别", "评估指标（第十七条）", "得分"), "s in assessment.scores", (
        ("{{ s.group }}", {"align": CENTER}), ("{{ s.label }}", {}), ("{{ s.score }}", {"align": CENTER}),
    ))
    total = table.add_row()
    for row in (table.rows[0], table.rows[2], total):
        row_height(row, 24)
    label_cell(merge(total, 0, 1), "综合得分（等次）")
    cell_text(total.cells[2], "{{ assessment.total_score }}（{{ assessment.grade }}）", align=CENTER)
    paragraph(document, "二、结果运用", style="HeadingOne")
    consequence_paragraphs(document)
    alternative_paragraphs(document, (
        ("assessment.commended", "对{{ recognition.official_name }}予以通报表扬。希望其珍惜荣誉、再接再厉，充分发挥示范引领作用。"),
        ("assessment.criticised",
         "对{{ recognition.official_name }}予以通报批评，责令于{{ assessment.rectification_deadline }}前整改到位，"
         "当年不予兑现运营补贴；整改期满仍不合格的，取消其市级人力资源服务产业园资格（第十八条）。"),
    ), "希望{{ recognition.official_name }}进一步完善运营管理，提升服务质量，更好发挥产业园集聚和服务作用。")
    signature(document)
    save(document, directory / "assessment_result.docx")


def rectification_notice(directory):
    document = addressed_notice("限期整改通知书", "关于对{{ recognition.official_name }}限期整改的通知")
    paragraph(document, "根据{{ measures }}第十六条至第十八条规定，我局对你园区{{ assessment.year }}年度建设运营情况进行了综合评估，"
              "评估结果为{{ assessment.grade }}（得分{{ assessment.total_score }}分）。根据办法第十八条，予以通报批评，"
              "{{ assessment.year }}年度不予兑现运营补贴，并责令限期整改。有关事项通知如下：")
    rectification_deadline(document)
    paragraph(document, "二、整改要求", style="HeadingOne")
    paragraph(document, "对照评估中发现的问题，制定整改方案，明确整改措施、责任人和完成时限，逐项整改到位，并将整改情况经" + DISTRICT +
              "审核后书面报送我局。")
    paragraph(document, "三、整改结果运用", style="HeadingOne")
    paragraph(document, "整改期满仍不合格的，取消你园区市级人力资源服务产业园资格（第十八条）。")
    signature(document)
    save(document, directory / "rectification_notice.docx")


def operating_subsidy_sheet(directory):
    document = new_document("克拉玛依市级人力资源服务产业园运营补贴核拨表", page_numbers=False)
    form_heading(document, ["克拉玛依市级人力资源服务产业园", "运营补贴核拨表（第{{ nth }}年，共{{ years }}年）"],
                 "填报单位：{{ issuer }}")
    table = form_table(document, [36, 44, 32, 44], rows=13)
    rows = table.rows
    merged_rows(rows, (
        (0, "园区名称", "{{ recognition.official_name if recognition else park.name }}"),
        (3, "政策依据", "{{ measures }}{{ subsidy.article }}"),
        (4, "测算依据", "{{ subsidy.explanation }}"),
        (6, "金额（大写）", "{{ subsidy.amount_capitals }}"),
        (8, "备注", "{{ subsidy.status_reason }}"),
    ))
    paired_rows(rows, (
        (1, "运营单位", "{{ park.applicant }}", "所在区", "{{ park.county }}"),
        (2, "认定时间", "{{ recognition.recognised_on if recognition else '' }}", "补贴年度",
         "{{ subsidy.year }}年度"),
        (5, "金额（小写）", "{{ subsidy.amount_figures }}", "综合评估", "{{ year_grade }}"),
        (7, "状态", "{{ subsidy.status }}", "补贴标准", "{{ terms.per_year_wan if terms else '' }}/年"),
    ))
    label_cell(rows[9].cells[0], "连续三年补贴情况")
    schedule = merge(rows[9], 1, 3)
    cell_text(schedule, "{%p for s in schedule %}")
    cell_line(schedule, "第{{ s.nth }}年 {{ s.year }}年度：{{ s.text }}{% if s.current %}（本表）{% endif %}")
    cell_line(schedule, "{%p endfor %}")
    label_cell(rows[10].cells[0], "资金使用范围")
    cell_text(merge(rows[10], 1, 3), "第二十条所列三类用途；不得用于发放工作人员工资、津补贴等", style="TableText")
    for index in range(11):
        row_height(rows[index], 24)
    payment_sign_off(rows[11], rows[12], 34, 64)
    save(document, directory / "operating_subsidy_sheet.docx")


BUILDERS = (application_report, public_notice, recognition_notice, assessment_result, rectification_notice,
            operating_subsidy_sheet)


def build(directory=HERE):
    """Write every template into `directory` (tests write into a temporary one and compare)."""
    return write_templates(BUILDERS, directory)


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
