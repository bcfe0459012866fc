"""``CdnClient``: the signed, retried, rate-limited client of the CDN refresh/preload API.

One ``httpx.Client`` (keep-alive) per ``CdnClient``; requests are ``POST /`` with the business
parameters in the query string, except RefreshObjectCaches and PushObjectCache whose parameters
(long URL lists) go in a form-encoded body. The signer (V3 by default, V1 on request) adds the rest.
Parameters are checked before any network call (:mod:`._validation`), answers are parsed into typed
values (:mod:`._responses`), failures are retried per :class:`~.retry.RetryPolicy`, and calls are
spaced per action by an adaptive :class:`~.ratelimit.RateLimiter`; all time goes through ``clock``.

Retried: ``Throttling*``, ``ServiceUnavailable``, ``InternalError``, ``ServiceBusy``, HTTP 5xx
gateways, transport errors and bodies that are not JSON (``MalformedResponse``: a truncated or
garbled body from a proxy). A body that is JSON but lacks fields is ``MalformedResponse`` too, but is
not retried (the same request would get the same answer). Submits are retried like reads: a purge or
preload sent twice is harmless, though a retry after a lost answer may count twice against the quota.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

import httpx

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.batching import chunked
from alicloud_cdn_refresh.client.endpoints import resolve_endpoint
from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, Clock
from alicloud_cdn_refresh.credentials import Credentials, resolve_credentials
from alicloud_cdn_refresh.errors import ApiError, InvalidQuery
from alicloud_cdn_refresh.models import RefreshQuota, RefreshTask, RefreshTaskPage
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.query import TaskFilter
from alicloud_cdn_refresh.signatures import ACTION_HEADER, VERSION_HEADER, percent_encode

from . import params as check
from .pages import DEFAULT_PATIENCE, walk_pages
from .ratelimit import RateLimiter
from .responses import error_from_body, load_json, parse_page, parse_quota, parse_task_ids, parse_tasks
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


class CdnClient:
    """Synchronous client of the Alibaba Cloud CDN refresh/preload API (version 2018-05-10).

    ``endpoint`` and ``credentials`` default to the resolution order of
    :mod:`alicloud_cdn_refresh.credentials`, reading ``pulumi_config`` (a plain mapping of
    ``alicloud:*`` keys), the environment and the CLI profile file. ``transport`` replaces the
    network (an ``httpx.MockTransport`` or the emulator's).
    ``rate_limits`` overrides the per-action QPS of :data:`~.limits.QPS_LIMITS` (merged; ``0`` means
    unlimited), ``rate_limit=False`` turns client-side limiting off. ``clock`` is used for retry
    sleeps, rate limiting, request timestamps and the 3-day query window. Use as a context manager,
    or call :meth:`close`.
    """

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        credentials: Credentials | None = None,
        transport: httpx.BaseTransport | None = None,
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
        self.endpoint = resolve_endpoint(endpoint, pulumi_config=pulumi_config)
        self._credentials = resolve_credentials(credentials, pulumi_config=pulumi_config)
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.call_counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._signer = make_signer(self._credentials, signature_version, clock=clock.now)
        self.signature_version = self._signer.version
        self._limiter = RateLimiter(clock, rate_limits, enabled=rate_limit)
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
        """The access key id requests are signed with (never the secret)."""
        return self._credentials.access_key_id

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
        """One API call with retries; the answer's JSON object, or an :class:`ApiError`."""
        policy = self.retry
        clock = self.clock
        started = clock.monotonic()
        headers = {ACTION_HEADER: action, VERSION_HEADER: products.API_VERSION}
        retry_number = 0
        while True:
            self._limiter.acquire(action)
            self._count(action)
            data, error, retry_after = self._attempt(action, params, form, headers)
            if error is None:
                return data
            if error.code.startswith("Throttling"):
                self._limiter.on_throttle(action)
            if not error.retryable:
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
        return {}, error, retry_after_seconds(response.headers)

    def _transport_error(self, action: str, exc: Exception) -> ApiError:
        text = str(exc) or type(exc).__name__
        for secret in (self._credentials.access_key_secret, self._credentials.security_token):
            if secret:
                text = text.replace(secret, "***")
        logger.debug("%s: transport error %s", action, type(exc).__name__)
        return ApiError(
            "TransportError", f"{type(exc).__name__} talking to {self.endpoint}: {text}", action=action
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
        params = {**checked.params(), **check.page_params(page_number, page_size)}
        action = Action.DESCRIBE_REFRESH_TASKS
        data = self._call(action, params)
        return parse_page(data, action, page_number or 1, page_size or limits.DEFAULT_PAGE_SIZE)

    def iter_refresh_tasks(
        self,
        query: TaskFilter | None = None,
        *,
        page_size: int = limits.MAX_PAGE_SIZE,
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
        """
        checked = self._filter(query, filters)
        check.page_params(page_size=page_size)
        if patience is None:
            patience = DEFAULT_PATIENCE
        if isinstance(patience, bool) or not isinstance(patience, (int, float)) or not patience >= 0:
            raise InvalidQuery("patience", f"expected a number of seconds >= 0, got {patience!r}")

        def fetch(page_number: int) -> RefreshTaskPage:
            return self.describe_refresh_tasks(checked, page_number=page_number, page_size=page_size)

        return walk_pages(fetch, page_size, clock=self.clock, patience=float(patience))

    def _filter(self, query: TaskFilter | None, filters: Mapping[str, Any]) -> TaskFilter:
        if query is None:
            return TaskFilter.build(self.clock.now(), **filters)
        if filters:
            raise TypeError("give the filters as a TaskFilter or as keyword arguments, not both")
        if not isinstance(query, TaskFilter):
            raise InvalidQuery("query", f"expected a TaskFilter, got {type(query).__name__}")
        return query

    # --- DescribeRefreshTaskById --------------------------------------------------------------

    def describe_refresh_task_by_id(self, task_ids: Iterable[str | int] | str | int) -> list[RefreshTask]:
        """The tasks of any number of ids (duplicates dropped), asked 10 ids a call, in id order."""
        ids = check.task_ids(task_ids)
        action = Action.DESCRIBE_REFRESH_TASK_BY_ID
        tasks: list[RefreshTask] = []
        for batch in chunked(ids, limits.MAX_TASK_IDS_PER_CALL):
            data = self._call(action, {"TaskId": ",".join(batch)})
            tasks.extend(parse_tasks(data, action))
        return tasks

    # --- submit -------------------------------------------------------------------------------

    def refresh_object_caches(
        self, paths: Iterable[str] | str, object_type: str = "File", force: bool = False
    ) -> list[str]:
        """Purge ``paths`` (File, Directory, Regex or ExQuery), 1,000 a call; every task id returned."""
        items = check.submit_paths(paths)
        kind = check.refresh_object_type(object_type)
        action = Action.REFRESH_OBJECT_CACHES
        ids: list[str] = []
        for batch in chunked(items, limits.MAX_REFRESH_PATHS_PER_CALL):
            form = {"ObjectPath": "\n".join(batch), "ObjectType": kind.value, "Force": _bool(force)}
            data = self._call(action, {}, form=form)
            ids.extend(parse_task_ids(data, "RefreshTaskId", action))
        return ids

    def push_object_cache(
        self,
        paths: Iterable[str] | str,
        area: str | None = None,
        l2_preload: bool = False,
        with_header: Mapping[str, Any] | str | None = None,
    ) -> list[str]:
        """Preload ``paths`` (each at most 1,024 characters), 100 a call; every task id returned."""
        items = check.submit_paths(paths, max_length=limits.MAX_PRELOAD_PATH_LENGTH)
        extra: dict[str, str] = {}
        if area is not None:
            extra["Area"] = check.preload_area(area).value
        extra["L2Preload"] = _bool(l2_preload)
        if with_header is not None:
            extra["WithHeader"] = check.with_header_json(with_header)
        action = Action.PUSH_OBJECT_CACHE
        ids: list[str] = []
        for batch in chunked(items, limits.MAX_PRELOAD_PATHS_PER_CALL):
            data = self._call(action, {}, form={"ObjectPath": "\n".join(batch), **extra})
            ids.extend(parse_task_ids(data, "PushTaskId", action))
        return ids

    # --- quota --------------------------------------------------------------------------------

    def describe_refresh_quota(self) -> RefreshQuota:
        """Today's quotas and what remains of them, as integers."""
        action = Action.DESCRIBE_REFRESH_QUOTA
        return parse_quota(self._call(action, {}), action)

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
        return f"CdnClient(endpoint={self.endpoint!r}, access_key_id={self._credentials.access_key_id!r})"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("CdnClient cannot be pickled: it holds credentials and open connections")

    def __getstate__(self) -> NoReturn:
        raise TypeError("CdnClient cannot be pickled: it holds credentials and open connections")
