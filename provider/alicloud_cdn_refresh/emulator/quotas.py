"""The emulator's daily quotas: what each kind allows and what was used of it today (per product)."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock

__all__ = ["QUOTA_KINDS", "QuotaBook", "QuotaExceeded"]

QUOTA_KINDS: tuple[str, ...] = tuple(limits.DAILY_QUOTAS)
"""CDN's quota kinds (a product's own: the keys of its ``limits.daily_quotas``)."""
_QUOTA_DAY_OFFSET = timedelta(hours=8)
"""Quotas reset at midnight in Beijing (UTC+8), where the service keeps its accounting day."""


class QuotaExceeded(Exception):
    """A daily quota would be exceeded (carries the kind: url, dir, regex, preload, block)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


class QuotaBook:
    """Daily quotas per kind and what was used of them today (thread-safe).

    ``daily``: the default quotas (a product's ``limits.daily_quotas``; CDN's by default), each
    multiplied by ``scale``; ``enabled=False`` lets every submit through (the report still counts).
    """

    def __init__(
        self,
        clock: Clock,
        *,
        enabled: bool = True,
        scale: float = 1.0,
        daily: Mapping[str, int] = limits.DAILY_QUOTAS,
    ) -> None:
        if scale <= 0:
            raise ValueError("quota scale must be > 0")
        self.clock = clock
        self.enabled = enabled
        self._lock = threading.Lock()
        self._quotas = {kind: max(1, int(value * scale)) for kind, value in daily.items()}
        self._used: dict[str, int] = {}
        self._day = self._today()

    def _today(self) -> str:
        return (self.clock.now() + _QUOTA_DAY_OFFSET).strftime("%Y-%m-%d")

    def _roll(self) -> None:
        day = self._today()
        if day != self._day:
            self._day = day
            self._used.clear()

    def set_quota(self, kind: str, value: int) -> None:
        """Set the daily quota of one kind."""
        if kind not in self._quotas:
            raise ValueError(f"unknown quota kind {kind!r}; use one of: {', '.join(self._quotas)}")
        if value < 0:
            raise ValueError("a quota must be >= 0")
        with self._lock:
            self._quotas[kind] = value

    def reset(self) -> None:
        """Forget what was used today."""
        with self._lock:
            self._used.clear()

    def take(self, kind: str, count: int) -> None:
        """Use ``count`` of a kind, or raise :class:`QuotaExceeded` and use nothing."""
        with self._lock:
            self._roll()
            used = self._used.get(kind, 0)
            if self.enabled and used + count > self._quotas[kind]:
                raise QuotaExceeded(kind)
            self._used[kind] = used + count

    def report(self) -> Mapping[str, tuple[int, int]]:
        """``kind -> (quota, remaining)`` for today."""
        with self._lock:
            self._roll()
            return {
                kind: (quota, max(0, quota - self._used.get(kind, 0))) for kind, quota in self._quotas.items()
            }
