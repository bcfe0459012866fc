"""The ``cdn-refresh`` command line.

Public face: :func:`main` (the console script), :data:`cli` (the click group) and
:class:`ExitStatus` (its exit codes). Inside: ``app`` (the group, the run), ``errors`` (every error
to one line, a JSON document and an exit status), ``output`` (encodings, closed pipes, full disks,
signals), ``exit_status``, ``options`` (shared options, ``--product`` among them,
``WaitOptions``, ``open_client``, ``chosen_product``), ``params`` (value types, path files),
``state`` (per-run settings, secret masking), ``commands/`` (one module per command or family),
``submitting`` (submit, report, never lose an id), ``seen`` (what an interrupted wait had seen),
``waiting`` (the shared wait-and-report), ``render`` (tables, JSON), ``progress`` (the wait
display) and ``debug_logging`` (``--debug``).
"""

from __future__ import annotations

from .app import cli, main
from .exit_status import ExitStatus

__all__ = ["ExitStatus", "cli", "main"]
