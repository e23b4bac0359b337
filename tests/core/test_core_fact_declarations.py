"""Facts declared by the programme that reads them: loading, errors naming file and key, values."""
from decimal import Decimal
from pathlib import Path

import pytest

from core.rules.fact_declarations import FactDeclarationError, FactValueError, collect_facts, load_fact_file

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


def write(tmp_path, text, folder="p"):
    (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / folder / "facts.yaml").write_text(text, encoding="utf-8")
    return tmp_path / folder


def test_city_declarations_carry_their_articles():
    karamay = load_fact_file(PLUGINS / "karamay" / "facts.yaml")
    assert karamay["incubation_subsidy_claimed"].article == "第二十条"
    assert karamay["incubation_subsidy_claimed"].owner == "park_year"
    assert karamay["incubation_subsidy_claimed"].default is False
    changzhi = load_fact_file(PLUGINS / "changzhi" / "facts.yaml")
    assert changzhi["urban_new_jobs"].owner == "jurisdiction_year"
    assert changzhi["rural_transfer"].article == "第十条"


def test_a_county_inherits_its_citys_facts(tmp_path):
    county = write(tmp_path, "facts: {}\n", "county")
    facts = collect_facts(county, PLUGINS / "changzhi")
    assert {"urban_new_jobs", "rural_transfer"} <= set(facts)


def test_a_county_may_not_declare_its_citys_fact_again(tmp_path):
    county = write(tmp_path, "facts:\n  urban_new_jobs: {name_zh: a, name_en: a, type: int, owner: park, article: x}\n")
    with pytest.raises(FactDeclarationError, match=r"facts.yaml: facts.urban_new_jobs"):
        collect_facts(county, PLUGINS / "changzhi")


@pytest.mark.parametrize("body, where", [
    ("x: {name_zh: a, name_en: a, type: int, owner: park}", r"facts.yaml: facts.x: 缺少 article"),
    ("x: {name_zh: a, name_en: a, type: float, owner: park, article: 一}", r"facts.yaml: facts.x.type"),
    ("x: {name_zh: a, name_en: a, type: int, owner: city, article: 一}", r"facts.yaml: facts.x.owner"),
    ("x: {name_zh: a, name_en: a, type: int, owner: park, article: 一, colour: red}", r"facts.x: 未知的键 colour"),
    ("x: {name_zh: a, name_en: a, type: choice, owner: park, article: 一}", r"facts.x.choices"),
    ("x: {name_zh: a, name_en: a, type: int, owner: park, article: 一, min: lots}", r"facts.x.min"),
    ("x: {name_zh: a, name_en: a, type: int, owner: park, article: 一, min: 0, default: -1}", r"facts.x.default"),
    ("x: {name_zh: a, name_en: a, type: int, owner: park, article: 一, min: 0, sample: -1}", r"facts.x.sample"),
    ("x: {name_zh: a, name_en: a, type: int, owner: park, article: 一, sample: many}", r"facts.x.sample"),
    ("people_served: {name_zh: a, name_en: a, type: int, owner: park_year, article: 一}", r"facts.people_served: .*共享"),
])
def test_a_wrong_declaration_names_file_and_key(tmp_path, body, where):
    folder = write(tmp_path, "facts:\n  " + body + "\n")
    with pytest.raises(FactDeclarationError, match=where):
        load_fact_file(folder / "facts.yaml")


def test_values_are_checked_against_the_declaration():
    facts = collect_facts(PLUGINS / "karamay") | collect_facts(PLUGINS / "changzhi")
    target = facts["urban_new_jobs"]
    assert target.clean("12") == 12
    assert target.clean(0) == 0  # the minimum itself is allowed
    with pytest.raises(FactValueError, match=r"城镇新增就业目标 \(urban_new_jobs\): 不得小于"):
        target.clean(-1)
    with pytest.raises(FactValueError, match="urban_new_jobs.*整数"):
        target.clean(Decimal("1.5"))
    claimed = facts["incubation_subsidy_claimed"]
    assert claimed.clean(None) is False and claimed.clean(True) is True
    with pytest.raises(FactValueError, match="incubation_subsidy_claimed"):
        claimed.clean("yes")
    measures = facts["district_support_measures"]
    assert measures.clean([" 房租减免 ", ""]) == ["房租减免"]
    with pytest.raises(FactValueError, match="district_support_measures"):
        measures.clean("房租减免")


def test_a_plugin_exposes_its_own_and_its_citys_declarations():
    from plugins.changzhi import ChangzhiPlugin
    from plugins.karamay import KaramayPlugin
    from plugins.luzhou import LuzhouPlugin

    assert "incubation_subsidy_claimed" in KaramayPlugin().declared_facts()
    assert "urban_new_jobs" not in KaramayPlugin().declared_facts()
    county = LuzhouPlugin().declared_facts()
    assert county["urban_new_jobs"].article == "第十条"
    assert set(county) == set(ChangzhiPlugin().declared_facts())
