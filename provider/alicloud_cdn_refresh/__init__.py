"""Alibaba Cloud CDN refresh/preload status for Pulumi, the CLI and Python.

Every name here is loaded on first use (PEP 562 ``__getattr__``): importing the package, as
``python -m alicloud_cdn_refresh.cli`` does, costs nothing, the client and the CLI never pay
Pulumi's import cost, and ``cdn-refresh --help`` loads neither the error catalogue nor the models.
``__version__`` is the installed distribution's version.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client.cdn_client import CdnClient
    from .credentials import Credentials
    from .errors import (
        AcceptedBatch,
        ApiError,
        CdnError,
        CredentialsError,
        InsufficientQuota,
        InvalidQuery,
        PartialSubmit,
        PendingPath,
        RefreshFailed,
        TaskNotFound,
        WaitCancelled,
        WaitTimeout,
    )
    from .models import (
        ObjectType,
        PreloadArea,
        PreloadDetail,
        PreloadDetailResult,
        PreloadUrlDetail,
        RefreshObjectType,
        RefreshQuota,
        RefreshTask,
        RefreshTaskPage,
        TaskStatus,
    )
    from .pulumi.data_source import GetRefreshTasksResult, get_refresh_tasks, get_refresh_tasks_output
    from .pulumi.resources import CacheRefresh, RefreshWait
    from .waiter.loop import WaitProgress, wait_for_refresh

__all__ = [
    "AcceptedBatch",
    "ApiError",
    "CacheRefresh",
    "CdnClient",
    "CdnError",
    "Credentials",
    "CredentialsError",
    "GetRefreshTasksResult",
    "InsufficientQuota",
    "InvalidQuery",
    "ObjectType",
    "PartialSubmit",
    "PendingPath",
    "PreloadArea",
    "PreloadDetail",
    "PreloadDetailResult",
    "PreloadUrlDetail",
    "RefreshFailed",
    "RefreshObjectType",
    "RefreshQuota",
    "RefreshTask",
    "RefreshTaskPage",
    "RefreshWait",
    "TaskNotFound",
    "TaskStatus",
    "WaitCancelled",
    "WaitProgress",
    "WaitTimeout",
    "get_refresh_tasks",
    "get_refresh_tasks_output",
    "wait_for_refresh",
]

_ERRORS = (
    "AcceptedBatch",
    "ApiError",
    "CdnError",
    "CredentialsError",
    "InsufficientQuota",
    "InvalidQuery",
    "PartialSubmit",
    "PendingPath",
    "RefreshFailed",
    "TaskNotFound",
    "WaitCancelled",
    "WaitTimeout",
)
_MODELS = (
    "ObjectType",
    "PreloadArea",
    "PreloadDetail",
    "PreloadDetailResult",
    "PreloadUrlDetail",
    "RefreshObjectType",
    "RefreshQuota",
    "RefreshTask",
    "RefreshTaskPage",
    "TaskStatus",
)

_LAZY = {
    **dict.fromkeys(_ERRORS, ".errors"),
    **dict.fromkeys(_MODELS, ".models"),
    "Credentials": ".credentials",
    "CdnClient": ".client",
    "wait_for_refresh": ".waiter",
    "WaitProgress": ".waiter",
    "get_refresh_tasks": ".pulumi",
    "get_refresh_tasks_output": ".pulumi",
    "GetRefreshTasksResult": ".pulumi",
    "RefreshWait": ".pulumi",
    "CacheRefresh": ".pulumi",
}
"""Each name of ``__all__`` and the module it is loaded from."""

_ONCE_IMPORTED = frozenset(
    {"errors", "base_errors", "error_codes", "submit_outcomes", "wait_outcomes", "models", "quota"}
)
"""The modules that importing the package used to load (its names were imported eagerly): still
reachable as attributes of the package (``alicloud_cdn_refresh.errors``) without an import."""


def _version() -> str:
    """The installed distribution's version (``cdn-refresh --version`` shows the same)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pulumi-alicloud-cdn-refresh")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the package metadata on first use, not at import
        value: str = _version()
        globals()[name] = value
        return value
    if name in _ONCE_IMPORTED:
        return importlib.import_module(f".{name}", __name__)  # the import sets it as an attribute
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
