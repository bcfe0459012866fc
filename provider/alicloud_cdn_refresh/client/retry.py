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

__all__ = ["RETRY_AFTER_HEADER", "RetryPolicy", "retry_after_seconds"]

RETRY_AFTER_HEADER = "x-acs-retry-after"


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


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``x-acs-retry-after`` as seconds when it is a positive integer number of milliseconds."""
    raw = headers.get(RETRY_AFTER_HEADER)
    if raw is None:
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    millis = int(text)
    return millis / 1000.0 if millis > 0 else None
