"""A programme's criteria of a day, built once and kept while nothing they are built from changes.

Building them (criteria.yaml read into criteria, each text filled with the numbers of the day, a county's
read in its level's words, what the programmes it extends and the add-ons contribute) cost more than
evaluating a city's parks against them, and every evaluation asks for them. An entry is kept per day and
the programme's information of the moment (it carries the deployment settings an administrator enters,
such as the measures' start date, which the add-ons' hook reads), and is used only while the numbers
(the ParameterSet objects: a revision or a pinned day makes new ones) and the hook implementations
that contribute are the very objects it was built from. A changed setting or number is built afresh on
the next call: the kept criteria never answer for law that has changed.
"""
import threading
from collections import OrderedDict

#: Days kept per programme: today's, and the few days a rules page or an impact compares.
DAYS_KEPT = 32


class BuiltCriteria:
    """The criteria of one programme by (day, information), each with what it was built from."""

    def __init__(self, limit=DAYS_KEPT):
        self._limit = limit
        self._entries = OrderedDict()  # (day, info) -> (sources, criteria)
        self._lock = threading.Lock()

    def get(self, day, info, sources, build):
        """The criteria `build()` answers for `day` under `info`, built again unless kept from the very
        same `sources` (compared by identity); a new list each time, so a caller may change its own."""
        key = (day, info)
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None and _same(kept[0], sources):
                self._entries.move_to_end(key)
                return list(kept[1])
        criteria = build()
        with self._lock:
            self._entries[key] = (sources, tuple(criteria))
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)
        return list(criteria)


def _same(kept, sources):
    return len(kept) == len(sources) and all(a is b for a, b in zip(kept, sources))
