"""What identifies the API: its version, endpoint and action names (the CDN product)."""

from __future__ import annotations

from typing import Final

__all__ = ["API_VERSION", "DEFAULT_ENDPOINT", "HOST_ID", "Action"]

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
