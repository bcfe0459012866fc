"""The home stack state gives the dynamic providers: never move or rename this module.

Stacks deployed with v0.1.0 (and every stack since) store
``alicloud_cdn_refresh.pulumi_resources.RefreshWaitProvider`` and ``.CacheRefreshProvider`` by
reference in their state. The classes live in :mod:`alicloud_cdn_refresh.pulumi.dynamic_providers`
and declare this module as theirs, so pickling and unpickling both go through the names below.
v0.1.0 also defined the resources and a few constants here; they are re-exported for programs that
import them from this module.
"""

from __future__ import annotations

from .pulumi.dynamic_providers import CacheRefreshProvider, RefreshWaitProvider
from .pulumi.inputs import CACHE_REFRESH_ENUMS, DEFAULT_TIMEOUT_SECONDS, OPERATIONS
from .pulumi.resources import PULUMI_MODULE, CacheRefresh, RefreshWait

__all__ = [
    "CACHE_REFRESH_ENUMS",
    "DEFAULT_TIMEOUT_SECONDS",
    "OPERATIONS",
    "PULUMI_MODULE",
    "CacheRefresh",
    "CacheRefreshProvider",
    "RefreshWait",
    "RefreshWaitProvider",
]
