"""What ``cdn-refresh`` prints: rich tables, plain summary lines and JSON.

The JSON shapes here are the CLI's stable machine interface (schema version 1, documented in the
README); a change that removes or renames a key needs a new ``version``. The wait display is in
:mod:`.progress`. Imported only by commands that print data, never for ``--help``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import IO, Any

from rich import box
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from alicloud_cdn_refresh.errors import NOT_CHECKED, PendingPath
from alicloud_cdn_refresh.models import RefreshQuota, RefreshTask, TaskStatus, format_api_time

from .output import OutputClosed, write_json

__all__ = [
    "JSON_VERSION",
    "describe_states",
    "describe_unresolved",
    "dump_json",
    "failed_lines",
    "make_console",
    "pending_lines",
    "pending_to_json",
    "QUOTA_ROWS",
    "quota_table",
    "quota_to_json",
    "render",
    "render_fitted",
    "render_tasks",
    "state_name",
    "status_style",
    "task_to_json",
    "tasks_table",
    "unresolved_style",
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


class _Console(Console):
    """rich's console, but a closed pipe is :class:`~.output.OutputClosed` (exit 141), not rich's
    own ``SystemExit(1)`` (which would read as "a task failed")."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise OutputClosed("broken pipe")


def make_console(stream: IO[str] | None = None) -> Console:
    """A console on ``stream`` (stdout by default); colours and live display only on a terminal.

    Off a terminal the width is generous, so a table in a CI log or a file keeps one line per task.
    """
    target = stream if stream is not None else sys.stdout
    console = _Console(file=target, highlight=False, soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = _Console(file=target, highlight=False, soft_wrap=False, width=_PIPE_WIDTH)
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
    """A path still unresolved at a timeout; ``null`` for what is not known (a task id that no task
    was seen of has no path; a path without a task has no task id). ``last_status`` is the machine
    value (``NotChecked``, ``NotFound`` or the task's status), ``state`` the words a person reads
    (``not checked yet``, ``no task found``, ``Refreshing 40%``)."""
    return {
        "object_path": item.object_path or None,
        "last_status": item.last_status,
        "process": item.process,
        "task_id": item.task_id or None,
        "state": item.describe(),
    }


QUOTA_ROWS: tuple[tuple[str, str], ...] = (
    ("url", "URL refresh"),
    ("dir", "Directory refresh"),
    ("regex", "Regex refresh"),
    ("ignore_params", "IgnoreParams refresh"),
    ("preload", "Preload"),
    ("preload_edge", "Preload to edge (L1)"),
    ("block", "Block"),
)
"""Every quota kind the CLI shows (:data:`~alicloud_cdn_refresh.models.QUOTA_FIELDS`), in order."""


def quota_to_json(quota: RefreshQuota) -> dict[str, Any]:
    """The quota in the CLI's JSON shape: every kind, each number an integer (``null`` for a kind
    the service did not report)."""
    body: dict[str, Any] = {
        kind: {"quota": quota.quota_of(kind), "remain": quota.remain_of(kind)} for kind, _ in QUOTA_ROWS
    }
    return {
        "version": JSON_VERSION,
        "quota": body,
        "extra": dict(quota.extra),
        "request_id": quota.request_id,
    }


def dump_json(document: dict[str, Any], stream: IO[str] | None = None) -> None:
    """Print one JSON document (sorted keys, one line per key for humans reading CI logs; UTF-8, or
    ``\\uXXXX`` escapes where the stream's encoding cannot take it)."""
    write_json(document, stream)


# -- tables ----------------------------------------------------------------------------------------


def tasks_table(
    tasks: Iterable[RefreshTask], *, title: str | None = None, width: int | None = None, fit: bool = False
) -> Table:
    """The default view of tasks: status, progress, path, type, task id, created, description.

    The task id and the full creation time are always shown; on a narrow terminal (``width`` below
    100 columns) the type is left out, the progress joins the status and the description goes
    under the path, so the path has what is left and folds rather than being cut. ``fit`` makes
    the table exactly ``width`` wide, path and description sharing what is left.
    """
    tasks = list(tasks)
    wide = width is None or width >= 100
    described = any(task.description for task in tasks)
    table = Table(title=title, box=box.ROUNDED, title_justify="left", expand=fit)
    table.add_column("Status", no_wrap=True)
    if wide:
        table.add_column("Progress", justify="right", no_wrap=True)
    table.add_column("Path", overflow="fold", min_width=20, ratio=3 if fit else None)
    if wide:
        table.add_column("Type", no_wrap=True)
    table.add_column("Task ID", no_wrap=True)
    table.add_column("Created (UTC)", no_wrap=True)
    if wide:
        table.add_column("Description", overflow="fold", min_width=11, ratio=2 if fit and described else None)
    for task in tasks:
        created = format_api_time(task.creation_time).replace("T", " ").rstrip("Z")
        if wide:
            table.add_row(
                Text(task.status.value, style=status_style(task.status)),
                f"{task.process}%",
                task.object_path,
                task.object_type.value,
                task.task_id,
                created,
                task.description,
            )
            continue
        done = task.status.is_complete or task.status.is_failed
        status = task.status.value if done else f"{task.status.value} {task.process}%"
        path = Text(task.object_path)
        if task.description:
            path.append(f"\n{task.description}", style="dim")
        table.add_row(Text(status, style=status_style(task.status)), path, task.task_id, created)
    return table


def quota_table(
    quota: RefreshQuota, *, kinds: Collection[str] | None = None, title: str = "Daily quota"
) -> Table:
    """Daily quotas and what remains, one row per kind (``-`` for a kind the service did not report);
    ``kinds``: only these (the kinds a product has: DCDN reports no preload to edge)."""
    table = Table(box=box.ROUNDED, title=title, title_justify="left")
    table.add_column("Kind")
    table.add_column("Quota", justify="right")
    table.add_column("Remaining", justify="right")
    table.add_column("Used", justify="right")
    for kind, name in QUOTA_ROWS:
        if kinds is not None and kind not in kinds:
            continue
        total, remain = quota.quota_of(kind), quota.remain_of(kind)
        if total is None or remain is None:
            table.add_row(
                name, "-" if total is None else f"{total:,}", "-" if remain is None else f"{remain:,}", "-"
            )
            continue
        table.add_row(name, f"{total:,}", f"{remain:,}", f"{max(0, total - remain):,}")
    return table


def describe_unresolved(item: RefreshTask | PendingPath) -> tuple[str, str]:
    """``(path, "Refreshing 40%")`` for a task or a pending path (``not checked yet`` when the wait
    has not asked about it, ``no task found`` when it asked; ``task ID`` in place of the path for a
    task id no task was seen of)."""
    if isinstance(item, RefreshTask):
        return item.object_path, f"{item.status.value} {item.process}%"
    return item.object_path or f"task {item.task_id}", item.describe()


def unresolved_style(item: RefreshTask | PendingPath) -> str:
    """Colour of an unresolved path's state: its status's, dim when not checked yet."""
    status = item.status.value if isinstance(item, RefreshTask) else item.last_status
    if isinstance(item, PendingPath) and not item.has_task:
        return "dim" if status == NOT_CHECKED else "magenta"
    return status_style(status)


def state_name(last_status: str) -> str:
    """``not checked yet``, ``no task found``, or the status itself (``Refreshing``)."""
    item = PendingPath("", last_status)
    return last_status if item.has_task else item.describe()


def describe_states(states: Mapping[str, int]) -> str:
    """``250 not checked yet, 40 Refreshing, 10 Pending``: unresolved paths by state, as given."""
    return ", ".join(f"{count} {state_name(state)}" for state, count in states.items() if count)


def render(renderable: RenderableType, stream: IO[str] | None = None) -> None:
    """Print a table (or any rich renderable) to ``stream``, stdout by default."""
    make_console(stream).print(renderable)


def render_fitted(renderable: RenderableType, stream: IO[str] | None = None) -> None:
    """Print a table to ``stream`` (stdout by default): to a pipe or a file as wide as it needs, so
    no row folds; on a terminal as wide as the terminal."""
    console = make_console(stream)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        natural = Measurement.get(console, console.options.update(max_width=100_000), renderable).maximum
        console.width = max(console.width, natural)
    console.print(renderable)


def render_tasks(
    tasks: Sequence[RefreshTask], *, title: str | None = None, stream: IO[str] | None = None
) -> None:
    """Print the tasks table, fitted to the width of a terminal; to a pipe or a file as wide as it
    needs, one line per task."""
    console = make_console(stream)
    table = tasks_table(tasks, title=title, width=console.width)
    natural = Measurement.get(console, console.options.update(max_width=100_000), table).maximum
    if natural > console.width:
        if not console.is_terminal and "COLUMNS" not in os.environ:
            console.width = natural  # a file or a pipe: never fold a row
        else:
            table = tasks_table(tasks, title=title, width=console.width, fit=True)
    console.print(table)


def failed_lines(tasks: Sequence[RefreshTask]) -> list[str]:
    """``PATH: Description (task ID)`` for each failed task."""
    return [
        f"  {task.object_path}: {task.description or 'no description'} (task {task.task_id})"
        for task in tasks
    ]


def pending_lines(pending: Sequence[PendingPath]) -> list[str]:
    """``PATH: state (task ID)`` for each path still unresolved, grouped by state (most first; in
    the order given within a state)."""
    by_state: dict[str, list[PendingPath]] = {}
    for item in pending:
        by_state.setdefault(item.last_status, []).append(item)
    lines = []
    for items in sorted(by_state.values(), key=len, reverse=True):
        for item in items:
            path, state = describe_unresolved(item)
            task = f" (task {item.task_id})" if item.task_id and not path.startswith("task ") else ""
            lines.append(f"  {path}: {state}{task}")
    return lines
