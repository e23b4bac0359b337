"""`hrpark plugin new NAME --extends CODE`: writes an installable county plugin package extending an
installed jurisdiction's plugin class, from core/plugin/scaffold_templates/*.txt (string.Template,
`$name` placeholders). Freshly written, it installs and its tests pass.
"""
import datetime
import re
import string
from dataclasses import dataclass
from pathlib import Path

from core.rules.parameters import INTEGER_UNITS
from core.rules.criteria import fmt_number

TEMPLATES = Path(__file__).parent / "scaffold_templates"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
CODE = re.compile(r"^[a-z][a-z0-9_-]{1,62}$")
#: Units whose values a county typically changes (not flags, dates or texts).
NUMBER_UNITS = INTEGER_UNITS | {"m2", "yuan", "yuan_per_person", "ratio", "score"}
#: What a place name ends with, dropped to make the prefix of recognised parks (示例县 → 示例).
PLACE_SUFFIXES = ("自治县", "开发区", "新区", "区", "县", "市", "旗")


class ScaffoldError(ValueError):
    """The package cannot be written as asked; the message says why, Chinese first."""


@dataclass(frozen=True)
class ScaffoldRequest:
    name: str  # the package's short name: sample_county → hrpark-sample-county / hrpark_sample_county
    extends: str  # the code of the installed jurisdiction it extends
    name_zh: str
    name_en: str = ""
    code: str = ""  # default: <extends>-<name>
    measures_title: str = ""  # default: <name_zh>人力资源服务产业园认定管理办法
    prefix: str = ""  # default: name_zh without its 区/县/市
    parameter: str = ""  # the city's parameter to override first; default: its first number
    # The day the county's measure takes effect: its numbers are dated from it; before it the city's
    # numbers apply, cited to the city's measures (a programme inherits its parent's per date).
    effective_from: datetime.date | None = None


def _validate(request, reg):
    if not NAME.match(request.name or ""):
        raise ScaffoldError(
            f"插件名称“{request.name}”无效：须为2–40个小写英文字母、数字或下划线，以字母开头（如 sample_county） — "
            f"plugin name {request.name!r} is invalid: 2–40 lowercase letters, digits or underscores, starting with a letter"
        )
    if request.extends not in reg:
        raise ScaffoldError(
            f"要扩展的辖区“{request.extends}”未安装，已安装：{', '.join(reg.codes()) or '无'} — "
            f"the jurisdiction {request.extends!r} to extend is not installed"
        )
    code = request.code or f"{request.extends}-{request.name}"
    if not CODE.match(code):
        raise ScaffoldError(
            f"辖区代码“{code}”无效：须为小写英文字母、数字、下划线或连字符 — jurisdiction code {code!r} is invalid"
        )
    if code in reg:
        raise ScaffoldError(f"辖区代码“{code}”已被已安装的插件使用 — the jurisdiction code {code!r} is already installed")
    if not (request.name_zh or "").strip():
        raise ScaffoldError("请给出县区的中文名称（--name-zh，如 示例县） — the county's Chinese name is required (--name-zh)")
    return code


def default_prefix(name_zh):
    for suffix in PLACE_SUFFIXES:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            return name_zh[: -len(suffix)]
    return name_zh


def short_title(name_zh):
    """示例县 → 示例县办法: how the county's own articles are cited."""
    return f"{name_zh}办法"


def _first_number(parameters):
    for p in parameters:
        if p.unit in NUMBER_UNITS and not p.local_default:
            return p
    raise ScaffoldError("上级辖区没有可覆盖的数值参数 — the parent has no number to override")


def _today_text(parameter):
    """The parameter's value today (else its last) as YAML writes it."""
    try:
        value = parameter.at(datetime.date.today())
    except ValueError:
        value = parameter.values[-1][1]
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return fmt_number(value)


