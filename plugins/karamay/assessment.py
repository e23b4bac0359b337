"""What a grade leads to under Karamay's 第十八条 (the indicators of 第十七条 and the grades of
第十八条 are declared in assessment.yaml, their weights and cut-offs in parameters.yaml)."""

from core.assessment import EXCELLENT, QUALIFIED, UNQUALIFIED, Consequence

RECTIFICATION_STATES = (None, "pending", "passed", "failed")

def build_consequences(history, parameters, on):
    """What 第十八条 attaches to the latest assessment of `history` (oldest first)."""
    if not history:
        return []
    record = history[-1]
    year = record.year
    if record.rectification not in RECTIFICATION_STATES:
        raise ValueError(
            f"{year}年度考核的整改结果“{record.rectification}”无法识别，应为空、pending、passed 或 failed — "
            f"unknown rectification outcome {record.rectification!r} for {year}"
        )
    if record.grade == EXCELLENT:
        return [
            _grant(year, "优秀"),
            Consequence("commendation", "第十八条", f"{year}年度综合评估优秀，予以通报表扬",
                        f"Graded excellent for {year}: public commendation"),
        ]
    if record.grade == QUALIFIED:
        return [_grant(year, "合格")]
    if record.grade != UNQUALIFIED:
        raise ValueError(
            f"{year}年度考核等次“{record.grade}”无法识别，应为 excellent、qualified 或 unqualified — "
            f"unknown grade {record.grade!r} for {year}"
        )
    result = [
        Consequence("criticism", "第十八条", f"{year}年度综合评估不合格，予以通报批评",
                    f"Graded unqualified for {year}: public criticism"),
    ]
    if record.rectification in (None, "pending"):
        months = parameters.value("rectification_months", on)
        result.append(
            # “整改期满仍不合格”: the park is found still unqualified only once its period is over.
            Consequence("rectify", "第十八条", f"{year}年度综合评估不合格，责令限期{months}个月内整改",
                        f"Graded unqualified for {year}: rectify within {months} months",
                        year=year, deadline_months=months, failure_from_deadline=True)
        )
    result.append(
        Consequence("withhold_subsidy", "第十八条", f"{year}年度综合评估不合格，当年不予兑现运营补贴",
                    f"Graded unqualified for {year}: no operating subsidy for {year}", year=year,
                    subsidy_kinds=("operating",))
    )
    if record.rectification == "passed":
        result[-1] = Consequence(
            "withhold_subsidy", "第十八条",
            f"{year}年度综合评估不合格，经整改合格，保留市级产业园资格，但当年运营补贴仍不予兑现",
            f"Graded unqualified for {year} and rectified: recognition kept, but no operating subsidy for {year}",
            year=year, subsidy_kinds=("operating",),
        )
    elif record.rectification == "failed":
        result.append(
            Consequence("revoke", "第十八条", f"{year}年度综合评估不合格，整改期满仍不合格，取消其市级人力资源服务产业园资格",
                        f"Graded unqualified for {year} and still unqualified after rectification: recognition revoked",
                        year=year)
        )
    return result


def _grant(year, grade_zh):
    return Consequence(
        "grant_subsidy", "第十八条、第二十条",
        f"{year}年度综合评估{grade_zh}（合格及以上），发放{year}年度运营补贴（限认定后连续三年内，第二十条）",
        f"Graded {'excellent' if grade_zh == '优秀' else 'qualified'} for {year}: the operating subsidy for {year} is granted (within the three years after recognition, art. 20)",
        year=year,
    )
