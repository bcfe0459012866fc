"""``--debug``: the package's and httpx's DEBUG logs on stderr, every secret masked.

One line a record, ``08:23:22.104 DEBUG waiter: round 2 plan: account listing ~5 call(s) ...``: the
time, the level, the logger without the package's prefix (``client``, ``waiter``, ``credentials``,
``httpx``) and the message. The waiter's ``round N plan:`` lines say how each round asks and why
(its :class:`~alicloud_cdn_refresh.waiter.plan.PlanChoice`). Imported only when ``--debug`` is given,
so that ``logging`` is not loaded for ``--help``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

__all__ = ["DebugLogging"]

PACKAGE = "alicloud_cdn_refresh"
LOGGERS = (PACKAGE, "httpx")
"""The loggers ``--debug`` turns up: the package's (its parts' below it, ``alicloud_cdn_refresh.waiter``
included) and httpx's requests."""


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__("%(asctime)s.%(msecs)03d %(levelname)s %(part)s: %(message)s", datefmt="%H:%M:%S")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        record.part = record.name.removeprefix(PACKAGE + ".")
        return self._redact(super().format(record))


class DebugLogging:
    """DEBUG logs to stderr through ``redact`` from :meth:`start` until :meth:`stop`."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        self._handler = logging.StreamHandler(sys.stderr)
        self._handler.setFormatter(_RedactingFormatter(redact))
        self._levels: dict[str, int] = {}

    def start(self) -> DebugLogging:
        """Turn the loggers up to DEBUG and attach the masking handler."""
        for name in LOGGERS:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self._handler)
        return self

    def stop(self) -> None:
        """Detach the handler; the loggers get their levels back."""
        for name in LOGGERS:
            logger = logging.getLogger(name)
            logger.removeHandler(self._handler)
            logger.setLevel(self._levels.get(name, logging.NOTSET))
