"""The conformance checks of a jurisdiction plugin (`hrpark plugin check CODE`, and the
`hrpark_conformance` fixture a plugin's own tests use).

Each check is a function of a `Subject` (the plugin, its jurisdiction, the registry it was loaded
in) returning `Finding`s that name the plugin and the fault, in Chinese then English. Core's seven
(CHECK_LABELS, contributed by core.plugin.defaults) run first, then those the hook
`hrpark_plugin_checks` collects from add-ons and programmes. The questions are asked, and the samples
set, inside the programme's effective period (core.world.samples.sample_day). The dated rules are
checked in core/plugin/conformance_dates.py; the other jurisdictions' answers are compared
(core/plugin/fingerprints.py) in two fresh processes, without and with the plugin's entry point, so
nothing the plugin's import changed can hide.
"""
import dataclasses
import importlib.metadata
from pathlib import Path

import yaml

from core.plugin import conformance_dates
from core.plugin.base import JurisdictionPlugin
from core.records import vocab
from core.rules.declared_programme import declared_files
from core.rules.assessment import Consequence, GradeTier, Indicator
from core.io.documents.registry import DocumentTemplate
from core.rules.jurisdiction import ARTICLE, JurisdictionInfo
from core.rules.ledger import LedgerCategory
from core.rules.parameters import ParameterSet
from core.plugin.fingerprints import fingerprints_in_fresh_processes
from core.world.samples import early_sample_day, sample_day, sample_history_set, sample_subsidy_context
from core.plugin.registry import (
    ADDON_PREFIX, ENTRY_POINT_GROUP, Jurisdiction, UnknownJurisdiction, build_manager, collect, load_registry,
)
from core.rules.procedure import MaterialSpec, Procedure
from core.rules.criteria import Criterion
from core.rules.subsidy import SubsidyProposal

ERROR = "error"
WARNING = "warning"

#: core's check id -> (Chinese, English), in the order the checks run.
CHECK_LABELS = {
    "loads": ("插件加载", "the plugin loads"),
    "hooks": ("每个规则方法和钩子都有回答", "every rule method and hook answers"),
    "parameters": ("参数注明条款和生效日期", "parameters cite an article and a start date"),
    "overrides": ("覆盖的对象在上级办法中存在", "overrides target what the parent has"),
    "dates": ("各版本和各变更日的规则都可以生成", "every version and every dated change builds"),
    "templates": ("文书模板可以生成", "document templates render"),
    "isolation": ("只为本辖区回答，不改变其他辖区", "answers only for itself, leaves the others unchanged"),
}



@dataclasses.dataclass(frozen=True)
class Finding:
    plugin: str  # the jurisdiction code (or entry point name) of the plugin at fault
    check: str  # one of CHECK_LABELS
    fault: str  # Chinese
    fault_en: str
    severity: str = ERROR

    def __str__(self):
        mark = "错误 error" if self.severity == ERROR else "警告 warning"
        return f"[{mark}] {self.plugin}: {self.fault} — {self.fault_en}"

    def as_dict(self):
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Subject:
    """The plugin under check, however far it got in loading."""

    name: str  # what the user asked for: a jurisdiction code or an entry point name
    registry: object
    entry_points: list
    entry_point: object = None
    plugin: object = None
    jurisdiction: object = None  # core.plugin.registry.Jurisdiction, None when it failed to load
    failure: object = None  # core.plugin.registry.PluginFailure
    load_error: str = ""  # the entry point itself could not be loaded
    sample_day: object = None  # the day its rules are asked on (core.world.samples.sample_day)
    days: list = dataclasses.field(default_factory=list)  # the days the dates check built the rules on

    @property
    def code(self):
        return self.jurisdiction.code if self.jurisdiction is not None else self.name


@dataclasses.dataclass(frozen=True)
class Check:
    """One check of `hrpark plugin check`, as the hook `hrpark_plugin_checks` collects it."""

    id: str
    label: str  # Chinese
    label_en: str
    run: object  # run(subject, answers) -> [Finding]


