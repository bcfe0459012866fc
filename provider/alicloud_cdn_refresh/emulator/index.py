"""``TaskIndex``: the emulator's rows of one product, in creation order and by task id, object path
and domain, so that a query walks the smallest list that applies (fast with many thousands of tasks).

Not thread-safe on its own: :class:`~.state.TaskStore` holds its lock around every use.
"""

from __future__ import annotations

import bisect
from datetime import datetime

from alicloud_cdn_refresh.query import TaskFilter

from .records import TaskRecord

__all__ = ["TaskIndex"]


class TaskIndex:
    """Rows sorted by :attr:`~.records.TaskRecord.sort_key`, and the same rows by id, path and domain."""

    def __init__(self) -> None:
        self.rows: list[TaskRecord] = []
        """Every row, oldest first."""
        self.keys: list[tuple[datetime, int]] = []
        """Each row's sort key, in the same order (what ``bisect`` searches)."""
        self.by_id: dict[str, list[TaskRecord]] = {}
        self._by_path: dict[str, list[TaskRecord]] = {}
        self._by_domain: dict[str, list[TaskRecord]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, record: TaskRecord) -> None:
        """Put ``record`` in its place in every list (at the end, unless it was created earlier)."""
        key = record.sort_key
        if not self.keys or key >= self.keys[-1]:
            self.rows.append(record)
            self.keys.append(key)
        else:
            at = bisect.bisect_right(self.keys, key)
            self.rows.insert(at, record)
            self.keys.insert(at, key)
        for index, value in (
            (self.by_id, record.task_id),
            (self._by_path, record.object_path),
            (self._by_domain, record.domain),
        ):
            rows = index.setdefault(value, [])
            if not rows or key >= rows[-1].sort_key:
                rows.append(record)
            else:
                bisect.insort(rows, record, key=lambda r: r.sort_key)

    def created_since(self, moment: datetime) -> list[TaskRecord]:
        """The rows created at or after ``moment``, oldest first."""
        return self.rows[bisect.bisect_left(self.keys, (moment, 0)) :]

    def candidates(self, query: TaskFilter) -> tuple[list[TaskRecord], str]:
        """The smallest list holding every row ``query`` may match, and which it is (``id``,
        ``path``, ``domain`` or ``all``): the filters it stands for need no further check."""
        options: list[tuple[list[TaskRecord], str]] = []
        if query.task_id is not None:
            options.append((self.by_id.get(query.task_id, []), "id"))
        if query.object_path is not None:
            options.append((self._by_path.get(query.object_path, []), "path"))
        if query.domain_name is not None:
            options.append((self._by_domain.get(query.domain_name.lower(), []), "domain"))
        if not options:
            return self.rows, "all"
        return min(options, key=lambda option: len(option[0]))

    def drop_before(self, horizon: datetime) -> set[int]:
        """Forget the rows created before ``horizon``; their ``seq`` numbers."""
        cut = bisect.bisect_left(self.keys, (horizon, 0))
        if cut == 0:
            return set()
        gone = {id(r) for r in self.rows[:cut]}
        gone_seqs = {r.seq for r in self.rows[:cut]}
        del self.rows[:cut]
        del self.keys[:cut]
        for index in (self.by_id, self._by_path, self._by_domain):
            for value in list(index):
                kept = [r for r in index[value] if id(r) not in gone]
                if kept:
                    index[value] = kept
                else:
                    del index[value]
        return gone_seqs

    def clear(self) -> None:
        """Forget every row."""
        self.rows.clear()
        self.keys.clear()
        self.by_id.clear()
        self._by_path.clear()
        self._by_domain.clear()
