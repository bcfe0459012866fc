"""The API's action names, per product: CDN (2018-05-10) and DCDN (2018-01-15).

Names only: :mod:`.limits` keys its rows by them and :mod:`.products` maps each product's logical
operations onto them (``products.py`` imports the limits table, so the names live below both).
"""

from __future__ import annotations

from typing import Final

__all__ = ["Action", "DcdnAction"]


class Action:
    """Names of the CDN API actions this package speaks."""

    DESCRIBE_REFRESH_TASKS: Final = "DescribeRefreshTasks"
    DESCRIBE_REFRESH_TASK_BY_ID: Final = "DescribeRefreshTaskById"
    REFRESH_OBJECT_CACHES: Final = "RefreshObjectCaches"
    PUSH_OBJECT_CACHE: Final = "PushObjectCache"
    DESCRIBE_REFRESH_QUOTA: Final = "DescribeRefreshQuota"
    REFRESH_OBJECT_CACHE_BY_CACHE_TAG: Final = "RefreshObjectCacheByCacheTag"
    DESCRIBE_PRELOAD_DETAIL_BY_ID: Final = "DescribePreloadDetailById"


class DcdnAction:
    """Names of the DCDN API actions this package speaks (the SDK ``alibabacloud-dcdn20180115``).

    DCDN has no counterpart of CDN's ``DescribePreloadDetailById``.
    """

    DESCRIBE_REFRESH_TASKS: Final = "DescribeDcdnRefreshTasks"
    DESCRIBE_REFRESH_TASK_BY_ID: Final = "DescribeDcdnRefreshTaskById"
    REFRESH_OBJECT_CACHES: Final = "RefreshDcdnObjectCaches"
    PRELOAD_OBJECT_CACHES: Final = "PreloadDcdnObjectCaches"
    DESCRIBE_REFRESH_QUOTA: Final = "DescribeDcdnRefreshQuota"
    REFRESH_OBJECT_CACHE_BY_CACHE_TAG: Final = "RefreshDcdnObjectCacheByCacheTag"
