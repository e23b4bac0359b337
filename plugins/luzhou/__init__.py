"""The Luzhou plugin: 潞州区人力资源服务产业园认定管理办法（示例）, a FICTIONAL county measure written
under 长治办法第二十二条 (docs/examples/luzhou-measures.zh.md) — the worked example of a county plugin.

It extends `ChangzhiPlugin` and changes only what its measure changes, each by name:
- numbers: parameters.yaml (`overrides:` of Changzhi's ids, and one number of its own);
- one condition of its own: 第六条第（六）项, public-welfare recruitment events (criteria.yaml, computed
  in criteria.py), and the branch-site condition cited to its own article (its title names Luzhou's
  number through the parameter);
- the approval form of 第七条, cited to its own article (materials.yaml);
- its subsidies: a district award and a grant against the district's targets (subsidies.py);
- 第二十条's consequences for a district-level park: no recommendation for the provincial level,
  its own article where its wording is its own (assessment.yaml);
- the approval form's article, and its own header and issuer on every document (documents.py).
Everything else — the other conditions of 第六条, the procedure and materials of 第七条, the
assessment of 第十八条–第二十条, the uses of the funds of 第十一条 — is Changzhi's, inherited.
What it inherits reads in the district's level by core (core.rules.level_words): Changzhi's 市级 says
区级, 全市 全区, 市级人力资源服务产业园 潞州区级人力资源服务产业园.
"""
from pathlib import Path

from core.rules.jurisdiction import JurisdictionInfo
from core.rules.settings import DATE, declare_setting
from plugins.changzhi import ChangzhiPlugin
from plugins.luzhou import documents, subsidies
from plugins.luzhou.criteria import check_public_events

HERE = Path(__file__).parent
CODE = "changzhi-luzhou"
EFFECTIVE_FROM = declare_setting(
    CODE, "effective_from", DATE, "潞州区办法的印发（施行）日期", "date of issue (start) of the Luzhou District measures",
    "潞州区办法第二十一条：本办法自印发之日起施行", "art. 21 of the district's measures: in force from the day of issue",
)


class LuzhouPlugin(ChangzhiPlugin):
    code = CODE
    parent_code = "changzhi"
    parameter_overrides_file = HERE / "parameters.yaml"
    checks = {**ChangzhiPlugin.checks, "public_events": check_public_events}
    version = "0.1.0"

    def build_info(self):
        return JurisdictionInfo(
            code=CODE,
            name="潞州区",
            name_en="Luzhou District",
            measures_title="潞州区人力资源服务产业园认定管理办法（示例）",
            name_prefix="潞州",
            parent=self.parent_code,
            level="county",
            effective_from=EFFECTIVE_FROM.read_date(),
            effective_until=None,
            effective_note="潞州区办法第二十一条：本办法自印发之日起施行；印发日期为部署设置 changzhi-luzhou.effective_from — "
            "art. 21: in force from the day of issue, a deployment setting",
            version=self.version,
        )

    def build_subsidies(self, context):
        return subsidies.build_subsidies(context, subsidies.district_scheme(self.inherited))


    @property
    def template_overrides(self):
        return documents.template_overrides(ChangzhiPlugin.build_document_templates(self), self.inherited)


plugin = LuzhouPlugin()
