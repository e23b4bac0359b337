"""The Karamay plugin: 克拉玛依市级人力资源服务产业园建设管理办法, as a hrpark jurisdiction.

Its criteria (第五条), materials and procedure (第六条、第七条), indicators, grades and their
consequences (第十七条、第十八条), ledger categories and subsidy kinds are declared in the YAML files
beside it, every number in parameters.yaml (core.rules.declared_programme). Python is left for the
computed conditions (criteria.py, named in criteria.yaml by `check:`), the subsidy formulas
(subsidies.py) and the documents.
"""
import datetime
from pathlib import Path

from core.rules.criteria import named
from core.rules.jurisdiction import JurisdictionInfo
from core.plugin.base import JurisdictionPlugin
from core.rules.settings import DATE, declare_setting
from plugins.karamay import criteria, documents, subsidies

HERE = Path(__file__).parent
VALID_YEARS = 2  # 第二十五条 "有效期两年" (a span, not a threshold: it sets the end date below)
EFFECTIVE_FROM = declare_setting(
    "karamay", "effective_from", DATE, "克拉玛依市办法的施行日期", "start date of the Karamay measures",
    "第二十五条：本办法自2025年×月×日起施行，有效期两年（原文未填日期）",
    "art. 25: in force from a day of 2025 the text leaves blank, for two years",
)


def two_years_on(start: datetime.date) -> datetime.date:
    """The last day of a two-year term starting on `start` (29 Feb starts end on 28 Feb)."""
    try:
        anniversary = start.replace(year=start.year + VALID_YEARS)
    except ValueError:
        anniversary = datetime.date(start.year + VALID_YEARS, 3, 1)
    return anniversary - datetime.timedelta(days=1)


class KaramayPlugin(JurisdictionPlugin):
    code = "karamay"
    parameters_file = HERE / "parameters.yaml"
    version = "0.1.0"
    #: The functions computing the conditions criteria.yaml names by `check:`.
    checks = named(criteria, "check_")
    #: Its criteria read figures of the year before the year of application (第五条).
    figure_years_back = 1
    #: The measures its thresholds compare (`measure:`).
    measures = named(criteria, "measure_")

    #: The functions documents.yaml names by `context:`.
    document_contexts = documents.CONTEXTS

    def build_info(self):
        effective_from = EFFECTIVE_FROM.read_date()
        return JurisdictionInfo(
            code=self.code,
            name="克拉玛依市",
            name_en="Karamay",
            measures_title="克拉玛依市级人力资源服务产业园建设管理办法",
            name_prefix="克拉玛依",
            level="city",
            measures_version="2025年版",  # 第二十五条: from 2025, valid two years
            effective_from=effective_from,
            effective_until=two_years_on(effective_from) if effective_from else None,
            effective_note="第二十五条：施行日期由部署设置，有效期两年",
            version=self.version,
            platform_article="第十四条",  # 人力资源信息共享平台
        )


    def build_subsidies(self, context):
        return subsidies.build_subsidies(context, self.build_info(), self.code)




plugin = KaramayPlugin()
