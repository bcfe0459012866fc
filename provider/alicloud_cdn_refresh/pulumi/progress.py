"""Progress lines while a resource waits, and where they go.

A dynamic provider's stderr is shown by the engine in the ``pulumi up`` output, so the default
destination is :func:`write_stderr`; another host passes its own ``report`` (one line a call).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alicloud_cdn_refresh.waiter.loop import WaitProgress

__all__ = ["Report", "progress_line", "progress_printer", "wait_label", "write_stderr"]

Report = Callable[[str], None]
"""Where one progress line goes."""


def write_stderr(line: str) -> None:
    """Write one progress line to this process's stderr, at once."""
    print(line, file=sys.stderr, flush=True)


def wait_label(kind: str, paths: Sequence[str], task_ids: Sequence[str]) -> str:
    """``RefreshWait [2 path(s)]``: what is waited for, as the lines start."""
    what = f"{len(paths)} path(s)" if paths else f"{len(task_ids)} task id(s)"
    return f"{kind} [{what}]"


def _state(progress: WaitProgress) -> str:
    if not progress.done:
        return "waiting"
    return "done" if progress.complete == progress.total else "stopped"


def progress_line(label: str, progress: WaitProgress) -> str:
    """One line: counts by state, seconds elapsed, and the slowest path while still waiting."""
    line = (
        f"{label}: {_state(progress)}, {progress.complete}/{progress.total} complete, "
        f"{progress.refreshing} refreshing, {progress.pending} pending, {progress.failed} failed "
        f"({progress.elapsed:.0f}s)"
    )
    if not progress.done and progress.slowest:
        slow = progress.slowest[0]
        line += f"; slowest: {slow.object_path or f'task {slow.task_id}'}"
    return line


def progress_printer(label: str, report: Report = write_stderr) -> Callable[[WaitProgress], None]:
    """An ``on_progress`` callback for the waiter that reports :func:`progress_line` s."""

    def show(progress: WaitProgress) -> None:
        report(progress_line(label, progress))

    return show
