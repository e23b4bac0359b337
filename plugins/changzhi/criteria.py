"""Changzhi's recognition conditions (第六条), one Criterion per clause, thresholds from parameters.

第六条 opens with “原则上应当具备以下条件”: that 原则上 covers the whole article, so while the
parameter `article6_in_principle` is true every computed condition that fails is reported
“not met, waivable”; when it is false they are strict. The branch-site limit carries its own
原则上 and is waivable either way.
"""
from dataclasses import replace

from core.rules.formatting import EN, ZH, format_date
from core.rules.criteria import (
    MET,
    MISSING_DATA,
    NOT_MET,
    fmt_number,
    fmt_yuan,
    fmt_yuan_en,
    unlicensed_note,
)
from core.records.vocab import OPERATOR_KINDS, PUBLIC_SERVICES

#: 人力资源服务许可证/备案凭证 of every resident agency (申报材料): an operating agency without one is
#: not counted among the park's HR service agencies (第六条第（三）项).
LICENCE_ARTICLE = "第七条第（一）项第5目"
#: 第六条第（四）项: 专门的产业园管理团队 (committee/team) or 专业化的运营公司 (company).
ACCEPTED_OPERATOR_KINDS = ("committee", "company")


# --- wording shared by the checks -------------------------------------------------------------


def _area_line(what_zh, what_en, area, minimum):
    """('核心园区面积1999㎡，低于2000㎡，差1㎡', English, met?) for one area sub-check."""
    if area >= minimum:
        return (
            f"{what_zh}{fmt_number(area)}㎡，不少于{fmt_number(minimum)}㎡",
            f"{what_en} {fmt_number(area)} m², at least {fmt_number(minimum)} m²",
            True,
        )
    gap = minimum - area
    return (
        f"{what_zh}{fmt_number(area)}㎡，低于{fmt_number(minimum)}㎡，差{fmt_number(gap)}㎡",
        f"{what_en} {fmt_number(area)} m², below {fmt_number(minimum)} m² by {fmt_number(gap)} m²",
        False,
    )


def _in_principle(criterion, ctx):
    """The criterion as 第六条's chapeau reads it on ctx.as_of: waivable while 原则上 applies."""
    return replace(criterion, waivable=bool(ctx.param("article6_in_principle")))


def _waiver_note(criterion):
    if criterion.waivable:
        return "（第六条“原则上”：可经评审记录理由后豁免）", " (art. 6 'in principle': reviewers may waive it with a recorded reason)"
    return "", ""


def computed_result(criterion, ctx, met, measured, required, lines_zh, lines_en):
    """A result of an art.-6 computed condition, waivable as the chapeau says on ctx.as_of (a
    county's own 第六条 items under the same chapeau use it too: plugins/luzhou/criteria.py)."""
    criterion = _in_principle(criterion, ctx)
    zh = "；".join(lines_zh)
    en = "; ".join(lines_en)
    en = en[:1].upper() + en[1:]
    if met:
        return criterion.result(MET, measured, required, zh + "。", en + ".")
    note_zh, note_en = _waiver_note(criterion)
    return criterion.result(NOT_MET, measured, required, zh + "。" + note_zh, en + "." + note_en)


# --- 第六条第（二）项 ----------------------------------------------------------------------------


def check_site_area(criterion, ctx):
    sites = ctx.park.sites
    single_min = ctx.param("single_site_min_area")
    core_min = ctx.param("core_site_min_area")
    total_min = ctx.param("multi_site_min_total_area")
    total = ctx.park.total_floor_area()
    if not sites:
        return criterion.result(
            MISSING_DATA,
            {"sites": 0},
            {"single_site_min_area": single_min},
            f"未登记任何园区（场地），建筑面积尚无法判断：请录入园区各场地及其建筑面积"
            f"（只设立一个园区的，建筑面积须不少于{fmt_number(single_min)}㎡）。",
            f"No site is recorded, so the floor area is not yet known: record the park's sites and their floor areas "
            f"(a single-site park needs at least {fmt_number(single_min)} m²).",
        )
    if len(sites) == 1:
        zh, en, ok = _area_line("园区建筑面积", "floor area of the single site", sites[0].floor_area, single_min)
        return computed_result(
            criterion, ctx, ok,
            {"sites": 1, "total_area": total},
            {"single_site_min_area": single_min},
            [f"只设立一个园区，{zh}"],
            [f"One site: {en}"],
        )
    cores = ctx.park.core_sites()
    lines_zh = [f"设立{len(sites)}个园区"]
    lines_en = [f"{len(sites)} sites"]
    met = True
    measured = {"sites": len(sites), "core_sites": len(cores), "total_area": total}
    required = {"core_sites": 1, "core_site_min_area": core_min, "multi_site_min_total_area": total_min}
    if len(cores) == 1:
        zh, en, ok = _area_line("核心园区面积", "core site", cores[0].floor_area, core_min)
        measured["core_area"] = cores[0].floor_area
        lines_zh.append(zh)
        lines_en.append(en)
        met = met and ok
    elif not cores:
        met = False
        lines_zh.append("未标明核心园区，设立多个园区的须确定一个核心园区")
        lines_en.append("no site is marked as the core site; a park with several sites needs exactly one")
    else:
        met = False
        names = "、".join(s.name for s in cores)
        lines_zh.append(f"标明了{len(cores)}个核心园区（{names}），只能有一个核心园区")
        lines_en.append(f"{len(cores)} sites are marked as the core site ({names}); there must be exactly one")
    zh, en, ok = _area_line("园区总面积", "total floor area", total, total_min)
    lines_zh.append(zh)
    lines_en.append(en)
    met = met and ok
    return computed_result(criterion, ctx, met, measured, required, lines_zh, lines_en)


