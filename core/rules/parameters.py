"""Parameters are data: every number of a measure, with its unit, article and values by date.

A parameter file (YAML) maps ids to entries, as OpenFisca's parameters do:

    single_site_min_area:
      description: 只设立一个园区的，建筑面积不少于
      description_en: Floor area of a park with a single site, at least
      unit: m2
      reference: 第六条第（二）项
      values:
        2024-01-01: 3000

`values` are keyed by the date they take effect; a `null` value ends the parameter. An entry with
`local_default: true` is not fixed by the measures (score cut-offs, weights): it is a deployment's
default and is shown as such, never as law.
"""
import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

INTEGER_UNITS = {"count", "persons", "working_days", "days", "sites", "years", "months", "quarter"}
KNOWN_UNITS = INTEGER_UNITS | {"m2", "yuan", "yuan_per_person", "ratio", "score", "bool", "text", "date"}


class ParameterError(ValueError):
    """A parameter file or lookup is wrong; the message names the file and the parameter."""


class NoValueOnDay(ParameterError):
    """A number was read on a day it has no value: before its first date, or after `null` ended it."""

    def __init__(self, parameter_id, day):
        super().__init__(f"参数 {parameter_id} 在 {day.isoformat()} 无有效值 (parameter {parameter_id} has no value on {day})")
        self.parameter_id = parameter_id
        self.day = day


class _DatesAsTextLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: `2024-13-01` would otherwise fail inside the YAML reader,
    naming neither the parameter nor the file; dates are checked here, entry by entry."""


_DatesAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_parameter_yaml(path: Path):
    """A parameter, override or revision file as data (dates left as text, checked entry by entry)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_DatesAsTextLoader) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{Path(path).name}: YAML 格式错误 (not valid YAML): {exc}") from None


def _parse_date(value, where):
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ParameterError(f"{where}: 日期 {value!r} 无效 (bad date)") from None
    # A datetime is a date too, but a value takes effect on a day; comparing it with one fails.
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ParameterError(f"{where}: 日期 {value!r} 无效 (bad date)")
    return value


#: What `Parameter._value_on` answers for a day without a value.
_NO_VALUE = object()


@dataclass(frozen=True)
class Parameter:
    id: str
    description: str
    description_en: str
    unit: str
    reference: str
    values: tuple  # ((date, value), ...) sorted by date; value None ends the parameter
    local_default: bool = False
    source: str = ""  # the plugin that set the value in force (a county override names itself)
    # ((start, reference, source), ...) beside `values` where they differ from `reference`/`source`:
    # a county's number inherits its city's until the county's own measure dates it (§ inheritance).
    citations: tuple = ()
    # {day: value in force, or _NO_VALUE}: the batch asks each number for the same day once per park.
    # The values never change (frozen); a copy with other values (`replace`) starts its own.
    _on_day: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def citation_at(self, on: datetime.date):
        """(reference, source) of the value in force on `on`: the document that governs that day."""
        found = (self.reference, self.source)
        for start, reference, source in self.citations:
            if start <= on:
                found = (reference, source)
        return found

    def inherited_from(self, parent: "Parameter") -> "Parameter":
        """This (a county's) parameter read per date over its parent's: before the county's first
        date the parent's values apply, cited to the parent's document; from it, the county's."""
        first = self.effective_from
        earlier = tuple((start, value) for start, value in parent.values if start < first)
        if not earlier:
            return replace(self, citations=tuple((start, self.reference, self.source) for start, _ in self.values))
        citations = tuple((start, *parent.citation_at(start)) for start, _ in earlier)
        citations += tuple((start, self.reference, self.source) for start, _ in self.values)
        return replace(self, values=earlier + self.values, citations=citations)

    def at(self, on: datetime.date):
        """The value in force on `on`."""
        try:
            current = self._on_day[on]
        except KeyError:
            current = self._on_day[on] = self._value_on(on)
        if current is _NO_VALUE:
            raise NoValueOnDay(self.id, on)
        return current

    def _value_on(self, on):
        current = _NO_VALUE
        for start, value in self.values:
            if start <= on:
                current = _NO_VALUE if value is None else value
        return current

    def has_value_on(self, on: datetime.date) -> bool:
        """Whether the number is in force on `on` (it has begun and has not been ended by `null`)."""
        try:
            self.at(on)
        except NoValueOnDay:
            return False
        return True

    @property
    def effective_from(self):
        return self.values[0][0] if self.values else None


