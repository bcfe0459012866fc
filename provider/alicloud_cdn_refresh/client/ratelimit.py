"""Client-side rate limiting per action: a token bucket that slows down when the server throttles.

The documented QPS limits (:data:`~alicloud_cdn_refresh.limits.QPS_LIMITS`) are per *account*, and
several stacks or CI jobs may share one account, so a client that keeps to them can still be
throttled. Like botocore's ``adaptive`` retry mode, each throttling answer cuts the action's rate
(``x BETA``, never below :data:`MIN_RATE`), and the rate then grows back along a cubic curve
(CUBIC congestion control, as botocore does) towards the configured maximum.

Calls are spaced ``1/rate`` apart, and the call ``N`` after another one (``N`` the documented
calls a second) also waits for one second after that one's slot plus the time its answer took, up
to :data:`ANSWER_ALLOWANCE`: the server counts a call when it arrives, and the delay between the
slot and the arrival varies (see that constant).

Time is the injected clock's: sleeping on a ``ManualClock`` only moves it forward.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.limits import QPS_LIMITS

__all__ = [
    "ANSWER_ALLOWANCE",
    "BETA",
    "MIN_RATE",
    "SCALE_CONSTANT",
    "SPACING_MARGIN",
    "AdaptiveBucket",
    "DomainWindow",
    "RateLimiter",
]

BETA = 0.5
"""Factor applied to the rate on each throttling answer."""
MIN_RATE = 0.5
"""Calls per second the rate is never cut below."""
SCALE_CONSTANT = 0.4
"""CUBIC's ``C``: how fast the rate grows back after a cut."""
SPACING_MARGIN = 1e-6
"""Seconds added to each interval, so that float rounding never puts N+1 calls in a server's
one-second window (5 calls 0.2 s apart must not add up to 0.9999999 s)."""
ANSWER_ALLOWANCE = 0.025
"""Seconds, at most, by which the time a call took to be answered pushes back the call ``N``
after it (``N``: the documented calls a second, the server's one-second window).

The server counts a call when it arrives, somewhere between its slot and its answer, and that delay
varies (waking up, signing, the socket, the network, the server's threads). Spaced exactly ``1/N``
apart, a late first call and a prompt (N+1)-th land within one second: against the emulator's
server on loopback 12-13 % of DescribeRefreshTasks calls at 5/s were throttled, 4 % over both read
actions (``benchmarks/bench_pacing.py``). So the (N+1)-th call goes out no sooner than one second
after the first one's slot plus the time the first one took to be answered (it had arrived by
then), counted up to this much: beyond it a far endpoint's round trip is steady delay rather than
jitter, and waiting for all of it would give away ``round trip / 1 s`` of the rate (7.5 % at
80 ms). 25 ms covers +-10 ms of jitter for at most 2.5 % of the rate (0.2 % on loopback, where
nothing was throttled); a fixed margin per interval costs more at 30 or 50 calls a second (2 ms:
6 % and 10 %), a proportional one covers less (1 %: 10 ms a window, on the edge at +-10 ms:
0.4 % throttled in one run of two).

A call that has no answer yet when the one ``N`` after it is given its slot (more callers than
``N`` on one client) is looked at again when that slot comes; still without one, it counts as
answered at its slot. On a manual clock nothing takes time: calls are exactly ``1/rate`` apart."""


class _Slot:
    """One call's slot (``at``, on the bucket's clock) and when its answer came (``None``: not yet)."""

    __slots__ = ("answered", "at")

    def __init__(self, at: float) -> None:
        self.at = at
        self.answered: float | None = None


def _window_after(first: _Slot) -> float:
    """When the call ``N`` after ``first`` may go: one second after its slot plus the time its answer
    took, up to :data:`ANSWER_ALLOWANCE` (no answer yet: none)."""
    took = 0.0 if first.answered is None else min(max(first.answered - first.at, 0.0), ANSWER_ALLOWANCE)
    return first.at + 1.0 + SPACING_MARGIN + took


