"""The API's documented numbers: one source of truth for the client, the waiter and the emulator.

The per-action, per-type limits of the submit operations are data: one :class:`SubmitLimit` row per
``(action, type)`` in a :class:`ProductLimits` table. The client batches along them, checks them
before sending, and the emulator refuses what breaks them; a second product (DCDN, with other action
names and numbers) is a second table of the same shape in :data:`PRODUCT_LIMITS`.

Sources (read 2025-2026; where two disagree the newest page wins, and the row says so):

- RefreshObjectCaches, help.aliyun.com/zh/cdn/developer-reference/api-cdn-2018-05-10-refreshobjectcaches
  (document_detail/91164): "每次请求最多支持提交 1000 条 URL 刷新或者 100 个目录刷新或者 1 个正则刷新",
  "单个域名每分钟最多支持提交 10000 条 URL 刷新" (older English pages and SDK docstrings say 1,000 a
  minute; the newest Chinese page says 10,000), daily 10,000 URLs / 100 directories / 20 regex /
  100 IgnoreParams, 50 calls a second.
- RefreshObjectCachesRequest.ObjectPath in the official SDK (alibabacloud-cdn20180510 9.2.0): "The
  total number of domain names contained [in] all URLs in a submitted task cannot exceed 10"; the
  newest DCDN page (RefreshDcdnObjectCaches) says the same.
- RefreshObjectCachesResponseBody / PushObjectCacheResponseBody (same SDK): URL tasks of one domain
  submitted in the same second share an id, every 2,000 (refresh) or 500 (preload) URLs.
- PushObjectCache, alibabacloud.com/help/.../api-cdn-2018-05-10-pushobjectcache (Dec 2025): 100 URLs
  a call, 1,000 a day, a queue of 100,000 URLs, 50 calls a second; 1,024 characters per URL (SDK).
- RefreshObjectCacheByCacheTag (Nov 2024 page; SDK): one DomainName, CacheTag comma-separated; the
  Java SDK validates ``maxLength = 16384`` on CacheTag. No per-call count, quota or QPS is documented.
- DescribePreloadDetailById (Mar 2026 page): one task id a call, 30 calls a second, last 3 days.
- DescribeRefreshQuota (SDK model, 2024 page): UrlQuota, DirQuota, RegexQuota, PreloadQuota,
  BlockQuota, IgnoreParamsQuota, PreloadEdgeQuota and their *Remain, all strings.

DCDN (:data:`DCDN_LIMITS`; the pages under alibabacloud.com/help/en/edge-security-acceleration/dcdn/
developer-reference/, Sep 2025, and the SDK alibabacloud-dcdn20180115 3.1.0):

- DescribeDcdnRefreshTasks (api-dcdn-2018-01-15-describedcdnrefreshtasks): PageSize 1..50, default
  20 (CDN: 100); PageNumber 1..100,000; 5 calls a second (the Oct 2024 page said 10).
- DescribeDcdnRefreshTaskById (...-describedcdnrefreshtaskbyid): at most 10 ids, 30 calls a second.
- RefreshDcdnObjectCaches (...-refreshdcdnobjectcaches): 1,000 URLs or 100 directories a call,
  10,000 URLs a domain a minute (the Oct 2024 page and the zh page said 1,000), daily 10,000 URLs
  and 100 directories, 30 calls a second (CDN: 50). Types File, Directory, Regex, IgnoreParams (the
  SDK's docstring; no ExQuery). The page gives no per-call regex count nor regex / IgnoreParams /
  block daily quotas: CDN's numbers are assumed (the safe side for batching; the account's own
  quotas come from DescribeDcdnRefreshQuota anyway).
- PreloadDcdnObjectCaches (...-preloaddcdnobjectcaches, doc-detail/130636): 100 URLs a call, 1,000
  a day, a queue of 100,000 URLs, 15 calls a second (CDN: 50). Its error table answers a call over
  the count with ``SingleRequest.OverLimit`` and a spent daily quota with ``QuotaExceeded.Preload``.
  No path length is documented (CDN's SDK: 1,024).
- DescribeDcdnRefreshQuota (...-describedcdnrefreshquota): 20 calls a second; its SDK model has no
  PreloadEdge fields.
- Neither the pages nor the SDK say that DCDN merges the URLs of one second under one task id, so
  every DCDN path gets its own id in the emulator.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Final, NamedTuple

from .actions import Action, DcdnAction

__all__ = [
    "CDN_LIMITS",
    "DAILY_QUOTAS",
    "DCDN_LIMITS",
    "DEFAULT_PAGE_SIZE",
    "MAX_CACHE_TAG_LENGTH",
    "MAX_DOMAINS_PER_SUBMIT",
    "MAX_PAGE_NUMBER",
    "MAX_PAGE_SIZE",
    "MAX_PRELOAD_PATH_LENGTH",
    "MAX_PRELOAD_PATHS_PER_CALL",
    "MAX_PRELOAD_URLS_PER_TASK_ID",
    "MAX_REFRESH_PATHS_PER_CALL",
    "MAX_TASK_IDS_PER_CALL",
    "MAX_URLS_PER_TASK_ID",
    "PER_DOMAIN_WINDOW",
    "PRELOAD_QUEUE_SIZE",
    "PRODUCT_LIMITS",
    "QPS_LIMITS",
    "QUERY_WINDOW",
    "TIMESTAMP_TOLERANCE",
    "ProductLimits",
    "SubmitLimit",
    "limits_for",
]

DEFAULT_PAGE_SIZE: Final = 20
MAX_PAGE_SIZE: Final = 100
"""The 2018 reference page says 50; the current API and the official SDK accept up to 100."""
MAX_PAGE_NUMBER: Final = 100_000
MAX_TASK_IDS_PER_CALL: Final = 10

QUERY_WINDOW: Final = timedelta(days=3)
"""Only tasks of the last three days can be queried."""

TIMESTAMP_TOLERANCE: Final = timedelta(minutes=15)
"""How far a request's timestamp may be from the gateway's clock."""

PER_DOMAIN_WINDOW: Final = timedelta(minutes=1)
"""The window of the per-domain submit rate ("单个域名每分钟": a minute)."""


class SubmitLimit(NamedTuple):
    """The limits of one submit action for one object type (a row of the table).

    ``object_type`` is the value the action takes (RefreshObjectCaches' ``ObjectType``: ``File``,
    ``Directory``...; ``preload`` for PushObjectCache, ``cachetag`` for RefreshObjectCacheByCacheTag).
    (An immutable row: a named tuple, which costs far less to define at start-up than a dataclass.)
    """

    action: str
    object_type: str
    per_call: int | None
    """Paths (or tags) one call may carry; ``None``: not documented (the emulator does not refuse)."""
    quota: str | None
    """The daily quota (a key of :attr:`ProductLimits.daily_quotas`) each path uses; ``None``: none."""
    per_domain_per_minute: int | None = None
    """Paths of one domain the service takes in any :data:`PER_DOMAIN_WINDOW`; ``None``: no limit."""
    merged_per_task_id: int | None = None
    """Paths of one domain submitted in the same second share a task id, this many per id;
    ``None``: every path gets its own id."""
    max_path_length: int | None = None
    """Characters one path may have."""
    max_joined_length: int | None = None
    """Characters the joined value of one call may have (CacheTag: 16,384)."""
    too_many_code: str = "SingleRequest.OverLimit"
    """The error a call with more than ``per_call`` paths gets (RefreshObjectCaches: the newest
    table's ``SingleRequest.OverLimit``; PushObjectCache: its table's
    ``InvalidObjectPath.Size.Malformed``)."""
    quota_code: str = "QuotaExceeded.Refresh"
    """The error a call gets when the daily ``quota`` is spent (CDN: ``QuotaExceeded.Refresh`` for
    every quota; DCDN's preload: ``QuotaExceeded.Preload``)."""


class ProductLimits(NamedTuple):
    """Every documented number of one product (the CDN one is :data:`CDN_LIMITS`).

    (An immutable table: a named tuple, which costs far less to define at start-up than a dataclass.)
    """

    product: str
    qps: Mapping[str, float]
    """Calls per second per account, per action."""
    submits: Mapping[tuple[str, str], SubmitLimit]
    """``(action, object_type)`` -> its row."""
    daily_quotas: Mapping[str, int]
    """Default daily quotas of a new account (DescribeRefreshQuota reports the account's own)."""
    domains_per_call: Mapping[str, int] = MappingProxyType({})
    """Distinct domains one call of an action may name."""
    preload_queue: int = 0
    """Unfinished preload URLs an account may have queued."""
    default_page_size: int = DEFAULT_PAGE_SIZE
    """The listing's PageSize when none is sent."""
    max_page_size: int = MAX_PAGE_SIZE
    """The largest PageSize the listing takes (CDN 100, DCDN 50)."""
    max_page_number: int = MAX_PAGE_NUMBER
    task_ids_per_call: int = MAX_TASK_IDS_PER_CALL
    """Task ids one by-id call takes."""

    def submit(self, action: str, object_type: str) -> SubmitLimit:
        """The row of ``(action, object_type)``; ``KeyError`` for a pair the product does not have."""
        return self.submits[(action, object_type)]

    def types_of(self, action: str) -> tuple[str, ...]:
        """The object types an action takes, in table order."""
        return tuple(kind for (name, kind) in self.submits if name == action)


_A = Action
_REFRESH_URLS_PER_MINUTE = 10_000
_SUBMIT_ROWS = (
    # RefreshObjectCaches: 1,000 URLs, or 100 directories, or 1 regex per call (newest zh page).
    SubmitLimit(_A.REFRESH_OBJECT_CACHES, "File", 1_000, "url", _REFRESH_URLS_PER_MINUTE, 2_000),
    SubmitLimit(_A.REFRESH_OBJECT_CACHES, "Directory", 100, "dir"),
    SubmitLimit(_A.REFRESH_OBJECT_CACHES, "Regex", 1, "regex"),
    # IgnoreParams: URLs (their own quota, 100 a day); the page gives no per-call number of its own,
    # so they take the URL row's. ExQuery is the SDK's older name of the same thing (its docstring:
    # "omits parameters after the question mark in the URL and refreshes content").
    SubmitLimit(
        _A.REFRESH_OBJECT_CACHES, "IgnoreParams", 1_000, "ignore_params", _REFRESH_URLS_PER_MINUTE, 2_000
    ),
    SubmitLimit(_A.REFRESH_OBJECT_CACHES, "ExQuery", 1_000, "ignore_params", _REFRESH_URLS_PER_MINUTE, 2_000),
    # PushObjectCache: 100 URLs a call, each at most 1,024 characters; ids merge 500 URLs each.
    SubmitLimit(
        _A.PUSH_OBJECT_CACHE,
        "preload",
        100,
        "preload",
        None,
        500,
        max_path_length=1_024,
        too_many_code="InvalidObjectPath.Size.Malformed",
    ),
    # RefreshObjectCacheByCacheTag: one domain, tags comma-separated, CacheTag at most 16,384
    # characters (the Java SDK's validation); no count, quota or per-minute number is documented.
    SubmitLimit(_A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, "cachetag", None, None, max_joined_length=16_384),
)

CDN_LIMITS: Final = ProductLimits(
    product="cdn",
    qps=MappingProxyType(
        {
            _A.DESCRIBE_REFRESH_TASKS: 5.0,
            _A.DESCRIBE_REFRESH_TASK_BY_ID: 30.0,
            _A.REFRESH_OBJECT_CACHES: 50.0,
            _A.PUSH_OBJECT_CACHE: 50.0,
            _A.DESCRIBE_REFRESH_QUOTA: 20.0,
            _A.DESCRIBE_PRELOAD_DETAIL_BY_ID: 30.0,
        }
    ),
    submits=MappingProxyType({(row.action, row.object_type): row for row in _SUBMIT_ROWS}),
    daily_quotas=MappingProxyType(
        {
            "url": 10_000,
            "dir": 100,
            "regex": 20,
            "preload": 1_000,
            "block": 100,
            "ignore_params": 100,
            # L1 ("edge") preloads: DescribeRefreshQuota reports them; its example says 20 and no
            # page says which call uses them, so the emulator reports them and never spends them.
            "preload_edge": 20,
        }
    ),
    domains_per_call=MappingProxyType({_A.REFRESH_OBJECT_CACHES: 10}),
    preload_queue=100_000,
)

_D = DcdnAction
_DCDN_ROWS = (
    # RefreshDcdnObjectCaches: 1,000 URLs or 100 directories a call; 10,000 URLs a domain a minute.
    SubmitLimit(_D.REFRESH_OBJECT_CACHES, "File", 1_000, "url", _REFRESH_URLS_PER_MINUTE),
    SubmitLimit(_D.REFRESH_OBJECT_CACHES, "Directory", 100, "dir"),
    SubmitLimit(_D.REFRESH_OBJECT_CACHES, "Regex", 1, "regex"),  # CDN's count, assumed
    SubmitLimit(_D.REFRESH_OBJECT_CACHES, "IgnoreParams", 1_000, "ignore_params", _REFRESH_URLS_PER_MINUTE),
    # PreloadDcdnObjectCaches: 100 URLs a call; its own codes for the count and the daily quota.
    SubmitLimit(
        _D.PRELOAD_OBJECT_CACHES,
        "preload",
        100,
        "preload",
        too_many_code="SingleRequest.OverLimit",
        quota_code="QuotaExceeded.Preload",
    ),
    # RefreshDcdnObjectCacheByCacheTag (SDK): DomainName, CacheTag, Force; CDN's CacheTag length assumed.
    SubmitLimit(_D.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, "cachetag", None, None, max_joined_length=16_384),
)

DCDN_LIMITS: Final = ProductLimits(
    product="dcdn",
    qps=MappingProxyType(
        {
            _D.DESCRIBE_REFRESH_TASKS: 5.0,
            _D.DESCRIBE_REFRESH_TASK_BY_ID: 30.0,
            _D.REFRESH_OBJECT_CACHES: 30.0,
            _D.PRELOAD_OBJECT_CACHES: 15.0,
            _D.DESCRIBE_REFRESH_QUOTA: 20.0,
        }
    ),
    submits=MappingProxyType({(row.action, row.object_type): row for row in _DCDN_ROWS}),
    daily_quotas=MappingProxyType(
        # url, dir and preload from the pages; regex, block and ignore_params are CDN's (assumed).
        {"url": 10_000, "dir": 100, "regex": 20, "preload": 1_000, "block": 100, "ignore_params": 100}
    ),
    domains_per_call=MappingProxyType({_D.REFRESH_OBJECT_CACHES: 10}),
    preload_queue=100_000,
    max_page_size=50,
)

PRODUCT_LIMITS: Final[Mapping[str, ProductLimits]] = MappingProxyType(
    {"cdn": CDN_LIMITS, "dcdn": DCDN_LIMITS}
)
"""Product name -> its limits (the same shape for every product)."""


def limits_for(product: str = "cdn") -> ProductLimits:
    """The limits of a product."""
    try:
        return PRODUCT_LIMITS[product]
    except KeyError:
        raise ValueError(f"unknown product {product!r}; known: {', '.join(PRODUCT_LIMITS)}") from None


# --- the names used before the table (kept; each is read from it) ------------------------------


def _number(value: int | None) -> int:
    if value is None:  # pragma: no cover - a row edited without its number
        raise ValueError("this limit must be a number")
    return value


_FILE = CDN_LIMITS.submit(_A.REFRESH_OBJECT_CACHES, "File")
_PRELOAD = CDN_LIMITS.submit(_A.PUSH_OBJECT_CACHE, "preload")

QPS_LIMITS: Final[Mapping[str, float]] = CDN_LIMITS.qps
"""Calls per second per account, as documented."""
DAILY_QUOTAS: Final[Mapping[str, int]] = CDN_LIMITS.daily_quotas
"""Default daily quotas of a new account (DescribeRefreshQuota reports the account's own)."""
MAX_REFRESH_PATHS_PER_CALL: Final = _number(_FILE.per_call)
"""URLs per RefreshObjectCaches call (the ``File`` row)."""
MAX_URLS_PER_TASK_ID: Final = _number(_FILE.merged_per_task_id)
"""URL refreshes of one domain in the same second share one task id, up to this many."""
MAX_PRELOAD_PATHS_PER_CALL: Final = _number(_PRELOAD.per_call)
MAX_PRELOAD_PATH_LENGTH: Final = _number(_PRELOAD.max_path_length)
MAX_PRELOAD_URLS_PER_TASK_ID: Final = _number(_PRELOAD.merged_per_task_id)
"""Preloads of one domain in the same second share one task id, up to this many."""
MAX_DOMAINS_PER_SUBMIT: Final = CDN_LIMITS.domains_per_call[_A.REFRESH_OBJECT_CACHES]
"""Distinct domains one RefreshObjectCaches call may name."""
MAX_CACHE_TAG_LENGTH: Final = _number(
    CDN_LIMITS.submit(_A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, "cachetag").max_joined_length
)
"""Characters of one RefreshObjectCacheByCacheTag call's CacheTag."""
PRELOAD_QUEUE_SIZE: Final = CDN_LIMITS.preload_queue
"""Unfinished preload URLs an account may have queued (PushObjectCache: 100,000)."""
