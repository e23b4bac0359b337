"""Karamay's recognition conditions (第五条), one criterion per clause, thresholds from parameters.

None of article 5 is 原则上, so no criterion here is waivable; the qualitative clauses are left to
the review panel (needs_judgement) with the recorded facts that support their judgement.
"""
from collections import Counter
from decimal import Decimal

from core.rules.formatting import EN, ZH, format_date
from core.rules.criteria import (
    MET,
    MISSING_DATA,
    NEEDS_JUDGEMENT,
    NOT_MET,
    fmt_number,
    fmt_yuan,
    fmt_yuan_en,
    unlicensed_note,
)
from core.records.vocab import OPERATOR_KINDS, PUBLIC_SERVICES, SERVICE_LINES

ZERO = Decimal("0")


def _yuan(value):
    """fmt_yuan, except that nothing reads 0元 rather than 0万元."""
    return "0元" if value == 0 else fmt_yuan(value)


#: 入驻机构应依法取得人力资源服务许可证或相关行政许可: without one an agency is not counted.
LICENCE_ARTICLE = "第十一条第（一）项"


def _resident_operating(ctx):
    """The resident agencies 第五条第（三）项 counts: operating ones holding a licence (LICENCE_ARTICLE)."""
    return [a for a in ctx.park.resident_agencies(ctx.as_of) if a.operating and a.licensed]


def _unlicensed(ctx):
    """Resident operating agencies left out for holding no licence, filing certificate or permit."""
    return [a for a in ctx.park.resident_agencies(ctx.as_of) if a.operating and not a.licensed]


def _left_out(ctx):
    """(zh notes, en notes) on the resident agencies not counted: non-operating, and operating
    without a licence (named, with the article)."""
    resident = ctx.park.resident_agencies(ctx.as_of)
    others = sum(1 for a in resident if not a.operating)
    notes, notes_en = [], []
    if others:
        notes.append(f"另有非经营性机构{others}家，不计入")
        notes_en.append(f"{others} non-operating agencies not counted")
    zh, en = unlicensed_note(_unlicensed(ctx), LICENCE_ARTICLE)
    if zh:
        notes.append(zh)
        notes_en.append(en)
    return notes, notes_en


# --- 第五条第（一）项 发展规划科学 ------------------------------------------------------------


def check_development_plan(criterion, ctx):
    return criterion.result(
        NEEDS_JUDGEMENT,
        explanation="请评审小组依据可行性论证报告和建设发展规划报告，判断产业定位、功能布局、服务体系、运营模式是否经充分论证，"
        "发展规划是否与克拉玛依市国民经济和社会发展规划相衔接",
        explanation_en="The panel judges from the feasibility and development-plan reports whether the park's positioning, "
        "layout, services and operating model are well argued and fit Karamay's economic and social development plan",
    )


# --- 第五条第（二）项 基础设施完善 ------------------------------------------------------------


def check_floor_area(criterion, ctx):
    required = Decimal(ctx.param("min_total_floor_area"))
    total = ctx.park.total_floor_area()
    sites = len(ctx.park.sites)
    if not sites:
        return criterion.result(
            MISSING_DATA,
            None,
            required,
            f"未登记任何场地，园区总建筑面积尚无法判断：请录入园区各场地及其建筑面积（须合计不少于{fmt_number(required)}㎡）",
            f"No site is recorded, so the total floor area is not yet known: record the park's sites and their floor "
            f"areas (at least {fmt_number(required)} m² together)",
        )
    where = f"（{sites}处场地合计）"
    where_en = f" ({sites} site(s) together)"
    if total >= required:
        return criterion.result(
            MET,
            total,
            required,
            f"园区总建筑面积{fmt_number(total)}㎡{where}，不少于{fmt_number(required)}㎡",
            f"Total floor area {fmt_number(total)} m²{where_en}, at least {fmt_number(required)} m²",
        )
    gap = required - total
    return criterion.result(
        NOT_MET,
        total,
        required,
        f"园区总建筑面积{fmt_number(total)}㎡{where}，低于{fmt_number(required)}㎡，差{fmt_number(gap)}㎡",
        f"Total floor area {fmt_number(total)} m²{where_en}, below {fmt_number(required)} m² by {fmt_number(gap)} m²",
    )


