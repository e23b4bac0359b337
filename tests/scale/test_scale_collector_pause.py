"""The batch's pause of the cyclic garbage collector (core.rules.bulk): off while parks are built, on
again afterwards, and what was built counted as old, so the next young collection does not walk it."""
import gc
import threading
import weakref

import pytest

from core.rules.bulk import collector_paused


class Node:
    """A tracked object that can sit in a cycle."""

    def __init__(self):
        self.other = None


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off(collector_on):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_nested_pauses_end_with_the_outermost(collector_on):
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_in_another_thread_keeps_it_off_until_both_end(collector_on):
    entered, release = threading.Event(), threading.Event()

    def other():
        with collector_paused():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(5)
    with collector_paused():
        pass
    assert not gc.isenabled()  # the other thread's pause is still under way
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_an_error_inside_still_switches_it_back_on(collector_on):
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_what_the_pause_built_is_counted_old_and_nothing_stays_frozen(collector_on):
    with collector_paused():
        built = [Node() for _ in range(5000)]
        assert gc.get_count()[0] >= 5000  # allocations counted while no collection runs
    assert gc.get_count()[0] < 100  # a young collection is not due: it would walk all of them
    assert gc.get_freeze_count() == 0
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert all(id(node) in oldest for node in built[::500])
    young = {id(obj) for obj in gc.get_objects(generation=0)}
    assert not any(id(node) in young for node in built[::500])


def test_a_cycle_made_during_the_pause_is_still_collected(collector_on):
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None  # only the collector frees a cycle
    gc.collect()
    assert gone() is None


def test_objects_frozen_by_someone_else_stay_frozen(collector_on):
    kept = Node()
    gc.freeze()  # as a server does with its start-up objects before it forks
    try:
        with collector_paused():
            Node()
        assert all(obj is not kept for obj in gc.get_objects())  # the collector's generations hold no frozen object
    finally:
        gc.unfreeze()
    assert any(obj is kept for obj in gc.get_objects(generation=2))


def test_a_server_sets_its_start_up_objects_aside_and_a_batch_leaves_them_so(collector_on):
    """What building the app made is out of the collector's walks (a full collection walked it in
    about 90 ms); the garbage among it is collected first, and a batch's pause does not undo it."""
    from admin.serving import set_start_up_objects_aside

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    kept = Node()
    set_start_up_objects_aside()
    try:
        assert gone() is None  # collected, not frozen
        assert gc.get_freeze_count() > 0 and all(obj is not kept for obj in gc.get_objects())
        with collector_paused():
            Node()
        assert all(obj is not kept for obj in gc.get_objects())
    finally:
        gc.unfreeze()
