"""Issue 11 item 11: reviewers' verdicts and waivers only at the stage the jurisdiction's procedure
names for them (克拉玛依 第六条第（二）项: the panel's review; 长治 第七条第（二）项: the joint
evaluation), by the roles it names — every state × every role, for both cities and the county that
inherits Changzhi's procedure. A changed verdict keeps the earlier one, with who and when."""
import datetime

import pytest

from core.records.models import Application, CriterionVerdict, Waiver
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
from core.plugin.registry import rules_for
from core.records.services import applications as apps
from core.records.services.base import PermissionDenied, ServiceError
from core.records.vocab import ROLES
from tests.builders import actor, make_park
from tests.services.test_application_procedure import CHANGZHI_MATERIALS, KARAMAY_MATERIALS, judge_all, upload_all

#: jurisdiction row (world key) -> (the city whose measures govern, the stage of each kind)
CITIES = {
    "dushanzi": ("karamay", {"verdict": ("panel_review", {"panel_member", "city_officer"}), "waiver": None}),
    "shangdang": ("changzhi", {"verdict": ("joint_evaluation", {"panel_member", "city_officer"}),
                               "waiver": ("joint_evaluation", {"city_officer"})}),
    "changzhi-luzhou": ("changzhi", {"verdict": ("joint_evaluation", {"panel_member", "city_officer"}),
                                     "waiver": ("joint_evaluation", {"city_officer"})}),
}
FOUR_BRANCHES = ((True, "2500"), (False, "600"), (False, "600"), (False, "600"), (False, "600"))


def every_role(world, district, park):
    """An actor of each role, bound so that each reaches the park (reach is not what is tested)."""
    city = world[CITIES[district][0]]
    bound = {"city_officer": city, "city_finance": city, "panel_member": city, "county_officer": world[district]}
    result = {"admin": actor("admin")}
    for role in ROLES.codes():
        if role == "park_operator":
            result[role] = actor(role, park=park)
        elif role != "admin":
            result[role] = actor(role, bound[role])
    return result


def judgement_criterion(application):
    return next(c.id for c in rules_for(application.jurisdiction).criteria(RULES_DAY) if c.judgement)


def stored(model, application):
    return sorted((row.criterion_id, getattr(row, "version", 1)) for row in model.select().where(model.application == application))


@pytest.mark.parametrize("district", sorted(CITIES))
def test_issue_11_item_11_verdicts_only_in_the_panels_state_by_the_panels_roles(world, district):
    park = make_park(world[district], name=f"{district}园")
    actors = every_role(world, district, park)
    application = apps.create_application(park, actors[rules_for(world[district]).procedure().filer_role], year=2025)
    criterion = judgement_criterion(application)
    procedure = rules_for(world[district]).procedure()
    stage_state, stage_roles = CITIES[district][1]["verdict"]
    assert procedure.verdict_stage.states == (stage_state,) and set(procedure.verdict_stage.roles) == stage_roles
    wrong = []
    for state in procedure.states:
        Application.update(state=state.id).where(Application.id == application.id).execute()
        for role, who in actors.items():
            before = stored(CriterionVerdict, application)
            allowed = state.id == stage_state and role in stage_roles
            try:
                apps.record_verdict(application, criterion, role == "panel_member", f"{role}在{state.label}记录", who)
            except PermissionDenied:
                outcome = "forbidden"
            except ServiceError as refused:
                outcome = "refused"
                # The refusal names the stage, its article and where the application is now.
                expected = (procedure.state(stage_state).label, procedure.verdict_stage.article, state.label)
                if not all(part in refused.zh for part in expected) or procedure.state(stage_state).label_en not in refused.en:
                    wrong.append((state.id, role, "message", refused.zh, refused.en))
            else:
                outcome = "recorded"
            if outcome == "recorded" and not allowed:
                wrong.append((state.id, role, "recorded outside its stage"))
            if allowed and outcome != "recorded":
                wrong.append((state.id, role, f"{outcome} at its stage"))
            if not allowed and role in stage_roles and outcome != "refused":
                wrong.append((state.id, role, f"{outcome}: a reviewer out of stage is told why"))
            if not allowed and role not in stage_roles and outcome != "forbidden":
                wrong.append((state.id, role, f"{outcome}: another role is forbidden"))
            if not allowed and stored(CriterionVerdict, application) != before:
                wrong.append((state.id, role, "written though refused"))
    assert wrong == []


