"""``CdnClient``: the signed, retried, rate-limited client of the CDN (or DCDN) refresh/preload API.

Which product it speaks is one :class:`~alicloud_cdn_refresh.products.Product` table (``product=
"cdn"`` or ``"dcdn"``): endpoint, version, action names, where answers keep tasks and ids, limits,
QPS. Below, the CDN action names stand for their operation (DCDN's are in ``products.py``).

Each method is one operation, in three steps written elsewhere: its parameters are checked before
any network call (:mod:`.params`), it is sent by :class:`~.http_client.ApiCaller` (signing, retries, rate
limits, the answer size cap, transport errors; its docstring says which failures are retried), and
its answer is parsed into typed values (:mod:`.responses`). A submit of many paths goes in as many
calls as the limits need (:mod:`.submits`: the batches, the per-domain minute, and the
:class:`~alicloud_cdn_refresh.errors.PartialSubmit` when a later call fails).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

import httpx

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.batching import chunked, chunked_by_length, submit_batches
from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, Clock
from alicloud_cdn_refresh.credentials import Credentials, CredentialsProvider, resolve_provider
from alicloud_cdn_refresh.errors import InsufficientQuota
from alicloud_cdn_refresh.limits import SubmitLimit
from alicloud_cdn_refresh.models import PreloadDetailResult, RefreshQuota, RefreshTask, RefreshTaskPage
from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, Operation, Product, product_for
from alicloud_cdn_refresh.query import TaskFilter

from . import params as check
from .endpoints import resolve_endpoint
from .http_client import MAX_RESPONSE_BYTES, ApiCaller
from .pages import DEFAULT_PATIENCE, walk_pages
from .ratelimit import DomainWindow
from .responses import parse_page, parse_preload_detail, parse_quota, parse_task_ids, parse_tasks
from .retry import RetryPolicy
from .submits import pace_domains, send_batches

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from alicloud_cdn_refresh.query import TaskFilterArgs

__all__ = ["MAX_RESPONSE_BYTES", "CdnClient", "RetryPolicy"]


class CdnClient(ApiCaller):
    """Synchronous client of the Alibaba Cloud CDN (2018-05-10) or DCDN (2018-01-15) refresh/preload API.

    ``product``: ``"cdn"`` (default) or ``"dcdn"``; its table (:attr:`product`) gives the endpoint
    (explicit, then the ``alicloud:endpoints`` entry named after it, ``ALIBABA_CLOUD_<PRODUCT>_ENDPOINT``,
    its default), the action names, the answers' shape and :attr:`limits`; anything else is
    :class:`~alicloud_cdn_refresh.errors.InvalidQuery` naming ``product``.

    ``endpoint`` and ``credentials`` default to the resolution order of
    :mod:`alicloud_cdn_refresh.credentials`, reading ``pulumi_config`` (a plain mapping of
    ``alicloud:*`` keys), the environment and the CLI profile file. ``credentials`` is a
    :class:`~alicloud_cdn_refresh.credentials.Credentials` value or a provider (``resolve_provider``)
    that the signer asks on every request, so temporary credentials are renewed before they expire.
    ``transport`` replaces the network (an ``httpx.MockTransport`` or the emulator's), for the API
    and for the credentials chain's STS / metadata calls alike.
    ``rate_limits`` overrides the per-action QPS of the product's ``limits.qps`` (merged; ``0`` means
    unlimited), ``rate_limit=False`` turns client-side limiting off (the per-call QPS spacing and
    the per-domain minute of submits). ``clock`` is used for retry sleeps, rate limiting, request
    timestamps and the 3-day query window. Use as a context manager, or call :meth:`close`.

    Reads: :meth:`describe_refresh_tasks`, :meth:`iter_refresh_tasks`,
    :meth:`describe_refresh_task_by_id`, :meth:`describe_preload_detail_by_id`,
    :meth:`describe_refresh_quota`. Submits (task ids back; :class:`PartialSubmit` when a later call
    fails after earlier ones were accepted): :meth:`refresh_object_caches`,
    :meth:`push_object_cache`, :meth:`refresh_object_cache_by_cache_tag`. Before a submit:
    :meth:`check_quota`, or ``check_quota=True``. :attr:`limits` is the product's limits table.
    """

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        credentials: Credentials | CredentialsProvider | None = None,
        transport: httpx.BaseTransport | None = None,
        product: str = DEFAULT_PRODUCT,
        signature_version: str = "v3",
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        rate_limits: Mapping[str, float] | None = None,
        rate_limit: bool = True,
        clock: Clock = SYSTEM_CLOCK,
        pulumi_config: Mapping[str, str] | None = None,
    ) -> None:
        timeout = check.timeout_seconds(timeout)
        signature_version = check.signature_version(signature_version)
        self.product: Product = product_for(product)
        """The product's table: every fact of its API this client reads."""
        self.limits = self.product.limits
        """The product's documented limits (:class:`~alicloud_cdn_refresh.limits.ProductLimits`)."""
        super().__init__(
            endpoint=resolve_endpoint(endpoint, pulumi_config=pulumi_config, product=self.product),
            credentials_provider=resolve_provider(
                credentials, pulumi_config=pulumi_config, transport=transport, clock=clock, timeout=timeout
            ),
            transport=transport,
            api_version=self.product.api_version,
            submit_actions=self.product.submit_actions,
            signature_version=signature_version,
            timeout=timeout,
            retry=retry,
            rate_limits=rate_limits,
            rate_limit=rate_limit,
            default_qps=self.limits.qps,
            clock=clock,
        )
        self._domain_window = DomainWindow(
            clock, window=limits.PER_DOMAIN_WINDOW.total_seconds(), enabled=rate_limit
        )

    # --- DescribeRefreshTasks -----------------------------------------------------------------

    def describe_refresh_tasks(
        self,
        query: TaskFilter | None = None,
        *,
        page_number: int | None = None,
        page_size: int | None = None,
        **filters: Unpack[TaskFilterArgs],
    ) -> RefreshTaskPage:
        """One page of refresh and preload tasks (last 3 days), filtered as given (AND).

        Filters are a :class:`~alicloud_cdn_refresh.query.TaskFilter` or its keyword arguments:
        ``task_id``, ``object_path``, ``domain_name``, ``object_type`` (file, directory or
        ``path``, regex, preload, block, unblock; required with ``domain_name`` or ``status``),
        ``status`` (Complete, Refreshing, Failed), ``start_time`` and ``end_time`` (aware
        datetimes or ``yyyy-MM-ddTHH:mm:ssZ``, both or neither) and ``resource_group_id``.
        """
        checked = check.task_filter(query, filters, product=self.product, clock=self.clock)
        params = {**checked.params(), **check.page_params(page_number, page_size, table=self.limits)}
        action = self.product.action(Operation.DESCRIBE_TASKS)
        data = self._call(action, params)
        return parse_page(
            data,
            action,
            page_number or 1,
            page_size or self.limits.default_page_size,
            list_key=self.product.responses.task_list,
        )

    def iter_refresh_tasks(
        self,
        query: TaskFilter | None = None,
        *,
        page_size: int | None = None,
        patience: float | None = None,
        **filters: Unpack[TaskFilterArgs],
    ) -> Iterator[RefreshTask]:
        """Every matching task of every page, each ``(task_id, object_path)`` once.

        Pages are read newest first; a task submitted during the walk pushes older ones down, so a
        re-read overlap is skipped, and when ``TotalCount`` grows meanwhile the walk reads on past
        the first count until a page brings nothing unseen. A page that still fails with a
        retryable error (``Throttling``, 5xx, network) after this client's :class:`RetryPolicy` is
        asked again after a pause (jittered, doubling from 1 s to 15 s), from the same page: the
        walk keeps what it yielded and gives up, raising the last error, only when no page could be
        read for ``patience`` seconds (default 120; ``0``: at the first such failure). Filters as for
        :meth:`describe_refresh_tasks`; they are checked here, not at the first ``next()``.
        ``page_size`` defaults to the product's largest (CDN 100, DCDN 50).
        """
        checked = check.task_filter(query, filters, product=self.product, clock=self.clock)
        size = self.limits.max_page_size if page_size is None else page_size
        check.page_params(page_size=size, table=self.limits)
        seconds = check.patience(patience, DEFAULT_PATIENCE)

        def fetch(page_number: int) -> RefreshTaskPage:
            return self.describe_refresh_tasks(checked, page_number=page_number, page_size=size)

        return walk_pages(fetch, size, clock=self.clock, patience=seconds)

    # --- DescribeRefreshTaskById --------------------------------------------------------------

    def describe_refresh_task_by_id(self, task_ids: Iterable[str | int] | str | int) -> list[RefreshTask]:
        """The tasks of any number of ids (duplicates dropped), asked 10 ids a call, in id order."""
        ids = check.task_ids(task_ids)
        action = self.product.action(Operation.DESCRIBE_TASK_BY_ID)
        tasks: list[RefreshTask] = []
        for batch in chunked(ids, self.limits.task_ids_per_call):
            data = self._call(action, {"TaskId": ",".join(batch)})
            tasks.extend(parse_tasks(data, action))
        return tasks

    # --- submit -------------------------------------------------------------------------------

    def refresh_object_caches(
        self,
        paths: Iterable[str] | str,
        object_type: str = "File",
        force: bool = False,
        *,
        check_quota: bool = False,
    ) -> list[str]:
        """Purge ``paths``; every task id returned (each once, in order).

        ``object_type``: ``File`` (URLs), ``Directory`` (ends in ``/``), ``Regex``, ``IgnoreParams``
        (a URL whatever its query string; its own daily quota of 100) or ``ExQuery`` (the SDK's older
        name of IgnoreParams). Paths are ``http(s)://`` URLs or, as in the reference's examples,
        URLs without a scheme (``example.com/a.png``).

        Sent in as many calls as the limits of :attr:`limits` require: per call at most 1,000 URLs,
        100 directories or 1 regex and 10 distinct domains (one domain's paths go together); at most
        10,000 URLs of one domain a minute (the client waits for the minute when needed).

        ``check_quota``: read DescribeRefreshQuota first and raise
        :class:`~alicloud_cdn_refresh.errors.InsufficientQuota`, sending nothing, when the paths need
        more than remains today. A failure after some calls were accepted raises
        :class:`~alicloud_cdn_refresh.errors.PartialSubmit` with the accepted task ids and paths.
        """
        kind = check.refresh_type_of(self.product, object_type)
        items = check.refresh_paths(paths, kind)
        row = self.limits.submit(self.product.action(Operation.REFRESH), kind.value)
        if check_quota:
            self._check_quota_for(row, len(items))
        base = {"ObjectType": kind.value, "Force": check.wire_flag("force", force)}
        return self._submit(
            Operation.REFRESH, row, items, lambda batch: {"ObjectPath": "\n".join(batch), **base}
        )

    def push_object_cache(
        self,
        paths: Iterable[str] | str,
        area: str | None = None,
        l2_preload: bool = False,
        with_header: Mapping[str, Any] | str | None = None,
        *,
        query_hashkey: bool | None = None,
        consistency_hash: bool | None = None,
        check_quota: bool = False,
    ) -> list[str]:
        """Preload ``paths`` (each at most 1,024 characters), 100 a call; every task id returned.

        ``area``: ``domestic`` or ``overseas`` (default: the domain's own coverage); ``l2_preload``:
        to L2 POPs; ``with_header``: headers the preload requests carry (a mapping or its JSON);
        ``query_hashkey``: ``True`` preloads under the hash key the domain's configuration gives the
        URL (the default, ``False``, uses the URL itself); ``consistency_hash``: PushObjectCache's
        ``ConsistencyHash`` (in the SDK, undocumented). Those two are sent only when given.
        ``check_quota`` and failures as for :meth:`refresh_object_caches`.
        """
        row = self.limits.submit(self.product.action(Operation.PRELOAD), "preload")
        items = check.submit_paths(paths, max_length=row.max_path_length)
        extra = check.preload_params(
            self.product,
            area=area,
            l2_preload=l2_preload,
            with_header=with_header,
            query_hashkey=query_hashkey,
            consistency_hash=consistency_hash,
        )
        if check_quota:
            self._check_quota_for(row, len(items))
        return self._submit(
            Operation.PRELOAD, row, items, lambda batch: {"ObjectPath": "\n".join(batch), **extra}
        )

    def refresh_object_cache_by_cache_tag(
        self, domain_name: str, cache_tags: Iterable[str] | str, force: bool = False
    ) -> list[str]:
        """Purge what the domain's responses tagged with any of ``cache_tags`` (the domain must have
        the cache-tag feature configured); every task id returned.

        ``cache_tags``: a list, or one comma-separated string; sent comma-separated, in as many calls
        as CacheTag's 16,384 characters need. ``force``: purge every tagged resource, not only the
        changed ones. The API documents no daily quota or per-call count for tags; the service's
        answer is the authority. A failure after some calls were accepted raises
        :class:`~alicloud_cdn_refresh.errors.PartialSubmit` (its "paths" are the tags).
        """
        domain = check.domain_name(domain_name)
        tags = check.cache_tags(cache_tags)
        operation = Operation.REFRESH_BY_CACHE_TAG
        row = self.limits.submit(self.product.action(operation), "cachetag")
        batches = list(chunked_by_length(tags, row.max_joined_length or limits.MAX_CACHE_TAG_LENGTH))
        base = {"DomainName": domain, "Force": check.wire_flag("force", force)}
        return self._send_batches(
            operation, batches, lambda batch: {"CacheTag": ",".join(batch), **base}, row=None, query=True
        )

    def _submit(
        self,
        operation: Operation,
        row: SubmitLimit,
        items: list[str],
        form_of: Callable[[list[str]], dict[str, str]],
    ) -> list[str]:
        batches = submit_batches(items, row, self.limits)
        return self._send_batches(operation, batches, form_of, row=row, query=False)

    def _send_batches(
        self,
        operation: Operation,
        batches: list[list[str]],
        params_of: Callable[[list[str]], dict[str, str]],
        *,
        row: SubmitLimit | None,
        query: bool,
    ) -> list[str]:
        """Send each batch (see :func:`~.submits.send_batches`): in the query string or the form,
        each under ``row``'s per-domain minute when it has one."""
        action = self.product.action(operation)
        field = self.product.responses.task_ids[operation]

        def send(batch: list[str]) -> list[str]:
            if row is not None and row.per_domain_per_minute is not None:
                pace_domains(self._domain_window, action, batch, row.per_domain_per_minute)
            values = params_of(batch)
            data = self._call(action, values, form=None) if query else self._call(action, {}, form=values)
            return parse_task_ids(data, field, action)

        return send_batches(action, batches, send)

    # --- DescribePreloadDetailById ------------------------------------------------------------

    def describe_preload_detail_by_id(self, task_id: str | int) -> PreloadDetailResult:
        """The per-URL progress of one preload task (PushObjectCache's id; last 3 days).

        The reference says only accounts on a whitelist may call it; others get the service's error.
        CDN only: a DCDN client raises :class:`~alicloud_cdn_refresh.errors.InvalidQuery` (``product``).
        """
        action = self.product.action(Operation.DESCRIBE_PRELOAD_DETAIL)
        data = self._call(action, {"TaskId": check.single_task_id(task_id)})
        return parse_preload_detail(data, action)

    # --- quota --------------------------------------------------------------------------------

    def describe_refresh_quota(self) -> RefreshQuota:
        """Today's quotas and what remains of them, as integers."""
        action = self.product.action(Operation.DESCRIBE_QUOTA)
        return parse_quota(self._call(action, {}), action)

    def check_quota(self, kind: str, needed: int, *, quota: RefreshQuota | None = None) -> RefreshQuota:
        """Raise :class:`~alicloud_cdn_refresh.errors.InsufficientQuota` when ``needed`` more of a daily
        quota (``url``, ``dir``, ``regex``, ``ignore_params``, ``preload``...) than remains today;
        return the quota read (``quota``, when given, is used instead of asking the service).

        A kind the answer does not report cannot be checked and passes. Which kind a submit uses:
        ``client.limits.submit(action, object_type).quota``.
        """
        check.quota_kind(kind)
        check.needed_count(needed)
        current = quota if quota is not None else self.describe_refresh_quota()
        remain = current.remain_of(kind)
        if remain is not None and needed > remain:
            raise InsufficientQuota(kind, needed=needed, remain=remain, quota=current.quota_of(kind))
        return current

    def _check_quota_for(self, row: SubmitLimit, count: int) -> None:
        if row.quota is not None:
            self.check_quota(row.quota, count)

    # --- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> CdnClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        used = self._signer.last_used
        if used is None:
            peek = getattr(self.credentials_provider, "peek", None)
            used = peek() if callable(peek) else None
        key = repr(used.access_key_id) if used is not None else "None"
        product = "" if self.product.name == DEFAULT_PRODUCT else f"product={self.product.name!r}, "
        return f"CdnClient({product}endpoint={self.endpoint!r}, access_key_id={key})"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("CdnClient cannot be pickled: it holds credentials and open connections")

    def __getstate__(self) -> NoReturn:
        raise TypeError("CdnClient cannot be pickled: it holds credentials and open connections")
