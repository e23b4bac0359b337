"""The sample worlds plugins describe (samples.yaml, core.world.factory): read and checked, with every
mistake named by file, line and key; the paths to each state read from the walk and its exits; the
accounts bound to places the world has."""
import datetime
import random
import textwrap

import pytest

from core.plugin.base import JurisdictionPlugin
from core.plugin.registry import registry
from core.rules.programme_data import ProgrammeDataError
from core.world.factory import judged_before, load_sample_world, on_day, park_facts, path_to, remarks, sample_worlds


class NoSamplesPlugin(JurisdictionPlugin):
    """A plugin whose folder (this tests' folder) has no samples.yaml."""


def test_a_plugin_without_samples_describes_no_world():
    assert NoSamplesPlugin().sample_world() == {}


def test_each_installed_city_describes_its_world_and_a_county_only_its_own_part():
    worlds = {j.code: world for j, world in sample_worlds(registry())}
    for code in ("changzhi", "karamay"):
        assert worlds[code]["parks"] and worlds[code]["accounts"] and worlds[code]["generator"]["parks"]
    county = worlds["changzhi-luzhou"]
    assert county["parks"] == [] and county["accounts"] == [] and county["effective_from"] == "2024-01-01"


def _write(tmp_path, text):
    folder = tmp_path / "somecity"
    folder.mkdir()
    path = folder / "samples.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_mistake_of_a_samples_file_is_named_with_file_line_and_key(tmp_path):
    path = _write(tmp_path, """\
        effective_from: 2025-03-01
        parks:
          - name: 样例园区
            area: large
            application: {year: 2026, upto: draft, day: yesterday}
        accounts:
          - {username: x, role: mayor, display_name: X}
        walk:
          - {transition: submit, role: park_operator}
          - 42
        unknown_key: 1
        """)
    with pytest.raises(ProgrammeDataError) as caught:
        load_sample_world(path)
    problems = caught.value.problems
    assert any(p.startswith("somecity/samples.yaml:4: parks[0].area:") for p in problems), problems
    assert any(p.startswith("somecity/samples.yaml:5: parks[0].application.day:") for p in problems), problems
    assert any(p.startswith("somecity/samples.yaml:7: accounts[0].role:") for p in problems), problems
    assert any(p.startswith("somecity/samples.yaml:11: unknown_key:") for p in problems), problems


def test_a_walk_step_that_is_neither_a_transition_nor_judge_is_named(tmp_path):
    path = _write(tmp_path, """\
        walk:
          - {transition: submit, role: park_operator}
          - jduge
          - {transition: file}
        """)
    with pytest.raises(ProgrammeDataError) as caught:
        load_sample_world(path)
    assert caught.value.problems == [
        "somecity/samples.yaml:1: walk[1]: 应为转换或 judge (a transition or judge)",
        "somecity/samples.yaml:4: walk[2].role: Missing data for required field.",
    ]


def test_a_valid_file_reads_with_its_defaults(tmp_path):
    world = load_sample_world(_write(tmp_path, """\
        parks:
          - {name: 样例园区, district: x-a, area: 2000, agencies: 10, revenue_wan: 3000}
        """))
    park = world["parks"][0]
    assert (park["seed"], park["employment"], park["operator"], park["branches"]) == (0, 900, "company", [])
    assert world["walk"] == [] and world["generator"] is None


def test_dates_are_written_or_counted_back_from_the_day_the_world_is_built():
    today = datetime.date(2026, 11, 20)
    assert on_day("today", today) == today
    assert on_day("today-0", today) == today
    assert on_day("today-160", today) == datetime.date(2026, 6, 13)
    assert on_day("2024-05-06", today) == datetime.date(2024, 5, 6)


def test_paths_to_each_state_follow_the_walk_or_leave_it_by_an_exit():
    reg = registry()
    for code, recognised in (("changzhi", "approve"), ("karamay", "recognise")):
        world = {j.code: w for j, w in sample_worlds(reg)}[code]
        procedure = reg.get(code).procedure()
        assert path_to(world, procedure.initial, procedure) == []
        assert path_to(world, "recognised", procedure)[-1] == recognised
        assert path_to(world, "withdrawn", procedure) == ["withdraw"]
        for state in {p["state"] for p in world["generator"]["parks"]} - {procedure.initial}:
            path = path_to(world, state, procedure)
            targets = {t.id: t for t in procedure.transitions}
            assert targets[path[-1]].target == state
            # each step starts where the one before ended
            assert all(targets[a].target == targets[b].source for a, b in zip(path, path[1:])), path
    changzhi = {j.code: w for j, w in sample_worlds(reg)}["changzhi"]
    assert path_to(changzhi, "rejected", reg.get("changzhi").procedure())[-2:] == ["city_accept", "evaluation_reject"]
    assert judged_before(changzhi) == {"evaluation_pass"}
    assert remarks(changzhi)["withdraw"] == "园区主动撤回申请"


def test_a_state_the_samples_do_not_reach_is_refused():
    reg = registry()
    world = {j.code: w for j, w in sample_worlds(reg)}["karamay"]
    with pytest.raises(KeyError, match="样例未说明"):
        path_to(world, "no_such_state", reg.get("karamay").procedure())


def test_facts_with_a_chance_are_drawn_the_others_kept():
    facts = {"measures": ["房租补贴"], "fund": {"chance": 0.5}, "never": {"chance": 0}, "always": {"chance": 1.01}}
    drawn = park_facts(facts, random.Random(1))
    assert drawn["measures"] == ["房租补贴"] and drawn["never"] is False and drawn["always"] is True
    assert {park_facts(facts, random.Random(seed))["fund"] for seed in range(20)} == {True, False}


def test_every_demo_account_is_bound_to_a_place_of_the_worlds():
    worlds = [w for _j, w in sample_worlds(registry())]
    places = set(registry().codes()) | {d["code"] for w in worlds for d in w["districts"]}
    parks = {p["name"] for w in worlds for p in w["parks"]}
    for world in worlds:
        for account in world["accounts"]:
            assert account["jurisdiction"] in places | {None}, account
            assert account["park"] in parks | {None}, account


def test_a_role_a_programme_declares_is_known_to_the_samples_once_its_plugin_loads(tmp_path, monkeypatch):
    from core.records import vocab

    path = _write(tmp_path, "filer: ward_clerk\n")
    with pytest.raises(ProgrammeDataError, match=r"somecity/samples.yaml:1: filer: 未知角色 ward_clerk"):
        load_sample_world(path)
    monkeypatch.setattr(vocab.ROLES, "codes", lambda: [*vocab.CORE_ROLES, "ward_clerk"])
    assert load_sample_world(path)["filer"] == "ward_clerk"


def test_every_sample_park_lies_in_a_district_its_world_names():
    for _jurisdiction, world in sample_worlds(registry()):
        districts = {d["code"] for d in world["districts"]}
        listed = [p["district"] for p in world["parks"] if p["district"]]
        if world["generator"]:
            listed += [p["district"] for p in world["generator"]["parks"]]
        assert set(listed) <= districts, set(listed) - districts
