"""A world of a chosen size: `generate_sized(Sizes(...))` generates the parks (core.world.generate), then
tops the ledger and the audit log up to their numbers with one INSERT … SELECT each (core.world.top_up).

PROVINCE is the size a province's back office is measured at: about a thousand parks with around a
hundred resident agencies each (ten years of figures: close to a million agency-years), a million
ledger lines and a million audit rows.
"""
import time
from dataclasses import dataclass

from core.world import generate as world
from core.world.top_up import top_up_audit_log, top_up_ledger


@dataclass(frozen=True)
class Sizes:
    """How big a generated world is: parks (rounded up to whole units of the plugins' sample parks),
    resident agencies of a park that meets the measures, and the ledger lines and audit rows to
    reach (None: what generating the parks gives)."""

    parks: int
    agencies: tuple | None = None
    ledger_lines: int | None = None
    audit_rows: int | None = None

    def scale(self):
        return max(1, -(-self.parks // world.PARKS_PER_UNIT))


PROVINCE = Sizes(parks=1000, agencies=(70, 150), ledger_lines=1_000_000, audit_rows=1_000_000)


def generate_sized(sizes, *, seed=2026, today=None, progress=None, report=None):
    """Generate `sizes` into the bound, migrated database; returns {table: rows written}. `report(text)`
    hears how long each stage took."""
    report = report or (lambda text: None)
    started = time.perf_counter()
    counts = world.generate(sizes.scale(), seed=seed, today=today, progress=progress, agencies=sizes.agencies)
    report(f"parks and their records: {time.perf_counter() - started:.1f}s")
    if sizes.ledger_lines is not None:
        report(f"topping the ledger up to {sizes.ledger_lines} lines (one INSERT … SELECT)")
        started = time.perf_counter()
        counts["ledger_entry"] = counts.get("ledger_entry", 0) + top_up_ledger(sizes.ledger_lines, progress)
        report(f"ledger topped up to {sizes.ledger_lines}: {time.perf_counter() - started:.1f}s")
    if sizes.audit_rows is not None:
        report(f"topping the audit log up to {sizes.audit_rows} rows (one INSERT … SELECT)")
        started = time.perf_counter()
        counts["audit_log"] = top_up_audit_log(sizes.audit_rows, progress)
        report(f"audit log topped up to {sizes.audit_rows}: {time.perf_counter() - started:.1f}s")
    return counts
