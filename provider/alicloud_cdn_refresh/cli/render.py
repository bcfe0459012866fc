"""What ``cdn-refresh`` shows: rich tables, the live wait display, plain CI lines and JSON.

The JSON shapes here are the CLI's stable machine interface (schema version 1, documented in the
README); a change that removes or renames a key needs a new ``version``.
Imported only by commands that print data, never for ``--help``.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.measure import Measurement
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from alicloud_cdn_refresh.errors import PendingPath
from alicloud_cdn_refresh.models import RefreshQuota, RefreshTask, TaskStatus, format_api_time

if TYPE_CHECKING:
    from alicloud_cdn_refresh.waiter.loop import WaitProgress

__all__ = [
    "JSON_VERSION",
    "LiveProgress",
    "PlainProgress",
    "dump_json",
    "make_console",
    "make_progress",
    "failed_lines",
    "pending_lines",
    "pending_to_json",
    "quota_table",
    "quota_to_json",
    "render",
    "render_tasks",
    "status_style",
    "task_to_json",
    "tasks_table",
]

JSON_VERSION = 1
"""Version of every JSON document the CLI prints (the ``version`` key)."""

_STATUS_STYLES = {
    TaskStatus.COMPLETE: "green",
    TaskStatus.REFRESHING: "yellow",
    TaskStatus.PENDING: "cyan",
    TaskStatus.FAILED: "bold red",
}


def status_style(status: TaskStatus | str) -> str:
    """Colour of a status in tables (unknown statuses are magenta: neither done nor failed)."""
    return _STATUS_STYLES.get(TaskStatus(str(status)), "magenta")


_PIPE_WIDTH = 240
"""Width of tables written to a file or a pipe: wide enough that nothing folds, sized to content."""


def make_console(stream: IO[str] | None = None) -> Console:
    """A console on ``stream`` (stdout by default); colours and live display only on a terminal.

    Off a terminal the width is generous, so a table in a CI log or a file keeps one line per task.
    """
    target = stream if stream is not None else sys.stdout
    console = Console(file=target, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=target, highlight=False, soft_wrap=False, width=_PIPE_WIDTH)
    return console


# -- JSON ------------------------------------------------------------------------------------------


def task_to_json(task: RefreshTask) -> dict[str, Any]:
    """One task in the CLI's JSON shape (snake_case keys, status as the API spells it)."""
    return {
        "task_id": task.task_id,
        "object_path": task.object_path,
        "status": task.status.value,
        "process": task.process,
        "object_type": task.object_type.value,
        "creation_time": format_api_time(task.creation_time),
        "description": task.description,
    }


def pending_to_json(item: PendingPath) -> dict[str, Any]:
    """A path still unresolved at a timeout."""
    return {
        "object_path": item.object_path,
        "last_status": item.last_status,
        "process": item.process,
        "task_id": item.task_id,
    }


def quota_to_json(quota: RefreshQuota) -> dict[str, Any]:
    """The quota in the CLI's JSON shape: every number an integer."""
    body: dict[str, Any] = {
        "url": {"quota": quota.url_quota, "remain": quota.url_remain},
        "dir": {"quota": quota.dir_quota, "remain": quota.dir_remain},
        "regex": {"quota": quota.regex_quota, "remain": quota.regex_remain},
        "preload": {"quota": quota.preload_quota, "remain": quota.preload_remain},
        "block": {"quota": quota.block_quota, "remain": quota.block_remain},
    }
    return {
        "version": JSON_VERSION,
        "quota": body,
        "extra": dict(quota.extra),
        "request_id": quota.request_id,
    }


def dump_json(document: dict[str, Any], stream: IO[str] | None = None) -> None:
    """Print one JSON document (sorted keys, one line per key for humans reading CI logs)."""
    target = stream if stream is not None else sys.stdout
    target.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    target.flush()


# -- tables ----------------------------------------------------------------------------------------


