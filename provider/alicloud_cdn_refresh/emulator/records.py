"""One stored row of the emulator's tasks: a path of a task, its lifecycle derived from the clock.

A task's status is derived from its creation time and the clock's ``now`` (never mutated by a
background thread), or from how many answers showed it, so a test moves a
:class:`~alicloud_cdn_refresh.clock.ManualClock` and the next query sees the new status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus, format_process

__all__ = ["PENDING_FRACTION", "TaskRecord"]

PENDING_FRACTION = 0.2
"""Share of ``complete_after`` a new task spends ``Pending`` before it starts ``Refreshing``."""


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One object path of one task, as stored (status is derived on demand)."""

    seq: int
    task_id: str
    object_path: str
    object_type: ObjectType
    created: datetime
    domain: str
    duration: float
    """Seconds from creation to the final status."""
    failure: str | None = None
    """The Description it ends ``Failed`` with, or ``None`` when it ends ``Complete``."""
    fixed_status: str | None = None
    """A status pinned by :meth:`TaskStore.seed`, reported as is whatever the time."""
    fixed_process: float | None = None
    polls: int | None = None
    """When set, the status moves with the number of answers that showed the row, not with time."""

    @property
    def sort_key(self) -> tuple[datetime, int]:
        """Creation order (ties broken by insertion order)."""
        return (self.created, self.seq)

    def status_at(self, now: datetime, views: int = 0) -> tuple[str, float, str]:
        """``(status, process, description)`` at time ``now``, after ``views`` answers showed it
        (``process`` is whole unless a seeded task was given a fractional one)."""
        if self.fixed_status is not None:
            status = self.fixed_status
            done = status in (TaskStatus.COMPLETE.value, TaskStatus.FAILED.value)
            process = self.fixed_process if self.fixed_process is not None else (100 if done else 0)
            description = self.failure or "" if status == TaskStatus.FAILED.value else ""
            return status, process, description
        if self.polls is not None:
            return self._status_by_views(views)
        elapsed = (now - self.created).total_seconds()
        if elapsed >= self.duration:
            if self.failure is not None:
                return TaskStatus.FAILED.value, 100, self.failure
            return TaskStatus.COMPLETE.value, 100, ""
        pending = self.duration * PENDING_FRACTION
        if elapsed < pending:
            return TaskStatus.PENDING.value, 0, ""
        share = (elapsed - pending) / (self.duration - pending)
        return TaskStatus.REFRESHING.value, max(1, min(99, int(share * 100))), ""

    def _status_by_views(self, views: int) -> tuple[str, float, str]:
        assert self.polls is not None
        if views >= self.polls:
            if self.failure is not None:
                return TaskStatus.FAILED.value, 100, self.failure
            return TaskStatus.COMPLETE.value, 100, ""
        if views == 0:
            return TaskStatus.PENDING.value, 0, ""
        return TaskStatus.REFRESHING.value, max(1, min(99, views * 100 // self.polls)), ""

    def to_task(self, now: datetime, views: int = 0) -> RefreshTask:
        """The typed task as seen at ``now``."""
        status, process, description = self.status_at(now, views)
        return RefreshTask(
            task_id=self.task_id,
            object_path=self.object_path,
            status=TaskStatus(status),
            process=int(process),
            object_type=self.object_type,
            creation_time=self.created,
            description=description,
            process_exact=None if process == int(process) else float(process),
        )

    def to_api(self, now: datetime, views: int = 0) -> dict[str, str]:
        """The task in the API's JSON shape as seen at ``now``."""
        status, process, description = self.status_at(now, views)
        return {
            "TaskId": self.task_id,
            "ObjectPath": self.object_path,
            "Status": status,
            "Process": format_process(int(process), float(process)),
            "ObjectType": self.object_type.value,
            "CreationTime": self.created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Description": description,
        }
