"""What identifies the API: its version, endpoint and action names (the CDN product)."""

from __future__ import annotations

from typing import Final

__all__ = ["API_VERSION", "DEFAULT_ENDPOINT", "HOST_ID", "SUBMIT_ACTIONS", "Action"]

API_VERSION: Final = "2018-05-10"
"""The CDN API version every request names."""
DEFAULT_ENDPOINT: Final = "https://cdn.aliyuncs.com"
"""The public endpoint used when none is configured."""
HOST_ID: Final = "cdn.aliyuncs.com"
"""The ``HostId`` of the service's error answers."""


class Action:
    """Names of the API actions this package speaks."""

    DESCRIBE_REFRESH_TASKS: Final = "DescribeRefreshTasks"
    DESCRIBE_REFRESH_TASK_BY_ID: Final = "DescribeRefreshTaskById"
    REFRESH_OBJECT_CACHES: Final = "RefreshObjectCaches"
    PUSH_OBJECT_CACHE: Final = "PushObjectCache"
    DESCRIBE_REFRESH_QUOTA: Final = "DescribeRefreshQuota"
    REFRESH_OBJECT_CACHE_BY_CACHE_TAG: Final = "RefreshObjectCacheByCacheTag"
    DESCRIBE_PRELOAD_DETAIL_BY_ID: Final = "DescribePreloadDetailById"


SUBMIT_ACTIONS: Final = frozenset(
    {Action.REFRESH_OBJECT_CACHES, Action.PUSH_OBJECT_CACHE, Action.REFRESH_OBJECT_CACHE_BY_CACHE_TAG}
)
"""The actions that change something (purge or preload): never resent after an answer that may mean
they were accepted (see :func:`~alicloud_cdn_refresh.error_codes.is_retryable_submit`)."""
