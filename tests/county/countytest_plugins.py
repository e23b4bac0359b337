"""County plugins of Changzhi that each get one thing wrong (and one that gets nothing wrong), for
test_county_conformance.py: what `hrpark plugin check` must find, by plugin and fault."""
from dataclasses import replace
from pathlib import Path

from core.io.documents.registry import DocumentTemplate
from core.rules.jurisdiction import JurisdictionInfo
from core.rules.criteria import MET, Criterion
from plugins.changzhi import ChangzhiPlugin
from plugins.luzhou.criteria import check_public_events

DATA = Path(__file__).parent / "countytest_data"
#: Luzhou's own condition (plugins/luzhou/criteria.yaml), as a test county adds it in Python.
PUBLIC_EVENTS = Criterion("public_events", "潞州区办法第六条第（六）项", "经常性举办公益性招聘活动",
                          "Regular public-welfare recruitment events", check_public_events, waivable=True,
                          source="changzhi-luzhou")


class County(ChangzhiPlugin):
    """A well-formed county: one number of its own, everything else Changzhi's."""

    code = "changzhi-good"
    parent_code = "changzhi"
    version = "1.2.3"
    parameter_overrides_file = DATA / "good.yaml"

    def build_info(self):
        return JurisdictionInfo(
            code=self.code, name=f"{self.code}区", name_en=self.code, measures_title=f"{self.code}区办法",
            name_prefix=self.code, parent=self.parent_code, level="county", version=self.version,
        )


class DatedCounty(County):
    """A county whose own number starts with its measure, 2025-07-01, after the city's (issue 12)."""

    code = "changzhi-dated"
    parameter_overrides_file = DATA / "dated.yaml"


class NoLedgerCounty(County):
    code = "changzhi-noledger"

    def build_ledger_categories(self):
        return None


class RaisingTiersCounty(County):
    code = "changzhi-raising"

    def build_grade_tiers(self, on):
        raise RuntimeError("分数线未配置")


class WrongTypeCounty(County):
    code = "changzhi-wrongtype"

    def build_materials(self):
        return ["申请函件"]


class UncitedParameterCounty(County):
    code = "changzhi-uncited"
    parameter_overrides_file = DATA / "uncited.yaml"


class NoReferenceCounty(County):
    code = "changzhi-noreference"
    parameter_overrides_file = DATA / "no_reference.yaml"


class MissingNoticeParameterCounty(County):
    code = "changzhi-nonotice"

    def build_procedure(self):
        return replace(super().build_procedure(), notice_param="notice_days")


class UnknownParameterOverrideCounty(County):
    code = "changzhi-unknownparam"
    parameter_overrides_file = DATA / "unknown_override.yaml"


class ClashingParameterCounty(County):
    code = "changzhi-clashparam"
    parameter_overrides_file = DATA / "clashing_addition.yaml"


class UnknownCriterionCounty(County):
    code = "changzhi-unknowncriterion"
    criterion_overrides = {"site_areas": replace(PUBLIC_EVENTS, id="site_areas")}


class RenamingCriterionCounty(County):
    code = "changzhi-renaming"
    criterion_overrides = {"site_area": PUBLIC_EVENTS}


class ClashingCriterionCounty(County):
    code = "changzhi-clashcriterion"
    extra_criteria = [replace(PUBLIC_EVENTS, id="site_area")]


class UnknownTemplateCounty(County):
    code = "changzhi-unknowntemplate"
    template_overrides = {
        "changzhi.no_such_form": DocumentTemplate("changzhi.no_such_form", "审批表", "Form", "application", "第七条")
    }


class MissingParentCounty(County):
    code = "taiyuan-orphan"
    parent_code = "taiyuan"


class ParentMismatchCounty(County):
    code = "changzhi-mismatch"
    parent_code = "karamay"

    def build_info(self):
        return replace(super().build_info(), parent="changzhi")


class SameValueCounty(County):
    code = "changzhi-samevalue"
    parameter_overrides_file = DATA / "same_value.yaml"


class MissingTemplateFileCounty(County):
    code = "changzhi-missingfile"
    extra_templates = [
        DocumentTemplate("changzhi-missingfile.form", "审批表", "Form", "application", "第七条", path=DATA / "no_such.html")
    ]


class BrokenTemplateCounty(County):
    code = "changzhi-brokentemplate"
    extra_templates = [
        DocumentTemplate("changzhi-brokentemplate.form", "审批表", "Form", "application", "第七条",
                         path=DATA / "broken.html")
    ]


def _always_met(criterion, ctx):
    return criterion.result(MET, explanation="符合。", explanation_en="Met.")


class ForeignSourceCounty(County):
    """Claims a criterion and a subsidy rule in Karamay's name."""

    code = "changzhi-foreign"

    def build_criteria(self, on):
        borrowed = Criterion("borrowed", "第五条第（二）项", "借来的条件", "Borrowed", _always_met, source="karamay")
        return super().build_criteria(on) + [borrowed]

    def build_subsidies(self, context):
        return [replace(p, rule_id=p.rule_id.replace("changzhi.", "karamay."), source="karamay")
                for p in super().build_subsidies(context)]


class CodeThief(County):
    """Answers under Karamay's code (its entry point sorts before Karamay's, so it loads first)."""

    code = "karamay"
    parent_code = None

    def build_info(self):
        return replace(super().build_info(), code="karamay", parent=None, level="city")
