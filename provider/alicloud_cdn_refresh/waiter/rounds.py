"""One polling round: plan it, make its calls, and remember what a round cut short had done.

A *sweep* asks about every unresolved path once. Usually one round is one sweep; a round cut short
(a retryable error that outlasted the client's retries, a listing dearer than its budget, the
deadline) leaves the rest of its sweep to the next round: paths already asked in the sweep are not
asked again, the pages already read are kept, and a listing goes on from the page that failed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.batching import chunked
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.errors import ApiError
from alicloud_cdn_refresh.models import ObjectType
from alicloud_cdn_refresh.products import Operation

from .plan import ACCOUNT_KEY, Listing, ListingKey, RoundPlan, listing_pages, plan_round
from .state import WaitBook

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.client.ratelimit import RateLimiter

__all__ = ["WINDOW_MARGIN", "Budget", "OutOfTime", "Planner", "RoundOutcome", "Rounds"]

log = logging.getLogger("alicloud_cdn_refresh.waiter")

WINDOW_MARGIN = timedelta(minutes=1)
"""Clock skew allowance: a listing's StartTime stays this far inside the 3-day window and its
EndTime this far after our ``now``."""


Planner = Callable[..., RoundPlan]
"""What :func:`~.plan.plan_round` is (a benchmark may pass it with ``account_listing=False``)."""


class OutOfTime(Exception):
    """The deadline passed in the middle of a round."""


@dataclass(frozen=True, slots=True)
class Budget:
    """What a round's plan needs against what the QPS limits allow before the deadline."""

    calls_needed: int
    seconds_needed: float
    """At the client's current rates (0 when it does not limit itself)."""
    seconds_left: float
    calls_possible: int | None
    """Calls that fit before the deadline at those rates, in the plan's mix (``None``: no limit)."""

    @property
    def short(self) -> bool:
        """The plan does not fit before the deadline."""
        return self.calls_possible is not None and self.calls_possible < self.calls_needed


@dataclass(slots=True)
class RoundOutcome:
    """What one round did."""

    plan: RoundPlan
    budget: Budget
    calls: int = 0
    error: ApiError | None = None
    """The retryable error that cut the round short."""
    out_of_time: bool = False
    cut: list[str] = field(default_factory=list)
    """Why some paths were not asked this round (empty when the sweep was finished)."""

    @property
    def sweep_complete(self) -> bool:
        """Every unresolved path was asked about in this sweep."""
        return not self.cut


