"""第七条: the park applies, the county reviews first, the city bureau reviews and evaluates with a
site inspection, a public notice of at least 5 working days, approval. And the materials."""
import datetime

import pytest

from core.rules.procedure import GUARDS
from core.records.vocab import ROLES
from core.rules.workdays import WorkingCalendar

EXPECTED_STATES = {
    "draft": ("草稿", False),
    "county_review": ("县级初审中", False),
    "city_review": ("市人社局审核中", False),
    "joint_evaluation": ("联合评审与实地考察中", False),
    "public_notice": ("公示中", False),
    "recognised": ("已认定", True),
    "rejected": ("未通过", True),
    "withdrawn": ("已撤回", True),
}

EXPECTED_TRANSITIONS = {
    "submit": ("draft", "county_review", ("park_operator",), ("materials_complete",), "第七条第（一）项"),
    "withdraw": ("draft", "withdrawn", ("park_operator",), ("remark_required",), "第七条"),
    "county_return": ("county_review", "draft", ("county_officer",), ("remark_required",), "第七条第（一）项"),
    "county_pass": ("county_review", "city_review", ("county_officer",), (), "第七条第（一）项"),
    "city_return": ("city_review", "draft", ("city_officer",), ("remark_required",), "第七条第（二）项"),
    "city_accept": ("city_review", "joint_evaluation", ("city_officer",), (), "第七条第（二）项"),
    "evaluation_pass": (
        "joint_evaluation", "public_notice", ("city_officer",),
        ("eligibility_clear", "remark_required", "notice_open"), "第七条第（二）项、第（三）项",
    ),
    "evaluation_reject": ("joint_evaluation", "rejected", ("city_officer",), ("remark_required",), "第七条第（二）项"),
    "approve": (
        "public_notice", "recognised", ("city_officer",),
        ("notice_period_over", "no_objections", "recognise"), "第七条第（四）项",
    ),
    "notice_reject": ("public_notice", "rejected", ("city_officer",), ("remark_required",), "第七条第（三）项"),
}


def test_art7_states(changzhi):
    procedure = changzhi.procedure()
    assert {s.id: (s.label, s.final) for s in procedure.states} == EXPECTED_STATES
    assert procedure.initial == "draft"
    assert all(s.label_en for s in procedure.states)


def test_art7_transitions_roles_guards_and_articles(changzhi):
    procedure = changzhi.procedure()
    actual = {t.id: (t.source, t.target, t.roles, t.guards, t.article) for t in procedure.transitions}
    assert actual == EXPECTED_TRANSITIONS
    for t in procedure.transitions:
        assert set(t.roles) <= set(ROLES.codes())
        assert set(t.guards) <= set(GUARDS)
        assert t.label and t.label_en


def test_art7_1_the_park_applies(changzhi):
    procedure = changzhi.procedure()
    assert procedure.filer_role == "park_operator"
    assert procedure.article == "第七条"
    assert [t.id for t in procedure.available("draft", "park_operator")] == ["submit", "withdraw"]
    assert procedure.available("draft", "county_officer") == []


def test_art7_1_county_reviews_before_the_city(changzhi):
    procedure = changzhi.procedure()
    assert procedure.transition("submit").target == "county_review"
    assert {t.id for t in procedure.available("county_review", "county_officer")} == {"county_return", "county_pass"}
    assert procedure.available("county_review", "city_officer") == []


def test_art7_2_joint_evaluation_records_the_site_inspection(changzhi):
    passing = changzhi.procedure().transition("evaluation_pass")
    assert "remark_required" in passing.guards
    assert "实地考察" in passing.label


def test_art7_4_approval_only_after_an_unopposed_notice(changzhi):
    approve = changzhi.procedure().transition("approve")
    assert approve.source == "public_notice"
    assert {"notice_period_over", "no_objections", "recognise"} == set(approve.guards)


def test_admin_takes_no_transition(changzhi):
    procedure = changzhi.procedure()
    for state in procedure.states:
        assert procedure.available(state.id, "admin") == []


def test_final_states_have_no_way_out(changzhi):
    procedure = changzhi.procedure()
    finals = {s.id for s in procedure.states if s.final}
    assert not [t for t in procedure.transitions if t.source in finals]


def test_art7_3_notice_at_least_5_working_days(changzhi):
    procedure = changzhi.procedure()
    parameter = changzhi.parameters.get(procedure.notice_param)
    assert parameter.id == "notice_working_days"
    assert parameter.reference == "第七条第（三）项"
    assert parameter.local_default is False
    assert changzhi.parameters.value("notice_working_days", datetime.date(2025, 9, 29)) == 5


def test_art7_3_notice_opened_before_national_day_ends_after_it(changzhi):
    days = changzhi.parameters.value("notice_working_days", datetime.date(2025, 9, 29))
    calendar = WorkingCalendar()
    end = calendar.add_working_days(datetime.date(2025, 9, 29), days)
    # 9-29, 9-30, then 10-01…10-08 off, 10-09, 10-10 and the make-up Saturday 10-11.
    assert end == datetime.date(2025, 10, 11)
    assert calendar.count_working_days(datetime.date(2025, 9, 29), end) == 5
    assert calendar.count_working_days(datetime.date(2025, 9, 29), end - datetime.timedelta(days=1)) == 4


EXPECTED_MATERIALS = [
    ("application_letter", "第七条第（一）项第1目", True),
    ("approval_form", "第七条第（一）项第2目", True),
    ("feasibility_plan", "第七条第（一）项第3目", True),
    ("operation_report", "第七条第（一）项第4目", True),
    ("agency_roster", "第七条第（一）项第5目", True),
    ("agency_licences", "第七条第（一）项第5目", True),
    ("agency_operation_proof", "第七条第（一）项第5目", True),
    ("other", "第七条第（一）项第6目", False),
]


def test_art7_1_materials(changzhi):
    materials = changzhi.materials()
    assert [(m.id, m.article, m.required) for m in materials] == EXPECTED_MATERIALS
    titles = {m.id: m.title for m in materials}
    assert titles["application_letter"] == "申请函件"
    assert "评估认定审批表" in titles["approval_form"]
    assert "可行性论证报告" in titles["feasibility_plan"] and "建设发展规划" in titles["feasibility_plan"]
    assert "许可证/备案凭证" in titles["agency_licences"]
    assert all(m.title_en for m in materials)


def test_art7_transitions_are_looked_up_by_id(changzhi):
    procedure = changzhi.procedure()
    assert procedure.transition("county_pass").source == "county_review"
    with pytest.raises(KeyError):
        procedure.transition("no_such_transition")
