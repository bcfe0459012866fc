"""``Emulator``: the state, the handler and the ways to reach it, wired together."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, Clock
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, PRODUCTS, product_for

from .app import PRELOAD_QUEUE_SIZE, EmulatorApp
from .auth import KeyRing, Verifier
from .faults import FaultConfig, FaultInjector
from .metadata import MetadataService
from .qps import QpsLimiter
from .request import EmulatorRequest, EmulatorResponse
from .server import EmulatorServer
from .service import ProductService
from .state import QuotaBook, TaskStore
from .sts import IssuedSession, Issuer, OidcProvider, Role, StsService
from .transport import EmulatorTransport

__all__ = ["Emulator"]

_DEFAULT_KEYS: Mapping[str, str] = {"testid": "testsecret"}


def _switch(value: bool | float, name: str) -> tuple[bool, float]:
    if isinstance(value, bool):
        return value, 1.0
    if value <= 0:
        raise ValueError(f"{name} must be True, False or a positive scale factor, not {value!r}")
    return True, float(value)


class Emulator:
    """An offline CDN and DCDN refresh/preload API: in-process (:meth:`transport`) or as a server
    (:meth:`serve`).

    Both products are served at the same address, each with the action names, version, answers,
    limits, QPS and error codes of its table (:mod:`alicloud_cdn_refresh.products`) and, as the
    service keeps them, its own tasks (and ids) and quotas: ``emulator.product("dcdn")`` is DCDN's
    side (a :class:`~.service.ProductService`: ``tasks()``, ``seed_task()``, ``set_quota()``...).
    The methods below act on CDN unless given ``product="dcdn"``; :attr:`store`, :attr:`quotas` and
    :attr:`qps` are CDN's.

    - ``clock``: drives task lifecycles, QPS windows and quota days (pass a ``ManualClock`` in tests).
    - ``access_keys``: accepted ``{access_key_id: secret}``; :meth:`add_sts_token` adds STS ones.
    - ``complete_after``: seconds from submission to ``Complete`` (``Pending`` for the first 20 %,
      then ``Refreshing`` with a rising ``Process``).
    - ``fail_paths``: a regex; matching paths end ``Failed`` with one of the three documented
      descriptions (the same one for a path every time, given ``seed``).
    - ``qps_limits``: ``True`` the documented per-action limits, ``False`` none, a float scales them.
    - ``quotas``: ``True`` the documented daily quotas, ``False`` unlimited, a float scales them.
    - ``faults``: a :class:`FaultConfig` to inject errors, slow answers, drops and broken bodies.
    - ``domains``: if given, only paths on these domains may be submitted (else
      ``InvalidDomain.NotFound``); by default every domain is the caller's.
    - ``preload_queue``: unfinished preload tasks allowed at once (``PreloadQueueFull`` beyond).
    - ``complete_after_polls``: if given, a task's status moves with the number of answers
      (DescribeRefreshTasks / DescribeRefreshTaskById) that showed it instead of with time:
      ``Pending`` the first time, ``Refreshing`` until it was shown that many times, then final.
    - ``scheme_less``: how a path submitted without its scheme (``example.com/a.png``, the
      reference's example form) is reported back: ``"keep"`` (as submitted) or ``"http"`` (with
      ``http://``). The reference does not say which the service does; test both.

    For CDN it answers RefreshObjectCaches (File, Directory, Regex, IgnoreParams, ExQuery),
    PushObjectCache, RefreshObjectCacheByCacheTag, DescribeRefreshTasks, DescribeRefreshTaskById,
    DescribePreloadDetailById and DescribeRefreshQuota; for DCDN their ``Dcdn`` counterparts
    (RefreshDcdnObjectCaches, PreloadDcdnObjectCaches, RefreshDcdnObjectCacheByCacheTag,
    DescribeDcdnRefreshTasks, DescribeDcdnRefreshTaskById, DescribeDcdnRefreshQuota). Each refuses
    what the service refuses with its
    code and HTTP status: too many paths of a type in one call, more than 10 domains, a wildcard
    domain, more than 10,000 URLs of a domain in a minute (with ``qps_limits``), a spent daily quota.

    At the same address it also plays STS (``AssumeRole``, ``AssumeRoleWithOIDC``: see
    :meth:`add_role`, :meth:`add_oidc_provider`), the ECS metadata service (:meth:`set_ecs_role`)
    and credentials URIs (:meth:`add_credentials_uri`); the temporary keys they hand out are
    accepted by the CDN API until they expire. :meth:`calls_by_access_key` tells which key signed
    which call.
    """

    def __init__(
        self,
        *,
        clock: Clock = SYSTEM_CLOCK,
        access_keys: Mapping[str, str] = _DEFAULT_KEYS,
        complete_after: float = 5.0,
        fail_paths: str | re.Pattern[str] | None = None,
        qps_limits: bool | float = True,
        quotas: bool | float = True,
        faults: FaultConfig | None = None,
        seed: int | None = None,
        domains: Iterable[str] | None = None,
        complete_after_polls: int | None = None,
        preload_queue: int = PRELOAD_QUEUE_SIZE,
        scheme_less: str = "keep",
    ) -> None:
        self.clock = clock
        self.seed = seed
        self.keys = KeyRing(access_keys)
        qps_on, qps_scale = _switch(qps_limits, "qps_limits")
        quotas_on, quota_scale = _switch(quotas, "quotas")
        own_domains = None if domains is None else list(domains)
        self.services: dict[str, ProductService] = {}
        """Each product's side, by name (``cdn``, ``dcdn``)."""
        for name, product in PRODUCTS.items():
            store = TaskStore(
                clock,
                complete_after=complete_after,
                fail_paths=fail_paths,
                seed=seed,
                complete_after_polls=complete_after_polls,
                id_salt="" if name == DEFAULT_PRODUCT else name,
            )
            self.services[name] = ProductService(
                product,
                clock=clock,
                store=store,
                quotas=QuotaBook(
                    clock, enabled=quotas_on, scale=quota_scale, daily=product.limits.daily_quotas
                ),
                qps=QpsLimiter(clock, enabled=qps_on, scale=qps_scale, limits_per_action=product.limits.qps),
                domains=own_domains,
                preload_queue=preload_queue,
                scheme_less=scheme_less,
            )
        cdn = self.services[DEFAULT_PRODUCT]
        self.store = cdn.store
        self.qps = cdn.qps
        self.quotas = cdn.quotas
        self.faults = FaultInjector(faults, seed)
        self.verifier = Verifier(self.keys, clock)
        self.app = EmulatorApp(
            clock=clock, services=self.services.values(), verifier=self.verifier, faults=self.faults
        )
        self.issuer = Issuer(self.keys, clock)
        self.sts = StsService(self.verifier, self.issuer, clock)
        self.metadata = MetadataService(self.issuer, clock)
        self.app.routes += [self.sts.handle, self.metadata.handle]

    # --- reaching it --------------------------------------------------------------------------

    def transport(self) -> EmulatorTransport:
        """An ``httpx`` transport answering in-process (no sockets)."""
        return EmulatorTransport(self.app, self.clock)

    def serve(self, host: str = "127.0.0.1", port: int = 0, *, allow_remote: bool = False) -> EmulatorServer:
        """Start a real HTTP server in a background thread (a context manager; ``.url``, ``.close()``).

        Binds loopback only unless ``allow_remote=True``; ``port=0`` picks a free port.
        """
        return EmulatorServer(self.app, host, port, allow_remote=allow_remote).start()

    def handle(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str] | Iterable[tuple[str, str]],
        body: bytes = b"",
    ) -> EmulatorResponse:
        """Answer one raw request (``target`` is ``/path?query``)."""
        return self.app.handle(EmulatorRequest.build(method, target, headers, body))

    # --- configuring it -----------------------------------------------------------------------

    def product(self, name: str = DEFAULT_PRODUCT) -> ProductService:
        """One product's side (``cdn``, ``dcdn``): its tasks, quotas and switches."""
        return self.services[product_for(name).name]

    def add_access_key(self, access_key_id: str, secret: str) -> None:
        """Accept another long-term access key."""
        self.keys.add(access_key_id, secret)

    def add_sts_token(
        self, access_key_id: str, secret: str, token: str, *, expires: datetime | None = None
    ) -> None:
        """Accept STS credentials: requests with this key id must carry ``token`` (until ``expires``)."""
        self.keys.add_sts(access_key_id, secret, token, expires=expires)

    def add_role(
        self,
        role_arn: str,
        *,
        external_id: str | None = None,
        max_session_duration: int = 3600,
        trusted_access_keys: list[str] | tuple[str, ...] | None = None,
    ) -> Role:
        """Let STS callers assume ``role_arn`` (``acs:ram::<account>:role/<name>``).

        ``external_id``: required from callers when set; ``max_session_duration``: the role's
        MaxSessionDuration (900..43200 s); ``trusted_access_keys``: the only keys allowed to assume it.
        """
        return self.sts.add_role(
            role_arn,
            external_id=external_id,
            max_session_duration=max_session_duration,
            trusted_access_keys=trusted_access_keys,
        )

    def add_oidc_provider(
        self, provider_arn: str, tokens: dict[str, datetime | None] | list[str] | tuple[str, ...]
    ) -> OidcProvider:
        """An OIDC provider for ``AssumeRoleWithOIDC`` and the tokens it accepts (a list, or token ->
        expiry)."""
        return self.sts.add_oidc_provider(provider_arn, tokens)

    def set_ecs_role(
        self, role_name: str | None, *, session_seconds: int = 21600, require_token: bool = False
    ) -> None:
        """Attach a RAM role to the emulated ECS instance (``None`` detaches); ``require_token``:
        IMDSv2 only."""
        self.metadata.set_role(role_name, session_seconds=session_seconds)
        self.metadata.require_token = require_token

    def add_credentials_uri(self, path: str = "/credentials", *, session_seconds: int = 3600) -> str:
        """Serve temporary credentials at ``path`` (a credentials URI); returns the path."""
        return self.metadata.add_credentials_uri(path, session_seconds=session_seconds)

    @property
    def sts_sessions(self) -> list[IssuedSession]:
        """Every temporary session handed out (STS, metadata, URIs), oldest first; no secrets."""
        return list(self.issuer.issued)

    def calls_by_access_key(self, action: str | None = None) -> Counter[str]:
        """Verified requests per access key id (of ``action`` only, when given)."""
        counts: Counter[str] = Counter()
        for (key_id, called), count in list(self.verifier.signed_by.items()):
            if action is None or called == action:
                counts[key_id] += count
        return counts

    def set_quota(self, kind: str, value: int, *, product: str = DEFAULT_PRODUCT) -> None:
        """Set a daily quota (``url``, ``dir``, ``regex``, ``ignore_params``, ``preload``,
        ``preload_edge``, ``block``; DCDN has no ``preload_edge``)."""
        self.product(product).set_quota(kind, value)

    def set_preload_detail_allowed(self, allowed: bool) -> None:
        """``False``: DescribePreloadDetailById answers ``OperationDenied`` (the reference says only
        whitelisted accounts may call it; by default the emulator's account is on the list)."""
        self.product().preload_detail_allowed = allowed

    def fail_next(self, code: str, *, action: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` authenticated calls (of ``action`` or any) with error ``code``.

        Any code of :data:`~alicloud_cdn_refresh.error_codes.API_ERRORS`, with its HTTP status and
        message: ``ServiceBusy``, ``QuotaPerMinuteExceeded.Refresh``, ``TooMany.Refresh``,
        ``TooManyRequests`` (429), ``SingleRequest.OverLimit``, ``IllegalOperation``...
        """
        self.app.fail_next(code, action=action, times=times)

    def set_service_open(self, is_open: bool, *, product: str = DEFAULT_PRODUCT) -> None:
        """``False``: every call answers ``OperationDenied`` (the product not opened or suspended)."""
        self.product(product).set_service_open(is_open)

    def set_domain_offline(
        self, domain: str, offline: bool = True, *, product: str = DEFAULT_PRODUCT
    ) -> None:
        """Submissions for ``domain`` answer ``InvalidDomain.Offline`` (until set back)."""
        self.product(product).set_domain_offline(domain, offline)

    def set_resource_group(self, domain: str, resource_group_id: str) -> None:
        """Put ``domain`` (and its tasks) in a resource group (DescribeRefreshTasks' ResourceGroupId;
        DCDN's listing has no such filter)."""
        self.product().set_resource_group(domain, resource_group_id)

    def reset_quotas(self, *, product: str = DEFAULT_PRODUCT) -> None:
        """Forget what was used of today's quotas."""
        self.product(product).reset_quotas()

    # --- tasks --------------------------------------------------------------------------------

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
        product: str = DEFAULT_PRODUCT,
    ) -> str:
        """Store a task of ``product`` created at any time (default: now); return its id.

        With ``status`` (any string, even one the API does not document, such as ``"Timeout"``)
        the task reports that status forever; without, it follows the normal lifecycle from
        ``created``. ``description`` is the failure description (default: the first documented).
        """
        return self.product(product).seed_task(
            object_path,
            status=status,
            created=created,
            object_type=object_type,
            description=description,
            task_id=task_id,
            process=process,
        )

    def tasks(self, *, include_hidden: bool = False, product: str = DEFAULT_PRODUCT) -> list[RefreshTask]:
        """Every task of ``product`` as seen now, newest first (only the last 3 days unless
        ``include_hidden``)."""
        return self.product(product).tasks(include_hidden=include_hidden)

    def clear_tasks(self, *, product: str | None = None) -> None:
        """Forget every task (of ``product`` only, when given)."""
        for service in self.services.values() if product is None else [self.product(product)]:
            service.clear_tasks()

    # --- counters -----------------------------------------------------------------------------

    @property
    def requests_served(self) -> Counter[str]:
        """Requests answered per action (errors and faults included)."""
        return self.app.requests_served

    @property
    def errors_returned(self) -> Counter[str]:
        """Error answers per code."""
        return self.app.errors_returned

    @property
    def faults_injected(self) -> Counter[str]:
        """Faults injected per kind."""
        return self.faults.injected

    def __repr__(self) -> str:
        return (
            f"Emulator(clock={self.clock!r}, complete_after={self.store.complete_after:g}, "
            f"tasks={len(self.store)}, keys={self.keys!r})"
        )
