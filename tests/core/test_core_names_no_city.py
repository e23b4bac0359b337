"""Core and the back office name no city: no jurisdiction's name or code, no fact, no subsidy kind a
plugin declares. What a city says lives in its plugin.

Not there yet: the modules in STILL_NAMING do, each for the reason given. The list only shrinks —
a module that stops naming a city must leave it (so the list stays true), and a module not on it
that starts naming one fails.
"""
import re
from pathlib import Path

import pytest
import yaml

from core.plugin.registry import registry

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("core", "admin")
SUFFIXES = {".py", ".html", ".txt", ".yaml", ".cfg"}
#: Migrations are history: a column a city once needed stays in the migration that added it.
NOT_SCANNED = ("core/records/migrations/", "core/records/migrations/", "admin/translations/")

STILL_NAMING = {}


def _terms():
    """Every word that names a city: names and codes of the installed jurisdictions, and the ids of
    the facts and subsidy kinds their plugins declare."""
    terms, codes = set(), set()
    for jurisdiction in registry():
        info = jurisdiction.info
        terms |= {info.code, info.name, info.name_en, info.name_prefix}
        codes.add(info.code)
    for plugin_dir in (ROOT / "plugins").iterdir():
        facts = plugin_dir / "facts.yaml"
        if facts.exists():
            terms |= set((yaml.safe_load(facts.read_text(encoding="utf-8")) or {}).get("facts", {}))
        subsidies = plugin_dir / "subsidies.yaml"
        if subsidies.exists():
            kinds = (yaml.safe_load(subsidies.read_text(encoding="utf-8")) or {}).get("subsidy_kinds", [])
            terms |= {kind["id"] for kind in kinds}
    # An id that is one plain English word (a kind called `operating`) is no name: it reads in any text.
    return {t.lower() for t in terms if t and not re.fullmatch(r"[a-z]+", t)} | {
        t.lower() for t in terms if t and re.fullmatch(r"[a-z]+", t) and t in codes}


def _modules_naming_a_city():
    terms = _terms()
    # ASCII terms as whole identifiers (`karamay`, not a word that contains it); Chinese as written.
    patterns = {t: re.compile(rf"(?<![\w-]){re.escape(t)}(?![\w-])" if t.isascii() else re.escape(t)) for t in terms}
    found = {}
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in SUFFIXES or relative.startswith(NOT_SCANNED) or "__pycache__" in relative:
                continue
            text = path.read_text(encoding="utf-8").lower()
            named = sorted(t for t, pattern in patterns.items() if pattern.search(text))
            if named:
                found[relative] = named
    return found


def test_the_terms_cover_every_installed_city():
    terms = _terms()
    assert {"changzhi", "长治市", "karamay", "克拉玛依", "changzhi-luzhou", "潞州区", "incubation_subsidy_claimed"} <= terms


def test_no_module_of_core_or_the_back_office_names_a_city_beyond_the_known_ones():
    found = _modules_naming_a_city()
    new = {path: named for path, named in found.items() if path not in STILL_NAMING}
    assert not new, f"core/admin modules naming a city (move it to the plugin): {new}"


@pytest.mark.parametrize("path", sorted(STILL_NAMING))
def test_a_module_that_no_longer_names_a_city_leaves_the_list(path):
    assert path in _modules_naming_a_city(), f"{path} names no city any more: remove it from STILL_NAMING"
