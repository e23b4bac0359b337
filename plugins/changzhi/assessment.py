"""What a grade history leads to under Changzhi's 第二十条 (the indicators of 第十九条 and the grades
of 第二十条 are declared in assessment.yaml)."""
from core.assessment import EXCELLENT, GRADE_ORDER, QUALIFIED, UNQUALIFIED, Consequence

#: The subsidies a grade grants or withholds: 第十条's 补助 (the 第九条 award rewards recognition itself).
GRADE_BOUND_SUBSIDIES = ("operating_grant",)

RECTIFICATION_OUTCOMES = (None, "pending", "passed", "failed")


def _check_history(history):
    for record in history:
        if record.grade not in GRADE_ORDER:
            raise ValueError(
                f"{record.year}年考核等次“{record.grade}”无效，应为优秀、合格或不合格 — "
                f"grade {record.grade!r} of {record.year} is not one of excellent, qualified, unqualified"
            )
        if record.rectification not in RECTIFICATION_OUTCOMES:
            raise ValueError(
                f"{record.year}年整改结果“{record.rectification}”无效，应为空、pending、passed或failed — "
                f"rectification {record.rectification!r} of {record.year} is not None, pending, passed or failed"
            )


def build_consequences(history, rectification_months):
    """The consequences of the latest record of `history` (oldest first)."""
    history = list(history)
    if not history:
        return []
    _check_history(history)
    latest = history[-1]
    year = latest.year
    if latest.grade == EXCELLENT:
        return [
            Consequence("grant_subsidy", "第二十条第（一）项",
                        f"{year}年度考核优秀（合格及以上），按规定给予扶持政策奖补",
                        f"{year} graded excellent (qualified or better): subsidies are granted", year=year),
            Consequence("commendation", "第二十条第（一）项",
                        f"{year}年度考核优秀，予以全市通报表扬",
                        f"{year} graded excellent: city-wide commendation"),
            Consequence("recommend_provincial", "第二十条第（一）项",
                        f"{year}年度考核优秀，积极推荐申报省级人力资源服务产业园",
                        f"{year} graded excellent: recommended for the provincial level"),
        ]
    if latest.grade == QUALIFIED:
        return [
            Consequence("grant_subsidy", "第二十条第（一）项",
                        f"{year}年度考核合格，按规定给予扶持政策奖补",
                        f"{year} graded qualified: subsidies are granted", year=year),
        ]

    consequences = []
    # 第二十条第（一）项 pays 奖补 only for 合格及以上; 第（二）项 puts a 不合格 right by a rectification and
    # cancels the cycle's funds only if it fails. Read together: the assessed cycle's operating grant
    # of 第十条 is held (暂缓) while the park rectifies, released if the rectification passes and
    # cancelled if not. The one-time award of 第九条 rewards recognition itself and is not held.
    if latest.rectification in (None, "pending"):
        consequences.append(
            Consequence("rectify", "第二十条第（二）项",
                        f"{year}年度考核不合格，责令其限期{rectification_months}个月内整改",
                        f"{year} graded unqualified: rectify within {rectification_months} months",
                        year=year, deadline_months=rectification_months)
        )
        consequences.append(
            Consequence("hold_subsidy", "第二十条第（一）项、第（二）项",
                        f"{year}年度考核不合格，只有合格及以上才给予扶持政策奖补：整改期间暂缓兑现{year}年度运营经费补助，"
                        f"整改合格后兑现，整改后仍不合格的予以取消",
                        f"{year} graded unqualified and only qualified or better receive subsidies: {year}'s operating "
                        f"grant is held while the park rectifies, paid if the rectification passes, cancelled if not",
                        year=year, subsidy_kinds=GRADE_BOUND_SUBSIDIES)
        )
    elif latest.rectification == "passed":
        consequences.append(
            Consequence("release_subsidy", "第二十条第（二）项",
                        f"{year}年度考核不合格，经限期整改合格，暂缓的{year}年度运营经费补助恢复兑现",
                        f"{year} graded unqualified and the rectification passed: {year}'s held operating grant is "
                        f"payable again", year=year, subsidy_kinds=GRADE_BOUND_SUBSIDIES)
        )
    else:  # failed
        # “上一个考核评估周期” read as the cycle just assessed: the grade of `year` is what the
        # rectification failed to cure, and its funds are the ones still to be allocated.
        consequences.append(
            Consequence("cancel_previous_cycle_subsidy", "第二十条第（二）项",
                        f"{year}年度考核不合格且整改后仍不合格，取消其上一个考核评估周期（即被考核的{year}年度）应划拨的补助资金",
                        f"{year} unqualified and still unqualified after rectification: the subsidy due for the "
                        f"cycle just assessed ({year}) is cancelled", year=year, subsidy_kinds=GRADE_BOUND_SUBSIDIES)
        )
    previous = {r.year: r for r in history[:-1]}.get(year - 1)
    if previous is not None and previous.grade == UNQUALIFIED:
        consequences.append(
            Consequence("revoke", "第二十条第（二）项",
                        f"{year - 1}年度、{year}年度连续两次考核评估为不合格，取消市级人力资源服务产业园资格",
                        f"unqualified in two consecutive assessments ({year - 1} and {year}): city-level recognition revoked",
                        year=year)
        )
    return consequences
