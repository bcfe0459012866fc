"""``wait_for_refresh``: block until object paths report ``Complete``, with few API calls.

Each round asks only about unresolved paths, by the cheapest means (:mod:`.plan`): task ids
(10 a call), a listing of a domain's tasks or of the whole account's (100 a page, matched
locally) or one call per path. A round cut short (:mod:`.rounds`) is continued by the next one:
paths it asked about are not asked again until every path was, and its listings go on from the
page where they stopped; a round that cannot finish before the deadline at the QPS limits says so.
Between rounds it sleeps on the injected clock: jittered exponential backoff up to ``poll_max``,
shortened to the moment the slowest task should finish at its observed pace, never past the
deadline. Retryable API errors (throttling, 5xx, network) that outlast the client's own retries
slow the loop down (the deadline alone ends the wait); any other error ends it.

Per path the task that counts is the newest one the API can show (the last 3 days), or the newest
created at or after ``since``. Without ``since`` an older ``Complete`` task from a previous refresh
satisfies the wait until the new task is visible, so pass the time of submission as ``since`` (or
the task ids) whenever you can.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from alicloud_cdn_refresh.clock import Clock, sleep_unless_set
from alicloud_cdn_refresh.errors import (
    InvalidQuery,
    PendingPath,
    RefreshFailed,
    TaskNotFound,
    WaitCancelled,
    WaitTimeout,
)
from alicloud_cdn_refresh.models import RefreshTask
from alicloud_cdn_refresh.paths import check_paths, check_task_ids

from .backoff import Backoff
from .plan import PlanChoice, plan_round
from .rounds import Planner, RoundOutcome, Rounds
from .state import WaitBook

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["WaitProgress", "wait_for_refresh"]

log = logging.getLogger("alicloud_cdn_refresh.waiter")

SLOWEST_COUNT = 5
"""How many of the slowest paths a progress report carries."""

ETA_MARGIN = 0.5
"""Seconds added to a task's expected completion before polling for it."""

MAX_HURRIED_ROUNDS = 3
"""Rounds in a row that may go on at once after a listing turned out dearer than its budget."""


@dataclass(frozen=True, slots=True)
class WaitProgress:
    """Where a wait stands after a polling round."""

    complete: int
    refreshing: int
    pending: int
    """Paths ``Pending``, with an unknown status, or without a task yet."""
    failed: int
    total: int
    elapsed: float
    """Seconds since the wait started."""
    round: int
    slowest: tuple[RefreshTask | PendingPath, ...]
    """A few unresolved paths, least progress first (a path without a task is a ``PendingPath``)."""
    done: bool
    """This is the last report: the wait returns or raises next."""
    pending_states: dict[str, int] = field(default_factory=dict)
    """Unresolved paths (and unseen task ids) by ``PendingPath.last_status``, most first:
    ``NotChecked`` (never asked about yet), ``NotFound`` (asked, no task), ``Pending``,
    ``Refreshing`` or a status the API added; ``PendingPath(path, s).describe()`` words them."""
    plan: PlanChoice | None = None
    """How this round asked (the option taken, every option's estimate, the reasons);
    ``plan.describe()`` is one line."""
    calls: int = 0
    """API calls this round made (each may include the client's own retries)."""
    calls_needed: int = 0
    """Calls this round's plan needed to ask about every path left in its sweep."""
    calls_possible: int | None = None
    """Calls the client's QPS limits allowed before the deadline when the round began, in the
    plan's mix of actions (``None``: the client does not limit itself)."""
    round_incomplete: bool = False
    """Some paths were not asked about this round (see ``incomplete_reason``); the next round goes
    on with them, without asking the others again."""
    incomplete_reason: str = ""
    """Why: ``Throttling`` (or another retryable code), ``deadline``, or a listing over budget."""
    not_checked: int = 0
    """Paths no answer has covered yet (``pending_states["NotChecked"]`` includes unseen ids)."""

    @property
    def shortfall(self) -> int:
        """Calls the plan needed beyond what fitted before the deadline (0 when it fitted)."""
        if self.calls_possible is None:
            return 0
        return max(0, self.calls_needed - self.calls_possible)