def check_public_services(criterion, ctx):
    present = list(ctx.park.public_services or [])
    required = PUBLIC_SERVICES.codes()
    missing = [code for code in required if code not in present]
    unknown = [code for code in present if code not in PUBLIC_SERVICES]
    note = note_en = ""
    if unknown:
        note = f"；另有无法识别的功能代码 {', '.join(map(str, unknown))}，未计入"
        note_en = f"; unrecognised function codes {', '.join(map(str, unknown))} were ignored"
    required_zh = "、".join(PUBLIC_SERVICES.label(c) for c in required)
    if not missing:
        return criterion.result(
            MET,
            list(required),
            required,
            f"具备{required_zh}四项公共服务功能{note}",
            f"All four public-service functions present{note_en}",
        )
    return criterion.result(
        NOT_MET,
        [c for c in required if c in present],
        required,
        f"缺少公共服务功能：{'、'.join(PUBLIC_SERVICES.label(c) for c in missing)}（应具备{required_zh}）{note}",
        f"Missing public-service functions: {', '.join(PUBLIC_SERVICES.label(c, 'en') for c in missing)}{note_en}",
    )


def check_facilities(criterion, ctx):
    return criterion.result(
        NEEDS_JUDGEMENT,
        explanation="请评审小组判断园区能否为入驻机构提供办公场所、会议设施、培训设施、信息网络等软硬件支持，设施是否完备、功能是否合理",
        explanation_en="The panel judges whether the park offers offices, meeting and training rooms and networks to its "
        "agencies, and whether its facilities are complete and well laid out",
    )


# --- 第五条第（三）项 集聚能力突出 ------------------------------------------------------------


def check_operating_agencies(criterion, ctx):
    required = ctx.param("min_operating_agencies")
    count = len(_resident_operating(ctx))
    day, day_en = format_date(ctx.as_of, ZH), format_date(ctx.as_of, EN)
    notes, notes_en = _left_out(ctx)
    note = f"（{'；'.join(notes)}）" if notes else ""
    note_en = f" ({'; '.join(notes_en)})" if notes_en else ""
    if count >= required:
        return criterion.result(
            MET,
            count,
            required,
            f"截至{day}入驻经营性人力资源服务机构{count}家，不少于{required}家{note}",
            f"{count} operating HR service agencies resident on {day_en}, at least {required}{note_en}",
        )
    return criterion.result(
        NOT_MET,
        count,
        required,
        f"截至{day}入驻经营性人力资源服务机构{count}家，少于{required}家，差{required - count}家{note}",
        f"{count} operating HR service agencies resident on {day_en}, below {required} by {required - count}{note_en}",
    )


def check_agency_diversity(criterion, ctx):
    agencies = _resident_operating(ctx)
    counts = Counter(line for a in agencies for line in dict.fromkeys(a.service_lines or []))
    distribution = {SERVICE_LINES.label(code): n for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}
    distribution_en = {SERVICE_LINES.label(code, "en"): n for code, n in counts.items()}
    if distribution:
        shown = "、".join(f"{label}{n}家" for label, n in distribution.items())
        shown_en = ", ".join(f"{label} {n}" for label, n in distribution_en.items())
        facts = f"入驻经营性机构{len(agencies)}家，服务业态分布：{shown}（一家机构可有多项业态）"
        facts_en = f"{len(agencies)} resident operating agencies; service lines: {shown_en} (an agency may have several)"
    else:
        facts = f"入驻经营性机构{len(agencies)}家，均未登记服务业态"
        facts_en = f"{len(agencies)} resident operating agencies, none with a service line recorded"
    zh, en = unlicensed_note(_unlicensed(ctx), LICENCE_ARTICLE)
    if zh:
        facts += f"；{zh}"
        facts_en += f"; {en}"
    return criterion.result(
        NEEDS_JUDGEMENT,
        distribution,
        None,
        f"{facts}；请评审小组判断机构类型、服务业态是否多元化，是否形成较为完整的人力资源服务产业链",
        f"{facts_en}. The panel judges whether agency types and service lines are diverse enough to form a fairly "
        "complete HR service chain",
    )


