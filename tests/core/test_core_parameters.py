"""core.rules.parameters: a parameter file's entries are checked when loaded, and values are looked up by
the date they take effect (a null value ends a parameter)."""
import datetime
import textwrap
from decimal import Decimal

import pytest

from core.rules.parameters import ParameterError, load_override_file, load_parameter_file

D = datetime.date

VALID_ENTRY = """
single_site_min_area:
  description: 只设立一个园区的，建筑面积不少于
  description_en: Floor area of a park with a single site, at least
  unit: m2
  reference: 第六条第（二）项
  values:
    2024-01-01: 3000
"""


def write(tmp_path, text, name="parameters.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def entry(unit="count", reference="第六条第（三）项", values="    2024-01-01: 10\n", drop=()):
    lines = {
        "description": "  description: 机构数量不少于\n",
        "unit": f"  unit: {unit}\n",
        "reference": f"  reference: {reference}\n",
        "values": "  values:\n" + values,
    }
    return "min_agencies:\n" + "".join(text for key, text in lines.items() if key not in drop)


def load(tmp_path, text):
    return load_parameter_file(write(tmp_path, text), "changzhi")


def test_a_valid_entry_loads_with_its_article_unit_and_source(tmp_path):
    parameters = load(tmp_path, VALID_ENTRY)
    p = parameters.get("single_site_min_area")
    assert (p.unit, p.reference, p.source, p.local_default) == ("m2", "第六条第（二）项", "changzhi", False)
    assert p.effective_from == D(2024, 1, 1)
    assert parameters.value("single_site_min_area", D(2025, 1, 1)) == Decimal("3000")
    assert isinstance(parameters.value("single_site_min_area", D(2025, 1, 1)), Decimal)


def test_a_file_under_a_parameters_section_loads_too(tmp_path):
    text = "parameters:\n" + textwrap.indent(textwrap.dedent(VALID_ENTRY), "  ")
    assert "single_site_min_area" in load(tmp_path, text)


@pytest.mark.parametrize("key, label", [("reference", "reference"), ("unit", "unit"), ("values", "values"), ("description", "description")])
def test_an_entry_missing_a_key_is_refused_naming_it(tmp_path, key, label):
    with pytest.raises(ParameterError) as refused:
        load(tmp_path, entry(drop=(key,)))
    message = str(refused.value)
    assert "min_agencies" in message and label in message and "parameters.yaml" in message
    assert "缺少" in message and "missing" in message


def test_an_empty_article_reference_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"min_agencies 未注明条款 \(no article reference\)"):
        load(tmp_path, entry(reference="''"))


def test_an_unknown_unit_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"单位 'acres' 未知 \(unknown unit\)"):
        load(tmp_path, entry(unit="acres"))


@pytest.mark.parametrize(
    "values",
    [
        "    2024-13-01: 10\n",  # no 13th month
        "    '2024-02-30': 10\n",
        "    next year: 10\n",
        "    2024: 10\n",  # a year is not a date
        "    2024-01-01 08:00:00: 10\n",  # a time of day: a value takes effect on a day
        "    {}\n",
    ],
)
def test_bad_effective_dates_are_refused(tmp_path, values):
    with pytest.raises(ParameterError) as refused:
        load(tmp_path, entry(values=values))
    assert "min_agencies" in str(refused.value)


def test_a_non_integer_count_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"min_agencies@2024-01-01: 单位 count 应为整数 \(expected a whole number\)"):
        load(tmp_path, entry(values="    2024-01-01: 10.5\n"))


def test_a_whole_count_written_with_decimals_is_an_int(tmp_path):
    value = load(tmp_path, entry(values="    2024-01-01: 10.0\n")).value("min_agencies", D(2024, 6, 1))
    assert value == 10 and isinstance(value, int)


