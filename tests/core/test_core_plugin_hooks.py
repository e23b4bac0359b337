"""The collecting hooks: core's defaults answer each (trylast), a county's manager holds its city's
plugin beside its own, and an add-on of `hrpark.addons` contributes to every programme, each item
kept with its source; a clash or a wrong answer names who gave it."""
import importlib.metadata
import inspect
from dataclasses import replace

import pytest

from core.plugin import defaults, hookspecs
from core.plugin.conformance import CHECK_LABELS, run_checks
from core.world.samples import SAMPLE_AS_OF as RULES_DAY
from core.plugin.registry import (
    ADDON_GROUP, ENTRY_POINT_GROUP, DEFAULTS_NAME, PluginLoadError, Registry, collect, load_registry,
)
from plugins.changzhi import ChangzhiPlugin
from plugins.luzhou import LuzhouPlugin
from core.rules.criteria import Criterion
from plugins.luzhou.criteria import check_public_events

#: A condition a county adds in Python (`extra_criteria`) rather than in its criteria.yaml.
EXTRA_EVENTS = Criterion("extra_events", "潞州区办法第六条第（七）项", "举办公益性招聘活动（增补）",
                         "Public-welfare recruitment events (added)", check_public_events, waivable=True)
EXTRA_EVENTS_ID = EXTRA_EVENTS.id

INSTALLED = list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))


def addon(name, value):
    return importlib.metadata.EntryPoint(name=name, value=f"coretest_addons:{value}", group=ADDON_GROUP)


def hooks():
    return [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("hrpark_")]


def test_four_hooks_remain_and_none_stops_at_the_first_answer():
    assert sorted(hooks()) == ["hrpark_extra_criteria", "hrpark_extra_documents", "hrpark_extra_facts",
                               "hrpark_plugin_checks"]
    assert not any(getattr(hookspecs, name).hrpark_spec.get("firstresult") for name in hooks())


@pytest.mark.parametrize("hook", hooks())
def test_core_answers_every_hook_last(hook):
    implementation = getattr(defaults, hook)
    assert implementation.hrpark_impl["trylast"] is True
    assert inspect.signature(implementation).parameters.keys() <= inspect.signature(getattr(hookspecs, hook)).parameters.keys()


def test_core_contributes_its_seven_checks_first(registry):
    checks = collect(registry.get("changzhi").manager, "hrpark_plugin_checks")
    assert [c.item.id for c in checks] == list(CHECK_LABELS) and {c.source for c in checks} == {DEFAULTS_NAME}


# --- a county and its city both contribute ------------------------------------------------------


class LuzhouWithAnExtra(LuzhouPlugin):
    """Luzhou, adding one condition in Python: the hook collects it."""

    extra_criteria = [EXTRA_EVENTS]


class SubLuzhou(LuzhouWithAnExtra):
    """A programme modelled on Luzhou's (a town under the district): Luzhou's own condition reaches it
    through Luzhou's plugin in its manager, once, and reads in its level's words."""

    code = "changzhi-luzhou-town"
    parent_code = "changzhi-luzhou"

    def build_info(self):
        return replace(super().build_info(), code=self.code, name="潞州镇", parent=self.parent_code, name_prefix="潞州镇")


@pytest.fixture(scope="module")
def three_levels():
    registry = Registry()
    for plugin in (ChangzhiPlugin(), LuzhouWithAnExtra(), SubLuzhou()):
        registry.add(plugin.code, plugin)
    assert not registry.failures, [str(f) for f in registry.failures]
    return registry


def test_a_countys_manager_holds_its_city_before_itself(three_levels):
    names = [name for name, _ in three_levels.get("changzhi-luzhou-town").manager.list_name_plugin()]
    assert names == [DEFAULTS_NAME, "hrpark.jurisdiction.changzhi", "hrpark.jurisdiction.changzhi-luzhou",
                     "hrpark.jurisdiction.changzhi-luzhou-town"]


