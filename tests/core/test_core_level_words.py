"""Inherited texts that name the level read in the inheriting programme's level (issue 12 point 4):
core.rules.level_words rewrites a parent's 市级 / 全市 / city-wide into a county's 区级 / 全区 / district-wide
(县级 / 全县 for a 县), and nothing else — not another level, not an article, not the city's own name,
not the county's own texts."""
import datetime
from dataclasses import replace

import pytest

from core.rules.assessment import Consequence, GradeRecord
from core.rules.jurisdiction import JurisdictionInfo
from core.rules.level_words import LevelWords, reword, reworded
from core.plugin.registry import Registry
from core.rules.provenance import rule_provenance
from core.rules.criteria import MET, Criterion
from core.rules.subsidy import SubsidyContext
from plugins.changzhi import ChangzhiPlugin

CITY = LevelWords.of("长治市", "city")
DISTRICT = LevelWords.of("潞州区", "county")
XIAN = LevelWords.of("沁县", "county")
DAY = datetime.date(2026, 6, 30)


# --- the words of a place ---------------------------------------------------------------------------


def test_the_words_follow_the_places_name_and_level():
    assert (CITY.level, CITY.area, CITY.words()["park"]) == ("市级", "全市", "市级人力资源服务产业园")
    assert (DISTRICT.level, DISTRICT.area, DISTRICT.words()["park"]) == ("区级", "全区", "潞州区级人力资源服务产业园")
    assert (XIAN.level, XIAN.area, XIAN.words()["park"]) == ("县级", "全县", "沁县级人力资源服务产业园")
    assert LevelWords.of("上党", "county").area == "全县"  # no unit in the name: its level's
    assert LevelWords.of("山西省", "province").level == "省级"
    assert LevelWords.of("潞州区", "county", park_level="区级").words()["park"] == "区级人力资源服务产业园"


def test_a_programme_declares_its_words_or_gets_its_places():
    info = JurisdictionInfo(code="changzhi-qin", name="沁县", name_en="Qin County", measures_title="沁县办法",
                            name_prefix="沁县", parent="changzhi", level="county")
    assert info.words == XIAN
    own = LevelWords.of("沁县", "county", park_level="县级")
    assert replace(info, level_words=own).words is own


# --- reword: what changes ---------------------------------------------------------------------------


@pytest.mark.parametrize("city, district, xian", [
    ("取消市级人力资源服务产业园资格", "取消潞州区级人力资源服务产业园资格", "取消沁县级人力资源服务产业园资格"),
    ("予以全市通报表扬", "予以全区通报表扬", "予以全县通报表扬"),
    ("由市级财政从市级就业补助资金中", "由区级财政从区级就业补助资金中", "由县级财政从县级就业补助资金中"),
    ("市级产业园资格已于2025-09-01取消", "区级产业园资格已于2025-09-01取消", "县级产业园资格已于2025-09-01取消"),
    ("本市户籍，我市企业", "本区户籍，我区企业", "本县户籍，我县企业"),
    ("2025 graded excellent: city-wide commendation", "2025 graded excellent: district-wide commendation",
     "2025 graded excellent: county-wide commendation"),
    ("City-level recognition; 15% of the city's targets", "District-level recognition; 15% of the district's targets",
     "County-level recognition; 15% of the county's targets"),
])
def test_the_parents_level_words_read_in_the_countys(city, district, xian):
    assert reword(city, CITY, DISTRICT) == district
    assert reword(city, CITY, XIAN) == xian


# --- reword: what does not ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "2025年度考核优秀，积极推荐申报省级人力资源服务产业园",  # another level
    "县级初审中",  # the county's own step of the city's procedure
    "初审通过，报市人社局审核；市人力资源和社会保障局会同发改、财政部门联合评审",  # the bodies that act
    "《长治市级人力资源服务产业园管理办法（试行）》第二十条第（二）项",  # the city's measures, by name
    "第九条、第十条、第二十条第（一）项",  # articles
    "全市场化运营，基本市场",  # 市场 is a market
    "forward to the city bureau; velocity-levels; the city",  # no level word
    "",
])
def test_other_levels_names_articles_and_bodies_stay(text):
    assert reword(text, CITY, DISTRICT) == text
    assert reword(text, CITY, XIAN) == text


def test_the_countys_own_words_are_never_rewritten_and_rewording_twice_changes_nothing():
    own = "鼓励区级产业园积极申报市级人力资源服务产业园"  # 潞州区办法第五条: the city's level, named on purpose
    assert reword(own, DISTRICT, DISTRICT) == own  # a programme's own words are its own
    once = reword("取消市级人力资源服务产业园资格，予以全市通报表扬", CITY, DISTRICT)
    assert reword(once, CITY, DISTRICT) == once
    # A county-level city (县级市) says 市级 too: its park names itself, and stays so.
    city_county = LevelWords.of("潞城市", "county")
    once = reword("市级人力资源服务产业园", CITY, city_county)
    assert once == "潞城市级人力资源服务产业园" and reword(once, CITY, city_county) == once


