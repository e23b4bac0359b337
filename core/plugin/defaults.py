"""Core's own contributions to every hook, registered `trylast` in every jurisdiction's manager
(datasette's pattern): each hook has an implementation here to read, answering what core itself adds."""
from core.plugin.hookspecs import hookimpl


@hookimpl(trylast=True)
def hrpark_extra_criteria(info, on):
    """Core adds no condition: every criterion is an article of some programme's measures."""
    return []


@hookimpl(trylast=True)
def hrpark_extra_documents(info):
    """Core issues no document of its own: each is a programme's."""
    return []


@hookimpl(trylast=True)
def hrpark_extra_facts(info):
    """The shared facts (area, agencies, revenue, employment …) are core's record fields
    (core.records.models), declared there once: core adds no declaration here."""
    return []


@hookimpl(trylast=True)
def hrpark_plugin_checks():
    """The seven checks of `hrpark plugin check`: loads, hooks, parameters, overrides, dates,
    templates, isolation (core.plugin.conformance)."""
    from core.plugin.conformance import CORE_CHECKS  # late: core.plugin.conformance imports core.plugin.registry

    return list(CORE_CHECKS)
