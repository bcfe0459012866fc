"""``ProductService``: one product's side of the emulator (CDN, DCDN), as the service keeps them apart.

Each product has its own tasks (its own ids), daily quotas, QPS windows, per-domain minute and
switches (service opened, domains offline); the account's keys and the faults are shared. Its
:class:`~alicloud_cdn_refresh.products.Product` table says what its answers look like. Reach one
with ``Emulator.product("dcdn")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.paths import is_scheme_less_url
from alicloud_cdn_refresh.products import Product

from .qps import DomainRate, QpsLimiter
from .quotas import QuotaBook
from .request import EmulatorError
from .state import TaskStore

__all__ = ["SCHEME_LESS_FORMS", "ProductService"]

SCHEME_LESS_FORMS = ("keep", "http")
"""How a path submitted without its scheme (``example.com/a.png``) is stored and reported back:
as submitted (``keep``, the default), or with ``http://`` in front (``http``). The reference does
not say which the service does; the waiter matches either."""


class ProductService:
    """One product's tasks, quotas, QPS limits and switches (see the module docstring)."""

    def __init__(
        self,
        product: Product,
        *,
        clock: Clock,
        store: TaskStore,
        quotas: QuotaBook,
        qps: QpsLimiter,
        domains: Iterable[str] | None = None,
        preload_queue: int = limits.PRELOAD_QUEUE_SIZE,
        scheme_less: str = "keep",
    ) -> None:
        if scheme_less not in SCHEME_LESS_FORMS:
            raise ValueError(f"scheme_less must be one of {SCHEME_LESS_FORMS}, not {scheme_less!r}")
        self.product = product
        self.clock = clock
        self.store = store
        self.quotas = quotas
        self.qps = qps
        self.domains = None if domains is None else frozenset(d.lower() for d in domains)
        """The account's domains of this product (``None``: every domain is the caller's)."""
        self.offline_domains: set[str] = set()
        """Domains whose submissions answer ``InvalidDomain.Offline``."""
        self.service_open = True
        """``False``: every authenticated call answers ``OperationDenied`` (not opened/suspended)."""
        self.preload_queue = preload_queue
        """How many preload tasks may be unfinished at once (``PreloadQueueFull`` beyond)."""
        self.scheme_less = scheme_less
        self.domain_rate = DomainRate(
            clock, window=limits.PER_DOMAIN_WINDOW.total_seconds(), enabled=qps.enabled
        )
        """Paths per domain per minute (``QuotaPerMinuteExceeded.Refresh`` beyond); on with the QPS limits."""
        self.preload_detail_allowed = True
        """``False``: DescribePreloadDetailById answers ``OperationDenied`` (the account is not on the
        reference's whitelist)."""

    @property
    def name(self) -> str:
        """The product's name (``cdn``, ``dcdn``)."""
        return self.product.name

    @property
    def limits(self) -> limits.ProductLimits:
        """The product's limits table."""
        return self.product.limits

    # --- what the handlers ask ----------------------------------------------------------------

    def check_domain(self, domain: str) -> None:
        """Refuse a domain that is not the account's, or is offline."""
        if self.domains is not None and domain not in self.domains:
            raise EmulatorError("InvalidDomain.NotFound")
        if self.offline_domains and domain in self.offline_domains:
            raise EmulatorError("InvalidDomain.Offline")

    def stored(self, paths: list[str]) -> list[str]:
        """The paths as the tasks will report them (see :data:`SCHEME_LESS_FORMS`)."""
        if self.scheme_less == "keep":
            return paths
        return [f"http://{path}" if is_scheme_less_url(path) else path for path in paths]

    # --- configuring and reading it -----------------------------------------------------------

    def tasks(self, *, include_hidden: bool = False) -> list[RefreshTask]:
        """Every task as seen now, newest first (only the last 3 days unless ``include_hidden``)."""
        return self.store.snapshot(include_hidden=include_hidden)

    def seed_task(
        self,
        object_path: str,
        *,
        status: str | TaskStatus | None = None,
        created: datetime | None = None,
        object_type: str | ObjectType = ObjectType.FILE,
        description: str | None = None,
        task_id: str | None = None,
        process: float | None = None,
    ) -> str:
        """Store a task created at any time (see ``Emulator.seed_task``); return its id."""
        return self.store.seed(
            object_path,
            status=status,
            created=created,
            object_type=object_type,
            description=description,
            task_id=task_id,
            process=process,
        )

    def clear_tasks(self) -> None:
        """Forget every task."""
        self.store.clear()

    def set_quota(self, kind: str, value: int) -> None:
        """Set a daily quota (a key of the product's ``limits.daily_quotas``)."""
        self.quotas.set_quota(kind, value)

    def reset_quotas(self) -> None:
        """Forget what was used of today's quotas."""
        self.quotas.reset()

    def set_service_open(self, is_open: bool) -> None:
        """``False``: every call answers ``OperationDenied`` (the product not opened or suspended)."""
        self.service_open = is_open

    def set_domain_offline(self, domain: str, offline: bool = True) -> None:
        """Submissions for ``domain`` answer ``InvalidDomain.Offline`` (until set back)."""
        if offline:
            self.offline_domains.add(domain.lower())
        else:
            self.offline_domains.discard(domain.lower())

    def set_resource_group(self, domain: str, resource_group_id: str) -> None:
        """Put ``domain`` (and its tasks) in a resource group (the listing's ResourceGroupId)."""
        self.store.resource_groups[domain.lower()] = resource_group_id

    def __repr__(self) -> str:
        return f"ProductService({self.name!r}, tasks={len(self.store)})"
