"""The Pulumi faces: the dynamic resources, the data source and the types they share.

Importing this part imports Pulumi; nothing below it (models, client, waiter, emulator) does.
What each resource does is :mod:`.operations` (with :mod:`.inputs`, :mod:`.diffs` and
:mod:`.progress`), written once for every face; the dynamic providers (:mod:`.dynamic_providers`)
are named in stack state by their stable home ``alicloud_cdn_refresh.pulumi_resources``.
"""

from __future__ import annotations

from .data_source import (
    AwaitableGetRefreshTasksResult,
    GetRefreshTasksResult,
    get_refresh_tasks,
    get_refresh_tasks_output,
)
from .resources import CacheRefresh, RefreshWait
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
