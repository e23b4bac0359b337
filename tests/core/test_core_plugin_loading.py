"""Loading plugins from entry points: a broken plugin is listed by its entry point's name with its
error, and the good plugins load all the same."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import importlib.metadata

import pytest

from core.plugin.registry import ENTRY_POINT_GROUP, Registry, UnknownJurisdiction, load_registry


def entry_point(name, value):
    return importlib.metadata.EntryPoint(name=name, value=value, group=ENTRY_POINT_GROUP)


def installed_entry_points():
    return list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


BROKEN = {
    "raises_on_import": "coretest_raises_on_import:plugin",
    "no_jurisdiction_info": "coretest_bad_plugins:no_info",
    "misspelt_hook": "coretest_bad_plugins:misspelt_hook",
    "zz_second_karamay": "coretest_bad_plugins:second_karamay",  # loads after the real karamay
    "missing_attribute": "coretest_bad_plugins:no_such_plugin",
}


@pytest.fixture
def loaded_with_broken_plugins(sample_modules):
    fakes = [entry_point(name, value) for name, value in BROKEN.items()]
    return load_registry(installed_entry_points() + fakes)


def failure(registry, name):
    matches = [f for f in registry.failures if f.name == name]
    assert len(matches) == 1, [str(f) for f in registry.failures]
    return matches[0]


def test_good_plugins_load_beside_broken_ones(loaded_with_broken_plugins):
    registry = loaded_with_broken_plugins
    assert {"karamay", "changzhi"} <= set(registry.codes())
    assert registry.get("karamay").info.name == "克拉玛依市"  # the real one, not the impostor
    assert registry.get("changzhi").criteria(RULES_DAY)
    assert {f.name for f in registry.failures} == set(BROKEN)


def test_a_module_that_raises_on_import_is_named_with_its_error(loaded_with_broken_plugins):
    broken = failure(loaded_with_broken_plugins, "raises_on_import")
    assert "RuntimeError" in broken.error and "fails on import" in broken.error
    assert "coretest_raises_on_import" in broken.detail  # the traceback, for the log
    assert str(broken).startswith("插件 raises_on_import 加载失败 (plugin raises_on_import failed to load)")


def test_a_plugin_without_jurisdiction_info_is_named(loaded_with_broken_plugins):
    broken = failure(loaded_with_broken_plugins, "no_jurisdiction_info")
    assert "PluginLoadError" in broken.error and "info()" in broken.error
    assert "没有返回辖区信息" in broken.error and "returned nothing" in broken.error


def test_a_plugin_implementing_an_unknown_hook_is_named_with_the_hook(loaded_with_broken_plugins):
    broken = failure(loaded_with_broken_plugins, "misspelt_hook")
    assert "hrpark_extra_criterion" in broken.error
    assert "misspelt" not in loaded_with_broken_plugins.codes()


def test_a_second_plugin_with_a_taken_code_is_named(loaded_with_broken_plugins):
    broken = failure(loaded_with_broken_plugins, "zz_second_karamay")
    assert "karamay" in broken.error and "重复" in broken.error and "duplicate" in broken.error


def test_an_entry_point_naming_a_missing_object_is_named(loaded_with_broken_plugins):
    broken = failure(loaded_with_broken_plugins, "missing_attribute")
    assert "no_such_plugin" in broken.error


def test_failures_do_not_leak_into_another_registry(loaded_with_broken_plugins):
    assert loaded_with_broken_plugins.failures
    assert load_registry().failures == []


def test_asking_for_an_uninstalled_jurisdiction_names_it_and_the_installed_ones(registry):
    with pytest.raises(UnknownJurisdiction) as refused:
        registry.get("taiyuan")
    message = str(refused.value)
    assert "未知辖区 'taiyuan'" in message and "unknown jurisdiction" in message
    assert "changzhi" in message and "karamay" in message


def test_an_empty_registry_says_nothing_is_installed():
    with pytest.raises(UnknownJurisdiction, match="已安装：无"):
        Registry().get("karamay")
