"""A programme's criteria, materials, procedure, indicators and grade tiers built from the YAML files
beside its plugin (criteria.yaml, materials.yaml, procedure.yaml, assessment.yaml).

A county's file beside its own plugin replaces its city's items by id and appends its own
(core.rules.programme_data.load_items); an item's `source` is the programme whose file declared it.
Texts naming a parameter as `{id}` read its value in force on the day asked about, so a county
changing the number changes the title with it. What data cannot say — the function computing a
criterion — is named by `check:` and looked up in the plugin's `checks` mapping.
"""
import datetime
import inspect
from dataclasses import replace
from pathlib import Path

from core.rules.programme_data import (
    ConsequenceSchema,
    CriterionSchema,
    DocumentSchema,
    GradeTierSchema,
    IndicatorSchema,
    MaterialSchema,
    ProcedureSchema,
    StateSchema,
    TransitionSchema,
    fill,
    load_items,
    template_fields,
    load_mapping,
    read_located,
)


def declared_files(plugin, filename):
    """(code, path) of each programme from the city down whose plugin folder has `filename`."""
    found = []
    for cls in reversed(type(plugin).__mro__):
        code = cls.__dict__.get("code")
        if not code or cls.__module__ == "core.plugin.base":
            continue
        path = Path(inspect.getfile(cls)).parent / filename
        if path.exists() and all(path != p for _, p in found):
            found.append((code, path))
    if not found:
        raise NotImplementedError(f"{type(plugin).__name__}: no {filename}")
    return found


def _remembered(plugin, key, load):
    """What `load()` answers, read once per plugin object: the files do not change while it runs,
    and a programme's rules are asked for on every evaluation."""
    memo = plugin.__dict__.setdefault("_declared_memo", {})
    if key not in memo:
        memo[key] = load()
    return memo[key]


def declared(plugin, filename, section, schema, references=None, names=None):
    """The items of `section` in `filename`, from the city down, each with the `source` that declared it;
    `names`: what a text may name as `{…}` (default: the programme's parameters); `schema`: the
    marshmallow class reading them, made only when the file is read. Read once per plugin object."""
    return _remembered(plugin, (filename, section), lambda: _declared(plugin, filename, section, schema, references, names))


def _declared(plugin, filename, section, schema, references, names):
    schema = schema() if isinstance(schema, type) else schema
    items = []
    for code, path in declared_files(plugin, filename):
        if items and section not in read_located(path):
            continue
        inherited = {id(item) for item in items}
        merged = load_items(path, section, schema, plugin.parameters if names is None else names, base=items,
                            references=references)
        items = [item if id(item) in inherited else {**item, "source": code} for item in merged]
    return items


# --- criteria ---------------------------------------------------------------------------------------


def declared_criterion_items(plugin):
    """criteria.yaml's items as declared (dicts), from the city down."""
    references = {"check": (getattr(plugin, "checks", {}), "检查函数", "check function"),
                  "measure": (getattr(plugin, "measures", {}), "度量函数", "measure function")}
    return declared(plugin, "criteria.yaml", "criteria", CriterionSchema, references)


def declared_criteria(plugin, on: datetime.date):
    """The criteria of criteria.yaml, their texts filled with the numbers in force on `on`."""
    from core.rules.criteria import Criterion, judgement_criterion, threshold

    checks = getattr(plugin, "checks", {})
    criteria = []
    for item in declared_criterion_items(plugin):
        text = {key: fill(item[key], plugin.parameters, on) for key in ("title", "title_en", "explanation", "explanation_en")}
        waivable = item["waivable"] or bool(item["waivable_parameter"] and plugin.parameters.value(item["waivable_parameter"], on))
        if item["measure"]:
            check = threshold(plugin.measures[item["measure"]], item["at_least"] or item["at_most"], bool(item["at_most"]))
        if item["check"] or item["measure"]:
            criterion = Criterion(item["id"], item["article"], text["title"], text["title_en"],
                                  checks[item["check"]] if item["check"] else check, judgement=item["judgement"],
                                  texts={name: tuple(pair) for name, pair in item["texts"].items()})
        else:
            criterion = judgement_criterion(item["id"], item["article"], text["title"], text["title_en"],
                                            text["explanation"], text["explanation_en"])
        criteria.append(replace(criterion, waivable=waivable, source=item["source"], parameters=tuple(item["parameters"]),
                                waivable_parameter=item["waivable_parameter"]))
    return criteria


# --- documents --------------------------------------------------------------------------------------


def declared_documents(plugin):
    """The documents of documents.yaml, from the city down: each `<code>.<id>`, its template
    templates/<id>.html beside the file that declares it, under that file's `number_prefix`."""
    from core.io.documents.registry import DocumentTemplate

    contexts = getattr(plugin, "document_contexts", {})
    references = {"context": (contexts, "文书上下文函数", "document context function")}
    items = declared(plugin, "documents.yaml", "documents", DocumentSchema, references)
    files = dict(declared_files(plugin, "documents.yaml"))
    templates = []
    for item in items:
        path = files[item["source"]]
        number_prefix = _remembered(plugin, ("documents.yaml", "number_prefix", path),
                                    lambda path=path: read_located(path).get("number_prefix", ""))
        templates.append(DocumentTemplate(
            id=f"{item['source']}.{item['id']}", title=item["title"], title_en=item["title_en"],
            record_kind=item["record_kind"], article=item["article"], path=path.parent / "templates" / f"{item['id']}.html",
            source=item["source"], number_prefix=number_prefix if item["numbered"] else "",
            extra_context=contexts.get(item["context"]) if item["context"] else None,
        ))
    return templates


