"""A programme's declared data (ledger categories, and in time materials, procedure, indicators …)
read from the plugin's YAML files. Every item is checked by a marshmallow schema; all problems of a
file are reported together, each as `file:line: key: message`, so the author finds every mistake at
once. Texts may name a parameter as `{parameter_id}`: the id must exist, and the text is filled with
the value in force on the day it is read."""
import datetime
import string
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.rules.assessment import GRADE_ORDER
from core.rules.parameters import _DatesAsTextLoader
from core.records.vocab import CORE_ROLES


class ProgrammeDataError(ValueError):
    """A data file is wrong; the message lists every problem as `file:line: key: message`."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Located(dict):
    """A YAML mapping remembering the line (1-based) of itself and of each of its keys."""

    line = 0
    key_lines: dict


class _LineLoader(_DatesAsTextLoader):
    """Safe YAML that keeps line numbers; dates stay text (as in parameters.yaml)."""

    def construct_mapping(self, node, deep=False):
        mapping = _Located(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {self.construct_object(k): k.start_mark.line + 1 for k, _ in node.value}
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def read_located(path: Path):
    """The file's YAML with line numbers; a syntax error is reported with its own line."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LineLoader) or _Located()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise ProgrammeDataError([f"{path.name}:{line}: -: YAML 格式错误 (not valid YAML): {getattr(exc, 'problem', exc)}"]) from None


def template_fields(text):
    """The parameter ids a text names as `{id}`."""
    return [name for _, name, _, _ in string.Formatter().parse(text or "") if name]


def fill(text, parameters, on: datetime.date):
    """The text with each `{parameter_id}` replaced by its value in force on `on` (2.0 reads 2)."""
    values = {}
    for pid in template_fields(text):
        value = parameters.value(pid, on)
        values[pid] = int(value) if hasattr(value, "is_integer") and not isinstance(value, bool) and value == int(value) else value
    return text.format(**values) if values else text


class ItemSchema(Schema):
    """Every declared item has an id unique in its file and the article it comes from."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    article = fields.String(required=True, validate=validate.Length(min=1))


class LabelledSchema(ItemSchema):
    label = fields.String(required=True, validate=validate.Length(min=1))
    label_en = fields.String(required=True, validate=validate.Length(min=1))


class TitledSchema(ItemSchema):
    title = fields.String(required=True, validate=validate.Length(min=1))
    title_en = fields.String(required=True, validate=validate.Length(min=1))


class LedgerCategorySchema(LabelledSchema):
    allowed = fields.Boolean(load_default=True)
    words_parameter = fields.String(load_default="")


class SubsidyKindSchema(LabelledSchema):
    """A kind of money a programme's formulas compute (SubsidyProposal.kind), named for people, and
    where its money comes from as the measures say (资金来源, e.g. 就业补助资金 under 第九条): what the
    finance bureau's payment record starts from."""

    fund_source = fields.String(load_default="")
    fund_article = fields.String(load_default="")


class RoleSchema(LabelledSchema):
    """A role of the programme's own (one step's actors), bound and entitled as the core role it is `like`."""

    id = fields.String(required=True, validate=[validate.Regexp(r"^[a-z][a-z0-9_]*$"), validate.NoneOf(CORE_ROLES)])
    like = fields.String(required=True, validate=validate.OneOf([r for r in CORE_ROLES if r != "admin"]))


class DocumentSchema(TitledSchema):
    """An official document the programme issues (core.io.documents.registry.DocumentTemplate): its
    template is templates/<id>.html beside the file; `context` names the plugin's function adding what
    only its measures say; `numbered` ones carry the file's `number_prefix` (发文字号)."""

    record_kind = fields.String(required=True, validate=validate.OneOf(
        ("application", "recognition", "assessment", "rectification", "subsidy", "notice")))
    context = fields.String(load_default="")
    numbered = fields.Boolean(load_default=False)


class MaterialSchema(TitledSchema):
    """A material an application carries (core.rules.procedure.MaterialSpec)."""

    required = fields.Boolean(load_default=True)


class IndicatorSchema(LabelledSchema):
    """An assessment indicator; its weight is the number `weight_parameter` (core.rules.assessment.Indicator)."""

    group = fields.String(load_default="")
    weight_parameter = fields.String(required=True, validate=validate.Length(min=1))


class GradeTierSchema(LabelledSchema):
    """A grade and its lowest score: the number `cutoff_parameter`, or 0 for the lowest grade."""

    cutoff_parameter = fields.String(load_default="")


class ConsequenceWhenSchema(Schema):
    """Which records a consequence follows: the latest record's grade and rectification outcome (null:
    none recorded yet), and the grade of the year before it; a key left out admits any."""

    grade = fields.List(fields.String(validate=validate.OneOf(GRADE_ORDER)))
    rectification = fields.List(fields.String(allow_none=True, validate=validate.OneOf(("pending", "passed", "failed"))))
    previous_grade = fields.List(fields.String(validate=validate.OneOf(GRADE_ORDER)))


