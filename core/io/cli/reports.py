"""What the `hrpark` commands print: each report as a JSON-ready dict and as readable text,
built from the plugins' answers (the command module only reads arguments and prints)."""
import datetime
from decimal import Decimal

from core.records import vocab
from core.rules.on_date import diff_rules, numbers_in_force
from core.io.cli.tables import EMPTY, bilingual, plain, table, yuan

UNIT_LABELS = {
    "count": "个/家",
    "persons": "人",
    "working_days": "个工作日",
    "days": "天",
    "sites": "个",
    "years": "年",
    "months": "个月",
    "quarter": "季度",
    "m2": "㎡",
    "yuan": "元",
    "yuan_per_person": "元/人",
    "ratio": "比例",
    "score": "分",
    "bool": "是/否",
    "text": "",
    "date": "",
}

GUARD_LABELS = {
    "materials_complete": "必备材料齐全",
    "eligibility_clear": "各项条件已符合、豁免或经评审认定",
    "notice_open": "开始公示",
    "notice_period_over": "公示期满",
    "no_objections": "公示无异议",
    "remark_required": "须填写意见",
    "recognise": "认定并冠名",
}

OUTCOME_LABELS = {
    "eligible": ("符合认定条件", "eligible"),
    "not_eligible": ("不符合认定条件", "not eligible"),
    "pending": ("待评审：尚有需判断或可豁免的条件", "pending: conditions await a reviewer's judgement or waiver"),
    "incomplete": ("尚无法判断：部分条件缺少数据", "incomplete: facts some conditions read are not recorded yet"),
}

NOT_SET = "由部署设置，尚未录入"


#: Codes a criterion may report as measured/required, shown by their Chinese labels.
READABLE_CODES = {t.code: t.zh for v in (vocab.PUBLIC_SERVICES, vocab.OPERATOR_KINDS) for t in v}


