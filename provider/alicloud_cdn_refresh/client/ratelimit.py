"""Client-side rate limiting per action: a token bucket that slows down when the server throttles.

The documented QPS limits (:data:`~alicloud_cdn_refresh.limits.QPS_LIMITS`) are per *account*, and
several stacks or CI jobs may share one account, so a client that keeps to them can still be
throttled. Like botocore's ``adaptive`` retry mode, each throttling answer cuts the action's rate
(``x BETA``, never below :data:`MIN_RATE`), and the rate then grows back along a cubic curve
(CUBIC congestion control, as botocore does) towards the configured maximum.

Time is the injected clock's: sleeping on a ``ManualClock`` only moves it forward.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.limits import QPS_LIMITS

__all__ = [
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


class AdaptiveBucket:
    """One action's token bucket (capacity one token: calls are evenly spaced, no bursts).

    ``acquire()`` reserves the next slot under a lock and sleeps outside it, so concurrent callers
    queue fairly and never exceed the rate together.
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

    def acquire(self) -> float:
        """Wait for this caller's slot; returns the seconds waited."""
        clock = self._clock
        with self._lock:
            now = clock.monotonic()
            if self._last_cut is not None and self.rate < self.max_rate:
                self._recover(now)
            start = now if self._next_free < now else self._next_free
            self._next_free = start + 1.0 / self.rate + SPACING_MARGIN
            wait = start - now
        if wait > 0:
            clock.sleep(wait)
        return wait

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
