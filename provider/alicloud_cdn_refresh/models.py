"""Typed values of the CDN refresh/preload API, shared by the client, the waiter and the emulator.

This module is the one place where the tasks and the API's time format are spelled. Nothing here
does I/O. The status names and task types (``TaskStatus``, ``ObjectType``, ``RefreshObjectType``,
``PreloadArea``) are :mod:`.kinds`'s and the daily quotas (``RefreshQuota``, ``QUOTA_FIELDS``)
:mod:`.quota`'s, both importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .kinds import ObjectType, PreloadArea, RefreshObjectType, TaskStatus
from .quota import QUOTA_FIELDS, RefreshQuota

__all__ = [
    "API_TIME_FORMAT",
    "FAILURE_DESCRIPTIONS",
    "PRELOAD_SUCCESS_DESCRIPTION",
    "QUOTA_FIELDS",
    "ObjectType",
    "PreloadArea",
    "PreloadDetail",
    "PreloadDetailResult",
    "PreloadUrlDetail",
    "RefreshObjectType",
    "RefreshQuota",
    "RefreshTask",
    "RefreshTaskPage",
    "TaskStatus",
    "format_api_time",
    "format_process",
    "parse_api_time",
    "parse_iso_time",
    "parse_process",
    "parse_process_exact",
]

API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""UTC time as the API writes it: ``yyyy-MM-ddTHH:mm:ssZ``."""

FAILURE_DESCRIPTIONS: tuple[str, ...] = ("Internal Error", "Origin Timeout", "Origin Return StatusCode 5XX")
"""The three ``Description`` values the API documents for a failed task."""

PRELOAD_SUCCESS_DESCRIPTION = "Successfully preloaded"
"""DescribePreloadDetailById's per-URL ``Description`` once a URL is preloaded on every POP."""

_API_TIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def format_api_time(moment: datetime) -> str:
    """Write an aware datetime in the API's UTC form; naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return moment.astimezone(timezone.utc).strftime(API_TIME_FORMAT)


def parse_api_time(text: str) -> datetime:
    """Read the API's ``yyyy-MM-ddTHH:mm:ssZ`` into an aware UTC datetime."""
    if not _API_TIME_PATTERN.match(text):
        raise ValueError(f"{text!r} is not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ")
    # fromisoformat is ~40x faster than strptime and validates the same ranges; the pattern above
    # pins the shape, and "+00:00" (not "Z") keeps it working on Python 3.10.
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00")
    except ValueError:
        raise ValueError(f"{text!r} is not a valid UTC time of the form yyyy-MM-ddTHH:mm:ssZ") from None


def parse_iso_time(text: str, *, naive: str = "refuse") -> datetime:
    """Any ISO 8601 time (``Z`` or an offset) as an aware UTC datetime.

    A time without an offset is refused (``naive="refuse"``, a ``ValueError``) or taken as UTC
    (``naive="utc"``, as the API's own times are).
    """
    stripped = text.strip()
    iso = stripped[:-1] + "+00:00" if stripped[-1:] in ("Z", "z") else stripped
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None or moment.utcoffset() is None:
        if naive != "utc":
            raise ValueError(f"{text!r} has no timezone (add Z or an offset such as +08:00)")
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_process_exact(text: str | int | float | None) -> float:
    """The API's ``Process`` (``"45%"``, ``"99.37%"``) as an exact percentage 0..100 (0 when unreadable)."""
    if text is None or text == "":
        return 0.0
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        try:
            value = float(text.strip().rstrip("%"))
        except ValueError:
            return 0.0
    if value != value:  # NaN
        return 0.0
    return max(0.0, min(100.0, value))


def parse_process(text: str | int | float | None) -> int:
    """Turn the API's ``Process`` (``"45%"``) into an integer percentage 0..100 (rounded down:
    ``"99.37%"`` is 99, never 100 before it is done)."""
    return int(parse_process_exact(text))


def format_process(process: int, exact: float | None = None) -> str:
    """The API's ``Process`` text: ``"45%"``, or the exact ``"99.37%"`` when known."""
    if exact is None or exact == int(exact):
        return f"{process}%"
    return f"{exact:g}%"


@dataclass(frozen=True, slots=True)
class RefreshTask:
    """One object path of a refresh or preload task.

    ``process`` is the whole percentage (rounded down, as the CLI and Pulumi print it);
    ``process_exact`` keeps the API's value when it was not whole (``"99.37%"`` -> ``99.37``), else
    ``None``; :attr:`progress` is the exact percentage either way. ``process_exact`` does not take
    part in equality (two sightings of one task compare by what they always had).
    """

    task_id: str
    object_path: str
    status: TaskStatus
    process: int
    object_type: ObjectType
    creation_time: datetime
    description: str = ""
    process_exact: float | None = field(default=None, compare=False, repr=False)

    @property
    def progress(self) -> float:
        """The exact percentage done (``99.37``), whole or not."""
        return float(self.process) if self.process_exact is None else self.process_exact

    def to_api(self) -> dict[str, str]:
        """The task in the API's JSON shape (the emulator answers with this)."""
        return {
            "TaskId": self.task_id,
            "ObjectPath": self.object_path,
            "Status": self.status.value,
            "Process": format_process(self.process, self.process_exact),
            "ObjectType": self.object_type.value,
            "CreationTime": format_api_time(self.creation_time),
            "Description": self.description,
        }


@dataclass(frozen=True, slots=True)
class RefreshTaskPage:
    """One page of DescribeRefreshTasks."""

    tasks: tuple[RefreshTask, ...]
    page_number: int
    page_size: int
    total_count: int
    request_id: str = ""

    @property
    def page_count(self) -> int:
        """How many pages of this size the whole result has."""
        if self.page_size <= 0:
            return 0
        return -(-self.total_count // self.page_size)


@dataclass(frozen=True, slots=True)
class PreloadUrlDetail:
    """One URL of a preload task (DescribePreloadDetailById's ``Urls``)."""

    url: str
    success: str
    """The share of POPs that have it, as the API writes it (``"100%"``)."""
    description: str = ""
    """``Successfully preloaded``, or the failures on some POPs separated by ``|``."""

    @property
    def success_percent(self) -> float:
        """``success`` as a number 0..100."""
        return parse_process_exact(self.success)


@dataclass(frozen=True, slots=True)
class PreloadDetail:
    """One preload task with the progress of each of its URLs (DescribePreloadDetailById)."""

    task_id: str
    domain: str
    status: TaskStatus
    process: int
    """Whole percentage of POPs done (rounded down); ``process_exact`` keeps a fractional one."""
    creation_time: datetime | None
    end_time: datetime | None
    """When the task ended; ``None`` while it runs (or when the answer has no time)."""
    ret_code: str
    """``"0"`` when the task succeeded."""
    urls: tuple[PreloadUrlDetail, ...] = ()
    process_exact: float | None = field(default=None, compare=False, repr=False)

    @property
    def progress(self) -> float:
        """The exact percentage done."""
        return float(self.process) if self.process_exact is None else self.process_exact


@dataclass(frozen=True, slots=True)
class PreloadDetailResult:
    """DescribePreloadDetailById's answer: the task's details (one entry per task id) and the count."""

    details: tuple[PreloadDetail, ...]
    total_count: int
    request_id: str = ""
