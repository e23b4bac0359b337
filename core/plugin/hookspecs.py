"""The hooks of hrpark: only those where several plugins contribute. One bare function per hook.

Each implementation returns a list; core.plugin.registry.collect keeps each item with the plugin that gave
it, in the manager of one programme (core.plugin.registry.build_manager). What one programme alone answers
is a plain method of its plugin (core.plugin.base.JurisdictionPlugin). `info` is the
`core.rules.jurisdiction.JurisdictionInfo` of the programme asking: an add-on reads its code or level to
decide what it adds. An implementation may leave out arguments it does not use.
"""
import pluggy

hookspec = pluggy.HookspecMarker("hrpark")
hookimpl = pluggy.HookimplMarker("hrpark")


@hookspec
def hrpark_extra_criteria(info, on):
    """Return the `core.rules.criteria.Criterion`s to add to the programme's own criteria on day `on`
    (a county's conditions of its own, an add-on's). A new id must not repeat an existing one."""


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