class AdaptiveBucket:
    """One action's token bucket (capacity one token: calls are evenly spaced, no bursts).

    ``acquire()`` reserves the next slot under a lock and sleeps outside it, so concurrent callers
    queue fairly and never exceed the rate together; ``finished()`` (same thread, after the call)
    says when its answer came, which pushes back the call ``window_calls`` later by up to
    :data:`ANSWER_ALLOWANCE`.
    """

    def __init__(self, max_rate: float, clock: Clock) -> None:
        if max_rate <= 0:
            raise ValueError("a rate limit must be > 0 calls per second")
        self.max_rate = float(max_rate)
        self.rate = float(max_rate)
        self._clock = clock
        self._lock = threading.Lock()
        self._next_free = float("-inf")
        self._last_cut: float | None = None
        self._rate_at_cut = self.max_rate
        self.throttle_count = 0
        self._recent: deque[_Slot] = deque()
        self._mine = threading.local()

    def acquire(self) -> float:
        """Wait for this caller's slot; returns the seconds waited."""
        clock = self._clock
        unanswered: _Slot | None = None
        with self._lock:
            now = clock.monotonic()
            if self._last_cut is not None and self.rate < self.max_rate:
                self._recover(now)
            start = now if self._next_free < now else self._next_free
            recent = self._recent
            while len(recent) > self.window_calls:
                recent.popleft()
            if len(recent) == self.window_calls:  # the call N before this one
                first = recent.popleft()
                if first.answered is None:
                    unanswered = first  # (more callers than N queued): looked at again below
                start = max(start, _window_after(first))
            self._next_free = start + 1.0 / self.rate + SPACING_MARGIN
            slot = _Slot(start)
            recent.append(slot)
            self._mine.slot = slot
            wait = start - now
        if wait > 0:
            clock.sleep(wait)
        if unanswered is not None:
            wait += self._after_answer(unanswered, slot)
        return wait

    def _after_answer(self, first: _Slot, slot: _Slot) -> float:
        """The call N before ``slot`` had no answer when ``slot`` was given out: if it has one now,
        wait for what it adds (at most :data:`ANSWER_ALLOWANCE`); a call still without one counts
        as answered at its slot. Returns the seconds waited."""
        clock = self._clock
        with self._lock:
            if first.answered is None:
                return 0.0
            now = clock.monotonic()
            extra = _window_after(first) - now
            if extra <= 0:
                return 0.0
            slot.at = now + extra
            self._next_free = max(self._next_free, slot.at + 1.0 / self.rate + SPACING_MARGIN)
        clock.sleep(extra)
        return extra

    @property
    def window_calls(self) -> int:
        """``N``: calls of the server's one-second window at the maximum rate (at least one)."""
        return max(1, math.ceil(self.max_rate - 1e-9))

    def finished(self) -> None:
        """This thread's last call got its answer (or failed) now."""
        slot: _Slot | None = getattr(self._mine, "slot", None)
        if slot is not None:
            self._mine.slot = None
            answered = self._clock.monotonic()
            with self._lock:
                slot.answered = answered

    def on_throttle(self) -> None:
        """The server throttled a call of this action: cut the rate."""
        with self._lock:
            now = self._clock.monotonic()
            if self._last_cut is not None:
                self._recover(now)
            self._rate_at_cut = self.rate
            self.rate = max(MIN_RATE, min(self.rate, self.max_rate) * BETA)
            self._last_cut = now
            self.throttle_count += 1
            # The next call waits a full interval at the new, lower rate.
            self._next_free = max(self._next_free, now + 1.0 / self.rate)

    def _recover(self, now: float) -> None:
        """CUBIC growth from the rate at the last cut: ``C*(t-K)**3 + W_max`` with ``K`` the time
        the curve needs to climb back to ``W_max``."""
        assert self._last_cut is not None
        w_max = self._rate_at_cut
        k = (w_max * (1.0 - BETA) / SCALE_CONSTANT) ** (1.0 / 3.0)
        elapsed = now - self._last_cut
        target = SCALE_CONSTANT * (elapsed - k) ** 3 + w_max
        self.rate = min(self.max_rate, max(self.rate, target, MIN_RATE))
        if self.rate >= self.max_rate:
            self._last_cut = None

    def __repr__(self) -> str:
        return f"AdaptiveBucket(rate={self.rate:g}/s, max_rate={self.max_rate:g}/s)"


