"""Fault injection for resilience tests: error answers, slow answers, drops, broken bodies."""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

__all__ = ["FAULT_KINDS", "FaultConfig", "FaultInjector"]

FAULT_KINDS: tuple[str, ...] = ("500", "503", "drop", "slow", "malformed", "truncated")
"""What can go wrong:

- ``500``: ``InternalError`` (HTTP 500), the request is not processed;
- ``503``: ``ServiceUnavailable`` (HTTP 503), not processed;
- ``drop``: the connection closes without an answer, not processed (in-process: the transport
  raises ``httpx.RemoteProtocolError``);
- ``slow``: the answer comes ``slow_seconds`` late (in-process: a sleep on the clock; a request
  whose read timeout is shorter raises ``httpx.ReadTimeout``);
- ``malformed``: processed, then answered 200 with a body that is not JSON;
- ``truncated``: processed, then answered 200 with the first half of the JSON body.
"""


@dataclass
class FaultConfig:
    """How often (``rate``, a fraction 0..1 of requests) and which faults to inject."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    slow_seconds: float = 2.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, not {self.rate!r}")
        if not self.kinds:
            raise ValueError("fault kinds must not be empty")
        unknown = [kind for kind in self.kinds if kind not in FAULT_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kind(s) {unknown}; use any of: {', '.join(FAULT_KINDS)}")
        if self.slow_seconds < 0:
            raise ValueError("slow_seconds must be >= 0")
        self.kinds = tuple(self.kinds)


class FaultInjector:
    """Draws, per request, whether and which fault to inject (deterministic with a seed)."""

    def __init__(self, config: FaultConfig | None, seed: int | None = None) -> None:
        self.config = config or FaultConfig()
        chosen = self.config.seed if self.config.seed is not None else seed
        self._random = random.Random(chosen)
        self._lock = threading.Lock()
        self.injected: Counter[str] = Counter()
        """How many faults of each kind were injected."""

    def draw(self) -> str | None:
        """The fault for this request, or ``None``."""
        rate = self.config.rate
        if rate <= 0:
            return None
        with self._lock:
            if self._random.random() >= rate:
                return None
            kind = self._random.choice(self.config.kinds)
            self.injected[kind] += 1
            return kind
