"""The ``cdn-refresh`` command line.

Public face: :func:`main` (the console script), :data:`cli` (the click group) and
:class:`ExitStatus` (its exit codes). Inside: ``app`` (the group and error handling),
``exit_status``, ``options`` (shared options, ``WaitOptions``), ``params`` (value types),
``state`` (secret masking), ``commands/`` (one module per command or family), ``waiting`` (the
shared wait-and-report), ``render`` (tables, JSON) and ``progress`` (the wait display).
"""

from __future__ import annotations

from .app import cli, main
from .exit_status import ExitStatus

__all__ = ["ExitStatus", "cli", "main"]
