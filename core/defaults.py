"""Core's own answers, registered `trylast` in every jurisdiction's manager: used only where the
jurisdiction's plugin is silent."""
from core.hookspecs import hookimpl


@hookimpl(trylast=True)
def hrpark_document_templates():
    return []


@hookimpl(trylast=True)
def hrpark_grade_consequences(history, on):
    return []


@hookimpl(trylast=True)
def hrpark_subsidies(context):
    return []
