"""A programme's criteria, materials, procedure, indicators and grade tiers declared in YAML
(core.rules.declared_programme): what the files build, how a title takes its number from the parameters
on a day, and how a wrong file is reported — file, line and key of every problem."""
import datetime
import importlib
import sys
import textwrap

import pytest

from core.rules.criteria import fmt_yuan
from core.rules.jurisdiction import Revision
from core.rules.programme_data import ProgrammeDataError
from plugins.changzhi import ChangzhiPlugin
from plugins.karamay import KaramayPlugin
from plugins.luzhou import LuzhouPlugin

DAY = datetime.date(2025, 6, 1)


def by_id(items, item_id):
    return next(item for item in items if item.id == item_id)


# --- what the files build ---------------------------------------------------------------------------


def test_titles_name_each_programmes_own_number():
    city, county = ChangzhiPlugin(), LuzhouPlugin()
    assert county.parameters.value("max_branch_sites", DAY) == 2 != city.parameters.value("max_branch_sites", DAY)
    assert by_id(city.criteria(on=DAY), "branch_sites").title == "分园区原则上不超过3个"
    luzhou = by_id(county.criteria(on=DAY), "branch_sites")
    assert (luzhou.title, luzhou.title_en) == ("分园区原则上不超过2个", "Branch sites, in principle at most 2")
    # Luzhou's file changes the article only: the check and the 原则上 are Changzhi's.
    assert luzhou.article == "潞州区办法第六条第（二）项" and luzhou.source == "changzhi-luzhou" and luzhou.waivable
    assert luzhou.check is by_id(city.criteria(on=DAY), "branch_sites").check


def test_a_revision_changes_the_title_from_its_day_and_not_before(tmp_path):
    revision = tmp_path / "revision.yaml"
    revision.write_text(textwrap.dedent("""\
        label: 2027年修订
        effective_from: 2027-01-01
        overrides:
          max_branch_sites:
            reference: 第六条第（二）项（2027年修订）
            values:
              2027-01-01: 4
    """), encoding="utf-8")

    class Revised(ChangzhiPlugin):
        revisions = (Revision("2027年修订", datetime.date(2027, 1, 1), revision),)

    plugin = Revised()
    before, on = datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)
    assert by_id(plugin.criteria(on=before), "branch_sites").title == "分园区原则上不超过3个"
    assert by_id(plugin.criteria(on=on), "branch_sites").title == "分园区原则上不超过4个"
    assert by_id(plugin.criteria(on=on), "branch_sites").title_en == "Branch sites, in principle at most 4"


def test_the_chapeau_of_article_6_makes_computed_conditions_waivable_and_judgements_not():
    criteria = ChangzhiPlugin().criteria(on=DAY)
    assert by_id(criteria, "site_area").waivable and not by_id(criteria, "site_area").judgement
    assert by_id(criteria, "planning_report").judgement and not by_id(criteria, "planning_report").waivable


def test_the_procedures_and_assessments_are_the_declared_ones():
    changzhi, karamay = ChangzhiPlugin().build_procedure(), KaramayPlugin().build_procedure()
    assert (changzhi.filer_role, karamay.filer_role) == ("park_operator", "county_officer")
    assert changzhi.transition("approve").guards == ("notice_period_over", "no_objections", "recognise")
    assert karamay.waiver_stage is None and changzhi.waiver_stage.roles == ("city_officer",)
    tiers = KaramayPlugin().build_grade_tiers(DAY)
    assert [t.grade for t in tiers] == ["excellent", "qualified", "unqualified"] and tiers[-1].min_score == 0
    indicators = KaramayPlugin().build_indicators(DAY)
    assert len(indicators) == 12 and {i.group for i in indicators} == {"定量", "定性"}
    assert all(i.weight_param == f"weight_{i.id}" for i in indicators)


# --- wrong files: file, line and key --------------------------------------------------------------