def _coerce(value, unit, where):
    if value is None or unit == "text":
        return value
    if unit == "date":
        return _parse_date(value, where)
    if unit == "bool":
        if not isinstance(value, bool):
            raise ParameterError(f"{where}: 应为 true/false (expected a boolean)")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ParameterError(f"{where}: 应为数值 (expected a number), got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ParameterError(f"{where}: {value!r} 不是数值 (not a number)") from None
    if not number.is_finite():
        raise ParameterError(f"{where}: {value!r} 不是有限数值 (not a finite number)")
    if unit in INTEGER_UNITS:
        if number != number.to_integral_value():
            raise ParameterError(f"{where}: 单位 {unit} 应为整数 (expected a whole number)")
        return int(number)
    return number


def parse_entry(pid, entry, source, where):
    if not isinstance(entry, dict):
        raise ParameterError(f"{where}: {pid} 应为映射 (expected a mapping)")
    missing = [k for k in ("description", "unit", "reference", "values") if k not in entry]
    if missing:
        raise ParameterError(f"{where}: {pid} 缺少 {', '.join(missing)} (missing keys)")
    unit = entry["unit"]
    if unit not in KNOWN_UNITS:
        raise ParameterError(f"{where}: {pid} 的单位 {unit!r} 未知 (unknown unit)")
    if not str(entry["reference"]).strip():
        raise ParameterError(f"{where}: {pid} 未注明条款 (no article reference)")
    raw_values = entry["values"]
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterError(f"{where}: {pid} 的 values 应为按生效日期的映射 (values must map dates to values)")
    values = []
    for start, value in raw_values.items():
        start = _parse_date(start, f"{where}: {pid} 的生效日期 (effective date)")
        values.append((start, _coerce(value, unit, f"{where}: {pid}@{start}")))
    values.sort(key=lambda pair: pair[0])
    return Parameter(
        id=pid,
        description=str(entry["description"]),
        description_en=str(entry.get("description_en", "")),
        unit=unit,
        reference=str(entry["reference"]),
        values=tuple(values),
        local_default=bool(entry.get("local_default", False)),
        source=source,
    )


@dataclass(frozen=True)
class ParameterSet:
    """The parameters of one jurisdiction, looked up by id."""

    parameters: dict = field(default_factory=dict)

    def __contains__(self, pid):
        return pid in self.parameters

    def __iter__(self):
        return iter(self.parameters.values())

    def get(self, pid) -> Parameter:
        try:
            return self.parameters[pid]
        except KeyError:
            raise ParameterError(f"未知参数 {pid} (unknown parameter)") from None

    def value(self, pid, on: datetime.date):
        return self.get(pid).at(on)

    def pinned(self, day: datetime.date) -> "ParameterSet":
        """Every number as it stood on `day`, for any day asked: the measures of one version, to
        judge a register under it (a rule-change impact compares two of these, as an OpenFisca
        reform runs beside its base system)."""
        pinned = {}
        for pid, p in self.parameters.items():
            try:
                value = p.at(day)
            except ParameterError:
                pinned[pid] = p
                continue
            reference, source = p.citation_at(day)
            pinned[pid] = replace(p, values=((datetime.date.min, value),), reference=reference, source=source,
                                  citations=())
        return ParameterSet(pinned)

    def change_days(self):
        """Every day on which some number takes, changes or loses its value, in order."""
        return sorted({start for p in self.parameters.values() for start, _ in p.values})

    def overridden(self, overrides: dict, additions: dict, source: str, where: str, reword=None) -> "ParameterSet":
        """A copy with `overrides` replacing existing ids and `additions` adding new ones; an
        override that gives no description keeps its parent's, read by `reword` (a county's level
        words, core.rules.level_words: 全市 → 全区).

        Overriding an id that does not exist, or adding one that does, is an error: a county
        changes only what its own measure changes, by name.
        """
        merged = dict(self.parameters)
        in_own_words = reword or (lambda text: text)
        for pid, entry in (overrides or {}).items():
            if pid not in merged:
                raise ParameterError(f"{where}: 覆盖的参数 {pid} 在上级办法中不存在 (override of unknown parameter {pid})")
            base = merged[pid]
            full = {
                "description": in_own_words(base.description),
                "description_en": in_own_words(base.description_en),
                "unit": base.unit,
                "local_default": base.local_default,
                **entry,
            }
            merged[pid] = parse_entry(pid, full, source, where).inherited_from(base)
        for pid, entry in (additions or {}).items():
            if pid in merged:
                raise ParameterError(f"{where}: 新增参数 {pid} 已存在，应写在 overrides 中 (parameter {pid} exists: override it)")
            merged[pid] = parse_entry(pid, entry, source, where)
        return ParameterSet(merged)


def load_parameter_file(path: Path, source: str) -> ParameterSet:
    """Read a plugin's parameter file. A file may hold `parameters:` or be the mapping itself."""
    path = Path(path)
    data = read_parameter_yaml(path)
    if isinstance(data, dict):
        data = data.get("parameters", data)
    if not isinstance(data, dict):
        raise ParameterError(f"{path.name}: 应为参数 id 到参数的映射 (expected a mapping of parameter ids)")
    return ParameterSet({pid: parse_entry(pid, entry, source, path.name) for pid, entry in data.items()})


REVISION_HEADERS = ("label", "effective_from", "document_number", "title")


def load_override_file(base: ParameterSet, path: Path, source: str, headers=(), reword=None) -> ParameterSet:
    """Read a county's file: `overrides:` (ids of the parent) and `parameters:` (new ids); a revision
    file also carries its `headers` (REVISION_HEADERS). `reword`: see ParameterSet.overridden."""
    path = Path(path)
    data = read_parameter_yaml(path)
    where = f"{source}: {path.name}"  # the error names the plugin as well as its file
    if not isinstance(data, dict):
        raise ParameterError(f"{where}: 应有 overrides 和/或 parameters 两节 (expected overrides / parameters sections)")
    unknown = set(data) - {"overrides", "parameters", *headers}
    if unknown:
        raise ParameterError(f"{where}: 只能有 overrides 和 parameters 两节 (unexpected sections {sorted(unknown)})")
    return base.overridden(data.get("overrides") or {}, data.get("parameters") or {}, source, where, reword)


def values_before(data, start, where):
    """[ParameterError] for each value of a revision's `overrides:` / `parameters:` dated before its
    `start`, naming the parameter and the day: a revision cannot change the past."""
    faults = []
    data = data if isinstance(data, dict) else {}
    for section in ("overrides", "parameters"):
        for pid, entry in (data.get(section) or {}).items():
            for raw in (entry.get("values") or {}) if isinstance(entry, dict) else ():
                try:
                    day = _parse_date(raw, f"{where}: {pid} 的生效日期 (effective date)")
                except ParameterError as exc:
                    faults.append(exc)
                    continue
                if day < start:
                    faults.append(ParameterError(
                        f"{where}: {pid} 的数值早于修订施行日 {start}（{day} 起） "
                        f"(a revision cannot change the past: {pid} dated {day}, before {start})"))
    return faults


def read_revision_file(path: Path):
    """(Revision or None, [ParameterError]): a revision file with every fault it has, not only the first."""
    from core.rules.jurisdiction import Revision

    path = Path(path)
    try:
        data = read_parameter_yaml(path)
    except ParameterError as exc:
        return None, [exc]
    if not isinstance(data, dict) or "label" not in data or "effective_from" not in data:
        return None, [ParameterError(f"{path.name}: 修订文件须有 label 和 effective_from (a revision needs label and effective_from)")]
    try:
        start = _parse_date(data["effective_from"], f"{path.name}: effective_from")
    except ParameterError as exc:
        return None, [exc]
    revision = Revision(label=str(data["label"]), effective_from=start, parameters_file=path,
                        document_number=str(data.get("document_number", "")), title=str(data.get("title", "")))
    return revision, values_before(data, start, path.name)


def load_revision_file(path: Path):
    """A revision of a programme's measures: `label`, `effective_from`, optional `document_number` and
    `title`, then `overrides:` / `parameters:` as a county's file, each value dated from the revision."""
    revision, faults = read_revision_file(path)
    if faults:
        raise faults[0]
    return revision


def deployment_revision_files(code):
    """The revision files a deployment installed for programme `code`: HRPARK_REVISIONS_DIR/<code>/*.yaml."""
    import os

    root = os.environ.get("HRPARK_REVISIONS_DIR")
    return sorted((Path(root) / code).glob("*.yaml")) if root else []


def deployment_revisions(code):
    """Revision files a deployment installed for programme `code` (HRPARK_REVISIONS_DIR/<code>/*.yaml)."""
    return [load_revision_file(path) for path in deployment_revision_files(code)]
