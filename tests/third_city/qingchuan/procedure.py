"""Qingchuan's recognition procedure (第四条) and the materials of an application (第五条).

The park applies, the county reviews first (第四条第（一）项), then the experts drawn by the city
bureau review the park and give their opinion (专家评审, 第四条第（二）项) — a step taken by the
programme's own role, the experts (roles.yaml), and by nobody else — then the city bureau decides, publishes the notice and
recognises (第四条第（三）项、第（四）项). The experts record their verdicts on the judgement
conditions during their review, and only then; 第三条 has no 原则上 condition, so nothing is waived.
"""
from core.rules.procedure import MaterialSpec, Procedure, ReviewStage, State, Transition

ARTICLE = "第四条"
#: Who takes the expert review: the programme's own role, declared in roles.yaml (评审专家).
EXPERT = "expert"

STATES = (
    State("draft", "草稿", "draft"),
    State("county_review", "县级初审中", "preliminary review by the county"),
    State("expert_review", "专家评审中", "expert review"),
    State("city_decision", "市人社局审定中", "decision of the city bureau"),
    State("public_notice", "公示中", "public notice"),
    State("recognised", "已认定", "recognised", final=True),
    State("rejected", "未通过", "rejected", final=True),
    State("withdrawn", "已撤回", "withdrawn", final=True),
)

TRANSITIONS = (
    Transition("submit", "draft", "county_review", ("park_operator",), "提交申报", "submit the application",
               "第四条第（一）项", ("materials_complete",)),
    Transition("withdraw", "draft", "withdrawn", ("park_operator",), "撤回申报", "withdraw", ARTICLE, ("remark_required",)),
    Transition("county_return", "county_review", "draft", ("county_officer",), "初审退回补正", "return for correction",
               "第四条第（一）项", ("remark_required",)),
    Transition("county_pass", "county_review", "expert_review", ("county_officer",), "初审通过，报专家评审",
               "pass the preliminary review, send to the experts", "第四条第（一）项"),
    Transition("expert_pass", "expert_review", "city_decision", (EXPERT,), "专家评审通过（须填写评审意见）",
               "passed by the experts (write their opinion)", "第四条第（二）项", ("eligibility_clear", "remark_required")),
    Transition("expert_reject", "expert_review", "rejected", (EXPERT,), "专家评审未通过", "rejected by the experts",
               "第四条第（二）项", ("remark_required",)),
    Transition("city_publish", "city_decision", "public_notice", ("city_officer",), "审定通过，进行公示",
               "approved by the city bureau, public notice opened", "第四条第（三）项", ("eligibility_clear", "notice_open")),
    Transition("city_reject", "city_decision", "rejected", ("city_officer",), "审定未通过", "rejected by the city bureau",
               "第四条第（三）项", ("remark_required",)),
    Transition("recognise", "public_notice", "recognised", ("city_officer",), "公示无异议，认定为市级产业园",
               "no objection during the notice: recognised", "第四条第（四）项",
               ("notice_period_over", "no_objections", "recognise")),
    Transition("notice_reject", "public_notice", "rejected", ("city_officer",), "公示异议成立，不予认定",
               "objection upheld: not recognised", "第四条第（三）项", ("remark_required",)),
)

#: 第四条第（二）项: the experts judge the park in their review.
VERDICT_STAGE = ReviewStage(("expert_review",), (EXPERT,), "第四条第（二）项")

MATERIALS = (
    MaterialSpec("application_report", "申请报告", "application report", "第五条第（一）项"),
    MaterialSpec("development_plan", "园区发展规划报告", "development plan of the park", "第五条第（二）项"),
    MaterialSpec("agency_roster", "入驻机构名册", "roster of resident agencies", "第五条第（三）项"),
    MaterialSpec("apartment_proof", "人才公寓证明材料", "evidence of the talent apartments", "第五条第（四）项"),
)


def build_procedure():
    return Procedure(
        states=STATES,
        transitions=TRANSITIONS,
        initial="draft",
        filer_role="park_operator",
        notice_param="notice_working_days",
        article=ARTICLE,
        verdict_stage=VERDICT_STAGE,
        waiver_stage=None,
    )


def build_materials():
    return list(MATERIALS)
