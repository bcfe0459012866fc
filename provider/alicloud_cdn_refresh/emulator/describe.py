"""The emulator's read handlers: the listing, by id, the quota and the preload detail, per product.

Each is ``handler(service, params, identity) -> body``; the product's table (``service.product``)
gives the answer's shape (``Tasks.CDNTask`` or ``Tasks.Task``, the quota fields) and the limits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.models import (
    PRELOAD_SUCCESS_DESCRIPTION,
    ObjectType,
    TaskStatus,
    format_api_time,
    format_process,
    parse_api_time,
)
from alicloud_cdn_refresh.query import TaskFilter

from .auth import Identity
from .params import Params, get, parse_int
from .records import TaskRecord
from .request import EmulatorError, missing_parameter
from .service import ProductService

__all__ = [
    "describe_preload_detail_by_id",
    "describe_refresh_quota",
    "describe_refresh_task_by_id",
    "describe_refresh_tasks",
]

_START_TIME_GRACE = timedelta(minutes=1)
"""A StartTime this little older than the 3-day window is still accepted (clock skew)."""
_RETCODE_FAILED = "1"
"""DescribePreloadDetailById's RetCode of a failed task (the reference documents only ``0``)."""


# --- DescribeRefreshTasks / DescribeDcdnRefreshTasks --------------------------------------------


def describe_refresh_tasks(service: ProductService, params: Params, identity: Identity) -> dict[str, Any]:
    """One page of the product's tasks, newest first."""
    table = service.limits
    task_id = get(params, "TaskId")
    if task_id is not None and not task_id.isdigit():
        raise EmulatorError("InvalidTaskId.Malformed")
    object_path = get(params, "ObjectPath")
    if object_path is not None and any(c in object_path for c in "\r\n\t"):
        raise EmulatorError("InvalidObjectPath.Malformed")
    object_type = _query_object_type(get(params, "ObjectType"))
    status = get(params, "Status")
    if status is not None:
        known = {s.value.lower(): s.value for s in TaskStatus.queryable()}
        if status.lower() not in known:
            raise EmulatorError(
                "InvalidStatus.ValueNotSupported",
                "Specified Status is not supported: use Complete, Refreshing or Failed.",
            )
        status = known[status.lower()]
    domain = get(params, "DomainName")
    if (domain is not None or status is not None) and object_type is None:
        raise EmulatorError("MissingParameter.ObjectType")
    start, end = _time_range(service, get(params, "StartTime"), get(params, "EndTime"))
    page_number = parse_int(
        params, "PageNumber", 1, 1, table.max_page_number, "InvalidPageNumber.ValueNotSupported"
    )
    page_size = parse_int(
        params,
        "PageSize",
        table.default_page_size,
        1,
        table.max_page_size,
        "InvalidPageSize.ValueNotSupported",
    )
    # A parameter the product's action does not take (DCDN: ResourceGroupId) is ignored, as the
    # gateway ignores parameters an action does not declare.
    group = (
        get(params, "ResourceGroupId") if "resource_group_id" in service.product.describe_filters else None
    )
    query = TaskFilter(
        task_id=task_id,
        object_path=object_path,
        domain_name=domain,
        object_type=object_type,
        status=None if status is None else TaskStatus(status),
        start_time=start,
        end_time=end,
        resource_group_id=group,
    )
    tasks, total = service.store.query(query, page_number, page_size)
    return {
        "Tasks": {service.product.responses.task_list: tasks},
        "PageNumber": page_number,
        "PageSize": page_size,
        "TotalCount": total,
    }


def _query_object_type(value: str | None) -> ObjectType | None:
    if value is None:
        return None
    kind = ObjectType(value)
    if not kind.is_known:
        allowed = ", ".join(member.value for member in ObjectType)
        raise EmulatorError(
            "InvalidObjectType.ValueNotSupported",
            f"Specified ObjectType is not supported: use one of {allowed} (or path).",
        )
    return kind


def _time_range(
    service: ProductService, start: str | None, end: str | None
) -> tuple[datetime | None, datetime | None]:
    if start is None and end is None:
        return None, None
    if start is None or end is None:
        raise EmulatorError("MissingTimeParameter")
    try:
        begin = parse_api_time(start)
    except ValueError:
        raise EmulatorError(
            "InvalidStartTime.Malformed", "Specified StartTime is malformed: use yyyy-MM-ddTHH:mm:ssZ."
        ) from None
    try:
        finish = parse_api_time(end)
    except ValueError:
        raise EmulatorError(
            "InvalidEndTime.Malformed", "Specified EndTime is malformed: use yyyy-MM-ddTHH:mm:ssZ."
        ) from None
    if finish <= begin:
        raise EmulatorError("InvalidEndTime.Mismatch")
    if begin < service.clock.now() - limits.QUERY_WINDOW - _START_TIME_GRACE:
        raise EmulatorError("InvalidStartTime.ValueNotSupported")
    return begin, finish


