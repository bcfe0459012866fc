"""Time as one injectable value: wall time, monotonic time and sleeping.

The client's rate limiter and retries, the waiter's polling and the emulator's task lifecycle all
take a :class:`Clock`. Tests pass one :class:`ManualClock` to all of them, so time moves only when
something sleeps and nothing really waits.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Final, Protocol, runtime_checkable

__all__ = ["CANCEL_SLICE", "Clock", "ManualClock", "SystemClock", "SYSTEM_CLOCK", "sleep_unless_set"]

CANCEL_SLICE: Final = 0.1
"""Seconds a clock without ``wait_event`` sleeps at a time while a cancel event may be set."""


@runtime_checkable
class Clock(Protocol):
    """What the package needs to know about time."""

    def now(self) -> datetime:
        """The current wall time, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for deadlines and intervals."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (a manual clock just moves forward)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(timezone.utc)

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """``time.sleep()``, never negative."""
        if seconds > 0:
            time.sleep(seconds)

    def wait_event(self, event: threading.Event, seconds: float) -> bool:
        """Sleep ``seconds``, waking at once when ``event`` is set; whether it is set."""
        return event.wait(seconds) if seconds > 0 else event.is_set()

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM_CLOCK = SystemClock()


class ManualClock:
    """A clock that moves only when told to, or when something sleeps on it.

    Thread-safe, so an emulator serving other threads can share it with the code under test.
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is None:
            start = datetime.now(timezone.utc).replace(microsecond=0)
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._lock = threading.Lock()
        self._start = start.astimezone(timezone.utc)
        self._elapsed = 0.0
        self.slept = 0.0
        """Total seconds slept on this clock (what a real clock would have waited)."""
        self.sleeps = 0
        """How many times something slept on this clock."""

    def now(self) -> datetime:
        """Start time plus everything that has elapsed."""
        with self._lock:
            return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        """Seconds elapsed since the clock was made."""
        with self._lock:
            return self._elapsed

    def sleep(self, seconds: float) -> None:
        """Move forward by ``seconds`` at once."""
        if seconds <= 0:
            return
        with self._lock:
            self._elapsed += seconds
            self.slept += seconds
            self.sleeps += 1

    def wait_event(self, event: threading.Event, seconds: float) -> bool:
        """``event`` already set: True at once; else move forward ``seconds`` and say whether it is set."""
        if event.is_set():
            return True
        self.sleep(seconds)
        return event.is_set()

    def advance(self, seconds: float) -> None:
        """Move forward without counting it as a sleep."""
        if seconds < 0:
            raise ValueError("a clock does not go back")
        with self._lock:
            self._elapsed += seconds

    def __repr__(self) -> str:
        return f"ManualClock(now={self.now().isoformat()})"


def sleep_unless_set(clock: Clock, seconds: float, event: threading.Event | None) -> bool:
    """Sleep ``seconds`` on ``clock`` unless ``event`` is set first; return whether it is set.

    A clock with a ``wait_event(event, seconds)`` method (:class:`SystemClock`, :class:`ManualClock`)
    is woken by the event itself; any other clock sleeps in slices of :data:`CANCEL_SLICE`.
    """
    if event is None:
        clock.sleep(seconds)
        return False
    if event.is_set():
        return True
    wait_event = getattr(clock, "wait_event", None)
    if callable(wait_event):
        return bool(wait_event(event, seconds))
    remaining = seconds
    while remaining > 0 and not event.is_set():
        step = min(remaining, CANCEL_SLICE)
        clock.sleep(step)
        remaining -= step
    return event.is_set()
