"""Walking every page of DescribeRefreshTasks: each task once, through shifting pages and throttling.

Pages are read newest first. A task submitted during the walk pushes older ones down, so a re-read
overlap is skipped; when ``TotalCount`` grows meanwhile the walk reads on past the first count until
a page brings nothing unseen.

A page that fails with a retryable error (``Throttling``, 5xx, network) after the client's own
retries is asked again, after a jittered pause that doubles up to :data:`PAUSE_MAX`, from the same
page number: the tasks of the pages already read were yielded and stay with the caller. The walk
gives up, raising the last error, only when no page could be read for ``patience`` seconds.
Several walks of one account at once (each throttled in turn) therefore all finish.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.errors import ApiError
from alicloud_cdn_refresh.models import RefreshTask, RefreshTaskPage

from .retry import RetryPolicy

__all__ = ["DEFAULT_PATIENCE", "PAUSE_INITIAL", "PAUSE_MAX", "walk_pages"]

logger = logging.getLogger("alicloud_cdn_refresh.client")

DEFAULT_PATIENCE = 120.0
"""Seconds a walk keeps asking for a page that fails with retryable errors before it gives up."""
PAUSE_INITIAL = 1.0
"""The first pause (seconds, full jitter) before a failed page is asked again."""
PAUSE_MAX = 15.0
"""The longest pause between two tries of one page."""


def walk_pages(
    fetch: Callable[[int], RefreshTaskPage],
    page_size: int,
    *,
    clock: Clock,
    patience: float = DEFAULT_PATIENCE,
    rng: random.Random | None = None,
) -> Iterator[RefreshTask]:
    """Every task of the pages ``fetch(page_number)`` returns, each ``(task_id, object_path)`` once."""
    pauses = None
    if patience > 0:
        pauses = RetryPolicy(attempts=2**31, timeout=patience, initial=PAUSE_INITIAL, max=PAUSE_MAX)
    seen: set[tuple[str, str]] = set()
    first_total: int | None = None
    stale = 0
    page_number = 1
    while page_number <= limits.MAX_PAGE_NUMBER:
        page = _read(fetch, page_number, pauses, clock, rng, pages_read=page_number - 1, tasks=len(seen))
        fresh = 0
        for task in page.tasks:
            key = (task.task_id, task.object_path)
            if key not in seen:
                seen.add(key)
                fresh += 1
                yield task
        if first_total is None:
            first_total = page.total_count
        # A short page is the end of the listing; so are two pages in a row with nothing
        # unseen (a server repeating itself), which a real shift of 100+ tasks never gives.
        stale = 0 if fresh else stale + 1
        if len(page.tasks) < page_size or stale >= 2:
            return
        if page_number * page_size >= page.total_count:
            grew = page.total_count > first_total
            if not (grew and fresh):
                return
        page_number += 1


def _read(
    fetch: Callable[[int], RefreshTaskPage],
    page_number: int,
    pauses: RetryPolicy | None,
    clock: Clock,
    rng: random.Random | None,
    *,
    pages_read: int,
    tasks: int,
) -> RefreshTaskPage:
    """One page, asked again after retryable failures until ``pauses.timeout`` seconds have passed
    (never with ``pauses=None``)."""
    started = clock.monotonic()
    tries = 0
    while True:
        try:
            return fetch(page_number)
        except ApiError as error:
            if not error.retryable:
                raise
            elapsed = clock.monotonic() - started
            pause = None if pauses is None else pauses.delay(tries, elapsed=elapsed, rng=rng)
            if pause is None:
                logger.info(
                    "page %d: giving up after %.1fs of %s (%d page(s), %d task(s) read before)",
                    page_number,
                    elapsed,
                    error.code,
                    pages_read,
                    tasks,
                )
                raise
            logger.info(
                "page %d: %s; keeping the %d page(s) read, asking again in %.1fs",
                page_number,
                error.code,
                pages_read,
                pause,
            )
            clock.sleep(pause)
            tries += 1
