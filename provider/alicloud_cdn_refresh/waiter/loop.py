"""``wait_for_refresh``: block until object paths report ``Complete``, with few API calls.

Each round asks only about unresolved paths, by the cheapest means (:mod:`._wait_plan`): task ids
(10 a call), a listing of the domain's tasks (100 a page, matched locally) or one call per path.
Between rounds it sleeps on the injected clock: jittered exponential backoff up to ``poll_max``,
shortened to the moment the slowest task should finish at its observed pace, never past the
deadline. Retryable API errors (throttling, 5xx, network) that outlast the client's own retries
slow the loop down; any other error ends it.

Per path the task that counts is the newest one the API can show (the last 3 days), or the newest
created at or after ``since``. Without ``since`` an older ``Complete`` task from a previous refresh
satisfies the wait until the new task is visible, so pass the time of submission as ``since`` (or
the task ids) whenever you can.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.batching import chunked
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.errors import (
    ApiError,
    InvalidQuery,
    PendingPath,
    RefreshFailed,
    TaskNotFound,
    WaitTimeout,
)
from alicloud_cdn_refresh.models import ObjectType, RefreshTask
from alicloud_cdn_refresh.paths import check_paths, check_task_ids

from .backoff import Backoff
from .plan import Listing, listing_pages, plan_round
from .state import WaitBook

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["WaitProgress", "wait_for_refresh"]

log = logging.getLogger("alicloud_cdn_refresh.waiter")

SLOWEST_COUNT = 5
"""How many of the slowest paths a progress report carries."""

ETA_MARGIN = 0.5
"""Seconds added to a task's expected completion before polling for it."""

WINDOW_MARGIN = timedelta(minutes=1)
"""Clock skew allowance: a listing's StartTime stays this far inside the 3-day window and its
EndTime this far after our ``now``."""


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