@pytest.mark.parametrize("district", sorted(CITIES))
def test_issue_11_item_11_waivers_only_at_the_stage_the_procedure_names(world, district):
    park = make_park(world[district], name=f"{district}园", sites=FOUR_BRANCHES)
    actors = every_role(world, district, park)
    procedure = rules_for(world[district]).procedure()
    application = apps.create_application(park, actors[procedure.filer_role], year=2025)
    stage = CITIES[district][1]["waiver"]
    wrong = []
    for state in procedure.states:
        for role, who in actors.items():
            Application.update(state=state.id).where(Application.id == application.id).execute()
            Waiver.delete().where(Waiver.application == application).execute()  # each case starts unwaived
            allowed = stage is not None and state.id == stage[0] and role in stage[1]
            try:
                apps.grant_waiver(application, "branch_sites", f"{role}在{state.label}豁免", who)
            except PermissionDenied:
                outcome = "forbidden"
            except ServiceError as refused:
                outcome = "refused"
                if stage is None and "没有豁免" not in refused.zh:
                    wrong.append((state.id, role, "message", refused.zh))
                if stage is not None and role in stage[1] and procedure.waiver_stage.article not in refused.zh:
                    wrong.append((state.id, role, "message", refused.zh))
            else:
                outcome = "waived"
            if allowed != (outcome == "waived"):
                wrong.append((state.id, role, outcome))
            if stage is not None and role not in stage[1] and outcome != "forbidden":
                wrong.append((state.id, role, f"{outcome}: another role is forbidden"))
            if not allowed and stored(Waiver, application):
                wrong.append((state.id, role, "written though refused"))
    assert wrong == []
    if stage is None:  # Karamay: 第五条 has no 原则上 condition, its procedure no stage to waive one
        assert procedure.waiver_stage is None


def test_issue_11_item_11_a_changed_verdict_keeps_the_earlier_one_with_who_and_when(world, tmp_path):
    """长治 第七条第（二）项: the panel judges during the joint evaluation; a change is kept in history."""
    park = make_park(world["shangdang"])
    operator = actor("park_operator", park=park)
    panel, city = actor("panel_member", world["changzhi"], name="评审专家甲"), actor("city_officer", world["changzhi"], name="市局乙")
    application = apps.create_application(park, operator, year=2025)
    upload_all(application, operator, CHANGZHI_MATERIALS, tmp_path)
    apps.take_transition(application, "submit", operator)
    apps.take_transition(application, "county_pass", actor("county_officer", world["shangdang"]))
    apps.take_transition(application, "city_accept", city)
    first = apps.record_verdict(application, "planning_report", False, "规划论证不充分", panel)
    changed = apps.record_verdict(application, "planning_report", True, "补充论证后符合", city)
    assert (changed.id, changed.met, changed.reviewer) == (first.id, True, "市局乙")
    (earlier,) = apps.verdict_history(application)["planning_report"]
    assert (earlier.met, earlier.remark, earlier.reviewer, earlier.at) == (False, "规划论证不充分", "评审专家甲", first.at)
    assert earlier.changed_by == "市局乙"
    assert apps.verdict_history(application).keys() == {"planning_report"}  # unchanged verdicts have no history


@pytest.mark.parametrize("city, district, materials, steps, passed_state", [
    ("changzhi", "shangdang", CHANGZHI_MATERIALS,
     (("submit", "park_operator"), ("county_pass", "county_officer"), ("city_accept", "city_officer")), "public_notice"),
    ("karamay", "dushanzi", KARAMAY_MATERIALS, (("file", "county_officer"),), "party_group"),
])
def test_issue_11_item_11_no_verdict_once_the_panels_step_is_passed(world, tmp_path, city, district, materials, steps, passed_state):
    park = make_park(world[district], sites=((True, "3500"),), revenue="5000000")
    who = {"park_operator": actor("park_operator", park=park), "county_officer": actor("county_officer", world[district]),
           "city_officer": actor("city_officer", world[city]), "panel_member": actor("panel_member", world[city])}
    procedure = rules_for(world[district]).procedure()
    application = apps.create_application(park, who[procedure.filer_role], year=2025)
    upload_all(application, who[procedure.filer_role], materials, tmp_path)
    for transition, role in steps:
        application = apps.take_transition(application, transition, who[role])
    judge_all(application, who["panel_member"])
    passing = next(t.id for t in procedure.available(application.state, "city_officer") if "eligibility_clear" in t.guards)
    application = apps.take_transition(application, passing, who["city_officer"], remark="评审通过",
                                       on=datetime.date(2025, 9, 29))
    assert application.state == passed_state
    criterion = judgement_criterion(application)
    before = stored(CriterionVerdict, application)
    with pytest.raises(ServiceError) as refused:
        apps.record_verdict(application, criterion, False, "事后改判", who["panel_member"])
    assert procedure.state(passed_state).label in refused.value.zh and procedure.verdict_stage.article in refused.value.zh
    assert stored(CriterionVerdict, application) == before
