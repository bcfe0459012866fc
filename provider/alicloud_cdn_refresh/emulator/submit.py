"""The emulator's submit handlers: refresh, preload and cache-tag purge, per product.

Each is ``handler(service, params, identity) -> body`` and refuses what the product's limits table
refuses, with the row's own codes (too many paths, a spent daily quota: DCDN's preload answers
``SingleRequest.OverLimit`` and ``QuotaExceeded.Preload``), then stores the tasks in the product's
own store and answers the ids under the product's field (``PushTaskId`` / ``PreloadTaskId``).
"""

from __future__ import annotations

import json
from typing import Any

from alicloud_cdn_refresh.limits import SubmitLimit
from alicloud_cdn_refresh.models import ObjectType, PreloadArea, RefreshObjectType
from alicloud_cdn_refresh.paths import domain_of, is_object_path, is_wildcard_domain
from alicloud_cdn_refresh.products import Operation

from .auth import Identity
from .params import Params, get, invalid, parse_bool, split_paths
from .quotas import QuotaExceeded
from .request import EmulatorError, missing_parameter
from .service import ProductService

__all__ = [
    "CACHE_TAG_TYPE",
    "preload_object_caches",
    "refresh_object_cache_by_cache_tag",
    "refresh_object_caches",
]

CACHE_TAG_TYPE = ObjectType("cachetag")
"""How a cache-tag purge's rows are typed (one row per tag; the reference lists no type for them,
so the listing's ObjectType filter cannot select them, as on the service)."""
_PLURAL = {"File": "URLs", "IgnoreParams": "URLs", "ExQuery": "URLs", "Directory": "directories"}
_PRELOAD_FLAGS = ("L2Preload", "QueryHashkey", "ConsistencyHash")
"""The boolean flags a preload may take (each product takes those of its ``preload_flags``)."""


def _paths(service: ProductService, params: Params, row: SubmitLimit, label: str) -> list[str]:
    """The call's paths, checked in this order (the reference gives none): count, form, length,
    wildcard, number of domains, each domain (in the order of the paths)."""
    value = get(params, "ObjectPath")
    if value is None:
        raise missing_parameter("ObjectPath")
    paths = split_paths(value)
    if not paths:
        raise missing_parameter("ObjectPath")
    if row.per_call is not None and len(paths) > row.per_call:
        raise EmulatorError(
            row.too_many_code,
            f"A maximum of {row.per_call} {label} are supported for each request ({len(paths)} given).",
        )
    for path in paths:
        if not is_object_path(path):
            raise EmulatorError(
                "InvalidObjectPath.Malformed",
                f"The specified ObjectPath is invalid: {path[:200]!r} is not a URL "
                "(http://example.com/a.png, or example.com/a.png).",
            )
        if row.max_path_length is not None and len(path) > row.max_path_length:
            raise EmulatorError(
                "InvalidObjectPath.Malformed",
                f"The specified ObjectPath is invalid: each is at most {row.max_path_length} characters.",
            )
        if is_wildcard_domain(path):
            raise EmulatorError(
                "InvalidExtensiveDomain.ValueNotSupported",
                f"The specified ExtensiveDomain is not supported: {domain_of(path)!r} (wildcard domains "
                "cannot be refreshed or preloaded; name the host).",
            )
    domains = list(dict.fromkeys(domain_of(path) for path in paths))
    most = service.limits.domains_per_call.get(row.action)
    if most is not None and len(domains) > most:
        raise EmulatorError(
            "DomainNameOverLimit",
            f"A maximum of {most} domains are supported for each request ({len(domains)} given).",
        )
    for domain in domains:
        service.check_domain(domain)
    return paths


def _per_minute(service: ProductService, identity: Identity, row: SubmitLimit, paths: list[str]) -> None:
    if row.per_domain_per_minute is None:
        return
    counts: dict[str, int] = {}
    for path in paths:
        domain = domain_of(path)
        counts[domain] = counts.get(domain, 0) + 1
    # No x-acs-retry-after here: that header is the gateway's for flow control (the official SDK
    # turns any answer carrying it into a ThrottlingException); nothing says this business
    # error carries it.
    if service.domain_rate.admit(identity.access_key_id, row.action, counts, row.per_domain_per_minute):
        raise EmulatorError(
            "QuotaPerMinuteExceeded.Refresh",
            "You tried to refresh too frequently; please try again later "
            f"(at most {row.per_domain_per_minute} URLs of a domain a minute).",
        )


def _take_quota(service: ProductService, row: SubmitLimit, count: int) -> None:
    if row.quota is None:
        return
    try:
        service.quotas.take(row.quota, count)
    except QuotaExceeded:
        # CDN answers QuotaExceeded.Refresh for every daily quota, preloads included; DCDN's
        # preload its own QuotaExceeded.Preload (the row's quota_code).
        raise EmulatorError(row.quota_code) from None