class ConsequenceSchema(ItemSchema):
    """What a grade history leads to (core.rules.assessment.Consequence). Texts may name the assessed
    `{year}`, `{previous_year}` and any parameter; `deadline_months_parameter` gives a rectification's
    period; `dropped` marks a city's consequence a county's measure does not have."""

    kind = fields.String(required=True)
    when = fields.Nested(ConsequenceWhenSchema, required=True)
    explanation = fields.String(required=True, validate=validate.Length(min=1))
    explanation_en = fields.String(required=True, validate=validate.Length(min=1))
    applies_to_year = fields.Boolean(load_default=False)
    deadline_months_parameter = fields.String(load_default="")
    failure_from_deadline = fields.Boolean(load_default=False)
    subsidy_kinds = fields.List(fields.String(), load_default=list)
    dropped = fields.Boolean(load_default=False)


def _texts():
    """`texts`: {name: [Chinese, English]}, the wording a programme's code fills in (core.rules.criteria.say)."""
    return fields.Dict(keys=fields.String(), values=fields.List(fields.String(), validate=validate.Length(equal=2)),
                       load_default=dict)


class TextsSchema(Schema):
    """subsidies.yaml: its `subsidy_kinds` (SubsidyKindSchema) and the `texts` of its formulas."""

    subsidy_kinds = fields.Raw()
    texts = _texts()


def read_texts(path: Path):
    """The `texts` of a data file, {name: (zh, en)}; ProgrammeDataError names file, line and key."""
    return {name: tuple(pair) for name, pair in load_mapping(path, TextsSchema())["texts"].items()}


class CriterionSchema(TitledSchema):
    """The declarative part of a condition (core.rules.criteria.Criterion): what it is called, where it stands,
    what it reads (`reads`: the numbers its check reads, besides `waivable_parameter`; `parameters`:
    those of them that begin later than the measures). `check` names the plugin's function computing
    it; a judgement left wholly to the reviewers has none and says in `explanation` what they judge.
    `waivable_parameter` makes it waivable while that number is true on the day (a chapeau's 原则上
    that a revision may drop)."""

    check = fields.String(load_default="")
    judgement = fields.Boolean(load_default=False)
    waivable = fields.Boolean(load_default=False)
    waivable_parameter = fields.String(load_default="")
    reads = fields.List(fields.String(), load_default=list)
    parameters = fields.List(fields.String(), load_default=list)
    explanation = fields.String(load_default="")
    explanation_en = fields.String(load_default="")
    measure = fields.String(load_default="")
    at_least = fields.String(load_default="")
    at_most = fields.String(load_default="")
    texts = _texts()

    @validates_schema
    def _threshold(self, data, partial=False, **_):
        """A `measure` is compared with one parameter, `at_least` or `at_most`, and says `met` and `not_met`."""
        bounds = [key for key in ("at_least", "at_most") if data.get(key)]
        if (data.get("measure") or bounds or not partial) and bool(data.get("measure")) != (len(bounds) == 1):
            raise ValidationError("measure 须与 at_least 或 at_most 之一同用 (a measure needs exactly one of at_least, at_most)",
                                  "measure" if data.get("measure") or not bounds else bounds[0])
        missing = [name for name in ("met", "not_met") if data.get("measure") and name not in data.get("texts", {})]
        if missing:
            raise ValidationError(f"缺少文字 {', '.join(missing)} (texts missing: {', '.join(missing)})", "texts")


