"""Karamay's documents read back: the district's application report with the computed criteria, the
notice, the recognition notice (克拉玛依 prefix, 50万元 a year for three years), the result notice
with commendation or criticism, the rectification notice and the operating-subsidy sheet (year n of 3)."""
from core.io.documents.registry import render
from tests.documents.reading import docx_text, html_text, open_docx, table_row


def test_application_report_has_a_cover_and_the_criteria_as_computed(karamay_case):
    data = render("karamay.application_report", karamay_case["application"].id, "docx")[0]
    text = docx_text(data)
    cover, body = text.split("关于申请认定", 1)
    assert "申请认定克拉玛依市级" in cover and "申报单位：独山子区人力资源和社会保障局（盖章）" in cover
    assert "克拉玛依独山子人力资源服务产业园为克拉玛依市级人力资源服务产业园的报告" in body
    assert "\n克拉玛依市人力资源和社会保障局：\n" in body
    for article in ("第五条第（一）项", "第五条第（二）项", "第五条第（三）项", "第五条第（四）项"):
        assert article in body
    assert "经评审符合" in body and "符合" in body
    assert "综合审核结论：符合认定条件。" in body
    assert "☑ 申请认定克拉玛依市级人力资源服务产业园报告（第七条第（一）项）" in body
    assert "☐ 其他需要出具的相关材料（第七条第（五）项）（选报）" in body


def test_public_notice_states_the_period_and_its_working_days(karamay_case):
    text = docx_text(render("karamay.public_notice", karamay_case["notice"].id, "docx")[0])
    assert "公示期：2025年11月3日至2025年11月7日（共5个工作日）" in text
    assert "“克拉玛依独山子人力资源服务产业园”" in text


def test_recognition_notice_names_the_park_and_the_three_years_of_subsidy(karamay_case):
    for fmt, read in (("docx", docx_text), ("html", html_text)):
        text = read(render("karamay.recognition_notice", karamay_case["recognition"].id, fmt)[0])
        assert "克拉玛依市人力资源和社会保障局文件" in text and "克人社发〔2025〕　号" in text
        assert "名称为“克拉玛依独山子人力资源服务产业园”" in text
        assert "每年50万元（人民币伍拾万元整，¥500,000.00）的标准，连续3年给予运营补贴" in text
        assert "2025年11月10日" in text


def test_assessment_result_commends_an_excellent_park_and_criticises_an_unqualified_one(karamay_case):
    good = docx_text(render("karamay.assessment_result", karamay_case["excellent"].id, "docx")[0])
    assert "关于2025年度综合评估结果暨对克拉玛依独山子人力资源服务产业园予以通报表扬的通报" in good
    assert "等次为优秀" in good and "予以通报表扬" in good and "通报批评" not in good
    assert "定量" in good and "定性" in good
    bad = docx_text(render("karamay.assessment_result", karamay_case["failed"].id, "docx")[0])
    assert "予以通报批评的通报" in bad and "等次为不合格" in bad and "通报表扬" not in bad
    assert "当年不予兑现运营补贴" in bad and "于2027年9月8日前整改到位" in bad


def test_rectification_notice_gives_its_deadline_and_the_revocation(karamay_case):
    text = docx_text(render("karamay.rectification_notice", karamay_case["rectification"].id, "docx")[0])
    assert "自本通知印发之日起至2027年9月8日止" in text
    assert "整改期满仍不合格的，取消你园区市级人力资源服务产业园资格（第十八条）" in text


def test_operating_subsidy_sheet_is_year_n_of_three(karamay_case):
    paid = open_docx(render("karamay.operating_subsidy_sheet", karamay_case["paid"].id, "docx")[0])
    text = docx_text(render("karamay.operating_subsidy_sheet", karamay_case["paid"].id, "docx")[0])
    assert "运营补贴核拨表（第1年，共3年）" in text
    assert table_row(paid, "金额（小写）") == ["金额（小写）", "¥500,000.00", "综合评估", "优秀"]
    assert table_row(paid, "金额（大写）")[1] == "人民币伍拾万元整"
    assert "第1年 2025年度：评估优秀，¥500,000.00，已拨付（本表）" in text
    assert "第2年 2026年度：评估不合格，¥0.00，不予兑现" in text
    assert "第3年 2027年度：尚未评估，尚未测算" in text
    withheld = open_docx(render("karamay.operating_subsidy_sheet", karamay_case["withheld"].id, "docx")[0])
    assert "运营补贴核拨表（第2年，共3年）" in docx_text(render("karamay.operating_subsidy_sheet",
                                                                    karamay_case["withheld"].id, "docx")[0])
    assert table_row(withheld, "金额（大写）")[1] == "人民币零元整"
    assert table_row(withheld, "状态")[1] == "不予兑现"
