"""`hrpark plugin new NAME --extends CODE` (core/plugin/scaffold.py) writes an installable county plugin:
its own pyproject.toml with the entry point, a parameter file with one overridden value and its
article, a document template override and tests. Freshly written, it installs with pip into a
virtual environment and its tests pass unchanged; with two numbers changed it evaluates a park by
them on the command line while Changzhi's answer stays Changzhi's."""
import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from core.io.cli.main import cli
from core.plugin.registry import load_registry
from core.plugin.scaffold import ScaffoldError, ScaffoldRequest, default_prefix, scaffold

EXAMPLE_PARK = Path(__file__).resolve().parents[2] / "docs" / "examples" / "county-park.json"
TUNLIU = ScaffoldRequest(name="tunliu", extends="changzhi", name_zh="屯留区", name_en="Tunliu District")


@pytest.fixture
def written(tmp_path):
    directory = tmp_path / "hrpark-tunliu"
    paths = scaffold(TUNLIU, directory, load_registry())
    return directory, paths


def test_the_package_has_every_file(written):
    directory, paths = written
    assert sorted(str(p.relative_to(directory)) for p in paths) == [
        "README.md", "hrpark_tunliu/__init__.py", "hrpark_tunliu/criteria.yaml", "hrpark_tunliu/documents.py",
        "hrpark_tunliu/materials.yaml", "hrpark_tunliu/parameters.yaml", "pyproject.toml", "tests/conftest.py",
        "tests/test_tunliu_plugin.py",
    ]
    for path in paths:
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), str(path))  # valid Python


def test_pyproject_declares_the_entry_point_under_the_code(written):
    directory, _ = written
    project = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "hrpark-tunliu"
    assert project["project"]["entry-points"]["hrpark.jurisdictions"] == {"changzhi-tunliu": "hrpark_tunliu:plugin"}
    assert project["tool"]["setuptools"]["package-data"]["hrpark_tunliu"] == ["*.yaml", "templates/*"]
    assert project["build-system"]["build-backend"] == "setuptools.build_meta"


def test_the_parameter_file_overrides_one_number_with_the_countys_article(written):
    directory, _ = written
    data = yaml.safe_load((directory / "hrpark_tunliu" / "parameters.yaml").read_text(encoding="utf-8"))
    assert list(data["overrides"]) == ["single_site_min_area"]  # Changzhi's first number
    override = data["overrides"]["single_site_min_area"]
    assert override["reference"] == "屯留区办法第六条第（二）项"
    assert list(override["values"].values()) == [3000]  # Changzhi's value, for the officer to change
    assert data["parameters"] == {}
    text = (directory / "hrpark_tunliu" / "parameters.yaml").read_text(encoding="utf-8")
    for p in load_registry().get("changzhi").parameters:  # every number of the city, listed to choose from
        assert f"#   {p.id}: " in text and p.reference in text


@pytest.mark.parametrize("filename, section, listed", [
    ("criteria.yaml", "criteria", lambda city: city.criteria(city.parameters.get("single_site_min_area").effective_from)),
    ("materials.yaml", "materials", lambda city: city.materials()),
])
def test_conditions_and_materials_are_data_changing_nothing_yet_listing_the_citys(written, filename, section, listed):
    directory, _ = written
    text = (directory / "hrpark_tunliu" / filename).read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {section: []}
    for item in listed(load_registry().get("changzhi")):  # every one of the city's, to choose from
        assert f"#   {item.id} — {item.article} — {item.title}" in text


def test_the_plugin_extends_its_city_and_names_itself(written):
    directory, _ = written
    text = (directory / "hrpark_tunliu" / "__init__.py").read_text(encoding="utf-8")
    for needle in ("from plugins.changzhi import ChangzhiPlugin", "class TunliuPlugin(ChangzhiPlugin):",
                   'CODE = "changzhi-tunliu"', 'PARENT = "changzhi"', 'name="屯留区"', 'name_prefix="屯留"',
                   'measures_title="屯留区人力资源服务产业园认定管理办法"', 'level="county"', "plugin = TunliuPlugin()"):
        assert needle in text


def test_the_template_override_gives_the_countys_header(tmp_path, changzhi_documents):
    paths = scaffold(TUNLIU, tmp_path / "pkg", load_registry())
    text = next(p for p in paths if p.name == "documents.py").read_text(encoding="utf-8")
    assert 'ISSUER = "屯留区人力资源和社会保障局"' in text and 'HEADER = "屯留区人力资源和社会保障局文件"' in text
    first = next(t.id for t in changzhi_documents if t.number_prefix)  # a document with a red header
    assert f"{first!r}: replace(city_template({first!r}), issuer=ISSUER, header=HEADER)," in text