def check_branch_sites(criterion, ctx):
    limit = ctx.param("max_branch_sites")
    sites = ctx.park.sites
    if not sites:
        return criterion.result(
            MISSING_DATA, None, limit,
            f"未登记任何园区（场地），分园区数量尚无法判断：请录入园区各场地（分园区原则上不超过{limit}个）。",
            f"No site is recorded, so the number of branch sites is not yet known: record the park's sites "
            f"(in principle at most {limit} branch sites).",
        )
    if len(sites) == 1:
        return criterion.result(
            MET, 0, limit,
            "只设立1个园区，无分园区。",
            "One site, no branch sites.",
        )
    branches = len(ctx.park.branch_sites())
    if branches <= limit:
        return criterion.result(
            MET, branches, limit,
            f"分园区{branches}个，不超过{limit}个。",
            f"{branches} branch site(s), no more than {limit}.",
        )
    excess = branches - limit
    return criterion.result(
        NOT_MET, branches, limit,
        f"分园区{branches}个，超过{limit}个，多{excess}个（原则上不超过{limit}个，可经评审记录理由后豁免）。",
        f"{branches} branch site(s), more than {limit} by {excess} (in principle at most {limit}; reviewers may waive it with a recorded reason).",
    )


# --- 第六条第（三）项 ----------------------------------------------------------------------------


def _counted_agencies(ctx):
    """(counted, left out) among the resident agencies: an operating agency is an HR service agency of
    the park only with the licence or filing certificate 第七条第（一）项第5目 asks for (LICENCE_ARTICLE);
    a public (非经营性) one needs neither."""
    counted, left_out = [], []
    for agency in ctx.park.resident_agencies(ctx.as_of):
        (left_out if agency.operating and not agency.licensed else counted).append(agency)
    return counted, left_out


def _left_out_lines(left_out, lines_zh, lines_en, zh_suffix="", en_suffix=""):
    zh, en = unlicensed_note(left_out, LICENCE_ARTICLE)
    if zh:
        lines_zh.append(zh + zh_suffix)
        lines_en.append(en + en_suffix)


def check_agency_count(criterion, ctx):
    minimum = ctx.param("min_agencies")
    counted, left_out = _counted_agencies(ctx)
    count = len(counted)
    day, day_en = format_date(ctx.as_of, ZH), format_date(ctx.as_of, EN)
    if count >= minimum:
        zh, en = f"{day}入驻人力资源服务机构{count}家，不少于{minimum}家", f"{count} HR service agencies resident on {day_en}, at least {minimum}"
    else:
        gap = minimum - count
        zh = f"{day}入驻人力资源服务机构{count}家，少于{minimum}家，差{gap}家"
        en = f"{count} HR service agencies resident on {day_en}, fewer than {minimum} by {gap}"
    lines_zh, lines_en = [zh], [en]
    _left_out_lines(left_out, lines_zh, lines_en)
    return computed_result(criterion, ctx, count >= minimum, count, minimum, lines_zh, lines_en)


def _revenue_figures(ctx):
    """Previous-year revenue incl. pass-through of each resident operating agency holding a licence or
    filing certificate (LICENCE_ARTICLE); and how many are without figures."""
    year = ctx.previous_year
    figures, missing = [], 0
    for agency in _counted_agencies(ctx)[0]:
        if not agency.operating:
            continue
        found = agency.figures(year)
        if found is None:
            missing += 1
            figures.append(0)
        else:
            figures.append(found.revenue_with_pass_through)
    return figures, missing


