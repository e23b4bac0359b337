"""Karamay's official documents: the district's application report (第六条第（一）项、第七条第（一）项:
cover and the criteria as computed), the public notice (第六条第（三）项), the recognition notice
(第六条第（三）项、第二十条), the assessment result notice with its commendation or criticism
(第十六条至第十八条), the rectification notice (第十八条) and the operating-subsidy sheet, year n of 3
(第二十条).

Each document is declared in documents.yaml and is one HTML template (Jinja) in templates/, its
print view; the Word file is made
from the same HTML (core.io.documents.word).
"""
from decimal import Decimal

from core.records import vocab
from core.io.documents.context import parameter_value
from core.io.documents.writing import date_zh, yuan_capitals, yuan_figures
from core.rules.jurisdiction import bureau_of
from core.records.models import Assessment, Subsidy

OPERATING_KIND = "operating"  # plugins.karamay.subsidies.KIND


def _addressees(context):
    park = context["park"]
    return "、".join(name for name in (park["county_bureau"], park["applicant"]) if name)


def _wan(amount: Decimal) -> str:
    return f"{(Decimal(amount) / 10000).normalize():f}万元"


def application_report_context(record, context, rules):
    """The district files (第六条第（一）项): the report is the district bureau's, to the city bureau."""
    park = context["park"]
    filing = [s for s in context.get("steps", []) if s["transition"] == "file"]
    return {
        "filer": park["county_bureau"] or bureau_of(record.jurisdiction.name_zh),
        "filed_on": filing[-1]["date"] if filing else context["issue_date"],
        "public_services_text": "、".join(s["label"] for s in park["public_services"] if s["ticked"]) or "（未录入）",
    }


def _subsidy_terms(rules, on):
    per_year = Decimal(str(parameter_value(rules, "operating_subsidy_per_year", on)))
    return {
        "per_year_wan": _wan(per_year),
        "per_year_figures": yuan_figures(per_year),
        "per_year_capitals": yuan_capitals(per_year),
        "years": parameter_value(rules, "operating_subsidy_years", on),
    }


def recognition_notice_context(record, context, rules):
    return {"addressees": _addressees(context), "terms": _subsidy_terms(rules, record.recognised_on)}


def assessment_result_context(record, context, rules):
    official_name = context["recognition"]["official_name"]
    assessment = context["assessment"]
    year = assessment["year"]
    if assessment["commended"]:
        heading = f"关于{year}年度综合评估结果暨对{official_name}予以通报表扬的通报"
    elif assessment["criticised"]:
        heading = f"关于{year}年度综合评估结果暨对{official_name}予以通报批评的通报"
    else:
        heading = f"关于{year}年度克拉玛依市级人力资源服务产业园综合评估结果的通报"
    return {"addressees": _addressees(context), "heading": heading}


def operating_subsidy_context(record, context, rules):
    """Year n of the three (第二十条), with the whole three-year schedule as recorded."""
    recognition = record.recognition
    terms = _subsidy_terms(rules, recognition.recognised_on) if recognition else {}
    n = years = None
    schedule = []
    if recognition is not None:
        offset = parameter_value(rules, "operating_subsidy_first_year_offset", recognition.recognised_on)
        years = terms["years"]
        first_year = recognition.recognised_on.year - offset
        n = record.year - first_year + 1
        grades = {a.year: a.grade for a in Assessment.select().where(
            (Assessment.recognition == recognition) & (Assessment.status == "confirmed"))}
        rows = {s.year: s for s in Subsidy.select().where(
            (Subsidy.park == record.park_id) & (Subsidy.kind == OPERATING_KIND)).order_by(Subsidy.id)}
        for i in range(1, years + 1):
            year = first_year + i - 1
            row = rows.get(year)
            grade = f"评估{vocab.GRADES.label(grades[year])}" if year in grades else "尚未评估"
            money = f"{yuan_figures(row.amount)}，{vocab.SUBSIDY_STATUSES.label(row.status)}" if row else "尚未测算"
            schedule.append({"nth": i, "year": year, "current": year == record.year, "text": f"{grade}，{money}"})
    grade = Assessment.select().where(
        (Assessment.recognition == record.recognition_id) & (Assessment.year == record.year)
        & (Assessment.status == "confirmed")).first() if recognition else None
    return {
        "nth": n, "years": years, "terms": terms, "schedule": schedule,
        "nth_text": f"第{n}年（共{years}年）" if n else "",
        "year_grade": vocab.GRADES.label(grade.grade) if grade else "未考核",
        "year_assessed_on": date_zh(grade.assessed_on) if grade else "",
    }


#: The context functions documents.yaml names.
CONTEXTS = {
    "application_report": application_report_context,
    "recognition_notice": recognition_notice_context,
    "assessment_result": assessment_result_context,
    "operating_subsidy": operating_subsidy_context,
}