def check_agency_revenue(criterion, ctx):
    required = Decimal(ctx.param("min_total_revenue"))
    year = ctx.previous_year
    agencies = _resident_operating(ctx)
    total = ZERO
    pass_through = ZERO
    without_figures = 0
    for agency in agencies:
        figures = agency.figures(year)
        if figures is None:
            without_figures += 1
            continue
        total += figures.revenue
        pass_through += figures.pass_through
    notes, notes_en = [], []
    if pass_through:
        notes.append(f"代收代付{_yuan(pass_through)}未计入")
        notes_en.append(f"pass-through {fmt_yuan_en(pass_through)} not counted")
    if without_figures:
        notes.append(f"其中{without_figures}家机构无{year}年度数据，按0计")
        notes_en.append(f"{without_figures} agencies have no figures for {year}, counted as 0")
    zh, en = unlicensed_note(_unlicensed(ctx), LICENCE_ARTICLE)
    if zh:
        notes.append(f"{zh}，其营业收入不计入")
        notes_en.append(f"{en}, nor their revenue")
    note = f"；{'；'.join(notes)}" if notes else ""
    note_en = f"; {'; '.join(notes_en)}" if notes_en else ""
    head = f"上一年度（{year}年）入驻经营性机构{len(agencies)}家营业收入总额（不含代收代付）{_yuan(total)}"
    head_en = f"Revenue of the {len(agencies)} resident operating agencies in {year} (pass-through not counted) {fmt_yuan_en(total)}"
    if total >= required:
        return criterion.result(
            MET,
            total,
            required,
            f"{head}，不低于{_yuan(required)}{note}",
            f"{head_en}, at least {fmt_yuan_en(required)}{note_en}",
        )
    gap = required - total
    return criterion.result(
        NOT_MET,
        total,
        required,
        f"{head}，低于{_yuan(required)}，差{_yuan(gap)}{note}",
        f"{head_en}, below {fmt_yuan_en(required)} by {fmt_yuan_en(gap)}{note_en}",
    )


# --- 第五条第（四）项 运营管理规范 ------------------------------------------------------------


def check_operator(criterion, ctx):
    park = ctx.park
    required_staff = ctx.param("min_operator_staff")
    staff = (park.staff_fulltime or 0) + (park.staff_parttime or 0)
    kind = park.operator_kind
    problems, problems_en = [], []
    if kind not in OPERATOR_KINDS:
        problems.append(f"运营方类型代码“{kind}”无法识别（应为 committee 管理委员会或 company 专业化运营机构）")
        problems_en.append(f"operator kind {kind!r} is not a known code (committee or company)")
    elif kind not in ("committee", "company"):
        problems.append("无产业园管委会或专业化机构负责运营管理")
        problems_en.append("no management committee or professional operator runs the park")
    if staff < required_staff:
        problems.append(f"专、兼职工作人员{staff}人，少于{required_staff}人，差{required_staff - staff}人")
        problems_en.append(f"{staff} full- and part-time staff, below {required_staff} by {required_staff - staff}")
    staff_zh = f"专职{park.staff_fulltime or 0}人、兼职{park.staff_parttime or 0}人"
    measured = {"operator_kind": kind, "staff": staff}
    if problems:
        return criterion.result(NOT_MET, measured, {"staff": required_staff}, "；".join(problems), "; ".join(problems_en))
    operator = f"{OPERATOR_KINDS.label(kind)}{('“' + park.operator_name + '”') if park.operator_name else ''}"
    return criterion.result(
        MET,
        measured,
        {"staff": required_staff},
        f"由{operator}负责运营管理，配备{staff_zh}，共{staff}人，不少于{required_staff}人",
        f"Run by a {OPERATOR_KINDS.label(kind, 'en')} with {staff} full- and part-time staff, at least {required_staff}",
    )


