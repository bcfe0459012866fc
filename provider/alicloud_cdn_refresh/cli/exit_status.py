"""``ExitStatus``: every exit code of ``cdn-refresh``, the one place they are defined.

The help texts are built from it and ``tests/cli/test_exit_status.py`` checks the README's table
against it. It sits below the commands (which return its members) and :mod:`.app` (which maps
errors to them and re-exports it), so that the imports point one way.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitStatus", "describe_exit_statuses"]


class ExitStatus(IntEnum):
    """How a ``cdn-refresh`` command ended; :attr:`summary` is what the help texts call it."""

    OK = 0
    FAILED = 1
    USAGE = 2
    TIMEOUT = 3
    API_ERROR = 4
    INTERNAL = 5
    PARTIAL_SUBMIT = 6
    OUTPUT_ERROR = 7
    INTERRUPTED = 130
    BROKEN_PIPE = 141
    TERMINATED = 143

    @property
    def summary(self) -> str:
        """A few words for help texts; the README's table starts each meaning with them."""
        return _SUMMARIES[self]


_SUMMARIES: dict[ExitStatus, str] = {
    ExitStatus.OK: "done",
    ExitStatus.FAILED: "a task failed",
    ExitStatus.USAGE: "bad usage",
    ExitStatus.TIMEOUT: "timeout",
    ExitStatus.API_ERROR: "API or credentials error",
    ExitStatus.INTERNAL: "internal error",
    ExitStatus.PARTIAL_SUBMIT: "partly submitted",
    ExitStatus.OUTPUT_ERROR: "output not written",
    ExitStatus.INTERRUPTED: "interrupted",
    ExitStatus.BROKEN_PIPE: "output closed",
    ExitStatus.TERMINATED: "terminated",
}


def describe_exit_statuses(*statuses: ExitStatus) -> str:
    """``0 done, 1 a task failed, ...`` for ``statuses`` (all of them when none is given)."""
    chosen = statuses or tuple(ExitStatus)
    return ", ".join(f"{status.value} {status.summary}" for status in chosen)
