"""Every hook of the Changzhi plugin answers through the registry, as Changzhi, citing Changzhi's
measures — and never for Karamay, nor Karamay for it."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import re

import pytest

from core.rules.assessment import GradeRecord
from core.rules.facts import ParkFacts
from core.rules.ledger import ForbiddenCategory, check_category
from core.plugin.registry import load_registry
from core.rules.subsidy import SubsidyContext
from plugins.changzhi import ChangzhiPlugin

# Changzhi's measures run to 第二十二条; a citation names one of its articles.
ARTICLE = re.compile(r"^第(一|二|三|四|五|六|七|八|九|十|十一|十二|十三|十四|十五|十六|十七|十八|十九|二十|二十一|二十二)条")


def test_info_answers_as_changzhi(registry):
    info = registry.get("changzhi").info
    assert info.code == "changzhi"
    assert info.name == "长治市" and info.name_en == "Changzhi"
    assert info.measures_title == "长治市级人力资源服务产业园管理办法（试行）"
    assert info.name_prefix == "长治"
    assert info.level == "city" and info.parent is None
    assert info.effective_until is None
    assert "第二十一条" in info.effective_note
    assert info.version == "0.1.0" == ChangzhiPlugin.version


def test_art21_in_force_from_the_deployment_date(monkeypatch, make_park):
    monkeypatch.setenv("HRPARK_CHANGZHI_EFFECTIVE_FROM", "2024-06-01")
    changzhi = load_registry().get("changzhi")
    assert changzhi.info.effective_from == datetime.date(2024, 6, 1)
    assert changzhi.info.in_force_on(datetime.date(2024, 6, 1)) is True
    assert changzhi.info.in_force_on(datetime.date(2024, 5, 31)) is False
    before = changzhi.evaluate(make_park(), 2024, as_of=datetime.date(2024, 5, 31))
    assert any("不在《长治市级人力资源服务产业园管理办法（试行）》有效期内" in w for w in before.warnings)
    assert changzhi.evaluate(make_park(), 2025, as_of=datetime.date(2025, 6, 30)).warnings == []


def test_art21_start_date_not_entered_is_a_warning(monkeypatch, make_park):
    monkeypatch.delenv("HRPARK_CHANGZHI_EFFECTIVE_FROM", raising=False)
    changzhi = load_registry().get("changzhi")
    assert changzhi.info.effective_from is None
    warnings = changzhi.evaluate(make_park(), 2025, as_of=datetime.date(2025, 6, 30)).warnings
    assert any("施行日期尚未设置" in w for w in warnings)


def test_every_hook_answers_as_changzhi(registry, make_grant_park):
    changzhi = registry.get("changzhi")
    assert {p.source for p in changzhi.parameters} == {"changzhi"}
    assert {c.source for c in changzhi.criteria(RULES_DAY)} == {"changzhi"}
    assert all(c.article.startswith("第六条") for c in changzhi.criteria(RULES_DAY))
    assert all(m.article.startswith("第七条") for m in changzhi.materials())
    procedure = changzhi.procedure()
    assert procedure.filer_role == "park_operator"
    assert all(t.article.startswith("第七条") for t in procedure.transitions)
    assert all(i.article.startswith("第十九条") for i in changzhi.indicators(RULES_DAY))
    assert all(t.article == "第二十条" for t in changzhi.grade_tiers(RULES_DAY))
    consequences = changzhi.consequences([GradeRecord(2024, "unqualified"), GradeRecord(2025, "unqualified", "failed")], RULES_DAY)
    assert consequences and all(c.article.startswith("第二十条") for c in consequences)
    ctx = SubsidyContext(park=make_grant_park(), year=2025, recognised_on=datetime.date(2025, 2, 1),
                         recognition_status="active", grades={2025: "excellent"})
    subsidies = changzhi.subsidies(ctx)
    assert [(s.rule_id, s.article, s.source) for s in subsidies] == [
        ("changzhi.recognition_award", "第九条", "changzhi"),
        ("changzhi.operating_grant", "第十条", "changzhi"),
    ]
    assert [s.due for s in subsidies] == [True, True]
    categories = changzhi.ledger_categories()
    assert {c.article for c in categories} == {"第十一条"}
    templates = changzhi.document_templates()
    assert {t.id for t in templates} >= {"changzhi.approval_form", "changzhi.public_notice", "changzhi.approval_reply"}
    assert {t.source for t in templates} == {"changzhi"}
    everything = (
        [c.article for c in changzhi.criteria(RULES_DAY)] + [m.article for m in changzhi.materials()]
        + [t.article for t in procedure.transitions] + [i.article for i in changzhi.indicators(RULES_DAY)]
        + [c.article for c in consequences] + [s.article for s in subsidies] + [c.article for c in categories]
    )
    assert all(ARTICLE.match(a) for a in everything), [a for a in everything if not ARTICLE.match(a)]


def test_recognised_name_is_prefixed_with_changzhi_once(registry):
    changzhi = registry.get("changzhi")
    assert changzhi.recognised_name("上党人力资源服务产业园") == "长治上党人力资源服务产业园"
    assert changzhi.recognised_name("长治市人力资源服务产业园") == "长治市人力资源服务产业园"


def test_art11_ledger_categories(registry):
    categories = registry.get("changzhi").ledger_categories()
    assert [(c.id, c.allowed) for c in categories] == [
        ("agency_rent", True), ("renovation", True), ("property_management", True), ("public_venue", True),
        ("park_operation", True), ("outside_fund_scope", False),
    ]
    assert check_category(categories, "renovation").label == "装修"
    with pytest.raises(ForbiddenCategory, match="第十一条"):
        check_category(categories, "outside_fund_scope")
    with pytest.raises(ForbiddenCategory, match="staff_wages.*入驻企业房屋租金"):
        check_category(categories, "staff_wages")


def test_changzhi_never_answers_for_karamay(registry, make_grant_park):
    changzhi, karamay = registry.get("changzhi"), registry.get("karamay")
    assert karamay.info.code == "karamay" and karamay.info.name_prefix != "长治"
    assert not {c.source for c in karamay.criteria(RULES_DAY)} & {"changzhi"}
    assert karamay.procedure().filer_role != changzhi.procedure().filer_role
    assert karamay.recognised_name("某园") != changzhi.recognised_name("某园")
    assert changzhi.parameters.value("notice_working_days", datetime.date(2025, 1, 1)) == 5
    assert changzhi.parameters.get("single_site_min_area").source == "changzhi"
    ctx = SubsidyContext(park=make_grant_park(), year=2025, recognised_on=datetime.date(2025, 2, 1),
                         recognition_status="active", grades={2025: "qualified"})
    assert not [p for p in karamay.subsidies(ctx) if p.rule_id.startswith("changzhi.")]
    assert not [p for p in changzhi.subsidies(ctx) if not p.rule_id.startswith("changzhi.")]


def test_evaluation_results_come_from_changzhi_only(registry):
    evaluation = registry.get("changzhi").evaluate(ParkFacts(name="园区", jurisdiction="changzhi"), 2025,
                                                  as_of=datetime.date(2025, 6, 30))
    assert evaluation.jurisdiction == "changzhi"
    assert {r.source for r in evaluation.results} == {"changzhi"}
    # An empty park fails only waivable (原则上) conditions, and its floor area is not known yet.
    assert evaluation.outcome == "incomplete"