def test_reworded_changes_the_texts_people_read_of_an_item_and_keeps_it_otherwise():
    consequence = Consequence("commendation", "第二十条第（一）项", "予以全市通报表扬", "city-wide commendation")
    mine = reworded(consequence, CITY, DISTRICT)
    assert (mine.explanation, mine.explanation_en, mine.article) == ("予以全区通报表扬", "district-wide commendation", "第二十条第（一）项")
    unchanged = Consequence("grant_subsidy", "第二十条第（一）项", "按规定给予扶持政策奖补", "subsidies are granted")
    assert reworded(unchanged, CITY, DISTRICT) is unchanged
    assert reworded([consequence, unchanged], CITY, DISTRICT) == [mine, unchanged]


# --- in a county programme, through the hooks ------------------------------------------------------------


def listed(criterion, ctx):
    return criterion.result(MET, True, True, "已列入全市人力资源服务产业园名录", "on the city-wide register")


class ListingCity(ChangzhiPlugin):
    """Changzhi with one more condition whose title and explanation name its level."""

    def build_criteria(self, on):
        return super().build_criteria(on) + [
            Criterion("listed", "第六条", "列入全市人力资源服务产业园名录", "On the city-wide register", listed, source="changzhi"),
        ]


class Qinxian(ListingCity):
    """A county of kind 县 that inherits everything, and words one consequence of its own."""

    code = "changzhi-qin"
    parent_code = "changzhi"
    parameter_overrides_file = None

    def build_info(self):
        return JurisdictionInfo(code=self.code, name="沁县", name_en="Qin County", measures_title="沁县人力资源服务产业园认定管理办法",
                                name_prefix="沁县", parent=self.parent_code, level="county")


class Luzhou(ListingCity):
    """A district whose own consequence names the city's level on purpose."""

    code = "changzhi-lz"
    parent_code = "changzhi"

    def build_info(self):
        return JurisdictionInfo(code=self.code, name="潞州区", name_en="Luzhou", measures_title="潞州区办法",
                                name_prefix="潞州", parent=self.parent_code, level="county")

    def build_consequences(self, history, on):
        city = [c for c in self.inherited(super().build_consequences(history, on)) if c.kind != "recommend_provincial"]
        if history and history[-1].grade == "excellent":
            city.append(Consequence("recommend_city", "潞州区办法第二十条第（一）项", "积极推荐申报市级人力资源服务产业园",
                                    "recommended for the city level"))
        return city


@pytest.fixture(scope="module")
def programmes():
    reg = Registry()
    for code, plugin in (("changzhi", ListingCity()), ("changzhi-qin", Qinxian()), ("changzhi-lz", Luzhou())):
        reg.add(code, plugin)
    assert not reg.failures, [str(f) for f in reg.failures]
    return reg.get("changzhi"), reg.get("changzhi-qin"), reg.get("changzhi-lz")


def by_id(items, key="id"):
    return {getattr(i, key): i for i in items}


def test_an_inherited_criterion_reads_in_the_countys_level_and_the_citys_stays(programmes):
    from core.world.samples import sample_park

    city, xian, _ = programmes
    assert by_id(city.criteria(DAY))["listed"].title == "列入全市人力资源服务产业园名录"
    assert by_id(xian.criteria(DAY))["listed"].title == "列入全县人力资源服务产业园名录"
    assert by_id(xian.criteria(DAY))["site_area"] == by_id(city.criteria(DAY))["site_area"]  # nothing to reword: the same
    county_result = xian.evaluate(sample_park("changzhi-qin"), 2026, as_of=DAY).by_id("listed")
    city_result = city.evaluate(sample_park("changzhi"), 2026, as_of=DAY).by_id("listed")
    assert (county_result.title, county_result.explanation, county_result.explanation_en) == (
        "列入全县人力资源服务产业园名录", "已列入全县人力资源服务产业园名录", "on the county-wide register")
    assert (city_result.title, city_result.explanation) == ("列入全市人力资源服务产业园名录", "已列入全市人力资源服务产业园名录")