def check_management_system(criterion, ctx):
    return criterion.result(
        NEEDS_JUDGEMENT,
        explanation="请评审小组判断产业园是否建立完善的管理制度和入驻机构准入、退出机制，运营管理机构是否提供统一管理和一站式服务"
        "（政策咨询、补贴申请、市场推广、事项代办等）",
        explanation_en="The panel judges whether the park has sound management rules and admission/exit rules for "
        "agencies, and whether the operator offers one-stop services (policy advice, subsidy claims, marketing, errands)",
    )


# --- 第五条第（五）项 政策体系完备 ------------------------------------------------------------


def check_district_support(criterion, ctx):
    facts = ctx.park.facts or {}
    raw = facts.get("district_support_measures")
    fund = bool(facts.get("special_fund"))
    fund_note = (
        "；已设立人力资源服务业发展专项资金（鼓励项）"
        if fund
        else "；未设立人力资源服务业发展专项资金（鼓励项，非必备条件，不影响认定）"
    )
    fund_note_en = (
        "; a special development fund is set up (encouraged)"
        if fund
        else "; no special development fund (encouraged, not required: it does not affect recognition)"
    )
    if raw is not None and not isinstance(raw, (list, tuple)):
        return criterion.result(
            NOT_MET,
            raw,
            None,
            f"所在区扶持政策措施应登记为措施名称列表（如 房租补贴、引才奖励、购买服务），收到的是“{raw}”{fund_note}",
            f"District support measures must be recorded as a list of measure names, got {raw!r}{fund_note_en}",
        )
    measures = [str(m).strip() for m in (raw or []) if str(m).strip()]
    if measures:
        return criterion.result(
            MET,
            measures,
            None,
            f"所在区已制定扶持政策措施：{'、'.join(measures)}{fund_note}",
            f"The district has support measures: {', '.join(measures)}{fund_note_en}",
        )
    return criterion.result(
        NOT_MET,
        [],
        None,
        f"未登记所在区促进人力资源服务业发展和产业园建设的扶持政策措施（如房租补贴、引才奖励、购买服务）{fund_note}",
        f"No district support measures recorded (e.g. rent subsidy, talent rewards, purchase of services){fund_note_en}",
    )


# --- 第五条第（六）项 社会效益显著 ------------------------------------------------------------


def check_social_benefit(criterion, ctx):
    year = ctx.previous_year
    record = ctx.park.year(year)
    if record is None:
        facts = f"未录入{year}年度园区活动和就业数据"
        facts_en = f"No events or employment figures recorded for {year}"
        measured = None
    else:
        facts = (
            f"{year}年度举办活动{record.events_held}场，促进就业{record.employment_promoted}人，"
            f"服务{record.people_served}人次"
        )
        facts_en = (
            f"In {year}: {record.events_held} events, {record.employment_promoted} people helped into employment, "
            f"{record.people_served} people served"
        )
        measured = {
            "year": year,
            "events_held": record.events_held,
            "employment_promoted": record.employment_promoted,
            "people_served": record.people_served,
        }
    return criterion.result(
        NEEDS_JUDGEMENT,
        measured,
        None,
        f"{facts}；请评审小组判断产业园在促进就业创业、人才引进培育、劳动力转移、服务经济社会发展等方面是否发挥重要作用",
        f"{facts_en}. The panel judges the park's part in employment, talent, labour transfer and local development",
    )
