"""Where v0.1.0 kept the data source; its names now live in :mod:`alicloud_cdn_refresh.pulumi`."""

from __future__ import annotations

from .pulumi.data_source import (
    AwaitableGetRefreshTasksResult,
    GetRefreshTasksResult,
    get_refresh_tasks,
    get_refresh_tasks_output,
)
from .pulumi.types import RefreshTaskResult

__all__ = [
    "AwaitableGetRefreshTasksResult",
    "GetRefreshTasksResult",
    "RefreshTaskResult",
    "get_refresh_tasks",
    "get_refresh_tasks_output",
]
