"""Add-on packages for test_core_plugin_hooks.py, loaded through fake `hrpark.addons` entry points:
each contributes to the collecting hooks of every programme it is installed beside."""
from core.plugin.conformance import WARNING, Check, Finding
from core.io.documents.registry import DocumentTemplate
from core.rules.fact_declarations import FactDeclaration
from core.plugin.hookspecs import hookimpl
from core.rules.criteria import MET, Criterion


def _always_met(criterion, ctx):
    return criterion.result(MET, explanation="符合。", explanation_en="Met.")


JOB_FAIRS = Criterion("job_fairs", "第六条第（七）项", "举办招聘会", "Holds job fairs", _always_met)
FAIR_REPORT = DocumentTemplate("addon.fair_report", "招聘会报告", "Job fair report", "application", "第六条第（七）项")
FAIRS_HELD = FactDeclaration("job_fairs_held", "举办招聘会场次", "job fairs held", "int", "park_year", "第六条第（七）项")


def _warn_every_plugin(subject, answers):
    return [Finding(subject.name, "job_fairs", "未登记招聘会", "no job fairs recorded", WARNING)]


class JobFairs:
    """Adds a condition, a document and a fact to the cities only (not to a county), and a check."""

    @hookimpl
    def hrpark_extra_criteria(self, info, on):
        return [JOB_FAIRS] if info.parent is None else []

    @hookimpl
    def hrpark_extra_documents(self, info):
        return [FAIR_REPORT] if info.parent is None else []

    @hookimpl
    def hrpark_extra_facts(self, info):
        return [FAIRS_HELD] if info.parent is None else []

    @hookimpl
    def hrpark_plugin_checks(self):
        return [Check("job_fairs", "招聘会", "job fairs", _warn_every_plugin)]


class SiteAreaAgain:
    """Adds a criterion under an id every city already has."""

    @hookimpl
    def hrpark_extra_criteria(self):
        return [Criterion("agency_revenue", "第六条", "营业收入", "Revenue", _always_met)]


class NotAList:
    @hookimpl
    def hrpark_extra_documents(self):
        return FAIR_REPORT


job_fairs = JobFairs()
site_area_again = SiteAreaAgain()
not_a_list = NotAList()