@pytest.mark.parametrize("raw", ["十家", "true", ".nan", ".inf", "[10]"])
def test_a_value_that_is_not_a_finite_number_is_refused(tmp_path, raw):
    with pytest.raises(ParameterError) as refused:
        load(tmp_path, entry(unit="yuan", values=f"    2024-01-01: {raw}\n"))
    assert "min_agencies@2024-01-01" in str(refused.value)


def test_a_boolean_parameter_must_be_true_or_false(tmp_path):
    assert load(tmp_path, entry(unit="bool", values="    2024-01-01: true\n")).value("min_agencies", D(2024, 1, 1)) is True
    with pytest.raises(ParameterError, match=r"true/false \(expected a boolean\)"):
        load(tmp_path, entry(unit="bool", values="    2024-01-01: 1\n"))


def test_a_ratio_is_an_exact_decimal(tmp_path):
    value = load(tmp_path, entry(unit="ratio", values="    2024-01-01: 0.15\n")).value("min_agencies", D(2024, 1, 1))
    assert value == Decimal("0.15")  # not 0.1499999999999999944488848768742172978818416595458984375


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="expected a mapping"):
        load(tmp_path, "- min_agencies\n- min_total_revenue\n")


CHANGING = """
min_total_revenue:
  description: 营业收入达…以上
  unit: yuan
  reference: 第六条第（三）项
  values:
    2025-01-01: 30000000
    2024-01-01: 20000000
    2026-07-01: null
    2027-01-01: 40000000
"""


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2024, 1, 1), Decimal("20000000")),  # on the first date
        (D(2024, 12, 31), Decimal("20000000")),  # the day before the change
        (D(2025, 1, 1), Decimal("30000000")),  # on the change date
        (D(2026, 6, 30), Decimal("30000000")),  # the last day before the end
        (D(2027, 1, 1), Decimal("40000000")),  # a new value after the gap
        (D(2030, 1, 1), Decimal("40000000")),
    ],
)
def test_values_by_effective_date(tmp_path, day, expected):
    assert load(tmp_path, CHANGING).value("min_total_revenue", day) == expected


@pytest.mark.parametrize("day", [D(2023, 12, 31), D(2026, 7, 1), D(2026, 12, 31)])
def test_no_value_before_the_first_date_or_after_a_null(tmp_path, day):
    with pytest.raises(ParameterError) as refused:
        load(tmp_path, CHANGING).value("min_total_revenue", day)
    message = str(refused.value)
    assert f"参数 min_total_revenue 在 {day.isoformat()} 无有效值" in message and "has no value" in message


def test_a_value_remembered_for_one_day_is_not_another_days_nor_another_versions(tmp_path):
    parameters = load(tmp_path, CHANGING)
    days = [D(2024, 12, 31), D(2025, 1, 1), D(2026, 6, 30), D(2026, 7, 1), D(2027, 1, 1)]
    expected = [Decimal("20000000"), Decimal("30000000"), Decimal("30000000"), None, Decimal("40000000")]
    for order in (days, days[::-1], days):  # asked again, in either order: the same answers
        found = {day: parameters.value("min_total_revenue", day) if parameters.get("min_total_revenue").has_value_on(day)
                 else None for day in order}
        assert [found[day] for day in days] == expected
    with pytest.raises(ParameterError):  # a day without a value stays one when remembered
        parameters.value("min_total_revenue", D(2026, 7, 1))
    # A version pinned on a day, asked on a day the original answers otherwise, gives its own value.
    assert parameters.pinned(D(2024, 6, 1)).value("min_total_revenue", D(2025, 1, 1)) == Decimal("20000000")
    assert parameters.value("min_total_revenue", D(2025, 1, 1)) == Decimal("30000000")


def test_an_unknown_parameter_is_named(tmp_path):
    with pytest.raises(ParameterError, match=r"未知参数 max_branch_sites \(unknown parameter\)"):
        load(tmp_path, VALID_ENTRY).value("max_branch_sites", D(2025, 1, 1))


