"""The wait display of ``cdn-refresh``: a live rich view on a terminal, one plain line a round elsewhere.

:func:`make_progress` picks one for the stream; either is the waiter's ``on_progress`` callback and a
context manager that draws the last state on exit. Both say what the waiter knows of the paths not
done (``not checked yet``, ``no task found``, ``Refreshing 40%``) and when a round could not ask
about every path (``round incomplete (Throttling)``; ``needs ~60 calls, ~35 fit before the
deadline``). Imported only by commands that wait.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import IO, TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from alicloud_cdn_refresh.models import TaskStatus

from .render import describe_states, describe_unresolved, make_console, unresolved_style
from .state import current_state

if TYPE_CHECKING:
    from alicloud_cdn_refresh.waiter.loop import WaitProgress

__all__ = ["LiveProgress", "PlainProgress", "make_progress", "pending_detail", "round_note"]


def pending_detail(progress: WaitProgress) -> str:
    """`` (250 not checked yet, 6 Pending)``: what the pending count holds, when it holds more than
    tasks in ``Pending`` (paths not asked about yet, paths without a task, a status the API added)."""
    states = {
        state: count
        for state, count in progress.pending_states.items()
        if state != TaskStatus.REFRESHING.value and count
    }
    if not states or set(states) == {TaskStatus.PENDING.value}:
        return ""
    return f" ({describe_states(states)})"


def round_note(progress: WaitProgress) -> str:
    """``round incomplete (Throttling); needs ~60 calls, ~35 fit before the deadline``, or ``""``
    when the round asked about every path and its plan fitted the QPS budget."""
    parts = []
    if progress.round_incomplete:
        parts.append(f"round incomplete ({progress.incomplete_reason or 'cut short'})")
    if progress.shortfall:
        parts.append(
            f"needs ~{progress.calls_needed} calls, ~{progress.calls_possible} fit before the deadline"
        )
    return "; ".join(parts)


def _counts(progress: WaitProgress) -> str:
    return (
        f"{progress.complete}/{progress.total} complete, {progress.refreshing} refreshing, "
        f"{progress.pending} pending{pending_detail(progress)}, {progress.failed} failed"
    )


class PlainProgress:
    """One plain line per polling round, for CI logs and pipes (no colours, no cursor movement)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.lines = 0

    def __call__(self, progress: WaitProgress) -> None:
        line = f"[{progress.elapsed:7.1f}s] round {progress.round}: {_counts(progress)}"
        note = round_note(progress)
        if note:
            line += f"; {note}"
        if progress.slowest and not progress.done:
            path, state = describe_unresolved(progress.slowest[0])
            line += f"; slowest: {path} ({state})"
        if progress.done:
            line += "; done" if progress.complete + progress.failed == progress.total else "; stopped"
        self._stream.write(line + "\n")
        self._stream.flush()
        self.lines += 1

    def close(self) -> None:
        """Nothing to tear down."""

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _WaitView:
    """The live renderable: a bar, counts by status, elapsed time and the slowest paths."""

    def __init__(self, total: int, label: str) -> None:
        self.progress: WaitProgress | None = None
        self.total = total
        self.label = label
        self._received = time.monotonic()
        self._started = time.monotonic()

    def update(self, progress: WaitProgress) -> None:
        self.progress = progress
        self._received = time.monotonic()

    def __rich__(self) -> RenderableType:
        progress = self.progress
        if progress is None:
            elapsed = time.monotonic() - self._started
            head = Text.assemble((self.label, "bold"), ": first poll...")
            line = Table.grid(padding=(0, 1))
            line.add_row(ProgressBar(total=max(1, self.total), completed=0, width=40), Text("  0%"))
            return Group(head, line, Text(f"{elapsed:5.1f}s elapsed", style="dim"))
        elapsed = progress.elapsed
        if not progress.done:
            elapsed += time.monotonic() - self._received
        total = max(1, progress.total)
        bar = ProgressBar(
            total=total,
            completed=progress.complete + progress.failed,
            width=40,
            complete_style="red" if progress.failed else "green",
            finished_style="red" if progress.failed else "green",
        )
        counts = Text.assemble(
            (f"{progress.complete}/{progress.total} complete", "green"),
            "  ",
            (f"{progress.refreshing} refreshing", "yellow"),
            "  ",
            (f"{progress.pending} pending{pending_detail(progress)}", "cyan"),
            "  ",
            (f"{progress.failed} failed", "bold red" if progress.failed else "dim"),
            "  ",
            (f"{elapsed:5.1f}s elapsed", "dim"),
            "  ",
            (f"round {progress.round}", "dim"),
        )
        resolved = progress.complete + progress.failed == progress.total
        ending = (": done" if resolved else ": stopped") if progress.done else ""
        head = Text.assemble((self.label, "bold"), (ending, "green" if resolved else "yellow"))
        line = Table.grid(padding=(0, 1))
        line.add_row(bar, Text(f"{100 * (progress.complete + progress.failed) // total:3d}%"))
        parts: list[RenderableType] = [head, line, counts]
        note = round_note(progress)
        if note:
            parts.append(Text(note, style="yellow"))
        slow = [] if progress.done else list(progress.slowest[:3])
        if slow:
            parts.append(Text("slowest:", style="dim"))
            for item in slow:
                path, state = describe_unresolved(item)
                parts.append(Text.assemble("  ", (state.ljust(16), unresolved_style(item)), path))
        return Group(*parts)


class LiveProgress:
    """A live rich display on a terminal, redrawn a few times a second until closed."""

    def __init__(self, console: Console, *, total: int = 0, label: str = "Waiting") -> None:
        self._view = _WaitView(total, label)
        self._live = Live(
            self._view,
            console=console,
            refresh_per_second=8,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._lock = threading.Lock()
        self._started = False
        self.updates = 0

    def __call__(self, progress: WaitProgress) -> None:
        with self._lock:
            if not self._started:
                self._live.start()
                self._started = True
            self._view.update(progress)
            self.updates += 1
        self._live.refresh()

    def start(self) -> None:
        """Show the display before the first round arrives."""
        with self._lock:
            if not self._started:
                self._live.start()
                self._started = True

    def close(self) -> None:
        """Draw the last state and stop redrawing."""
        with self._lock:
            if self._started:
                self._live.refresh()
                self._live.stop()
                self._started = False

    def __enter__(self) -> LiveProgress:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_progress(
    stream: IO[str] | None = None, *, total: int = 0, label: str = "Waiting"
) -> LiveProgress | PlainProgress:
    """A live display when ``stream`` (stderr by default) is a terminal, plain lines otherwise (and
    with ``--debug``, whose log lines, the waiter's plan of each round among them, go between)."""
    target = stream if stream is not None else sys.stderr
    console = make_console(target)
    if console.is_terminal and not console.is_dumb_terminal and not current_state().debug:
        return LiveProgress(console, total=total, label=label)
    return PlainProgress(target)
