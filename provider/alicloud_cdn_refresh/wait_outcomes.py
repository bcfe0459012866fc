"""How a wait ends short of every path ``Complete``: ``RefreshFailed``, ``WaitTimeout`` (with a
``PendingPath`` per unresolved path), ``TaskNotFound``.

Public in :mod:`alicloud_cdn_refresh.errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .base_errors import PUBLIC_MODULE, CdnError

if TYPE_CHECKING:
    from datetime import datetime

    from .models import RefreshTask

__all__ = [
    "NOT_CHECKED",
    "NO_TASK",
    "PendingPath",
    "RefreshFailed",
    "TaskNotFound",
    "WaitCancelled",
    "WaitTimeout",
]


NOT_CHECKED: Final = "NotChecked"
"""``PendingPath.last_status`` of a path (or task id) the wait never got to ask about: the deadline
came, or the calls it needed failed, before any answer covered it."""
NO_TASK: Final = "NotFound"
"""``PendingPath.last_status`` of a path (or task id) that was asked about, and no task (created at
or after ``since``) was found for it."""

_STATE_TEXT: Final = {NOT_CHECKED: "not checked yet", NO_TASK: "no task found"}


@dataclass(frozen=True, slots=True)
class PendingPath:
    """A path still unresolved when a wait ended (or in a progress report), with what was last seen.

    ``object_path`` is ``""`` for a task id none of whose paths was seen.
    """

    __module__ = PUBLIC_MODULE

    object_path: str
    last_status: str
    """The task's last status (``Pending``, ``Refreshing``, ``Failed`` or one the API added), else
    :data:`NOT_CHECKED` (``"NotChecked"``: never asked about) or :data:`NO_TASK` (``"NotFound"``:
    asked, no task)."""
    process: int = 0
    task_id: str = ""

    @property
    def has_task(self) -> bool:
        """Whether a task was seen (``last_status`` is then that task's status)."""
        return self.last_status not in _STATE_TEXT

    def describe(self) -> str:
        """``"not checked yet"``, ``"no task found"``, or the status and progress (``"Refreshing 40%"``)."""
        text = _STATE_TEXT.get(self.last_status)
        return text if text is not None else f"{self.last_status} {self.process}%"


class RefreshFailed(CdnError):
    """At least one path's task ended ``Failed``; ``failed`` holds those tasks."""

    __module__ = PUBLIC_MODULE

    def __init__(self, failed: Sequence[RefreshTask], *, completed: Sequence[RefreshTask] = ()) -> None:
        self.failed = tuple(failed)
        self.completed = tuple(completed)
        lines = [_failed_line(task) for task in self.failed]
        super().__init__(f"{len(self.failed)} path(s) failed to refresh:\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_refresh_failed, (self.failed, self.completed))


def _rebuild_refresh_failed(failed: Sequence[RefreshTask], completed: Sequence[RefreshTask]) -> RefreshFailed:
    return RefreshFailed(failed, completed=completed)


def _failed_line(task: RefreshTask) -> str:
    """One failed path: its failure description and task."""
    return f"  {task.object_path}: {task.description or 'no description'} (task {task.task_id})"


def _failed_lines(failed: Sequence[RefreshTask]) -> list[str]:
    """The paths that ended ``Failed`` under a wait that went on past them (none: no lines)."""
    if not failed:
        return []
    return [f"and {len(failed)} path(s) failed:", *(_failed_line(task) for task in failed)]


def _pending_lines(pending: Sequence[PendingPath]) -> list[str]:
    """One line per unresolved path (its last status and task), and a note on the unchecked ones."""
    lines = [
        f"  {item.object_path or f'task {item.task_id}'}: {item.describe()}"
        + (f" (task {item.task_id})" if item.task_id and item.object_path else "")
        for item in pending
    ]
    unchecked = sum(item.last_status == NOT_CHECKED for item in pending)
    if unchecked:
        lines.append(
            f"({unchecked} of them not checked yet: the wait ran out of time, or its calls failed, "
            "before it could ask about them; they may well be Complete)"
        )
    return lines


class WaitTimeout(CdnError):
    """The deadline passed; ``pending`` names every unresolved path with its last status.

    ``completed`` holds the tasks that reached ``Complete``; ``failed`` those that ended ``Failed``
    (a wait with ``fail_on_failed=False`` goes on past them, so a timeout can carry some).
    """

    __module__ = PUBLIC_MODULE

    def __init__(
        self,
        pending: Sequence[PendingPath],
        *,
        timeout: float,
        completed: Sequence[RefreshTask] = (),
        failed: Sequence[RefreshTask] = (),
    ) -> None:
        self.pending = tuple(pending)
        self.timeout = timeout
        self.completed = tuple(completed)
        self.failed = tuple(failed)
        lines = _pending_lines(self.pending) + _failed_lines(self.failed)
        super().__init__(f"{len(self.pending)} path(s) not Complete after {timeout:g}s:\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_wait_timeout, (self.pending, self.timeout, self.completed, self.failed))


def _rebuild_wait_timeout(
    pending: Sequence[PendingPath],
    timeout: float,
    completed: Sequence[RefreshTask],
    failed: Sequence[RefreshTask] = (),
) -> WaitTimeout:
    return WaitTimeout(pending, timeout=timeout, completed=completed, failed=failed)


class WaitCancelled(CdnError):
    """The wait was told to stop (its ``cancel`` event was set) after ``elapsed`` seconds; ``pending``
    names every path not Complete yet, ``completed`` and ``failed`` the tasks that ended, as
    :class:`WaitTimeout` does."""

    __module__ = PUBLIC_MODULE

    def __init__(
        self,
        pending: Sequence[PendingPath],
        *,
        elapsed: float,
        completed: Sequence[RefreshTask] = (),
        failed: Sequence[RefreshTask] = (),
    ) -> None:
        self.pending = tuple(pending)
        self.elapsed = elapsed
        self.completed = tuple(completed)
        self.failed = tuple(failed)
        lines = _pending_lines(self.pending) + _failed_lines(self.failed)
        count = len(self.pending)
        head = f"the wait was cancelled after {elapsed:.0f}s with {count} path(s) not Complete yet"
        super().__init__(head + ":\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_wait_cancelled, (self.pending, self.elapsed, self.completed, self.failed))


def _rebuild_wait_cancelled(
    pending: Sequence[PendingPath],
    elapsed: float,
    completed: Sequence[RefreshTask],
    failed: Sequence[RefreshTask] = (),
) -> WaitCancelled:
    return WaitCancelled(pending, elapsed=elapsed, completed=completed, failed=failed)


class TaskNotFound(CdnError):
    """No task was seen for some paths (or task ids) within the waiter's grace period.

    ``paths`` and ``task_ids`` name them; ``since`` is the cut-off the wait used, if any.
    """

    __module__ = PUBLIC_MODULE

    def __init__(
        self,
        paths: Sequence[str],
        *,
        task_ids: Sequence[str] = (),
        since: datetime | None = None,
        grace: float = 0.0,
    ) -> None:
        self.paths = tuple(paths)
        self.task_ids = tuple(task_ids)
        self.since = since
        self.grace = grace
        window = "the last 3 days"
        if since is not None:
            window += f" created at or after {since.isoformat()}"
        lines = [f"  {path}" for path in self.paths] + [f"  task {task_id}" for task_id in self.task_ids]
        super().__init__(
            f"no refresh task found for {len(self.paths) + len(self.task_ids)} path(s)/task id(s) after "
            f"{grace:g}s (only tasks of {window} count; was the refresh submitted, and is the path "
            "spelled exactly as submitted?):\n" + "\n".join(lines)
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_task_not_found, (self.paths, self.task_ids, self.since, self.grace))


def _rebuild_task_not_found(
    paths: Sequence[str], task_ids: Sequence[str], since: datetime | None, grace: float
) -> TaskNotFound:
    return TaskNotFound(paths, task_ids=task_ids, since=since, grace=grace)
