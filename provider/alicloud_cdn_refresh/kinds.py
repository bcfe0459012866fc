"""The API's names of things: status names and task types as open string enums (``TaskStatus``,
``ObjectType``, ``RefreshObjectType``, ``PreloadArea``), the daily quota kinds (``QUOTA_FIELDS``)
and the filters of DescribeRefreshTasks (``FILTER_FIELDS``).

Their own module, below :mod:`.models`, :mod:`.quota` and :mod:`.query` (which re-export them), so
that what needs only the names (the command line's choices and its ``--help``, :mod:`.products`)
does not build the models' and the query's dataclasses. Every enum keeps :mod:`.models` as its ``__module__``:
reprs and pickles name ``alicloud_cdn_refresh.models.TaskStatus`` as they always did. Nothing here
does I/O.
"""

from __future__ import annotations

import enum
from typing import Any, Final, NamedTuple

__all__ = [
    "FILTER_FIELDS",
    "QUOTA_FIELDS",
    "FilterField",
    "ObjectType",
    "PreloadArea",
    "RefreshObjectType",
    "TaskStatus",
]

PUBLIC_MODULE = "alicloud_cdn_refresh.models"
"""Where the enums are public (:mod:`.models` re-exports them)."""

QUOTA_FIELDS: dict[str, str] = {
    "url": "Url",
    "dir": "Dir",
    "regex": "Regex",
    "preload": "Preload",
    "block": "Block",
    "ignore_params": "IgnoreParams",
    "preload_edge": "PreloadEdge",
}
"""Quota kind -> the prefix of its DescribeRefreshQuota fields (``UrlQuota`` / ``UrlRemain``...)."""


class _OpenEnum(str, enum.Enum):
    """A string enum that keeps values it does not know instead of raising.

    The service may add statuses or types at any time (localized docs list ``Timeout`` and
    ``Canceled``); a client that crashes on them is worse than one that carries them along.
    Lookup is case-insensitive; an unknown value becomes a pseudo-member with that exact value.
    """

    __module__ = PUBLIC_MODULE

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        folded = value.casefold()
        for member in cls:
            if member.value.casefold() == folded:
                return member
        alias = cls._aliases().get(folded)
        if alias is not None:
            return cls(alias)
        pseudo = str.__new__(cls, value)
        pseudo._name_ = value.upper()
        pseudo._value_ = value
        return pseudo

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {}

    @property
    def is_known(self) -> bool:
        """Whether this value is one the API documents (not a pseudo-member)."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)


class TaskStatus(_OpenEnum):
    """Status of one refresh or preload task, as the API reports it."""

    __module__ = PUBLIC_MODULE

    PENDING = "Pending"
    REFRESHING = "Refreshing"
    COMPLETE = "Complete"
    FAILED = "Failed"

    @property
    def is_complete(self) -> bool:
        """Only ``Complete`` is complete; unknown statuses never are."""
        return self is TaskStatus.COMPLETE

    @property
    def is_failed(self) -> bool:
        """Only ``Failed`` is a failure; unknown statuses are treated as still in progress."""
        return self is TaskStatus.FAILED

    @classmethod
    def queryable(cls) -> tuple[TaskStatus, ...]:
        """The values DescribeRefreshTasks accepts in its ``Status`` filter."""
        return (cls.COMPLETE, cls.REFRESHING, cls.FAILED)


class ObjectType(_OpenEnum):
    """Task type as DescribeRefreshTasks filters and reports it (lower case on the wire).

    The older name ``path`` (of the 2018 reference page) is accepted as a synonym of ``directory``.
    """

    __module__ = PUBLIC_MODULE

    FILE = "file"
    DIRECTORY = "directory"
    REGEX = "regex"
    PRELOAD = "preload"
    BLOCK = "block"
    UNBLOCK = "unblock"

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"path": "directory"}


class RefreshObjectType(_OpenEnum):
    """What RefreshObjectCaches purges (capitalised on the wire).

    ``IgnoreParams`` (the current reference) purges a URL whatever its query string, with its own
    daily quota; ``ExQuery`` is the official SDK's older name of it, still accepted.
    """

    __module__ = PUBLIC_MODULE

    FILE = "File"
    DIRECTORY = "Directory"
    REGEX = "Regex"
    EXQUERY = "ExQuery"
    IGNORE_PARAMS = "IgnoreParams"

    @property
    def task_type(self) -> ObjectType:
        """The ObjectType that DescribeRefreshTasks reports for tasks of this kind.

        IgnoreParams (and ExQuery) purges are URL purges: the DescribeRefreshTasks reference lists no
        type of their own (file, directory, regex, preload), so they are taken to be reported as
        ``file``; the waiter matches by path and task id, which does not depend on it.
        """
        return {
            RefreshObjectType.FILE: ObjectType.FILE,
            RefreshObjectType.DIRECTORY: ObjectType.DIRECTORY,
            RefreshObjectType.REGEX: ObjectType.REGEX,
            RefreshObjectType.EXQUERY: ObjectType.FILE,
            RefreshObjectType.IGNORE_PARAMS: ObjectType.FILE,
        }.get(self, ObjectType.FILE)


class PreloadArea(_OpenEnum):
    """Where PushObjectCache preloads."""

    __module__ = PUBLIC_MODULE

    DOMESTIC = "domestic"
    OVERSEAS = "overseas"


class FilterField(NamedTuple):
    """One filter of DescribeRefreshTasks: how Python, the API and the command line spell it, and
    what it does (an immutable row: a named tuple, cheaper to define at start-up than a dataclass)."""

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
"""Every filter of DescribeRefreshTasks, in the API reference's order (:class:`~.query.TaskFilter`
has a field of each); importable from :mod:`.query` too."""
