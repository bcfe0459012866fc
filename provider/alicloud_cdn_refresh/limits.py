"""The API's documented numbers: one source of truth for the client, the waiter and the emulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from .products import Action

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_NUMBER",
    "MAX_PAGE_SIZE",
    "MAX_PRELOAD_PATH_LENGTH",
    "MAX_PRELOAD_PATHS_PER_CALL",
    "MAX_REFRESH_PATHS_PER_CALL",
    "MAX_TASK_IDS_PER_CALL",
    "MAX_URLS_PER_TASK_ID",
    "QPS_LIMITS",
    "DAILY_QUOTAS",
    "QUERY_WINDOW",
    "TIMESTAMP_TOLERANCE",
]

DEFAULT_PAGE_SIZE: Final = 20
MAX_PAGE_SIZE: Final = 100
"""The 2018 reference page says 50; the current API and the official SDK accept up to 100."""
MAX_PAGE_NUMBER: Final = 100_000
MAX_TASK_IDS_PER_CALL: Final = 10
MAX_REFRESH_PATHS_PER_CALL: Final = 1_000
MAX_PRELOAD_PATHS_PER_CALL: Final = 100
MAX_PRELOAD_PATH_LENGTH: Final = 1_024
MAX_URLS_PER_TASK_ID: Final = 2_000

QUERY_WINDOW: Final = timedelta(days=3)
"""Only tasks of the last three days can be queried."""

TIMESTAMP_TOLERANCE: Final = timedelta(minutes=15)
"""How far a request's timestamp may be from the gateway's clock."""

QPS_LIMITS: Final[dict[str, float]] = {
    Action.DESCRIBE_REFRESH_TASKS: 5.0,
    Action.DESCRIBE_REFRESH_TASK_BY_ID: 30.0,
    Action.REFRESH_OBJECT_CACHES: 50.0,
    Action.PUSH_OBJECT_CACHE: 50.0,
    Action.DESCRIBE_REFRESH_QUOTA: 20.0,
}
"""Calls per second per account, as documented."""

DAILY_QUOTAS: Final[dict[str, int]] = {
    "url": 10_000,
    "dir": 100,
    "regex": 20,
    "preload": 1_000,
    "block": 100,
}
"""Default daily quotas of a new account (DescribeRefreshQuota reports the account's own)."""
