"""Karamay's recognition conditions (第五条): what criteria.yaml cannot say by itself — the measures its
thresholds compare (`measure_*`) and the checks it names (`check_*`); their wording is the file's `texts`.

None of article 5 is 原则上, so no criterion here is waivable; the qualitative clauses are left to
the review panel (needs_judgement) with the recorded facts that support their judgement.
"""
from collections import Counter
from decimal import Decimal

from core.rules.formatting import EN, ZH, format_date
from core.rules.criteria import MET, NEEDS_JUDGEMENT, NOT_MET, fmt_yuan, fmt_yuan_en, unlicensed_note
from core.records.vocab import OPERATOR_KINDS, PUBLIC_SERVICES, SERVICE_LINES

ZERO = Decimal("0")
#: 入驻机构应依法取得人力资源服务许可证或相关行政许可: without one an agency is not counted.
LICENCE_ARTICLE = "第十一条第（一）项"


def _sorted_residents(ctx):
    """(counted, unlicensed, others) of the resident agencies, sorted once per evaluation (ctx.once):
    the operating ones holding a licence 第五条第（三）项 counts (LICENCE_ARTICLE), the operating ones
    left out for holding none, and the non-operating ones."""
    counted, unlicensed, others = [], [], []
    for agency in ctx.resident_agencies():
        (others if not agency.operating else counted if agency.licensed else unlicensed).append(agency)
    return counted, unlicensed, others


def _resident_operating(ctx):
    """The resident agencies 第五条第（三）项 counts: operating ones holding a licence (LICENCE_ARTICLE)."""
    return ctx.once(_sorted_residents)[0]


def _unlicensed(ctx):
    """Resident operating agencies left out for holding no licence, filing certificate or permit."""
    return ctx.once(_sorted_residents)[1]


# --- 第五条第（二）项 基础设施完善 ------------------------------------------------------------


def measure_floor_area(ctx):
    """All sites' floor area together; nothing to measure without a site."""
    sites = len(ctx.park.sites)
    return {"value": ctx.park.total_floor_area(), "sites": sites} if sites else None


def check_public_services(criterion, ctx):
    present = list(ctx.park.public_services or [])
    required = PUBLIC_SERVICES.codes()
    missing = [code for code in required if code not in present]

    def explain():
        unknown = ", ".join(str(code) for code in present if code not in PUBLIC_SERVICES)
        note = criterion.say("unknown", codes=unknown) if unknown else ("", "")
        return criterion.say("not_met" if missing else "met", note=note[0], note_en=note[1],
                             required="、".join(PUBLIC_SERVICES.label(c) for c in required),
                             missing="、".join(PUBLIC_SERVICES.label(c) for c in missing),
                             missing_en=", ".join(PUBLIC_SERVICES.label(c, "en") for c in missing))

    if not missing:
        return criterion.result(MET, list(required), required, explain=explain)
    return criterion.result(NOT_MET, [c for c in required if c in present], required, explain=explain)


# --- 第五条第（三）项 集聚能力突出 ------------------------------------------------------------


def measure_operating_agencies(ctx):
    """The licensed operating agencies resident on ctx.as_of; a note on those not counted."""
    counted, unlicensed, others = ctx.once(_sorted_residents)
    as_of = ctx.as_of

    def words():
        notes = [(f"另有非经营性机构{len(others)}家，不计入", f"{len(others)} non-operating agencies not counted")] if others else []
        notes += [unlicensed_note(unlicensed, LICENCE_ARTICLE)]
        notes = [pair for pair in notes if pair[0]]
        return {"day": format_date(as_of, ZH), "day_en": format_date(as_of, EN),
                "note": f"（{'；'.join(zh for zh, _ in notes)}）" if notes else "",
                "note_en": f" ({'; '.join(en for _, en in notes)})" if notes else ""}

    return {"value": len(counted), "words": words}


def check_agency_diversity(criterion, ctx):
    agencies = _resident_operating(ctx)
    counts = Counter(line for a in agencies for line in dict.fromkeys(a.service_lines or []))
    distribution = {SERVICE_LINES.label(code): n for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}
    unlicensed = _unlicensed(ctx)

    def explain():
        shown = "、".join(f"{label}{n}家" for label, n in distribution.items())
        shown_en = ", ".join(f"{SERVICE_LINES.label(code, 'en')} {n}" for code, n in counts.items())
        facts = criterion.say("lines" if distribution else "no_lines", count=len(agencies), shown=shown, shown_en=shown_en)
        zh, en = unlicensed_note(unlicensed, LICENCE_ARTICLE)
        return criterion.say("judge", facts=facts[0], facts_en=facts[1], note=f"；{zh}" if zh else "",
                             note_en=f"; {en}" if en else "")

    return criterion.result(NEEDS_JUDGEMENT, distribution, None, explain=explain)