@dataclasses.dataclass
class Report:
    name: str
    findings: list
    checks: list  # the check ids run
    labels: dict = dataclasses.field(default_factory=lambda: dict(CHECK_LABELS))  # id -> (zh, en)
    version: str = ""
    jurisdiction_name: str = ""
    days: list = dataclasses.field(default_factory=list)  # the days the dates check built the rules on

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def passed(self):
        return not self.errors

    def as_dict(self):
        return {
            "plugin": self.name,
            "jurisdiction_name": self.jurisdiction_name,
            "version": self.version,
            "passed": self.passed,
            "checks": [
                {"id": c, "label": self.labels[c][0], "label_en": self.labels[c][1],
                 "passed": not [f for f in self.errors if f.check == c]}
                for c in self.checks
            ],
            "days": [day.isoformat() for day in self.days],
            "findings": [f.as_dict() for f in self.findings],
        }

    def text(self):
        title = f"插件检查 / Plugin check: {self.name}"
        if self.jurisdiction_name:
            title += f"（{self.jurisdiction_name}，插件版本 {self.version or '—'}）"
        lines = [title]
        for check in self.checks:
            zh, en = self.labels[check]
            errors = [f for f in self.errors if f.check == check]
            warnings = [f for f in self.warnings if f.check == check]
            lines.append(f"{'✗' if errors else '✓'} {zh} / {en}")
            if check == "dates":
                days = "、".join(day.isoformat() for day in self.days) or "—"
                lines.append(f"    检查的日期 / days checked: {days}")
            lines.extend(f"    {f}" for f in errors + warnings)
        if self.passed:
            verdict = "通过 / passed"
            if self.warnings:
                verdict += f"（{len(self.warnings)} 条警告 / {len(self.warnings)} warning(s)）"
        else:
            verdict = f"未通过：{len(self.errors)} 处错误 / failed: {len(self.errors)} error(s)"
        lines.append(f"结论 / Result: {verdict}")
        return "\n".join(lines)


# --- finding the plugin -------------------------------------------------------------------------


def find_subject(name, registry=None, entry_points=None) -> Subject:
    """The plugin known as `name` (its jurisdiction code or its entry point's name)."""
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    entry_points = list(entry_points)
    registry = registry if registry is not None else load_registry(entry_points)
    by_name = {ep.name: ep for ep in entry_points}
    subject = Subject(name=name, registry=registry, entry_points=entry_points)
    loaded_as = {ep_name: code for code, ep_name in registry.entry_point_names.items()}
    code = name if name in registry else loaded_as.get(name)  # an entry point may answer under another code
    if code is not None:
        subject.jurisdiction = registry.get(code)
        subject.plugin = subject.jurisdiction.plugin
        subject.entry_point = by_name.get(registry.entry_point_names.get(code))
        return subject
    failure = next((f for f in registry.failures if f.name == name), None)
    if failure is None and name not in by_name:
        known = registry.codes() + [f.name for f in registry.failures]
        raise UnknownJurisdiction(name, known)
    subject.failure = failure
    subject.entry_point = by_name.get(name)
    if subject.entry_point is not None:
        try:
            plugin = subject.entry_point.load()
            subject.plugin = plugin() if isinstance(plugin, type) else plugin
        except Exception as exc:
            subject.load_error = f"{type(exc).__name__}: {exc}"
    return subject


def _finding(subject, check, zh, en, severity=ERROR):
    return Finding(subject.name, check, zh, en, severity)


# --- loads ------------------------------------------------------------------------------------------


