"""The parameter file: every number of the measures, each with its article and a start date."""
import datetime
import re
from decimal import Decimal

import pytest

from core.rules.parameters import load_parameter_file
from plugins.karamay import KaramayPlugin

ARTICLE = re.compile(r"第[一二三四五六七八九十]+条")
LOCAL = "办法未规定，本地默认值（"


@pytest.fixture(scope="module")
def parameters():
    return load_parameter_file(KaramayPlugin.parameters_file, "karamay")


def test_every_parameter_has_an_article_a_start_date_and_both_descriptions(parameters):
    for p in parameters:
        assert ARTICLE.search(p.reference), p.id
        assert p.values and isinstance(p.values[0][0], datetime.date), p.id
        assert p.effective_from == datetime.date(2025, 1, 1), p.id
        assert p.description and p.description_en, p.id
        assert p.source == "karamay"


def test_local_defaults_say_so_and_laws_do_not(parameters):
    local = {p.id for p in parameters if p.local_default}
    for p in parameters:
        if p.id in local:
            assert p.reference.startswith(LOCAL), p.id
        else:
            assert "本地默认值" not in p.reference, p.id
    expected_local = {"min_operator_staff", "notice_working_days", "operating_subsidy_first_year_offset",
                      "rectification_months", "grade_excellent_min", "grade_qualified_min"}
    assert expected_local <= local
    assert {p.id for p in parameters if p.id.startswith("weight_")} <= local


@pytest.mark.parametrize(
    "pid, value, unit, article",
    [
        ("min_total_floor_area", Decimal("2000"), "m2", "第五条第（二）项"),
        ("min_operating_agencies", 10, "count", "第五条第（三）项"),
        ("min_total_revenue", Decimal("50000000"), "yuan", "第五条第（三）项"),
        ("min_operator_staff", 1, "persons", "第五条第（四）项"),
        ("notice_working_days", 5, "working_days", "第六条第（三）项"),
        ("operating_subsidy_per_year", Decimal("500000"), "yuan", "第二十条"),
        ("operating_subsidy_years", 3, "years", "第二十条"),
        ("operating_subsidy_first_year_offset", 0, "years", "第二十条"),
        ("rectification_months", 6, "months", "第十八条"),
        ("grade_excellent_min", Decimal("90"), "score", "第十八条"),
        ("grade_qualified_min", Decimal("60"), "score", "第十八条"),
    ],
)
def test_numbers_of_the_measures(parameters, pid, value, unit, article):
    p = parameters.get(pid)
    assert p.at(datetime.date(2026, 1, 1)) == value
    assert p.unit == unit
    assert article in p.reference


def test_money_is_decimal_never_float(parameters):
    for p in parameters:
        for _, value in p.values:
            assert not isinstance(value, float), p.id