def _ids(service: ProductService, operation: Operation, ids: list[str]) -> dict[str, Any]:
    return {service.product.responses.task_ids[operation]: ",".join(ids)}


def refresh_object_caches(service: ProductService, params: Params, identity: Identity) -> dict[str, Any]:
    """RefreshObjectCaches / RefreshDcdnObjectCaches."""
    table = service.limits
    action = service.product.action(Operation.REFRESH)
    kind = RefreshObjectType(get(params, "ObjectType") or RefreshObjectType.FILE.value)
    if not kind.is_known or (action, kind.value) not in table.submits:
        raise EmulatorError(
            "InvalidObjectType.Malformed",
            f"The specified ObjectType is invalid: use one of {', '.join(table.types_of(action))}.",
        )
    row = table.submit(action, kind.value)
    parse_bool(params, "Force")
    paths = _paths(service, params, row, _PLURAL.get(kind.value, "regular expressions"))
    if kind is RefreshObjectType.DIRECTORY:
        for path in paths:
            if not path.endswith("/"):
                raise EmulatorError(
                    "InvalidObjectPath.Malformed",
                    f"The specified ObjectPath is invalid: a Directory must end with '/': {path[:200]!r}.",
                )
    _per_minute(service, identity, row, paths)
    _take_quota(service, row, len(paths))
    ids = service.store.submit(
        service.stored(paths), kind.task_type, merge=row.merged_per_task_id, merge_key=kind.value
    )
    return _ids(service, Operation.REFRESH, ids)


def preload_object_caches(service: ProductService, params: Params, identity: Identity) -> dict[str, Any]:
    """PushObjectCache / PreloadDcdnObjectCaches."""
    row = service.limits.submit(service.product.action(Operation.PRELOAD), "preload")
    paths = _paths(service, params, row, "URLs")
    flags = service.product.preload_flags
    area = get(params, "Area")
    if area is not None and not PreloadArea(area).is_known:
        raise invalid("Area", "use domestic or overseas")
    for name in _PRELOAD_FLAGS:
        if name in flags:  # a flag the product's action does not declare is ignored, as by the gateway
            parse_bool(params, name)
    header = get(params, "WithHeader")
    if header is not None:
        try:
            decoded = json.loads(header)
        except ValueError:
            decoded = None
        if not isinstance(decoded, dict) or not all(
            isinstance(k, str) and _header_values(v) for k, v in decoded.items()
        ):
            raise invalid(
                "WithHeader",
                "use a JSON object of header names to a string or a list of strings, "
                'e.g. {"Accept-Encoding":["gzip"]}',
            )
    if service.store.unfinished(ObjectType.PRELOAD) + len(paths) > service.preload_queue:
        raise EmulatorError("PreloadQueueFull")
    _per_minute(service, identity, row, paths)
    _take_quota(service, row, len(paths))
    ids = service.store.submit(service.stored(paths), ObjectType.PRELOAD, merge=row.merged_per_task_id)
    return _ids(service, Operation.PRELOAD, ids)


def _header_values(value: object) -> bool:
    """A WithHeader value: a string, or a non-empty list of strings (the reference's JSON form)."""
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(isinstance(one, str) for one in values)


def refresh_object_cache_by_cache_tag(
    service: ProductService, params: Params, identity: Identity
) -> dict[str, Any]:
    """RefreshObjectCacheByCacheTag / RefreshDcdnObjectCacheByCacheTag: one id for every tag."""
    row = service.limits.submit(service.product.action(Operation.REFRESH_BY_CACHE_TAG), "cachetag")
    domain = get(params, "DomainName")
    if domain is None:
        raise missing_parameter("DomainName")
    value = get(params, "CacheTag")
    if value is None:
        raise missing_parameter("CacheTag")
    parse_bool(params, "Force")
    if row.max_joined_length is not None and len(value) > row.max_joined_length:
        raise invalid("CacheTag", f"at most {row.max_joined_length} characters")
    tags = list(dict.fromkeys(tag.strip() for tag in value.split(",") if tag.strip()))
    if not tags:
        raise invalid("CacheTag", "give one or more tags, comma-separated")
    host = domain.strip().lower()
    if "*" in host:
        raise EmulatorError(
            "InvalidExtensiveDomain.ValueNotSupported",
            f"The specified ExtensiveDomain is not supported: {host!r}.",
        )
    if "/" in host or " " in host or not host:
        raise invalid("DomainName", "give an accelerated domain name such as example.com")
    service.check_domain(host)
    _take_quota(service, row, len(tags))
    task_id = service.store.one_id(tags, CACHE_TAG_TYPE, domain=host)
    return _ids(service, Operation.REFRESH_BY_CACHE_TAG, [task_id])
