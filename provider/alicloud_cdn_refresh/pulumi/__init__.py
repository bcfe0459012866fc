"""The Pulumi faces: the dynamic resources, the data source and the types they share.

Importing this part imports Pulumi; nothing below it (models, client, waiter, emulator) does.
"""

from __future__ import annotations

from typing import Any

from .data_source import (
    AwaitableGetRefreshTasksResult,
    GetRefreshTasksResult,
    get_refresh_tasks,
    get_refresh_tasks_output,
)
from .types import RefreshTaskResult

__all__ = [
    "AwaitableGetRefreshTasksResult",
    "CacheRefresh",
    "GetRefreshTasksResult",
    "RefreshTaskResult",
    "RefreshWait",
    "get_refresh_tasks",
    "get_refresh_tasks_output",
]


def __getattr__(name: str) -> Any:
    # the resources still live in the module their providers' state paths name (temporary)
    if name in ("CacheRefresh", "RefreshWait"):
        from alicloud_cdn_refresh import pulumi_resources

        return getattr(pulumi_resources, name)
    raise AttributeError(name)