@pytest.fixture
def county_with(tmp_path, monkeypatch):
    """A county of Changzhi whose folder holds the given files: returns its plugin."""
    made = []

    def make(**files):
        name = f"declaredtest_{len(made)}"
        folder = tmp_path / name
        folder.mkdir()
        (folder / "__init__.py").write_text(textwrap.dedent(f"""\
            from plugins.changzhi import ChangzhiPlugin

            class County(ChangzhiPlugin):
                code = "changzhi-{name}"
                parent_code = "changzhi"
        """), encoding="utf-8")
        for filename, text in files.items():
            (folder / f"{filename}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        made.append(name)
        return importlib.import_module(name).County()

    yield make
    for name in made:
        sys.modules.pop(name, None)


def problems(build):
    with pytest.raises(ProgrammeDataError) as caught:
        build()
    return caught.value.problems


def test_a_wrong_type_names_file_line_and_key(county_with):
    county = county_with(materials="""\
        materials:
          - id: own_form
            title: 本区表格
            title_en: the district's form
            article: 本区办法第七条
            required: 也许
    """)
    assert problems(county.build_materials) == ["materials.yaml:6: required: Not a valid boolean."]


def test_an_unknown_key_names_file_line_and_key(county_with):
    county = county_with(materials="""\
        materials:
          - id: own_form
            title: 本区表格
            title_en: the district's form
            article: 本区办法第七条
            optional: true
    """)
    assert problems(county.build_materials) == ["materials.yaml:6: optional: Unknown field."]


def test_an_unknown_parameter_in_a_title_names_file_line_and_key(county_with):
    county = county_with(criteria="""\
        criteria:
          - id: public_events
            article: 本区办法第六条第（六）项
            title: 每年举办公益招聘不少于{min_public_event}场
            title_en: Public recruitment events
            check: site_area
    """)
    assert problems(lambda: county.build_criteria(DAY)) == [
        "criteria.yaml:4: title: 未知参数 min_public_event (unknown parameter)"]


def test_an_unknown_check_names_file_line_and_key(county_with):
    county = county_with(criteria="""\
        criteria:
          - id: public_events
            article: 本区办法第六条第（六）项
            title: 公益招聘活动
            title_en: Public recruitment events
            check: public_event
    """)
    assert problems(lambda: county.build_criteria(DAY)) == [
        "criteria.yaml:6: check: 未知的检查函数 public_event (unknown check function)"]


# --- a declared threshold: `measure:` with `at_least:` / `at_most:` ---------------------------------

TEXTS = {"met": ("{value}，不少于{required}", "{value}, at least {required}"), "not_met": ("{value}，差{gap}", "{value}, short by {gap}"),
         "missing": ("尚未录入，须{required}", "not recorded, {required} needed"), "waived": ("（可豁免）", " (may be waived)")}


def threshold_result(value, pid="min_agencies", at_most=False, waivable_parameter="", parameters=None):
    from core.rules.criteria import Criterion, EvaluationContext, threshold

    check = threshold(lambda ctx: None if value is None else {"value": value}, pid, at_most)
    criterion = Criterion("few", "第一条", "标题", "Title", check, texts=TEXTS, waivable_parameter=waivable_parameter)
    return criterion.run(EvaluationContext(None, 2025, DAY, parameters or ChangzhiPlugin().parameters))


def test_a_declared_threshold_is_met_at_its_number_and_not_one_below():
    from core.rules.criteria import MET, MISSING_DATA, NOT_MET

    line = ChangzhiPlugin().parameters.value("min_agencies", DAY)
    met, short = threshold_result(line), threshold_result(line - 1)
    assert (met.status, met.measured, met.required, met.explanation) == (MET, line, line, f"{line}，不少于{line}")
    assert (short.status, short.explanation, short.explanation_en) == (NOT_MET, f"{line - 1}，差1", f"{line - 1}, short by 1")
    missing = threshold_result(None)
    assert (missing.status, missing.measured, missing.explanation) == (MISSING_DATA, None, f"尚未录入，须{line}")


def test_an_at_most_threshold_is_met_at_its_number_and_not_one_above():
    from core.rules.criteria import MET, NOT_MET

    limit = ChangzhiPlugin().parameters.value("max_branch_sites", DAY)
    assert threshold_result(limit, "max_branch_sites", at_most=True).status == MET
    above = threshold_result(limit + 1, "max_branch_sites", at_most=True)
    assert (above.status, above.explanation) == (NOT_MET, f"{limit + 1}，差1")


def test_a_threshold_in_yuan_writes_its_numbers_in_yuan():
    line = ChangzhiPlugin().parameters.value("min_total_revenue", DAY)
    short = threshold_result(line - 10000, "min_total_revenue")
    assert short.explanation == f"{fmt_yuan(line - 10000)}，差1万元" and short.explanation_en.endswith("short by CNY 10,000")


def test_a_threshold_waivable_by_a_number_reads_it_on_the_day_evaluated():
    from core.rules.criteria import NOT_MET, NOT_MET_WAIVABLE

    line = ChangzhiPlugin().parameters.value("min_agencies", DAY)
    waivable = threshold_result(line - 1, waivable_parameter="article6_in_principle")
    assert (waivable.status, waivable.explanation) == (NOT_MET_WAIVABLE, "{}，差1（可豁免）".format(line - 1))
    strict = ChangzhiPlugin().parameters.overridden(
        {"article6_in_principle": {"reference": "第六条", "values": {"2024-01-01": False}}}, {}, "test", "test")
    result = threshold_result(line - 1, waivable_parameter="article6_in_principle", parameters=strict)
    assert (result.status, result.explanation) == (NOT_MET, f"{line - 1}，差1")


THRESHOLD = """\
    criteria:
      - id: few_agencies
        article: 本区办法第六条第（七）项
        title: 入驻机构
        title_en: Resident agencies
        measure: {measure}
        {bound}
        texts:
          met: [达到, reached]
          {not_met}
"""


@pytest.mark.parametrize("measure, bound, not_met, problem", [
    ("agency_count", "", "not_met: [未达到, not reached]",
     "criteria.yaml:6: measure: measure 须与 at_least 或 at_most 之一同用 (a measure needs exactly one of at_least, at_most)"),
    ("agency_cnt", "at_least: min_agencies", "not_met: [未达到, not reached]",
     "criteria.yaml:6: measure: 未知的度量函数 agency_cnt (unknown measure function)"),
    ("agency_count", "at_least: min_agency", "not_met: [未达到, not reached]",
     "criteria.yaml:7: at_least: 未知参数 min_agency (unknown parameter)"),
    ("agency_count", "at_most: min_agencies", "", "criteria.yaml:8: texts: 缺少文字 not_met (texts missing: not_met)"),
    ("agency_count", "at_least: min_agencies", "not_met: [未达到]", "criteria.yaml:8: texts.not_met: Length must be 2."),
])
def test_a_wrong_threshold_names_file_line_and_key(county_with, measure, bound, not_met, problem):
    county = county_with(criteria=THRESHOLD.format(measure=measure, bound=bound, not_met=not_met))
    assert problems(lambda: county.build_criteria(DAY)) == [problem]


def test_a_subsidy_text_is_a_pair_and_a_wrong_one_names_file_line_and_key(tmp_path):
    from core.rules.programme_data import read_texts

    path = tmp_path / "subsidies.yaml"
    path.write_text("subsidy_kinds: []\ntexts:\n  award: ['奖励{award}', 'award {award}']\n", encoding="utf-8")
    assert read_texts(path) == {"award": ("奖励{award}", "award {award}")}
    path.write_text("subsidy_kinds: []\ntexts:\n  paid: [予以兑现, payable]\n  award: [一次性奖励]\n", encoding="utf-8")
    assert problems(lambda: read_texts(path)) == ["subsidies.yaml:4: texts.award: Length must be 2."]


def test_an_unknown_state_role_or_guard_in_a_transition_names_file_line_and_key(county_with):
    county = county_with(procedure="""\
        article: 本区办法第七条
        initial: draft
        filer_role: park_operator
        notice_parameter: notice_working_days
        states:
          - {id: draft, label: 草稿, label_en: draft}
          - {id: recognised, label: 已认定, label_en: recognised, final: true}
        transitions:
          - id: approve
            source: draft
            target: recognized
            roles: [city_officer, mayor]
            label: 认定
            label_en: recognise
            article: 本区办法第七条
            guards: [recognise, lucky]
    """)
    assert problems(county.build_procedure) == [
        "procedure.yaml:11: target: 未知的状态 recognized (unknown state)",
        "procedure.yaml:12: roles: 未知的角色 mayor (unknown role)",
        "procedure.yaml:16: guards: 未知的前提条件 lucky (unknown guard)",
    ]


def test_a_procedures_heading_is_checked_too(county_with):
    county = county_with(procedure="""\
        article: 本区办法第七条
        initial: start
        filer_role: park_operator
        notice_parameter: notice_days
        verdict_stage: {states: [draft], roles: [jury], article: 本区办法第七条}
        states:
          - {id: draft, label: 草稿, label_en: draft}
        transitions: []
    """)
    assert problems(county.build_procedure) == [
        "procedure.yaml:2: initial: 未知的状态 start (unknown state)",
        "procedure.yaml:4: notice_parameter: 未知参数 notice_days (unknown parameter)",
        "procedure.yaml:5: roles: 未知的角色 jury (unknown role)",
    ]


def test_every_problem_of_a_file_is_reported_at_once(county_with):
    county = county_with(assessment="""\
        indicators:
          - id: growth
            label: 增长
            article: 本区办法第十九条
            weight_parameter: weight_economic_development
          - id: service
            label: 服务
            label_en: service
            article: 本区办法第十九条
            weight_parameter: weight_service
        grade_tiers:
          - {id: good, label: 好, label_en: good, article: 本区办法第二十条}
    """)
    assert problems(lambda: county.build_indicators(DAY)) == [
        "assessment.yaml:2: label_en: Missing data for required field.",  # a missing key: the item's line
        "assessment.yaml:10: weight_parameter: 未知参数 weight_service (unknown parameter)",
    ]
    assert problems(lambda: county.build_grade_tiers(DAY)) == [
        "assessment.yaml:12: id: 未知的等次 good (unknown grade)",
    ]


def test_a_county_may_change_one_key_of_its_citys_item_and_the_rest_is_inherited(county_with):
    county = county_with(materials="""\
        materials:
          - id: other
            required: true
    """)
    city = {m.id: m for m in ChangzhiPlugin().build_materials()}
    mine = {m.id: m for m in county.materials()}
    assert not city["other"].required and mine["other"].required and mine["other"].article == city["other"].article
    assert list(mine) == list(city)


def test_consequences_follow_the_latest_grade_and_a_county_drops_or_recites_the_citys():
    from core.rules.assessment import GradeRecord

    history = [GradeRecord(2024, "unqualified"), GradeRecord(2025, "unqualified", "passed")]
    city = ChangzhiPlugin().consequences(history=history, on=DAY)
    assert [c.kind for c in city] == ["release_subsidy", "revoke"]
    assert city[1].explanation.startswith("2024年度、2025年度连续两次") and city[1].year == 2025
    assert [c.kind for c in ChangzhiPlugin().consequences(history=history[-1:], on=DAY)] == ["release_subsidy"]
    excellent = [GradeRecord(2025, "excellent")]
    county = LuzhouPlugin().consequences(history=excellent, on=DAY)
    assert [c.kind for c in county] == ["grant_subsidy", "commendation"]  # no 推荐申报省级 in Luzhou's 第二十条
    assert county[1].article == "潞州区办法第二十条第（一）项" and "全区通报表扬" in county[1].explanation


@pytest.mark.parametrize("kind, grade, problem", [
    ("praise", "excellent", "assessment.yaml:3: kind: 未知的后果类别 praise (unknown consequence kind)"),
    ("commendation", "good", "assessment.yaml:5: when.grade: Must be one of: excellent, qualified, unqualified."),
], ids=["unknown kind", "unknown grade"])
def test_a_consequence_of_an_unknown_kind_or_grade_names_file_line_and_key(county_with, kind, grade, problem):
    from core.rules.assessment import GradeRecord

    county = county_with(assessment=f"""\
        consequences:
          - id: praise
            kind: {kind}
            article: 本区办法第二十条
            when: {{grade: [{grade}]}}
            explanation: "{{year}}年度优秀，予以表扬"
            explanation_en: "{{year}}: praised"
    """)
    assert problems(lambda: county.build_consequences([GradeRecord(2025, "excellent")], DAY)) == [problem]


class _Recording:
    """A programme's parameters, noting each number read."""

    def __init__(self, parameters):
        self.parameters, self.read = parameters, set()

    def value(self, pid, on):
        self.read.add(pid)
        return self.parameters.value(pid, on)

    def get(self, pid):
        return self.parameters.get(pid)


@pytest.mark.parametrize("plugin", [ChangzhiPlugin(), KaramayPlugin(), LuzhouPlugin()], ids=lambda p: p.code)
def test_each_check_reads_only_the_numbers_its_item_declares(plugin):
    from core.rules.declared_programme import declared_criterion_items
    from core.world.samples import SAMPLE_AS_OF, SAMPLE_YEAR, sample_parks
    from core.rules.criteria import EvaluationContext

    items = {item["id"]: item for item in declared_criterion_items(plugin)}
    computed = [c for c in plugin.criteria(on=SAMPLE_AS_OF) if items[c.id]["check"] or items[c.id]["measure"]]
    assert computed
    for criterion in computed:
        item = items[criterion.id]
        declared = {*item["reads"], item["waivable_parameter"], item["at_least"], item["at_most"]}
        for park in sample_parks(plugin.code):
            recording = _Recording(plugin.parameters)
            criterion.run(EvaluationContext(park, SAMPLE_YEAR, SAMPLE_AS_OF, recording))
            assert recording.read <= declared, (criterion.id, recording.read - declared)


# --- documents.yaml ----------------------------------------------------------------------------------


def test_a_citys_documents_are_declared_with_their_article_kind_and_number():
    templates = {t.id: t for t in ChangzhiPlugin().build_document_templates()}
    reply = templates["changzhi.approval_reply"]
    assert (reply.record_kind, reply.article, reply.number_prefix) == ("recognition", "第七条第（四）项、第九条", "长人社发")
    assert reply.path.name == "approval_reply.html" and reply.path.exists() and reply.extra_context is not None
    assert templates["changzhi.approval_form"].number_prefix == ""  # a form carries no 发文字号
    assert templates["changzhi.public_notice"].extra_context is None


def test_a_county_inherits_its_citys_documents_under_the_citys_ids():
    county_ids = [t.id for t in LuzhouPlugin().build_document_templates()]
    assert county_ids == [t.id for t in ChangzhiPlugin().build_document_templates()]
    assert all(i.startswith("changzhi.") for i in county_ids)


@pytest.mark.parametrize("entry, problem", [
    ("{id: notice, title: 公示, title_en: Notice, record_kind: notice, article: 第七条, context: nowhere}",
     "documents.yaml:2: context: 未知的文书上下文函数 nowhere (unknown document context function)"),
    ("{id: notice, title: 公示, title_en: Notice, record_kind: letter, article: 第七条}",
     "documents.yaml:2: record_kind: Must be one of: application, recognition, assessment, rectification, subsidy, notice."),
    ("{id: notice, title: 公示, record_kind: notice, article: 第七条}",
     "documents.yaml:2: title_en: Missing data for required field."),
], ids=["unknown context", "unknown record kind", "missing english title"])
def test_a_wrong_document_names_file_line_and_key(county_with, entry, problem):
    county = county_with(documents=f"""\
        documents:
          - {entry}
    """)
    assert problems(county.build_document_templates) == [problem]
