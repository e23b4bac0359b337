"""`hrpark ladder PARK_ID` (issue 12): the park's ladder in Chinese and English, each rung's version and
the conditions short with their articles; `--json` in the export's shape; exit 2 for an unknown park or a
day no measures govern; and the ladder as the last section of `hrpark export`."""
import datetime
import json

from core.records.models import Jurisdiction, Recognition
from tests.builders import make_park


def county_recognised_park():
    luzhou = Jurisdiction.get(Jurisdiction.code == "changzhi-luzhou")
    park = make_park(luzhou, name="潞州区级园", sites=((True, "2000"),), agencies=8, revenue="4000000", year=2025)
    Recognition.create(park=park, jurisdiction=luzhou, official_name="潞州潞州区级园", recognised_on=datetime.date(2024, 5, 6))
    return park


def test_the_ladder_in_chinese_and_english_with_the_conditions_short(run_db, world):
    park = county_recognised_park()
    result = run_db("ladder", park.id, "--on", "2026-06-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"园区 #{park.id}“潞州区级园”（潞州区）的认定层级，2026-06-30 / the ladder of park #{park.id} on 2026-06-30"
    assert lines[1] == "潞州区级 ✓ 2024 → 长治市级：差2项条件"
    assert lines[2] == "Luzhou District (county-level) ✓ 2024 → Changzhi (city-level): 2 condition(s) short"
    table = "\n".join(lines[3:])
    assert "试行" in table and "第六条第（二）项" in table and "第六条第（三）项" in table and "入驻机构数量" in table


def test_json_is_the_exports_ladder_and_bad_input_exits_2(run_db, world):
    park = county_recognised_park()
    ladder = json.loads(run_db("ladder", park.id, "--on", "2026-06-30", "--json").stdout)
    assert (ladder["park_id"], ladder["on"]) == (park.id, "2026-06-30")
    assert [(r["programme"], r["recognised_on"], [c["criterion"] for c in r["short"]]) for r in ladder["rungs"]] == [
        ("changzhi-luzhou", "2024-05-06", []), ("changzhi", None, ["site_area", "agency_count"]),
    ]
    exported = json.loads(run_db("export", park.id).stdout)
    today = json.loads(run_db("ladder", park.id, "--json").stdout)
    assert exported["ladder"] == {k: v for k, v in today.items() if k not in ("park_id", "park")}

    unknown = run_db("ladder", 4242)
    assert unknown.exit_code == 2 and "PARK_ID: 园区 #4242 不存在" in unknown.stderr
    beyond = run_db("ladder", 2**40)
    assert beyond.exit_code == 2 and "不存在" in beyond.stderr
    ungoverned = run_db("ladder", park.id, "--on", "2020-01-01")  # before any of the measures' numbers
    assert ungoverned.exit_code == 2 and "--on" in ungoverned.stderr and "2020-01-01" in ungoverned.stderr