def check_agency_revenue(criterion, ctx):
    year = ctx.previous_year
    figures, missing = _revenue_figures(ctx)
    total = sum(figures, 0)
    total_min = ctx.param("min_total_revenue")
    tiers = [
        ("tier1", ctx.param("tier1_revenue"), ctx.param("tier1_min_agencies")),
        ("tier2", ctx.param("tier2_revenue"), ctx.param("tier2_min_agencies")),
        ("tier3", ctx.param("tier3_revenue"), ctx.param("tier3_min_agencies")),
    ]
    measured = {"total_revenue": total}
    required = {"total_revenue": total_min}
    holding_zh, holding_en, gaps_zh, gaps_en = [], [], [], []

    # (a) 达3000万元以上: the total itself counts.
    if total >= total_min:
        holding_zh.append(f"营业收入合计{fmt_yuan(total)}，达到{fmt_yuan(total_min)}")
        holding_en.append(f"total revenue {fmt_yuan_en(total)}, at least {fmt_yuan_en(total_min)}")
    else:
        gap = total_min - total
        gaps_zh.append(f"营业收入合计{fmt_yuan(total)}，低于{fmt_yuan(total_min)}，差{fmt_yuan(gap)}")
        gaps_en.append(f"total revenue {fmt_yuan_en(total)}, below {fmt_yuan_en(total_min)} by {fmt_yuan_en(gap)}")
    # (b)–(d) 超过N万元的机构不少于M家: an agency at exactly N does not count.
    for key, line, need in tiers:
        count = sum(1 for value in figures if value > line)
        measured[f"{key}_agencies"] = count
        required[f"{key}_agencies"] = {"revenue_over": line, "at_least": need}
        if count >= need:
            holding_zh.append(f"营业收入超过{fmt_yuan(line)}的机构{count}家，不少于{need}家")
            holding_en.append(f"{count} agencies above {fmt_yuan_en(line)}, at least {need}")
        else:
            gaps_zh.append(f"营业收入超过{fmt_yuan(line)}的机构{count}家，少于{need}家，差{need - count}家")
            gaps_en.append(f"{count} agencies above {fmt_yuan_en(line)}, fewer than {need} by {need - count}")

    met = bool(holding_zh)
    head_zh = f"{year}年度入驻经营性人力资源服务机构{len(figures)}家（营业收入含代收代付）"
    head_en = f"{len(figures)} resident operating agencies, {year} revenue including pass-through"
    if met:
        lines_zh = [head_zh, "满足：" + "；".join(holding_zh)]
        lines_en = [head_en, "met by: " + "; ".join(holding_en)]
    else:
        lines_zh = [head_zh, "四种情形均未满足：" + "；".join(gaps_zh)]
        lines_en = [head_en, "none of the four alternatives holds: " + "; ".join(gaps_en)]
    if missing:
        lines_zh.append(f"其中{missing}家机构未录入{year}年度营业收入，按0计")
        lines_en.append(f"{missing} of them have no {year} figures and count as 0")
    _left_out_lines(_counted_agencies(ctx)[1], lines_zh, lines_en, "，其营业收入不计入", ", nor their revenue")
    return computed_result(criterion, ctx, met, measured, required, lines_zh, lines_en)


def check_public_services(criterion, ctx):
    present = set(ctx.park.public_services)
    missing = [code for code in PUBLIC_SERVICES.codes() if code not in present]
    required = PUBLIC_SERVICES.codes()
    measured = [code for code in PUBLIC_SERVICES.codes() if code in present]
    if not missing:
        return computed_result(
            criterion, ctx, True, measured, required,
            ["具备就业创业、职业培训、社会保障、人事人才等公共服务功能"],
            ["all four public-service functions are present"],
        )
    names_zh = "、".join(PUBLIC_SERVICES.label(c, "zh") for c in missing)
    names_en = ", ".join(PUBLIC_SERVICES.label(c, "en") for c in missing)
    return computed_result(
        criterion, ctx, False, measured, required,
        [f"缺少{len(missing)}项公共服务功能：{names_zh}"],
        [f"{len(missing)} public-service function(s) missing: {names_en}"],
    )


# --- 第六条第（四）项 ----------------------------------------------------------------------------


def check_operator(criterion, ctx):
    kind = ctx.park.operator_kind
    label_zh, label_en = OPERATOR_KINDS.label(kind, "zh"), OPERATOR_KINDS.label(kind, "en")
    if kind in ACCEPTED_OPERATOR_KINDS:
        name = f"（{ctx.park.operator_name}）" if ctx.park.operator_name else ""
        return computed_result(
            criterion, ctx, True, kind, list(ACCEPTED_OPERATOR_KINDS),
            [f"运营管理主体：{label_zh}{name}"],
            [f"run by: {label_en}"],
        )
    return computed_result(
        criterion, ctx, False, kind, list(ACCEPTED_OPERATOR_KINDS),
        [f"运营管理主体为“{label_zh}”，须有专门的产业园管理团队或专业化的运营公司负责运营管理"],
        [f"operator recorded as '{label_en}'; a dedicated management team or a professional operating company is required"],
    )
