"""Evaluating every park at once: one query per table, whatever the number of parks or agencies."""
from dataclasses import dataclass

from core.rules.bulk import collector_paused
from core.rules.facts import driver_rows, load_park_facts
from core.records.models import Jurisdiction
from core.plugin.registry import registry as default_registry
from core.plugin.registry import rules_for


@dataclass
class _Place:
    """A jurisdiction row as `rules_for` reads it: its code and its parent's."""

    code: str
    parent_id: int | None
    parent: "_Place | None" = None


def rules_by_jurisdiction_code(reg=None):
    """{jurisdiction code: the rules that govern it} — a district without a plugin gets its city's.
    Read as plain rows by a statement built once (core.rules.facts.driver_rows): asked before every batch."""
    reg = reg or default_registry()
    query = Jurisdiction.select(Jurisdiction.id, Jurisdiction.parent, Jurisdiction.code)
    rows = {row_id: _Place(code, parent_id) for row_id, parent_id, code in driver_rows(query, "jurisdictions")}
    for row in rows.values():  # link parents from the rows already read: no query per row
        row.parent = rows.get(row.parent_id) if row.parent_id else None
    return {row.code: rules_for(row, reg) for row in rows.values()}


def figure_years(rules, year):
    """The years of figures evaluating `year` under `rules` ({code: rules}) reads: the year and the
    years each plugin says its criteria look back (`figure_years_back`); None (every year) when one
    does not say."""
    years = set()
    for jurisdiction in rules.values():
        read = jurisdiction.figure_years(year)
        if read is None:
            return None
        years.update(read)
    return sorted(years)


def evaluate_all(year, as_of=None, park_ids=None, reg=None):
    """{park id: Evaluation} for every park (or those given), each under its own jurisdiction's rules;
    only the years of figures those rules read are read."""
    rules = rules_by_jurisdiction_code(reg)
    return evaluate_facts(load_park_facts(park_ids, years=figure_years(rules, year)), year, as_of, rules)


@collector_paused()  # every criterion of every park: see core.rules.bulk
def evaluate_facts(facts, year, as_of, rules):
    """{park id: Evaluation} for parks already loaded ({id: ParkFacts}); `rules` by jurisdiction code.
    Each programme is asked for its criteria once for all its parks: those of a city's districts without
    measures of their own are evaluated with the city's in one go."""
    by_rules = {}
    for park in facts.values():
        jurisdiction = rules[park.jurisdiction]
        by_rules.setdefault(id(jurisdiction), (jurisdiction, []))[1].append(park)
    results = {}
    for jurisdiction, parks in by_rules.values():
        for park, evaluation in zip(parks, jurisdiction.evaluate_parks(parks, year, as_of=as_of)):
            results[park.id] = evaluation
    return {park_id: results[park_id] for park_id in facts}
