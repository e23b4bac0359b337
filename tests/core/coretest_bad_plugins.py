"""Broken jurisdiction plugins, loaded through fake entry points by test_core_plugin_loading.py."""
from core.plugin.hookspecs import hookimpl
from core.rules.jurisdiction import JurisdictionInfo


def info(code, name):
    return JurisdictionInfo(code=code, name=name, name_en=code, measures_title=f"{name}办法", name_prefix=name)


class NoInfoPlugin:
    """Says nothing about who it is."""

    def info(self):
        return None


class MisspeltHookPlugin:
    """Implements a hook core does not have (hrpark_extra_criterion for hrpark_extra_criteria)."""

    parameters = None

    def info(self):
        return info("misspelt", "拼错市")

    @hookimpl
    def hrpark_extra_criterion(self):
        return []


class SecondKaramayPlugin:
    """Claims a code another plugin already has."""

    parameters = None

    def info(self):
        return info("karamay", "另一个克拉玛依")


no_info = NoInfoPlugin()
misspelt_hook = MisspeltHookPlugin()
second_karamay = SecondKaramayPlugin()