def _check_number(name: str, value: float, *, minimum: float, inclusive: bool, finite: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise InvalidQuery(name, f"expected a number of seconds, got {value!r}")
    if (value < minimum) if inclusive else (value <= minimum):
        bound = f">= {minimum:g}" if inclusive else f"> {minimum:g}"
        raise InvalidQuery(name, f"must be {bound} seconds, got {value!r}")
    if finite and math.isinf(value):
        raise InvalidQuery(name, "must be finite")
    return float(value)


def wait_for_refresh(
    object_paths: Iterable[str] | None = None,
    *,
    task_ids: Iterable[str] | None = None,
    since: datetime | None = None,
    timeout: float = 1800.0,
    client: CdnClient | None = None,
    on_progress: Callable[[WaitProgress], None] | None = None,
    fail_on_failed: bool = True,
    not_found_grace: float = 60.0,
    poll_initial: float = 2.0,
    poll_max: float = 30.0,
    clock: Clock | None = None,
    cancel: threading.Event | None = None,
) -> list[RefreshTask]:
    """Block until every path (and every path of every task id) is ``Complete``; return their tasks.

    - ``object_paths``: URLs exactly as submitted (``http://host/a.txt``, directories end in ``/``);
      duplicates are waited for once. A path without its scheme (``host/a.txt``) matches rows
      reported with ``http://`` too, and the reverse. ``task_ids``: ids from
      RefreshObjectCaches/PushObjectCache; every path of them is waited for. At least one of the
      two is required.
    - ``since``: an aware datetime; tasks created before it do not count, also rows of ``task_ids``
      (pass the submission time; the API keeps whole seconds, so the second of ``since`` counts).
    - ``timeout``: seconds; then :class:`~.errors.WaitTimeout` names every pending path. Sleeps
      never cross it; a round under way may finish its calls up to ``min(poll_initial, 2)`` s
      later (plus whatever one call's own retries take, see the client's ``RetryPolicy``).
    - ``on_progress``: called with a :class:`WaitProgress` after every round.
    - ``fail_on_failed``: raise :class:`~.errors.RefreshFailed` as soon as a task fails (default);
      ``False`` waits for the rest and raises it at the end if any failed.
    - ``not_found_grace``: seconds a path may go without any task before
      :class:`~.errors.TaskNotFound` is raised.
    - ``poll_initial`` / ``poll_max``: the first and the longest pause between rounds.
    - ``client``: a :class:`~.client.CdnClient` (default: one built from the environment, closed
      afterwards); ``clock``: default the client's.
    - ``cancel``: a ``threading.Event``; once it is set the wait stops, before its next round or
      during a pause (a round under way finishes its calls), with
      :class:`~.errors.WaitCancelled` naming every path still pending.

    Returns one task per path: the caller's paths in their order, then further paths of the task ids.
    A non-retryable :class:`~.errors.ApiError` ends the wait with that error.
    """
    paths = check_paths(object_paths, parameter="object_paths")
    ids = check_task_ids(task_ids, parameter="task_ids")
    if not paths and not ids:
        raise InvalidQuery("object_paths", "nothing to wait for: give object paths and/or task_ids")
    if since is not None:
        if not isinstance(since, datetime):
            raise InvalidQuery("since", f"expected an aware datetime, got {type(since).__name__}")
        if since.tzinfo is None or since.utcoffset() is None:
            raise InvalidQuery("since", "must be timezone-aware (e.g. datetime.now(timezone.utc))")
    timeout = _check_number("timeout", timeout, minimum=0, inclusive=False, finite=False)
    grace = _check_number("not_found_grace", not_found_grace, minimum=0, inclusive=True, finite=False)
    initial = _check_number("poll_initial", poll_initial, minimum=0, inclusive=False, finite=True)
    cap = _check_number("poll_max", poll_max, minimum=initial, inclusive=True, finite=True)
    if on_progress is not None and not callable(on_progress):
        raise InvalidQuery("on_progress", "must be callable with one WaitProgress argument")
    if client is not None and not callable(getattr(client, "describe_refresh_task_by_id", None)):
        raise InvalidQuery("client", f"expected a CdnClient (or None), got {type(client).__name__}")
    if clock is not None and not callable(getattr(clock, "monotonic", None)):
        raise InvalidQuery("clock", f"expected a Clock (or None), got {type(clock).__name__}")
    if cancel is not None and not callable(getattr(cancel, "is_set", None)):
        raise InvalidQuery("cancel", "must be a threading.Event")

    own_client = client is None
    if client is None:
        from alicloud_cdn_refresh.client.cdn_client import CdnClient

        client = CdnClient()
    try:
        waiter = _Waiter(
            client,
            clock if clock is not None else client.clock,
            WaitBook(paths, ids, since=since),
            timeout=timeout,
            grace=grace,
            backoff=Backoff(initial, cap),
            on_progress=on_progress,
            fail_on_failed=fail_on_failed,
            cancel=cancel,
        )
        return waiter.run()
    finally:
        if own_client:
            client.close()


class _Waiter:
    """One wait: the loop of rounds, the pauses between them and the reports."""

    def __init__(
        self,
        client: CdnClient,
        clock: Clock,
        book: WaitBook,
        *,
        timeout: float,
        grace: float,
        backoff: Backoff,
        on_progress: Callable[[WaitProgress], None] | None,
        fail_on_failed: bool,
        cancel: threading.Event | None = None,
        planner: Planner = plan_round,
    ) -> None:
        self.clock = clock
        self.book = book
        self.timeout = timeout
        self.grace = grace
        self.backoff = backoff
        self.on_progress = on_progress
        self.fail_on_failed = fail_on_failed
        self.cancel = cancel
        self.rounds = Rounds(client, clock, book, planner=planner)
        self.round = 0
        self.hurried = 0
        """Rounds in a row that went on at once."""
        self.started = 0.0
        self.deadline = 0.0
        self.slack = min(backoff.initial, 2.0)
        """A round that started before the deadline may finish its calls this long after it."""

    def run(self) -> list[RefreshTask]:
        book = self.book
        self.started = self.clock.monotonic()
        self.deadline = self.started + self.timeout
        self.rounds.deadline = self.deadline + self.slack
        log.info(
            "waiting for %d path(s) and %d task id(s), since=%s, timeout=%gs",
            len(book),
            len(book.task_ids),
            book.since.isoformat() if book.since else "-",
            self.timeout,
        )
        while True:
            self._stop_if_cancelled()
            self.round += 1
            outcome = self.rounds.run(self.round)
            now = self.clock.monotonic()
            elapsed = now - self.started
            failed = book.tasks(failed=True)
            if failed and (self.fail_on_failed or book.done):
                self._report(elapsed, outcome, done=True)
                log.info("%d path(s) failed after %.1fs", len(failed), elapsed)
                raise RefreshFailed(failed, completed=book.tasks(complete=True))
            if book.done:
                self._report(elapsed, outcome, done=True)
                log.info("all %d path(s) complete after %.1fs, %d round(s)", len(book), elapsed, self.round)
                return book.tasks()
            missing = [path for path in book.not_found() if book.states[path].checked]
            unseen = [task_id for task_id in book.unseen_task_ids if task_id in book.ids_checked]
            # only a sweep that asked about every path may conclude that a task does not exist
            if (missing or unseen) and elapsed >= self.grace and outcome.sweep_complete:
                self._report(elapsed, outcome, done=True)
                raise TaskNotFound(missing, task_ids=unseen, since=book.since, grace=self.grace)
            remaining = self.deadline - now
            if outcome.out_of_time or remaining <= 0:
                self._report(elapsed, outcome, done=True)
                log.info(
                    "timed out after %.1fs with %d path(s) pending (%d not checked yet)",
                    elapsed,
                    book.counts().pending,
                    len(book.not_checked()),
                )
                raise WaitTimeout(
                    book.pending(),
                    timeout=self.timeout,
                    completed=book.tasks(complete=True),
                    failed=book.tasks(failed=True),
                ) from outcome.error
            self._report(elapsed, outcome, done=False)
            self._sleep(now, remaining, outcome)

    def _sleep(self, now: float, remaining: float, outcome: RoundOutcome) -> None:
        troubled = outcome.error is not None
        if not troubled and not outcome.sweep_complete and self.hurried < MAX_HURRIED_ROUNDS:
            # a listing turned out dearer than planned: plan the rest of the sweep again at once
            self.hurried += 1
            log.debug("round %d: %s; going on at once", self.round, ", ".join(outcome.cut))
            return
        self.hurried = 0
        soonest: float | None = None
        if troubled:
            self.backoff.penalize()
        else:
            eta = self.book.eta()
            if eta is not None:
                soonest = max(eta + ETA_MARGIN - now, min(self.backoff.initial, 1.0))
        delay = self.backoff.delay(remaining, soonest=soonest)
        if not troubled:
            self.backoff.advance()
        log.debug("round %d: sleeping %.2fs (eta %s)", self.round, delay, soonest)
        sleep_unless_set(self.clock, delay, self.cancel)

    def _stop_if_cancelled(self) -> None:
        """The cancel event is set: end the wait, naming what is still pending."""
        if self.cancel is None or not self.cancel.is_set():
            return
        elapsed = self.clock.monotonic() - self.started
        log.info("cancelled after %.1fs with %d path(s) pending", elapsed, self.book.counts().pending)
        raise WaitCancelled(
            self.book.pending(),
            elapsed=elapsed,
            completed=self.book.tasks(complete=True),
            failed=self.book.tasks(failed=True),
        )

    def _report(self, elapsed: float, outcome: RoundOutcome, *, done: bool) -> None:
        if self.on_progress is None:
            return
        book = self.book
        counts = book.counts()
        budget = outcome.budget
        self.on_progress(
            WaitProgress(
                complete=counts.complete,
                refreshing=counts.refreshing,
                pending=counts.pending,
                failed=counts.failed,
                total=counts.total,
                elapsed=elapsed,
                round=self.round,
                slowest=() if done and book.done else book.slowest(SLOWEST_COUNT),
                done=done,
                pending_states=book.pending_states(),
                plan=outcome.plan.choice,
                calls=outcome.calls,
                calls_needed=budget.calls_needed,
                calls_possible=budget.calls_possible,
                round_incomplete=not outcome.sweep_complete,
                incomplete_reason=", ".join(outcome.cut),
                not_checked=len(book.not_checked()),
            )
        )