def test_inherited_consequences_read_in_the_countys_level_and_its_own_are_its_own(programmes):
    city, xian, district = programmes
    excellent = [GradeRecord(2025, "excellent")]
    twice = [GradeRecord(2024, "unqualified", "failed"), GradeRecord(2025, "unqualified", "failed")]
    assert by_id(city.consequences(excellent, DAY), "kind")["commendation"].explanation == "2025年度考核优秀，予以全市通报表扬"
    assert by_id(xian.consequences(excellent, DAY), "kind")["commendation"].explanation == "2025年度考核优秀，予以全县通报表扬"
    assert by_id(xian.consequences(excellent, DAY), "kind")["commendation"].explanation_en == "2025 graded excellent: county-wide commendation"
    # 省级 names another level: the county inherits the city's recommendation as it stands.
    assert "申报省级人力资源服务产业园" in by_id(xian.consequences(excellent, DAY), "kind")["recommend_provincial"].explanation
    assert "取消市级人力资源服务产业园资格" in by_id(city.consequences(twice, DAY), "kind")["revoke"].explanation
    assert "取消沁县级人力资源服务产业园资格" in by_id(xian.consequences(twice, DAY), "kind")["revoke"].explanation
    mine = by_id(district.consequences(excellent, DAY), "kind")
    assert mine["commendation"].explanation == "2025年度考核优秀，予以全区通报表扬"
    assert (mine["recommend_city"].explanation, mine["recommend_city"].explanation_en) == (
        "积极推荐申报市级人力资源服务产业园", "recommended for the city level")


def test_inherited_document_and_material_titles_read_in_the_countys_level(programmes):
    city, xian, district = programmes
    assert by_id(city.document_templates())["changzhi.approval_form"].title == "市级人力资源服务产业园评估认定审批表"
    assert by_id(xian.document_templates())["changzhi.approval_form"].title == "沁县级人力资源服务产业园评估认定审批表"
    assert by_id(district.document_templates())["changzhi.public_notice"].title == "拟认定潞州区级人力资源服务产业园公示"
    assert by_id(xian.document_templates())["changzhi.rectification_notice"] == by_id(city.document_templates())["changzhi.rectification_notice"]
    assert by_id(city.materials())["approval_form"].title == "《市级人力资源服务产业园评估认定审批表》"
    form = by_id(xian.materials())["approval_form"]
    assert (form.title, form.title_en, form.article) == (
        "《沁县级人力资源服务产业园评估认定审批表》", "county-level assessment and approval form (annex)", "第七条第（一）项第2目")


def test_inherited_subsidy_texts_read_in_the_countys_level(programmes):
    from core.world.samples import sample_park

    city, xian, _ = programmes

    def award(j):
        context = SubsidyContext(park=sample_park(j.code), year=2025, recognised_on=datetime.date(2025, 3, 1),
                                 recognition_status="active", grades={2025: "qualified"})
        return by_id(j.subsidies(context), "kind")["recognition_award"]

    assert "被认定为市级人力资源服务产业园" in award(city).explanation
    assert "被认定为沁县级人力资源服务产业园" in award(xian).explanation and award(xian).article == "第九条"


def test_an_inherited_description_of_a_countys_own_number_reads_in_its_level(tmp_path):
    path = tmp_path / "qin.yaml"
    path.write_text("overrides:\n  employment_ratio:\n    reference: 沁县办法第十条\n    values: {2024-01-01: 0.2}\n",
                    encoding="utf-8")

    class OwnRatio(Qinxian):
        parameter_overrides_file = path

    ratio = OwnRatio().parameters.get("employment_ratio")
    assert ratio.description.startswith("当年促进就业人数须达到全县当年") and "the county's yearly targets" in ratio.description_en
    assert ChangzhiPlugin().parameters.get("employment_ratio").description.startswith("当年促进就业人数须达到全市当年")


def test_a_reworded_inherited_rule_is_still_the_citys_in_provenance(programmes):
    city, xian, _ = programmes
    reg = Registry()
    for j in (city, xian):
        reg.add(j.code, j.plugin)
    rows = {(r.kind, r.id): r for r in rule_provenance("changzhi-qin", reg)}
    assert rows[("material", "approval_form")].inherited and rows[("material", "approval_form")].title.startswith("《沁县级")
    assert rows[("consequence", "commendation")].inherited and "全县" in rows[("consequence", "commendation")].title


def test_an_override_reads_what_it_kept_of_the_citys_text_in_the_countys_level(programmes):
    city, _, _ = programmes
    reply = by_id(city.document_templates())["changzhi.approval_reply"]
    form = by_id(city.document_templates())["changzhi.approval_form"]

    class Reissued(Qinxian):
        code = "changzhi-qin2"
        template_overrides = {
            "changzhi.approval_reply": replace(reply, issuer="沁县人力资源和社会保障局"),  # the city's title kept
            "changzhi.approval_form": replace(form, title="沁县产业园审批表（本县样式）"),  # a title of its own
        }

    reg = Registry()
    reg.add("changzhi-qin2", Reissued())
    mine = by_id(reg.get("changzhi-qin2").document_templates())
    assert (mine["changzhi.approval_reply"].title, mine["changzhi.approval_reply"].issuer) == (
        "沁县级人力资源服务产业园认定批复", "沁县人力资源和社会保障局")
    assert mine["changzhi.approval_form"].title == "沁县产业园审批表（本县样式）"
    assert reply.title == "市级人力资源服务产业园认定批复"
