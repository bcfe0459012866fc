"""The catalogue of the API's error codes (CDN, the gateway, and STS): HTTP status, message and
whether a retry may succeed.

Shared by the client (which answers to retry) and the emulator (which code, status and message to
answer with), so that every code is spelled once.

Sources of the submit-side rows (newest first): the error tables of RefreshObjectCacheByCacheTag
(CDN, Nov 2024) and RefreshDcdnObjectCaches (DCDN, 2025: the same table as the CDN refresh page plus
HTTP 429 ``TooManyRequests``), then the CDN RefreshObjectCaches / PushObjectCache tables of the
older Chinese reference (``InvalidObjectPath.Size.Malformed``, ``PreloadQueueFull`` 403,
``ServiceBusy``, ``IllegalOperation``, ``InvalidDomain.Configure_failed``). The DescribeRefreshTasks
rows keep the CDN page's wording (the seed); ``InvalidTime`` and ``DomainNameOverLimit`` are from the
newest DescribeDcdnRefreshTasks page.

Per-product differences are overrides of a catalogued code (:data:`DCDN_ERROR_OVERRIDES`), which a
product's table in :mod:`.products` names; :func:`spec_for` reads a code through them.

Two kinds of "try again":

- *refused* (:data:`REFUSED_CODES`, ``Throttling*``, HTTP 429 and 503): the service says it did not
  take the request and to come back later. Safe to send again, a purge included.
- *transient* (:data:`TRANSIENT_CODES`, HTTP 500/502/504, transport failures after sending, a 2xx
  body cut short): the same request may well succeed, but the first one may have been carried out.
  Reads are retried; submits are not (a purge sent twice spends the quota twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, NamedTuple

__all__ = [
    "API_ERRORS",
    "DCDN_ERROR_OVERRIDES",
    "REFUSED_CODES",
    "REFUSED_HTTP_STATUSES",
    "RETRYABLE_HTTP_STATUSES",
    "TRANSIENT_CODES",
    "ApiErrorSpec",
    "is_retryable",
    "is_retryable_submit",
    "spec_for",
]


class ApiErrorSpec(NamedTuple):
    """A documented error answer: its HTTP status and the service's message.

    (An immutable row; a named tuple rather than a dataclass, which would cost a millisecond at
    every start-up that reads the products' tables, ``cdn-refresh tasks --help`` among them.)"""

    code: str
    http_status: int
    message: str


def _spec(code: str, http_status: int, message: str) -> tuple[str, ApiErrorSpec]:
    return code, ApiErrorSpec(code, http_status, message)


API_ERRORS: Final[dict[str, ApiErrorSpec]] = dict(
    [
        # DescribeRefreshTasks (the CDN page's wording)
        _spec("InvalidTaskId.Malformed", 400, "Specified TaskId is malformed."),
        _spec("InvalidObjectPath.Malformed", 400, "The specified ObjectPath is invalid."),
        _spec(
            "MissingParameter.ObjectType",
            400,
            "If DomainName or Status is provided, ObjectType can not be empty.",
        ),
        _spec("MissingTimeParameter", 400, "StartTime and EndTime can not be single."),
        _spec("InvalidStartTime.Malformed", 400, "Specified StartTime is malformed."),
        _spec("InvalidEndTime.Malformed", 400, "Specified EndTime is malformed."),
        _spec("InvalidEndTime.Mismatch", 400, "Specified EndTime does not math the specified StartTime."),
        _spec(
            "InvalidStartTime.ValueNotSupported",
            400,
            "The specified StartTime is invalid. Only data of the last 3 days can be queried.",
        ),
        _spec("InvalidTime", 400, "The query time cannot exceed the last 3 days."),
        _spec("DomainNameOverLimit", 400, "A maximum of 500 domains are supported for each request."),
        _spec("InvalidStatus.ValueNotSupported", 400, "Specified Status is not supported."),
        _spec("InvalidObjectType.ValueNotSupported", 400, "Specified ObjectType is not supported."),
        _spec("InvalidPageSize.ValueNotSupported", 400, "Specified PageSize is not supported."),
        _spec("InvalidPageNumber.ValueNotSupported", 400, "Specified PageNumber is not supported."),
        _spec("OperationDenied", 403, "Your account does not open CDN service yet or has been suspended."),
        # submit side: RefreshObjectCaches, PushObjectCache, RefreshObjectCacheByCacheTag
        _spec("SingleRequest.OverLimit", 400, "A maximum of 1000 URLs are supported for each request."),
        _spec("InvalidObjectType.Malformed", 400, "The specified ObjectType is invalid."),
        _spec("InvalidObjectPath.Size.Malformed", 400, "The size of ObjectPath is bigger than 1000."),
        _spec(
            "InvalidExtensiveDomain.ValueNotSupported", 400, "The specified ExtensiveDomain is not supported."
        ),
        _spec("QuotaExceeded.Refresh", 400, "Your refresh attempts have exceeded the daily limit."),
        _spec(
            "QuotaPerMinuteExceeded.Refresh",
            400,
            "You tried to refresh too frequently; please try again later.",
        ),
        _spec("TooMany.Refresh", 400, "The refresh queue is full; please try again later."),
        _spec("TooManyRequests", 429, "Too many requests, please try again later"),
        # DCDN's PreloadDcdnObjectCaches answers this for its daily preload quota; the CDN reference
        # lists QuotaExceeded.Refresh for PushObjectCache, and that is what the emulator answers.
        _spec("QuotaExceeded.Preload", 400, "Your refresh attempts have exceeded the daily limit."),
        _spec("InvalidDomain.NotFound", 404, "The domain provided does not belong to you."),
        _spec("InvalidDomain.Offline", 404, "The domain provided is offline."),
        _spec("InvalidDomain.Configure_failed", 500, "Failed to configure the provided domain."),
        _spec("IllegalOperation", 403, "Illegal domain operate is not permitted."),
        _spec("PreloadQueueFull", 403, "Preload queue is full, please try again later!"),
        _spec("ServiceBusy", 403, "The specified Domain is configuring, please retry later."),
        # gateway, any action
        _spec("Throttling", 503, "Request was denied due to request throttling."),
        _spec("Throttling.User", 400, "Request was denied due to user flow control."),
        _spec(
            "SignatureDoesNotMatch",
            400,
            "Specified signature is not matched with our calculation.",
        ),
        _spec("IncompleteSignature", 400, "The request signature does not conform to Aliyun standards."),
        _spec("InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."),
        _spec("InvalidSecurityToken.Expired", 400, "Specified SecurityToken is expired."),
        _spec("InvalidSecurityToken.Malformed", 400, "Specified SecurityToken is malformed."),
        _spec(
            "InvalidSecurityToken.MismatchWithAccessKey",
            400,
            "Specified SecurityToken mismatch with the AccessKey.",
        ),
        _spec("MissingSecurityToken", 400, "SecurityToken is mandatory for this AccessKeyId."),
        _spec(
            "InvalidTimeStamp.Expired",
            400,
            "Specified time stamp or date value is expired.",
        ),
        _spec("InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted."),
        _spec("SignatureNonceUsed", 400, "Specified signature nonce was used already."),
        _spec("MissingParameter", 400, "A required parameter is not supplied."),
        _spec("InvalidParameter", 400, "A parameter specified in the request is not valid."),
        _spec("InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method."),
        _spec("InvalidVersion", 400, "Specified parameter Version is not valid."),
        _spec("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."),
        _spec("InternalError", 500, "The request processing has failed due to some unknown error."),
        # the emulator's answers to what is not an API call at all (emulator/server.py, emulator/app.py):
        # the service's own answers to these are an HTML page or a dropped connection, which tell a
        # user nothing, so the emulator answers in the API's JSON shape with these codes instead
        _spec("UnsupportedHTTPMethod", 405, "This HTTP method is not supported; the API takes GET and POST."),
        _spec("MalformedRequest", 400, "The request is not well-formed HTTP."),
        _spec("RequestTooLarge", 413, "The request body is larger than the 16 MiB accepted."),
        # STS (2015-04-01): AssumeRole, AssumeRoleWithOIDC
        _spec("MissingRoleArn", 400, "RoleArn is mandatory for this action."),
        _spec("MissingRoleSessionName", 400, "RoleSessionName is mandatory for this action."),
        _spec("InvalidParameter.RoleArn", 400, "The parameter RoleArn is wrongly formed."),
        _spec("InvalidParameter.RoleSessionName", 400, "The parameter RoleSessionName is wrongly formed."),
        _spec("InvalidParameter.DurationSeconds", 400, "The Min/Max value of DurationSeconds is 15min/1hr."),
        _spec("InvalidParameter.PolicyGrammar", 400, "The parameter Policy has not passed grammar check."),
        _spec("InvalidParameter.ExternalId", 400, "The parameter ExternalId is wrongly formed."),
        _spec("EntityNotExist.Role", 404, "The specified Role not exists."),
        _spec(
            "NoPermission", 403, "You are not authorized to do this action. You should be authorized by RAM."
        ),
        _spec("AuthenticationFail.NoPermission", 401, "No such OIDC Provider registered."),
        _spec(
            "AuthenticationFail.OIDCToken.Invalid",
            401,
            "The Jwt content is invalid that cannot be recognized.",
        ),
        _spec("AuthenticationFail.OIDCToken.Expired", 401, "This JsonWebToken is expired."),
    ]
)
"""Every error code this package knows, keyed by code."""

DCDN_ERROR_OVERRIDES: Final[Mapping[str, ApiErrorSpec]] = MappingProxyType(
    dict(
        [
            # PreloadDcdnObjectCaches' error table (doc-detail/130636; AlibabaCloudDocs/dcdn
            # PreloadDcdnObjectCaches.md): HTTP 400 and its own wording, where CDN's PushObjectCache
            # answers 403 "Preload queue is full, please try again later!".
            _spec("PreloadQueueFull", 400, "The warming queue is full; please try again later."),
        ]
    )
)
"""DCDN's answers that differ from the catalogue's (same code, another status or message)."""


def spec_for(code: str, overrides: Mapping[str, ApiErrorSpec] | None = None) -> ApiErrorSpec:
    """The status and message of ``code``: a product's override, else the catalogue's
    (``KeyError`` for a code the catalogue does not know)."""
    if overrides:
        found = overrides.get(code)
        if found is not None:
            return found
    return API_ERRORS[code]


REFUSED_CODES: Final = frozenset(
    {
        "TooManyRequests",
        "TooMany.Refresh",
        "QuotaPerMinuteExceeded.Refresh",
        "PreloadQueueFull",
        "ServiceBusy",
        "ServiceUnavailable",
    }
)
"""Codes (besides ``Throttling*``) by which the service refuses a request it did not carry out and
asks to come back later: per-minute and per-domain queues, 429, a domain being configured, 503."""

REFUSED_HTTP_STATUSES: Final = frozenset({429, 503})
"""HTTP statuses that say the request was not handled (RFC 9110: 429 Too Many Requests, 503
Service Unavailable), whatever the body."""

TRANSIENT_CODES: Final = frozenset(
    # TransportError and MalformedResponse are the client's own codes: a connection that broke, or
    # a body cut short or garbled on the way (a flaky proxy), may well succeed when sent again.
    {"InternalError", "TransportError", "MalformedResponse"}
)
"""Codes of failures that may pass when retried, but after which a submit may have been accepted."""

RETRYABLE_HTTP_STATUSES: Final = frozenset({429, 500, 502, 503, 504})


def is_retryable(code: str | None, http_status: int | None) -> bool:
    """Whether sending the same *read* again may succeed: refused-for-now or transient failures."""
    if code and (code.startswith("Throttling") or code in REFUSED_CODES or code in TRANSIENT_CODES):
        return True
    return http_status in RETRYABLE_HTTP_STATUSES


def is_retryable_submit(code: str | None, http_status: int | None, *, request_sent: bool | None) -> bool:
    """Whether a *submit* (purge, preload) may be sent again without risking doing it twice.

    Only when the service said it refused the request (``Throttling*``, :data:`REFUSED_CODES`, HTTP
    429/503), or when the request never left this machine (a transport error before sending:
    ``request_sent`` is ``False``). Never after a timeout, a dropped connection or a garbled body
    once the request was sent, nor after a 500/502/504: the submit may have been accepted.
    """
    if code == "TransportError":
        return request_sent is False
    if code == "MalformedResponse":
        return False
    if code and (code.startswith("Throttling") or code in REFUSED_CODES):
        return True
    return http_status in REFUSED_HTTP_STATUSES
