"""Per-action, per-account QPS limits: a one-second sliding window on the injected clock."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock

__all__ = ["QpsLimiter"]


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
