"""The ``cdn-refresh`` command line.

Public face: :func:`main` (the console script), :data:`cli` (the click group) and
:class:`ExitStatus` (its exit codes). Inside: ``app`` (the group, the run), ``errors`` (every error
to one line, a JSON document and an exit status), ``output`` (encodings, closed pipes, full disks,
signals), ``exit_status``, ``options`` (shared options, ``WaitOptions``, ``open_client``),
``params`` (value types, path files), ``state`` (per-run settings, secret masking), ``commands/``
(one module per command or family), ``submitting`` (submit, report, never lose an id),
``waiting`` (the shared wait-and-report), ``render`` (tables, JSON) and ``progress`` (the wait
display).
"""

from __future__ import annotations

from .app import cli, main
from .exit_status import ExitStatus

__all__ = ["ExitStatus", "cli", "main"]
