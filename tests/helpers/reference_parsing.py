"""A plain, slow reading of one API task object: the reference the client's fast parser is held to."""

from __future__ import annotations

from typing import Any

from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus, parse_api_time, parse_process


def task_from_api(item: dict[str, Any]) -> RefreshTask:
    """One element of ``Tasks.CDNTask`` (or of ById's flat ``Tasks``) as a RefreshTask."""
    return RefreshTask(
        task_id=str(item["TaskId"]),
        object_path=str(item["ObjectPath"]),
        status=TaskStatus(str(item["Status"])),
        process=parse_process(item.get("Process")),
        object_type=ObjectType(str(item.get("ObjectType") or "file")),
        creation_time=parse_api_time(str(item["CreationTime"])),
        description=str(item.get("Description") or ""),
    )