def test_local_defaults_are_marked(tmp_path):
    text = """
    grade_excellent_min:
      description: 优秀等次最低分
      unit: score
      reference: 办法未规定，本地默认值（第二十条）
      local_default: true
      values:
        2024-01-01: 90
    """
    assert load(tmp_path, text).get("grade_excellent_min").local_default is True


# --- a county's override file --------------------------------------------------------------------


def test_a_county_override_replaces_the_value_and_keeps_the_description(tmp_path):
    city = load(tmp_path, VALID_ENTRY)
    path = write(tmp_path, """
    overrides:
      single_site_min_area:
        reference: 潞州区办法第五条
        values:
          2025-01-01: 2500
    parameters:
      county_bonus:
        description: 县级奖励
        unit: yuan
        reference: 潞州区办法第九条
        values:
          2025-01-01: 100000
    """, "county.yaml")
    county = load_override_file(city, path, "luzhou")
    p = county.get("single_site_min_area")
    assert (p.source, p.reference, p.unit, p.description) == ("luzhou", "潞州区办法第五条", "m2", "只设立一个园区的，建筑面积不少于")
    assert county.value("single_site_min_area", D(2025, 6, 1)) == 2500
    assert county.value("county_bonus", D(2025, 6, 1)) == 100000
    assert city.value("single_site_min_area", D(2025, 6, 1)) == 3000  # the city's set is untouched
    assert "county_bonus" not in city


def test_overriding_an_unknown_parameter_names_the_plugin_and_the_id(tmp_path):
    city = load(tmp_path, VALID_ENTRY)
    path = write(tmp_path, "overrides:\n  singel_site_min_area:\n    reference: x\n    values:\n      2025-01-01: 1\n", "county.yaml")
    with pytest.raises(ParameterError) as refused:
        load_override_file(city, path, "luzhou")
    message = str(refused.value)
    assert "luzhou" in message and "singel_site_min_area" in message and "override of unknown parameter" in message


def test_adding_an_existing_parameter_must_be_an_override(tmp_path):
    city = load(tmp_path, VALID_ENTRY)
    path = write(tmp_path, "parameters:\n" + textwrap.indent(textwrap.dedent(VALID_ENTRY), "  "), "county.yaml")
    with pytest.raises(ParameterError, match="luzhou.*single_site_min_area.*override it"):
        load_override_file(city, path, "luzhou")


def test_an_override_must_cite_its_own_article(tmp_path):
    city = load(tmp_path, VALID_ENTRY)
    path = write(tmp_path, "overrides:\n  single_site_min_area:\n    values:\n      2025-01-01: 2500\n", "county.yaml")
    with pytest.raises(ParameterError, match="reference"):
        load_override_file(city, path, "luzhou")


def test_an_override_file_has_only_two_sections(tmp_path):
    city = load(tmp_path, VALID_ENTRY)
    path = write(tmp_path, "override:\n  single_site_min_area: {}\n", "county.yaml")
    with pytest.raises(ParameterError, match=r"luzhou.*unexpected sections \['override'\]"):
        load_override_file(city, path, "luzhou")


def test_a_file_that_is_not_yaml_is_refused_naming_the_file(tmp_path):
    with pytest.raises(ParameterError, match=r"parameters.yaml: YAML 格式错误 \(not valid YAML\)"):
        load(tmp_path, "min_agencies: [10\n")


def test_a_date_valued_parameter_is_a_date(tmp_path):
    parameters = load(tmp_path, entry(unit="date", values="    2024-01-01: 2025-03-01\n"))
    assert parameters.value("min_agencies", D(2024, 6, 1)) == D(2025, 3, 1)
    with pytest.raises(ParameterError, match=r"min_agencies@2024-01-01: 日期 '2025-02-30' 无效 \(bad date\)"):
        load(tmp_path, entry(unit="date", values="    2024-01-01: 2025-02-30\n"))
