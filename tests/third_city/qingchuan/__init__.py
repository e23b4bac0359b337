"""青川市 (Qingchuan), a fictional third city: 青川市人力资源服务产业园认定管理办法（示例）
(measures.zh.md) as a hrpark jurisdiction, installed by the tests only (tests/third_city/conftest.py).

Written as the two real cities are: every number in parameters.yaml (with a dated revision,
revision_2026.yaml), its own fact in facts.yaml, its experts' role in roles.yaml, ledger categories and
subsidy kinds as data, and
Python for criteria.py (第三条), procedure.py (第四条、第五条), assessment.py (第六条),
subsidies.py (第七条) and documents.py (the experts' opinion).
"""
import datetime
from pathlib import Path

from core.rules.jurisdiction import JurisdictionInfo
from core.rules.parameters import load_revision_file
from core.plugin.base import JurisdictionPlugin

from . import assessment, criteria, documents, procedure, subsidies

HERE = Path(__file__).parent
EFFECTIVE_FROM = datetime.date(2025, 1, 1)  # 第九条


class QingchuanPlugin(JurisdictionPlugin):
    code = "qingchuan"
    parameters_file = HERE / "parameters.yaml"
    version = "0.1.0"
    revisions = (load_revision_file(HERE / "revision_2026.yaml"),)

    def build_info(self):
        return JurisdictionInfo(
            code=self.code,
            name="青川市",
            name_en="Qingchuan",
            measures_title="青川市人力资源服务产业园认定管理办法（示例）",
            name_prefix="青川",
            level="city",
            measures_version="2025年版",
            effective_from=EFFECTIVE_FROM,
            effective_until=None,
            effective_note="第九条：本办法自2025年1月1日起施行",
            version=self.version,
        )

    def build_criteria(self, on):
        return criteria.build_criteria()

    def build_materials(self):
        return procedure.build_materials()

    def build_procedure(self):
        return procedure.build_procedure()

    def build_indicators(self, on):
        return assessment.build_indicators(self.parameters, on)

    def build_grade_tiers(self, on):
        return assessment.build_grade_tiers(self.parameters, on)

    def build_consequences(self, history, on):
        return assessment.build_consequences(history, self.parameters, on)

    def build_subsidies(self, context):
        return subsidies.build_subsidies(context, self.code)

    def build_document_templates(self):
        return documents.build_document_templates(self.code)


plugin = QingchuanPlugin()
