"""Turning the API's JSON answers into typed values, fast, and into :class:`ApiError` when wrong.

Anything unexpected in a body (not JSON, a field missing, a wrong type) becomes an ``ApiError``
with code ``MalformedResponse``; no ``KeyError``/``TypeError`` reaches the caller. This is the hot
path of every poll (100 tasks a page), so the per-task work is a handful of dict look-ups.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any, Final

from alicloud_cdn_refresh.errors import ApiError
from alicloud_cdn_refresh.models import (
    ObjectType,
    PreloadDetail,
    PreloadDetailResult,
    PreloadUrlDetail,
    RefreshQuota,
    RefreshTask,
    RefreshTaskPage,
    TaskStatus,
    parse_api_time,
    parse_process_exact,
)

__all__ = [
    "DEFAULT_TASK_LIST",
    "MALFORMED",
    "error_from_body",
    "load_json",
    "parse_page",
    "parse_preload_detail",
    "parse_quota",
    "parse_task_ids",
    "parse_tasks",
]

MALFORMED: Final = "MalformedResponse"
DEFAULT_TASK_LIST: Final = "CDNTask"
"""CDN's key of the listing's tasks (a product's own: ``Product.responses.task_list``)."""

_fromiso = datetime.fromisoformat
_STATUS: Final[dict[str, TaskStatus]] = {member.value: member for member in TaskStatus}
_TYPES: Final[dict[str, ObjectType]] = {member.value: member for member in ObjectType}
_PERCENT: Final[dict[Any, int]] = {f"{n}%": n for n in range(101)}


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


def _slot_setters() -> tuple[Any, ...] | None:
    """Setters of RefreshTask's slots in field order, to build tasks without the frozen ``__init__``.

    A frozen dataclass assigns each field through ``object.__setattr__``; setting the slots directly
    gives the same object in half the time, which matters at 100 tasks a page. ``None`` (use the
    constructor) if RefreshTask ever stops being a slotted dataclass of exactly these fields.
    """
    names = (
        "task_id",
        "object_path",
        "status",
        "process",
        "object_type",
        "creation_time",
        "description",
        "process_exact",
    )
    if tuple(f.name for f in fields(RefreshTask)) != names:
        return None
    setters = []
    for name in names:
        descriptor: Any = RefreshTask.__dict__.get(name)
        if type(descriptor).__name__ != "member_descriptor":
            return None
        setters.append(descriptor.__set__)
    return tuple(setters)


_SETTERS = _slot_setters()
_new = object.__new__


def _tasks(items: list[Any]) -> tuple[RefreshTask, ...]:
    """Typed tasks of raw task objects; one loop with every look-up bound locally (hot path)."""
    status_of, type_of, percent_of, fromiso, new = _STATUS.get, _TYPES.get, _PERCENT.get, _fromiso, _new
    fast = _SETTERS is not None
    set_id, set_path, set_status, set_process, set_type, set_time, set_description, set_exact = (
        _SETTERS or (None,) * 8
    )
    tasks: list[RefreshTask] = []
    append = tasks.append
    for item in items:
        created = item["CreationTime"]
        # The API's yyyy-MM-ddTHH:mm:ssZ, checked by shape (cheaper than a regex), then by
        # fromisoformat, which rejects non-ASCII digits and out-of-range fields.
        if not (
            type(created) is str
            and len(created) == 20
            and created[19] == "Z"
            and created[10] == "T"
            and created[4] == "-"
            and created[7] == "-"
            and created[13] == ":"
            and created[16] == ":"
        ):
            raise ValueError(f"CreationTime {created!r} is not yyyy-MM-ddTHH:mm:ssZ")
        task_id = item["TaskId"]
        path = item["ObjectPath"]
        if task_id is None or path is None:
            raise ValueError("TaskId or ObjectPath is null")
        status = item["Status"]
        kind = item.get("ObjectType") or "file"
        process = item.get("Process")
        percent = percent_of(process)
        task_id = task_id if type(task_id) is str else str(task_id)
        path = path if type(path) is str else str(path)
        task_status = status_of(status) or TaskStatus(str(status))
        exact = None
        if percent is None:
            # "99.37%" (fractional progress) or an odd spelling: kept exactly, the int rounded down
            value = parse_process_exact(process)
            percent = int(value)
            if value != percent:
                exact = value
        object_type = type_of(kind) or ObjectType(str(kind))
        creation_time = fromiso(created[:-1] + "+00:00")
        description = item.get("Description") or ""
        if fast:
            task = new(RefreshTask)
            set_id(task, task_id)
            set_path(task, path)
            set_status(task, task_status)
            set_process(task, percent)
            set_type(task, object_type)
            set_time(task, creation_time)
            set_description(task, description)
            set_exact(task, exact)
        else:
            task = RefreshTask(
                task_id, path, task_status, percent, object_type, creation_time, description, exact
            )
        append(task)
    return tuple(tasks)


def _task_items(data: Mapping[str, Any], action: str, request_id: str, list_key: str) -> list[Any]:
    """The task list under ``Tasks.<list_key>`` (a listing: ``CDNTask`` for CDN, ``Task`` for DCDN)
    or a flat ``Tasks`` (by id).

    ``Tasks`` holding another key than ``list_key`` is ``MalformedResponse``, never an empty page:
    a CDN client reading a DCDN answer (``Tasks.Task``) must not conclude that no task exists.
    """
    tasks = data.get("Tasks")
    if isinstance(tasks, dict):
        if "TaskId" in tasks:  # a single task where a list was expected
            return [tasks]
        if tasks and list_key not in tasks:
            found = ", ".join(sorted(map(str, tasks)))
            raise _malformed(
                action,
                f"Tasks holds {found}, not {list_key} (another product's answer?)",
                request_id=request_id,
            )
        tasks = tasks.get(list_key)
        if isinstance(tasks, dict):
            tasks = [tasks]
    if tasks is None or tasks == "" or tasks == {}:
        return []
    if not isinstance(tasks, list):
        raise _malformed(action, f"Tasks is a {type(tasks).__name__}", request_id=request_id)
    return tasks


def parse_tasks(
    data: Mapping[str, Any], action: str, *, list_key: str = DEFAULT_TASK_LIST
) -> tuple[RefreshTask, ...]:
    """Typed tasks of a listing (its tasks under ``Tasks.<list_key>``) or of a by-id answer."""
    request_id = str(data.get("RequestId") or "")
    items = _task_items(data, action, request_id, list_key)
    try:
        return _tasks(items)
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


def parse_page(
    data: Mapping[str, Any],
    action: str,
    page_number: int,
    page_size: int,
    *,
    list_key: str = DEFAULT_TASK_LIST,
) -> RefreshTaskPage:
    """A listing's answer (DescribeRefreshTasks, DescribeDcdnRefreshTasks); PageNumber/PageSize
    default to what was asked for."""
    return RefreshTaskPage(
        tasks=parse_tasks(data, action, list_key=list_key),
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


def _optional_time(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"a time is {type(value).__name__}")
    return parse_api_time(value)


def _preload_detail(item: Mapping[str, Any]) -> PreloadDetail:
    urls = item.get("Urls") or []
    if isinstance(urls, dict):  # the XML-to-JSON shape of a list: {"Url": [...]}
        urls = next(iter(urls.values()), [])
    if not isinstance(urls, list):
        raise ValueError(f"Urls is a {type(urls).__name__}")
    exact = parse_process_exact(item.get("Process"))
    status = item.get("Status") or ""
    return PreloadDetail(
        task_id=str(item["TaskId"]),
        domain=str(item.get("Domain") or ""),
        status=_STATUS.get(status) or TaskStatus(str(status)),
        process=int(exact),
        creation_time=_optional_time(item.get("CreationTime")),
        end_time=_optional_time(item.get("EndTime")),
        ret_code=str(item.get("RetCode") if item.get("RetCode") is not None else ""),
        urls=tuple(
            PreloadUrlDetail(
                url=str(entry["Url"]),
                success=str(entry.get("Success") or ""),
                description=str(entry.get("Description") or ""),
            )
            for entry in urls
        ),
        process_exact=None if exact == int(exact) else exact,
    )


def parse_preload_detail(data: Mapping[str, Any], action: str) -> PreloadDetailResult:
    """DescribePreloadDetailById: ``UrlDetails`` (one entry per task) with each URL's progress."""
    request_id = str(data.get("RequestId") or "")
    items = data.get("UrlDetails")
    if isinstance(items, dict):
        items = next(iter(items.values()), [])
    if items is None or items == "":
        items = []
    if not isinstance(items, list):
        raise _malformed(action, f"UrlDetails is a {type(items).__name__}", request_id=request_id)
    try:
        details = tuple(_preload_detail(item) for item in items)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise _malformed(action, f"a preload detail is malformed: {detail}", request_id=request_id) from None
    return PreloadDetailResult(
        details=details,
        total_count=_int_field(data, "TotalCount", action, len(details)),
        request_id=request_id,
    )
