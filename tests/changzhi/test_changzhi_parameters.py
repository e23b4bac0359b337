"""The parameter file: every number of the measures with its article and start date; local
defaults marked as such; every parameter the code reads exists and every one in the file is read."""
from core.world.samples import SAMPLE_AS_OF as RULES_DAY  # the day the rules are read on
import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

import plugins.changzhi as changzhi_package

PLUGIN_DIR = Path(changzhi_package.__file__).parent
LOCAL_DEFAULTS = {
    "weight_economic_development", "weight_role_played", "weight_operation_management",
    "grade_excellent_min", "grade_qualified_min", "rectification_months",
}

# The numbers of the measures themselves, as the text writes them.
FROM_THE_TEXT = {
    "single_site_min_area": ("第六条第（二）项", Decimal(3000)),
    "core_site_min_area": ("第六条第（二）项", Decimal(2000)),
    "multi_site_min_total_area": ("第六条第（二）项", Decimal(4000)),
    "max_branch_sites": ("第六条第（二）项", 3),
    "min_agencies": ("第六条第（三）项", 10),
    "min_total_revenue": ("第六条第（三）项", Decimal(30000000)),
    "tier1_revenue": ("第六条第（三）项", Decimal(3000000)),
    "tier1_min_agencies": ("第六条第（三）项", 5),
    "tier2_revenue": ("第六条第（三）项", Decimal(5000000)),
    "tier2_min_agencies": ("第六条第（三）项", 3),
    "tier3_revenue": ("第六条第（三）项", Decimal(10000000)),
    "tier3_min_agencies": ("第六条第（三）项", 1),
    "notice_working_days": ("第七条第（三）项", 5),
    "recognition_award": ("第九条", Decimal(800000)),
    "employment_ratio": ("第十条", Decimal("0.15")),
    "base_operating_grant": ("第十条", Decimal(300000)),
    "bonus_per_person": ("第十条", Decimal(30)),
    "max_annual_grant": ("第十条", Decimal(500000)),
    "assessment_quarter": ("第十八条", 1),
    "article6_in_principle": ("第六条", True),
}
# Words that flag a ledger line for the finance officer (issue 11 item 21), with the article they read.
LEDGER_WORDS = {"ledger_outside_scope_words": ("第十一条", ("直播带岗", "招聘活动", "工资", "宴请"))}


def test_every_parameter_has_an_article_a_start_date_and_both_descriptions(changzhi):
    for parameter in changzhi.parameters:
        assert parameter.reference.strip(), parameter.id
        assert isinstance(parameter.effective_from, datetime.date), parameter.id
        assert parameter.description and parameter.description_en, parameter.id
        assert parameter.values[-1][1] is not None, f"{parameter.id} has no value in force"


def test_numbers_of_the_measures_cite_their_article(changzhi):
    for pid, (article, value) in FROM_THE_TEXT.items():
        parameter = changzhi.parameters.get(pid)
        assert parameter.reference == article, pid
        assert parameter.local_default is False, pid
        assert parameter.at(datetime.date(2025, 1, 1)) == value, pid


def test_local_defaults_are_marked_and_never_presented_as_law(changzhi):
    marked = {p.id for p in changzhi.parameters if p.local_default}
    assert marked == LOCAL_DEFAULTS
    for pid in marked:
        assert changzhi.parameters.get(pid).reference.startswith("办法未规定，本地默认值（"), pid
    assert {p.id for p in changzhi.parameters} == LOCAL_DEFAULTS | set(FROM_THE_TEXT) | set(LEDGER_WORDS)


def test_ledger_words_are_text_parameters_citing_article_11(changzhi):
    for pid, (article, some) in LEDGER_WORDS.items():
        parameter = changzhi.parameters.get(pid)
        assert (parameter.unit, parameter.reference, parameter.local_default) == ("text", article, False)
        words = parameter.at(datetime.date(2025, 1, 1)).split("、")
        assert set(some) <= set(words) and "园区运行管理" not in words


def test_money_is_decimal_and_the_in_principle_switch_is_a_boolean(changzhi):
    for parameter in changzhi.parameters:
        if parameter.unit in ("yuan", "yuan_per_person", "ratio", "m2"):
            assert isinstance(parameter.values[0][1], Decimal), parameter.id
    assert changzhi.parameters.get("article6_in_principle").unit == "bool"


def _plugin_source():
    return "\n".join(p.read_text(encoding="utf-8") for p in PLUGIN_DIR.glob("*.py"))


def test_every_parameter_the_code_reads_is_in_the_file(changzhi):
    read = set(re.findall(r"""(?:param|_today_value|value)\(\s*["']([a-z0-9_]+)["']""", _plugin_source()))
    assert read, "no parameter look-ups found: the pattern is stale"
    assert read <= {p.id for p in changzhi.parameters}, read - {p.id for p in changzhi.parameters}


def test_every_parameter_in_the_file_is_read_by_the_code(changzhi):
    source = _plugin_source()
    indicator_ids = {i.id for i in changzhi.indicators(RULES_DAY)}
    # the declared data (ledger.yaml …) reads a parameter as `…_parameter: id`, `at_least: id`/`at_most: id` or `{id}` in a text
    data = "\n".join(p.read_text(encoding="utf-8") for p in PLUGIN_DIR.glob("*.yaml") if p.name != "parameters.yaml")
    for parameter in changzhi.parameters:
        used = (f'"{parameter.id}"' in source or parameter.id.removeprefix("weight_") in indicator_ids
                or re.search(rf"(?:_parameter|at_least|at_most): {parameter.id}\b|{{{parameter.id}}}", data))
        assert used, f"{parameter.id} is never read"


@pytest.mark.parametrize("literal", ["3000", "2000", "4000", "30000000", "3000000", "800000", "300000", "500000", "0.15"])
def test_no_number_of_the_measures_is_written_in_the_code(literal):
    code = "\n".join(
        line for line in _plugin_source().splitlines()
        if not line.lstrip().startswith("#") and '"""' not in line
    )
    assert not re.search(rf"(?<![\d.]){re.escape(literal)}(?![\d.])", code), literal
