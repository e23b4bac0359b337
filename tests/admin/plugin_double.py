"""A small jurisdiction plugin for the back-office tests (the rules page), independent of the
real cities' plugins while those are being written: one city with a few parameters and criteria."""
from pathlib import Path

from core.rules.jurisdiction import JurisdictionInfo
from core.plugin.base import JurisdictionPlugin
from core.plugin.registry import Registry
from core.rules.criteria import MET, NOT_MET, Criterion, judgement_criterion

HERE = Path(__file__).parent


def _area_check(criterion, ctx):
    required = ctx.param("min_floor_area")
    return criterion.result(MET if ctx.park.total_floor_area() >= required else NOT_MET, required=required)


class DemoCityPlugin(JurisdictionPlugin):
    code = "demo_city"
    parameters_file = HERE / "demo_parameters.yaml"
    version = "test"

    def build_info(self):
        return JurisdictionInfo(
            code="demo_city",
            name="示范市",
            name_en="Demo City",
            measures_title="示范市人力资源服务产业园建设管理办法",
            name_prefix="示范市",
            effective_note="第二十五条",
        )

    def build_criteria(self, on):
        return [
            Criterion("min_floor_area", "第五条第（二）项", "园区建筑面积", "Floor area of the park", _area_check, waivable=True),
            judgement_criterion(
                "public_services", "第五条第（二）项", "具备公共服务功能", "Provides the public services",
                "评审判断", "reviewer decides",
            ),
        ]

    def build_materials(self):
        return []

    def build_procedure(self):
        return None

    def build_indicators(self, on):
        return []

    def build_grade_tiers(self, on):
        return []

    def build_consequences(self, history, on):
        return []

    def build_subsidies(self, context):
        return []

    def build_ledger_categories(self):
        return []


def demo_registry():
    registry = Registry()
    registry.add("demo_city", DemoCityPlugin())
    assert not registry.failures, [str(f) for f in registry.failures]
    return registry