# --- materials, indicators, grade tiers -------------------------------------------------------------


def declared_materials(plugin):
    from core.rules.procedure import MaterialSpec

    return [MaterialSpec(item["id"], item["title"], item["title_en"], item["article"], required=item["required"])
            for item in declared(plugin, "materials.yaml", "materials", MaterialSchema)]


def declared_indicators(plugin, on: datetime.date):
    from core.rules.assessment import Indicator

    return [Indicator(item["id"], item["group"] or item["label"], item["label"], item["label_en"], item["article"],
                      weight=plugin.parameters.value(item["weight_parameter"], on), weight_param=item["weight_parameter"])
            for item in declared(plugin, "assessment.yaml", "indicators", IndicatorSchema)]


def declared_grade_tiers(plugin, on: datetime.date):
    from core.rules.assessment import GRADE_ORDER, GradeTier

    grades = {"id": (GRADE_ORDER, "等次", "grade")}
    return [GradeTier(item["id"], plugin.parameters.value(item["cutoff_parameter"], on) if item["cutoff_parameter"] else 0,
                      item["label"], item["label_en"], item["article"], item["cutoff_parameter"])
            for item in declared(plugin, "assessment.yaml", "grade_tiers", GradeTierSchema, grades)]


# --- procedure --------------------------------------------------------------------------------------


def declared_procedure(plugin):
    """The procedure of procedure.yaml (the nearest programme's file: a county declaring none follows its city's)."""
    return _remembered(plugin, ("procedure.yaml",), lambda: _declared_procedure(plugin))


def _declared_procedure(plugin):
    from core.rules.procedure import GUARDS, Procedure, ReviewStage, State, Transition
    from core.records.vocab import ROLES

    _code, path = declared_files(plugin, "procedure.yaml")[-1]
    data = read_located(path)
    roles = (ROLES.codes(), "角色", "role")
    states = load_items(path, "states", StateSchema(), plugin.parameters, data=data)
    state_ids = ([s["id"] for s in states], "状态", "state")
    head = load_mapping(path, ProcedureSchema(), plugin.parameters, data=data, references={
        "initial": state_ids, "filer_role": roles, "states": state_ids, "roles": roles})
    transitions = load_items(path, "transitions", TransitionSchema(), plugin.parameters, data=data, references={
        "source": state_ids, "target": state_ids, "roles": roles, "guards": (GUARDS, "前提条件", "guard")})

    def stage(value):
        return ReviewStage(tuple(value["states"]), tuple(value["roles"]), value["article"]) if value else None

    return Procedure(
        states=tuple(State(s["id"], s["label"], s["label_en"], final=s["final"]) for s in states),
        transitions=tuple(Transition(t["id"], t["source"], t["target"], tuple(t["roles"]), t["label"], t["label_en"],
                                     t["article"], tuple(t["guards"])) for t in transitions),
        initial=head["initial"],
        filer_role=head["filer_role"],
        notice_param=head["notice_parameter"],
        article=head["article"],
        verdict_stage=stage(head["verdict_stage"]),
        waiver_stage=stage(head["waiver_stage"]),
    )


# --- what a grade history leads to ------------------------------------------------------------------


RECTIFICATION_OUTCOMES = (None, "pending", "passed", "failed")


def check_history(history):
    """Raise on a record whose grade or rectification outcome is none the measures know."""
    from core.rules.assessment import GRADE_ORDER

    for record in history:
        if record.grade not in GRADE_ORDER:
            raise ValueError(f"{record.year}年度考核等次“{record.grade}”无法识别，应为 excellent、qualified 或 unqualified — "
                             f"unknown grade {record.grade!r} for {record.year}")
        if record.rectification not in RECTIFICATION_OUTCOMES:
            raise ValueError(f"{record.year}年度考核的整改结果“{record.rectification}”无法识别，应为空、pending、passed 或 failed — "
                             f"unknown rectification outcome {record.rectification!r} for {record.year}")


def declared_consequences(plugin, history, on: datetime.date):
    """The consequences assessment.yaml attaches to the latest record of `history` (oldest first), in
    file order; their texts name that record's year and the numbers in force on `on`."""
    from core.rules.assessment import KINDS, Consequence

    history = list(history)
    if not history:
        return []
    check_history(history)
    latest = history[-1]
    previous = {r.year: r for r in history[:-1]}.get(latest.year - 1)
    facts = {"grade": latest.grade, "rectification": latest.rectification,
             "previous_grade": previous.grade if previous else "none"}
    references = {"kind": (KINDS, "后果类别", "consequence kind")}
    names = {"year", "previous_year", *plugin.parameters.parameters}  # the assessed year, the year before, the numbers
    items = declared(plugin, "assessment.yaml", "consequences", ConsequenceSchema, references, names)
    values = {"year": latest.year, "previous_year": latest.year - 1}
    consequences = []
    for item in items:
        if item["dropped"] or any(facts[key] not in allowed for key, allowed in item["when"].items()):
            continue
        text = {}
        for key in ("explanation", "explanation_en"):
            numbers = {pid: fill(f"{{{pid}}}", plugin.parameters, on) for pid in template_fields(item[key]) if pid not in values}
            text[key] = item[key].format(**values, **numbers)
        months = item["deadline_months_parameter"]
        consequences.append(Consequence(
            item["kind"], item["article"], text["explanation"], text["explanation_en"],
            year=latest.year if item["applies_to_year"] else None,
            deadline_months=plugin.parameters.value(months, on) if months else None,
            subsidy_kinds=tuple(item["subsidy_kinds"]), failure_from_deadline=item["failure_from_deadline"],
        ))
    return consequences