class StateSchema(Schema):
    """A state of the procedure; its article is the transitions'."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    label = fields.String(required=True, validate=validate.Length(min=1))
    label_en = fields.String(required=True, validate=validate.Length(min=1))
    final = fields.Boolean(load_default=False)


class TransitionSchema(ItemSchema):
    source = fields.String(required=True)
    target = fields.String(required=True)
    roles = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    label = fields.String(required=True, validate=validate.Length(min=1))
    label_en = fields.String(required=True, validate=validate.Length(min=1))
    guards = fields.List(fields.String(), load_default=list)


class ReviewStageSchema(Schema):
    states = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    roles = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    article = fields.String(required=True, validate=validate.Length(min=1))


class ProcedureSchema(Schema):
    """procedure.yaml's heading: the article, who files, the first state, the notice's number and
    where verdicts and waivers are recorded; its `states:` and `transitions:` are lists of items."""

    article = fields.String(required=True, validate=validate.Length(min=1))
    initial = fields.String(required=True)
    filer_role = fields.String(required=True)
    notice_parameter = fields.String(required=True)
    verdict_stage = fields.Nested(ReviewStageSchema, load_default=None, allow_none=True)
    waiver_stage = fields.Nested(ReviewStageSchema, load_default=None, allow_none=True)
    states = fields.Raw(required=True)
    transitions = fields.Raw(required=True)


TEXT_KEYS = ("label", "label_en", "title", "title_en", "explanation", "explanation_en")


def _reference_problems(name, at, item, parameter_ids, references):
    """`file:line: key: …` for each parameter a text or a `*_parameter`/`parameters`/`at_*` key names that does
    not exist, and each value of a key of `references` ({key: (known names, what they are zh, en)})
    that is not among the known names."""
    problems = []
    for key, value in item.items():
        names = template_fields(value) if key in TEXT_KEYS and isinstance(value, str) else []
        if value and (key.endswith("_parameter") or key in ("parameters", "reads", "at_least", "at_most")):
            names = [value] if isinstance(value, str) else list(value)
        for pid in names:
            if pid not in parameter_ids:
                problems.append(f"{name}:{at(key)}: {key}: 未知参数 {pid} (unknown parameter)")
        if key in references and value:
            known, what_zh, what_en = references[key]
            for ref in [value] if isinstance(value, str) else value:
                if isinstance(ref, str) and ref not in known:
                    problems.append(f"{name}:{at(key)}: {key}: 未知的{what_zh} {ref} (unknown {what_en})")
    return problems


def load_mapping(path: Path, schema: Schema, parameter_ids=(), references=None, data=None):
    """The file's top-level mapping validated by `schema` (keys of nested mappings are checked against
    `references` too), or ProgrammeDataError listing every problem as `file:line: key: message`."""
    data = read_located(path) if data is None else data
    name = path.name
    if not isinstance(data, _Located):
        raise ProgrammeDataError([f"{name}:1: -: 应为键值对 (must be a mapping)"])
    try:
        loaded = schema.load(dict(data))
    except ValidationError as exc:
        raise ProgrammeDataError([f"{name}:{_line_of(data, key, messages)}: {_key_of(key, messages)}: {_text_of(messages)}"
                                  for key, messages in sorted(exc.messages.items())]) from None
    problems = _reference_problems(name, lambda key: data.key_lines.get(key, data.line), loaded, parameter_ids, references or {})
    for key, value in loaded.items():
        if isinstance(value, dict) and isinstance(data.get(key), _Located):
            inner = data[key]
            problems += _reference_problems(name, lambda k, inner=inner: inner.key_lines.get(k, inner.line), value,
                                            parameter_ids, references or {})
    if problems:
        raise ProgrammeDataError(problems)
    return loaded


def _line_of(data, key, messages):
    """The line of `key` or, for a nested mapping's error, of the inner key it names."""
    inner = data.get(key)
    if isinstance(messages, dict) and isinstance(inner, _Located):
        first = sorted(messages)[0]
        return inner.key_lines.get(first, inner.line)
    return data.key_lines.get(key, data.line)


def _key_of(key, messages):
    """`when.grade` for an error inside a nested mapping; the key itself otherwise."""
    inner = sorted(messages, key=str)[0] if isinstance(messages, dict) else None
    return f"{key}.{inner}" if isinstance(inner, str) else key


def _text_of(messages):
    while isinstance(messages, dict):
        messages = messages[sorted(messages, key=str)[0]]
    return " ".join(messages)


def load_items(path: Path, section: str, schema: Schema, parameter_ids=(), base=(), references=None, data=None):
    """The items of `section` in `path`, each validated by `schema`, as a list of dicts in file order.
    Items of `base` (a parent's, already loaded) are kept unless the file gives one with the same id:
    the keys it gives replace the parent's in place (a county changes an article and keeps the
    title); new ids are appended. `references` ({key: (known names, zh, en)})
    names what a key's values must be among (a check's name, a state, a role).
    Raises ProgrammeDataError listing every problem."""
    data = read_located(path) if data is None else data
    name = path.name
    problems, loaded, seen = [], [], set()
    inherited = {item["id"]: item for item in base}
    raw = data.get(section) if isinstance(data, dict) else None
    if not isinstance(raw, list):
        line = data.key_lines.get(section, data.line) if isinstance(data, _Located) else 0
        raise ProgrammeDataError([f"{name}:{line}: {section}: 应为列表 (must be a list of items)"])
    for entry in raw:
        if not isinstance(entry, _Located):
            problems.append(f"{name}:{data.key_lines.get(section, 0)}: {section}: 每项应为键值对 (each item must be a mapping)")
            continue

        def at(key):
            return entry.key_lines.get(key, entry.line)

        if entry.get("id") in seen:
            problems.append(f"{name}:{at('id')}: id: 重复的编号 {entry['id']} (duplicate id)")
        seen.add(entry.get("id"))
        try:
            parent = inherited.get(entry.get("id"))
            item = {**parent, **schema.load(dict(entry), partial=True)} if parent else schema.load(dict(entry))
        except ValidationError as exc:
            for key, messages in sorted(exc.messages.items()):
                problems.append(f"{name}:{at(key)}: {_key_of(key, messages)}: {_text_of(messages)}")
            continue
        problems += _reference_problems(name, at, item, parameter_ids, references or {})
        loaded.append(item)
    if problems:
        raise ProgrammeDataError(problems)
    own = {item["id"]: item for item in loaded}
    merged = [own.pop(item["id"], item) for item in base]
    return merged + [item for item in loaded if item["id"] in own]
