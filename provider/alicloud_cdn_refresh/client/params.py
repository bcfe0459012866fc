"""Parameter checks done before any network call; each failure is an :class:`InvalidQuery` that
names the API parameter and says what is allowed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.checks import CONTROL_CHARACTERS, documented, integer, text
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.models import QUOTA_FIELDS, PreloadArea, RefreshObjectType
from alicloud_cdn_refresh.paths import check_directories, check_paths, check_task_ids
from alicloud_cdn_refresh.products import Operation, Product
from alicloud_cdn_refresh.query import FILTER_FIELDS, TaskFilter

__all__ = [
    "cache_tags",
    "domain_name",
    "flag",
    "needed_count",
    "optional_flag",
    "page_params",
    "patience",
    "preload_area",
    "preload_params",
    "quota_kind",
    "refresh_object_type",
    "refresh_paths",
    "refresh_type_of",
    "signature_version",
    "single_task_id",
    "submit_paths",
    "task_filter",
    "task_ids",
    "timeout_seconds",
    "wire_flag",
    "with_header_json",
]

_REFRESH_TYPES = ", ".join(member.value for member in RefreshObjectType)
_AREAS = ", ".join(member.value for member in PreloadArea)


def page_params(
    page_number: object = None, page_size: object = None, *, table: limits.ProductLimits = limits.CDN_LIMITS
) -> dict[str, str]:
    """The listing's ``PageNumber`` and ``PageSize``, checked against a product's ``table`` (DCDN's
    PageSize stops at 50, CDN's at 100); absent when ``None``."""
    params: dict[str, str] = {}
    if page_number is not None:
        params["PageNumber"] = str(integer("PageNumber", page_number, 1, table.max_page_number))
    if page_size is not None:
        params["PageSize"] = str(integer("PageSize", page_size, 1, table.max_page_size))
    return params


def task_ids(values: Iterable[object] | str | int) -> list[str]:
    """Task ids (one, or any number), checked, duplicates removed, order kept."""
    return check_task_ids(values, parameter="TaskId", single=True)


def submit_paths(values: Iterable[str] | str, *, max_length: int | None = None) -> list[str]:
    """Object paths to refresh or preload: at least one, none empty, none with a tab or line break."""
    return check_paths(
        values, parameter="ObjectPath", single=True, strip=True, max_length=max_length, required=True
    )


def refresh_paths(values: Iterable[str] | str, kind: RefreshObjectType) -> list[str]:
    """RefreshObjectCaches' object paths of type ``kind``: as :func:`submit_paths`, and each path of a
    ``Directory`` refresh ends with ``/`` (the service refuses one that does not)."""
    items = submit_paths(values)
    if kind is RefreshObjectType.DIRECTORY:
        check_directories(items, parameter="ObjectPath")
    return items


def single_task_id(value: object) -> str:
    """One task id (a digit string or an integer)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidQuery("TaskId", f"expected one task id (digits, such as 704225667), got {value!r}")
    (task_id,) = check_task_ids(value, parameter="TaskId", single=True)
    return task_id


def flag(parameter: str, value: object) -> bool:
    """A boolean argument (``force``, ``l2_preload``): ``True`` or ``False``, never a truthy string
    (``force="no"`` would purge with Force)."""
    if not isinstance(value, bool):
        raise InvalidQuery(parameter, f"expected True or False, got {value!r}")
    return value


def signature_version(value: object) -> str:
    """``CdnClient(signature_version=)``: ``"v3"`` or ``"v1"`` (any case)."""
    if not isinstance(value, str):
        raise InvalidQuery("signature_version", f"expected 'v3' or 'v1', got {value!r}")
    return value


def timeout_seconds(value: object) -> float:
    """``CdnClient(timeout=)``: seconds one request may take, a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidQuery("timeout", f"expected a number of seconds such as 10, got {value!r}")
    if not 0 < value < float("inf"):
        raise InvalidQuery("timeout", f"{value!r} must be > 0 seconds (and finite)")
    return float(value)


def wire_flag(parameter: str, value: object) -> str:
    """A boolean argument checked as :func:`flag` does, as the API writes it: ``true`` / ``false``."""
    return _wire(flag(parameter, value))


def optional_flag(parameter: str, value: object) -> str | None:
    """A boolean parameter sent only when given: ``None`` -> not sent, ``True``/``False`` -> true/false."""
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InvalidQuery(parameter, f"expected True, False or None, got {value!r}")
    return _wire(value)


def _wire(value: bool) -> str:
    return "true" if value else "false"


def domain_name(value: object) -> str:
    """An accelerated domain name (``example.com``): no scheme, path, port or spaces."""
    name = text("DomainName", value)
    if "://" in name or "/" in name or ":" in name or " " in name:
        raise InvalidQuery("DomainName", f"{name!r} is not a domain name; give one such as example.com")
    return name


def cache_tags(values: Iterable[object] | str) -> list[str]:
    """RefreshObjectCacheByCacheTag's tags: a comma-separated string or a list; duplicates dropped."""
    if isinstance(values, str):
        items: list[object] = [part for part in values.split(",")]
    elif isinstance(values, bytes) or not isinstance(values, Iterable):
        raise InvalidQuery(
            "CacheTag", f"expected tags (a list, or one comma-separated string), got {values!r}"
        )
    else:
        items = list(values)
    out: dict[str, None] = {}
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise InvalidQuery("CacheTag", f"tag #{index + 1} is {type(item).__name__}, expected a string")
        tag = item.strip()
        if not tag:
            if isinstance(values, str):
                continue
            raise InvalidQuery("CacheTag", f"tag #{index + 1} is empty")
        if "," in tag or any(c in tag for c in CONTROL_CHARACTERS):
            raise InvalidQuery("CacheTag", f"tag #{index + 1} ({tag!r}) contains a comma, tab or line break")
        if len(tag) > limits.MAX_CACHE_TAG_LENGTH:
            raise InvalidQuery(
                "CacheTag",
                f"tag #{index + 1} is {len(tag)} characters long; at most {limits.MAX_CACHE_TAG_LENGTH}",
            )
        out.setdefault(tag, None)
    if not out:
        raise InvalidQuery("CacheTag", "give at least one cache tag")
    return list(out)


def refresh_object_type(value: object) -> RefreshObjectType:
    """RefreshObjectCaches' ``ObjectType`` (File, Directory, Regex, IgnoreParams, ExQuery; any case)."""
    return documented("ObjectType", value, RefreshObjectType, _REFRESH_TYPES)


def preload_area(value: object) -> PreloadArea:
    """PushObjectCache's ``Area`` (domestic, overseas)."""
    return documented("Area", value, PreloadArea, _AREAS)


def with_header_json(value: object) -> str:
    """PushObjectCache's ``WithHeader``: a mapping of header names to a value or a list of values
    (``{"Accept-Encoding": ["gzip"]}``, the reference's JSON form), as compact JSON."""
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
    for name, item in mapping.items():
        values = item if isinstance(item, list) else [item]
        if not values or not all(isinstance(one, str) for one in values):
            raise InvalidQuery(
                "WithHeader",
                f"header {name!r}: expected a JSON string or list of strings (['gzip']), got {item!r}",
            )
    try:
        return json.dumps(dict(mapping), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:  # pragma: no cover - strings and lists of strings always dump
        raise InvalidQuery("WithHeader", f"is not JSON-serialisable: {exc}") from None


def task_filter(
    query: TaskFilter | None, filters: Mapping[str, Any], *, product: Product, clock: Clock
) -> TaskFilter:
    """DescribeRefreshTasks' filters, given as a :class:`TaskFilter` or as its keyword arguments
    (checked at ``clock``'s now), and only those ``product``'s listing takes."""
    if query is None:
        checked = TaskFilter.build(clock.now(), **filters)
    elif filters:
        raise TypeError("give the filters as a TaskFilter or as keyword arguments, not both")
    elif not isinstance(query, TaskFilter):
        raise InvalidQuery("query", f"expected a TaskFilter, got {type(query).__name__}")
    else:
        checked = query
    for field in FILTER_FIELDS:
        if field.name not in product.describe_filters and getattr(checked, field.name) is not None:
            action = product.action(Operation.DESCRIBE_TASKS)
            raise InvalidQuery(field.wire, f"{product.title}'s {action} takes no {field.wire}")
    return checked


def patience(value: object, default: float) -> float:
    """``iter_refresh_tasks(patience=)``: seconds >= 0 (``None``: ``default``)."""
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise InvalidQuery("patience", f"expected a number of seconds >= 0, got {value!r}")
    return float(value)


def refresh_type_of(product: Product, value: object) -> RefreshObjectType:
    """RefreshObjectCaches' ``ObjectType`` (as :func:`refresh_object_type`), and one ``product``'s
    refresh takes."""
    kind = refresh_object_type(value)
    action = product.action(Operation.REFRESH)
    if (action, kind.value) not in product.limits.submits:
        allowed = ", ".join(product.limits.types_of(action))
        raise InvalidQuery(
            "ObjectType", f"{kind.value!r} is not taken by {product.title}'s {action}; allowed: {allowed}"
        )
    return kind


def preload_params(
    product: Product,
    *,
    area: object,
    l2_preload: object,
    with_header: object,
    query_hashkey: object,
    consistency_hash: object,
) -> dict[str, str]:
    """PushObjectCache's parameters besides ``ObjectPath``: each checked, those not given left out
    (``L2Preload`` is always sent), and only those ``product``'s preload takes."""
    extra: dict[str, str] = {}
    if area is not None:
        extra["Area"] = preload_area(area).value
    extra["L2Preload"] = wire_flag("l2_preload", l2_preload)
    if with_header is not None:
        extra["WithHeader"] = with_header_json(with_header)
    for name, value in (("QueryHashkey", query_hashkey), ("ConsistencyHash", consistency_hash)):
        given = optional_flag(name, value)
        if given is not None:
            extra[name] = given
    for name in extra:
        if name not in product.preload_flags:
            action = product.action(Operation.PRELOAD)
            raise InvalidQuery(name, f"{product.title}'s {action} takes no {name}")
    return extra


def quota_kind(value: str) -> str:
    """A daily quota's kind (``url``, ``dir``, ``regex``, ``ignore_params``, ``preload``...)."""
    if value not in QUOTA_FIELDS:
        raise InvalidQuery("kind", f"{value!r} is not a quota kind; use one of: {', '.join(QUOTA_FIELDS)}")
    return value


def needed_count(value: object) -> int:
    """How many of a quota a submit needs: a whole number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidQuery("needed", f"expected a count >= 0, got {value!r}")
    return value
