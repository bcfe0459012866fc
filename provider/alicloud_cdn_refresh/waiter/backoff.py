"""The waiter's polling schedule: jittered exponential backoff with a deadline (pure, no sleeping)."""

from __future__ import annotations

import math
import random

__all__ = ["Backoff"]

JITTER_FLOOR = 0.75
"""A jittered interval is drawn from ``[JITTER_FLOOR * interval, interval]``."""

THROTTLE_STEPS = 2
"""How many extra doublings a throttled (or otherwise retryable-failed) round adds."""


class Backoff:
    """Intervals ``initial, 2*initial, 4*initial ... cap``, each jittered down by at most 25 %.

    :meth:`penalize` (a throttled or failed round) jumps ahead by :data:`THROTTLE_STEPS` doublings;
    :meth:`delay` never returns more than what is left before the deadline.
    """

    def __init__(
        self, initial: float, cap: float, *, jitter: bool = True, rng: random.Random | None = None
    ) -> None:
        if not (initial > 0 and math.isfinite(initial)):
            raise ValueError("initial must be a positive number of seconds")
        if not (cap >= initial and math.isfinite(cap)):
            raise ValueError("cap must be a number of seconds >= initial")
        self.initial = float(initial)
        self.cap = float(cap)
        self.jitter = jitter
        self._rng = rng if rng is not None else random.Random()
        self._step = 0

    @property
    def interval(self) -> float:
        """The current un-jittered interval."""
        # 2**step overflows float for silly steps; the cap is reached long before
        return min(self.cap, self.initial * 2.0 ** min(self._step, 64))

    def advance(self) -> None:
        """One more ordinary round happened: the next interval doubles (up to the cap)."""
        self._step += 1

    def penalize(self) -> None:
        """A round was throttled or hit a transient error: back off harder."""
        self._step += THROTTLE_STEPS

    def delay(self, remaining: float, *, soonest: float | None = None) -> float:
        """Seconds to sleep now: the jittered interval, shortened to ``soonest`` when that is earlier
        (an expected completion), never below 0 and never past ``remaining`` (the deadline)."""
        wait = self.interval
        if self.jitter:
            wait *= self._rng.uniform(JITTER_FLOOR, 1.0)
        if soonest is not None:
            wait = min(wait, max(soonest, 0.0))
        return max(0.0, min(wait, remaining))
