"""Changzhi's recognition procedure (第七条): the park applies, the county reviews first, the city
bureau reviews and evaluates jointly with a site inspection, a public notice of at least 5
working days, then approval — and the materials an application carries (第七条第（一）项).
Verdicts on the judgement criteria and waivers of 原则上 conditions are recorded during the joint
evaluation (第七条第（二）项), and only then."""
from core.procedure import MaterialSpec, Procedure, ReviewStage, State, Transition

ARTICLE = "第七条"

STATES = (
    State("draft", "草稿", "draft"),
    State("county_review", "县级初审中", "preliminary review by the county"),
    State("city_review", "市人社局审核中", "review by the city HRSS bureau"),
    State("joint_evaluation", "联合评审与实地考察中", "joint evaluation and site inspection"),
    State("public_notice", "公示中", "public notice"),
    State("recognised", "已认定", "recognised", final=True),
    State("rejected", "未通过", "rejected", final=True),
    State("withdrawn", "已撤回", "withdrawn", final=True),
)

TRANSITIONS = (
    Transition(
        "submit", "draft", "county_review", ("park_operator",),
        "提交申报（报所在地人社部门初审）", "submit to the county HRSS department",
        "第七条第（一）项", ("materials_complete",),
    ),
    Transition(
        "withdraw", "draft", "withdrawn", ("park_operator",),
        "撤回申报", "withdraw the application", ARTICLE, ("remark_required",),
    ),
    Transition(
        "county_return", "county_review", "draft", ("county_officer",),
        "初审退回补正", "return for correction (preliminary review)", "第七条第（一）项", ("remark_required",),
    ),
    Transition(
        "county_pass", "county_review", "city_review", ("county_officer",),
        "初审通过，报市人社局审核", "pass the preliminary review, forward to the city bureau", "第七条第（一）项",
    ),
    Transition(
        "city_return", "city_review", "draft", ("city_officer",),
        "审核退回补正", "return for correction (city review)", "第七条第（二）项", ("remark_required",),
    ),
    Transition(
        "city_accept", "city_review", "joint_evaluation", ("city_officer",),
        "审核申报材料通过，组织联合评审", "materials reviewed, convene the joint evaluation", "第七条第（二）项",
    ),
    Transition(
        "evaluation_pass", "joint_evaluation", "public_notice", ("city_officer",),
        "评审和实地考察通过，公示拟确定名单（须记录实地考察情况）",
        "evaluation and site inspection passed, publish the proposed list (record the inspection)",
        "第七条第（二）项、第（三）项", ("eligibility_clear", "remark_required", "notice_open"),
    ),
    Transition(
        "evaluation_reject", "joint_evaluation", "rejected", ("city_officer",),
        "评审未通过", "evaluation failed", "第七条第（二）项", ("remark_required",),
    ),
    Transition(
        "approve", "public_notice", "recognised", ("city_officer",),
        "公示无异议，行文批复认定", "no objection in the notice, approve and announce", "第七条第（四）项",
        ("notice_period_over", "no_objections", "recognise"),
    ),
    Transition(
        "notice_reject", "public_notice", "rejected", ("city_officer",),
        "公示有异议经核实，不予认定", "objection upheld in the notice, not recognised", "第七条第（三）项",
        ("remark_required",),
    ),
)

MATERIALS = (
    MaterialSpec("application_letter", "申请函件", "application letter", "第七条第（一）项第1目"),
    MaterialSpec(
        "approval_form", "《市级人力资源服务产业园评估认定审批表》", "city-level assessment and approval form (annex)",
        "第七条第（一）项第2目",
    ),
    MaterialSpec(
        "feasibility_plan", "园区建设可行性论证报告和建设发展规划", "feasibility report and development plan",
        "第七条第（一）项第3目",
    ),
    MaterialSpec(
        "operation_report", "园区建设管理和运营情况", "construction, management and operation report",
        "第七条第（一）项第4目",
    ),
    MaterialSpec("agency_roster", "入驻人力资源服务机构名册", "roster of resident agencies", "第七条第（一）项第5目"),
    MaterialSpec(
        "agency_licences", "人力资源服务许可证/备案凭证", "HR service licences or filing certificates",
        "第七条第（一）项第5目",
    ),
    MaterialSpec(
        "agency_operation_proof", "入驻机构经营情况佐证材料", "evidence of the agencies' operation",
        "第七条第（一）项第5目",
    ),
    MaterialSpec("other", "其他需要出具的相关材料", "other materials", "第七条第（一）项第6目", required=False),
)


#: 第七条第（二）项: the joint evaluation (with development & reform and finance) judges the park;
#: the city bureau that convenes it decides on the 原则上 conditions.
VERDICT_STAGE = ReviewStage(("joint_evaluation",), ("panel_member", "city_officer"), "第七条第（二）项")
WAIVER_STAGE = ReviewStage(("joint_evaluation",), ("city_officer",), "第七条第（二）项")


def build_procedure():
    return Procedure(
        states=STATES,
        transitions=TRANSITIONS,
        initial="draft",
        filer_role="park_operator",
        notice_param="notice_working_days",
        article=ARTICLE,
        verdict_stage=VERDICT_STAGE,
        waiver_stage=WAIVER_STAGE,
    )


def build_materials():
    return list(MATERIALS)
