"""One exception tree for the whole package (the API's codes are in :mod:`.error_codes`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, NamedTuple

from .error_codes import is_retryable, is_retryable_submit

if TYPE_CHECKING:
    from datetime import datetime

    from .models import RefreshTask

__all__ = [
    "NOT_CHECKED",
    "NO_TASK",
    "AcceptedBatch",
    "ApiError",
    "CdnError",
    "CredentialsError",
    "InsufficientQuota",
    "InvalidQuery",
    "PartialSubmit",
    "PendingPath",
    "RefreshFailed",
    "TaskNotFound",
    "WaitCancelled",
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
    """The service (or the network on the way to it) answered with an error.

    ``request_sent`` is set for the client's own ``TransportError``: ``False`` when the request
    never left this machine (the connection could not be made), ``True`` when it was sent and the
    answer was lost (a timeout, a dropped connection); ``None`` otherwise.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str = "",
        http_status: int = 0,
        action: str = "",
        request_sent: bool | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.action = action
        self.request_sent = request_sent
        super().__init__(code, message, request_id, http_status, action)

    @property
    def retryable(self) -> bool:
        """Whether retrying the same request may succeed (a read; see :attr:`retryable_submit`)."""
        return is_retryable(self.code, self.http_status)

    @property
    def retryable_submit(self) -> bool:
        """Whether a purge or preload may be sent again without risking that it is done twice."""
        return is_retryable_submit(self.code, self.http_status, request_sent=self.request_sent)

    def __str__(self) -> str:
        where = f"{self.action}: " if self.action else ""
        status = f" (HTTP {self.http_status})" if self.http_status else ""
        request = f" [RequestId {self.request_id}]" if self.request_id else ""
        return f"{where}{self.code}: {self.message}{status}{request}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_api_error,
            (
                type(self),
                self.code,
                self.message,
                self.request_id,
                self.http_status,
                self.action,
                self.request_sent,
            ),
        )


def _rebuild_api_error(
    cls: type[ApiError],
    code: str,
    message: str,
    request_id: str,
    http_status: int,
    action: str,
    request_sent: bool | None = None,
) -> ApiError:
    return cls(
        code,
        message,
        request_id=request_id,
        http_status=http_status,
        action=action,
        request_sent=request_sent,
    )


class AcceptedBatch(NamedTuple):
    """One accepted call of a submit: the task ids it returned and the paths it carried."""

    task_ids: tuple[str, ...]
    paths: tuple[str, ...]


class PartialSubmit(CdnError):
    """A submit sent in several calls failed after some calls were accepted.

    Nothing of it is lost:

    - ``accepted``: each accepted call as ``(task_ids, paths)`` (an :class:`AcceptedBatch`), in order;
      those paths are submitted (the quota is spent) and can be waited for by these ids;
    - ``uncertain_paths``: the call whose answer was lost after it was sent (a timeout, a dropped
      connection, a garbled body, a 5xx): it may or may not have been accepted;
    - ``rejected_paths``: the paths the service refused (the failing call) and those never sent
      because of it;
    - ``cause``: the :class:`ApiError` that stopped the submit (why).

    Picklable; holds no credentials.
    """

    def __init__(
        self,
        action: str,
        accepted: Iterable[AcceptedBatch | tuple[Sequence[str], Sequence[str]]],
        rejected_paths: Sequence[str],
        *,
        cause: ApiError,
        uncertain_paths: Sequence[str] = (),
    ) -> None:
        self.action = action
        self.accepted = tuple(AcceptedBatch(tuple(ids), tuple(paths)) for ids, paths in accepted)
        self.rejected_paths = tuple(rejected_paths)
        self.uncertain_paths = tuple(uncertain_paths)
        self.cause = cause
        accepted_count = len(self.accepted_paths)
        total = accepted_count + len(self.uncertain_paths) + len(self.rejected_paths)
        ids = self.task_ids
        shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
        text = f"{action}: {accepted_count} of {total} path(s) accepted under {len(ids)} task id(s)" + (
            f" ({shown})" if ids else ""
        )
        if self.uncertain_paths:
            text += f"; {len(self.uncertain_paths)} sent but unanswered (may have been accepted)"
        if self.rejected_paths:
            text += f"; {len(self.rejected_paths)} not accepted"
        super().__init__(f"{text}: {cause}")

    @property
    def accepted_paths(self) -> tuple[str, ...]:
        """Every accepted path, in order."""
        return tuple(path for batch in self.accepted for path in batch.paths)

    @property
    def task_ids(self) -> tuple[str, ...]:
        """Every task id of the accepted calls, each once, in order."""
        return tuple(dict.fromkeys(task_id for batch in self.accepted for task_id in batch.task_ids))

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_partial_submit,
            (self.action, self.accepted, self.rejected_paths, self.cause, self.uncertain_paths),
        )