def check_loads(subject):
    findings = []
    if subject.failure is not None:
        findings.append(_finding(subject, "loads", f"插件未能加载：{subject.failure.error}", "the plugin failed to load"))
    elif subject.load_error:
        findings.append(_finding(subject, "loads", f"入口点无法导入：{subject.load_error}", "the entry point cannot be imported"))
    if subject.jurisdiction is not None and subject.entry_point is not None and subject.entry_point.name != subject.code:
        findings.append(_finding(
            subject, "loads",
            f"入口点名称 {subject.entry_point.name} 与辖区代码 {subject.code} 不一致，加载失败时只以入口点名称报告",
            f"the entry point {subject.entry_point.name!r} is not named after the code {subject.code!r}; "
            f"load failures are reported under the entry point's name",
            WARNING,
        ))
    return findings


# --- hooks ------------------------------------------------------------------------------------------


def rules_of(subject):
    """(the subject's core.plugin.registry.Jurisdiction, error): the registry's, or one built here when the
    registry refused the plugin (its manager holding its installed parents and the add-ons)."""
    if subject.jurisdiction is not None:
        return subject.jurisdiction, None
    try:
        info = subject.plugin.info()
        code = info.code if info is not None else subject.name
        manager = build_manager(subject.plugin, code, subject.registry.ancestors(getattr(info, "parent", None)),
                                subject.registry.addons)
        return Jurisdiction(subject.plugin, manager), None
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _listed(kind, allow_empty=False):
    return ("list", kind, allow_empty)


#: question -> (how to ask it of a Jurisdiction given the answered parameters and the sample day,
#: what it must return). The plugin's own methods are asked directly, so that None shows; the
#: criteria, documents and facts through the Jurisdiction, with what the hooks add.
QUESTIONS = {
    "info": (lambda rules, params, day: rules.plugin.info(), JurisdictionInfo),
    "parameters": (lambda rules, params, day: rules.plugin.parameters, ParameterSet),
    "criteria": (lambda rules, params, day: rules.criteria(day), _listed(Criterion)),
    "materials": (lambda rules, params, day: rules.plugin.materials(), _listed(MaterialSpec)),
    "procedure": (lambda rules, params, day: rules.plugin.procedure(), Procedure),
    "indicators": (lambda rules, params, day: rules.plugin.indicators(day), _listed(Indicator)),
    "grade_tiers": (lambda rules, params, day: rules.plugin.grade_tiers(day), _listed(GradeTier)),
    "consequences": (
        lambda rules, params, day: [c for h in sample_history_set(day.year)
                                    for c in (rules.plugin.consequences(h, day) or [])],
        _listed(Consequence, allow_empty=True),
    ),
    "subsidies": (
        lambda rules, params, day: rules.plugin.subsidies(
            dataclasses.replace(sample_subsidy_context(recognised_on=early_sample_day(day, 3, 1)), parameters=params)),
        _listed(SubsidyProposal, allow_empty=True),
    ),
    "ledger_categories": (lambda rules, params, day: rules.plugin.ledger_categories(), _listed(LedgerCategory)),
    "document_templates": (lambda rules, params, day: rules.document_templates(), _listed(DocumentTemplate, allow_empty=True)),
    "facts": (lambda rules, params, day: rules.facts(), dict),
    "recognised_name": (lambda rules, params, day: rules.plugin.recognised_name("示例人力资源服务产业园"), str),
}


def _wrong_answer(answer, expected):
    """What is wrong with `answer` for `expected` (a type or a _listed spec), or ''."""
    if answer is None:
        return "没有回答（None）", "answered nothing (None)"
    if isinstance(expected, tuple):
        _, kind, allow_empty = expected
        if not isinstance(answer, (list, tuple)):
            return f"应返回列表，实为 {type(answer).__name__}", f"should return a list, not {type(answer).__name__}"
        if not answer and not allow_empty:
            return "返回了空列表", "returned an empty list"
        wrong = sorted({type(item).__name__ for item in answer if not isinstance(item, kind)})
        if wrong:
            return (f"列表中应为 {kind.__name__}，实有 {', '.join(wrong)}",
                    f"list items should be {kind.__name__}, found {', '.join(wrong)}")
        return "", ""
    if not isinstance(answer, expected):
        return f"应返回 {expected.__name__}，实为 {type(answer).__name__}", f"should return {expected.__name__}, not {type(answer).__name__}"
    if expected is str and not answer.strip():
        return "返回了空字符串", "returned an empty string"
    return "", ""


