"""Fixtures of the county-plugin tests: the sample plugins of this directory importable by name (as
an entry point imports them), registries with chosen entry points, Changzhi's document templates
wired in, hrpark's conformance fixture, and a virtual environment to pip-install a county package into."""
import importlib.metadata
import site
import subprocess
import sys
from pathlib import Path

import pytest

from core.plugin.registry import ENTRY_POINT_GROUP, load_registry, set_registry
from core.plugin.pytest_conformance import hrpark_conformance  # noqa: F401

HERE = Path(__file__).parent
LUZHOU = "changzhi-luzhou"


def entry_point(name, value):
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def installed_entry_points(without=()):
    return [ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name not in without]


@pytest.fixture(autouse=True)
def no_ambient_database(monkeypatch, tmp_path):
    """No HRPARK_DATABASE_URL and no instance/hrpark.db: a command sees only the database a test gives it."""
    monkeypatch.delenv("HRPARK_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def county_modules(monkeypatch):
    """tests/county/countytest_*.py importable by module name, forgotten again afterwards."""
    monkeypatch.syspath_prepend(str(HERE))
    yield HERE
    for name in [m for m in sys.modules if m.startswith("countytest_")]:
        del sys.modules[name]


@pytest.fixture
def changzhi_documents():
    """Changzhi's document templates (plugins/changzhi/documents.py), as its plugin answers them."""
    from plugins.changzhi import ChangzhiPlugin

    templates = ChangzhiPlugin().build_document_templates()
    assert templates, "Changzhi issues no document templates"
    return templates


@pytest.fixture
def with_registry():
    """with_registry(reg): make `reg` the process-wide registry for the test (restored after)."""
    from core.plugin import registry as plugins

    previous = plugins._registry

    def install(reg):
        set_registry(reg)
        return reg

    yield install
    set_registry(previous)


@pytest.fixture
def registries():
    """(without Luzhou, with Luzhou): registries of the installed plugins."""
    without = load_registry(installed_entry_points(without=(LUZHOU,)))
    with_luzhou = load_registry(installed_entry_points())
    assert not without.failures and not with_luzhou.failures
    assert LUZHOU not in without and LUZHOU in with_luzhou
    return without, with_luzhou


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh virtual environment that also sees the packages of the one running the tests (hrpark,
    pip, setuptools, pytest), so installing into it needs no network. `--system-site-packages`
    would show the base interpreter's packages instead, which on a new machine hold none of them."""
    env = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site_packages = next((env / "lib").glob("python*/site-packages"))
    # addsitedir (not a plain path line) so that the .pth files there — hrpark's editable install — are read too.
    parents = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (site_packages / "_tests_parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in parents), encoding="utf-8")
    return env / "bin" / "python"
