"""Changzhi's recognition conditions (第六条): what criteria.yaml cannot say by itself — the measures its
thresholds compare (`measure_*`) and the checks it names (`check_*`); their wording is the file's `texts`.

第六条 opens with “原则上应当具备以下条件”: that 原则上 covers the whole article, so while the
parameter `article6_in_principle` is true every computed condition that fails is reported
“not met, waivable”; when it is false they are strict. The branch-site limit carries its own
原则上 and is waivable either way.
"""
from dataclasses import replace

from core.rules.formatting import EN, ZH, format_date
from core.rules.criteria import MET, MISSING_DATA, NOT_MET, fmt_number, fmt_yuan, fmt_yuan_en, unlicensed_note
from core.records.vocab import OPERATOR_KINDS, PUBLIC_SERVICES

#: 人力资源服务许可证/备案凭证 of every resident agency (申报材料): an operating agency without one is
#: not counted among the park's HR service agencies (第六条第（三）项).
LICENCE_ARTICLE = "第七条第（一）项第5目"
#: 第六条第（四）项: 专门的产业园管理团队 (committee/team) or 专业化的运营公司 (company).
ACCEPTED_OPERATOR_KINDS = ("committee", "company")
WAIVER_NOTE = ("（第六条“原则上”：可经评审记录理由后豁免）", " (art. 6 'in principle': reviewers may waive it with a recorded reason)")


def computed_result(criterion, ctx, met, measured, required, lines):
    """A result of an art.-6 computed condition from its `lines` [(zh, en)] — or a function answering them,
    called only when the explanation is read —, waivable as the chapeau says on ctx.as_of (a county's
    own 第六条 items under the same chapeau use it too: plugins/luzhou/criteria.py)."""
    waivable = bool(ctx.param("article6_in_principle"))
    criterion = criterion if criterion.waivable == waivable else replace(criterion, waivable=waivable)
    note = WAIVER_NOTE if criterion.waivable and not met else ("", "")

    def explain():
        said = lines() if callable(lines) else lines
        zh, en = "；".join(z for z, _ in said) + "。", "; ".join(e for _, e in said) + "."
        return zh + note[0], en[:1].upper() + en[1:] + note[1]

    return criterion.result(MET if met else NOT_MET, measured, required, explain=explain)


def _yuan(name, value):
    return {name: fmt_yuan(value), f"{name}_en": fmt_yuan_en(value)}


# --- 第六条第（二）项 ----------------------------------------------------------------------------


def _area(criterion, what, area, minimum):
    """(zh, en) of one area sub-check, e.g. '核心园区面积1999㎡，低于2000㎡，差1㎡'."""
    name = criterion.say(what)
    return criterion.say("area_met" if area >= minimum else "area_short", what=name[0], what_en=name[1],
                         area=fmt_number(area), minimum=fmt_number(minimum), gap=fmt_number(minimum - area))


def check_site_area(criterion, ctx):
    sites, cores, total = ctx.park.sites, ctx.park.core_sites(), ctx.park.total_floor_area()
    single_min, core_min, total_min = (ctx.param(p) for p in ("single_site_min_area", "core_site_min_area",
                                                               "multi_site_min_total_area"))
    if not sites:
        return criterion.result(MISSING_DATA, {"sites": 0}, {"single_site_min_area": single_min},
                                *criterion.say("missing", required=fmt_number(single_min)))
    if len(sites) == 1:
        area = sites[0].floor_area

        def one_site():
            zh, en = _area(criterion, "single_site", area, single_min)
            return [criterion.say("one_site", line=zh, line_en=en)]

        return computed_result(criterion, ctx, area >= single_min, {"sites": 1, "total_area": total},
                               {"single_site_min_area": single_min}, one_site)
    measured = {"sites": len(sites), "core_sites": len(cores), "total_area": total}
    required = {"core_sites": 1, "core_site_min_area": core_min, "multi_site_min_total_area": total_min}
    met = len(cores) == 1 and cores[0].floor_area >= core_min
    if len(cores) == 1:
        measured["core_area"] = cores[0].floor_area

    def lines():
        said = [criterion.say("sites", n=len(sites))]
        if len(cores) == 1:
            said.append(_area(criterion, "core_site", cores[0].floor_area, core_min))
        else:
            said.append(criterion.say("many_cores" if cores else "no_core", n=len(cores), names="、".join(s.name for s in cores)))
        return said + [_area(criterion, "total", total, total_min)]

    return computed_result(criterion, ctx, met and total >= total_min, measured, required, lines)


def measure_branch_sites(ctx):
    """The branch sites; a single site has none (its own text); nothing to count without a site."""
    if not ctx.park.sites:
        return None
    return {"value": 0, "text": "one_site"} if len(ctx.park.sites) == 1 else {"value": len(ctx.park.branch_sites())}