def test_a_county_of_karamay_too(tmp_path):
    paths = scaffold(ScaffoldRequest(name="dushanzi", extends="karamay", name_zh="独山子区"), tmp_path / "pkg", load_registry())
    init = next(p for p in paths if p.name == "__init__.py" and p.parent.name == "hrpark_dushanzi").read_text(encoding="utf-8")
    assert "from plugins.karamay import KaramayPlugin" in init and 'CODE = "karamay-dushanzi"' in init
    data = yaml.safe_load(next(p for p in paths if p.name == "parameters.yaml").read_text(encoding="utf-8"))
    [(pid, override)] = data["overrides"].items()
    karamay = load_registry().get("karamay").parameters.get(pid)
    assert not karamay.local_default and override["reference"] == f"独山子区办法{karamay.reference}"


@pytest.mark.parametrize(
    "request_, message",
    [
        (ScaffoldRequest(name="Tunliu", extends="changzhi", name_zh="屯留区"), "插件名称“Tunliu”无效"),
        (ScaffoldRequest(name="1tunliu", extends="changzhi", name_zh="屯留区"), "plugin name '1tunliu' is invalid"),
        (ScaffoldRequest(name="tunliu", extends="taiyuan", name_zh="屯留区"), "要扩展的辖区“taiyuan”未安装"),
        (ScaffoldRequest(name="luzhou", extends="changzhi", name_zh="潞州区"), "辖区代码“changzhi-luzhou”已被已安装的插件使用"),
        (ScaffoldRequest(name="tunliu", extends="changzhi", name_zh="屯留区", code="Changzhi Tunliu"), "辖区代码“Changzhi Tunliu”无效"),
        (ScaffoldRequest(name="tunliu", extends="changzhi", name_zh="  "), "请给出县区的中文名称"),
        (ScaffoldRequest(name="tunliu", extends="changzhi", name_zh="屯留区", parameter="site_area"), "“site_area”不是长治市的参数"),
    ],
)
def test_bad_input_is_refused_saying_what_is_wrong(tmp_path, request_, message):
    with pytest.raises(ScaffoldError) as refused:
        scaffold(request_, tmp_path / "pkg", load_registry())
    assert message in str(refused.value) and " — " in str(refused.value)  # Chinese, then English
    assert not (tmp_path / "pkg").exists()


