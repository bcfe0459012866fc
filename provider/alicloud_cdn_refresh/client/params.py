"""Parameter checks done before any network call; each failure is an :class:`InvalidQuery` that
names the API parameter and says what is allowed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.models import (
    ObjectType,
    PreloadArea,
    RefreshObjectType,
    TaskStatus,
    format_api_time,
    parse_api_time,
)

__all__ = [
    "describe_params",
    "preload_area",
    "refresh_object_type",
    "submit_paths",
    "task_ids",
    "with_header_json",
]

_OBJECT_TYPES = ", ".join(member.value for member in ObjectType) + " (or path, the seed's name of directory)"
_STATUSES = ", ".join(member.value for member in TaskStatus.queryable())
_REFRESH_TYPES = ", ".join(member.value for member in RefreshObjectType)
_AREAS = ", ".join(member.value for member in PreloadArea)


def _text(parameter: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidQuery(parameter, f"expected a string, got {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise InvalidQuery(parameter, "must not be empty")
    if any(c in text for c in "\r\n\t"):
        raise InvalidQuery(parameter, "must not contain tabs or line breaks")
    return text


def _task_id(value: object) -> str:
    text = _text("TaskId", value)
    if not (text.isascii() and text.isdigit()):
        raise InvalidQuery("TaskId", f"{text!r} is not a task id (digits only, such as 704225667)")
    return text


def _int(parameter: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidQuery(parameter, f"expected an integer in {low}..{high}, got {value!r}")
    if not low <= value <= high:
        raise InvalidQuery(parameter, f"{value} is outside the allowed range {low}..{high}")
    return value


def _time(parameter: str, value: object) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidQuery(
                parameter, "a naive datetime is ambiguous; give a timezone-aware one (e.g. tzinfo=UTC)"
            )
        try:
            return parse_api_time(format_api_time(value))  # the second the API will see
        except (ValueError, OverflowError):  # years before 1000 or past 9999 in UTC
            raise InvalidQuery(
                parameter, f"{value.isoformat()} is outside the years 1000..9999 (UTC) the API can take"
            ) from None
    if isinstance(value, str):
        try:
            return parse_api_time(value.strip())
        except ValueError:
            raise InvalidQuery(
                parameter, f"{value!r} is not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ"
            ) from None
    raise InvalidQuery(
        parameter, f"expected an aware datetime or a string yyyy-MM-ddTHH:mm:ssZ, got {type(value).__name__}"
    )


def _object_type(value: object) -> ObjectType:
    if isinstance(value, ObjectType) and value.is_known:
        return value
    if not isinstance(value, str) or not value.strip():
        raise InvalidQuery("ObjectType", f"{value!r} is not supported; allowed: {_OBJECT_TYPES}")
    kind = ObjectType(value.strip())
    if not kind.is_known:
        raise InvalidQuery("ObjectType", f"{value!r} is not supported; allowed: {_OBJECT_TYPES}")
    return kind


def _status(value: object) -> TaskStatus:
    kind = TaskStatus(value.strip()) if isinstance(value, str) and value.strip() else None
    if kind is None or kind not in TaskStatus.queryable():
        raise InvalidQuery("Status", f"{value!r} is not supported; allowed: {_STATUSES}")
    return kind


def describe_params(
    now: datetime,
    *,
    task_id: object = None,
    object_path: object = None,
    domain_name: object = None,
    object_type: object = None,
    status: object = None,
    start_time: object = None,
    end_time: object = None,
    page_number: object = None,
    page_size: object = None,
    resource_group_id: object = None,
) -> dict[str, str]:
    """The business parameters of DescribeRefreshTasks, checked; ``now`` is the client's clock."""
    params: dict[str, str] = {}
    if task_id is not None:
        params["TaskId"] = _task_id(task_id)
    if object_path is not None:
        params["ObjectPath"] = _text("ObjectPath", object_path)
    if domain_name is not None:
        params["DomainName"] = _text("DomainName", domain_name)
    if object_type is not None:
        params["ObjectType"] = _object_type(object_type).value
    if status is not None:
        params["Status"] = _status(status).value
    if "ObjectType" not in params and ("DomainName" in params or "Status" in params):
        given = " and ".join(name for name in ("DomainName", "Status") if name in params)
        raise InvalidQuery("ObjectType", f"is required when {given} is given; allowed: {_OBJECT_TYPES}")
    if (start_time is None) != (end_time is None):
        missing = "EndTime" if end_time is None else "StartTime"
        raise InvalidQuery(missing, "StartTime and EndTime must be given together (both or neither)")
    if start_time is not None:
        start = _time("StartTime", start_time)
        end = _time("EndTime", end_time)
        if end <= start:
            raise InvalidQuery(
                "EndTime", f"{format_api_time(end)} must be after StartTime {format_api_time(start)}"
            )
        earliest = now - limits.QUERY_WINDOW
        if start < earliest - timedelta(seconds=1):
            raise InvalidQuery(
                "StartTime",
                f"{format_api_time(start)} is more than {limits.QUERY_WINDOW.days} days ago; only tasks "
                f"since {format_api_time(earliest)} can be queried",
            )
        params["StartTime"] = format_api_time(start)
        params["EndTime"] = format_api_time(end)
    if page_number is not None:
        params["PageNumber"] = str(_int("PageNumber", page_number, 1, limits.MAX_PAGE_NUMBER))
    if page_size is not None:
        params["PageSize"] = str(_int("PageSize", page_size, 1, limits.MAX_PAGE_SIZE))
    if resource_group_id is not None:
        params["ResourceGroupId"] = _text("ResourceGroupId", resource_group_id)
    return params


