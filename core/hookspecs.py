"""Every hook a jurisdiction plugin may implement. One module, one bare function per hook.

Each jurisdiction gets a plugin manager of its own (see core.plugins), so a hook is only ever
answered by that jurisdiction's plugin, or by core.defaults (marked trylast) where the plugin is
silent. All hooks stop at the first non-None result (firstresult).

A hook that judges takes the day it judges (`on`), as OpenFisca's formulas take their period:
nothing reads "today". An implementation may leave out arguments it does not use (pluggy passes
only those it names).
"""
import pluggy

hookspec = pluggy.HookspecMarker("hrpark")
hookimpl = pluggy.HookimplMarker("hrpark")


@hookspec(firstresult=True)
def hrpark_jurisdiction():
    """Return the `core.jurisdiction.JurisdictionInfo`: code, names, parent, measures, prefix."""


@hookspec(firstresult=True)
def hrpark_parameters():
    """Return the `core.parameters.ParameterSet`: every number of the measures, with its article."""


@hookspec(firstresult=True)
def hrpark_criteria(on):
    """Return the list of `core.rules.Criterion` for recognition (eligibility) on day `on`, in article order."""


@hookspec(firstresult=True)
def hrpark_materials():
    """Return the list of `core.procedure.MaterialSpec` an application must carry."""


@hookspec(firstresult=True)
def hrpark_procedure():
    """Return the `core.procedure.Procedure`: states, transitions and the role that may take each."""


@hookspec(firstresult=True)
def hrpark_assessment_indicators(on):
    """Return the list of `core.assessment.Indicator` (with the weights in force on `on`)."""


@hookspec(firstresult=True)
def hrpark_grade_tiers(on):
    """Return the list of `core.assessment.GradeTier` in force on `on`, best grade first."""


@hookspec(firstresult=True)
def hrpark_grade_consequences(history, on):
    """Return the list of `core.assessment.Consequence` of the latest entry of `history`.

    :param history: list of `core.assessment.GradeRecord`, oldest first.
    :param on: the day the latest grade was given: its consequences are the rules of that day.
    """


@hookspec(firstresult=True)
def hrpark_subsidies(context):
    """Return the list of `core.subsidy.SubsidyProposal` due for `context` (a SubsidyContext)."""


@hookspec(firstresult=True)
def hrpark_ledger_categories():
    """Return the list of `core.ledger.LedgerCategory`, allowed and forbidden uses of the funds."""


@hookspec(firstresult=True)
def hrpark_document_templates():
    """Return the list of `core.documents.DocumentTemplate` this jurisdiction issues."""


@hookspec(firstresult=True)
def hrpark_recognised_name(park_name):
    """Return the official name of a recognised park (the measures' prefix + `park_name`)."""
