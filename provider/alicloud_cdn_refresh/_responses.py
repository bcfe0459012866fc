"""Turning the API's JSON answers into typed values, fast, and into :class:`ApiError` when wrong.

Anything unexpected in a body (not JSON, a field missing, a wrong type) becomes an ``ApiError``
with code ``MalformedResponse``; no ``KeyError``/``TypeError`` reaches the caller. This is the hot
path of every poll (100 tasks a page), so the per-task work is a handful of dict look-ups.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from .errors import ApiError
from .models import ObjectType, RefreshQuota, RefreshTask, RefreshTaskPage, TaskStatus, parse_process

__all__ = [
    "MALFORMED",
    "error_from_body",
    "load_json",
    "parse_page",
    "parse_quota",
    "parse_task_ids",
    "parse_tasks",
]

MALFORMED: Final = "MalformedResponse"

_TIME_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").match
_fromiso = datetime.fromisoformat
_STATUS: Final[dict[str, TaskStatus]] = {member.value: member for member in TaskStatus}
_TYPES: Final[dict[str, ObjectType]] = {member.value: member for member in ObjectType}
_PERCENT: Final[dict[object, int]] = {f"{n}%": n for n in range(101)}


def _malformed(action: str, what: str, *, request_id: str = "", http_status: int = 0) -> ApiError:
    return ApiError(
        MALFORMED,
        f"unexpected response: {what}",
        request_id=request_id,
        http_status=http_status,
        action=action,
    )


def load_json(content: bytes, action: str, http_status: int) -> dict[str, Any]:
    """The body as a JSON object, or a ``MalformedResponse`` error."""
    try:
        data = json.loads(content)
    except ValueError:
        snippet = content[:80].decode("utf-8", "replace")
        raise _malformed(
            action, f"not JSON ({len(content)} bytes, starting {snippet!r})", http_status=http_status
        ) from None
    if not isinstance(data, dict):
        raise _malformed(action, f"a JSON {type(data).__name__}, not an object", http_status=http_status)
    return data


def error_from_body(content: bytes, http_status: int, action: str) -> ApiError:
    """The :class:`ApiError` of a non-2xx answer (an HTML page from a proxy included)."""
    try:
        data = json.loads(content)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("Code"):
        return ApiError(
            str(data["Code"]),
            str(data.get("Message") or ""),
            request_id=str(data.get("RequestId") or ""),
            http_status=http_status,
            action=action,
        )
    snippet = content[:80].decode("utf-8", "replace").strip()
    return ApiError(
        f"HTTP{http_status}",
        f"HTTP {http_status} without an API error body" + (f": {snippet!r}" if snippet else ""),
        http_status=http_status,
        action=action,
    )


def _task(item: Any) -> RefreshTask:
    created = item["CreationTime"]
    if not isinstance(created, str) or _TIME_SHAPE(created) is None:
        raise ValueError(f"CreationTime {created!r} is not yyyy-MM-ddTHH:mm:ssZ")
    status = item["Status"]
    kind = item.get("ObjectType") or "file"
    process = item.get("Process")
    task_id = item["TaskId"]
    path = item["ObjectPath"]
    if task_id is None or path is None:
        raise ValueError("TaskId or ObjectPath is null")
    return RefreshTask(
        task_id if type(task_id) is str else str(task_id),
        path if type(path) is str else str(path),
        _STATUS.get(status) or TaskStatus(str(status)),
        _PERCENT[process] if process in _PERCENT else parse_process(process),
        _TYPES.get(kind) or ObjectType(str(kind)),
        _fromiso(created[:-1] + "+00:00"),
        item.get("Description") or "",
    )


def _task_items(data: Mapping[str, Any], action: str, request_id: str) -> list[Any]:
    """The task list under ``Tasks.CDNTask`` (DescribeRefreshTasks) or a flat ``Tasks`` (ById)."""
    tasks = data.get("Tasks")
    if isinstance(tasks, dict):
        if "TaskId" in tasks:  # a single task where a list was expected
            return [tasks]
        tasks = tasks.get("CDNTask")
        if isinstance(tasks, dict):
            tasks = [tasks]
    if tasks is None or tasks == "" or tasks == {}:
        return []
    if not isinstance(tasks, list):
        raise _malformed(action, f"Tasks is a {type(tasks).__name__}", request_id=request_id)
    return tasks


def parse_tasks(data: Mapping[str, Any], action: str) -> tuple[RefreshTask, ...]:
    """Typed tasks of a DescribeRefreshTasks or DescribeRefreshTaskById answer."""
    request_id = str(data.get("RequestId") or "")
    items = _task_items(data, action, request_id)
    try:
        return tuple([_task(item) for item in items])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise _malformed(action, f"a task is malformed: {detail}", request_id=request_id) from None


def _int_field(data: Mapping[str, Any], name: str, action: str, default: int | None = None) -> int:
    value = data.get(name, default)
    if value is None:
        raise _malformed(action, f"{name} is missing", request_id=str(data.get("RequestId") or ""))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _malformed(
            action, f"{name} is {value!r}, not an integer", request_id=str(data.get("RequestId") or "")
        ) from None


def parse_page(data: Mapping[str, Any], action: str, page_number: int, page_size: int) -> RefreshTaskPage:
    """A DescribeRefreshTasks answer; PageNumber/PageSize default to what was asked for."""
    return RefreshTaskPage(
        tasks=parse_tasks(data, action),
        page_number=_int_field(data, "PageNumber", action, page_number),
        page_size=_int_field(data, "PageSize", action, page_size),
        total_count=_int_field(data, "TotalCount", action),
        request_id=str(data.get("RequestId") or ""),
    )


def parse_task_ids(data: Mapping[str, Any], field: str, action: str) -> list[str]:
    """``RefreshTaskId`` / ``PushTaskId``: comma-separated ids."""
    value = data.get(field)
    if value is None or isinstance(value, (dict, list, bool)):
        raise _malformed(action, f"{field} is missing", request_id=str(data.get("RequestId") or ""))
    return [part.strip() for part in str(value).split(",") if part.strip()]


_QUOTA_FIELDS: Final = {
    "UrlQuota": "url_quota",
    "UrlRemain": "url_remain",
    "DirQuota": "dir_quota",
    "DirRemain": "dir_remain",
    "RegexQuota": "regex_quota",
    "RegexRemain": "regex_remain",
    "PreloadQuota": "preload_quota",
    "PreloadRemain": "preload_remain",
}
_OPTIONAL_QUOTA_FIELDS: Final = {"BlockQuota": "block_quota", "BlockRemain": "block_remain"}


def parse_quota(data: Mapping[str, Any], action: str) -> RefreshQuota:
    """DescribeRefreshQuota: every number arrives as a string."""
    values = {attr: _int_field(data, name, action) for name, attr in _QUOTA_FIELDS.items()}
    for name, attr in _OPTIONAL_QUOTA_FIELDS.items():
        if data.get(name) not in (None, ""):
            values[attr] = _int_field(data, name, action)
    extra: dict[str, int] = {}
    for name, value in data.items():
        if name in _QUOTA_FIELDS or name in _OPTIONAL_QUOTA_FIELDS:
            continue
        if name.endswith(("Quota", "Remain")):
            try:
                extra[name] = int(value)
            except (TypeError, ValueError):
                continue
    return RefreshQuota(**values, request_id=str(data.get("RequestId") or ""), extra=extra)
