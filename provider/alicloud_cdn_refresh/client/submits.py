"""A submit in as many calls as its limits need, and the book of what went through.

:func:`send_batches` sends the batches in turn and keeps every accepted call as an
:class:`~alicloud_cdn_refresh.errors.AcceptedBatch`. When a later call fails it raises
:class:`~alicloud_cdn_refresh.errors.PartialSubmit`: what was accepted, what may have been (the
failing call, when its answer may have been lost: :func:`may_have_been_accepted`) and what was not;
the failing call's own :class:`~alicloud_cdn_refresh.errors.ApiError` when nothing was accepted yet.
:func:`pace_domains` keeps a batch under a per-domain per-minute limit (RefreshObjectCaches' 10,000
URLs of a domain a minute).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from alicloud_cdn_refresh.error_codes import TRANSIENT_CODES
from alicloud_cdn_refresh.errors import AcceptedBatch, ApiError, PartialSubmit
from alicloud_cdn_refresh.paths import domain_of

from .http_client import RESPONSE_TOO_LARGE, logger
from .ratelimit import DomainWindow

__all__ = ["may_have_been_accepted", "pace_domains", "send_batches"]


def may_have_been_accepted(error: ApiError) -> bool:
    """Whether a failed submit call may nevertheless have been carried out (its answer was lost)."""
    if error.code == RESPONSE_TOO_LARGE:
        return 200 <= error.http_status < 300
    if error.code == "TransportError":
        return error.request_sent is not False
    return error.code in TRANSIENT_CODES or error.http_status in (500, 502, 504)


def send_batches(
    action: str, batches: Sequence[list[str]], send: Callable[[list[str]], list[str]]
) -> list[str]:
    """``send(batch)`` (one call, its task ids back) for each batch; every task id, each once, in
    order, or a :class:`PartialSubmit` once a call fails after some were accepted."""
    accepted: list[AcceptedBatch] = []
    for index, batch in enumerate(batches):
        try:
            ids = send(batch)
        except ApiError as error:
            if not accepted:
                raise
            later = [path for rest in batches[index + 1 :] for path in rest]
            if may_have_been_accepted(error):
                raise PartialSubmit(action, accepted, later, cause=error, uncertain_paths=batch) from error
            raise PartialSubmit(action, accepted, [*batch, *later], cause=error) from error
        accepted.append(AcceptedBatch(tuple(ids), tuple(batch)))
    return list(dict.fromkeys(task_id for done in accepted for task_id in done.task_ids))


def pace_domains(window: DomainWindow, action: str, batch: list[str], per_minute: int) -> None:
    """Wait (on the window's clock) until each domain's paths of ``batch`` fit its minute."""
    counts = Counter(domain_of(path) for path in batch)
    for domain, count in counts.items():
        waited = window.reserve(action, domain, count, per_minute)
        if waited:
            logger.debug("%s: waited %.1fs for %s's per-minute limit", action, waited, domain)
