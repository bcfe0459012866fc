"""What a wait for task ids has seen so far, kept for the document of a wait that is interrupted.

``refresh --wait`` and ``preload --wait`` wait for the ids they submitted. Ctrl-C or SIGTERM ends
the waiter without a result, so :class:`SeenTasks` stands between it and the client and keeps every
row of those ids that an answer held (the latest of each path); the interrupted JSON document lists
them as a finished wait would (README, "JSON output").
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alicloud_cdn_refresh.models import RefreshTask

__all__ = ["SeenTasks"]


class SeenTasks:
    """A client's stand-in that remembers the rows of ``task_ids`` its answers held.

    Every attribute is the client's; :meth:`describe_refresh_task_by_id` and
    :meth:`describe_refresh_tasks` (the waiter's queries) also record what they return.
    """

    def __init__(self, client: Any, task_ids: Sequence[str]) -> None:
        self._client = client
        self._ids = dict.fromkeys(task_ids, False)
        """Each id, with whether it was asked about by id."""
        self._rows: dict[tuple[str, str], RefreshTask] = {}
        self._started = time.monotonic()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def describe_refresh_task_by_id(self, task_ids: Any) -> list[RefreshTask]:
        """The client's answer, recorded (the ids asked count as checked once it came)."""
        tasks: list[RefreshTask] = self._client.describe_refresh_task_by_id(task_ids)
        asked = [task_ids] if isinstance(task_ids, (str, int)) else list(task_ids)
        for task_id in asked:
            if str(task_id) in self._ids:
                self._ids[str(task_id)] = True
        self._record(tasks)
        return tasks

    def describe_refresh_tasks(self, *args: Any, **kwargs: Any) -> Any:
        """The client's page, its rows of the ids recorded."""
        page = self._client.describe_refresh_tasks(*args, **kwargs)
        self._record(page.tasks)
        return page

    def _record(self, tasks: Iterable[RefreshTask]) -> None:
        for task in tasks:
            if task.task_id in self._ids:
                self._rows[(task.task_id, task.object_path)] = task

    def document(self) -> dict[str, Any]:
        """The wait keys of the JSON document so far: ``elapsed``, ``tasks`` (the rows done:
        Complete or Failed), ``failed``, and ``pending`` (the other rows, and ids without one)."""
        from alicloud_cdn_refresh.errors import NO_TASK, NOT_CHECKED, PendingPath

        from .render import pending_to_json, task_to_json

        rows = list(self._rows.values())
        done = [task for task in rows if task.status.is_complete or task.status.is_failed]
        pending: list[PendingPath] = [
            PendingPath(task.object_path, task.status.value, task.process, task.task_id)
            for task in rows
            if not (task.status.is_complete or task.status.is_failed)
        ]
        shown = {task.task_id for task in rows}
        pending += [
            PendingPath("", NO_TASK if asked else NOT_CHECKED, task_id=task_id)
            for task_id, asked in self._ids.items()
            if task_id not in shown
        ]
        return {
            "elapsed": round(time.monotonic() - self._started, 3),
            "tasks": [task_to_json(task) for task in done],
            "failed": [task_to_json(task) for task in done if task.status.is_failed],
            "pending": [pending_to_json(item) for item in pending],
        }