def measure_agency_revenue(ctx):
    """Previous-year revenue without pass-through of the licensed resident operating agencies, with notes
    on what was not counted (pass-through, agencies without figures, unlicensed ones)."""
    year = ctx.previous_year
    agencies = _resident_operating(ctx)
    found = [f for f in (a.figures(year) for a in agencies) if f is not None]
    unlicensed = _unlicensed(ctx)

    def words():
        pass_through = sum((f.pass_through for f in found), ZERO)
        notes = [(f"代收代付{fmt_yuan(pass_through)}未计入", f"pass-through {fmt_yuan_en(pass_through)} not counted")] if pass_through else []
        if len(found) < len(agencies):
            without = len(agencies) - len(found)
            notes.append((f"其中{without}家机构无{year}年度数据，按0计", f"{without} agencies have no figures for {year}, counted as 0"))
        zh, en = unlicensed_note(unlicensed, LICENCE_ARTICLE)
        notes += [(f"{zh}，其营业收入不计入", f"{en}, nor their revenue")] if zh else []
        return {"note": "".join(f"；{zh}" for zh, _ in notes), "note_en": "".join(f"; {en}" for _, en in notes)}

    return {"value": sum((f.revenue for f in found), ZERO), "year": year, "count": len(agencies), "words": words}


# --- 第五条第（四）项 运营管理规范 ------------------------------------------------------------


def check_operator(criterion, ctx):
    park = ctx.park
    required = ctx.param("min_operator_staff")
    staff = (park.staff_fulltime or 0) + (park.staff_parttime or 0)
    kind = park.operator_kind
    problems = ["unknown_kind"] if kind not in OPERATOR_KINDS else []
    problems += ["no_operator"] if not problems and kind not in ("committee", "company") else []
    problems += ["few_staff"] if staff < required else []
    measured = {"operator_kind": kind, "staff": staff}
    if problems:
        def explain():
            said = [criterion.say(problem, kind=kind, staff=staff, required=required, gap=required - staff)
                    for problem in problems]
            return "；".join(p[0] for p in said), "; ".join(p[1] for p in said)

        return criterion.result(NOT_MET, measured, {"staff": required}, explain=explain)
    name = f"“{park.operator_name}”" if park.operator_name else ""
    return criterion.result(MET, measured, {"staff": required}, explain=lambda: criterion.say(
        "met", operator=OPERATOR_KINDS.label(kind) + name, operator_en=OPERATOR_KINDS.label(kind, "en"), staff=staff,
        fulltime=park.staff_fulltime or 0, parttime=park.staff_parttime or 0, required=required))


# --- 第五条第（五）项 政策体系完备 ------------------------------------------------------------


def check_district_support(criterion, ctx):
    facts = ctx.park.facts or {}
    raw = facts.get("district_support_measures")
    special_fund = facts.get("special_fund")

    def saying(text, **values):
        def explain():
            fund = criterion.say("fund" if special_fund else "no_fund")
            return criterion.say(text, fund=fund[0], fund_en=fund[1], raw=raw, **values)
        return explain

    if raw is not None and not isinstance(raw, (list, tuple)):
        return criterion.result(NOT_MET, raw, None, explain=saying("not_a_list"))
    measures = [str(m).strip() for m in (raw or []) if str(m).strip()]
    if measures:
        return criterion.result(MET, measures, None, explain=saying(
            "met", measures="、".join(measures), measures_en=", ".join(measures)))
    return criterion.result(NOT_MET, [], None, explain=saying("not_met"))


# --- 第五条第（六）项 社会效益显著 ------------------------------------------------------------


def check_social_benefit(criterion, ctx):
    year = ctx.previous_year
    record = ctx.park.year(year)
    measured = None if record is None else {
        "year": year, **{key: getattr(record, key) for key in ("events_held", "employment_promoted", "people_served")}}

    def explain():
        zh, en = criterion.say("no_figures" if record is None else "figures", **(measured or {"year": year}))
        return criterion.say("judge", facts=zh, facts_en=en)

    return criterion.result(NEEDS_JUDGEMENT, measured, None, explain=explain)
