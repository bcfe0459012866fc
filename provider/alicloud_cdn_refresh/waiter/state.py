"""What the waiter knows about each path: the task that counts, how it progresses, what is left.

Pure bookkeeping (no I/O, no clock): the loop in :mod:`.waiter` feeds it tasks and times.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from alicloud_cdn_refresh.errors import NO_TASK, NOT_CHECKED, PendingPath
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.paths import domain_of, path_forms, reported_forms

__all__ = [
    "NOT_CHECKED",
    "NOT_FOUND",
    "NO_TASK",
    "Counts",
    "PathState",
    "WaitBook",
    "guess_type",
    "task_key",
]

NOT_FOUND = NO_TASK
"""The ``last_status`` of a path that was asked about and has no task (the older name of
:data:`~alicloud_cdn_refresh.errors.NO_TASK`); a path never asked about is :data:`NOT_CHECKED`."""


def guess_type(object_path: str) -> ObjectType:
    """The task type a refresh of this path most likely has: ``directory`` for ``.../``, else ``file``."""
    return ObjectType.DIRECTORY if object_path.endswith("/") else ObjectType.FILE


def task_key(task: RefreshTask) -> tuple[datetime, int, str]:
    """Order of tasks, newest last: creation time, then the (numeric, increasing) task id."""
    numeric = int(task.task_id) if task.task_id.isdigit() else -1
    return (task.creation_time, numeric, task.task_id)


@dataclass(slots=True)
class PathState:
    """One path: the newest task seen for it and two observations of its progress."""

    path: str
    domain: str
    task: RefreshTask | None = None
    tried_types: set[ObjectType] = field(default_factory=set)
    """Types whose complete domain listing did not contain the path (so listing it again is moot)."""
    first_seen: tuple[float, int] | None = None
    """``(time, process)`` of the first ``Refreshing`` sighting of the current task."""
    last_seen: tuple[float, int] | None = None
    checked: bool = False
    """An answer covered it at least once (per-path queries of its :attr:`query_forms`, its task
    id, or a finished listing)."""
    forms: tuple[str, ...] = ()
    """The spellings the service may report it under if it was submitted as spelled, the caller's
    first (:func:`~alicloud_cdn_refresh.paths.reported_forms`; default: from :attr:`path`)."""

    def __post_init__(self) -> None:
        if not self.forms:
            self.forms = reported_forms(self.path)

    @property
    def query_forms(self) -> tuple[str, ...]:
        """What a per-path query (DescribeRefreshTasks with ObjectPath, one call each) asks, in
        order, until an answer shows its task: the spelling its task was reported in once known,
        else every spelling of :attr:`forms` (a path without its scheme: as given, then with
        ``http://``). The planner costs a per-path query at ``len(query_forms)`` calls."""
        return (self.task.object_path,) if self.task is not None else self.forms

    @property
    def resolved(self) -> bool:
        """Its task reached a final status (``Complete`` or ``Failed``)."""
        return self.task is not None and (self.task.status.is_complete or self.task.status.is_failed)

    @property
    def sort_process(self) -> int:
        """Progress for ordering the slowest paths (a path without a task is the slowest)."""
        return -1 if self.task is None else self.task.process

    def eta(self) -> float | None:
        """When (on the loop's time line) the task should be done at its observed pace, if known."""
        if self.first_seen is None or self.last_seen is None:
            return None
        (t0, p0), (t1, p1) = self.first_seen, self.last_seen
        if p1 <= p0 or t1 <= t0:
            return None
        # one point more than what is left: the API's percentages are whole (rounded down)
        return t1 + (101 - p1) * (t1 - t0) / (p1 - p0)

    def pending(self) -> PendingPath:
        """What a timeout reports for this path: its task's status, else whether it was asked about."""
        if self.task is None:
            return PendingPath(self.path, NO_TASK if self.checked else NOT_CHECKED)
        return PendingPath(self.path, self.task.status.value, self.task.process, self.task.task_id)


@dataclass(frozen=True, slots=True)
class Counts:
    """Paths by state."""

    complete: int
    refreshing: int
    pending: int
    failed: int

    @property
    def total(self) -> int:
        """All paths."""
        return self.complete + self.refreshing + self.pending + self.failed


class WaitBook:
    """Every path of one wait, the task ids the caller named, and which of them were seen."""

    def __init__(
        self, object_paths: Sequence[str], task_ids: Sequence[str], *, since: datetime | None = None
    ) -> None:
        self.states: dict[str, PathState] = {}
        self.aliases: dict[str, str] = {}
        """Other spellings of a waited path -> the path: a path submitted without its scheme
        (``example.com/a.png``) may be reported with ``http://``, or the reverse (see
        :func:`~alicloud_cdn_refresh.paths.path_forms`); rows in either form count for it."""
        for path in object_paths:
            self.states[path] = PathState(path, domain_of(path))
        for path in object_paths:
            for form in path_forms(path)[1:]:
                if form not in self.states:
                    self.aliases.setdefault(form, path)
        self.task_ids: dict[str, bool] = dict.fromkeys(task_ids, False)
        """The caller's task ids, each with whether any of its rows was seen."""
        self.ids_checked: set[str] = set()
        """The caller's task ids that were asked about at least once."""
        # The API writes times to the second; a task created in the second of ``since`` counts.
        self.since = since.replace(microsecond=0) if since is not None else None
        self.types_seen: dict[str, set[ObjectType]] = {}
        """Task types seen per domain (a listing of the domain asks for these too)."""

    def __len__(self) -> int:
        return len(self.states)

    def counts_as(self, task: RefreshTask) -> bool:
        """Whether a task is recent enough to count (created at or after ``since``)."""
        return self.since is None or task.creation_time >= self.since

    def key_for(self, object_path: str) -> str:
        """The waited path a reported path stands for (itself unless it is another spelling)."""
        return object_path if object_path in self.states else self.aliases.get(object_path, object_path)

    def offer(self, task: RefreshTask, at: float, *, from_task_id: bool = False) -> bool:
        """Consider one task row seen at time ``at``; return whether it became (or updated) the
        task of its path. Rows of the caller's task ids add their paths to the wait."""
        key = self.key_for(task.object_path)
        if from_task_id and task.task_id in self.task_ids:
            if not self.counts_as(task):
                return False
            self.task_ids[task.task_id] = True
            state = self.states.get(key)
            if state is None:
                state = self.states[key] = PathState(key, domain_of(key))
        else:
            state = self.states.get(key)
            if state is None or not self.counts_as(task):
                return False
        state.checked = True
        current = state.task
        if current is not None and task_key(task) < task_key(current):
            return False
        if current is None or current.task_id != task.task_id:
            state.first_seen = state.last_seen = None
        state.task = task
        self.types_seen.setdefault(state.domain, set()).add(task.object_type)
        if task.status is TaskStatus.REFRESHING:
            sighting = (at, task.process)
            if state.first_seen is None:
                state.first_seen = sighting
            state.last_seen = sighting
        return True

    def mark_checked(self, paths: Iterable[str] = (), task_ids: Iterable[str] = ()) -> None:
        """An answer covered these paths and task ids (whether or not it held a task for them)."""
        for path in paths:
            state = self.states.get(path)
            if state is not None:
                state.checked = True
        self.ids_checked.update(task_id for task_id in task_ids if task_id in self.task_ids)

    def unresolved(self) -> Iterator[PathState]:
        """Paths still waited for, in order."""
        return (state for state in self.states.values() if not state.resolved)

    @property
    def unseen_task_ids(self) -> list[str]:
        """The caller's task ids of which no row was seen yet."""
        return [task_id for task_id, seen in self.task_ids.items() if not seen]

    def not_found(self) -> list[str]:
        """Paths with no task seen (in order), asked about or not."""
        return [state.path for state in self.states.values() if state.task is None]

    def not_checked(self) -> list[str]:
        """Paths no answer covered yet (in order)."""
        return [state.path for state in self.states.values() if not state.checked]

    def _unseen_pending(self, task_ids: Iterable[str]) -> Iterator[PendingPath]:
        for task_id in task_ids:
            status = NO_TASK if task_id in self.ids_checked else NOT_CHECKED
            yield PendingPath("", status, task_id=task_id)

    def pending_states(self) -> dict[str, int]:
        """Unresolved paths (and unseen task ids) by ``last_status``, as :meth:`pending` reports them."""
        counts: Counter[str] = Counter()
        for state in self.unresolved():
            if state.task is not None:
                counts[state.task.status.value] += 1
            else:
                counts[NO_TASK if state.checked else NOT_CHECKED] += 1
        for task_id in self.unseen_task_ids:
            counts[NO_TASK if task_id in self.ids_checked else NOT_CHECKED] += 1
        return dict(counts.most_common())

    @property
    def done(self) -> bool:
        """Every path resolved and every named task id seen."""
        return not self.unseen_task_ids and all(state.resolved for state in self.states.values())

    def counts(self) -> Counts:
        """Paths by state; unseen task ids count as pending; unknown statuses count as pending."""
        complete = refreshing = pending = failed = 0
        for state in self.states.values():
            task = state.task
            if task is None:
                pending += 1
            elif task.status.is_complete:
                complete += 1
            elif task.status.is_failed:
                failed += 1
            elif task.status is TaskStatus.REFRESHING:
                refreshing += 1
            else:
                pending += 1
        return Counts(complete, refreshing, pending + len(self.unseen_task_ids), failed)

    def slowest(self, count: int) -> tuple[RefreshTask | PendingPath, ...]:
        """Up to ``count`` unresolved paths, least progress first (paths without a task first)."""
        lowest = heapq.nsmallest(count, self.unresolved(), key=lambda s: (s.sort_process, s.path))
        out: list[RefreshTask | PendingPath] = [s.task if s.task is not None else s.pending() for s in lowest]
        room = count - len(out)
        out.extend(self._unseen_pending(self.unseen_task_ids[: max(room, 0)]))
        return tuple(out)

    def eta(self) -> float | None:
        """When the last unresolved path should be done, if every one of them has a known pace."""
        latest = -math.inf
        for state in self.unresolved():
            when = state.eta()
            if when is None:
                return None
            latest = max(latest, when)
        if self.unseen_task_ids or latest == -math.inf:
            return None
        return latest

    def pending(self) -> list[PendingPath]:
        """Every unresolved path (and unseen task id) as a timeout reports it."""
        out = [state.pending() for state in self.unresolved()]
        out.extend(self._unseen_pending(self.unseen_task_ids))
        return out

    def tasks(self, *, complete: bool | None = None, failed: bool | None = None) -> list[RefreshTask]:
        """The current tasks in path order (filtered by final status when asked)."""
        out = []
        for state in self.states.values():
            task = state.task
            if task is None:
                continue
            if complete is not None and task.status.is_complete != complete:
                continue
            if failed is not None and task.status.is_failed != failed:
                continue
            out.append(task)
        return out
