"""A programme's declared data (ledger categories, and in time materials, procedure, indicators …)
read from the plugin's YAML files. Every item is checked by a marshmallow schema; all problems of a
file are reported together, each as `file:line: key: message`, so the author finds every mistake at
once. Texts may name a parameter as `{parameter_id}`: the id must exist, and the text is filled with
the value in force on the day it is read."""
import datetime
import string
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError, fields, validate

from core.parameters import _DatesAsTextLoader
from core.vocab import CORE_ROLES


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


class LedgerCategorySchema(ItemSchema):
    label = fields.String(required=True, validate=validate.Length(min=1))
    label_en = fields.String(required=True, validate=validate.Length(min=1))
    allowed = fields.Boolean(load_default=True)
    words_parameter = fields.String(load_default="")


class SubsidyKindSchema(ItemSchema):
    """A kind of money a programme's formulas compute (SubsidyProposal.kind), named for people."""

    label = fields.String(required=True, validate=validate.Length(min=1))
    label_en = fields.String(required=True, validate=validate.Length(min=1))


class RoleSchema(ItemSchema):
    """A role of the programme's own (one step's actors), bound and entitled as the core role it is `like`."""

    id = fields.String(required=True, validate=[validate.Regexp(r"^[a-z][a-z0-9_]*$"), validate.NoneOf(CORE_ROLES)])
    label = fields.String(required=True, validate=validate.Length(min=1))
    label_en = fields.String(required=True, validate=validate.Length(min=1))
    like = fields.String(required=True, validate=validate.OneOf([r for r in CORE_ROLES if r != "admin"]))


TEXT_KEYS = ("label", "label_en", "title", "title_en", "explanation", "explanation_en")


def load_items(path: Path, section: str, schema: Schema, parameter_ids=(), base=()):
    """The items of `section` in `path`, each validated by `schema`, as a list of dicts in file order.
    Items of `base` (a parent's, already loaded) are kept unless the file gives one with the same id,
    which replaces it in place; new ids are appended. Raises ProgrammeDataError listing every problem."""
    data = read_located(path)
    name = path.name
    problems, loaded, seen = [], [], set()
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
            item = schema.load(dict(entry))
        except ValidationError as exc:
            for key, messages in sorted(exc.messages.items()):
                problems.append(f"{name}:{at(key)}: {key}: {' '.join(messages)}")
            continue
        for key, value in item.items():
            names = template_fields(value) if key in TEXT_KEYS and isinstance(value, str) else []
            if key.endswith("_parameter") and value:
                names = [value]
            for pid in names:
                if pid not in parameter_ids:
                    problems.append(f"{name}:{at(key)}: {key}: 未知参数 {pid} (unknown parameter)")
        loaded.append(item)
    if problems:
        raise ProgrammeDataError(problems)
    own = {item["id"]: item for item in loaded}
    merged = [own.pop(item["id"], item) for item in base]
    return merged + [item for item in loaded if item["id"] in own]
