"""``CdnClient``: the signed, retried, rate-limited client of the CDN (or DCDN) refresh/preload API.

Which product it speaks is one :class:`~alicloud_cdn_refresh.products.Product` table (``product=
"cdn"`` or ``"dcdn"``): endpoint, version, action names, where answers keep tasks and ids, limits,
QPS. Below, the CDN action names stand for their operation (DCDN's are in ``products.py``).

One ``httpx.Client`` (keep-alive) per ``CdnClient``; requests are ``POST /`` with the business
parameters in the query string, except the refresh and the preload whose parameters (long URL
lists) go in a form-encoded body. The signer (V3 by default, V1 on request) adds the rest.
Parameters are checked before any network call (:mod:`.params`), answers are parsed into typed
values (:mod:`.responses`), failures are retried per :class:`~.retry.RetryPolicy`, and calls are
spaced per action by an adaptive :class:`~.ratelimit.RateLimiter`; all time goes through ``clock``.

Retries (the codes are in :mod:`alicloud_cdn_refresh.error_codes`):

- *Reads* (Describe*) are retried on ``Throttling*``, ``TooManyRequests`` (HTTP 429),
  ``TooMany.Refresh``, ``QuotaPerMinuteExceeded.Refresh``, ``PreloadQueueFull``, ``ServiceBusy``,
  ``ServiceUnavailable``, ``InternalError``, HTTP 500/502/503/504, transport errors and bodies that
  are not JSON (``MalformedResponse``: a truncated or garbled body from a proxy). A body that is JSON
  but lacks fields is ``MalformedResponse`` too, but is not retried (the same request would get the
  same answer).
- *Submits* (RefreshObjectCaches, PushObjectCache, RefreshObjectCacheByCacheTag) are retried only
  when the service said it did not take them: ``Throttling*``, HTTP 429 ``TooManyRequests``,
  ``TooMany.Refresh``, ``QuotaPerMinuteExceeded.Refresh``, ``PreloadQueueFull``, ``ServiceBusy``,
  HTTP 503 (``ServiceUnavailable``), and a connection that could not be made (nothing was sent).
  Never after an answer that may mean the submit was accepted: a timeout or a dropped connection
  after sending, a 2xx body cut short or garbled, HTTP 500/502/504 (``InternalError``, a gateway
  that lost the answer). The API has no idempotency token, so a resent purge would be a second purge
  that spends the daily quota again; such a failure is raised, and when earlier calls of the same
  submit were accepted it is a :class:`~alicloud_cdn_refresh.errors.PartialSubmit` naming what went
  through (task ids and paths), what may have, and what did not.

Every wait honours the server's ``x-acs-retry-after`` (milliseconds) or ``Retry-After`` (seconds
or an HTTP date) and stays inside the policy's time budget.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

import httpx

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.batching import batches_by_domain, chunked, chunked_by_length
from alicloud_cdn_refresh.client.endpoints import resolve_endpoint
from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, Clock
from alicloud_cdn_refresh.credentials import Credentials, CredentialsProvider, resolve_provider
from alicloud_cdn_refresh.error_codes import TRANSIENT_CODES
from alicloud_cdn_refresh.errors import (
    AcceptedBatch,
    ApiError,
    InsufficientQuota,
    InvalidQuery,
    PartialSubmit,
)
from alicloud_cdn_refresh.limits import SubmitLimit
from alicloud_cdn_refresh.models import (
    QUOTA_FIELDS,
    PreloadDetailResult,
    RefreshQuota,
    RefreshTask,
    RefreshTaskPage,
)
from alicloud_cdn_refresh.paths import domain_of
from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, Operation, Product, product_for
from alicloud_cdn_refresh.query import FILTER_FIELDS, TaskFilter
from alicloud_cdn_refresh.signatures import ACTION_HEADER, VERSION_HEADER, percent_encode

from . import params as check
from .pages import DEFAULT_PATIENCE, walk_pages
from .ratelimit import DomainWindow, RateLimiter
from .responses import (
    error_from_body,
    load_json,
    parse_page,
    parse_preload_detail,
    parse_quota,
    parse_task_ids,
    parse_tasks,
)
from .retry import RetryPolicy, retry_after_seconds
from .signers import make_signer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from alicloud_cdn_refresh.query import TaskFilterArgs

__all__ = ["CdnClient", "RetryPolicy"]

logger = logging.getLogger(__name__)

_USER_AGENT = "pulumi-alicloud-cdn-refresh/0.1 (httpx)"


@functools.lru_cache(maxsize=256)
def _parsed_url(url: str) -> httpx.URL:
    """Parsed once per distinct URL: a poller sends the same query again and again (URL is immutable)."""
    return httpx.URL(url)


def _bool(value: object) -> str:
    return "true" if value else "false"


_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
"""Transport errors raised before any byte of the request left: resending cannot do it twice.
(``ProxyError`` is not here: a proxy may have forwarded the request before failing.)"""


def _may_have_been_accepted(error: ApiError) -> bool:
    """Whether a failed submit call may nevertheless have been carried out (its answer was lost)."""
    if error.code == "TransportError":
        return error.request_sent is not False
    return error.code in TRANSIENT_CODES or error.http_status in (500, 502, 504)


class CdnClient:
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
        if timeout <= 0:
            raise InvalidQuery("timeout", f"{timeout!r} must be > 0 seconds")
        self.product: Product = product_for(product)
        """The product's table: every fact of its API this client reads."""
        self.endpoint = resolve_endpoint(endpoint, pulumi_config=pulumi_config, product=self.product)
        self.credentials_provider = resolve_provider(
            credentials, pulumi_config=pulumi_config, transport=transport, clock=clock, timeout=timeout
        )
        """Asked for credentials on every request (a fixed value, or temporary ones it renews)."""
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.call_counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._signer = make_signer(self.credentials_provider, signature_version, clock=clock.now)
        self.signature_version = self._signer.version
        self.limits = self.product.limits
        """The product's documented limits (:class:`~alicloud_cdn_refresh.limits.ProductLimits`)."""
        self._limiter = RateLimiter(clock, rate_limits, enabled=rate_limit, defaults=self.limits.qps)
        self._version_header = {VERSION_HEADER: self.product.api_version}
        self._submit_actions = self.product.submit_actions
        self._domain_window = DomainWindow(
            clock, window=limits.PER_DOMAIN_WINDOW.total_seconds(), enabled=rate_limit
        )
        self._timeout = httpx.Timeout(timeout)
        self._url = self.endpoint + "/"
        self._http = httpx.Client(transport=transport, timeout=self._timeout, follow_redirects=False)
        # Requests go straight to the transport that httpx.Client picked for the endpoint (the
        # given one, or its keep-alive pool, or an environment proxy): the client's per-request
        # machinery (cookies, redirects, hooks) is not needed here and costs a quarter of the CPU
        # of a call. Falls back to Client.send should httpx ever drop that method.
        transport_for_url = getattr(self._http, "_transport_for_url", None)
        self._transport: httpx.BaseTransport | None = (
            transport_for_url(httpx.URL(self._url)) if callable(transport_for_url) else None
        )
        self._base_headers = {"user-agent": _USER_AGENT, "accept-encoding": "gzip, deflate"}
        self._extensions = {"timeout": self._timeout.as_dict()}

    # --- plumbing -----------------------------------------------------------------------------

    @property
    def access_key_id(self) -> str:
        """The access key id requests are signed with now (never the secret); for temporary
        credentials this fetches or renews them when due."""
        return self.credentials_provider.get().access_key_id

    @property
    def rate_limiter(self) -> RateLimiter:
        """The per-action rate limiter (its current rates show how far it has slowed down)."""
        return self._limiter

    def _count(self, action: str) -> None:
        with self._counts_lock:
            self.call_counts[action] += 1

    def _call(
        self, action: str, params: Mapping[str, str], *, form: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        """One API call with retries; the answer's JSON object, or an :class:`ApiError`.

        A submit action is retried only after failures that say it was not carried out
        (:attr:`ApiError.retryable_submit`); see the module's docstring.
        """
        policy = self.retry
        clock = self.clock
        started = clock.monotonic()
        headers = {ACTION_HEADER: action, **self._version_header}
        submit = action in self._submit_actions
        retry_number = 0
        while True:
            self._limiter.acquire(action)
            self._count(action)
            try:
                data, error, retry_after = self._attempt(action, params, form, headers)
            finally:
                self._limiter.finished(action)  # paces the call N later (ratelimit.ANSWER_ALLOWANCE)
            if error is None:
                return data
            if error.code.startswith("Throttling") or error.code == "TooManyRequests":
                self._limiter.on_throttle(action)
            if not (error.retryable_submit if submit else error.retryable):
                raise error
            wait = policy.delay(retry_number, elapsed=clock.monotonic() - started, retry_after=retry_after)
            if wait is None:
                logger.debug("%s: giving up after %d attempt(s): %s", action, retry_number + 1, error.code)
                raise error
            logger.debug(
                "%s: attempt %d failed with %s (HTTP %s), retrying in %.3fs",
                action,
                retry_number + 1,
                error.code,
                error.http_status,
                wait,
            )
            clock.sleep(wait)
            retry_number += 1

    def _attempt(
        self,
        action: str,
        params: Mapping[str, str],
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> tuple[dict[str, Any], ApiError | None, float | None]:
        """``(body, None, None)`` on success, else ``({}, error, retry_after_seconds_or_None)``."""
        # The query is written canonically here, so the V3 signer has nothing to re-write.
        url = self._url
        if params:
            url += "?" + "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items())
        request = httpx.Request(
            "POST",
            _parsed_url(url),
            headers={**self._base_headers, **headers},
            data=form,
            extensions=self._extensions,
        )
        try:
            request = next(self._signer.sync_auth_flow(request))
            if self._transport is None:
                response = self._http.send(request)
                content = response.content
            else:
                response = self._transport.handle_request(request)
                try:
                    content = response.read()
                finally:
                    response.close()
        except httpx.TransportError as exc:
            return {}, self._transport_error(action, exc), None
        except httpx.HTTPError as exc:  # anything else httpx may raise on the way (a decoding error)
            return {}, self._transport_error(action, exc), None
        status = response.status_code
        if 200 <= status < 300:
            try:
                data = load_json(content, action, status)
            except ApiError as malformed:
                return {}, malformed, None
            if "Code" in data and "Message" in data and "RequestId" in data and len(data) <= 5:
                return {}, error_from_body(content, status, action), None
            return data, None, None
        error = error_from_body(content, status, action)
        logger.debug("%s: HTTP %d %s [RequestId %s]", action, status, error.code, error.request_id)
        return {}, error, retry_after_seconds(response.headers, self.clock.now())

    def _transport_error(self, action: str, exc: Exception) -> ApiError:
        text = str(exc) or type(exc).__name__
        used = self._signer.last_used
        for secret in (used.access_key_secret, used.security_token) if used is not None else ():
            if secret:
                text = text.replace(secret, "***")
        logger.debug("%s: transport error %s", action, type(exc).__name__)
        return ApiError(
            "TransportError",
            f"{type(exc).__name__} talking to {self.endpoint}: {text}",
            action=action,
            request_sent=not isinstance(exc, _UNSENT),
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
        checked = self._filter(query, filters)
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
        checked = self._filter(query, filters)
        size = self.limits.max_page_size if page_size is None else page_size
        check.page_params(page_size=size, table=self.limits)
        if patience is None:
            patience = DEFAULT_PATIENCE
        if isinstance(patience, bool) or not isinstance(patience, (int, float)) or not patience >= 0:
            raise InvalidQuery("patience", f"expected a number of seconds >= 0, got {patience!r}")

        def fetch(page_number: int) -> RefreshTaskPage:
            return self.describe_refresh_tasks(checked, page_number=page_number, page_size=size)

        return walk_pages(fetch, size, clock=self.clock, patience=float(patience))

    def _filter(self, query: TaskFilter | None, filters: Mapping[str, Any]) -> TaskFilter:
        if query is None:
            checked = TaskFilter.build(self.clock.now(), **filters)
        elif filters:
            raise TypeError("give the filters as a TaskFilter or as keyword arguments, not both")
        elif not isinstance(query, TaskFilter):
            raise InvalidQuery("query", f"expected a TaskFilter, got {type(query).__name__}")
        else:
            checked = query
        for field in FILTER_FIELDS:
            if field.name not in self.product.describe_filters and getattr(checked, field.name) is not None:
                action = self.product.action(Operation.DESCRIBE_TASKS)
                raise InvalidQuery(field.wire, f"{self.product.title}'s {action} takes no {field.wire}")
        return checked

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
        items = check.submit_paths(paths)
        kind = check.refresh_object_type(object_type)
        action = self.product.action(Operation.REFRESH)
        if (action, kind.value) not in self.limits.submits:
            allowed = ", ".join(self.limits.types_of(action))
            raise InvalidQuery(
                "ObjectType",
                f"{kind.value!r} is not taken by {self.product.title}'s {action}; allowed: {allowed}",
            )
        row = self.limits.submit(action, kind.value)
        if check_quota:
            self._check_quota_for(row, len(items))
        base = {"ObjectType": kind.value, "Force": _bool(force)}
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
        action = self.product.action(Operation.PRELOAD)
        row = self.limits.submit(action, "preload")
        items = check.submit_paths(paths, max_length=row.max_path_length)
        extra: dict[str, str] = {}
        if area is not None:
            extra["Area"] = check.preload_area(area).value
        extra["L2Preload"] = _bool(l2_preload)
        if with_header is not None:
            extra["WithHeader"] = check.with_header_json(with_header)
        for name, value in (("QueryHashkey", query_hashkey), ("ConsistencyHash", consistency_hash)):
            flag = check.optional_flag(name, value)
            if flag is not None:
                extra[name] = flag
        for name in extra:
            if name not in self.product.preload_flags:
                raise InvalidQuery(name, f"{self.product.title}'s {action} takes no {name}")
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
        base = {"DomainName": domain, "Force": _bool(force)}
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
        batches = batches_by_domain(
            items,
            per_call=row.per_call,
            domains_per_call=self.limits.domains_per_call.get(row.action),
            domain_of=domain_of,
        )
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
        """Send each batch; the task ids, or a :class:`PartialSubmit` once a call fails after some
        were accepted (the failing call's own :class:`ApiError` when none was)."""
        action = self.product.action(operation)
        field = self.product.responses.task_ids[operation]
        accepted: list[AcceptedBatch] = []
        for index, batch in enumerate(batches):
            try:
                if row is not None and row.per_domain_per_minute is not None:
                    self._pace_domains(action, batch, row.per_domain_per_minute)
                values = params_of(batch)
                data = self._call(action, values, form=None) if query else self._call(action, {}, form=values)
                ids = parse_task_ids(data, field, action)
            except ApiError as error:
                if not accepted:
                    raise
                later = [path for rest in batches[index + 1 :] for path in rest]
                if _may_have_been_accepted(error):
                    raise PartialSubmit(
                        action, accepted, later, cause=error, uncertain_paths=batch
                    ) from error
                raise PartialSubmit(action, accepted, [*batch, *later], cause=error) from error
            accepted.append(AcceptedBatch(tuple(ids), tuple(batch)))
        return list(dict.fromkeys(task_id for done in accepted for task_id in done.task_ids))

    def _pace_domains(self, action: str, batch: list[str], per_minute: int) -> None:
        counts = Counter(domain_of(path) for path in batch)
        for domain, count in counts.items():
            waited = self._domain_window.reserve(action, domain, count, per_minute)
            if waited:
                logger.debug("%s: waited %.1fs for %s's per-minute limit", action, waited, domain)

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
        if kind not in QUOTA_FIELDS:
            raise InvalidQuery("kind", f"{kind!r} is not a quota kind; use one of: {', '.join(QUOTA_FIELDS)}")
        if isinstance(needed, bool) or not isinstance(needed, int) or needed < 0:
            raise InvalidQuery("needed", f"expected a count >= 0, got {needed!r}")
        current = quota if quota is not None else self.describe_refresh_quota()
        remain = current.remain_of(kind)
        if remain is not None and needed > remain:
            raise InsufficientQuota(kind, needed=needed, remain=remain, quota=current.quota_of(kind))
        return current

    def _check_quota_for(self, row: SubmitLimit, count: int) -> None:
        if row.quota is not None:
            self.check_quota(row.quota, count)

    # --- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

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
