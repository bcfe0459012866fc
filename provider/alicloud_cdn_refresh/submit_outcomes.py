"""What a submit that did not fully go through raises: ``PartialSubmit`` (with its ``AcceptedBatch``
rows) after some calls were accepted, ``InsufficientQuota`` before any call was sent.

Public in :mod:`alicloud_cdn_refresh.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .base_errors import PUBLIC_MODULE, ApiError, CdnError

__all__ = ["AcceptedBatch", "InsufficientQuota", "PartialSubmit"]


class AcceptedBatch(NamedTuple):
    """One accepted call of a submit: the task ids it returned and the paths it carried."""

    task_ids: tuple[str, ...]
    paths: tuple[str, ...]


AcceptedBatch.__module__ = PUBLIC_MODULE  # not in the body: a NamedTuple's body holds fields only


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

    __module__ = PUBLIC_MODULE

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

    __module__ = PUBLIC_MODULE

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
