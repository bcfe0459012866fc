"""What ``cdn-refresh`` prints: rich tables, plain summary lines and JSON.

The JSON shapes here are the CLI's stable machine interface (schema version 1, documented in the
README); a change that removes or renames a key needs a new ``version``. The wait display is in
:mod:`.progress`. Imported only by commands that print data, never for ``--help``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any

from rich import box
from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from alicloud_cdn_refresh.errors import PendingPath
from alicloud_cdn_refresh.models import RefreshQuota, RefreshTask, TaskStatus, format_api_time

__all__ = [
    "JSON_VERSION",
    "describe_unresolved",
    "dump_json",
    "failed_lines",
    "make_console",
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


def describe_unresolved(item: RefreshTask | PendingPath) -> tuple[str, str]:
    """``(path, "Refreshing 40%")`` for a task or a pending path (``NotFound`` when no task was seen)."""
    if isinstance(item, RefreshTask):
        return item.object_path, f"{item.status.value} {item.process}%"
    if item.last_status == "NotFound":
        return item.object_path, "NotFound"
    return item.object_path, f"{item.last_status} {item.process}%"


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
        path, state = describe_unresolved(item)
        task = f" (task {item.task_id})" if item.task_id and not path.startswith("task ") else ""
        lines.append(f"  {path}: {state}{task}")
    return lines
