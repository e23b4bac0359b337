"""Changzhi's documents read back: the 附件 approval form field by field, the notice's period in
working days, the 批复 with the prefixed name and the 第九条 award in figures and capitals, the
assessment and rectification notices, the subsidy sheet."""
import datetime

from core.io.documents.writing import date_zh
from core.io.documents.registry import render
from core.records.models import Application, ReviewStep
from core.records.services import applications as apps
from tests.builders import actor, make_park
from tests.documents.conftest import describe
from tests.documents.reading import docx_text, html_text, open_docx, table_row


def step_date(application, transition):
    return date_zh(ReviewStep.get((ReviewStep.application == application) & (ReviewStep.transition == transition)).at)


def test_approval_form_has_every_field_of_the_annex(changzhi_case):
    data, filename, mimetype = render("changzhi.approval_form", changzhi_case["application"].id, "docx")
    assert filename.endswith(".docx") and "评估认定审批表" in filename and "wordprocessingml" in mimetype
    document = open_docx(data)
    assert document.paragraphs[0].text == "市级人力资源服务产业园评估认定审批表"
    assert "申报单位（盖章）：屯留区人力资源产业园运营管理有限公司" in docx_text(data)
    assert table_row(document, "园区名称")[1] == "屯留区人力资源服务产业园"
    assert table_row(document, "园区地址")[1] == "测试路1号"
    assert table_row(document, "负责人（联系人）") == ["负责人（联系人）", "王建国", "联系电话", "0355-2021888"]
    assert table_row(document, "产权归属") == ["产权归属", "区属国有资产", "注册时间", "2021年5月8日"]
    assert table_row(document, "建设投入资金") == ["建设投入资金", "1,200.5 万元", "建筑面积",
                                                  "4,700平方米"]
    assert table_row(document, "管理团队人数") == ["管理团队人数", "7人（专职5人、兼职2人）", "入驻机构数量", "12家"]


def test_approval_form_ticks_the_build_mode_and_the_services_on_record(changzhi_case):
    document = open_docx(render("changzhi.approval_form", changzhi_case["application"].id, "docx")[0])
    build = table_row(document, "载体建设方式（选择打√）")[1]
    assert "☐ 新建" in build and "☑ 改建" in build
    services = table_row(document, "园区可提供的服务（选择打√）")[1]
    for ticked in ("☑政策咨询", "☑注册登记", "☑融资服务"):
        assert ticked in services
    for unticked in ("☐信息服务", "☐证照审批", "☐开业指导", "☐装修入驻", "☐物业服务", "☐平台搭建", "☐其他服务"):
        assert unticked in services
    assert services.count("☑") == 3 and services.count("☐") == 7


def test_approval_form_opinion_boxes_carry_the_recorded_opinions_and_dates(changzhi_case):
    application = changzhi_case["application"]
    text = docx_text(render("changzhi.approval_form", application.id, "docx")[0])
    county_box = text.split("县级人力资源社会保障部门意见：")[1].split("市级人力资源服务产业园评估认定组意见：")[0]
    assert "材料齐全，同意上报。" in county_box and step_date(application, "county_pass") in county_box
    city_box = text.split("市级人力资源服务产业园评估认定组意见：")[1]
    assert "联合评审通过。\n实地考察：场地、设施与申报一致。" in city_box
    assert step_date(application, "evaluation_pass") in city_box
    submitted = Application.get_by_id(application.id).submitted_at
    assert f"填报日期：{date_zh(submitted)}" in text


def test_approval_form_of_a_draft_leaves_opinions_and_dates_blank(world, tmp_path):
    park = describe(make_park(world["changzhi"], name="草稿园区"), build_mode="new", offered_services=[])
    application = apps.create_application(park, actor("park_operator", park=park), year=2025)
    document = open_docx(render("changzhi.approval_form", application.id, "docx")[0])
    text = docx_text(render("changzhi.approval_form", application.id, "docx")[0])
    assert "填报日期：　　年　　月　　日" in text
    assert text.count("　　年　　月　　日") == 3  # the form's date and both opinion boxes
    assert "☑ 新建" in table_row(document, "载体建设方式（选择打√）")[1]
    assert "☑" not in table_row(document, "园区可提供的服务（选择打√）")[1]


def test_public_notice_states_the_period_and_its_working_days(changzhi_case):
    # 2025-09-29, 09-30, the National Day holiday, then 10-09, 10-10 and the make-up Saturday 10-11.
    for fmt, read in (("docx", docx_text), ("html", html_text)):
        text = read(render("changzhi.public_notice", changzhi_case["notice"].id, fmt)[0])
        assert "公示期：2025年9月29日至2025年10月11日（共5个工作日）" in text
        assert "拟认定屯留区人力资源服务产业园为长治市级人力资源服务产业园" in text
        assert "“长治屯留区人力资源服务产业园”" in text
        assert "屯留区人力资源和社会保障局初审" in text and "园区2（分园区）1,200平方米" in text
        assert "长治市人力资源和社会保障局\n2025年9月29日" in text or "长治市人力资源和社会保障局2025年9月29日" in text


