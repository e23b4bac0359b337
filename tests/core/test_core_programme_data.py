"""A programme's declared data: every problem of a file named by file, line and key at once; texts
that name a parameter follow its value on the day; a county's file replaces its city's items by id."""
import datetime
from decimal import Decimal

import pytest

from core.rules.programme_data import LedgerCategorySchema, ProgrammeDataError, fill, load_items


class Params:
    """The two calls the loader and `fill` make of a ParameterSet."""

    def __init__(self, values):
        self.values = values

    def __contains__(self, pid):
        return pid in self.values

    def value(self, pid, on):
        return self.values[pid](on) if callable(self.values[pid]) else self.values[pid]


PARAMS = Params({"branch_sites_max": 3, "words": "工资"})


def write(tmp_path, text, name="ledger.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path, **kw):
    with pytest.raises(ProgrammeDataError) as exc:
        load_items(path, "ledger_categories", LedgerCategorySchema(), PARAMS, **kw)
    return exc.value.problems


def test_every_problem_named_by_file_line_and_key(tmp_path):
    path = write(tmp_path, (
        "ledger_categories:\n"                                  # 1
        "  - id: rent\n"                                        # 2
        "    label: 租金\n"                                     # 3
        "    label_en: rent\n"                                  # 4
        "  - id: rent\n"                                        # 5  duplicate
        "    label: 租金二\n"                                   # 6
        "    label_en: rent 2\n"                                # 7
        "    article: 第十一条\n"                               # 8
        "  - id: wages\n"                                       # 9
        "    label: 工资\n"                                     # 10
        "    label_en: wages\n"                                 # 11
        "    article: 第十一条\n"                               # 12
        "    allowed: maybe\n"                                  # 13 not a boolean
        "    words_parameter: no_such_words\n"                  # 14 unknown parameter
        "  - id: sites\n"                                       # 15
        "    label: 不超过{no_such_number}个\n"                 # 16 unknown parameter in a text
        "    label_en: sites\n"                                 # 17
        "    article: 第六条\n"                                 # 18
    ))
    found = problems(path)
    assert "ledger.yaml:2: article: Missing data for required field." in found  # no article, at the item
    assert "ledger.yaml:5: id: 重复的编号 rent (duplicate id)" in found
    assert any(p.startswith("ledger.yaml:13: allowed: ") for p in found)
    assert "ledger.yaml:16: label: 未知参数 no_such_number (unknown parameter)" in found
    assert len(found) == 4  # the unknown words parameter sits on an item already refused (line 13)


def test_unknown_words_parameter_and_wrong_shapes(tmp_path):
    path = write(tmp_path, "ledger_categories:\n  - {id: wages, label: 工资, label_en: wages, article: 第二十条,\n"
                           "     words_parameter: no_such_words}\n  - just text\n")
    found = problems(path)
    assert "ledger.yaml:3: words_parameter: 未知参数 no_such_words (unknown parameter)" in found
    assert "ledger.yaml:1: ledger_categories: 每项应为键值对 (each item must be a mapping)" in found
    assert problems(write(tmp_path, "ledger_categories: {id: x}\n", "a.yaml")) == [
        "a.yaml:1: ledger_categories: 应为列表 (must be a list of items)"]
    assert problems(write(tmp_path, "other: []\n", "b.yaml")) == [
        "b.yaml:1: ledger_categories: 应为列表 (must be a list of items)"]
    syntax = problems(write(tmp_path, "ledger_categories:\n  - id: [x\n", "c.yaml"))
    assert len(syntax) == 1 and syntax[0].startswith("c.yaml:3: -: YAML 格式错误")


def test_a_changed_number_changes_every_text_naming_it():
    day = datetime.date(2025, 1, 1)
    revised = Params({"branch_sites_max": lambda on: Decimal("3") if on < day else Decimal("4")})
    for text, before, after in (("分园区原则上不超过{branch_sites_max}个", "分园区原则上不超过3个", "分园区原则上不超过4个"),
                                ("at most {branch_sites_max} branch sites", "at most 3 branch sites", "at most 4 branch sites")):
        assert fill(text, revised, day - datetime.timedelta(days=1)) == before
        assert fill(text, revised, day) == after
    assert fill("没有数字", revised, day) == "没有数字"


def test_a_county_file_replaces_by_id_and_appends(tmp_path):
    city = write(tmp_path, "ledger_categories:\n"
                           "  - {id: rent, label: 租金, label_en: rent, article: 第十一条}\n"
                           "  - {id: fit_out, label: 装修, label_en: fit-out, article: 第十一条}\n", "city.yaml")
    county = write(tmp_path, "ledger_categories:\n"
                             "  - {id: rent, label: 房租, label_en: rent, article: 第九条}\n"
                             "  - {id: training, label: 培训, label_en: training, article: 第九条}\n", "county.yaml")
    base = load_items(city, "ledger_categories", LedgerCategorySchema(), PARAMS)
    merged = load_items(county, "ledger_categories", LedgerCategorySchema(), PARAMS, base=base)
    assert [(i["id"], i["label"], i["article"]) for i in merged] == [
        ("rent", "房租", "第九条"), ("fit_out", "装修", "第十一条"), ("training", "培训", "第九条")]
    assert base[0]["label"] == "租金"  # the city's own list is untouched


def test_the_cities_ledgers_are_declared_with_articles(registry):
    for code, count, forbidden in (("changzhi", 6, {"outside_fund_scope"}), ("karamay", 5, {"staff_wages", "integrity_violation"})):
        cats = registry.get(code).ledger_categories()
        assert len(cats) == count and all(c.article for c in cats)
        assert {c.id for c in cats if not c.allowed} == forbidden


def test_subsidy_kinds_are_declared_by_the_programmes_that_compute_them():
    """Core lists no city's kind of money: each programme's subsidies.yaml names its own, with its
    article, and the vocabulary people read is whatever the installed programmes declare."""
    from core.records import vocab
    from core.plugin.registry import Registry, registry, set_registry
    from plugins.karamay import plugin as karamay

    everything = registry()
    kinds = {j.code: {k["id"]: k["article"] for k in j.subsidy_kinds()} for j in everything}
    assert kinds["karamay"] == {"operating": "第二十条"}
    assert kinds["changzhi"] == {"recognition_award": "第九条", "operating_grant": "第十条"}
    assert kinds["changzhi-luzhou"] == kinds["changzhi"]  # inherited by the county
    assert vocab.SUBSIDY_KINDS.label("operating_grant") == "基础运营经费补助"

    only_karamay = Registry()
    only_karamay.add("karamay", karamay)
    try:
        set_registry(only_karamay)
        assert vocab.SUBSIDY_KINDS.codes() == ["operating"]
        assert "operating_grant" not in vocab.SUBSIDY_KINDS
        assert vocab.SUBSIDY_KINDS.label("operating_grant") == "operating_grant"  # shown as itself
    finally:
        set_registry(everything)
    assert "operating_grant" in vocab.SUBSIDY_KINDS


def test_a_subsidy_kind_without_its_article_is_refused(tmp_path):
    from core.rules.programme_data import SubsidyKindSchema

    path = write(tmp_path, "subsidy_kinds:\n  - {id: bonus, label: 奖励, label_en: bonus}\n", "subsidies.yaml")
    with pytest.raises(ProgrammeDataError) as exc:
        load_items(path, "subsidy_kinds", SubsidyKindSchema(), PARAMS)
    assert any("subsidies.yaml:2" in p and "article" in p for p in exc.value.problems)
