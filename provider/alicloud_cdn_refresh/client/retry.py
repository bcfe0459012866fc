"""Retry policy: capped exponential backoff with full jitter inside a total time budget.

Hand-written rather than built on stamina or tenacity: the client must sleep through its injected
:class:`~alicloud_cdn_refresh.clock.Clock` (so a ``ManualClock`` makes tests instant), honour the
server's ``x-acs-retry-after`` header (milliseconds) per answer, feed throttling answers to the rate
limiter and count every attempt. Those libraries can take a custom sleep but not a per-answer
delay, and wrapping them would be longer than the few lines below.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

__all__ = ["RETRY_AFTER_HEADER", "STANDARD_RETRY_AFTER_HEADER", "RetryPolicy", "retry_after_seconds"]

RETRY_AFTER_HEADER = "x-acs-retry-after"
"""Alibaba Cloud's header: a positive integer of milliseconds (the official SDK honours it)."""
STANDARD_RETRY_AFTER_HEADER = "retry-after"
"""HTTP's ``Retry-After`` (RFC 9110): seconds, or an HTTP date; a 429 or 503 may carry it."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a retryable failure.

    ``attempts`` counts every try (1 = no retry); ``timeout`` is the total budget in seconds from the
    first try, which no sleep may cross; the n-th delay is ``min(max, initial * 2**n)``, drawn
    uniformly from ``[0, that]`` when ``jitter`` ("full jitter").
    """

    attempts: int = 5
    timeout: float = 30.0
    initial: float = 0.2
    max: float = 5.0
    jitter: bool = True

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be >= 1")
        if self.timeout <= 0:
            raise ValueError("RetryPolicy.timeout must be > 0 seconds")
        if self.initial < 0 or self.max < 0:
            raise ValueError("RetryPolicy.initial and .max must be >= 0 seconds")

    @classmethod
    def never(cls) -> RetryPolicy:
        """One attempt, no retry."""
        return cls(attempts=1)

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """The delay before retry ``retry_number`` (0 for the first retry)."""
        ceiling = min(self.max, self.initial * (2.0 ** min(retry_number, 62)))
        if not self.jitter:
            return ceiling
        return (rng or random).uniform(0.0, ceiling)

    def delay(
        self,
        retry_number: int,
        *,
        elapsed: float,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to sleep before the next try, or ``None`` when no retry is left.

        ``retry_after`` (the server's wish) replaces the backoff when given; either way a sleep
        that would cross the budget means giving up now rather than sleeping in vain.
        """
        if retry_number + 1 >= self.attempts:
            return None
        wait = retry_after if retry_after is not None else self.backoff(retry_number, rng)
        if elapsed + wait >= self.timeout:
            return None
        return wait


def _positive_int(raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    value = int(text)
    return value if value > 0 else None


def retry_after_seconds(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """The server's wish, in seconds: ``x-acs-retry-after`` (a positive integer of milliseconds)
    first, else ``Retry-After`` (a positive integer of seconds, or an HTTP date after ``now``)."""
    millis = _positive_int(headers.get(RETRY_AFTER_HEADER))
    if millis is not None:
        return millis / 1000.0
    raw = headers.get(STANDARD_RETRY_AFTER_HEADER)
    seconds = _positive_int(raw)
    if seconds is not None:
        return float(seconds)
    if raw and not raw.strip().isdigit():
        try:
            when = parsedate_to_datetime(raw.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        delta = (when - (now or datetime.now(timezone.utc))).total_seconds()
        return delta if delta > 0 else None
    return None
