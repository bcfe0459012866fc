"""Submit, say exactly what was submitted, then wait: what ``refresh`` and ``preload`` share.

Nothing submitted is ever lost from the output:

- a submit that needs several calls is checked against today's quota first (DescribeRefreshQuota)
  and refused before anything is sent when it cannot fit (``--ignore-quota`` skips the check);
- Ctrl-C or SIGTERM during the submit lets it finish (:func:`~.output.deferred_signals`), then
  ends the run with the task ids printed; during ``--wait`` the ids are printed on the way out
  (the JSON document too, ``"outcome": "interrupted"``, with the tasks the wait had seen:
  :class:`~.seen.SeenTasks`);
- a submit stopped after some calls were accepted (:class:`~alicloud_cdn_refresh.errors.PartialSubmit`)
  is reported path by path (accepted under which ids, sent but unanswered, not accepted and why),
  in text and JSON, with exit status ``PARTIAL_SUBMIT``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from .exit_status import ExitStatus
from .options import WaitOptions
from .output import Terminated, deferred_signals, write_json
from .seen import SeenTasks
from .state import current_state
from .waiting import wait_and_report as _wait_and_report

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.errors import PartialSubmit

__all__ = ["Submission", "submit_and_report"]

JSON_VERSION = 1
"""The ``version`` of the CLI's JSON documents (``render.JSON_VERSION``, restated to stay light)."""

_DEFER_NOTICE = (
    "finishing the submit under way so that its task ids are not lost; press Ctrl-C again to stop now "
    "(what was accepted is then unknown)"
)


@dataclass(frozen=True)
class Submission:
    """One submit as the commands describe it.

    ``object_type`` is the JSON spelling (lower case, as tasks report their type: ``file``,
    ``directory``, ``regex``, ``ignoreparams``, ``exquery``, ``preload``, ``cachetag``);
    ``limit_type`` the row of the product's limits table (``File``, ``preload``...); ``items`` the
    paths (or cache tags) and ``items_key`` their JSON key; ``details`` the operation's own JSON
    keys; ``send`` makes the calls and returns the task ids.
    """

    operation: str
    action: str
    object_type: str
    limit_type: str
    items: Sequence[str]
    details: dict[str, Any]
    send: Callable[[], list[str]]
    items_key: str = "object_paths"
    noun: str = "path"


def submit_and_report(
    client: CdnClient,
    submission: Submission,
    *,
    wait_after: bool,
    as_json: bool,
    options: WaitOptions,
    ignore_quota: bool = False,
    waiter: Callable[..., tuple[dict[str, Any], ExitStatus]] = _wait_and_report,
) -> ExitStatus:
    """Check the quota, submit, print the ids (stdout; stderr with ``--json``), then wait if asked
    (with ``waiter``, :func:`~.waiting.wait_and_report`)."""
    from alicloud_cdn_refresh.errors import PartialSubmit

    if not ignore_quota:
        _check_quota(client, submission)
    base: dict[str, Any] = {
        "version": JSON_VERSION,
        "operation": submission.operation,
        "object_type": submission.object_type,
        **submission.details,
        submission.items_key: list(submission.items),
    }
    with deferred_signals(_DEFER_NOTICE) as held:
        try:
            task_ids = submission.send()
        except PartialSubmit as partial:
            return _report_partial(submission, base, partial, as_json=as_json)
    document = {**base, "task_ids": list(dict.fromkeys(task_ids))}
    count = len(submission.items)
    click.echo(
        f"Submitted {submission.operation} of {count} {submission.noun}(s): "
        f"task id(s) {', '.join(document['task_ids']) or '(none)'}",
        err=as_json,  # with --json stdout holds the document; the ids reach a CI log now all the same
    )
    stop = held.interruption()
    if stop is not None:  # Ctrl-C or SIGTERM during the submit: the ids are out, now stop
        if as_json:
            write_json({**document, **_interrupted(stop)})
        raise stop
    status = ExitStatus.OK
    if wait_after:
        if as_json:
            options = dataclasses.replace(options, quiet=True)
        seen = SeenTasks(client, document["task_ids"])
        try:
            outcome, status = waiter(
                seen, object_paths=[], task_ids=document["task_ids"], since=None, options=options
            )
        except (KeyboardInterrupt, click.Abort, Terminated) as stopped:
            if as_json:
                write_json({**document, **_interrupted(stopped), **seen.document()})
            raise
        document = {**document, **outcome}
    if as_json:
        write_json(document)
    return status


