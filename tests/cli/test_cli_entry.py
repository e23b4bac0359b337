"""The `hrpark` entry point: optional command modules other work adds, and exit statuses."""
import sys
import types

import click
import pytest

from core.io.cli import main as cli_module


@pytest.fixture
def fake_modules(monkeypatch):
    """fake_modules(name=module_or_error): modules importlib will find (or fail on)."""

    def install(**modules):
        for name, module in modules.items():
            monkeypatch.setitem(sys.modules, name, module)

    return install


def test_optional_module_registers_its_commands(fake_modules):
    group = click.Group("hrpark")
    module = types.ModuleType("hrpark_test_commands")

    def register(g):
        g.add_command(click.Command("demo", callback=lambda: click.echo("demo data")))

    module.register = register
    fake_modules(hrpark_test_commands=module)
    cli_module.register_optional_commands(group, ("hrpark_test_commands",))
    assert "demo" in group.commands


def test_an_absent_optional_module_is_skipped():
    group = click.Group("hrpark")
    cli_module.register_optional_commands(group, ("hrpark_absent_package.commands", "hrpark_absent_module"))
    assert group.commands == {}


def test_a_broken_import_inside_an_optional_module_surfaces(tmp_path, monkeypatch):
    package = tmp_path / "hrpark_broken_cmds"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "commands.py").write_text("import hrpark_dependency_nobody_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as caught:
        cli_module.register_optional_commands(click.Group("hrpark"), ("hrpark_broken_cmds.commands",))
    assert caught.value.name == "hrpark_dependency_nobody_installed"


def test_main_exits_1_on_an_unexpected_error_with_a_one_line_message(monkeypatch, capsys):
    @cli_module.cli.command("explode-for-test")
    def explode():
        raise RuntimeError("磁盘已满 disk full")

    try:
        with pytest.raises(SystemExit) as caught:
            cli_module.main(["explode-for-test"])
    finally:
        cli_module.cli.commands.pop("explode-for-test")
    assert caught.value.code == 1
    err = capsys.readouterr().err
    assert "出错 / Error: RuntimeError: 磁盘已满 disk full" in err and "HRPARK_DEBUG" in err


def test_main_exits_2_on_bad_input(registry, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("HRPARK_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as caught:
        cli_module.main(["evaluate", "changzhi", str(tmp_path / "missing.json")])
    assert caught.value.code == 2
    assert "文件不存在" in capsys.readouterr().err


def test_main_exits_0_when_done(registry, capsys):
    with pytest.raises(SystemExit) as caught:
        cli_module.main(["schema", "dossier"])
    assert caught.value.code == 0
    assert '"$schema"' in capsys.readouterr().out


def test_console_script_is_declared():
    from importlib.metadata import entry_points

    (script,) = [ep for ep in entry_points(group="console_scripts") if ep.name == "hrpark"]
    assert script.value == "core.io.cli.main:main"
