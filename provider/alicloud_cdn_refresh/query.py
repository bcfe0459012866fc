"""``TaskFilter``: the filters of DescribeRefreshTasks, one type for every part that spells them.

:data:`FILTER_FIELDS` owns each filter's Python name, wire name and command-line flag; the client
sends a :class:`TaskFilter`, the emulator answers one, the CLI builds its ``tasks`` options from the
table and the data source its arguments. The table is written in :mod:`.kinds` (with the API's other
names, so that ``products.py`` and the CLI's ``--help`` read it without building this module's
dataclass) and imported from here. A new API filter is one row there, one field of the dataclass
here, and its handling (check below, matching in the emulator); ``tests/core/test_query.py`` fails
until every part knows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, TypedDict

from . import limits
from .checks import api_time, documented, queryable_since, text
from .errors import InvalidQuery
from .kinds import FILTER_FIELDS, FilterField
from .models import ObjectType, TaskStatus, format_api_time

__all__ = ["FILTER_FIELDS", "FilterField", "TaskFilter", "TaskFilterArgs"]


_OBJECT_TYPES = ", ".join(member.value for member in ObjectType) + " (or path, the older name of directory)"
_STATUSES = ", ".join(member.value for member in TaskStatus.queryable())

TimeArg = datetime | str | None


class TaskFilterArgs(TypedDict, total=False):
    """The filters as keyword arguments (``describe_refresh_tasks(task_id=..., status=...)``)."""

    task_id: str | int | None
    object_path: str | None
    domain_name: str | None
    object_type: str | ObjectType | None
    status: str | TaskStatus | None
    start_time: TimeArg
    end_time: TimeArg
    resource_group_id: str | None


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Checked filters of DescribeRefreshTasks (AND); ``None`` means not filtered.

    Build one with :meth:`build`, which checks every value the way the API would and names the
    API's parameter in its :class:`~.errors.InvalidQuery`.
    """

    task_id: str | None = None
    object_path: str | None = None
    domain_name: str | None = None
    object_type: ObjectType | None = None
    status: TaskStatus | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    resource_group_id: str | None = None

    @classmethod
    def build(cls, now: datetime, **values: Any) -> TaskFilter:
        """Check ``values`` (the keys of :class:`TaskFilterArgs`) against the API's rules at ``now``.

        An unknown name is a ``TypeError``, as for any function.
        """
        unknown = sorted(set(values) - {field.name for field in FILTER_FIELDS})
        if unknown:
            raise TypeError(f"unexpected filter(s) {', '.join(unknown)}; known: {cls.names()}")
        given = {name: value for name, value in values.items() if value is not None}
        checked: dict[str, Any] = {name: _CHECKS[name](v) for name, v in given.items() if name in _CHECKS}
        if "object_type" not in checked and ("domain_name" in checked or "status" in checked):
            needing = " and ".join(wire for name, wire in _NEEDS_TYPE if name in checked)
            raise InvalidQuery("ObjectType", f"is required when {needing} is given; allowed: {_OBJECT_TYPES}")
        start, end = _window(now, values.get("start_time"), values.get("end_time"))
        return cls(**checked, start_time=start, end_time=end)

    @staticmethod
    def names() -> str:
        """The Python names of the filters, comma-separated (for messages)."""
        return ", ".join(field.name for field in FILTER_FIELDS)

    def values(self) -> dict[str, Any]:
        """The filters that are set, by Python name."""
        pairs = ((field.name, getattr(self, field.name)) for field in FILTER_FIELDS)
        return {name: value for name, value in pairs if value is not None}

    def params(self) -> dict[str, str]:
        """The filters that are set, as the API's parameters."""
        out: dict[str, str] = {}
        for field in FILTER_FIELDS:
            value = getattr(self, field.name)
            if value is None:
                continue
            if isinstance(value, datetime):
                out[field.wire] = format_api_time(value)
            else:
                out[field.wire] = str(getattr(value, "value", value))
        return out


def _task_id(value: object) -> str:
    checked = text("TaskId", value)
    if not (checked.isascii() and checked.isdigit()):
        raise InvalidQuery("TaskId", f"{checked!r} is not a task id (digits only, such as 704225667)")
    return checked


def _object_type(value: object) -> ObjectType:
    if isinstance(value, ObjectType) and value.is_known:
        return value
    return documented("ObjectType", value, ObjectType, _OBJECT_TYPES)


def _status(value: object) -> TaskStatus:
    kind = TaskStatus(value.strip()) if isinstance(value, str) and value.strip() else None
    if isinstance(value, TaskStatus):
        kind = value
    if kind is None or kind not in TaskStatus.queryable():
        raise InvalidQuery("Status", f"{value!r} is not supported; allowed: {_STATUSES}")
    return kind


def _window(now: datetime, start_time: object, end_time: object) -> tuple[datetime | None, datetime | None]:
    if (start_time is None) != (end_time is None):
        missing = "EndTime" if end_time is None else "StartTime"
        raise InvalidQuery(missing, "StartTime and EndTime must be given together (both or neither)")
    if start_time is None:
        return None, None
    start = api_time("StartTime", start_time)
    end = api_time("EndTime", end_time)
    if end <= start:
        raise InvalidQuery(
            "EndTime", f"{format_api_time(end)} must be after StartTime {format_api_time(start)}"
        )
    if start < now - limits.QUERY_WINDOW - timedelta(seconds=1):
        queryable_since("StartTime", start, now)  # too old: raises, in the words `wait --since` uses
    return start, end


_CHECKS: Final[dict[str, Callable[[object], Any]]] = {
    "task_id": _task_id,
    "object_path": lambda value: text("ObjectPath", value),
    "domain_name": lambda value: text("DomainName", value),
    "object_type": _object_type,
    "status": _status,
    "resource_group_id": lambda value: text("ResourceGroupId", value),
}
"""The check of each filter but the time window (checked as a pair by :func:`_window`)."""
_NEEDS_TYPE: Final = (("domain_name", "DomainName"), ("status", "Status"))
"""Filters the API accepts only together with ObjectType."""
