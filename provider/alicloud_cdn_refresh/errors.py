"""One exception tree for the whole package, and the catalogue of the API's error codes.

The catalogue (:data:`API_ERRORS`) is shared by the client (which codes are retryable) and the
emulator (which code, HTTP status and message to answer with), so a code is spelled once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from datetime import datetime

    from .models import RefreshTask

__all__ = [
    "API_ERRORS",
    "RETRYABLE_HTTP_STATUSES",
    "ApiError",
    "ApiErrorSpec",
    "CdnError",
    "CredentialsError",
    "InvalidQuery",
    "PendingPath",
    "RefreshFailed",
    "TaskNotFound",
    "WaitTimeout",
    "is_retryable",
]


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


class CdnError(Exception):
    """Base of every error this package raises."""


class InvalidQuery(CdnError, ValueError):
    """A parameter was refused before any network call; the text names it and what is allowed."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class CredentialsError(CdnError):
    """No usable credentials were found; the text names every place that was tried."""


class ApiError(CdnError):
    """The service (or the network on the way to it) answered with an error."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str = "",
        http_status: int = 0,
        action: str = "",
    ) -> None:
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.action = action
        super().__init__(code, message, request_id, http_status, action)

    @property
    def retryable(self) -> bool:
        """Whether retrying the same request may succeed."""
        return is_retryable(self.code, self.http_status)

    def __str__(self) -> str:
        where = f"{self.action}: " if self.action else ""
        status = f" (HTTP {self.http_status})" if self.http_status else ""
        request = f" [RequestId {self.request_id}]" if self.request_id else ""
        return f"{where}{self.code}: {self.message}{status}{request}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_api_error,
            (type(self), self.code, self.message, self.request_id, self.http_status, self.action),
        )


def _rebuild_api_error(
    cls: type[ApiError], code: str, message: str, request_id: str, http_status: int, action: str
) -> ApiError:
    return cls(code, message, request_id=request_id, http_status=http_status, action=action)


@dataclass(frozen=True, slots=True)
class PendingPath:
    """A path still unresolved when a wait ended, with what was last seen of it."""

    object_path: str
    last_status: str
    """The last status seen, or ``"NotFound"`` when no task was seen for the path."""
    process: int = 0
    task_id: str = ""


class RefreshFailed(CdnError):
    """At least one path's task ended ``Failed``; ``failed`` holds those tasks."""

    def __init__(self, failed: Sequence[RefreshTask], *, completed: Sequence[RefreshTask] = ()) -> None:
        self.failed = tuple(failed)
        self.completed = tuple(completed)
        lines = [
            f"  {task.object_path}: {task.description or 'no description'} (task {task.task_id})"
            for task in self.failed
        ]
        super().__init__(f"{len(self.failed)} path(s) failed to refresh:\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_refresh_failed, (self.failed, self.completed))


def _rebuild_refresh_failed(failed: Sequence[RefreshTask], completed: Sequence[RefreshTask]) -> RefreshFailed:
    return RefreshFailed(failed, completed=completed)


class WaitTimeout(CdnError):
    """The deadline passed; ``pending`` names every unresolved path with its last status."""

    def __init__(
        self,
        pending: Sequence[PendingPath],
        *,
        timeout: float,
        completed: Sequence[RefreshTask] = (),
    ) -> None:
        self.pending = tuple(pending)
        self.timeout = timeout
        self.completed = tuple(completed)
        lines = [
            f"  {item.object_path}: {item.last_status} {item.process}%"
            + (f" (task {item.task_id})" if item.task_id else "")
            for item in self.pending
        ]
        super().__init__(f"{len(self.pending)} path(s) not Complete after {timeout:g}s:\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_wait_timeout, (self.pending, self.timeout, self.completed))


def _rebuild_wait_timeout(
    pending: Sequence[PendingPath], timeout: float, completed: Sequence[RefreshTask]
) -> WaitTimeout:
    return WaitTimeout(pending, timeout=timeout, completed=completed)


class TaskNotFound(CdnError):
    """No task was seen for some paths (or task ids) within the waiter's grace period.

    ``paths`` and ``task_ids`` name them; ``since`` is the cut-off the wait used, if any.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        task_ids: Sequence[str] = (),
        since: datetime | None = None,
        grace: float = 0.0,
    ) -> None:
        self.paths = tuple(paths)
        self.task_ids = tuple(task_ids)
        self.since = since
        self.grace = grace
        window = "the last 3 days"
        if since is not None:
            window += f" created at or after {since.isoformat()}"
        lines = [f"  {path}" for path in self.paths] + [f"  task {task_id}" for task_id in self.task_ids]
        super().__init__(
            f"no refresh task found for {len(self.paths) + len(self.task_ids)} path(s)/task id(s) after "
            f"{grace:g}s (only tasks of {window} count; was the refresh submitted, and is the path "
            "spelled exactly as submitted?):\n" + "\n".join(lines)
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_task_not_found, (self.paths, self.task_ids, self.since, self.grace))


def _rebuild_task_not_found(
    paths: Sequence[str], task_ids: Sequence[str], since: datetime | None, grace: float
) -> TaskNotFound:
    return TaskNotFound(paths, task_ids=task_ids, since=since, grace=grace)
