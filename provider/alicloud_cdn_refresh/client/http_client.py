"""``ApiCaller``: one signed API call, retried and rate-limited (the base of :class:`~.cdn_client.CdnClient`).

Requests are ``POST /`` with the business parameters in the query string, or (the refresh and the
preload, whose URL lists are long) in a form-encoded body; the signer (V3 by default, V1 on request)
adds the rest. One ``httpx.Client`` (keep-alive) per caller; an answer is read up to
:data:`MAX_RESPONSE_BYTES`; a transport failure becomes an ``ApiError`` (``TransportError``) that says
whether the request was sent. Calls are spaced per action by an adaptive
:class:`~.ratelimit.RateLimiter`; all time goes through ``clock``.

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
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

import httpx

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.credentials import CredentialsProvider
from alicloud_cdn_refresh.errors import ApiError
from alicloud_cdn_refresh.signatures import ACTION_HEADER, VERSION_HEADER, percent_encode

from .ratelimit import RateLimiter
from .responses import error_from_body, load_json
from .retry import RetryPolicy, retry_after_seconds
from .signers import make_signer

__all__ = ["MAX_RESPONSE_BYTES", "RESPONSE_TOO_LARGE", "ApiCaller", "logger"]

logger = logging.getLogger("alicloud_cdn_refresh.client.cdn_client")
"""The client's one logger (``--debug`` lines name it): calls, answers, retries, waits."""

_USER_AGENT = "pulumi-alicloud-cdn-refresh/0.1 (httpx)"


@functools.lru_cache(maxsize=256)
def _parsed_url(url: str) -> httpx.URL:
    """Parsed once per distinct URL: a poller sends the same query again and again (URL is immutable)."""
    return httpx.URL(url)


def _shown(params: Mapping[str, str], form: Mapping[str, str] | None) -> str:
    """A request's parameters for ``--debug``: long values shortened, WithHeader's values left out
    (an origin's Authorization header may be in them). No credential is ever among them: the
    signer adds those later."""
    parts = []
    for name, value in {**params, **(form or {})}.items():
        if name == "WithHeader":
            value = f"<headers {', '.join(sorted(_header_names(value)))}>"
        elif "\n" in value:
            lines = value.split("\n")
            value = f"<{len(lines)} lines: {lines[0][:80]} ...>"
        elif len(value) > 120:
            value = value[:117] + "..."
        parts.append(f"{name}={value}")
    return " ".join(parts) or "(no parameters)"


def _header_names(value: str) -> list[str]:
    try:
        decoded = json.loads(value)
    except ValueError:
        return ["?"]
    return [str(name) for name in decoded] if isinstance(decoded, dict) else ["?"]


_UNSENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
"""Transport errors raised before any byte of the request left: resending cannot do it twice.
(``ProxyError`` is not here: a proxy may have forwarded the request before failing.)"""


MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The largest answer read (decoded); a page of 100 tasks is under 100 KB. A larger one is refused
as it streams in (``ResponseTooLarge``), never held in memory whole."""
RESPONSE_TOO_LARGE = "ResponseTooLarge"


class _TooLarge(Exception):
    pass


def _read_capped(response: httpx.Response) -> bytes:
    """The body, decoded, or :class:`_TooLarge` once it passes :data:`MAX_RESPONSE_BYTES`."""
    declared = response.headers.get("content-length", "")
    if (
        declared.isdigit()
        and int(declared) > MAX_RESPONSE_BYTES
        and "content-encoding" not in response.headers
    ):
        raise _TooLarge
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > MAX_RESPONSE_BYTES:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class ApiCaller:
    """Signed, retried, rate-limited calls of one product's API at one endpoint: :meth:`_call`.

    ``api_version`` goes in every request's version header; ``submit_actions`` are the actions retried
    only when the service said it did not take them (see the module's docstring). ``rate_limits``,
    ``rate_limit`` and ``default_qps`` make the :class:`~.ratelimit.RateLimiter`. Closes with
    :meth:`close`.
    """

    def __init__(
        self,
        *,
        endpoint: str,
        credentials_provider: CredentialsProvider,
        transport: httpx.BaseTransport | None,
        api_version: str,
        submit_actions: Collection[str],
        signature_version: str,
        timeout: float,
        retry: RetryPolicy | None,
        rate_limits: Mapping[str, float] | None,
        rate_limit: bool,
        default_qps: Mapping[str, float],
        clock: Clock,
    ) -> None:
        self.endpoint = endpoint
        self.credentials_provider = credentials_provider
        """Asked for credentials on every request (a fixed value, or temporary ones it renews)."""
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.call_counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._signer = make_signer(self.credentials_provider, signature_version, clock=clock.now)
        self.signature_version = self._signer.version
        self._limiter = RateLimiter(clock, rate_limits, enabled=rate_limit, defaults=default_qps)
        self._version_header = {VERSION_HEADER: api_version}
        self._submit_actions = submit_actions
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
        logger.debug(
            "endpoint %s, signature %s, credentials %s (%s), timeout %gs per request",
            self.endpoint,
            self.signature_version,
            getattr(self.credentials_provider, "mode", "?"),
            getattr(self.credentials_provider, "source", "?"),
            timeout,
        )

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
        debug = logger.isEnabledFor(logging.DEBUG)
        while True:
            self._limiter.acquire(action)
            self._count(action)
            if debug:
                logger.debug("%s -> %s %s", action, self._url, _shown(params, form))
                sent = time.perf_counter()
            try:
                data, error, retry_after = self._attempt(action, params, form, headers)
            finally:
                self._limiter.finished(action)  # paces the call N later (ratelimit.ANSWER_ALLOWANCE)
            if debug:
                took = (time.perf_counter() - sent) * 1000
                result = "OK" if error is None else f"{error.code} (HTTP {error.http_status})"
                request_id = data.get("RequestId") if error is None else error.request_id
                logger.debug("%s <- %s in %.0f ms [RequestId %s]", action, result, took, request_id or "-")
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
                response = self._http.send(request, stream=True)
            else:
                response = self._transport.handle_request(request)
            try:
                content = _read_capped(response)
            finally:
                response.close()
        except _TooLarge:
            return {}, self._too_large(action, response.status_code), None
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

    def _too_large(self, action: str, status: int) -> ApiError:
        logger.debug("%s: HTTP %d answer over %d bytes refused", action, status, MAX_RESPONSE_BYTES)
        return ApiError(
            RESPONSE_TOO_LARGE,
            f"the answer of {self.endpoint} is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MiB and was "
            "not read (no answer of the CDN API is that large: is the endpoint right?)",
            http_status=status,
            action=action,
            request_sent=True,
        )

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

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()