def test_a_directory_in_the_way_is_refused(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="目录 .* 已存在且不为空 — the directory .* exists and is not empty"):
        scaffold(TUNLIU, tmp_path / "pkg", load_registry())
    assert [p.name for p in (tmp_path / "pkg").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("name, prefix", [("屯留区", "屯留"), ("平顺县", "平顺"), ("长治高新技术产业开发区", "长治高新技术产业"), ("区", "区")])
def test_the_default_prefix_drops_the_place_suffix(name, prefix):
    assert default_prefix(name) == prefix


def test_cli_new_writes_the_package_and_says_what_next(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["plugin", "new", "tunliu", "--extends", "changzhi", "--name-zh", "屯留区",
                                 "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "已生成 / written" in result.output and "hrpark plugin check changzhi-tunliu" in result.output
    assert (tmp_path / "out" / "hrpark_tunliu" / "parameters.yaml").is_file()
    refused = runner.invoke(cli, ["plugin", "new", "Tunliu", "--extends", "changzhi", "--name-zh", "屯留区",
                                  "-o", str(tmp_path / "other")])
    assert refused.exit_code == 2 and "插件名称“Tunliu”无效" in refused.output


def test_cli_new_asks_for_the_chinese_name(tmp_path):
    result = CliRunner().invoke(cli, ["plugin", "new", "pingshun", "--extends", "changzhi", "-o", str(tmp_path / "p")],
                                input="平顺县\n")
    assert result.exit_code == 0, result.output
    assert "县区中文名称" in result.output
    assert 'name="平顺县"' in (tmp_path / "p" / "hrpark_pingshun" / "__init__.py").read_text(encoding="utf-8")


# --- installed with pip into a virtual environment -------------------------------------------------


def run(args, cwd, timeout=300):
    # This checkout's hrpark, whichever one the environment's editable install points at.
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HRPARK_DATABASE_URL")},
           "PYTHONPATH": str(EXAMPLE_PARK.parents[2])}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def evaluation(python, code, cwd):
    out = run([python, "-m", "core.io.cli.main", "evaluate", code, str(EXAMPLE_PARK), "--year", "2026", "--as-of", "2026-06-30",
               "--json"], cwd)
    data = json.loads(out)
    return {r["id"]: r for r in data["results"]}


def test_installed_with_pip_its_tests_pass_unchanged_then_it_evaluates_by_the_countys_numbers(tmp_path, venv):
    package = tmp_path / "hrpark-tunliu"
    run([sys.executable, "-m", "core.io.cli.main", "plugin", "new", "tunliu", "--extends", "changzhi", "--name-zh", "屯留区",
         "--name-en", "Tunliu District", "-o", str(package)], tmp_path)
    pip = [str(venv), "-m", "pip", "install", "--no-index", "--no-build-isolation", "--force-reinstall", "--no-deps", "."]
    run(pip, package)
    tests = run([str(venv), "-m", "pytest", "-q", "-p", "no:cacheprovider"], package)
    assert " passed" in tests and "failed" not in tests and "error" not in tests.lower(), tests

    tree = json.loads(run([str(venv), "-m", "core.io.cli.main", "plugins", "--json"], tmp_path))
    changzhi = next(j for j in tree["jurisdictions"] if j["code"] == "changzhi")
    assert "changzhi-tunliu" in [c["code"] for c in changzhi["children"]]
    before = evaluation(str(venv), "changzhi", tmp_path)

    # The officer changes two numbers (第六条第（二）项 and 第六条第（三）项) and installs again.
    parameters = package / "hrpark_tunliu" / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    text = text.replace("      2024-01-01: 3000   # 改为本县区办法的数值 / your measure's number", "      2024-01-01: 2000")
    text = text.replace("parameters: {}", "  min_agencies:\n    reference: 屯留区办法第六条第（三）项\n    values:\n"
                                          "      2024-01-01: 8\nparameters: {}")
    parameters.write_text(text, encoding="utf-8")
    # … cites the site area to the county's article (criteria.yaml) and adds a material of its own (materials.yaml).
    criteria = package / "hrpark_tunliu" / "criteria.yaml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace(
        "criteria: []", "criteria:\n  - id: site_area\n    article: 屯留区办法第六条第（二）项"), encoding="utf-8")
    materials = package / "hrpark_tunliu" / "materials.yaml"
    materials.write_text(materials.read_text(encoding="utf-8").replace(
        "materials: []", "materials:\n  - id: site_lease\n    article: 屯留区办法第七条\n    title: 场地租赁合同\n"
                         "    title_en: Lease of the site\n    required: false"), encoding="utf-8")
    run(pip, package)

    county = evaluation(str(venv), "changzhi-tunliu", tmp_path)
    assert county["site_area"]["status"] == "met" and "不少于2000㎡" in county["site_area"]["explanation"]
    assert county["site_area"]["article"] == "屯留区办法第六条第（二）项"
    materials = run([str(venv), "-c", "from core.plugin.registry import load_registry; "
                     "print([m.id for m in load_registry().get('changzhi-tunliu').materials()])"], tmp_path)
    assert "'site_lease'" in materials and "'application_letter'" in materials
    assert county["agency_count"]["status"] == "met" and "不少于8家" in county["agency_count"]["explanation"]
    city = evaluation(str(venv), "changzhi", tmp_path)
    assert city == before  # Changzhi's answer for the same park, unchanged
    assert city["site_area"]["status"] == "not_met_waivable" and "低于3000㎡" in city["site_area"]["explanation"]
    assert city["agency_count"]["status"] == "not_met_waivable" and "少于10家" in city["agency_count"]["explanation"]

    check = run([str(venv), "-m", "core.io.cli.main", "plugin", "check", "changzhi-tunliu"], tmp_path)
    assert "结论 / Result: 通过 / passed" in check and "警告" not in check  # the numbers are the county's own now
    tests = run([str(venv), "-m", "pytest", "-q", "-p", "no:cacheprovider"], package)
    assert " passed" in tests and "failed" not in tests, tests


def test_a_county_dated_from_its_own_start_inherits_the_citys_numbers_before_it(tmp_path):
    """Issue 12: the county's number is dated from its measure's start; before it, the city's applies."""
    import datetime

    import yaml

    request = ScaffoldRequest(name="tunliu", extends="changzhi", name_zh="屯留区", effective_from=datetime.date(2026, 9, 1))
    paths = scaffold(request, tmp_path / "pkg", load_registry())
    parameters = next(p for p in paths if p.name == "parameters.yaml")
    overrides = yaml.safe_load(parameters.read_text(encoding="utf-8"))["overrides"]
    (entry,) = overrides.values()
    assert list(entry["values"]) == [datetime.date(2026, 9, 1)]
    # The commented example of a number of the county's own starts with the measure too.
    assert "#      2026-09-01: 6\n" in parameters.read_text(encoding="utf-8")


def test_without_a_start_date_the_example_number_starts_with_the_citys_measures(written):
    directory, _ = written
    text = (directory / "hrpark_tunliu" / "parameters.yaml").read_text(encoding="utf-8")
    start = load_registry().get("changzhi").parameters.get("single_site_min_area").effective_from
    assert f"#      {start.isoformat()}: 6\n" in text and f"      {start.isoformat()}: 3000" in text
