"""``TaskFilter``: the filters of DescribeRefreshTasks, one type for every part that spells them.

:data:`FILTER_FIELDS` owns each filter's Python name, wire name and command-line flag; the client
sends a :class:`TaskFilter`, the emulator answers one, the CLI builds its ``tasks`` options from the
table and the data source its arguments. A new API filter is one row here, one field of the
dataclass, and its handling (check below, matching in the emulator); ``tests/core/test_query.py``
fails until every part knows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, NamedTuple, TypedDict

from .kinds import ObjectType, TaskStatus

__all__ = ["FILTER_FIELDS", "FilterField", "TaskFilter", "TaskFilterArgs"]

# The checks (``checks``, ``errors``, ``limits``, ``models``) are imported inside the functions that
# build a filter: the command line's ``tasks`` options and ``products.py`` read only the table, and
# ``cdn-refresh tasks --help`` builds no models.


class FilterField(NamedTuple):
    """One filter: how Python, the API and the command line spell it, and what it does."""

    name: str
    wire: str
    flag: str
    help: str


FILTER_FIELDS: Final = (
    FilterField("task_id", "TaskId", "--task-id", "Only this task id."),
    FilterField("object_path", "ObjectPath", "--object-path", "Only this exact URL."),
    FilterField("domain_name", "DomainName", "--domain", "Only tasks of this domain (needs --object-type)."),
    FilterField(
        "object_type",
        "ObjectType",
        "--object-type",
        "Task type ('path' is the old name of directory); needed with --domain or --status.",
    ),
    FilterField("status", "Status", "--status", "Only tasks in this status (needs --object-type)."),
    FilterField("start_time", "StartTime", "--start", "Created at or after this time; needs --end."),
    FilterField("end_time", "EndTime", "--end", "Created before this time; needs --start."),
    FilterField(
        "resource_group_id", "ResourceGroupId", "--resource-group-id", "Only tasks of this resource group."
    ),
)
"""Every filter of DescribeRefreshTasks, in the API reference's order."""

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
        from .errors import InvalidQuery

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
        from .models import format_api_time

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
    from .checks import text
    from .errors import InvalidQuery

    checked = text("TaskId", value)
    if not (checked.isascii() and checked.isdigit()):
        raise InvalidQuery("TaskId", f"{checked!r} is not a task id (digits only, such as 704225667)")
    return checked


def _object_type(value: object) -> ObjectType:
    from .checks import documented

    if isinstance(value, ObjectType) and value.is_known:
        return value
    return documented("ObjectType", value, ObjectType, _OBJECT_TYPES)


def _status(value: object) -> TaskStatus:
    from .errors import InvalidQuery

    kind = TaskStatus(value.strip()) if isinstance(value, str) and value.strip() else None
    if isinstance(value, TaskStatus):
        kind = value
    if kind is None or kind not in TaskStatus.queryable():
        raise InvalidQuery("Status", f"{value!r} is not supported; allowed: {_STATUSES}")
    return kind


def _window(now: datetime, start_time: object, end_time: object) -> tuple[datetime | None, datetime | None]:
    from .checks import api_time, queryable_since
    from .errors import InvalidQuery
    from .limits import QUERY_WINDOW
    from .models import format_api_time

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
    if start < now - QUERY_WINDOW - timedelta(seconds=1):
        queryable_since("StartTime", start, now)  # too old: raises, in the words `wait --since` uses
    return start, end


def _text(parameter: str) -> Callable[[object], str]:
    """The check of a filter that is any non-empty text (:func:`~.checks.text`)."""

    def check(value: object) -> str:
        from .checks import text

        return text(parameter, value)

    return check


_CHECKS: Final[dict[str, Callable[[object], Any]]] = {
    "task_id": _task_id,
    "object_path": _text("ObjectPath"),
    "domain_name": _text("DomainName"),
    "object_type": _object_type,
    "status": _status,
    "resource_group_id": _text("ResourceGroupId"),
}
"""The check of each filter but the time window (checked as a pair by :func:`_window`)."""
_NEEDS_TYPE: Final = (("domain_name", "DomainName"), ("status", "Status"))
"""Filters the API accepts only together with ObjectType."""
