"""The Changzhi plugin: 长治市级人力资源服务产业园管理办法（试行）. Its criteria, materials, procedure,
indicators, grades and their consequences, ledger categories and subsidy kinds are declared in the
YAML files beside it (core.rules.declared_programme); Python is left for what they cannot say: the
computed conditions (criteria.py, named in criteria.yaml by `check:`), the subsidy formulas and the
documents. A county's measures (第二十二条) subclass `ChangzhiPlugin`."""
from pathlib import Path

from core.rules.criteria import named
from core.rules.jurisdiction import JurisdictionInfo
from core.plugin.base import JurisdictionPlugin
from core.rules.settings import DATE, declare_setting

from plugins.changzhi import criteria, documents, subsidies

HERE = Path(__file__).parent
EFFECTIVE_FROM = declare_setting(
    "changzhi", "effective_from", DATE, "长治市办法的印发（施行）日期", "date of issue (start) of the Changzhi measures",
    "第二十一条：本办法自印发之日起施行", "art. 21: in force from the day of issue",
)


class ChangzhiPlugin(JurisdictionPlugin):
    code = "changzhi"
    parameters_file = HERE / "parameters.yaml"
    version = "0.1.0"
    #: The functions computing the conditions criteria.yaml names by `check:`.
    checks = named(criteria, "check_")
    #: Its criteria read figures of the year before the year of application (第六条第（三）项).
    figure_years_back = 1
    #: The measures its thresholds compare (`measure:`).
    measures = named(criteria, "measure_")

    #: The functions documents.yaml names by `context:`.
    document_contexts = documents.CONTEXTS

    def build_info(self):
        return JurisdictionInfo(
            code="changzhi",
            name="长治市",
            name_en="Changzhi",
            measures_title="长治市级人力资源服务产业园管理办法（试行）",
            name_prefix="长治",
            measures_version="试行",  # the title's own word: 管理办法（试行）
            effective_from=EFFECTIVE_FROM.read_date(),
            effective_note="第二十一条：本办法自印发之日起施行；印发日期为部署设置 changzhi.effective_from — "
            "art. 21: in force from the day of issue, a deployment setting",
            version=self.version,
            platform_article="第十六条",  # 信息共享机制
            county_measures_article="第五条、第二十二条",  # 县区申报市级；县区可制定本级办法
        )

    def build_subsidies(self, context):
        return subsidies.build_subsidies(context)


plugin = ChangzhiPlugin()
