"""Parameter checks done before any network call; each failure is an :class:`InvalidQuery` that
names the API parameter and says what is allowed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.checks import integer
from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.models import PreloadArea, RefreshObjectType
from alicloud_cdn_refresh.paths import check_paths, check_task_ids

__all__ = [
    "page_params",
    "preload_area",
    "refresh_object_type",
    "submit_paths",
    "task_ids",
    "with_header_json",
]

_REFRESH_TYPES = ", ".join(member.value for member in RefreshObjectType)
_AREAS = ", ".join(member.value for member in PreloadArea)


def page_params(page_number: object = None, page_size: object = None) -> dict[str, str]:
    """DescribeRefreshTasks' ``PageNumber`` and ``PageSize``, checked (absent when ``None``)."""
    params: dict[str, str] = {}
    if page_number is not None:
        params["PageNumber"] = str(integer("PageNumber", page_number, 1, limits.MAX_PAGE_NUMBER))
    if page_size is not None:
        params["PageSize"] = str(integer("PageSize", page_size, 1, limits.MAX_PAGE_SIZE))
    return params


def task_ids(values: Iterable[object] | str | int) -> list[str]:
    """Task ids (one, or any number), checked, duplicates removed, order kept."""
    return check_task_ids(values, parameter="TaskId", single=True)


def submit_paths(values: Iterable[str] | str, *, max_length: int | None = None) -> list[str]:
    """Object paths to refresh or preload: at least one, none empty, none with a tab or line break."""
    return check_paths(
        values, parameter="ObjectPath", single=True, strip=True, max_length=max_length, required=True
    )


def refresh_object_type(value: object) -> RefreshObjectType:
    """RefreshObjectCaches' ``ObjectType`` (File, Directory, Regex, ExQuery; any case)."""
    kind = RefreshObjectType(value.strip()) if isinstance(value, str) and value.strip() else None
    if kind is None or not kind.is_known:
        raise InvalidQuery("ObjectType", f"{value!r} is not supported; allowed: {_REFRESH_TYPES}")
    return kind


def preload_area(value: object) -> PreloadArea:
    """PushObjectCache's ``Area`` (domestic, overseas)."""
    area = PreloadArea(value.strip()) if isinstance(value, str) and value.strip() else None
    if area is None or not area.is_known:
        raise InvalidQuery("Area", f"{value!r} is not supported; allowed: {_AREAS}")
    return area


def with_header_json(value: object) -> str:
    """PushObjectCache's ``WithHeader``: a mapping of header names to values, as compact JSON."""
    mapping: Any = value
    if isinstance(value, str):
        try:
            mapping = json.loads(value)
        except ValueError:
            raise InvalidQuery(
                "WithHeader", "a string must be a JSON object of header names to values"
            ) from None
    if not isinstance(mapping, Mapping) or not all(isinstance(k, str) for k in mapping):
        raise InvalidQuery(
            "WithHeader", "expected a mapping of header names to values, such as {'Origin': 'x'}"
        )
    try:
        return json.dumps(dict(mapping), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidQuery("WithHeader", f"is not JSON-serialisable: {exc}") from None
