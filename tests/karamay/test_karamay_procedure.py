"""第六条 (procedure) and 第七条 (materials) of the Karamay measures."""
import datetime

import pytest

from core.rules.procedure import GUARDS
from core.records.vocab import ROLES


def test_art6_states(karamay):
    procedure = karamay.procedure()
    assert [(s.id, s.label, s.final) for s in procedure.states] == [
        ("draft", "草稿（待区人社部门申报）", False),
        ("panel_review", "评审中（市人社局会同市财政局评审小组）", False),
        ("party_group", "待党组审议", False),
        ("public_notice", "公示中", False),
        ("recognised", "已认定", True),
        ("rejected", "未通过", True),
        ("withdrawn", "已撤回", True),
    ]
    assert procedure.initial == "draft"
    assert procedure.article == "第六条"


def test_art6_1_the_district_hrss_department_files(karamay):
    procedure = karamay.procedure()
    assert procedure.filer_role == "county_officer"
    assert [t.id for t in procedure.available("draft", "county_officer")] == ["file", "withdraw"]
    assert procedure.available("draft", "park_operator") == []
    assert procedure.available("draft", "city_officer") == []


@pytest.mark.parametrize(
    "tid, source, target, roles, guards, article",
    [
        ("file", "draft", "panel_review", ("county_officer",), ("materials_complete",), "第六条第（一）项"),
        ("withdraw", "draft", "withdrawn", ("county_officer",), ("remark_required",), "第六条"),
        ("panel_return", "panel_review", "draft", ("city_officer",), ("remark_required",), "第六条第（二）项"),
        ("panel_pass", "panel_review", "party_group", ("city_officer",), ("eligibility_clear",), "第六条第（二）项"),
        ("panel_reject", "panel_review", "rejected", ("city_officer",), ("remark_required",), "第六条第（二）项"),
        ("party_approve", "party_group", "public_notice", ("city_officer",), ("notice_open",), "第六条第（二）项、第（三）项"),
        ("party_reject", "party_group", "rejected", ("city_officer",), ("remark_required",), "第六条第（二）项"),
        ("recognise", "public_notice", "recognised", ("city_officer",),
         ("notice_period_over", "no_objections", "recognise"), "第六条第（三）项"),
        ("notice_reject", "public_notice", "rejected", ("city_officer",), ("remark_required",), "第六条第（三）项"),
    ],
)
def test_art6_transition(karamay, tid, source, target, roles, guards, article):
    t = karamay.procedure().transition(tid)
    assert (t.source, t.target, t.roles, t.guards, t.article) == (source, target, roles, guards, article)
    assert t.label and t.label_en


def test_art6_no_other_transitions_and_known_roles_and_guards(karamay):
    procedure = karamay.procedure()
    assert len(procedure.transitions) == 9
    for t in procedure.transitions:
        assert set(t.roles) <= set(ROLES.codes())
        assert set(t.guards) <= set(GUARDS)
        assert t.article.startswith("第六条")
    final = {s.id for s in procedure.states if s.final}
    assert not [t for t in procedure.transitions if t.source in final]


def test_art6_3_notice_length_is_a_local_default_of_5_working_days(karamay):
    procedure = karamay.procedure()
    parameter = karamay.parameters.get(procedure.notice_param)
    assert parameter.id == "notice_working_days"
    assert parameter.unit == "working_days"
    assert parameter.local_default is True
    assert "第六条第（三）项" in parameter.reference and parameter.reference.startswith("办法未规定，本地默认值")
    assert karamay.parameters.value("notice_working_days", datetime.date(2026, 1, 1)) == 5


def test_art7_materials(karamay):
    materials = karamay.materials()
    assert [(m.id, m.article, m.required) for m in materials] == [
        ("application_report", "第七条第（一）项", True),
        ("feasibility_plan", "第七条第（二）项", True),
        ("operation_report", "第七条第（三）项", True),
        ("agency_roster", "第七条第（四）项", True),
        ("agency_licences", "第七条第（四）项", True),
        ("agency_financials", "第七条第（四）项", True),
        ("other", "第七条第（五）项", False),
    ]
    titles = {m.id: m.title for m in materials}
    assert "可行性论证报告和建设发展规划报告" in titles["feasibility_plan"]
    assert "营业执照及人力资源服务许可证" in titles["agency_licences"]
    assert "上年度财务报表" in titles["agency_financials"]
    assert all(m.title_en for m in materials)
