"""Building many parks' facts and results without the cyclic garbage collector's pauses.

Reading every park of a province builds a few hundred thousand small objects (agencies, their
figures, the results of their criteria) and drops almost none of them: each collection those
allocations set off walks every object built so far and finds no garbage, and at a province's size
those walks cost as much as the building itself. Reference counting still frees whatever is
dropped meanwhile; only cycles wait, for the collector's next run once the work is done.
"""
import contextlib
import gc
import threading

_lock = threading.Lock()
_holders = 0  # pauses under way, in any thread: the collector runs again when the last one ends
_was_enabled = False


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
                gc.enable()
