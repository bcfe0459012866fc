"""The catalogue of the API's error codes (CDN, the gateway, and STS): HTTP status, message and
whether a retry may succeed.

Shared by the client (which answers to retry) and the emulator (which code, status and message to
answer with), so that every code is spelled once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["API_ERRORS", "RETRYABLE_HTTP_STATUSES", "ApiErrorSpec", "is_retryable"]


@dataclass(frozen=True, slots=True)
class ApiErrorSpec:
    """A documented error answer: its HTTP status and the service's message."""

    code: str
    http_status: int
    message: str


def _spec(code: str, http_status: int, message: str) -> tuple[str, ApiErrorSpec]:
    return code, ApiErrorSpec(code, http_status, message)


API_ERRORS: Final[dict[str, ApiErrorSpec]] = dict(
    [
        # DescribeRefreshTasks
        _spec("InvalidTaskId.Malformed", 400, "Specified TaskId is malformed."),
        _spec("InvalidObjectPath.Malformed", 400, "Specified ObjectPath is malformed."),
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
        _spec("InvalidStatus.ValueNotSupported", 400, "Specified Status is not supported."),
        _spec("InvalidObjectType.ValueNotSupported", 400, "Specified ObjectType is not supported."),
        _spec("InvalidPageSize.ValueNotSupported", 400, "Specified PageSize is not supported."),
        _spec("InvalidPageNumber.ValueNotSupported", 400, "Specified PageNumber is not supported."),
        _spec("OperationDenied", 403, "Your account does not open CDN service yet or has been suspended."),
        # submit side
        _spec("QuotaExceeded.Refresh", 400, "Maximum refresh quota has been reached for today."),
        _spec(
            "QuotaPerMinuteExceeded.Refresh",
            400,
            "Maximum refresh quota has been reached for this minute.",
        ),
        _spec("QuotaExceeded.Preload", 400, "Maximum preload quota has been reached for today."),
        _spec("InvalidObjectPath.Size.Malformed", 400, "The number of object paths exceeds the limit."),
        _spec("InvalidDomain.NotFound", 404, "The domain provided does not belong to you."),
        _spec("InvalidDomain.Offline", 404, "The domain provided is offline."),
        _spec("PreloadQueueFull", 403, "The preload queue is full. Try again later."),
        _spec("ServiceBusy", 403, "The service is busy. Try again later."),
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

RETRYABLE_HTTP_STATUSES: Final = frozenset({500, 502, 503, 504})
_RETRYABLE_CODES: Final = frozenset(
    # TransportError and MalformedResponse are the client's own codes: a connection that broke, or
    # a body cut short or garbled on the way (a flaky proxy), may well succeed when sent again.
    {"ServiceUnavailable", "InternalError", "ServiceBusy", "TransportError", "MalformedResponse"}
)


def is_retryable(code: str | None, http_status: int | None) -> bool:
    """The ecosystem's consensus: throttling, unavailable, internal errors and 5xx gateways."""
    if code and (code.startswith("Throttling") or code in _RETRYABLE_CODES):
        return True
    return http_status in RETRYABLE_HTTP_STATUSES
