"""The computation of Luzhou's own condition, 第六条第（六）项 (public-welfare recruitment events held by
the park in the previous year), named `public_events` in criteria.yaml. The rest of 第六条 is
Changzhi's criteria, read with Luzhou's numbers.

Like every item of 第六条 it stands under the chapeau “原则上应当具备以下条件”, so while
`article6_in_principle` is true a shortfall is “not met, waivable”: Changzhi's `computed_result`
reads it so.
"""
from plugins.changzhi import criteria as changzhi_criteria


def check_public_events(criterion, ctx):
    """不少于N场: N itself meets the line."""
    minimum = ctx.param("min_public_events")
    year = ctx.previous_year
    figures = ctx.park.year(year)
    held = figures.events_held if figures is not None else 0
    if held >= minimum:
        zh = f"{year}年度举办公益性招聘活动{held}场，不少于{minimum}场"
        en = f"{held} public-welfare recruitment events held in {year}, at least {minimum}"
    else:
        gap = minimum - held
        missing_zh = "（未录入该年度园区数据，按0场计）" if figures is None else ""
        missing_en = " (no figures entered for that year: counted as 0)" if figures is None else ""
        zh = f"{year}年度举办公益性招聘活动{held}场{missing_zh}，少于{minimum}场，差{gap}场"
        en = f"{held} public-welfare recruitment events held in {year}{missing_en}, fewer than {minimum} by {gap}"
    return changzhi_criteria.computed_result(criterion, ctx, held >= minimum, held, minimum, [(zh, en)])