# --- 第六条第（三）项 ----------------------------------------------------------------------------


def _counted_agencies(ctx):
    """(counted, left out) among the resident agencies: an operating agency is an HR service agency of
    the park only with the licence or filing certificate 第七条第（一）项第5目 asks for (LICENCE_ARTICLE);
    a public (非经营性) one needs neither."""
    counted, left_out = [], []
    for agency in ctx.resident_agencies():
        (left_out if agency.operating and not agency.licensed else counted).append(agency)
    return counted, left_out


def measure_agency_count(ctx):
    """The resident agencies counted on ctx.as_of, with a note naming those left out."""
    counted, left_out = ctx.once(_counted_agencies)
    as_of = ctx.as_of

    def words():
        zh, en = unlicensed_note(left_out, LICENCE_ARTICLE)
        return {"day": format_date(as_of, ZH), "day_en": format_date(as_of, EN),
                "note": f"；{zh}" if zh else "", "note_en": f"; {en}" if en else ""}

    return {"value": len(counted), "words": words}


def _revenue_figures(ctx, counted):
    """Previous-year revenue incl. pass-through of each of the `counted` operating agencies (resident, holding
    a licence or filing certificate: LICENCE_ARTICLE); and how many are without figures."""
    found = [agency.figures(ctx.previous_year) for agency in counted if agency.operating]
    return [0 if f is None else f.revenue_with_pass_through for f in found], sum(1 for f in found if f is None)


def check_agency_revenue(criterion, ctx):
    """Any one of four alternatives: the total reaches its line, or enough agencies are each above a tier's
    line (超过N万元的机构不少于M家: an agency at exactly N does not count)."""
    counted, left_out = ctx.once(_counted_agencies)
    figures, missing = _revenue_figures(ctx, counted)
    total, total_min = sum(figures, 0), ctx.param("min_total_revenue")
    measured, required = {"total_revenue": total}, {"total_revenue": total_min}
    tiers = []  # (agencies above the line, agencies needed, the line)
    for line_id, need_id in (("tier1_revenue", "tier1_min_agencies"), ("tier2_revenue", "tier2_min_agencies"),
                             ("tier3_revenue", "tier3_min_agencies")):
        key, line, need = line_id.removesuffix("_revenue"), ctx.param(line_id), ctx.param(need_id)
        count = sum(1 for value in figures if value > line)
        measured[f"{key}_agencies"], required[f"{key}_agencies"] = count, {"revenue_over": line, "at_least": need}
        tiers.append((count, need, line))
    year = ctx.previous_year

    def lines():
        holding, gaps = [], []
        (holding if total >= total_min else gaps).append(criterion.say(
            "total_met" if total >= total_min else "total_short", **_yuan("total", total), **_yuan("minimum", total_min),
            **_yuan("gap", total_min - total)))
        for count, need, line in tiers:
            (holding if count >= need else gaps).append(criterion.say(
                "tier_met" if count >= need else "tier_short", count=count, need=need, gap=need - count, **_yuan("line", line)))
        said = [criterion.say("head", year=year, count=len(figures)), criterion.say(
            "met" if holding else "not_met", lines="；".join(z for z, _ in holding or gaps),
            lines_en="; ".join(e for _, e in holding or gaps))]
        said += [criterion.say("no_figures", count=missing, year=year)] if missing else []
        zh, en = unlicensed_note(left_out, LICENCE_ARTICLE)
        return said + ([criterion.say("unlicensed", note=zh, note_en=en)] if zh else [])

    holds = total >= total_min or any(count >= need for count, need, _line in tiers)
    return computed_result(criterion, ctx, holds, measured, required, lines)


def check_public_services(criterion, ctx):
    required = PUBLIC_SERVICES.codes()
    missing = [code for code in required if code not in set(ctx.park.public_services)]
    measured = [code for code in required if code not in missing]
    return computed_result(criterion, ctx, not missing, measured, required, lambda: [criterion.say(
        "not_met" if missing else "met", n=len(missing), names="、".join(PUBLIC_SERVICES.label(c, "zh") for c in missing),
        names_en=", ".join(PUBLIC_SERVICES.label(c, "en") for c in missing))])


# --- 第六条第（四）项 ----------------------------------------------------------------------------


def check_operator(criterion, ctx):
    kind = ctx.park.operator_kind
    met = kind in ACCEPTED_OPERATOR_KINDS
    name = f"（{ctx.park.operator_name}）" if ctx.park.operator_name else ""
    return computed_result(criterion, ctx, met, kind, list(ACCEPTED_OPERATOR_KINDS), lambda: [criterion.say(
        "met" if met else "not_met", label=OPERATOR_KINDS.label(kind, "zh"), label_en=OPERATOR_KINDS.label(kind, "en"),
        name=name)])
