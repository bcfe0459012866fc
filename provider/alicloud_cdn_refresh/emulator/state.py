"""The emulator's tasks of one product: pure state, no HTTP (the rows: :mod:`.records`, kept in a
:class:`~.index.TaskIndex`).

Quotas are :mod:`.quotas`; both names stay importable from here.
"""

from __future__ import annotations

import bisect
import hashlib
import random
import re
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.models import FAILURE_DESCRIPTIONS, ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.paths import domain_of
from alicloud_cdn_refresh.query import TaskFilter

from .index import TaskIndex
from .quotas import QUOTA_KINDS, QuotaBook, QuotaExceeded
from .records import PENDING_FRACTION, TaskRecord

__all__ = [
    "DEFAULT_RESOURCE_GROUP",
    "FAILURE_DESCRIPTIONS",
    "PENDING_FRACTION",
    "QUOTA_KINDS",
    "QuotaBook",
    "QuotaExceeded",
    "TaskRecord",
    "TaskStore",
]

_DEFAULT_MERGE: dict[ObjectType, int] = {
    ObjectType.FILE: limits.MAX_URLS_PER_TASK_ID,
    ObjectType.PRELOAD: limits.MAX_PRELOAD_URLS_PER_TASK_ID,
}
"""URL tasks: those of one domain submitted in the same second share one task id, this many per id
(when :meth:`TaskStore.submit` is not told otherwise)."""
_UNSET: object = object()

DEFAULT_RESOURCE_GROUP = "rg-default"
"""The resource group of every domain not assigned another (``Emulator.set_resource_group``)."""