def answer_hooks(subject):
    """({question: answer}, [Finding]) — every question of QUESTIONS asked once of the subject."""
    findings, answers = [], {}
    if subject.plugin is None:
        return answers, findings
    rules, error = rules_of(subject)
    if rules is None:
        findings.append(_finding(subject, "hooks", f"插件的规则无法读取（读取插件时出错）：{error}",
                                 "the plugin's rules cannot be read (reading the plugin failed)"))
        return answers, findings
    params = rules.parameters
    subject.sample_day = _sample_day(subject, rules, params)
    for name, (ask, expected) in QUESTIONS.items():
        try:
            answer = ask(rules, params, subject.sample_day)
        except Exception as exc:
            findings.append(_finding(subject, "hooks", f"规则 {name}() 出错：{type(exc).__name__}: {exc}",
                                     f"the rules' {name}() raised {type(exc).__name__}"))
            continue
        zh, en = _wrong_answer(answer, expected)
        if zh:
            findings.append(_finding(subject, "hooks", f"规则 {name}() {zh}", f"the rules' {name}() {en}"))
            continue
        answers[name] = answer
    return answers, findings + unknown_roles(subject, rules.plugin, answers.get("procedure"))


def unknown_roles(subject, plugin, procedure):
    """A step of the procedure taken by a role that is neither core's nor one this programme declares
    (roles.yaml) — known to the process only because another programme declares it — by file and key."""
    if procedure is None:
        return []
    known = set(vocab.CORE_ROLES) | {role["id"] for role in getattr(plugin, "build_roles", list)()}
    where = f"{type(plugin).__name__}.build_procedure()"
    if type(plugin).build_procedure is JurisdictionPlugin.build_procedure:
        path = declared_files(plugin, "procedure.yaml")[-1][1]
        where = f"{path.parent.name}/{path.name}"
    steps = [("filer_role", (procedure.filer_role,)), *((f"transitions[{t.id}].roles", t.roles) for t in procedure.transitions),
             *((f"{name}.roles", stage.roles) for name, stage in (("verdict_stage", procedure.verdict_stage),
                                                                  ("waiver_stage", procedure.waiver_stage)) if stage)]
    return [_finding(subject, "hooks", f"{where}: {key}: 角色 {role} 既不是核心角色，也不是本办法声明的角色",
                     f"{where}: {key}: the role {role} is neither a core role nor one this programme declares (roles.yaml)")
            for key, roles in steps for role in roles if role not in known]


def _sample_day(subject, rules, params):
    """The day inside the programme's effective period its rules are asked on."""
    try:
        info = rules.plugin.info()
    except Exception:
        info = None  # the hooks check names why
    info = info if isinstance(info, JurisdictionInfo) else None
    return sample_day(info, params if isinstance(params, ParameterSet) else ParameterSet(), subject.code)


# --- dates ------------------------------------------------------------------------------------------


def check_dates(subject, answers):
    """Revisions, and the dated rules on every day the measures change (the days go to subject.days)."""
    if subject.plugin is None:
        return []
    rules, _error = rules_of(subject)
    if rules is None:  # the hooks check names why the rules cannot be read; a revision may be the cause
        problems = conformance_dates.revision_problems(subject.plugin, subject.code)
    else:
        subject.days, problems = conformance_dates.check(rules, subject.plugin, subject.code)
    return [_finding(subject, "dates", zh, en) for zh, en in problems]


# --- parameters -------------------------------------------------------------------------------------


#: (answer, its items' id, the attribute naming a parameter, where in Chinese, in English)
NAMED_PARAMETERS = [
    ("indicators", "id", "weight_param", "考核指标 {} 的权重", "the weight of indicator {}"),
    ("grade_tiers", "grade", "cutoff_param", "等次 {} 的分数线", "the cut-off of grade {}"),
    ("ledger_categories", "id", "words_parameter", "台账类别 {} 的提示词", "the words of ledger category {}"),
]


