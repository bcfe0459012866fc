"""What identifies each product's API: one :class:`Product` table per product (CDN, DCDN).

A table holds every fact that differs between the products: API version, default endpoint and
where to override it, the action behind each logical :class:`Operation`, where the answers keep
their tasks and ids (:class:`ResponsePaths`), the limits table (:mod:`.limits`), the filters and
preload flags the product takes, and the error answers that differ (:mod:`.error_codes`). The
client, the waiter and the emulator read these tables; none of them branches on a product's name.

The module-level names of the CDN-only past (:data:`API_VERSION`, :data:`DEFAULT_ENDPOINT`,
:data:`HOST_ID`, :data:`SUBMIT_ACTIONS`, :class:`Action`) stay, as CDN's values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Final, NamedTuple

from .actions import Action, DcdnAction
from .error_codes import DCDN_ERROR_OVERRIDES, ApiErrorSpec, spec_for
from .kinds import FILTER_FIELDS, QUOTA_FIELDS
from .limits import CDN_LIMITS, DCDN_LIMITS, ProductLimits
from .settings import ENV_CDN_ENDPOINT, ENV_DCDN_ENDPOINT

__all__ = [
    "API_VERSION",
    "CDN",
    "DCDN",
    "DEFAULT_ENDPOINT",
    "DEFAULT_PRODUCT",
    "HOST_ID",
    "PRODUCTS",
    "SUBMIT_ACTIONS",
    "SUBMIT_OPERATIONS",
    "Action",
    "DcdnAction",
    "Operation",
    "Product",
    "ResponsePaths",
    "product_for",
]


class Operation(str, Enum):
    """What a call does, whatever the product calls it."""

    DESCRIBE_TASKS = "describe_tasks"
    DESCRIBE_TASK_BY_ID = "describe_task_by_id"
    REFRESH = "refresh"
    PRELOAD = "preload"
    DESCRIBE_QUOTA = "describe_quota"
    REFRESH_BY_CACHE_TAG = "refresh_by_cache_tag"
    DESCRIBE_PRELOAD_DETAIL = "describe_preload_detail"


SUBMIT_OPERATIONS: Final = frozenset({Operation.REFRESH, Operation.PRELOAD, Operation.REFRESH_BY_CACHE_TAG})
"""The operations that change something: never resent after an answer that may mean they were
accepted (see :func:`~alicloud_cdn_refresh.error_codes.is_retryable_submit`)."""


class ResponsePaths(NamedTuple):
    """Where a product's answers keep what the client reads (an immutable row: a named tuple)."""

    task_list: str
    """The key under ``Tasks`` that holds the listing's tasks (``Tasks.CDNTask`` / ``Tasks.Task``);
    the by-id answer's ``Tasks`` is a flat list for both products."""
    task_ids: Mapping[Operation, str]
    """Per submit operation, the field of its answer holding the comma-separated task ids."""
    quota_fields: Mapping[str, str]
    """Quota kind -> prefix of the quota answer's ``<prefix>Quota`` / ``<prefix>Remain`` fields."""


@dataclass(frozen=True, eq=False)
class Product:
    """Every fact of one product's refresh API (see the module docstring)."""

    name: str
    """``cdn`` / ``dcdn``: the ``product=`` value, the ``alicloud:endpoints`` entry's name."""
    title: str
    """How messages name it (``CDN`` / ``DCDN``)."""
    api_version: str
    default_endpoint: str
    host_id: str
    """The ``HostId`` of its error answers."""
    code: str
    """Its code in OpenAPI's error center and troubleshooting links (``Cdn``, ``dcdn``)."""
    endpoint_env: str
    """``ALIBABA_CLOUD_<PRODUCT>_ENDPOINT``."""
    actions: Mapping[Operation, str]
    """The action of each operation it has (an operation missing here is one it lacks)."""
    responses: ResponsePaths
    limits: ProductLimits
    describe_filters: frozenset[str]
    """The :class:`~.query.TaskFilter` fields its listing takes."""
    preload_flags: frozenset[str]
    """The optional parameters its preload takes besides ``ObjectPath``."""
    error_overrides: Mapping[str, ApiErrorSpec] = field(default_factory=dict)
    """Error answers that differ from :data:`~.error_codes.API_ERRORS` (status or message)."""

    @property
    def config_endpoint_entry(self) -> str:
        """The entry of pulumi-alicloud's ``alicloud:endpoints`` naming its endpoint."""
        return self.name

    @property
    def submit_actions(self) -> frozenset[str]:
        """The actions of its submit operations."""
        return frozenset(action for op, action in self.actions.items() if op in SUBMIT_OPERATIONS)

    def supports(self, operation: Operation) -> bool:
        """Whether it has ``operation``."""
        return operation in self.actions

    def action(self, operation: Operation) -> str:
        """The action of ``operation``; :class:`~.errors.InvalidQuery` (``product``) if it lacks it."""
        try:
            return self.actions[operation]
        except KeyError:
            from .errors import InvalidQuery  # the exception tree is not needed to read the tables

            having = sorted(p.name for p in PRODUCTS.values() if operation in p.actions)
            raise InvalidQuery(
                "product",
                f"{self.title} has no {operation.value.replace('_', ' ')} operation; "
                f"use product={' or '.join(repr(n) for n in having) or 'another product'}",
            ) from None

    def operation_of(self, action: str) -> Operation | None:
        """The operation an action name of this product performs (``None``: not one of its actions)."""
        for operation, name in self.actions.items():
            if name == action:
                return operation
        return None

    def error(self, code: str) -> ApiErrorSpec:
        """The HTTP status and message this product answers ``code`` with."""
        return spec_for(code, self.error_overrides)

    def __repr__(self) -> str:
        return f"Product({self.name!r}, {self.api_version}, {self.default_endpoint})"


