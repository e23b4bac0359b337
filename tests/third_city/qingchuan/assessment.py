"""Qingchuan's annual assessment (第六条): two indicators, three grades, and a rectification period."""
from core.rules.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED, Consequence, GradeTier, Indicator

INDICATORS = (
    ("service", "定量", "服务成效", "service results"),
    ("housing", "定量", "人才公寓运营", "talent apartments"),
)


def build_indicators(parameters, on):
    return [Indicator(iid, group, label, label_en, "第六条", weight=parameters.value(f"weight_{iid}", on),
                      weight_param=f"weight_{iid}") for iid, group, label, label_en in INDICATORS]


def build_grade_tiers(parameters, on):
    return [
        GradeTier(EXCELLENT, parameters.value("grade_excellent_min", on), "优秀", "excellent", "第六条", "grade_excellent_min"),
        GradeTier(QUALIFIED, parameters.value("grade_qualified_min", on), "合格", "qualified", "第六条", "grade_qualified_min"),
        GradeTier(UNQUALIFIED, 0, "不合格", "unqualified", "第六条"),
    ]


def build_consequences(history, parameters, on):
    """第六条: an unqualified year is rectified within the period of `rectification_months`."""
    if not history or history[-1].grade != UNQUALIFIED or history[-1].rectification not in (None, "pending"):
        return []
    year, months = history[-1].year, parameters.value("rectification_months", on)
    return [Consequence("rectify", "第六条", f"{year}年度考核不合格，限期{months}个月整改",
                        f"Graded unqualified for {year}: rectify within {months} months",
                        year=year, deadline_months=months, failure_from_deadline=True)]