def _named_parameters(answers):
    """(where in Chinese, in English, parameter id) of every parameter the rules name."""
    procedure = answers.get("procedure")
    named = [("认定程序的公示期", "the procedure's notice period", procedure.notice_param)] if procedure else []
    for answer, id_attribute, attribute, zh, en in NAMED_PARAMETERS:
        named += [(zh.format(getattr(item, id_attribute)), en.format(getattr(item, id_attribute)),
                   getattr(item, attribute)) for item in answers.get(answer, [])]
    return [(zh, en, pid) for zh, en, pid in named if pid]


def check_parameters(subject, answers):
    parameters = answers.get("parameters")
    if parameters is None:
        return []  # the hooks check names why
    findings = []
    for p in parameters:  # the loader refuses a parameter without a reference or a dated value
        reference = p.reference.strip()
        if not ARTICLE.search(reference) and not (p.local_default and ("本地默认" in reference or "未规定" in reference)):
            findings.append(_finding(
                subject, "parameters",
                f"参数 {p.id} 的条款“{reference}”没有写明第几条（本地默认值须注明“本地默认值”）",
                f"parameter {p.id}: the reference {reference!r} names no article (a local default must say it is one)",
            ))
        if all(value is None for _, value in p.values):
            findings.append(_finding(subject, "parameters", f"参数 {p.id} 没有任何有效值", f"parameter {p.id} never has a value"))
    for where_zh, where_en, pid in _named_parameters(answers):
        if pid not in parameters:
            findings.append(_finding(subject, "parameters", f"{where_zh}引用的参数 {pid} 不存在",
                                     f"{where_en} names the parameter {pid}, which does not exist"))
    return findings


# --- overrides --------------------------------------------------------------------------------------


def _plugin_attribute(subject, attribute, findings):
    try:
        return getattr(subject.plugin, attribute, None) or {}
    except Exception as exc:
        findings.append(_finding(subject, "overrides", f"{attribute} 无法读取：{type(exc).__name__}: {exc}",
                                 f"{attribute} cannot be read"))
        return {}


def _check_by_id(subject, findings, kind_zh, kind_en, overrides, extras, parent_items):
    parent_ids = {getattr(item, "id", None) for item in parent_items}
    for key, item in overrides.items():
        if key not in parent_ids:
            findings.append(_finding(subject, "overrides", f"覆盖的{kind_zh} {key} 在上级办法中不存在",
                                     f"the {kind_en} override {key!r} targets nothing the parent has"))
        elif getattr(item, "id", key) != key:
            findings.append(_finding(subject, "overrides", f"覆盖的{kind_zh} {key} 改用了另一个 id {item.id}（须沿用原 id）",
                                     f"the {kind_en} override {key!r} carries another id {item.id!r} (it must keep the id it replaces)"))
    for item in extras:
        if getattr(item, "id", None) in parent_ids:
            findings.append(_finding(subject, "overrides", f"新增的{kind_zh} {item.id} 在上级办法中已存在，应写为覆盖",
                                     f"the new {kind_en} {item.id!r} already exists in the parent: override it instead"))