class Rounds:
    """The state that outlives one round: page estimates, the sweep so far, listing cursors."""

    def __init__(
        self,
        client: CdnClient,
        clock: Clock,
        book: WaitBook,
        *,
        planner: Planner = plan_round,
        deadline: float = math.inf,
    ) -> None:
        self.client = client
        self.clock = clock
        self.book = book
        self.planner = planner
        self.page_size = client.limits.max_page_size
        """The largest listing page of the client's product (CDN 100, DCDN 50)."""
        self.deadline = deadline
        """Monotonic time after which no call starts (the wait's deadline plus its slack)."""
        self.pages: dict[tuple[str, ObjectType], int] = {}
        self.account_pages: int | None = None
        self.cursors: dict[ListingKey, int] = {}
        self.asked: set[str] = set()
        """Paths asked about in the current sweep."""
        self.ids_asked: set[str] = set()
        self.calls = 0

    # --- one round ----------------------------------------------------------------------------------

    def run(self, number: int) -> RoundOutcome:
        """Plan and make one round's calls; a non-retryable :class:`ApiError` propagates."""
        book = self.book
        unseen = [task_id for task_id in book.unseen_task_ids if task_id not in self.ids_asked]
        outcome = RoundOutcome(RoundPlan(), Budget(0, 0.0, 0.0, None))
        calls_before = self.calls
        try:
            if unseen:  # first: their rows may answer for paths the plan would ask about
                self._by_id(unseen)
            plan = self.planner(
                book,
                self.pages,
                skip=self.asked,
                account_pages=self.account_pages,
                resume=dict(self.cursors),
                page_size=self.page_size,
            )
            outcome.plan = plan
            outcome.budget = self._budget(plan, extra=self.calls - calls_before)
            self._log_plan(number, plan, outcome.budget)
            if plan.by_id:
                self._by_id(plan.by_id)
            for listing in plan.all_listings:
                self._list(listing, outcome)
            for path in plan.per_path:
                self._per_path(path)
        except ApiError as error:
            if not error.retryable:
                raise
            log.info("round %d: %s; backing off, the next round goes on from here", number, error)
            outcome.error = error
            outcome.cut.append(error.code)
        except OutOfTime:
            outcome.out_of_time = True
            outcome.cut.append("deadline")
        finally:
            outcome.calls = self.calls - calls_before
            log.debug("round %d: %d call(s)", number, outcome.calls)
        if outcome.sweep_complete:
            self.asked.clear()
            self.ids_asked.clear()
            self.cursors.clear()
        return outcome

    def _budget(self, plan: RoundPlan, *, extra: int) -> Budget:
        """``extra``: by-id calls the round made before planning."""
        by_id = plan.by_id_estimate
        describe = plan.describe_estimate
        # a stand-in client without a rate limiter (tests/helpers/reliability_soak.py wraps one) has no budget
        limiter: RateLimiter | None = getattr(self.client, "rate_limiter", None)
        rates = (
            (
                limiter.rate(self.client.product.action(Operation.DESCRIBE_TASKS)),
                limiter.rate(self.client.product.action(Operation.DESCRIBE_TASK_BY_ID)),
            )
            if limiter is not None
            else (None, None)
        )
        needed = sum(calls / rate for calls, rate in zip((describe, by_id), rates, strict=True) if rate)
        left = max(0.0, self.deadline - self.clock.monotonic())
        total = describe + by_id
        possible: int | None = None
        if any(rates):
            possible = total if needed <= left else math.floor(total * left / needed)
            possible += extra
        return Budget(total + extra, needed, left, possible)

    def _log_plan(self, number: int, plan: RoundPlan, budget: Budget) -> None:
        if plan.choice is not None:
            log.debug("round %d plan: %s", number, plan.choice.describe(), extra={"wait_plan": plan.choice})
        if budget.short:
            log.info(
                "round %d needs ~%d call(s) (~%.0fs at the QPS limits) but %.0fs are left: ~%d fit; "
                "the rest stay 'not checked yet' unless a later round gets to them",
                number,
                budget.calls_needed,
                budget.seconds_needed,
                budget.seconds_left,
                budget.calls_possible,
            )

    # --- the three kinds of query -------------------------------------------------------------------

    def _before_call(self) -> None:
        if self.clock.monotonic() > self.deadline:
            raise OutOfTime
        self.calls += 1

    def _by_id(self, task_ids: Iterable[str]) -> None:
        book = self.book
        paths_of: dict[str, list[str]] = {}
        for state in book.unresolved():
            if state.task is not None:
                paths_of.setdefault(state.task.task_id, []).append(state.path)
        for batch in chunked(task_ids, limits.MAX_TASK_IDS_PER_CALL):
            self._before_call()
            tasks = self.client.describe_refresh_task_by_id(batch)
            at = self.clock.monotonic()
            book.mark_checked(task_ids=batch)
            self.ids_asked.update(batch)
            for task_id in batch:
                self.asked.update(paths_of.get(task_id, ()))
            for task in tasks:
                book.offer(task, at, from_task_id=True)
                key = book.key_for(task.object_path)
                if key in book.states:
                    self.asked.add(key)

    def _per_path(self, path: str) -> None:
        """Ask DescribeRefreshTasks about one path by ObjectPath, in each of its
        :attr:`~.state.PathState.query_forms` until an answer shows its task (one call each, each
        counted and bounded by the deadline like any other call)."""
        book = self.book
        state = book.states[path]
        for form in state.query_forms:
            self._before_call()
            page = self.client.describe_refresh_tasks(object_path=form, page_size=self.page_size)
            at = self.clock.monotonic()
            for task in page.tasks:
                if book.key_for(task.object_path) != path:
                    continue
                if state.task is None and task.object_type in state.tried_types and book.counts_as(task):
                    # a listing of this type missed it: tasks appeared after it; list them again
                    for other in book.states.values():
                        if other.domain == state.domain:
                            other.tried_types.clear()
                book.offer(task, at)
            if state.task is not None:
                break
        state.checked = True
        self.asked.add(path)

    def _window(self) -> tuple[datetime | None, datetime | None]:
        since = self.book.since
        if since is None:
            return None, None  # the API's default: the whole 3-day window
        now = self.clock.now()
        start = max(since, (now - limits.QUERY_WINDOW + WINDOW_MARGIN).replace(microsecond=0))
        end = now.replace(microsecond=0) + WINDOW_MARGIN  # the server's clock may be ahead of ours
        return start, max(end, start + timedelta(seconds=1))

    def _list(self, listing: Listing, outcome: RoundOutcome) -> None:
        """Read a listing's pages until every wanted path is found, the window ends, or it turns out
        dearer than its budget (then the next round plans those paths again)."""
        book = self.book
        wanted = listing.wanted
        found: set[str] = set()
        since = book.since
        start, end = self._window()
        domain = listing.domain or None
        kind = listing.object_type.value if listing.object_type is not None else None
        budget = max(1, listing.budget)
        used = 0
        page_number = listing.start_page
        total = 0
        while True:
            try:
                self._before_call()
                page = self.client.describe_refresh_tasks(
                    domain_name=domain,
                    object_type=kind,
                    start_time=start,
                    end_time=end,
                    page_number=page_number,
                    page_size=self.page_size,
                )
            except (ApiError, OutOfTime):
                self.cursors[listing.key] = page_number  # the next round goes on from here
                if total:
                    self._remember(listing.key, listing_pages(total, self.page_size))
                raise
            used += 1
            total = page.total_count
            at = self.clock.monotonic()
            older = False
            before = len(found)
            for task in page.tasks:
                if since is not None and task.creation_time < since:
                    older = True
                    continue
                key = book.key_for(task.object_path)  # a row in another spelling counts for its path
                if key in wanted:
                    found.add(key)
                    book.offer(task, at)
            self.asked.update(found)
            last = listing_pages(total, self.page_size)
            if (
                len(found) >= len(wanted)
                or older
                or not page.tasks
                or page_number >= last
                or page_number >= limits.MAX_PAGE_NUMBER
            ):
                break
            if used >= budget or (last - page_number + used > budget and len(found) == before):
                # over budget, or a busy listing whose newest tasks are not ours: plan them again
                self._remember(listing.key, last)
                self.cursors.pop(listing.key, None)
                outcome.cut.append(f"{listing.label} listing over budget ({last} page(s) > {budget})")
                log.debug("listing %s stopped after %d page(s) of %d", listing.label, used, last)
                return
            page_number += 1
        self._remember(listing.key, page_number)
        self.cursors.pop(listing.key, None)
        self.asked.update(wanted)
        book.mark_checked(wanted)
        if listing.object_type is not None:
            for path in wanted - found:
                state = book.states[path]
                if state.task is None:
                    state.tried_types.add(listing.object_type)

    def _remember(self, key: ListingKey, pages: int) -> None:
        if key == ACCOUNT_KEY:
            self.account_pages = pages
        elif key[1] is not None:
            self.pages[(key[0], key[1])] = pages