def tasks_table(
    tasks: Iterable[RefreshTask], *, title: str | None = None, width: int | None = None, fit: bool = False
) -> Table:
    """The default view of tasks: status, progress, path, type, task id, created, description.

    On a narrow terminal (``width`` below 120 columns) the task id column is left out, below 100
    the type too and the creation time loses its year; the path folds rather than being cut.
    ``fit`` makes the table exactly ``width`` wide, path and description sharing what is left.
    """
    tasks = list(tasks)
    with_id = width is None or width >= 120
    medium = width is None or width >= 100
    described = any(task.description for task in tasks)
    table = Table(title=title, box=box.ROUNDED, title_justify="left", expand=fit)
    table.add_column("Status", no_wrap=True)
    table.add_column("Progress", justify="right", no_wrap=True)
    table.add_column("Path", overflow="fold", min_width=20, ratio=3 if fit else None)
    if medium:
        table.add_column("Type", no_wrap=True)
    if with_id:
        table.add_column("Task ID", no_wrap=True)
    table.add_column("Created (UTC)", no_wrap=True)
    table.add_column("Description", overflow="fold", min_width=11, ratio=2 if fit and described else None)
    for task in tasks:
        cells: list[RenderableType] = [
            Text(task.status.value, style=status_style(task.status)),
            f"{task.process}%",
            task.object_path,
        ]
        if medium:
            cells.append(task.object_type.value)
        if with_id:
            cells.append(task.task_id)
        created = format_api_time(task.creation_time).replace("T", " ").rstrip("Z")
        cells.append(created if medium else created[5:])  # narrow: MM-DD HH:MM:SS (3 days at most)
        cells.append(task.description)
        table.add_row(*cells)
    return table


def quota_table(quota: RefreshQuota) -> Table:
    """Daily quotas and what remains, one row per kind."""
    table = Table(box=box.ROUNDED, title="Daily quota", title_justify="left")
    table.add_column("Kind")
    table.add_column("Quota", justify="right")
    table.add_column("Remaining", justify="right")
    table.add_column("Used", justify="right")
    rows = [
        ("URL refresh", quota.url_quota, quota.url_remain),
        ("Directory refresh", quota.dir_quota, quota.dir_remain),
        ("Regex refresh", quota.regex_quota, quota.regex_remain),
        ("Preload", quota.preload_quota, quota.preload_remain),
        ("Block", quota.block_quota, quota.block_remain),
    ]
    for name, total, remain in rows:
        table.add_row(name, f"{total:,}", f"{remain:,}", f"{max(0, total - remain):,}")
    return table


# -- wait progress ---------------------------------------------------------------------------------


def _describe_slow(item: RefreshTask | PendingPath) -> tuple[str, str]:
    if isinstance(item, RefreshTask):
        return item.object_path, f"{item.status.value} {item.process}%"
    if item.last_status == "NotFound":
        return item.object_path, "NotFound"
    return item.object_path, f"{item.last_status} {item.process}%"


def _counts(progress: WaitProgress) -> str:
    return (
        f"{progress.complete}/{progress.total} complete, {progress.refreshing} refreshing, "
        f"{progress.pending} pending, {progress.failed} failed"
    )


class PlainProgress:
    """One plain line per polling round, for CI logs and pipes (no colours, no cursor movement)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.lines = 0

    def __call__(self, progress: WaitProgress) -> None:
        line = f"[{progress.elapsed:7.1f}s] round {progress.round}: {_counts(progress)}"
        if progress.slowest and not progress.done:
            path, state = _describe_slow(progress.slowest[0])
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
            (f"{progress.pending} pending", "cyan"),
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
        slow = [] if progress.done else list(progress.slowest[:3])
        if slow:
            parts.append(Text("slowest:", style="dim"))
            for item in slow:
                path, state = _describe_slow(item)
                parts.append(Text.assemble("  ", (state.ljust(16), status_style(state.split()[0])), path))
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
    """A live display when ``stream`` (stderr by default) is a terminal, plain lines otherwise."""
    target = stream if stream is not None else sys.stderr
    console = make_console(target)
    if console.is_terminal and not console.is_dumb_terminal:
        return LiveProgress(console, total=total, label=label)
    return PlainProgress(target)


def render(renderable: RenderableType, stream: IO[str] | None = None) -> None:
    """Print a table (or any rich renderable) to ``stream``, stdout by default."""
    make_console(stream).print(renderable)


def render_tasks(
    tasks: Sequence[RefreshTask], *, title: str | None = None, stream: IO[str] | None = None
) -> None:
    """Print the tasks table, fitted to the width of ``stream`` (stdout by default)."""
    console = make_console(stream)
    table = tasks_table(tasks, title=title, width=console.width)
    natural = Measurement.get(console, console.options.update(max_width=100_000), table).maximum
    if natural > console.width:
        table = tasks_table(tasks, title=title, width=console.width, fit=True)
    console.print(table)


def failed_lines(tasks: Sequence[RefreshTask]) -> list[str]:
    """``PATH: Description (task ID)`` for each failed task."""
    return [
        f"  {task.object_path}: {task.description or 'no description'} (task {task.task_id})"
        for task in tasks
    ]


def pending_lines(pending: Sequence[PendingPath]) -> list[str]:
    """``PATH: last status N% (task ID)`` for each path still unresolved."""
    lines = []
    for item in pending:
        path, state = _describe_slow(item)
        task = f" (task {item.task_id})" if item.task_id and not path.startswith("task ") else ""
        lines.append(f"  {path}: {state}{task}")
    return lines