def _yaml_text(text):
    """`text` as a one-line YAML scalar (quoted when YAML would read it otherwise)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parameter_catalogue(parameters):
    lines = []
    for p in parameters:
        local = "（本地默认值 local default）" if p.local_default and "本地默认" not in p.reference else ""
        lines.append(f"#   {p.id}: {_today_text(p)} {p.unit} — {p.reference}{local} — {p.description}")
    return "\n".join(lines)


def parameter_override(parameter, title, start=None):
    """The YAML of one override: the city's value, to be replaced by the county's own, dated from
    the county measure's start (`start`; the city's own start where not given)."""
    start = (start or parameter.effective_from).isoformat()
    return "\n".join([
        f"  {parameter.id}:",
        f"    # {parameter.description} — 上级的数值 {_today_text(parameter)}（{parameter.reference}）",
        f"    reference: {_yaml_text(title + parameter.reference)}   # 本县区办法的条款 / your measure's article",
        "    values:",
        f"      {start}: {_today_text(parameter)}   # 改为本县区办法的数值 / your measure's number",
    ])


def template_overrides_text(templates):
    if not templates:
        return "    # 上级辖区没有文书模板可覆盖 — the parent issues no document templates yet.\n"
    # A document with a red header (one that carries a document number) shows the override best.
    first = next((t for t in templates if t.number_prefix), templates[0])
    return (
        f"    # {first.title}（{first.article}），以本县区的名义和文头印发 — issued under the county's own header\n"
        f"    {first.id!r}: replace(city_template({first.id!r}), issuer=ISSUER, header=HEADER),\n"
    )


def declared_catalogues(criteria, materials):
    """The parent's conditions and materials, listed as comments of criteria.yaml and materials.yaml."""
    def listed(items):
        return "\n".join(f"#   {item.id} — {item.article} — {item.title}" for item in items)

    return {"criteria_catalogue": listed(criteria), "first_criterion": criteria[0].id if criteria else "site_area",
            "materials_catalogue": listed(materials), "first_material": materials[0].id if materials else "application_letter"}


def scaffold(request: ScaffoldRequest, directory: Path, reg=None) -> list:
    """Write the package for `request` into `directory` (which must not exist or be empty).

    Returns the paths written.
    """
    from core.plugin.registry import registry

    reg = reg or registry()
    code = _validate(request, reg)
    parent = reg.get(request.extends)
    parent_class = type(parent.plugin)
    parameters = list(parent.parameters)
    if request.parameter:
        if request.parameter not in parent.parameters:
            raise ScaffoldError(
                f"参数“{request.parameter}”不是{parent.info.name}的参数 — {request.parameter!r} is not a parameter of {parent.code}"
            )
        first = parent.parameters.get(request.parameter)
    else:
        first = _first_number(parameters)
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise ScaffoldError(f"目录 {directory} 已存在且不为空 — the directory {directory} exists and is not empty")

    name_zh = request.name_zh.strip()
    package = f"hrpark_{request.name}"
    bureau = f"{name_zh}人力资源和社会保障局"
    values = {
        "name": request.name,
        "name_zh": name_zh,
        "name_en": request.name_en or request.name.replace("_", " ").title(),
        "code": code,
        "package": package,
        "distribution": f"hrpark-{request.name.replace('_', '-')}",
        "class_name": "".join(part.title() for part in request.name.split("_")) + "Plugin",
        "measures_title": request.measures_title or f"{name_zh}人力资源服务产业园认定管理办法",
        "prefix": request.prefix or default_prefix(name_zh),
        "short_title": short_title(name_zh),
        "parent_code": parent.code,
        "parent_name": parent.info.name,
        "parent_module": parent_class.__module__,
        "parent_class": parent_class.__qualname__,
        "issuer": bureau,
        "header": f"{bureau}文件",
        "catalogue": parameter_catalogue(parameters),
        "override": parameter_override(first, short_title(name_zh), request.effective_from),
        # A number of the county's own begins with its measure (the city's start where none is given).
        "own_start": (request.effective_from or first.effective_from).isoformat(),
        "template_overrides": template_overrides_text(parent.document_templates()),
        **declared_catalogues(parent.criteria(first.effective_from), parent.materials()),
    }
    files = {
        "pyproject.toml": "pyproject.toml.txt",
        "README.md": "README.md.txt",
        f"{package}/__init__.py": "plugin_init.py.txt",
        f"{package}/parameters.yaml": "parameters.yaml.txt",
        f"{package}/criteria.yaml": "criteria.yaml.txt",
        f"{package}/materials.yaml": "materials.yaml.txt",
        f"{package}/documents.py": "documents.py.txt",
        "tests/conftest.py": "conftest.py.txt",
        f"tests/test_{request.name}_plugin.py": "test_plugin.py.txt",
    }
    written = []
    for relative, template in files.items():
        text = string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
