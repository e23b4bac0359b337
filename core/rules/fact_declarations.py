"""Facts a programme declares beyond the shared ones (a plugin's facts.yaml), and their validation.

A fact is declared once, by the plugin whose rules read it: its names in zh and en, its type, unit,
the record it belongs to and the article that asks for it. Layers that store, show or exchange a
fact are meant to read this declaration instead of writing the field out again.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.rules import shared_facts
from core.rules.parameters import read_parameter_yaml

TYPES = ("bool", "int", "decimal", "text", "list_of_text", "choice")
#: The records a declared fact may belong to; each keeps such facts, by id, in its `facts` (JSON).
OWNERS = ("park", "park_year", "jurisdiction_year")
#: Fields a record already has as shared ones (core.rules.shared_facts): not to be declared again.
STORED_AS_COLUMNS = {owner: set(shared_facts.names_of(owner)) for owner in ("park_year",)}
_REQUIRED = ("name_zh", "name_en", "type", "owner", "article")
_KNOWN = set(_REQUIRED) | {"unit", "min", "max", "choices", "default", "sample"}


class FactDeclarationError(ValueError):
    """A facts file is wrong; the message names the file and the fact."""


class FactValueError(ValueError):
    """A value does not fit its fact's declaration; the message names the fact."""


@dataclass(frozen=True)
class FactDeclaration:
    id: str
    name_zh: str
    name_en: str
    type: str
    owner: str
    article: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    choices: tuple = ()
    default: object = None
    sample: object = None  # a value for the sample park of `hrpark plugin check`

    def clean(self, value):
        """`value` as this fact's type, or FactValueError naming the fact."""
        where = f"{self.name_zh} ({self.id})"
        if value is None or value == "":
            return self.default
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise FactValueError(f"{where}: 应为是/否 (expected yes/no), 得到 {value!r}")
        if self.type in ("int", "decimal"):
            if isinstance(value, bool):
                raise FactValueError(f"{where}: 应为数字 (expected a number), 得到 {value!r}")
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                raise FactValueError(f"{where}: 应为数字 (expected a number), 得到 {value!r}") from None
            if self.type == "int" and number != number.to_integral_value():
                raise FactValueError(f"{where}: 应为整数 (expected a whole number), 得到 {value!r}")
            if self.min is not None and number < self.min:
                raise FactValueError(f"{where}: 不得小于 {self.min} (below the minimum)")
            if self.max is not None and number > self.max:
                raise FactValueError(f"{where}: 不得大于 {self.max} (above the maximum)")
            return int(number) if self.type == "int" else number
        if self.type == "list_of_text":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise FactValueError(f"{where}: 应为文字列表 (expected a list of texts)")
            return [v.strip() for v in value if v.strip()]
        if not isinstance(value, str):
            raise FactValueError(f"{where}: 应为文字 (expected text), 得到 {value!r}")
        if self.type == "choice" and value not in self.choices:
            raise FactValueError(f"{where}: {value!r} 不在可选值 {list(self.choices)} 中 (not a choice)")
        return value.strip()


def _declaration(fact_id, item, where) -> FactDeclaration:
    if not isinstance(item, dict):
        raise FactDeclarationError(f"{where}: 应为键值表 (expected a mapping)")
    missing = [key for key in _REQUIRED if key not in item]
    if missing:
        raise FactDeclarationError(f"{where}: 缺少 {', '.join(missing)} (missing keys)")
    unknown = sorted(set(item) - _KNOWN)
    if unknown:
        raise FactDeclarationError(f"{where}: 未知的键 {', '.join(unknown)} (unknown keys)")
    if item["type"] not in TYPES:
        raise FactDeclarationError(f"{where}.type: {item['type']!r} 不是 {', '.join(TYPES)} 之一")
    if item["owner"] not in OWNERS:
        raise FactDeclarationError(f"{where}.owner: {item['owner']!r} 不是 {', '.join(OWNERS)} 之一")
    if fact_id in STORED_AS_COLUMNS.get(item["owner"], ()):
        raise FactDeclarationError(f"{where}: 已是共享字段，见 core/rules/shared_facts.py (a shared field already)")
    if item["type"] == "choice" and not item.get("choices"):
        raise FactDeclarationError(f"{where}.choices: 可选类型须列出可选值 (a choice needs choices)")
    bounds = {}
    for key in ("min", "max"):
        if item.get(key) is not None:
            try:
                bounds[key] = Decimal(str(item[key]))
            except InvalidOperation:
                raise FactDeclarationError(f"{where}.{key}: {item[key]!r} 不是数字 (not a number)") from None
    declaration = FactDeclaration(
        id=fact_id, name_zh=str(item["name_zh"]), name_en=str(item["name_en"]), type=item["type"],
        owner=item["owner"], article=str(item["article"]), unit=str(item.get("unit") or ""),
        choices=tuple(item.get("choices") or ()), **bounds,
    )
    for key in ("default", "sample"):
        if item.get(key) is not None:
            try:
                declaration = FactDeclaration(**{**declaration.__dict__, key: declaration.clean(item[key])})
            except FactValueError as exc:
                raise FactDeclarationError(f"{where}.{key}: {exc}") from None
    return declaration


def load_fact_file(path: Path) -> dict[str, FactDeclaration]:
    """The declarations of one facts.yaml, by fact id; an empty dict when the plugin has none."""
    path = Path(path)
    if not path.exists():
        return {}
    data = read_parameter_yaml(path)
    facts = data.get("facts", {}) if isinstance(data, dict) else None
    if not isinstance(facts, dict):
        raise FactDeclarationError(f"{path.name}: facts 应为键值表 (expected a mapping under 'facts')")
    return {str(fid): _declaration(str(fid), item, f"{path.name}: facts.{fid}") for fid, item in facts.items()}


def collect_facts(*plugin_dirs) -> dict[str, FactDeclaration]:
    """Declarations of a programme and its parents, nearest first: a county inherits its city's
    facts and may declare its own; declaring one of its parent's ids again is refused."""
    collected: dict[str, FactDeclaration] = {}
    for folder in reversed(plugin_dirs):
        path = Path(folder) / "facts.yaml"
        for fact_id, declaration in load_fact_file(path).items():
            if fact_id in collected:
                raise FactDeclarationError(f"{path.name}: facts.{fact_id} 已由上级项目声明 (declared by a parent)")
            collected[fact_id] = declaration
    return collected
