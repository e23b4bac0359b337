"""docs/plugins.md documents every hook of core/hookspecs.py under its exact signature (as
datasette's docs test does), and documents no hook that does not exist."""
import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HEADING = re.compile(r"^### `(hrpark_\w+\(.*\))`\s*$", re.MULTILINE)


def hook_signatures(module=hookspecs):
    """{hook name: 'name(args)'} of every hookspec, by inspect.signature."""
    return {
        name: f"{name}{inspect.signature(function)}"
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("hrpark_")
    }


def documented_signatures(text):
    return set(HEADING.findall(text))


def undocumented(text, signatures):
    return sorted(sig for sig in signatures.values() if sig not in documented_signatures(text))


@pytest.fixture(scope="module")
def guide():
    return GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("hook", sorted(hook_signatures()))
def test_every_hook_is_documented_under_its_exact_signature(guide, hook):
    signature = hook_signatures()[hook]
    assert signature in documented_signatures(guide), f"docs/plugins.md lacks a heading ### `{signature}`"


def test_no_documented_hook_is_missing_from_hookspecs(guide):
    assert documented_signatures(guide) <= set(hook_signatures().values())


def test_the_check_fails_for_a_hook_documented_without_it_or_with_another_signature(guide):
    signatures = hook_signatures()
    missing_one = guide.replace("### `hrpark_subsidies(context)`", "### hrpark_subsidies")
    assert undocumented(missing_one, signatures) == ["hrpark_subsidies(context)"]
    renamed_argument = guide.replace("### `hrpark_subsidies(context)`", "### `hrpark_subsidies(ctx)`")
    assert undocumented(renamed_argument, signatures) == ["hrpark_subsidies(context)"]
    assert undocumented(guide, signatures) == []


def test_a_new_hook_in_hookspecs_would_be_reported():
    def hrpark_new_hook(park, year):
        """A hook added to hookspecs without documentation."""

    module = type(hookspecs)("fake_hookspecs")
    module.__dict__.update({name: getattr(hookspecs, name) for name in hook_signatures()})
    module.hrpark_new_hook = hrpark_new_hook
    assert undocumented(GUIDE.read_text(encoding="utf-8"), hook_signatures(module)) == ["hrpark_new_hook(park, year)"]


def test_the_guide_names_the_commands_and_files_that_exist(guide):
    for text in ("hrpark plugin new", "hrpark plugin check", "hrpark plugin provenance", "hrpark_conformance",
                 "docs/examples/luzhou-measures.zh.md", "tests/county/test_luzhou_example.py", "docs/examples/county-park.json"):
        assert text in guide
    root = GUIDE.parents[1]
    for path in ("docs/examples/luzhou-measures.zh.md", "docs/examples/county-park.json", "tests/county/test_luzhou_example.py",
                 "plugins/luzhou/templates/make_templates.py", "core/pytest_conformance.py"):
        assert (root / path).is_file(), path