_ALL_FILTERS = frozenset(field.name for field in FILTER_FIELDS)

CDN: Final = Product(
    name="cdn",
    title="CDN",
    api_version="2018-05-10",
    default_endpoint="https://cdn.aliyuncs.com",
    host_id="cdn.aliyuncs.com",
    code="Cdn",
    endpoint_env=ENV_CDN_ENDPOINT,
    actions=MappingProxyType(
        {
            Operation.DESCRIBE_TASKS: Action.DESCRIBE_REFRESH_TASKS,
            Operation.DESCRIBE_TASK_BY_ID: Action.DESCRIBE_REFRESH_TASK_BY_ID,
            Operation.REFRESH: Action.REFRESH_OBJECT_CACHES,
            Operation.PRELOAD: Action.PUSH_OBJECT_CACHE,
            Operation.DESCRIBE_QUOTA: Action.DESCRIBE_REFRESH_QUOTA,
            Operation.REFRESH_BY_CACHE_TAG: Action.REFRESH_OBJECT_CACHE_BY_CACHE_TAG,
            Operation.DESCRIBE_PRELOAD_DETAIL: Action.DESCRIBE_PRELOAD_DETAIL_BY_ID,
        }
    ),
    responses=ResponsePaths(
        task_list="CDNTask",
        task_ids=MappingProxyType(
            {
                Operation.REFRESH: "RefreshTaskId",
                Operation.PRELOAD: "PushTaskId",
                Operation.REFRESH_BY_CACHE_TAG: "RefreshTaskId",
            }
        ),
        quota_fields=MappingProxyType(dict(QUOTA_FIELDS)),
    ),
    limits=CDN_LIMITS,
    describe_filters=_ALL_FILTERS,
    preload_flags=frozenset({"Area", "L2Preload", "WithHeader", "QueryHashkey", "ConsistencyHash"}),
)
"""Alibaba Cloud CDN (the SDK ``alibabacloud-cdn20180510``)."""

DCDN: Final = Product(
    name="dcdn",
    title="DCDN",
    api_version="2018-01-15",
    default_endpoint="https://dcdn.aliyuncs.com",
    host_id="dcdn.aliyuncs.com",
    code="dcdn",
    endpoint_env=ENV_DCDN_ENDPOINT,
    actions=MappingProxyType(
        {
            Operation.DESCRIBE_TASKS: DcdnAction.DESCRIBE_REFRESH_TASKS,
            Operation.DESCRIBE_TASK_BY_ID: DcdnAction.DESCRIBE_REFRESH_TASK_BY_ID,
            Operation.REFRESH: DcdnAction.REFRESH_OBJECT_CACHES,
            Operation.PRELOAD: DcdnAction.PRELOAD_OBJECT_CACHES,
            Operation.DESCRIBE_QUOTA: DcdnAction.DESCRIBE_REFRESH_QUOTA,
            Operation.REFRESH_BY_CACHE_TAG: DcdnAction.REFRESH_OBJECT_CACHE_BY_CACHE_TAG,
        }
    ),
    responses=ResponsePaths(
        # DescribeDcdnRefreshTasksResponseBodyTasks.task reads "Task"; the preload's id is
        # PreloadDcdnObjectCachesResponseBody.PreloadTaskId (SDK alibabacloud-dcdn20180115).
        task_list="Task",
        task_ids=MappingProxyType(
            {
                Operation.REFRESH: "RefreshTaskId",
                Operation.PRELOAD: "PreloadTaskId",
                Operation.REFRESH_BY_CACHE_TAG: "RefreshTaskId",
            }
        ),
        # DescribeDcdnRefreshQuotaResponseBody: no PreloadEdge fields.
        quota_fields=MappingProxyType({k: v for k, v in QUOTA_FIELDS.items() if k != "preload_edge"}),
    ),
    limits=DCDN_LIMITS,
    # DescribeDcdnRefreshTasksRequest has no ResourceGroupId; PreloadDcdnObjectCachesRequest no
    # ConsistencyHash.
    describe_filters=_ALL_FILTERS - {"resource_group_id"},
    preload_flags=frozenset({"Area", "L2Preload", "WithHeader", "QueryHashkey"}),
    error_overrides=DCDN_ERROR_OVERRIDES,
)
"""Alibaba Cloud DCDN, dynamic route for CDN (the SDK ``alibabacloud-dcdn20180115``)."""

PRODUCTS: Final[Mapping[str, Product]] = MappingProxyType({CDN.name: CDN, DCDN.name: DCDN})
"""Every product, by name."""
DEFAULT_PRODUCT: Final = CDN.name


def product_for(name: str | Product = DEFAULT_PRODUCT) -> Product:
    """The table of a product (``cdn``, ``dcdn``; any case); :class:`~.errors.InvalidQuery` naming
    ``product`` and the allowed values for anything else."""
    if isinstance(name, Product):
        return name
    from .errors import InvalidQuery

    found = PRODUCTS.get(name.strip().lower()) if isinstance(name, str) else None
    if found is None:
        raise InvalidQuery("product", f"{name!r} is not a product; allowed: {', '.join(PRODUCTS)}")
    return found


# --- the names of the CDN-only past (each read from the CDN table) -----------------------------

API_VERSION: Final = CDN.api_version
"""The CDN API version every CDN request names."""
DEFAULT_ENDPOINT: Final = CDN.default_endpoint
"""The public CDN endpoint used when none is configured."""
HOST_ID: Final = CDN.host_id
"""The ``HostId`` of the CDN service's error answers."""
SUBMIT_ACTIONS: Final = CDN.submit_actions
"""CDN's submit actions (a product's own: :attr:`Product.submit_actions`)."""