class _OutOfTime(Exception):
    """The deadline passed in the middle of a round."""


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
) -> list[RefreshTask]:
    """Block until every path (and every path of every task id) is ``Complete``; return their tasks.

    - ``object_paths``: URLs exactly as submitted (``http://host/a.txt``, directories end in ``/``);
      duplicates are waited for once. ``task_ids``: ids from RefreshObjectCaches/PushObjectCache;
      every path of them is waited for. At least one of the two is required.
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
        )
        return waiter.run()
    finally:
        if own_client:
            client.close()


class _Waiter:
    """One wait: the loop, the rounds and the three kinds of query."""

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
    ) -> None:
        self.client = client
        self.clock = clock
        self.book = book
        self.timeout = timeout
        self.grace = grace
        self.backoff = backoff
        self.on_progress = on_progress
        self.fail_on_failed = fail_on_failed
        self.pages: dict[tuple[str, ObjectType], int] = {}
        self.round = 0
        self.calls = 0
        self.last_error: ApiError | None = None
        """The retryable error that cut the last round short, if it was."""
        self.started = 0.0
        self.deadline = 0.0
        self.slack = min(backoff.initial, 2.0)
        """A round that started before the deadline may finish its calls this long after it."""

    # --- the loop -------------------------------------------------------------------------------

    def run(self) -> list[RefreshTask]:
        book = self.book
        self.started = self.clock.monotonic()
        self.deadline = self.started + self.timeout
        log.info(
            "waiting for %d path(s) and %d task id(s), since=%s, timeout=%gs",
            len(book),
            len(book.task_ids),
            book.since.isoformat() if book.since else "-",
            self.timeout,
        )
        while True:
            self.round += 1
            troubled = False
            out_of_time = False
            try:
                troubled = self._round()
            except _OutOfTime:
                out_of_time = True
            now = self.clock.monotonic()
            elapsed = now - self.started
            failed = book.tasks(failed=True)
            if failed and (self.fail_on_failed or book.done):
                self._report(elapsed, done=True)
                log.info("%d path(s) failed after %.1fs", len(failed), elapsed)
                raise RefreshFailed(failed, completed=book.tasks(complete=True))
            if book.done:
                self._report(elapsed, done=True)
                log.info("all %d path(s) complete after %.1fs, %d round(s)", len(book), elapsed, self.round)
                return book.tasks()
            missing = book.not_found()
            unseen = book.unseen_task_ids
            # only a round that asked about every path may conclude that a task does not exist
            if (missing or unseen) and elapsed >= self.grace and not out_of_time and not troubled:
                self._report(elapsed, done=True)
                raise TaskNotFound(missing, task_ids=unseen, since=book.since, grace=self.grace)
            remaining = self.deadline - now
            if out_of_time or remaining <= 0:
                self._report(elapsed, done=True)
                log.info("timed out after %.1fs with %d path(s) pending", elapsed, book.counts().pending)
                raise WaitTimeout(
                    book.pending(), timeout=self.timeout, completed=book.tasks(complete=True)
                ) from (self.last_error if troubled else None)
            self._report(elapsed, done=False)
            self._sleep(now, remaining, troubled)

    def _sleep(self, now: float, remaining: float, troubled: bool) -> None:
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
        self.clock.sleep(delay)

    def _report(self, elapsed: float, *, done: bool) -> None:
        if self.on_progress is None:
            return
        counts = self.book.counts()
        self.on_progress(
            WaitProgress(
                complete=counts.complete,
                refreshing=counts.refreshing,
                pending=counts.pending,
                failed=counts.failed,
                total=counts.total,
                elapsed=elapsed,
                round=self.round,
                slowest=() if done and self.book.done else self.book.slowest(SLOWEST_COUNT),
                done=done,
            )
        )

    # --- one round --------------------------------------------------------------------------------

    def _round(self) -> bool:
        """Ask about every unresolved path once; return whether a retryable error cut it short."""
        book = self.book
        fresh: set[str] = set()
        calls_before = self.calls
        self.last_error = None
        try:
            unseen = book.unseen_task_ids
            if unseen:
                self._by_id(unseen, fresh)
            plan = plan_round(book, self.pages, skip=fresh)
            log.debug(
                "round %d: %d by id, %d by path, %d listing(s), ~%d call(s) %s",
                self.round,
                len(plan.by_id),
                len(plan.per_path),
                len(plan.listings),
                plan.estimated_calls,
                plan.notes,
            )
            if plan.by_id:
                self._by_id(plan.by_id, fresh)
            for path in plan.per_path:
                self._per_path(path)
            for listing in plan.listings:
                self._list(listing)
        except ApiError as error:
            if not error.retryable:
                raise
            log.info("round %d: %s; backing off", self.round, error)
            self.last_error = error
            return True
        finally:
            log.debug("round %d: %d call(s)", self.round, self.calls - calls_before)
        return False

    def _before_call(self) -> None:
        if self.clock.monotonic() > self.deadline + self.slack:
            raise _OutOfTime
        self.calls += 1

    def _by_id(self, task_ids: Iterable[str], fresh: set[str]) -> None:
        for batch in chunked(task_ids, limits.MAX_TASK_IDS_PER_CALL):
            self._before_call()
            tasks = self.client.describe_refresh_task_by_id(batch)
            at = self.clock.monotonic()
            for task in tasks:
                self.book.offer(task, at, from_task_id=True)
                if task.object_path in self.book.states:
                    fresh.add(task.object_path)

    def _per_path(self, path: str) -> None:
        self._before_call()
        page = self.client.describe_refresh_tasks(object_path=path, page_size=limits.MAX_PAGE_SIZE)
        at = self.clock.monotonic()
        state = self.book.states[path]
        for task in page.tasks:
            if task.object_path != path:
                continue
            if state.task is None and task.object_type in state.tried_types and self.book.counts_as(task):
                # a listing of this type missed it: tasks appeared after it; list them again
                for other in self.book.states.values():
                    if other.domain == state.domain:
                        other.tried_types.clear()
            self.book.offer(task, at)

    def _window(self) -> tuple[datetime | None, datetime | None]:
        since = self.book.since
        if since is None:
            return None, None  # the API's default: the whole 3-day window
        now = self.clock.now()
        start = max(since, (now - limits.QUERY_WINDOW + WINDOW_MARGIN).replace(microsecond=0))
        end = now.replace(microsecond=0) + WINDOW_MARGIN  # the server's clock may be ahead of ours
        return start, max(end, start + timedelta(seconds=1))

    def _list(self, listing: Listing) -> None:
        wanted = listing.wanted
        found: set[str] = set()
        start, end = self._window()
        since = self.book.since
        budget = max(1, listing.budget)
        used = 0
        page_number = 1
        complete = False
        total = 0
        while True:
            self._before_call()
            page = self.client.describe_refresh_tasks(
                domain_name=listing.domain,
                object_type=listing.object_type.value,
                start_time=start,
                end_time=end,
                page_number=page_number,
                page_size=limits.MAX_PAGE_SIZE,
            )
            used += 1
            total = page.total_count
            at = self.clock.monotonic()
            older = False
            before = len(found)
            for task in page.tasks:
                if since is not None and task.creation_time < since:
                    older = True
                    continue
                if task.object_path in wanted:
                    found.add(task.object_path)
                    self.book.offer(task, at)
            if (
                len(found) >= len(wanted)
                or older
                or not page.tasks
                or page_number * limits.MAX_PAGE_SIZE >= total
                or page_number >= limits.MAX_PAGE_NUMBER
            ):
                complete = True
                break
            if used >= budget or (listing_pages(total) > budget and len(found) == before):
                # over budget, or a busy domain whose newest tasks are not ours: by path/id is cheaper
                break
            page_number += 1
        key = (listing.domain, listing.object_type)
        if complete:
            self.pages[key] = used
            for path in wanted - found:
                state = self.book.states[path]
                if state.task is None:
                    state.tried_types.add(listing.object_type)
        else:
            self.pages[key] = listing_pages(total)
            log.debug("listing %s/%s stopped after %d page(s) of %d", *key, used, listing_pages(total))
