"""Karamay's recognition procedure (第六条) and the materials an application carries (第七条).

The district HRSS department files (第六条第（一）项); the city bureau with the finance bureau
convenes the review panel and reports to the bureau's party group (第六条第（二）项); the bureau
publishes a notice and recognises the park when no objection stands (第六条第（三）项).
Reviewers' verdicts are recorded at the panel's meeting (第六条第（二）项), and only there; 第五条
has no 原则上 condition, so nothing is ever waived.
"""
from core.procedure import MaterialSpec, Procedure, ReviewStage, State, Transition

STATES = (
    State("draft", "草稿（待区人社部门申报）", "draft (to be filed by the district HRSS department)"),
    State("panel_review", "评审中（市人社局会同市财政局评审小组）", "under review by the panel of the city HRSS and finance bureaus"),
    State("party_group", "待党组审议", "awaiting the bureau's party group"),
    State("public_notice", "公示中", "public notice"),
    State("recognised", "已认定", "recognised", final=True),
    State("rejected", "未通过", "rejected", final=True),
    State("withdrawn", "已撤回", "withdrawn", final=True),
)

TRANSITIONS = (
    Transition("file", "draft", "panel_review", ("county_officer",), "区人社部门申报", "filed by the district HRSS department",
               "第六条第（一）项", ("materials_complete",)),
    Transition("withdraw", "draft", "withdrawn", ("county_officer",), "撤回申报", "withdraw", "第六条", ("remark_required",)),
    Transition("panel_return", "panel_review", "draft", ("city_officer",), "退回补正", "returned for completion",
               "第六条第（二）项", ("remark_required",)),
    Transition("panel_pass", "panel_review", "party_group", ("city_officer",), "评审通过，报党组审议",
               "passed by the panel, sent to the party group", "第六条第（二）项", ("eligibility_clear",)),
    Transition("panel_reject", "panel_review", "rejected", ("city_officer",), "评审未通过", "rejected by the panel",
               "第六条第（二）项", ("remark_required",)),
    Transition("party_approve", "party_group", "public_notice", ("city_officer",), "党组审议通过，进行公示",
               "approved by the party group, public notice opened", "第六条第（二）项、第（三）项", ("notice_open",)),
    Transition("party_reject", "party_group", "rejected", ("city_officer",), "党组审议未通过", "rejected by the party group",
               "第六条第（二）项", ("remark_required",)),
    Transition("recognise", "public_notice", "recognised", ("city_officer",), "公示无异议，认定为市级产业园",
               "no objection during the notice: recognised", "第六条第（三）项",
               ("notice_period_over", "no_objections", "recognise")),
    Transition("notice_reject", "public_notice", "rejected", ("city_officer",), "公示异议成立，不予认定",
               "objection upheld: not recognised", "第六条第（三）项", ("remark_required",)),
)


#: 第六条第（二）项: the panel convened by the city bureau with the finance bureau reviews the park.
VERDICT_STAGE = ReviewStage(("panel_review",), ("panel_member", "city_officer"), "第六条第（二）项")


def build_procedure():
    return Procedure(
        states=STATES,
        transitions=TRANSITIONS,
        initial="draft",
        filer_role="county_officer",
        notice_param="notice_working_days",
        article="第六条",
        verdict_stage=VERDICT_STAGE,
        waiver_stage=None,
    )


def build_materials():
    """The materials of 第七条, in article order."""
    item = "第七条第（{}）项".format
    return [
        MaterialSpec("application_report", "申请认定克拉玛依市级人力资源服务产业园报告",
                     "Application for recognition as a Karamay city-level park", item("一")),
        MaterialSpec("feasibility_plan", "园区建设可行性论证报告和建设发展规划报告",
                     "Feasibility study and development-plan report", item("二")),
        MaterialSpec("operation_report", "园区建设管理和运营情况报告",
                     "Report on construction, management and operation", item("三")),
        MaterialSpec("agency_roster", "入驻人力资源服务机构名册", "Roster of resident HR service agencies", item("四")),
        MaterialSpec("agency_licences", "入驻机构营业执照及人力资源服务许可证",
                     "Agencies' business licences and HR service licences", item("四")),
        MaterialSpec("agency_financials", "入驻机构上年度财务报表", "Agencies' financial statements of the previous year",
                     item("四")),
        MaterialSpec("other", "其他需要出具的相关材料", "Other materials", item("五"), required=False),
    ]