def readable(value) -> str:
    if isinstance(value, str):
        return READABLE_CODES.get(value, value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return "、".join(READABLE_CODES.get(v, v) for v in value)
    return plain(value)


# --- hrpark plugins -------------------------------------------------------------------------------


def effective_period(info) -> str:
    if info.effective_from is None:
        return NOT_SET
    if info.effective_until is None:
        return f"{info.effective_from.isoformat()} 起"
    return f"{info.effective_from.isoformat()} 至 {info.effective_until.isoformat()}"


def _fields(item, names) -> dict:
    """{name: item.name} for each of `names`, in that order (the keys the JSON reports have always had)."""
    return {name: getattr(item, name) for name in names}


INFO_FIELDS = ("code", "name", "name_en", "level", "parent", "version", "measures_title", "name_prefix",
               "effective_from", "effective_until")


def _info_dict(info):
    return {**_fields(info, INFO_FIELDS), "effective": effective_period(info), "effective_note": info.effective_note}


def plugins_report(reg):
    """(data, text): the jurisdiction tree, city first, each county under its city."""
    tree, rows = [], []

    def visit(j, depth):
        entry = {**_info_dict(j.info), "children": []}
        rows.append(
            [
                ("　" * depth + ("└ " if depth else "")) + j.info.name,
                j.code,
                j.info.name_en,
                j.info.version or EMPTY,
                f"《{j.info.measures_title}》",
                effective_period(j.info),
            ]
        )
        for child in sorted(reg.children(j.code), key=lambda c: c.code):
            entry["children"].append(visit(child, depth + 1))
        return entry

    for city in sorted(reg.cities(), key=lambda c: c.code):
        tree.append(visit(city, 0))
    failures = [{"name": f.name, "error": f.error} for f in reg.failures]
    data = {"jurisdictions": tree, "failures": failures}
    parts = [
        "已安装的辖区 / Installed jurisdictions",
        table(rows, ["辖区 Jurisdiction", "代码 Code", "English", "版本 Version", "办法 Measures", "施行期间 In force"], {4: 50, 5: 24}),
    ]
    notes = [f"  {j.code}: {j.info.effective_note}" for j in reg if j.info.effective_note]
    if notes:
        parts.append("施行日期说明 / Where the dates come from:\n" + "\n".join(notes))
    if failures:
        parts.append(
            "加载失败的插件 / Plugins that failed to load:\n" + "\n".join(f"  ✗ {f['name']}: {f['error']}" for f in failures)
        )
    return data, "\n\n".join(parts)


# --- hrpark rules ---------------------------------------------------------------------------------


def _parameter_value_text(value, unit):
    if value is None:
        return "（该日无有效值）\nno value on that day"
    if unit == "bool":
        return "是" if value else "否"
    if unit == "yuan" and isinstance(value, (int, Decimal)):
        return f"{yuan(value)}"
    if unit == "text" and "、" in str(value):
        return _wrapped_words(str(value))
    return plain(value)


def _wrapped_words(text, width=12):
    """A 、-separated list of words (a ledger parameter's), a few words a line."""
    lines, line = [], ""
    for word in text.split("、"):
        if line and len(line) + len(word) + 1 > width:
            lines.append(line + "、")
            line = word
        else:
            line = f"{line}、{word}" if line else word
    return "\n".join(lines + [line])


def rules_report(j, today=None):
    today = today or datetime.date.today()
    parameters = [
        {
            "id": n.id,
            "value": n.value,
            "unit": n.unit,
            "reference": n.reference,  # the article governing that day's number
            "effective_from": n.effective_from,
            "local_default": n.parameter.local_default,
            "source": n.source,
            "description": n.parameter.description,
            "description_en": n.parameter.description_en,
        }
        for n in sorted(numbers_in_force(j, today), key=lambda n: n.id)
    ]
    criteria = [_fields(c, ("id", "article", "title", "title_en", "waivable", "judgement", "source"))
                for c in j.criteria(today)]
    materials = [_fields(m, ("id", "title", "title_en", "article", "required")) for m in j.materials()]
    procedure = j.procedure()
    procedure_data = {
        **_fields(procedure, ("article", "filer_role", "initial", "notice_param")),
        "states": [_fields(s, ("id", "label", "label_en", "final")) for s in procedure.states],
        "transitions": [
            {**_fields(t, ("id", "source", "target")), "roles": list(t.roles), "guards": list(t.guards),
             **_fields(t, ("label", "label_en", "article"))}
            for t in procedure.transitions
        ],
    }
    indicators = [_fields(i, ("id", "group", "label", "label_en", "article", "weight", "weight_param"))
                  for i in j.indicators(today)]
    tiers = [_fields(t, ("grade", "min_score", "label", "label_en", "article", "cutoff_param")) for t in j.grade_tiers(today)]
    ledger = [_fields(c, ("id", "label", "label_en", "article", "allowed")) for c in j.ledger_categories()]
    data = {
        "jurisdiction": _info_dict(j.info),
        "as_of": today,
        "parameters": parameters,
        "criteria": criteria,
        "materials": materials,
        "procedure": procedure_data,
        "indicators": indicators,
        "grade_tiers": tiers,
        "ledger_categories": ledger,
    }
    return data, _rules_text(j, data, procedure)


def _number_change(d):
    """A number of the diff as `rules diff --json` has always written it (the keys in that order)."""
    if d.parent is None:  # a number only the county's measures have
        return {"kind": "parameter", "id": d.id, "parent": None, "county": d.county.value, "parent_reference": "",
                "county_reference": d.county.reference, "unit": d.county.unit}
    return {"kind": "parameter", "id": d.id, "parent": d.parent.value, "county": d.county.value, "unit": d.county.unit,
            "parent_reference": d.parent.reference, "county_reference": d.county.reference}


def rules_diff(parent, county, on):
    """What `county`'s measures change of `parent`'s on day `on` (core.rules.on_date.diff_rules): each
    number that differs, each criterion it adds, replaces or drops, with the article governing each
    side (a county's measures read as a diff of its city's)."""
    diff = diff_rules(parent, county, on)
    rows = [_number_change(d) for d in sorted(diff.numbers, key=lambda d: d.id)]
    rows += [{"kind": "criterion", "id": d.id, "parent": d.parent.title if d.parent else None,
              "county": d.county.title if d.county else None, "parent_reference": d.parent.article if d.parent else "",
              "county_reference": d.county.article if d.county else "", "unit": ""}
             for d in diff.criteria]
    data = {"parent": parent.code, "county": county.code, "on": on, "changes": rows}
    text = "\n".join([
        f"《{county.info.measures_title}》相对《{parent.info.measures_title}》的改动（{on.isoformat()}）"
        f" / what {county.code} changes of {parent.code} on {on.isoformat()}",
        table(
            [[r["id"], "参数" if r["kind"] == "parameter" else "条件",
              EMPTY if r["parent"] is None else _parameter_value_text(r["parent"], r["unit"]) if r["kind"] == "parameter" else r["parent"],
              r["parent_reference"] or EMPTY,
              EMPTY if r["county"] is None else _parameter_value_text(r["county"], r["unit"]) if r["kind"] == "parameter" else r["county"],
              r["county_reference"] or EMPTY] for r in rows],
            ["id", "类别", f"{parent.info.name}", "条款", f"{county.info.name}", "条款"],
        ) if rows else "（无改动 / no changes）",
    ])
    return data, text


def _notice_length(data, procedure):
    for p in data["parameters"]:
        if p["id"] == procedure.notice_param:
            local = "，本地默认值" if p["local_default"] and "本地默认值" not in p["reference"] else ""
            return f"{plain(p['value'])}个工作日（参数 {p['id']}，{p['reference']}{local}）"
    return f"参数 {procedure.notice_param}"


def _rules_text(j, data, procedure):
    info = j.info
    local_default_ids = {p["id"] for p in data["parameters"] if p["local_default"]}

    def local_note(parameter_id):
        return "（本地默认值）" if parameter_id in local_default_ids else ""

    parameters = [
        [p["id"], _parameter_value_text(p["value"], p["unit"]), UNIT_LABELS.get(p["unit"], p["unit"]), p["reference"],
         plain(p["effective_from"]), "本地默认值\nlocal default" if p["local_default"] else "办法规定", p["source"],
         bilingual(p["description"], p["description_en"])]
        for p in data["parameters"]
    ]
    criteria = [
        [c["id"], c["article"], bilingual(c["title"], c["title_en"]), "原则上，可豁免\nwaivable" if c["waivable"] else EMPTY,
         "需评审判断\njudgement" if c["judgement"] else "可计算\ncomputed", c["source"]]
        for c in data["criteria"]
    ]
    materials = [[m["id"], m["article"], bilingual(m["title"], m["title_en"]), "必备" if m["required"] else "可选 optional"]
                 for m in data["materials"]]
    states = [[s.id, bilingual(s.label, s.label_en), "终态 final" if s.final else EMPTY] for s in procedure.states]
    transitions = [
        [t.id, f"{t.source} → {t.target}", "、".join(vocab.ROLES.label(r) for r in t.roles),
         "\n".join(f"{g}（{GUARD_LABELS.get(g, g)}）" for g in t.guards) or EMPTY, t.article, bilingual(t.label, t.label_en)]
        for t in procedure.transitions
    ]
    indicators = [[i["id"], i["group"], bilingual(i["label"], i["label_en"]), plain(i["weight"]) + local_note(i["weight_param"]),
                   i["article"]] for i in data["indicators"]]
    tiers = [[f"{t['label']} {t['grade']}", f"≥ {plain(t['min_score'])}" + local_note(t["cutoff_param"]), t["article"],
              t["cutoff_param"] or EMPTY] for t in data["grade_tiers"]]
    ledger = [[c["id"], bilingual(c["label"], c["label_en"]), "允许 allowed" if c["allowed"] else "禁止 forbidden", c["article"]]
              for c in data["ledger_categories"]]
    parts = [
        f"{info.name}（{info.code}）《{info.measures_title}》 插件版本 {info.version or EMPTY}",
        f"施行期间 / In force: {effective_period(info)}　{info.effective_note}",
        f"参数（{data['as_of'].isoformat()} 有效值） / Parameters in force on {data['as_of'].isoformat()}",
        table(parameters, ["参数 id", "值 Value", "单位", "条款 Article", "生效日期", "性质", "来源", "说明 Description"],
              {3: 18, 7: 40}),
        "认定条件 / Criteria",
        table(criteria, ["id", "条款 Article", "条件 Condition", "原则上 Waivable", "性质 Kind", "来源"], {2: 36}),
        "申报材料 / Materials",
        table(materials, ["id", "条款 Article", "材料 Material", "必备 Required"], {2: 48}),
        f"认定程序（{procedure.article}；申报人：{vocab.ROLES.label(procedure.filer_role)}；"
        f"公示期：{_notice_length(data, procedure)}） / Procedure",
        table(states, ["状态 State", "名称", "终态"], {1: 48}),
        table(transitions, ["步骤 Transition", "状态变化", "角色 Roles", "前提 Guards", "条款 Article", "说明"],
              {2: 16, 4: 16, 5: 30}),
        "年度考核指标 / Assessment indicators",
        table(indicators, ["指标 id", "类别", "指标 Indicator", "权重 Weight", "条款 Article"], {2: 30}),
        "等次 / Grade tiers",
        table(tiers, ["等次 Grade", "最低分 Min score", "条款 Article", "参数"]),
        "奖补资金使用范围 / Ledger categories",
        table(ledger, ["类别 id", "用途 Use", "允许", "条款 Article"], {1: 48}),
    ]
    return "\n\n".join(parts)


# --- hrpark evaluate / whatif -----------------------------------------------------------------


def outcome_text(outcome):
    zh, en = OUTCOME_LABELS.get(outcome, (outcome, outcome))
    return f"{zh} / {en}"


def evaluation_data(evaluation, info):
    data = {**evaluation.as_dict(), "jurisdiction_name": info.name, "measures_title": info.measures_title,
            "outcome_label": OUTCOME_LABELS.get(evaluation.outcome, (evaluation.outcome,))[0]}
    for result in data["results"]:
        result["status_label"] = vocab.CRITERION_STATUSES.label(result["status"])
    return data


def evaluation_text(evaluation, info, dossier_jurisdiction=None):
    header = [
        f"{info.name}《{info.measures_title}》",
        f"园区 Park: {evaluation.park}　申报年度 Year: {evaluation.year}　"
        f"统计日 As of: {evaluation.as_of.isoformat()}（入驻机构按此日计，营业收入取{evaluation.year - 1}年）",
    ]
    if dossier_jurisdiction and dossier_jurisdiction != info.code:
        header.append(
            f"注意：档案所属辖区为 {dossier_jurisdiction}，此处按{info.name}办法假设评估 — "
            f"the dossier belongs to {dossier_jurisdiction}; evaluated under {info.name_en}'s measures as a what-if"
        )
    rows = [
        [
            r.article,
            bilingual(r.title, r.title_en),
            f"{vocab.CRITERION_STATUSES.label(r.status)}\n{r.status}",
            readable(r.measured),
            readable(r.required),
            bilingual(r.explanation, r.explanation_en),
        ]
        for r in evaluation.results
    ]
    parts = [
        "\n".join(header),
        table(rows, ["条款 Article", "条件 Condition", "结论 Status", "实测 Measured", "要求 Required", "说明 Explanation"], {1: 18, 3: 20, 4: 20, 5: 40}),
        f"结论 / Outcome: {outcome_text(evaluation.outcome)}",
    ]
    if evaluation.warnings:
        parts.append("提示 / Warnings:\n" + "\n".join(f"  ! {w}" for w in evaluation.warnings))
    return "\n\n".join(parts)


def _count(evaluation, status):
    return sum(1 for r in evaluation.results if r.status == status)


def whatif_text(evaluations, dossier_jurisdiction=None):
    """The park under every installed jurisdiction: a side-by-side summary, then each in full."""
    summary = []
    for j, evaluation in evaluations:
        blocking = [f"{r.article} {r.title}（{vocab.CRITERION_STATUSES.label(r.status)}）" for r in evaluation.results if r.status in ("not_met", "not_met_waivable", "missing_data")]
        summary.append(
            [
                f"{j.info.name}\n{j.code}",
                outcome_text(evaluation.outcome).replace(" / ", "\n"),
                _count(evaluation, "met"),
                _count(evaluation, "not_met"),
                _count(evaluation, "not_met_waivable"),
                _count(evaluation, "needs_judgement"),
                "\n".join(blocking) or EMPTY,
            ]
        )
    first = evaluations[0][1] if evaluations else None
    head = "同一园区在各辖区办法下的评估 / The same park under every installed jurisdiction"
    if first is not None:
        head += f"\n园区 Park: {first.park}　申报年度 Year: {first.year}　统计日 As of: {first.as_of.isoformat()}"
    parts = [
        head,
        table(summary, ["辖区", "结论 Outcome", "符合", "不符合", "可豁免", "需判断", "未满足的条件 Not met"], {1: 20, 6: 40}),
    ]
    for j, evaluation in evaluations:
        parts.append("=" * 20)
        parts.append(evaluation_text(evaluation, j.info, dossier_jurisdiction))
    return "\n\n".join(parts)


# --- hrpark subsidy -----------------------------------------------------------------------------


def _proposal_status(p):
    if p.held:
        return "暂缓兑现（整改中）\nheld while rectifying"
    if p.withheld:
        return "不予兑现\nwithheld"
    if not p.due:
        return "不发放\nnot due"
    return "应发放\ndue"


def subsidy_data(j, context, proposals):
    total = sum((Decimal(p.amount) for p in proposals if p.due and not p.withheld), Decimal("0"))
    items = [{**p.as_dict(), "amount": format(Decimal(str(p.amount)).quantize(Decimal("0.01")), "f")} for p in proposals]
    return {
        "jurisdiction": j.code,
        "park": context.park.name,
        "year": context.year,
        "recognised_on": context.recognised_on,
        "recognition_status": context.recognition_status,
        "grades": {str(k): v for k, v in sorted(context.grades.items())},
        "proposals": items,
        "total_due": format(total.quantize(Decimal("0.01")), "f"),
    }


def subsidy_text(j, context, proposals, data):
    recognition = (
        f"{context.recognised_on.isoformat()}（{vocab.RECOGNITION_STATUSES.label(context.recognition_status or 'active')}）"
        if context.recognised_on
        else "未认定 / not recognised"
    )
    grades = "、".join(f"{y}年{vocab.GRADES.label(g)}" for y, g in sorted(context.grades.items())) or "无 / none"
    rows = [
        [
            f"{p.rule_id}\n{p.kind}",
            p.article,
            p.year,
            yuan(p.amount),
            _proposal_status(p),
            bilingual(p.explanation, p.explanation_en),
        ]
        for p in proposals
    ]
    parts = [
        f"{j.info.name}《{j.info.measures_title}》 补贴测算 / Subsidy what-if",
        f"园区 Park: {context.park.name}　年度 Year: {context.year}\n认定 Recognised: {recognition}\n考核等次 Grades: {grades}",
        table(rows, ["规则 Rule", "条款 Article", "年度", "金额（元）", "状态 Status", "说明 Explanation"], {1: 16, 5: 52}),
        f"合计应发 / Total due: {yuan(data['total_due'])} 元",
    ]
    return "\n\n".join(parts)


IMPACT_KINDS = {"eligibility": "认定条件", "grade": "考核等次", "subsidy": "补贴"}


def impact_text(report):
    head = (f"《{report.programme}》修订“{report.revision}”（{report.effective_from.isoformat()}起）对现行“{report.current}”的影响："
            f"测算{report.year}年，名录{report.parks_judged}个园区，{len(report.parks)}个会变 / impact of {report.revision} on "
            f"{report.parks_judged} parks: {len(report.parks)} change")
    moved = table([[pid, plain(before), plain(after), reference] for pid, before, after, reference in report.moved_parameters],
                  ["参数 id", "现行", "修订", "条款 Article"])
    def side(c, key):
        if c["what"] == "eligibility":
            return "；".join(f"{x['title']}：{x[key]}" for x in c["criteria"])
        if c["what"] == "grade":
            return f"{c[key]}（{c['total_' + key]}）"
        return plain(c[key])

    rows = [[p.park, IMPACT_KINDS.get(c["what"], c["what"]) + (f"（{c.get('kind') or c.get('year')}）" if c.get("kind") or c.get("year") else ""),
             side(c, "before"), side(c, "after"), "、".join(a for a in c["articles"] if a)]
            for p in report.parks for c in p.changes]
    parks = table(rows, ["园区 Park", "变化 What", "现行 Current", "修订 Revised", "条款 Articles"]) if rows else "（没有园区会变 / no park changes）"
    return "\n\n".join([head, "修订改动的数值 / numbers the revision changes", moved, "会变的园区 / parks that change", parks])


# --- hrpark ladder ------------------------------------------------------------------------------


def ladder_text(park, data):
    """A park's ladder (core.rules.programmes.ladder_as_dict): the line in Chinese and English, then each
    rung with its version and the conditions short, article by article."""
    rows = []
    for rung in data["rungs"]:
        programme = f"{rung['title']}\n{rung['programme']}" if rung["title"] else rung["programme"]
        short = [f"{c['article']} {bilingual(c['title'], c['title_en'])}" for c in rung["short"]]
        rows.append([rung["text"], programme, rung["version"] or EMPTY, "\n".join(short) or EMPTY])
    head = (f"园区 #{park.id}“{park.name}”（{park.jurisdiction.name_zh}）的认定层级，{data['on']} / "
            f"the ladder of park #{park.id} on {data['on']}")
    if not rows:
        return f"{head}\n没有可申报的办法 / no programme is open to this park"
    return "\n\n".join([
        f"{head}\n{data['text']}\n{data['text_en']}",
        table(rows, ["层级 Rung", "办法 Programme", "版本 Version", "所差条件 Conditions short"], {0: 24, 1: 30, 3: 40}),
    ])
