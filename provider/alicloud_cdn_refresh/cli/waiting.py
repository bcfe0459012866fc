"""Run the waiter with a progress display and report the outcome: ``wait`` and ``--wait`` share it."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from .exit_status import ExitStatus
from .options import WaitOptions, chosen_product
from .state import current_state

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.errors import PendingPath
    from alicloud_cdn_refresh.models import RefreshTask
    from alicloud_cdn_refresh.waiter.loop import WaitProgress

__all__ = ["wait_and_report"]


def wait_and_report(
    client: CdnClient,
    *,
    object_paths: Sequence[str],
    task_ids: Sequence[str],
    since: datetime | None,
    options: WaitOptions,
    label: str | None = None,
) -> tuple[dict[str, Any], ExitStatus]:
    """Wait with a progress display on stderr, print the outcome; return (JSON document, status).

    The document holds ``outcome``, ``elapsed``, ``tasks``, ``failed`` and ``pending`` (README,
    "JSON output"); with ``options.quiet`` the table of tasks is left out, the summary (or the
    failure lines) printed all the same. ``label`` heads the live display (default: ``Waiting for
    CDN tasks``, or DCDN's with ``--product dcdn``).
    """
    from alicloud_cdn_refresh.errors import PendingPath, RefreshFailed, TaskNotFound, WaitTimeout
    from alicloud_cdn_refresh.waiter.loop import wait_for_refresh

    from . import render
    from .progress import make_progress

    tasks: list[RefreshTask] = []
    failed: list[RefreshTask] = []
    pending: list[PendingPath] = []
    started = time.monotonic()
    if label is None:
        label = f"Waiting for {chosen_product().title} tasks"
    reporter = make_progress(sys.stderr, total=len(object_paths), label=label)
    last = _LastProgress(reporter)
    try:
        with reporter:
            tasks = wait_for_refresh(
                object_paths or None,
                task_ids=task_ids or None,
                since=since,
                timeout=options.timeout,
                client=client,
                on_progress=last,
                fail_on_failed=not options.keep_going,
                poll_initial=options.poll_initial,
                poll_max=max(options.poll_max, options.poll_initial),
                not_found_grace=options.not_found_grace,
            )
        failed = [task for task in tasks if task.status.is_failed]
        outcome = "failed" if failed else "complete"
    except RefreshFailed as error:
        failed = list(error.failed)
        tasks = list(error.completed) + failed
        outcome = "failed"
    except WaitTimeout as error:
        pending = list(error.pending)
        failed = list(error.failed)  # --keep-going went on past them
        tasks = list(error.completed) + failed
        outcome = "timeout"
    except TaskNotFound as error:
        pending = [PendingPath(path, "NotFound") for path in error.paths]
        pending += [PendingPath("", "NotFound", task_id=task_id) for task_id in error.task_ids]
        outcome = "not_found"
    elapsed = time.monotonic() - started
    document = {
        "outcome": outcome,
        "elapsed": round(elapsed, 3),
        "tasks": [render.task_to_json(task) for task in tasks],
        "failed": [render.task_to_json(task) for task in failed],
        "pending": [render.pending_to_json(item) for item in pending],
    }
    # With --json, stdout holds the document alone: the summary goes to stderr (CI logs keep it).
    to_stderr = current_state().json
    if not options.quiet and tasks:
        render.render_tasks(tasks)
    if outcome == "complete":
        click.echo(f"All {len(tasks)} path(s) Complete in {elapsed:.1f}s.", err=to_stderr)
        return document, ExitStatus.OK
    if outcome == "failed":
        lines = [f"error: {len(failed)} path(s) failed:", *render.failed_lines(failed)]
        click.echo("\n".join(lines), err=True)
        return document, ExitStatus.FAILED
    if outcome == "not_found":
        head = (
            f"error: no task found after {options.not_found_grace:g}s for {len(pending)} path(s) "
            "(only the last 3 days count; is each path spelled exactly as submitted?):"
        )
    else:
        states = Counter(item.last_status for item in pending)
        head = (
            f"error: timeout after {options.timeout:g}s: {len(pending)} path(s) not Complete "
            f"({render.describe_states(dict(states.most_common()))}):"
        )
    lines = [head, *render.pending_lines(pending), *_not_checked_note(pending, last.seen)]
    if failed:
        lines += [f"error: {len(failed)} path(s) failed:", *render.failed_lines(failed)]
    click.echo("\n".join(lines), err=True)
    return document, ExitStatus.TIMEOUT


class _LastProgress:
    """The waiter's ``on_progress``: hands each report to the display and keeps the last one."""

    def __init__(self, display: Callable[[WaitProgress], None]) -> None:
        self.display = display
        self.seen: WaitProgress | None = None

    def __call__(self, progress: WaitProgress) -> None:
        self.seen = progress
        self.display(progress)


def _not_checked_note(pending: Sequence[PendingPath], last: WaitProgress | None) -> list[str]:
    """Why paths were never asked about, when some were not (the last round's budget, if short)."""
    from alicloud_cdn_refresh.errors import NOT_CHECKED

    count = sum(item.last_status == NOT_CHECKED for item in pending)
    if not count:
        return []
    why = "the wait ran out of time, or its calls failed, before it could ask about them"
    if last is not None and last.shortfall:
        why = (
            f"the last round needed ~{last.calls_needed} calls and ~{last.calls_possible} fitted "
            "before the deadline at the API's QPS limits"
        )
    elif last is not None and last.round_incomplete:
        why = f"the last round was cut short ({last.incomplete_reason})"
    return [
        f"note: {count} of them not checked yet: {why}; they may well be Complete "
        "(raise --timeout, or run fewer waits at once)"
    ]
