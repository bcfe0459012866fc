"""Which input changes replace a resource (wait or submit again) and which only update it.

The two tables per resource are the whole policy; :func:`diff_inputs` applies them to wire-shaped
maps (camelCase keys). A value not known yet (preview) always counts as a change. Numbers come
back from state as floats (``30.0`` equals ``30``) and the order of paths or task ids is not a
change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from alicloud_cdn_refresh.products import DEFAULT_PRODUCT

from .identity import IDENTITY_INPUTS
from .inputs import is_unknown

__all__ = [
    "CACHE_REFRESH_REPLACES",
    "CACHE_REFRESH_UPDATES",
    "REFRESH_WAIT_REPLACES",
    "REFRESH_WAIT_UPDATES",
    "DiffOutcome",
    "diff_cache_refresh",
    "diff_inputs",
    "diff_refresh_wait",
]

REFRESH_WAIT_REPLACES: Final = ("objectPaths", "taskIds", "since", "triggers", "product")
"""RefreshWait inputs whose change waits again (a new resource): what is waited for. A new ``since``
names a new submission (the pipeline's time of submit), so it waits again like new task ids; another
``product`` names other tasks altogether."""
REFRESH_WAIT_UPDATES: Final = ("timeoutSeconds", "failOnFailed", *IDENTITY_INPUTS)
"""RefreshWait inputs whose change updates in place: nothing is waited for again unless the stored
tasks are not all Complete (see ``operations.update_refresh_wait``)."""

CACHE_REFRESH_REPLACES: Final = (
    "objectPaths",
    "operation",
    "objectType",
    "force",
    "area",
    "cacheTags",
    "domainName",
    "triggers",
    "product",
)
"""CacheRefresh inputs whose change submits again (what is submitted and where, or ``triggers``)."""
CACHE_REFRESH_UPDATES: Final = ("wait", "timeoutSeconds", "failOnFailed", *IDENTITY_INPUTS)
"""CacheRefresh inputs whose change updates in place (nothing is submitted again)."""


@dataclass(frozen=True)
class DiffOutcome:
    """What changed: ``replaces`` and ``updates`` name the changed inputs (wire names)."""

    changes: bool
    replaces: list[str]
    updates: list[str]
    delete_before_replace: bool = False


def _normalized(key: str, value: Any) -> Any:
    if key == "product":  # state written before ``product`` existed was CDN's
        return str(value or DEFAULT_PRODUCT).lower()
    if key in ("objectPaths", "taskIds", "cacheTags") and isinstance(value, list):
        return sorted({str(item) for item in value})
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def diff_inputs(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    replace_keys: Iterable[str],
    update_keys: Iterable[str],
) -> DiffOutcome:
    """Compare the old state with the new inputs on the given keys."""

    def changed(key: str) -> bool:
        new = news.get(key)
        if is_unknown(new):
            return True
        return bool(_normalized(key, olds.get(key)) != _normalized(key, new))

    replaces = [key for key in replace_keys if changed(key)]
    updates = [key for key in update_keys if changed(key)]
    return DiffOutcome(changes=bool(replaces or updates), replaces=replaces, updates=updates)


def diff_refresh_wait(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffOutcome:
    """RefreshWait: new paths, task ids, since, product or triggers wait again; the rest update."""
    return diff_inputs(olds, news, replace_keys=REFRESH_WAIT_REPLACES, update_keys=REFRESH_WAIT_UPDATES)


def diff_cache_refresh(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffOutcome:
    """CacheRefresh: what is submitted (paths or tags, operation, type, force, area, product, triggers)
    submits again; the rest update."""
    return diff_inputs(olds, news, replace_keys=CACHE_REFRESH_REPLACES, update_keys=CACHE_REFRESH_UPDATES)
