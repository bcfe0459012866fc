"""Read CDN refresh/preload status as typed stack outputs; nothing is created or changed.

``get_refresh_tasks_output`` is DescribeRefreshTasks as a data source: it runs in ``pulumi
preview`` too, and every page is gathered unless ``page_number`` is given. Only the last three
days of tasks can be queried.
"""

from __future__ import annotations

import pulumi

from alicloud_cdn_refresh import GetRefreshTasksResult, get_refresh_tasks_output

config = pulumi.Config()
paths: list[str] = config.get_object("paths") or ["https://www.example.com/index.html"]  # type: ignore[assignment]


def newest_status(result: GetRefreshTasksResult) -> str:
    """The status of the newest task of a path, or NotFound when it has none in the last 3 days."""
    if not result.tasks:
        return "NotFound"
    newest = max(result.tasks, key=lambda task: (task.creation_time, task.task_id))
    return f"{newest.status} {newest.process}%"


statuses = {path: get_refresh_tasks_output(object_path=path).apply(newest_status) for path in paths}
failed = get_refresh_tasks_output(object_type="file", status="Failed")

pulumi.export("statuses", statuses)
pulumi.export(
    "failed_last_3_days",
    failed.apply(lambda result: [f"{task.object_path}: {task.description}" for task in result.tasks]),
)
pulumi.export("failed_count", failed.apply(lambda result: result.total_count))