def _interrupted(stop: BaseException) -> dict[str, Any]:
    terminated = isinstance(stop, Terminated)
    status = ExitStatus.TERMINATED if terminated else ExitStatus.INTERRUPTED
    return {
        "outcome": "interrupted",
        "elapsed": None,
        "tasks": [],
        "failed": [],
        "pending": [],
        "error": {
            "kind": "terminated" if terminated else "interrupted",
            "code": None,
            "message": "terminated (SIGTERM)" if terminated else "interrupted",
            "request_id": None,
            "exit_code": int(status),
            "hint": "the task ids above were submitted: wait for them with cdn-refresh wait --task-id ID",
        },
    }


def _check_quota(client: CdnClient, submission: Submission) -> None:
    """Refuse (``InsufficientQuota``, nothing sent) a submit of several calls that today's quota
    cannot take. One call is all or nothing at the service, so it is not checked (nor is a quota the
    account may not read: the submit goes ahead with a warning)."""
    from alicloud_cdn_refresh.batching import submit_batches
    from alicloud_cdn_refresh.errors import ApiError

    if len(submission.items) < 2:
        return
    limits = client.limits
    row = limits.submit(submission.action, submission.limit_type)
    if row.quota is None:
        return
    if len(submit_batches(submission.items, row, limits)) < 2:
        return
    try:
        quota = client.describe_refresh_quota()
    except ApiError as error:
        click.echo(
            f"warning: today's quota could not be read to check it first ({error.code}); sending anyway",
            err=True,
        )
        return
    client.check_quota(row.quota, len(submission.items), quota=quota)


def _report_partial(
    submission: Submission, base: dict[str, Any], partial: PartialSubmit, *, as_json: bool
) -> ExitStatus:
    """Every path of a partly accepted submit, by fate: on stderr (and the ids on stdout), or as JSON."""
    state = current_state()
    cause = partial.cause
    ids = list(partial.task_ids)
    noun = submission.noun
    if as_json:
        write_json(
            {
                **base,
                "task_ids": ids,
                "accepted": [
                    {"task_ids": list(batch.task_ids), submission.items_key: list(batch.paths)}
                    for batch in partial.accepted
                ],
                "uncertain": list(partial.uncertain_paths),
                "rejected": list(partial.rejected_paths),
                "error": {
                    "kind": "partial_submit",
                    "code": cause.code,
                    "message": state.redact(str(partial)),
                    "request_id": cause.request_id or None,
                    "http_status": cause.http_status or None,
                    "action": cause.action or None,
                    "exit_code": int(ExitStatus.PARTIAL_SUBMIT),
                    "hint": _hint(ids),
                },
            }
        )
    else:
        click.echo(
            f"Submitted {submission.operation} of {len(partial.accepted_paths)} of "
            f"{len(submission.items)} {noun}(s): task id(s) {', '.join(ids)}"
        )
    lines = [f"error: partly submitted: {partial}"]
    for batch in partial.accepted:
        lines.append(f"accepted under task id(s) {', '.join(batch.task_ids)} ({len(batch.paths)} {noun}(s)):")
        lines += [f"  {path}" for path in batch.paths]
    if partial.uncertain_paths:
        lines.append(
            f"sent, but the answer was lost ({cause.code}): may have been accepted; "
            f"check with `cdn-refresh tasks --path URL` before sending them again:"
        )
        lines += [f"  {path}" for path in partial.uncertain_paths]
    if partial.rejected_paths:
        lines.append(f"not accepted ({cause.code}: {cause.message}):")
        lines += [f"  {path}" for path in partial.rejected_paths]
    lines.append(f"hint: {_hint(ids)}")
    click.echo(state.redact("\n".join(lines)), err=True)
    state.document_written = state.document_written or as_json
    return ExitStatus.PARTIAL_SUBMIT


def _hint(task_ids: Sequence[str]) -> str:
    flags = " ".join(f"--task-id {task_id}" for task_id in task_ids[:20])
    more = " ..." if len(task_ids) > 20 else ""
    return f"wait for what was accepted with `cdn-refresh wait {flags}{more}`; send the rest again later"
