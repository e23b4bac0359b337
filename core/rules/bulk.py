"""Building many parks' facts and results without the cyclic garbage collector's pauses.

Reading every park of a province builds a few hundred thousand small objects (agencies, their
figures, the results of their criteria) and drops almost none of them: each collection those
allocations set off walks every object built so far and finds no garbage, and at a province's size
those walks cost as much as the building itself. Reference counting still frees whatever is
dropped meanwhile; only cycles wait. When the work is done what it built is counted as old
(`_settle_young_objects`), so cycles among it wait for the next full collection.
"""
import contextlib
import gc
import threading

_lock = threading.Lock()
_holders = 0  # pauses under way, in any thread: the collector runs again when the last one ends
_was_enabled = False


def _settle_young_objects():
    """Count every object built during the pause as old, without walking them.

    Re-enabled with a pause's allocations still counted, the collector's next young collection
    would walk every object the pause built (a province: a third of a second), find them alive, and
    walk them again a generation up. Freezing and unfreezing moves them all to the oldest generation
    and resets the count, in constant time; any cycles among them wait for the next full collection.
    Not done while something else keeps objects frozen (a serving process's start-up objects,
    admin.serving): unfreezing would hand those back to the collector, so a batch run there (a
    revision's impact, asked for on the rules page) still pays that young collection, as every batch did."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused():
    """No automatic collection while the block runs (nested or in several threads: until the last
    ends); as a decorator, around each call."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                _settle_young_objects()
                gc.enable()