def _check_parameter_file(subject, findings, parent, own_parameters):
    path = getattr(subject.plugin, "parameter_overrides_file", None)
    if path is None:
        return
    path = Path(path)
    if not path.is_file():
        findings.append(_finding(subject, "overrides", f"参数覆盖文件 {path} 不存在", f"the parameter override file {path} does not exist"))
        return
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        findings.append(_finding(subject, "overrides", f"{path.name} 不是有效的 YAML：{exc}", f"{path.name} is not valid YAML"))
        return
    if not isinstance(data, dict):
        findings.append(_finding(subject, "overrides", f"{path.name} 应有 overrides 和/或 parameters 两节",
                                 f"{path.name} should hold overrides: and/or parameters: sections"))
        return
    unknown_sections = sorted(set(data) - {"overrides", "parameters"})
    if unknown_sections:
        findings.append(_finding(subject, "overrides", f"{path.name} 只能有 overrides 和 parameters 两节，多出 {', '.join(unknown_sections)}",
                                 f"{path.name} may hold only overrides: and parameters:, not {', '.join(unknown_sections)}"))
    parent_parameters = parent.parameters
    for pid in data.get("overrides") or {}:
        if pid not in parent_parameters:
            findings.append(_finding(subject, "overrides", f"{path.name}：覆盖的参数 {pid} 在上级办法中不存在",
                                     f"{path.name}: the parameter override {pid!r} targets nothing the parent has"))
        elif own_parameters is not None and pid in own_parameters:
            own, theirs = own_parameters.get(pid), parent_parameters.get(pid)
            if own.values == theirs.values and own.description == theirs.description:
                values = "，".join(f"{start.isoformat()}起 {value}" for start, value in own.values)
                findings.append(_finding(
                    subject, "overrides",
                    f"{path.name}：参数 {pid} 的覆盖值与上级相同（{values}），只改了条款；请改为本县区办法规定的数值",
                    f"{path.name}: the override of {pid} repeats the parent's values and changes only the article; "
                    f"enter your own measure's number",
                    WARNING,
                ))
    for pid in data.get("parameters") or {}:
        if pid in parent_parameters:
            findings.append(_finding(subject, "overrides", f"{path.name}：新增参数 {pid} 在上级办法中已存在，应写在 overrides 中",
                                     f"{path.name}: the new parameter {pid!r} exists in the parent: put it under overrides:"))


def check_overrides(subject, answers):
    if subject.plugin is None:
        return []
    findings = []
    parent_code = getattr(subject.plugin, "parent_code", None)
    info = answers.get("info")
    if info is not None and parent_code is not None and info.parent != parent_code:
        findings.append(_finding(subject, "overrides", f"parent_code 为 {parent_code}，辖区信息的上级却是 {info.parent}",
                                 f"parent_code is {parent_code!r} but the jurisdiction info names {info.parent!r} as parent"))
    parent_code = parent_code or (info.parent if info is not None else None)
    criterion_overrides, extra_criteria, template_overrides, extra_templates = (
        _plugin_attribute(subject, name, findings)
        for name in ("criterion_overrides", "extra_criteria", "template_overrides", "extra_templates"))
    if parent_code is None:
        overrides_file = getattr(subject.plugin, "parameter_overrides_file", None)
        if criterion_overrides or template_overrides or overrides_file is not None:
            findings.append(_finding(subject, "overrides", "没有上级辖区，却声明了覆盖（只有县区插件可以覆盖其上级）",
                                     "declares overrides but has no parent (only a county overrides its city)"))
        return findings
    if parent_code not in subject.registry or parent_code == subject.code:
        findings.append(_finding(subject, "overrides", f"上级辖区 {parent_code} 未安装（或就是本插件）",
                                 f"the parent jurisdiction {parent_code!r} is not installed (or is the plugin itself)"))
        return findings
    parent = subject.registry.get(parent_code)
    _check_parameter_file(subject, findings, parent, answers.get("parameters"))
    parent_criteria = parent.criteria(subject.sample_day or sample_day(parent.info, parent.parameters, parent.code))
    _check_by_id(subject, findings, "条件", "criterion", criterion_overrides, extra_criteria, parent_criteria)
    _check_by_id(subject, findings, "文书模板", "template", template_overrides, extra_templates, parent.document_templates())
    return findings


# --- templates --------------------------------------------------------------------------------------