class TaskStore:
    """Every task the emulator knows, indexed by id, object path and domain.

    Thread-safe. Rows are kept in a :class:`~.index.TaskIndex`: in creation order, and by id, path
    and domain; queries walk the smallest list that applies.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        complete_after: float = 5.0,
        fail_paths: str | re.Pattern[str] | None = None,
        seed: int | None = None,
        complete_after_polls: int | None = None,
        id_salt: str = "",
    ) -> None:
        if complete_after < 0:
            raise ValueError("complete_after must be >= 0 seconds")
        if complete_after_polls is not None and complete_after_polls < 0:
            raise ValueError("complete_after_polls must be >= 0 answers")
        self.complete_after_polls = complete_after_polls
        self._views: dict[int, int] = {}
        self.clock = clock
        self.complete_after = float(complete_after)
        self.fail_paths = re.compile(fail_paths) if isinstance(fail_paths, str) else fail_paths
        self._seed = seed
        self._lock = threading.RLock()
        self._index = TaskIndex()
        self._merge: dict[tuple[str, str, int], tuple[str, int]] = {}
        self._seq = 0
        # One store per product: ``id_salt`` (the product's name, but CDN's) keeps their ids apart.
        rng = random.Random(seed if not id_salt or seed is None else f"{id_salt}:{seed}")
        self._next_id = rng.randrange(10_000_000_000, 20_000_000_000)
        self._inserts_since_prune = 0
        self.resource_groups: dict[str, str] = {}
        """Domain -> resource group id; other domains are in :data:`DEFAULT_RESOURCE_GROUP`."""

    # --- writing ------------------------------------------------------------------------------

    def _new_task_id(self) -> str:
        task_id = str(self._next_id)
        self._next_id += 1
        return task_id

    def _failure_for(self, object_path: str) -> str | None:
        if self.fail_paths is None or not self.fail_paths.search(object_path):
            return None
        digest = hashlib.sha256(f"{self._seed}\0{object_path}".encode()).digest()
        return FAILURE_DESCRIPTIONS[digest[0] % len(FAILURE_DESCRIPTIONS)]

    def submit(
        self,
        object_paths: Sequence[str],
        object_type: ObjectType,
        *,
        merge: object = _UNSET,
        merge_key: str | None = None,
        domain: str | None = None,
    ) -> list[str]:
        """Create one row per path now; return the task ids in order, each once.

        URL tasks of one domain submitted in the same second share an id, up to ``merge`` paths per
        id (default: 2,000 for ``file``, 500 for ``preload``, none merged otherwise; ``None``: every
        path its own id). ``merge_key`` separates the kinds that merge (default: the task type);
        ``domain`` is the rows' domain when the paths are not URLs (cache tags).
        """
        per_id = _DEFAULT_MERGE.get(object_type) if merge is _UNSET else merge
        assert per_id is None or isinstance(per_id, int)
        with self._lock:
            now = self.clock.now().replace(microsecond=0)  # the API keeps whole seconds
            second = int(now.timestamp())
            ids: list[str] = []
            for path in object_paths:
                row_domain = domain if domain is not None else domain_of(path)
                if per_id is not None:
                    key = (merge_key or object_type.value, row_domain, second)
                    task_id, count = self._merge.get(key, ("", per_id))
                    if count >= per_id:
                        task_id, count = self._new_task_id(), 0
                    self._merge[key] = (task_id, count + 1)
                else:
                    task_id = self._new_task_id()
                self._insert(self._new_record(task_id, path, object_type, now, row_domain))
                if task_id not in ids:
                    ids.append(task_id)
            self._drop_old_merge_keys(second)
            return ids

    def one_id(self, object_paths: Sequence[str], object_type: ObjectType, *, domain: str) -> str:
        """Create one row per path now, all under one new task id (a cache-tag purge)."""
        with self._lock:
            task_id = self._new_task_id()
            now = self.clock.now().replace(microsecond=0)
            for path in object_paths:
                self._insert(self._new_record(task_id, path, object_type, now, domain))
            return task_id

    def _new_record(
        self, task_id: str, path: str, object_type: ObjectType, created: datetime, domain: str
    ) -> TaskRecord:
        """A row submitted now: it follows the store's lifecycle (and fails if its path is one of
        :attr:`fail_paths`)."""
        return TaskRecord(
            seq=self._next_seq(),
            task_id=task_id,
            object_path=path,
            object_type=object_type,
            created=created,
            domain=domain,
            duration=self.complete_after,
            failure=self._failure_for(path),
            polls=self.complete_after_polls,
        )

    def seed(
        self,
        object_path: str,
        *,
        status: str | TaskStatus | None = None,
        created: datetime | None = None,
        object_type: str | ObjectType = ObjectType.FILE,
        description: str | None = None,
        task_id: str | None = None,
        process: float | None = None,
    ) -> str:
        """Store one task created at any time, optionally pinned to a status (even an unknown one)
        and a ``process`` (a fractional one, such as 99.37, is reported as ``"99.37%"``)."""
        kind = ObjectType(object_type) if isinstance(object_type, str) else object_type
        with self._lock:
            when = created if created is not None else self.clock.now()
            if when.tzinfo is None:
                raise ValueError("created must be timezone-aware")
            fixed = None if status is None else str(TaskStatus(str(status)).value)
            failure = description
            if failure is None:
                if fixed == TaskStatus.FAILED.value:
                    failure = FAILURE_DESCRIPTIONS[0]
                else:
                    failure = self._failure_for(object_path)
            record = TaskRecord(
                seq=self._next_seq(),
                task_id=task_id or self._new_task_id(),
                object_path=object_path,
                object_type=kind,
                created=when.astimezone(timezone.utc).replace(microsecond=0),
                domain=domain_of(object_path),
                duration=self.complete_after,
                failure=failure,
                fixed_status=fixed,
                fixed_process=process,
                polls=None if fixed is not None else self.complete_after_polls,
            )
            self._insert(record)
            return record.task_id

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _insert(self, record: TaskRecord) -> None:
        self._index.add(record)
        self._inserts_since_prune += 1
        if self._inserts_since_prune >= 5_000:
            self._prune()

    def _drop_old_merge_keys(self, second: int) -> None:
        if len(self._merge) > 256:
            self._merge = {k: v for k, v in self._merge.items() if k[2] >= second}

    def _prune(self) -> None:
        """Forget rows well outside the query window (bounded memory on long runs)."""
        self._inserts_since_prune = 0
        horizon = self.clock.now() - limits.QUERY_WINDOW - timedelta(days=1)
        gone = self._index.drop_before(horizon)
        if gone:
            self._views = {seq: n for seq, n in self._views.items() if seq not in gone}

    def clear(self) -> None:
        """Forget every task."""
        with self._lock:
            self._index.clear()
            self._merge.clear()
            self._views.clear()

    # --- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            return len(self._index)

    def visible_since(self, now: datetime) -> datetime:
        """The oldest creation time still queryable at ``now``."""
        return now - limits.QUERY_WINDOW

    def query(self, query: TaskFilter, page_number: int, page_size: int) -> tuple[list[dict[str, str]], int]:
        """One page (newest first) of the rows matching ``query``, and the total count."""
        now = self.clock.now()
        oldest = self.visible_since(now)
        low = max(oldest, query.start_time) if query.start_time else oldest
        high = min(now, query.end_time) if query.end_time else now
        with self._lock:
            rows, narrowed = self._index.candidates(query)
            start = bisect.bisect_left(rows, low, key=lambda r: r.created)
            stop = bisect.bisect_right(rows, high, key=lambda r: r.created)
            window = rows[start:stop]
            needs_filter = (
                (query.task_id is not None and narrowed != "id")
                or (query.object_path is not None and narrowed != "path")
                or (query.domain_name is not None and narrowed != "domain")
                or query.object_type is not None
                or query.status is not None
                or query.resource_group_id is not None
            )
            first = (page_number - 1) * page_size
            if not needs_filter:
                total = len(window)
                # newest first: the page is a slice counted from the end
                end = total - first
                begin = max(0, end - page_size)
                page = list(reversed(window[begin:end])) if end > 0 else []
            else:
                matched = [r for r in reversed(window) if self._matches(r, query, now)]
                total = len(matched)
                page = matched[first : first + page_size]
            return self._answer(page, now), total

    def _answer(self, rows: Iterable[TaskRecord], now: datetime) -> list[dict[str, str]]:
        """Rows in the API's shape; each answer counts as one view of the rows it shows."""
        out = []
        for record in rows:
            if record.polls is None:
                out.append(record.to_api(now))
            else:
                views = self._views.get(record.seq, 0)
                out.append(record.to_api(now, views))
                self._views[record.seq] = views + 1
        return out

    def _matches(self, record: TaskRecord, query: TaskFilter, now: datetime) -> bool:
        if query.task_id is not None and record.task_id != query.task_id:
            return False
        if query.object_path is not None and record.object_path != query.object_path:
            return False
        if query.domain_name is not None and record.domain != query.domain_name.lower():
            return False
        if query.object_type is not None and record.object_type is not query.object_type:
            return False
        if query.resource_group_id is not None and self.group_of(record.domain) != query.resource_group_id:
            return False
        if query.status is None:
            return True
        return record.status_at(now, self._views.get(record.seq, 0))[0] == query.status

    def group_of(self, domain: str) -> str:
        """The resource group a domain (and so its tasks) belongs to."""
        return self.resource_groups.get(domain, DEFAULT_RESOURCE_GROUP)

    def unfinished(self, object_type: ObjectType) -> int:
        """How many tasks of a type are not yet ``Complete`` or ``Failed`` (pinned ones excluded)."""
        now = self.clock.now()
        horizon = now - timedelta(seconds=self.complete_after)
        with self._lock:
            if self.complete_after_polls is not None:
                rows = list(self._index.rows)
            else:
                rows = self._index.created_since(horizon)
            count = 0
            for record in rows:
                if record.object_type is object_type and record.fixed_status is None:
                    status = record.status_at(now, self._views.get(record.seq, 0))[0]
                    if status in (TaskStatus.PENDING.value, TaskStatus.REFRESHING.value):
                        count += 1
            return count

    def rows_of(self, task_id: str) -> list[tuple[TaskRecord, tuple[str, float, str]]]:
        """The visible rows of one task id, oldest first, each with its ``status_at`` now (this
        reading does not count as a view)."""
        now = self.clock.now()
        oldest = self.visible_since(now)
        with self._lock:
            return [
                (record, record.status_at(now, self._views.get(record.seq, 0)))
                for record in self._index.by_id.get(task_id, [])
                if oldest <= record.created <= now
            ]

    def by_ids(self, task_ids: Iterable[str]) -> list[dict[str, str]]:
        """Every visible row of the given task ids (in the order of the ids, newest row first)."""
        now = self.clock.now()
        oldest = self.visible_since(now)
        out: list[dict[str, str]] = []
        with self._lock:
            for task_id in task_ids:
                rows = self._index.by_id.get(task_id, [])
                out.extend(self._answer((r for r in reversed(rows) if oldest <= r.created <= now), now))
        return out

    def snapshot(self, *, include_hidden: bool = False) -> list[RefreshTask]:
        """Every task as seen now, newest first (by default only the queryable ones)."""
        now = self.clock.now()
        oldest = self.visible_since(now)
        with self._lock:
            rows = list(self._index.rows)
            views = dict(self._views)
        return [
            r.to_task(now, views.get(r.seq, 0))
            for r in reversed(rows)
            if include_hidden or oldest <= r.created <= now
        ]