def test_each_level_contributes_its_own_extra_criteria_once(three_levels):
    luzhou, town = three_levels.get("changzhi-luzhou"), three_levels.get("changzhi-luzhou-town")
    contributions = collect(town.manager, "hrpark_extra_criteria", info=town.info, on=RULES_DAY)
    assert [(c.source, c.item.id) for c in contributions] == [("changzhi-luzhou", EXTRA_EVENTS_ID)]
    town_ids = [c.id for c in town.criteria(RULES_DAY)]
    assert town_ids.count(EXTRA_EVENTS_ID) == 1
    assert town_ids == [c.id for c in luzhou.criteria(RULES_DAY)]
    assert next(c for c in town.criteria(RULES_DAY) if c.id == EXTRA_EVENTS_ID).source == "changzhi-luzhou"


def test_a_city_contributes_its_facts_to_its_counties(three_levels):
    town = three_levels.get("changzhi-luzhou-town")
    sources = {c.source for c in collect(town.manager, "hrpark_extra_facts", info=town.info)}
    assert sources == {"changzhi"}  # Luzhou and the town declare no facts of their own
    assert set(town.facts()) == set(three_levels.get("changzhi").facts()) == set(ChangzhiPlugin().declared_facts())


# --- add-ons -----------------------------------------------------------------------------------


@pytest.fixture
def with_job_fairs(sample_modules):
    registry = load_registry(INSTALLED, addons=[addon("job-fairs", "job_fairs")])
    assert not registry.failures, [str(f) for f in registry.failures]
    return registry


def test_an_addon_contributes_to_every_programme_it_chooses(with_job_fairs):
    changzhi, karamay, luzhou = (with_job_fairs.get(code) for code in ("changzhi", "karamay", "changzhi-luzhou"))
    for city in (changzhi, karamay):
        added = next(c for c in city.criteria(RULES_DAY) if c.id == "job_fairs")
        assert added.source == "hrpark.addon.job-fairs"
        assert "addon.fair_report" in {t.id for t in city.document_templates()}
        assert city.facts()["job_fairs_held"].owner == "park_year"
    assert "job_fairs" not in {c.id for c in luzhou.criteria(RULES_DAY)}  # it declines a county
    assert "job_fairs_held" not in luzhou.facts()


def test_an_addons_check_runs_after_cores(with_job_fairs):
    report = run_checks("changzhi", registry=with_job_fairs, entry_points=INSTALLED, only=["loads", "job_fairs"])
    assert report.checks == ["loads", "job_fairs"]
    assert [f.fault for f in report.warnings] == ["未登记招聘会"] and report.passed
    assert "招聘会 / job fairs" in report.text()


def test_without_addons_the_cities_are_as_before(registry, with_job_fairs):
    assert "job_fairs" not in {c.id for c in registry.get("changzhi").criteria(RULES_DAY)}
    assert "job_fairs_held" not in registry.get("changzhi").facts()


def test_an_addon_repeating_an_existing_id_fails_the_programmes_naming_it(sample_modules):
    registry = load_registry(INSTALLED, addons=[addon("again", "site_area_again")])
    with pytest.raises(PluginLoadError, match="agency_revenue"):
        registry.get("karamay").criteria(RULES_DAY)


def test_an_addon_answering_a_non_list_is_named(sample_modules):
    registry = load_registry(INSTALLED, addons=[addon("bad", "not_a_list")])
    failed = {f.name: f.error for f in registry.failures}
    assert set(failed) == {"changzhi", "changzhi-luzhou", "karamay"}  # each refuses to load
    assert all("hrpark.addon.bad" in error and "hrpark_extra_documents" in error for error in failed.values())


def test_an_addon_that_fails_to_import_is_named_and_the_rest_load(sample_modules):
    registry = load_registry(INSTALLED, addons=[addon("missing", "no_such_addon")])
    assert [f.name for f in registry.failures] == ["addon:missing"]
    assert {"changzhi", "karamay"} <= set(registry.codes())


def test_a_fact_declared_twice_names_both_sources(registry):
    changzhi = registry.get("changzhi")
    urban_new_jobs = changzhi.facts()["urban_new_jobs"]

    class Twice:
        @hookspecs.hookimpl
        def hrpark_extra_facts(self):
            return [urban_new_jobs]

    changzhi.manager.register(Twice(), name="hrpark.addon.twice")
    try:
        with pytest.raises(PluginLoadError, match="urban_new_jobs.*changzhi.*hrpark.addon.twice"):
            changzhi.facts()
    finally:
        changzhi.manager.unregister(name="hrpark.addon.twice")

