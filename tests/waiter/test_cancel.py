"""wait_for_refresh(cancel=...): a set event ends the wait before its next round or during a pause.

The provider plugin's Cancel sets such an event (alicloud_cdn_refresh/plugin/provider.py); here the
waiter alone, on the emulator with the ManualClock, and once with the real clock to show that a
pause is cut short at once rather than slept to its end.
"""

from __future__ import annotations

import pickle
import threading
import time

import pytest

from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, ManualClock, sleep_unless_set
from alicloud_cdn_refresh.errors import CdnError, InvalidQuery, WaitCancelled
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from waiter_helpers import BY_ID, LIST, make_rig

A = "http://a.example.com"


def test_a_cancel_set_before_the_wait_makes_no_call():
    rig = make_rig(complete_after=30)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(WaitCancelled) as caught:
        wait_for_refresh([f"{A}/1.js"], client=rig.client, cancel=cancel)
    assert rig.calls[LIST] + rig.calls[BY_ID] == 0
    assert [item.object_path for item in caught.value.pending] == [f"{A}/1.js"]
    assert "cancelled after 0s with 1 path(s) not Complete yet" in str(caught.value)
    assert isinstance(caught.value, CdnError)


def test_a_cancel_during_the_wait_stops_before_the_next_round_naming_what_is_pending():
    rig = make_rig(complete_after=300)
    ids = rig.client.refresh_object_caches([f"{A}/1.js", f"{A}/2.js"])
    cancel = threading.Event()

    def progress(report):
        rig.reports.append(report)
        if report.round == 2:
            cancel.set()

    with pytest.raises(WaitCancelled) as caught:
        wait_for_refresh(task_ids=ids, client=rig.client, on_progress=progress, cancel=cancel, timeout=900)
    assert rig.rounds == 2  # no third round
    assert sorted(item.object_path for item in caught.value.pending) == [f"{A}/1.js", f"{A}/2.js"]
    assert {item.last_status for item in caught.value.pending} <= {"Pending", "Refreshing"}
    assert rig.clock.monotonic() < 300  # nothing slept to the end


def test_a_wait_that_completes_in_the_round_under_way_returns_its_tasks():
    rig = make_rig(complete_after=5)
    rig.client.refresh_object_caches([f"{A}/1.js"])
    cancel = threading.Event()

    def progress(report):
        rig.reports.append(report)
        cancel.set()  # set during the round that finds the task Complete

    rig.clock.advance(10)
    tasks = wait_for_refresh([f"{A}/1.js"], client=rig.client, on_progress=progress, cancel=cancel)
    assert [task.status.value for task in tasks] == ["Complete"]


def test_the_real_clock_is_woken_from_a_long_pause_at_once():
    rig = make_rig(complete_after=3600)
    ids = rig.client.refresh_object_caches([f"{A}/1.js"])
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(WaitCancelled):
        wait_for_refresh(
            task_ids=ids, client=rig.client, clock=SYSTEM_CLOCK, cancel=cancel, poll_initial=30, poll_max=30
        )
    assert time.monotonic() - started < 2.0


class _PlainClock:
    """A clock without ``wait_event``: sleep_unless_set sleeps it in slices."""

    def __init__(self, event: threading.Event, set_after: int) -> None:
        self.event = event
        self.set_after = set_after
        self.sleeps: list[float] = []

    def now(self):  # pragma: no cover - not used
        raise AssertionError

    def monotonic(self) -> float:  # pragma: no cover - not used
        return 0.0

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if len(self.sleeps) == self.set_after:
            self.event.set()


def test_a_clock_without_wait_event_sleeps_in_slices_until_the_event_is_set():
    event = threading.Event()
    clock = _PlainClock(event, set_after=3)
    assert sleep_unless_set(clock, 10.0, event) is True
    assert clock.sleeps == [0.1, 0.1, 0.1]
    assert sleep_unless_set(clock, 10.0, None) is False
    assert clock.sleeps[-1] == 10.0


def test_the_manual_clock_moves_only_when_the_event_is_not_set():
    clock = ManualClock()
    event = threading.Event()
    assert sleep_unless_set(clock, 5, event) is False
    assert clock.slept == 5
    event.set()
    assert sleep_unless_set(clock, 5, event) is True
    assert clock.slept == 5


def test_cancel_must_be_an_event_and_the_error_pickles():
    rig = make_rig()
    with pytest.raises(InvalidQuery, match="cancel"):
        wait_for_refresh([f"{A}/1.js"], client=rig.client, cancel=object())  # type: ignore[arg-type]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(WaitCancelled) as caught:
        wait_for_refresh([f"{A}/1.js"], client=rig.client, cancel=cancel)
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again) == str(caught.value)