def test_approval_reply_names_the_prefixed_park_and_the_award_in_both_forms(changzhi_case):
    data = render("changzhi.approval_reply", changzhi_case["recognition"].id, "docx")[0]
    document = open_docx(data)
    text = docx_text(data)
    assert "长治市人力资源和社会保障局文件" in text
    assert "长人社发〔2025〕　号" in text
    assert "关于同意认定长治屯留区人力资源服务产业园为市级人力资源服务产业园的批复" in text
    assert "屯留区人力资源和社会保障局、屯留区人力资源产业园运营管理有限公司：" in text
    assert "名称为“长治屯留区人力资源服务产业园”" in text
    assert "一次性奖励80万元（人民币捌拾万元整，¥800,000.00）" in text
    assert "（2025年9月29日至2025年10月11日，共5个工作日）" in text
    assert document.paragraphs[-2].text == "2025年10月12日"  # the date of recognition, above the 附注
    header = [p for p in document.paragraphs if p.text == "长治市人力资源和社会保障局文件"][0]
    assert header.style.font.color.rgb is not None


def test_assessment_result_reports_grade_scores_and_consequences(changzhi_case):
    text = docx_text(render("changzhi.assessment_result", changzhi_case["excellent"].id, "docx")[0])
    assert "关于2025年度市级人力资源服务产业园考核评估结果的通报" in text
    assert "综合得分95分，等次为优秀" in text
    assert "经济发展情况" in text and "第十九条第（一）项" in text
    assert "全市通报表扬" in text and "积极申报省级人力资源服务产业园" in text
    failed = docx_text(render("changzhi.assessment_result", changzhi_case["failed"].id, "docx")[0])
    assert "等次为不合格" in failed and "于2027年9月12日前整改到位" in failed
    assert "整改期限至2027年9月12日" in failed


def test_rectification_notice_gives_its_deadline(changzhi_case):
    for fmt, read in (("docx", docx_text), ("html", html_text)):
        text = read(render("changzhi.rectification_notice", changzhi_case["rectification"].id, fmt)[0])
        assert "关于长治屯留区人力资源服务产业园限期整改的通知" in text
        assert "自本通知印发之日起至2027年9月12日止" in text
        assert "考核评估结果为不合格（综合得分50分）" in text
        assert "连续两次考核评估为不合格等次的，取消市级人力资源服务产业园资格" in text


def test_subsidy_sheet_writes_amounts_in_figures_and_capitals(changzhi_case):
    award = open_docx(render("changzhi.subsidy_sheet", changzhi_case["award"].id, "docx")[0])
    assert table_row(award, "金额（小写）")[1] == "¥800,000.00"
    assert table_row(award, "金额（大写）")[1] == "人民币捌拾万元整"
    assert table_row(award, "补助项目")[1] == "市级人力资源服务产业园一次性奖励"
    assert table_row(award, "金额（小写）")[3] == "已核准"
    grant = open_docx(render("changzhi.subsidy_sheet", changzhi_case["grant"].id, "docx")[0])
    # 第十条: 1600 promoted, line 1500 → 30万 + 100 × 30元 = 30.3万
    assert table_row(grant, "金额（小写）")[1] == "¥303,000.00"
    assert table_row(grant, "金额（大写）")[1] == "人民币叁拾万叁仟元整"
    assert table_row(grant, "政策依据")[1] == "《长治市级人力资源服务产业园管理办法（试行）》第十条"


def test_subsidy_sheet_prints_the_payment_as_the_finance_bureau_recorded_it(changzhi_case):
    """Before payment: the measures' source (第九条、第十条) and blank day and voucher; once paid, what was recorded."""
    import datetime

    from core.records.services import subsidies
    from tests.builders import actor

    award = changzhi_case["award"]
    before = open_docx(render("changzhi.subsidy_sheet", award.id, "docx")[0])
    assert table_row(before, "资金来源")[1] == "市级就业补助资金（第九条、第十条）"
    assert table_row(before, "拨付日期")[1:4] == ["", "凭证号", ""]
    finance = actor("city_finance", award.jurisdiction.parent)  # the city's finance bureau pays a district park
    subsidies.act(award, "pay", finance, today=datetime.date(2026, 4, 1), payment=subsidies.Payment(
        datetime.date(2026, 3, 20), "记-2026-0320", "市级财政就业补助资金（第九条）", "屯留区产业园运营公司 基本户"))
    after = open_docx(render("changzhi.subsidy_sheet", award.id, "docx")[0])
    assert table_row(after, "资金来源")[1] == "市级财政就业补助资金（第九条）"
    assert table_row(after, "拨付日期")[1:4] == ["2026年3月20日", "凭证号", "记-2026-0320"]