class RateLimiter:
    """One :class:`AdaptiveBucket` per action; actions without a limit pass freely.

    ``defaults`` are the documented rates (a product's ``limits.qps``; CDN's by default), ``limits``
    overrides them per action. ``enabled=False`` turns all limiting off (calls never wait, throttles
    change nothing).
    """

    def __init__(
        self,
        clock: Clock,
        limits: Mapping[str, float] | None = None,
        *,
        enabled: bool = True,
        defaults: Mapping[str, float] = QPS_LIMITS,
    ) -> None:
        merged = dict(defaults)
        if limits is not None:
            merged.update(limits)
        self.enabled = enabled
        self.buckets = {action: AdaptiveBucket(rate, clock) for action, rate in merged.items() if rate}

    def acquire(self, action: str) -> float:
        """Wait until ``action`` may be called; returns the seconds waited."""
        if not self.enabled:
            return 0.0
        bucket = self.buckets.get(action)
        return bucket.acquire() if bucket is not None else 0.0

    def finished(self, action: str) -> None:
        """This thread's last call of ``action`` got its answer (or failed) now."""
        if self.enabled:
            bucket = self.buckets.get(action)
            if bucket is not None:
                bucket.finished()

    def on_throttle(self, action: str) -> None:
        """Record a throttling answer for ``action``."""
        if self.enabled:
            bucket = self.buckets.get(action)
            if bucket is not None:
                bucket.on_throttle()

    def rate(self, action: str) -> float | None:
        """The current rate of ``action`` in calls per second (``None``: unlimited)."""
        bucket = self.buckets.get(action)
        return bucket.rate if bucket is not None and self.enabled else None

    def __repr__(self) -> str:
        if not self.enabled:
            return "RateLimiter(enabled=False)"
        rates = ", ".join(f"{action}={bucket.rate:g}/s" for action, bucket in self.buckets.items())
        return f"RateLimiter({rates})"


class DomainWindow:
    """Paths per domain in a sliding window (RefreshObjectCaches: 10,000 URLs a domain a minute).

    :meth:`reserve` waits (on the clock) until ``count`` more paths of a domain fit in the window,
    then records them; several threads of one client share it. Only this client's own submits are
    counted: another tool submitting for the same domain can still make the service refuse one
    (``QuotaPerMinuteExceeded.Refresh``, which the client retries).
    """

    MARGIN = 1.0
    """Seconds added to the window: the service counts a call when it arrives, after this client
    recorded it (rate-limit spacing, the network), so an entry is let go a little late."""

    def __init__(self, clock: Clock, *, window: float, enabled: bool = True) -> None:
        if window <= 0:
            raise ValueError("a window must be > 0 seconds")
        self._clock = clock
        self.window = float(window) + self.MARGIN
        self.enabled = enabled
        self._lock = threading.Lock()
        self._sent: dict[tuple[str, str], deque[tuple[float, int]]] = {}
        self.waited = 0.0
        """Seconds spent waiting for the window so far."""

    def reserve(self, key: str, domain: str, count: int, limit: int) -> float:
        """Wait until ``count`` paths of ``domain`` fit under ``limit`` (per ``key``, an action);
        record them; return the seconds waited. A ``count`` above ``limit`` is taken alone."""
        if not self.enabled or count <= 0:
            return 0.0
        clock = self._clock
        waited = 0.0
        while True:
            with self._lock:
                now = clock.monotonic()
                sent = self._sent.setdefault((key, domain), deque())
                while sent and sent[0][0] <= now - self.window:
                    sent.popleft()
                used = sum(n for _, n in sent)
                if used + count <= limit or not sent:
                    sent.append((now, count))
                    self.waited += waited
                    return waited
                # the oldest entries that must leave the window before this batch fits
                need = used + count - limit
                freed = 0
                until = now
                for at, n in sent:
                    freed += n
                    until = at + self.window
                    if freed >= need:
                        break
                wait = max(until - now, 1e-3)
            clock.sleep(wait)
            waited += wait
