"""Luzhou's subsidies: its one-time award on recognition as a district-level park (潞州区办法第九条)
and its yearly operating grant against the DISTRICT's employment targets (第十条), paid only for
years graded 合格 or better (第二十条). The rules are Changzhi's (plugins/changzhi/subsidies.py),
called with Luzhou's `GrantScheme`: the amounts (parameters) and the targets counted are Luzhou's
own; Changzhi's words for its level (市级人力资源服务产业园, 市级, 全市, the city's) read in the
district's by core (core.rules.level_words).
"""
from dataclasses import asdict

from plugins.changzhi import subsidies as changzhi_subsidies
from plugins.changzhi.subsidies import LEVEL_FIELDS, QUARTERS_ZH, GrantScheme

SOURCE = "changzhi-luzhou"


class LuzhouGrantScheme(GrantScheme):
    """Changzhi's 第九条 and 第十条 as 潞州区办法 repeats them, counting the district's targets."""

    def target(self, ctx, year):
        return district_target(ctx, year)

    def missing_target(self, ctx, year):
        found = changzhi_subsidies.CHANGZHI.target(ctx, year)
        other = f"（系统中只有{found.set_by}录入的任务，第十条按全区任务计算）" if found is not None else ""
        other_en = f" (only {found.set_by}'s targets are entered; art. 10 counts the district's)" if found is not None else ""
        return (f"未录入潞州区{year}年度目标任务（城镇新增就业、农村劳动力转移就业）{other}，暂无法计算",
                f"Luzhou District's {year} targets (urban new jobs, rural labour transfer) are not entered{other_en}")

    def awaiting_assessment(self, year, quarter):
        quarter_zh = QUARTERS_ZH.get(quarter, str(quarter))
        return (f"；{year}年度尚未考核，待{year + 1}年第{quarter_zh}季度考核合格及以上后兑现（潞州区办法第十八条）",
                f"; {year} not yet assessed: payable once graded qualified or better in quarter {quarter} of {year + 1}")


def district_scheme(inherited):
    """Luzhou's scheme: Changzhi's level words as `inherited` (the plugin's) rewords them. Its own
    rest: its articles (潞州区办法第…), its 第九条's payer (区级财政, which Changzhi's explanation does
    not name: nothing to reword), and English explanations without article numbers."""
    level = inherited(changzhi_subsidies.CHANGZHI, fields=LEVEL_FIELDS)
    return LuzhouGrantScheme(
        **{field: value for field, value in asdict(level).items() if field in LEVEL_FIELDS},
        source=SOURCE, measures="潞州区办法", award_payer_zh="区级财政", award_payer_en=" from the district budget",
        cites_articles_en=False,
    )


def district_target(ctx, year):
    """The district's own targets of `year`, or None. A park of Luzhou reads its city's targets
    when the district entered none (core.rules.facts); 第十条 counts the district's, so those do not do.
    Targets given directly (a dossier: `set_by` empty) are taken as the district's."""
    target = changzhi_subsidies.CHANGZHI.target(ctx, year)
    if target is None or target.set_by not in ("", SOURCE):
        return None
    return target


def build_subsidies(ctx, scheme):
    """潞州区办法第九条 (the award once, in the year of recognition) and 第十条 (the base grant once
    the line is reached, plus a sum per person above it, capped), with `district_scheme`."""
    return changzhi_subsidies.build_subsidies(ctx, scheme)
