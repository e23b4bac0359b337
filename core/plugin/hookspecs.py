"""The hooks of hrpark: only those where several plugins contribute. One bare function per hook.

A jurisdiction's plugin manager (core.plugin.registry.build_manager) holds core's own contributions
(core.plugin.defaults, registered `trylast`), the plugins of the programmes it is modelled on (a county's
city), its own plugin and every add-on package of the `hrpark.addons` entry-point group. Every hook
collects: each implementation returns a list, and core.plugin.registry.collect keeps each item with the
plugin that gave it (a `Contribution`), the city's before the county's.

What one programme alone answers — its information, numbers, materials, procedure, indicators,
grade tiers, consequences, subsidies, ledger categories, templates — is a plain method of its
plugin (core.plugin.base.JurisdictionPlugin), asked through core.plugin.registry.Jurisdiction.

`info` is the `core.rules.jurisdiction.JurisdictionInfo` of the programme asking: an add-on reads its code
or level to decide what it adds. An implementation may leave out arguments it does not use.
"""
import pluggy

hookspec = pluggy.HookspecMarker("hrpark")
hookimpl = pluggy.HookimplMarker("hrpark")


@hookspec
def hrpark_extra_criteria(info, on):
    """Return the `core.rules.criteria.Criterion`s to add to the programme's own criteria on day `on`
    (a county's conditions of its own, an add-on's). A new id must not repeat an existing one. The answer
    is kept per day and `info` (core.plugin.built_criteria): it must follow from them alone."""


@hookspec
def hrpark_extra_documents(info):
    """Return the `core.io.documents.registry.DocumentTemplate`s to add to the documents the programme issues."""


@hookspec
def hrpark_extra_facts(info):
    """Return the `core.rules.fact_declarations.FactDeclaration`s the contributor's rules read, beyond the
    shared facts. An id another contributor declared already is refused, naming both."""


@hookspec
def hrpark_plugin_checks():
    """Return the `core.plugin.conformance.Check`s `hrpark plugin check` runs (core's own seven come first)."""
