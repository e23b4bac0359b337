"""A tiny county plugin extending Changzhi's measures (第二十二条), and county plugins that get
their overrides wrong — samples for test_core_county_extension.py."""
from dataclasses import replace
from pathlib import Path

from core.io.documents.registry import DocumentTemplate
from core.rules.jurisdiction import JurisdictionInfo
from core.world.samples import SAMPLE_AS_OF
from core.rules.criteria import MET, NOT_MET, Criterion, fmt_number
from plugins.changzhi import ChangzhiPlugin

DATA = Path(__file__).parent / "coretest_county_data"


def check_training_rooms(criterion, ctx):
    rooms = ctx.park.facts.get("training_rooms", 0)
    required = ctx.param("min_training_rooms")
    status = MET if rooms >= required else NOT_MET
    return criterion.result(
        status, rooms, required,
        f"实训室{fmt_number(rooms)}间，要求不少于{fmt_number(required)}间",
        f"{rooms} training rooms, at least {required} required",
    )


TRAINING_ROOMS = Criterion(
    "training_rooms", "潞州区办法第六条第（六）项", "实训场地", "Training rooms", check_training_rooms
)


class LuzhouPlugin(ChangzhiPlugin):
    """潞州区: Changzhi's measures with a smaller single site and a training-room condition."""

    code = "luzhou"
    parent_code = "changzhi"
    parameter_overrides_file = DATA / "luzhou.yaml"
    extra_criteria = [TRAINING_ROOMS]

    def build_info(self):
        return JurisdictionInfo(
            code=self.code, name="潞州区", name_en="Luzhou", measures_title="潞州区人力资源服务产业园管理办法",
            name_prefix="长治潞州", parent=self.parent_code, level="county", version=self.version,
        )


def _changzhi_criterion(criterion_id):
    return next(c for c in ChangzhiPlugin().build_criteria(SAMPLE_AS_OF) if c.id == criterion_id)


class StrictOperatorCounty(LuzhouPlugin):
    """Overrides a criterion of the city by its id."""

    code = "strict"
    criterion_overrides = {"operator": replace(_changzhi_criterion("operator"), article="潞州区办法第六条第（四）项")}


class UnknownParameterCounty(LuzhouPlugin):
    code = "badparam"
    parameter_overrides_file = DATA / "unknown_parameter.yaml"


class UnknownCriterionCounty(LuzhouPlugin):
    code = "badcriterion"
    criterion_overrides = {"site_areas": TRAINING_ROOMS}


class RenamingCriterionCounty(LuzhouPlugin):
    code = "renaming"
    criterion_overrides = {"site_area": TRAINING_ROOMS}  # replaces site_area under another id


class ClashingCriterionCounty(LuzhouPlugin):
    code = "clash"
    extra_criteria = [replace(TRAINING_ROOMS, id="site_area")]


class UnknownTemplateCounty(LuzhouPlugin):
    code = "badtemplate"
    template_overrides = {
        "changzhi.no_such_form": DocumentTemplate("changzhi.no_such_form", "审批表", "Form", "application", "第七条")
    }