def task_ids(values: Iterable[object] | str | int) -> list[str]:
    """Task ids, checked, duplicates removed, order kept."""
    items: Iterable[object] = [values] if isinstance(values, (str, int)) else values
    return list(dict.fromkeys(_task_id(item) for item in items))


def submit_paths(values: Iterable[str] | str, *, max_length: int | None = None) -> list[str]:
    """Object paths to refresh or preload: at least one, none empty, none with a line break."""
    items: Iterable[object] = [values] if isinstance(values, str) else values
    paths: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidQuery("ObjectPath", f"path #{index + 1} is a {type(item).__name__}, not a string")
        path = item.strip()
        if not path:
            raise InvalidQuery("ObjectPath", f"path #{index + 1} is empty")
        if any(c in path for c in "\r\n"):
            raise InvalidQuery(
                "ObjectPath", f"path #{index + 1} contains a line break (paths are sent one a line)"
            )
        if max_length is not None and len(path) > max_length:
            raise InvalidQuery(
                "ObjectPath",
                f"path #{index + 1} is {len(path)} characters long; at most {max_length} allowed",
            )
        paths.append(path)
    if not paths:
        raise InvalidQuery("ObjectPath", "give at least one object path")
    return paths


def refresh_object_type(value: object) -> RefreshObjectType:
    """RefreshObjectCaches' ``ObjectType`` (File, Directory, Regex, ExQuery; any case)."""
    kind = RefreshObjectType(value.strip()) if isinstance(value, str) and value.strip() else None
    if kind is None or not kind.is_known:
        raise InvalidQuery("ObjectType", f"{value!r} is not supported; allowed: {_REFRESH_TYPES}")
    return kind


def preload_area(value: object) -> PreloadArea:
    """PushObjectCache's ``Area`` (domestic, overseas)."""
    area = PreloadArea(value.strip()) if isinstance(value, str) and value.strip() else None
    if area is None or not area.is_known:
        raise InvalidQuery("Area", f"{value!r} is not supported; allowed: {_AREAS}")
    return area


def with_header_json(value: object) -> str:
    """PushObjectCache's ``WithHeader``: a mapping of header names to values, as compact JSON."""
    mapping: Any = value
    if isinstance(value, str):
        try:
            mapping = json.loads(value)
        except ValueError:
            raise InvalidQuery(
                "WithHeader", "a string must be a JSON object of header names to values"
            ) from None
    if not isinstance(mapping, Mapping) or not all(isinstance(k, str) for k in mapping):
        raise InvalidQuery(
            "WithHeader", "expected a mapping of header names to values, such as {'Origin': 'x'}"
        )
    try:
        return json.dumps(dict(mapping), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidQuery("WithHeader", f"is not JSON-serialisable: {exc}") from None
