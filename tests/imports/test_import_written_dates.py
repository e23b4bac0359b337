"""The spreadsheet import reads dates as the back office does (issue 11 item 3: one reader,
core.rules.dates): 2025年3月1日, 2025/3/1 and 2025-3-1 are dates; a cell that is not one is refused
with its row and column and the accepted ways of writing it."""
import datetime

import pytest

from core.io import tabular
from core.records.audit import Actor
from core.records.models import Agency
from import_test_sheets import ROSTER_HEADERS, csv_bytes, roster_rows, xlsx


def operator(park):
    return Actor("lz_operator", "park_operator", jurisdiction_ids=frozenset(), park_id=park.id)


@pytest.mark.parametrize("typed", ["2025年3月1日", "2025/3/1", "2025-3-1", "２０２５年３月１日"])
def test_issue_11_item_3_a_roster_date_is_read_as_people_write_it(country, typed):
    park = country.park["changzhi-luzhou"]
    rows = roster_rows(1)
    rows[0][5] = typed
    tabular.import_table("名册.csv", csv_bytes(ROSTER_HEADERS, rows), park, operator(park))
    assert Agency.get(Agency.licence_no == "LIC-00001").admitted_on == datetime.date(2025, 3, 1)


def test_issue_11_item_3_a_cell_that_is_no_date_names_the_accepted_ways(country):
    park = country.park["changzhi-luzhou"]
    rows = roster_rows(2)
    rows[1][6] = "2025年2月30日"
    with pytest.raises(tabular.ImportRefused) as refused:
        tabular.import_table("名册.xlsx", xlsx(ROSTER_HEADERS, rows), park, operator(park))
    [problem] = refused.value.problems
    assert (problem.row, problem.column, problem.header) == (3, "G", "退出日期")
    assert "可写作 2025-03-01、2025-3-1、2025/3/1 或 2025年3月1日" in problem.message
    assert "write it as 2025-03-01, 2025-3-1, 2025/3/1 or 2025年3月1日" in problem.message
    assert not Agency.select().where(Agency.licence_no == "LIC-00001").exists()
