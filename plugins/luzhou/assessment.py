"""What a grade history leads to under Luzhou's measure (潞州区办法第二十条): Changzhi's consequences of
第二十条, which the measure copies, read in the district's level by core (core.level_words: 全市通报表扬
→ 全区通报表扬, 取消市级…资格 → 取消潞州区级…资格).

What remains here is what rewording cannot say: the measure has no recommendation for the
provincial level (a rule it drops, not a word), and the consequences whose wording is the
district's own cite the district's article (Luzhou's convention: 潞州区办法第…, as its parameters do)."""
from dataclasses import replace

#: Kinds of Changzhi's consequences Luzhou's 第二十条 does not have.
NOT_IN_LUZHOU = ("recommend_provincial",)
#: Kinds whose text is the district's own (全区, 区级), cited to 潞州区办法第二十条.
IN_DISTRICT_WORDS = ("commendation", "revoke")
OWN_ARTICLES = "潞州区办法"


def build_consequences(city_consequences):
    """Luzhou's consequences from Changzhi's, already in the district's words (`inherited`)."""
    return [
        replace(c, article=f"{OWN_ARTICLES}{c.article}") if c.kind in IN_DISTRICT_WORDS else c
        for c in city_consequences if c.kind not in NOT_IN_LUZHOU
    ]