def check_templates(subject, answers):
    templates = answers.get("document_templates") or []
    findings = []
    renderable = []
    for template in templates:
        if template.path is None:
            fault = f"文书模板 {template.id} 没有模板文件", f"the document template {template.id!r} has no template file"
        elif not Path(template.path).is_file():
            fault = (f"文书模板 {template.id} 的文件不存在：{template.path}",
                     f"the file of document template {template.id!r} does not exist: {template.path}")
        elif not template.formats:
            fault = (f"文书模板 {template.id} 的文件不是 .html（Word 文件由 HTML 生成）：{template.path}",
                     f"the document template {template.id!r} is not an .html file (its Word file is made "
                     f"from the HTML): {template.path}")
        else:
            renderable.append(template)
            continue
        findings.append(_finding(subject, "templates", *fault))
    if renderable and subject.jurisdiction is not None:
        from core.world.sample_records import render_samples

        for template_id, fmt, error in render_samples(subject.jurisdiction, renderable, subject.registry):
            if error:
                findings.append(_finding(subject, "templates", f"文书模板 {template_id} 无法生成 {fmt}：{error}",
                                         f"the document template {template_id!r} does not render as {fmt}"))
    return findings


# --- isolation --------------------------------------------------------------------------------------


def _ancestors(registry, code):
    chain, seen = [], set()
    j = registry.get(code) if code in registry else None
    while j is not None and j.info.parent and j.info.parent not in seen:
        seen.add(j.info.parent)
        chain.append(j.info.parent)
        j = registry.get(j.info.parent) if j.info.parent in registry else None
    return chain


def _foreign_sources(subject, answers):
    """Findings for rules whose source (or subsidy id) names a jurisdiction other than the subject's line."""
    findings = []
    allowed = {subject.code, ""} | set(_ancestors(subject.registry, subject.code))
    allowed |= {ADDON_PREFIX + name for name, _addon in subject.registry.addons}  # an add-on's items name it
    sourced = [
        ("参数", "parameter", [(p.id, p.source) for p in answers.get("parameters") or []]),
        ("条件", "criterion", [(c.id, c.source) for c in answers.get("criteria") or []]),
        ("文书模板", "template", [(t.id, t.source) for t in answers.get("document_templates") or []]),
        ("奖补", "subsidy", [(p.rule_id, p.source) for p in answers.get("subsidies") or []]),
    ]
    for kind_zh, kind_en, pairs in sourced:
        for item_id, source in pairs:
            if source not in allowed:
                findings.append(_finding(subject, "isolation", f"{kind_zh} {item_id} 的来源是 {source}，不是本辖区或其上级",
                                         f"the {kind_en} {item_id!r} comes from {source!r}, neither this jurisdiction nor its parent"))
    for proposal in answers.get("subsidies") or []:
        owner = proposal.rule_id.split(".", 1)[0]
        if owner not in allowed - {""}:
            findings.append(_finding(subject, "isolation", f"奖补规则 {proposal.rule_id} 以 {owner} 命名，不是本辖区或其上级",
                                     f"the subsidy rule {proposal.rule_id!r} is named after {owner!r}, neither this jurisdiction nor its parent"))
    return findings


def check_isolation(subject, answers):
    findings = []
    info = answers.get("info")
    if info is not None:
        if subject.jurisdiction is None and info.code in subject.registry:
            findings.append(_finding(subject, "isolation", f"辖区代码 {info.code} 已被另一个插件使用",
                                     f"the jurisdiction code {info.code!r} is already taken by another plugin"))
        if info.parent == info.code:
            findings.append(_finding(subject, "isolation", "辖区以自己为上级", "the jurisdiction names itself as its parent"))
        elif info.parent and info.parent not in subject.registry:
            findings.append(_finding(subject, "isolation", f"上级辖区 {info.parent} 未安装",
                                     f"the parent jurisdiction {info.parent!r} is not installed"))
    if subject.jurisdiction is not None:
        findings.extend(_foreign_sources(subject, answers))
    if subject.entry_point is not None:
        findings.extend(compare_other_jurisdictions(subject))
    else:
        findings.append(_finding(
            subject, "isolation", "插件不是通过入口点安装的，无法比较安装前后其他辖区的回答",
            "the plugin is not installed through an entry point, so the others' answers cannot be compared "
            "with and without it", WARNING,
        ))
    return findings