def _rebuild_partial_submit(
    action: str,
    accepted: Sequence[AcceptedBatch],
    rejected_paths: Sequence[str],
    cause: ApiError,
    uncertain_paths: Sequence[str],
) -> PartialSubmit:
    return PartialSubmit(action, accepted, rejected_paths, cause=cause, uncertain_paths=uncertain_paths)


class InsufficientQuota(CdnError):
    """A submit needs more of a daily quota than DescribeRefreshQuota says remains (nothing was sent).

    ``kind`` is the quota (``url``, ``dir``, ``regex``, ``ignore_params``, ``preload``), ``needed``
    how many the submit would use, ``remain`` what is left today of ``quota``.
    """

    def __init__(self, kind: str, *, needed: int, remain: int, quota: int | None = None) -> None:
        self.kind = kind
        self.needed = needed
        self.remain = remain
        self.quota = quota
        of = f" of {quota}" if quota is not None else ""
        super().__init__(
            f"the submit needs {needed} of today's {kind} quota but {remain}{of} remain; nothing was sent "
            "(submit fewer paths, or skip the quota check to send them anyway)"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_insufficient_quota, (self.kind, self.needed, self.remain, self.quota))


def _rebuild_insufficient_quota(kind: str, needed: int, remain: int, quota: int | None) -> InsufficientQuota:
    return InsufficientQuota(kind, needed=needed, remain=remain, quota=quota)


NOT_CHECKED: Final = "NotChecked"
"""``PendingPath.last_status`` of a path (or task id) the wait never got to ask about: the deadline
came, or the calls it needed failed, before any answer covered it."""
NO_TASK: Final = "NotFound"
"""``PendingPath.last_status`` of a path (or task id) that was asked about, and no task (created at
or after ``since``) was found for it."""

_STATE_TEXT: Final = {NOT_CHECKED: "not checked yet", NO_TASK: "no task found"}


@dataclass(frozen=True, slots=True)
class PendingPath:
    """A path still unresolved when a wait ended (or in a progress report), with what was last seen.

    ``object_path`` is ``""`` for a task id none of whose paths was seen.
    """

    object_path: str
    last_status: str
    """The task's last status (``Pending``, ``Refreshing``, ``Failed`` or one the API added), else
    :data:`NOT_CHECKED` (``"NotChecked"``: never asked about) or :data:`NO_TASK` (``"NotFound"``:
    asked, no task)."""
    process: int = 0
    task_id: str = ""

    @property
    def has_task(self) -> bool:
        """Whether a task was seen (``last_status`` is then that task's status)."""
        return self.last_status not in _STATE_TEXT

    def describe(self) -> str:
        """``"not checked yet"``, ``"no task found"``, or the status and progress (``"Refreshing 40%"``)."""
        text = _STATE_TEXT.get(self.last_status)
        return text if text is not None else f"{self.last_status} {self.process}%"


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


def _pending_lines(pending: Sequence[PendingPath]) -> list[str]:
    """One line per unresolved path (its last status and task), and a note on the unchecked ones."""
    lines = [
        f"  {item.object_path or f'task {item.task_id}'}: {item.describe()}"
        + (f" (task {item.task_id})" if item.task_id and item.object_path else "")
        for item in pending
    ]
    unchecked = sum(item.last_status == NOT_CHECKED for item in pending)
    if unchecked:
        lines.append(
            f"({unchecked} of them not checked yet: the wait ran out of time, or its calls failed, "
            "before it could ask about them; they may well be Complete)"
        )
    return lines


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
        lines = _pending_lines(self.pending)
        super().__init__(f"{len(self.pending)} path(s) not Complete after {timeout:g}s:\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_wait_timeout, (self.pending, self.timeout, self.completed))


def _rebuild_wait_timeout(
    pending: Sequence[PendingPath], timeout: float, completed: Sequence[RefreshTask]
) -> WaitTimeout:
    return WaitTimeout(pending, timeout=timeout, completed=completed)


class WaitCancelled(CdnError):
    """The wait was told to stop (its ``cancel`` event was set) after ``elapsed`` seconds; ``pending``
    names every path not Complete yet, as :class:`WaitTimeout` does."""

    def __init__(
        self, pending: Sequence[PendingPath], *, elapsed: float, completed: Sequence[RefreshTask] = ()
    ) -> None:
        self.pending = tuple(pending)
        self.elapsed = elapsed
        self.completed = tuple(completed)
        lines = _pending_lines(self.pending)
        count = len(self.pending)
        head = f"the wait was cancelled after {elapsed:.0f}s with {count} path(s) not Complete yet"
        super().__init__(head + ":\n" + "\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_wait_cancelled, (self.pending, self.elapsed, self.completed))


def _rebuild_wait_cancelled(
    pending: Sequence[PendingPath], elapsed: float, completed: Sequence[RefreshTask]
) -> WaitCancelled:
    return WaitCancelled(pending, elapsed=elapsed, completed=completed)


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
