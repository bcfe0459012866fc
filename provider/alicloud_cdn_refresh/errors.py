"""One exception tree for the whole package (the API's codes are in :mod:`.error_codes`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .error_codes import is_retryable

if TYPE_CHECKING:
    from datetime import datetime

    from .models import RefreshTask

__all__ = [
    "ApiError",
    "CdnError",
    "CredentialsError",
    "InvalidQuery",
    "PendingPath",
    "RefreshFailed",
    "TaskNotFound",
    "WaitTimeout",
]


class CdnError(Exception):
    """Base of every error this package raises."""


class InvalidQuery(CdnError, ValueError):
    """A parameter was refused before any network call; the text names it and what is allowed."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class CredentialsError(CdnError):
    """No usable credentials, or the chosen source failed; the text names every place tried.

    ``tried`` lists the sources looked at in order (each with what was found there), ``source`` and
    ``mode`` the source chosen and its mode when one was, ``code``, ``request_id`` and ``http_status`` the
    service's answer when STS, the metadata service or a credentials URI refused. None of them ever holds a
    secret, a security token or an OIDC token.
    """

    def __init__(
        self,
        message: str,
        *,
        tried: Sequence[str] = (),
        source: str | None = None,
        mode: str | None = None,
        code: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.message = message
        self.tried = tuple(tried)
        self.source = source
        self.mode = mode
        self.code = code
        self.request_id = request_id
        self.http_status = http_status
        text = message
        if self.tried:
            text += "\nsources tried, in order:\n" + "\n".join(f"  - {place}" for place in self.tried)
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_credentials_error,
            (
                type(self),
                self.message,
                self.tried,
                self.source,
                self.mode,
                self.code,
                self.request_id,
                self.http_status,
            ),
        )


def _rebuild_credentials_error(
    cls: type[CredentialsError],
    message: str,
    tried: Sequence[str],
    source: str | None,
    mode: str | None,
    code: str | None,
    request_id: str | None,
    http_status: int | None,
) -> CredentialsError:
    return cls(
        message,
        tried=tried,
        source=source,
        mode=mode,
        code=code,
        request_id=request_id,
        http_status=http_status,
    )


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
