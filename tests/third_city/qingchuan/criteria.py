"""Qingchuan's recognition conditions (第三条), one Criterion per item; every number from parameters.yaml,
read on the evaluation's own day (the 2026 revision raises 第三条第（四）项 from 20 to 30 apartments)."""
from core.rules.criteria import MET, MISSING_DATA, NOT_MET, Criterion, fmt_number, judgement_criterion

SOURCE = "qingchuan"


def _at_least(criterion, measured, minimum, what_zh, unit_zh, what_en, unit_en):
    """MET when `measured` ≥ `minimum` (the article's 不少于 includes the number itself)."""
    if measured >= minimum:
        return criterion.result(MET, measured, minimum, f"{what_zh}{fmt_number(measured)}{unit_zh}，不少于{fmt_number(minimum)}{unit_zh}。",
                                f"{what_en} {fmt_number(measured)} {unit_en}, at least {fmt_number(minimum)}.")
    gap = minimum - measured
    return criterion.result(NOT_MET, measured, minimum,
                            f"{what_zh}{fmt_number(measured)}{unit_zh}，低于{fmt_number(minimum)}{unit_zh}，差{fmt_number(gap)}{unit_zh}。",
                            f"{what_en} {fmt_number(measured)} {unit_en}, below {fmt_number(minimum)} by {fmt_number(gap)}.")


def check_floor_area(criterion, ctx):
    return _at_least(criterion, ctx.park.total_floor_area(), ctx.param("min_floor_area"), "园区建筑面积", "㎡",
                     "Floor area", "m²")


def check_agency_count(criterion, ctx):
    count = len(ctx.park.resident_agencies(ctx.as_of))
    return _at_least(criterion, count, ctx.param("min_agencies"), "入驻人力资源服务机构", "家", "Resident agencies", "agencies")


def check_talent_apartments(criterion, ctx):
    """第三条第（四）项 reads the park's fact `talent_apartments` (facts.yaml), which neither other city has."""
    units = (ctx.park.facts or {}).get("talent_apartments")
    minimum = ctx.param("min_talent_apartments")
    if units is None:
        return criterion.result(MISSING_DATA, None, minimum, "未填报人才公寓套数，无法判断。",
                                "The number of talent apartments is not entered.")
    return _at_least(criterion, int(units), minimum, "人才公寓", "套", "Talent apartments", "units")


def build_criteria():
    """The conditions of 第三条, in article order."""
    return [
        judgement_criterion(
            "planning_report", "第三条第（一）项", "科学的规划论证", "A scientific planning report",
            "请专家评审组判断园区发展规划报告是否科学合理。",
            "The experts judge whether the park's development plan is sound.", source=SOURCE,
        ),
        Criterion("floor_area", "第三条第（二）项", "园区建筑面积", "Floor area of the park", check_floor_area, source=SOURCE),
        Criterion("agency_count", "第三条第（三）项", "入驻机构数量", "Number of resident agencies", check_agency_count,
                  source=SOURCE),
        Criterion("talent_apartments", "第三条第（四）项", "人才公寓", "Talent apartments", check_talent_apartments,
                  source=SOURCE),
    ]
