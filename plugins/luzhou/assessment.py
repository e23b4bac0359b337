"""What a grade history leads to under Luzhou's measure (潞州区办法第二十条): Changzhi's logic of
第二十条, which the measure copies, with the district's own wording where the two differ — a
commendation across the district (not the city), no recommendation for the provincial level, and
the district-level (not the city-level) recognition revoked."""
from dataclasses import replace

#: Kinds of Changzhi's consequences Luzhou's 第二十条 does not have.
NOT_IN_LUZHOU = ("recommend_provincial",)


def _district_wording(consequence, year):
    if consequence.kind == "commendation":
        return replace(
            consequence,
            article=f"潞州区办法{consequence.article}",
            explanation=f"{year}年度考核优秀，予以全区通报表扬",
            explanation_en=f"{year} graded excellent: district-wide commendation",
        )
    if consequence.kind == "revoke":
        return replace(
            consequence,
            article=f"潞州区办法{consequence.article}",
            explanation=f"{year - 1}年度、{year}年度连续两次考核评估为不合格，取消潞州区级人力资源服务产业园资格",
            explanation_en=f"unqualified in two consecutive assessments ({year - 1} and {year}): district-level recognition revoked",
        )
    return consequence


def build_consequences(city_consequences, history):
    """Luzhou's consequences of the latest record of `history` (oldest first), from Changzhi's."""
    if not history:
        return []
    year = history[-1].year
    return [_district_wording(c, year) for c in city_consequences if c.kind not in NOT_IN_LUZHOU]