# --- DescribeRefreshTaskById / DescribeDcdnRefreshTaskById --------------------------------------


def describe_refresh_task_by_id(
    service: ProductService, params: Params, identity: Identity
) -> dict[str, Any]:
    """Every visible row of up to 10 ids, as a flat ``Tasks`` list (both products)."""
    value = get(params, "TaskId")
    if value is None:
        raise missing_parameter("TaskId")
    ids = [item.strip() for item in value.split(",")]
    most = service.limits.task_ids_per_call
    if len(ids) > most:
        raise EmulatorError(
            "InvalidTaskId.Malformed",
            f"Specified TaskId is malformed: at most {most} ids, comma-separated.",
        )
    if not all(item.isdigit() for item in ids):
        raise EmulatorError("InvalidTaskId.Malformed")
    tasks = service.store.by_ids(dict.fromkeys(ids))
    return {"Tasks": tasks, "TotalCount": len(tasks)}


# --- DescribeRefreshQuota / DescribeDcdnRefreshQuota ------------------------------------------


def describe_refresh_quota(service: ProductService, params: Params, identity: Identity) -> dict[str, Any]:
    """Today's quotas as strings, in the product's fields (DCDN has no PreloadEdge ones)."""
    report = service.quotas.report()
    body: dict[str, Any] = {}
    for kind, prefix in service.product.responses.quota_fields.items():
        if kind in report:
            quota, remain = report[kind]
            body[f"{prefix}Quota"] = str(quota)
            body[f"{prefix}Remain"] = str(remain)
    return body


# --- DescribePreloadDetailById (CDN only) -----------------------------------------------------


def describe_preload_detail_by_id(
    service: ProductService, params: Params, identity: Identity
) -> dict[str, Any]:
    """The per-URL progress of one preload task."""
    if not service.preload_detail_allowed:
        raise EmulatorError(
            "OperationDenied",
            "Your account is not allowed to call DescribePreloadDetailById (a whitelist applies).",
        )
    task_id = get(params, "TaskId")
    if task_id is None:
        raise missing_parameter("TaskId")
    if not task_id.strip().isdigit():
        raise EmulatorError(
            "InvalidTaskId.Malformed", "Specified TaskId is malformed: give one task id (digits)."
        )
    rows = [
        (record, state)
        for record, state in service.store.rows_of(task_id.strip())
        if record.object_type is ObjectType.PRELOAD
    ]
    if not rows:
        return {"TotalCount": 0, "UrlDetails": []}
    return {"TotalCount": 1, "UrlDetails": [_preload_detail(task_id.strip(), rows)]}


def _preload_detail(task_id: str, rows: list[tuple[TaskRecord, tuple[str, float, str]]]) -> dict[str, Any]:
    statuses = [state[0] for _, state in rows]
    if TaskStatus.FAILED.value in statuses:
        status = TaskStatus.FAILED.value
    elif all(s == TaskStatus.COMPLETE.value for s in statuses):
        status = TaskStatus.COMPLETE.value
    else:
        status = TaskStatus.REFRESHING.value
    done = status in (TaskStatus.COMPLETE.value, TaskStatus.FAILED.value)
    average = sum(state[1] for _, state in rows) / len(rows)
    first = rows[0][0]
    ended = max(record.created + timedelta(seconds=record.duration) for record, _ in rows)
    urls = []
    for record, (row_status, process, description) in rows:
        if row_status == TaskStatus.COMPLETE.value:
            text = PRELOAD_SUCCESS_DESCRIPTION
        elif row_status == TaskStatus.FAILED.value:
            text = description
        else:
            text = ""
        urls.append(
            {
                "Url": record.object_path,
                "Success": format_process(int(process), process),
                "Description": text,
            }
        )
    return {
        "TaskId": task_id,
        "Domain": first.domain,
        "CreationTime": format_api_time(first.created),
        "EndTime": format_api_time(ended) if done else "",
        "Process": format_process(int(average), round(average, 2)),
        "RetCode": _RETCODE_FAILED if status == TaskStatus.FAILED.value else "0",
        "Status": status,
        "Urls": urls,
    }
