"""A programme's criteria are built once per day and kept (core.plugin.built_criteria): the kept ones
never answer for law that has changed. A number dated later gives its day criteria of its own, each
programme keeps its own, a changed start date (a deployment setting) or changed numbers are built
afresh on the next evaluation."""
import datetime
from decimal import Decimal

import pytest

from core.plugin.hookspecs import hookimpl
from core.plugin.registry import Registry
from core.records.models import Setting
from core.rules.criteria import MET, NOT_MET_WAIVABLE, Criterion
from core.rules.facts import ParkFacts, SiteFacts
from core.rules.parameters import load_override_file
from plugins.changzhi import ChangzhiPlugin
from plugins.luzhou import LuzhouPlugin
from tests.builders import registry_with

BEFORE, FROM = datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)

#: Changzhi's branch-site limit lowered from 3 to 2 from 2027 (a fictional revision).
TWO_BRANCHES_FROM_2027 = """overrides:
  max_branch_sites:
    reference: 第六条第（二）项（测试修订）
    values: {2024-01-01: 3, 2027-01-01: 2}
"""


def park_with_branches(branches, code="changzhi"):
    sites = [SiteFacts("核心园区", Decimal("3000"), True)]
    sites += [SiteFacts(f"分园区{i + 1}", Decimal("500")) for i in range(branches)]
    return ParkFacts(name="示范园", jurisdiction=code, sites=sites)


def branch_limit(rules, day):
    return next(c for c in rules.criteria(day) if c.id == "branch_sites")


@pytest.fixture
def revised_changzhi(tmp_path, registry):
    path = tmp_path / "changzhi-two-branches.yaml"
    path.write_text(TWO_BRANCHES_FROM_2027, encoding="utf-8")
    plugin = type("TwoBranches", (ChangzhiPlugin,), {"parameter_overrides_file": path})()
    reg = registry_with(registry, "changzhi", plugin)
    assert not reg.failures, [str(f) for f in reg.failures]
    return reg.get("changzhi")


def test_a_number_dated_later_gives_its_day_criteria_of_its_own(revised_changzhi):
    assert branch_limit(revised_changzhi, BEFORE).title == "分园区原则上不超过3个"
    assert branch_limit(revised_changzhi, FROM).title == "分园区原则上不超过2个"
    assert branch_limit(revised_changzhi, BEFORE).title == "分园区原则上不超过3个"  # asked again: still that day's
    park = park_with_branches(3)
    assert revised_changzhi.evaluate(park, 2026, as_of=BEFORE).by_id("branch_sites").status == MET
    assert revised_changzhi.evaluate(park, 2027, as_of=FROM).by_id("branch_sites").status == NOT_MET_WAIVABLE
    assert revised_changzhi.evaluate(park, 2026, as_of=BEFORE).by_id("branch_sites").status == MET


def test_a_pinned_version_keeps_its_own_criteria(revised_changzhi):
    assert branch_limit(revised_changzhi, FROM).title == "分园区原则上不超过2个"
    assert branch_limit(revised_changzhi.pinned(BEFORE), FROM).title == "分园区原则上不超过3个"
    assert branch_limit(revised_changzhi, FROM).title == "分园区原则上不超过2个"


def test_two_programmes_never_share_criteria(registry):
    day = datetime.date(2025, 6, 30)
    luzhou = registry_with(registry, "changzhi-luzhou", LuzhouPlugin()).get("changzhi-luzhou")
    changzhi, karamay = registry.get("changzhi"), registry.get("karamay")
    for first, second in ((changzhi, karamay), (changzhi, luzhou), (karamay, luzhou)):
        first.criteria(day)
        assert [c.source for c in second.criteria(day)] == [c.source for c in second._build_criteria(day, second.info)]
        assert second.criteria(day) != first.criteria(day)
    assert {c.source for c in karamay.criteria(day)} == {"karamay"}
    assert any(c.source == "changzhi-luzhou" for c in luzhou.criteria(day))


def test_each_call_gets_a_list_of_its_own(registry):
    day = datetime.date(2025, 6, 30)
    mine = registry.get("changzhi").criteria(day)
    mine.clear()
    assert registry.get("changzhi").criteria(day)


def test_changed_numbers_are_built_afresh(tmp_path, registry):
    """New numbers (new ParameterSet objects, as a revision loaded again makes) are never answered with
    the criteria built from the old ones."""
    rules = registry_with(registry, "changzhi", ChangzhiPlugin()).get("changzhi")
    assert branch_limit(rules, BEFORE).title == "分园区原则上不超过3个"
    path = tmp_path / "changzhi-two-branches.yaml"
    path.write_text(TWO_BRANCHES_FROM_2027.replace("2027-01-01: 2", "2026-01-01: 2"), encoding="utf-8")
    rules.plugin._parameters = rules.parameters = load_override_file(rules.parameters, path, "changzhi")
    assert branch_limit(rules, BEFORE).title == "分园区原则上不超过2个"
    assert rules.evaluate(park_with_branches(3), 2026, as_of=BEFORE).by_id("branch_sites").status == NOT_MET_WAIVABLE


def _met(criterion, ctx):
    return criterion.result(MET, explanation="已公布。", explanation_en="Published.")


class StartDateCondition:
    """An add-on whose condition names the day the measures took effect: a deployment setting."""

    @hookimpl
    def hrpark_extra_criteria(self, info, on):
        start = info.effective_from.isoformat() if info.effective_from else "未设置"
        return [Criterion("start_published", "第二十一条", f"施行日期{start}已公布", f"Start date {start} published", _met)]


def test_a_changed_setting_the_criteria_read_changes_the_next_evaluation(db, monkeypatch):
    monkeypatch.delenv("HRPARK_CHANGZHI_EFFECTIVE_FROM", raising=False)
    reg = Registry()
    reg.addons = [("start_date", StartDateCondition())]
    rules = reg.add("changzhi", ChangzhiPlugin())
    park, day = park_with_branches(1), datetime.date(2025, 6, 30)

    def title():
        return rules.evaluate(park, 2025, as_of=day).by_id("start_published").title

    assert title() == "施行日期未设置已公布"
    setting = Setting.create(jurisdiction_code="changzhi", key="effective_from", value="2025-03-01")
    assert title() == "施行日期2025-03-01已公布"
    setting.value = "2025-05-01"
    setting.save()
    assert title() == "施行日期2025-05-01已公布"
    assert rules.evaluate(park, 2025, as_of=day).warnings == []
    setting.delete_instance()
    assert title() == "施行日期未设置已公布"
