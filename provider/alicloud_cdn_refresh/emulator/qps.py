"""Per-action, per-account QPS limits: a one-second sliding window on the injected clock."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock

__all__ = ["DomainRate", "QpsLimiter"]


class QpsLimiter:
    """Admit at most ``limit`` calls of an action per account in any one-second window.

    ``enabled=False`` admits everything; ``scale`` multiplies every documented limit.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        enabled: bool = True,
        scale: float = 1.0,
        limits_per_action: Mapping[str, float] | None = None,
    ) -> None:
        if scale <= 0:
            raise ValueError("qps scale must be > 0")
        self.clock = clock
        self.enabled = enabled
        base = limits.QPS_LIMITS if limits_per_action is None else limits_per_action
        self.limits = {action: max(1, math.floor(value * scale)) for action, value in base.items()}
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, str], deque[float]] = {}

    def admit(self, account: str, action: str) -> float:
        """Record a call: ``0.0`` when admitted, else the seconds until a slot frees (not counted)."""
        if not self.enabled:
            return 0.0
        limit = self.limits.get(action)
        if limit is None:
            return 0.0
        now = self.clock.monotonic()
        with self._lock:
            calls = self._calls.setdefault((account, action), deque())
            while calls and calls[0] <= now - 1.0:
                calls.popleft()
            if len(calls) >= limit:
                return max(0.001, calls[0] + 1.0 - now)
            calls.append(now)
            return 0.0

    def reset(self) -> None:
        """Forget every recorded call."""
        with self._lock:
            self._calls.clear()


class DomainRate:
    """Paths per (account, action, domain) in a sliding window (RefreshObjectCaches: 10,000 URLs of
    one domain a minute); ``enabled=False`` admits everything."""

    def __init__(self, clock: Clock, *, window: float, enabled: bool = True) -> None:
        self.clock = clock
        self.window = float(window)
        self.enabled = enabled
        self._lock = threading.Lock()
        self._sent: dict[tuple[str, str, str], deque[tuple[float, int]]] = {}

    def admit(self, account: str, action: str, counts: Mapping[str, int], limit: int) -> float:
        """Record ``counts`` (domain -> paths) when every domain stays within ``limit``: ``0.0``;
        else record nothing and return the seconds until the busiest domain has room."""
        if not self.enabled:
            return 0.0
        now = self.clock.monotonic()
        with self._lock:
            wait = 0.0
            windows = {}
            for domain, count in counts.items():
                sent = self._sent.setdefault((account, action, domain), deque())
                while sent and sent[0][0] <= now - self.window:
                    sent.popleft()
                windows[domain] = sent
                used = sum(n for _, n in sent)
                if used + count > limit:
                    need, freed, until = used + count - limit, 0, now + self.window
                    for at, n in sent:
                        freed += n
                        if freed >= need:
                            until = at + self.window
                            break
                    wait = max(wait, until - now, 0.001)
            if wait:
                return wait
            for domain, count in counts.items():
                windows[domain].append((now, count))
            return 0.0

    def reset(self) -> None:
        """Forget every recorded submit."""
        with self._lock:
            self._sent.clear()
