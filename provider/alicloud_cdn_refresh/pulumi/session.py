"""What an operation uses besides its properties, and the one wait step every operation shares.

A face builds a :class:`Session` per call: how to build a fresh client for an identity and a
product (never kept on anything that is pickled or stored), where progress lines go, how a wait
takes its place among the host's workers, and, where the host has them, a cancel event and a time
limit (the provider plugin's Cancel and ``customTimeouts``; the dynamic provider host has neither).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from alicloud_cdn_refresh.models import RefreshTask, format_api_time

from .identity import Identity
from .inputs import product_of
from .progress import Report, progress_printer, write_stderr

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["Session", "now_text", "wait_tasks"]


def _no_slot(_label: str, _report: Report) -> AbstractContextManager[None]:
    return contextlib.nullcontext()


@dataclass(frozen=True)
class Session:
    """What an operation uses besides its properties.

    ``connect`` builds a fresh client for one operation, identity and product (credentials resolved
    then, never kept); ``report`` receives the progress lines of a wait; ``slot`` is entered around
    every wait (a host with few workers reports there how many waits hold them: ``host.py``);
    ``cancel``, once set, ends every wait of the session (``WaitCancelled``); ``time_limit`` (seconds)
    bounds each wait below the resource's own ``timeoutSeconds``.
    """

    connect: Callable[[Identity, str], CdnClient]
    report: Report = write_stderr
    slot: Callable[[str, Report], AbstractContextManager[None]] = field(default=_no_slot)
    cancel: threading.Event | None = None
    time_limit: float | None = None

    def client_for(self, inputs: Mapping[str, Any]) -> CdnClient:
        """A fresh client for checked inputs (wire names): their ``profile``, ``assumeRole``, ``product``."""
        return self.connect(Identity.of(inputs), product_of(inputs))

    def deadline(self, timeout: float) -> float:
        """A wait's timeout: the resource's own, or the session's time limit when that is shorter."""
        if self.time_limit is not None and self.time_limit > 0:
            return min(float(timeout), float(self.time_limit))
        return float(timeout)


def now_text(client: CdnClient) -> str:
    """The client's current time as the API writes it (``completedAt``)."""
    return format_api_time(client.clock.now())


def wait_tasks(
    client: CdnClient,
    session: Session,
    *,
    label: str,
    object_paths: Sequence[str] | None,
    task_ids: Sequence[str] | None,
    since: datetime | None,
    timeout: float,
    fail_on_failed: bool,
) -> list[RefreshTask]:
    """Wait until every path (and task) is Complete, with the session's progress, slot, cancel event
    and time limit."""
    from alicloud_cdn_refresh.waiter.loop import wait_for_refresh

    with session.slot(label, session.report):
        return wait_for_refresh(
            object_paths or None,
            task_ids=task_ids or None,
            since=since,
            timeout=session.deadline(timeout),
            client=client,
            on_progress=progress_printer(label, session.report),
            fail_on_failed=fail_on_failed,
            cancel=session.cancel,
        )