def compare_other_jurisdictions(subject):
    """Findings for every jurisdiction whose answers differ with the subject installed."""
    others = [ep for ep in subject.entry_points if ep.name != subject.entry_point.name]
    try:
        without, with_it = fingerprints_in_fresh_processes([others, subject.entry_points])
    except RuntimeError as exc:
        return [_finding(subject, "isolation", f"无法在新进程中比较各辖区的回答：{exc}",
                         "the other jurisdictions' answers could not be compared in a fresh process")]
    findings = []
    if subject.code in without:  # another plugin answers for this code when the subject is absent
        findings.append(_finding(subject, "isolation", f"辖区代码 {subject.code} 属于另一个已安装的插件，本插件取代了它",
                                 f"the code {subject.code!r} belongs to another installed plugin, which this one displaces"))
    # A jurisdiction below the subject cannot load without it: it is not an "other".
    own_line, grown = {subject.code}, True
    while grown:
        below = {code for code, entry in with_it.items() if entry.get("parent") in own_line}
        grown = not below <= own_line
        own_line |= below
    for code, before in sorted(without.items()):
        if code in own_line:
            continue
        after = with_it.get(code)
        if after is None:
            findings.append(_finding(subject, "isolation", f"安装本插件后，辖区 {code} 不再加载",
                                     f"with this plugin installed, the jurisdiction {code!r} no longer loads"))
            continue
        changed = sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))
        if changed:
            findings.append(_finding(subject, "isolation", f"安装本插件后，辖区 {code} 的回答改变了：{', '.join(changed)}",
                                     f"with this plugin installed, {code}'s answers change: {', '.join(changed)}"))
    return findings


# --- running the checks -----------------------------------------------------------------------------


#: core's checks, contributed to `hrpark_plugin_checks` by core.plugin.defaults.
CORE_CHECKS = [
    Check("loads", *CHECK_LABELS["loads"], lambda subject, answers: check_loads(subject)),
    Check("hooks", *CHECK_LABELS["hooks"], lambda subject, answers: answer_hooks(subject)[1]),
    Check("parameters", *CHECK_LABELS["parameters"], check_parameters),
    Check("overrides", *CHECK_LABELS["overrides"], check_overrides),
    Check("dates", *CHECK_LABELS["dates"], check_dates),
    Check("templates", *CHECK_LABELS["templates"], check_templates),
    Check("isolation", *CHECK_LABELS["isolation"], check_isolation),
]


def available_checks(subject=None, registry=None):
    """The checks `hrpark_plugin_checks` collects: core's, the add-ons', and (given a subject that
    loads) its programme line's — by id, in order."""
    rules = rules_of(subject)[0] if subject is not None and subject.plugin is not None else None
    if rules is not None:
        manager = rules.manager
    else:
        addons = registry.addons if registry is not None else load_registry([]).addons
        manager = build_manager(object(), "none", addons=addons)
    return {c.item.id: c.item for c in collect(manager, "hrpark_plugin_checks")}


def run_checks(name, registry=None, entry_points=None, only=None) -> Report:
    """Every check (or those in `only`) of the plugin known as `name`."""
    subject = find_subject(name, registry, entry_points)
    available = available_checks(subject, subject.registry)
    checks = [c for c in available if only is None or c in only]
    unknown = sorted(set(only or ()) - set(available))
    if unknown:
        raise ValueError(f"未知的检查 {', '.join(unknown)}，可选：{', '.join(available)} — unknown checks {unknown}")
    answers, hook_findings = answer_hooks(subject)
    findings = []
    for check in checks:
        if check == "hooks":
            findings += hook_findings  # asked once above; the other checks read the answers
        else:
            findings += available[check].run(subject, answers)
    info = answers.get("info")
    return Report(
        name=name, findings=findings, checks=checks,
        labels={c.id: (c.label, c.label_en) for c in available.values()},
        version=info.version if info is not None else "", jurisdiction_name=info.name if info is not None else "",
        days=subject.days,
    )
