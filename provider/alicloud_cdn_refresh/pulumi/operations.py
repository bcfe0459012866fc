"""The behaviour of ``RefreshWait`` and ``CacheRefresh``: one implementation for every face.

Each operation (check, diff, create, update, read, delete) is a function of plain wire-shaped maps
(camelCase keys, as in ``schema/schema.json`` and in stack state) that returns plain values
(:mod:`.outcomes`) or raises :class:`~alicloud_cdn_refresh.errors.CdnError`, or
:class:`~.outcomes.Incomplete` when a resource exists after all (a CacheRefresh that submitted and
then failed). No ``pulumi.dynamic`` type appears here: a face (the dynamic providers in
``dynamic_providers.py``; later a provider plugin) only translates its host's values to these calls
and their errors to its host's, using :meth:`Behaviour.failure_message` for the one message the
user sees.

What an operation needs besides its properties comes in a :class:`~.session.Session`: how to build
a fresh client for an identity and a product (never kept on anything that is pickled), where
progress lines go, how a wait takes its place among the host's workers, and the host's cancel event
and time limit when it has them. A preview (the plugin's Create and Update with ``preview`` set)
answers from :mod:`.previews` and calls no API.

Updates resume what a failed run left: a ``CacheRefresh`` stored with unfinished work (its partial
state: task ids, unconfirmed paths, no ``completedAt``) finishes the submission and waits, sending
again only paths whose task failed (:mod:`.submissions`); a ``RefreshWait`` whose stored tasks are
not all Complete waits again. ``read`` of a resource with no stored state adopts the task ids its
id names (:mod:`.imports`). ``delete`` does nothing remote for either resource: a refresh cannot
be undone, and a task simply expires from the API after three days.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from alicloud_cdn_refresh.errors import CdnError, InvalidQuery
from alicloud_cdn_refresh.models import format_api_time

from .diffs import DiffOutcome, diff_cache_refresh, diff_refresh_wait
from .imports import IMPORT_ID_HINT, import_cache_refresh, import_refresh_wait, import_task_ids
from .inputs import (
    CACHE_REFRESH_INPUTS,
    CACHE_TAG_OPERATION,
    DEFAULT_TIMEOUT_SECONDS,
    REFRESH_WAIT_INPUTS,
    CheckOutcome,
    check_cache_refresh,
    check_refresh_wait,
    inputs_only,
    parse_since,
)
from .outcomes import Created, Incomplete, ReadOutcome
from .previews import (
    preview_cache_refresh,
    preview_cache_refresh_update,
    preview_refresh_wait,
    preview_refresh_wait_update,
)
from .progress import wait_label
from .session import Session, now_text, wait_tasks
from .stored import settled, stored_submission, stored_tasks, unfinished
from .submissions import Submission, confirm, failed_items, items_of, submit, window_start
from .types import task_from_wire, task_to_wire

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = [
    "BEHAVIOURS",
    "CACHE_REFRESH",
    "REFRESH_WAIT",
    "Behaviour",
    "Created",
    "Incomplete",
    "ReadOutcome",
    "Session",
    "create_cache_refresh",
    "create_refresh_wait",
    "delete_nothing",
    "read_cache_refresh",
    "read_refresh_wait",
    "update_cache_refresh",
    "update_refresh_wait",
]

Props = Mapping[str, Any]


# --------------------------------------------------------------------------- shared steps


def _refresh_tasks(client: CdnClient, old_tasks: Sequence[Props], task_ids: Sequence[str]) -> list[Any]:
    """The current state of the stored tasks (by id); a task the API no longer knows keeps its last state."""
    previous = [task_from_wire(item) for item in old_tasks]
    ids = sorted({task.task_id for task in previous} | set(task_ids))
    if not ids:
        return [task_to_wire(task) for task in previous]
    fresh = client.describe_refresh_task_by_id(ids)
    by_key = {(task.task_id, task.object_path): task for task in fresh}
    if previous:
        current = [by_key.get((task.task_id, task.object_path), task) for task in previous]
    else:
        current = list(fresh)
    return [task_to_wire(task) for task in current]


def _no_state_read(kind: str, id_: str) -> list[str]:
    """The task ids to adopt when a resource is read with no state of its own (an import)."""
    ids = import_task_ids(id_)
    if ids is None:
        raise InvalidQuery("id", f"{kind} {id_!r} has no stored state to read; {IMPORT_ID_HINT}")
    return ids


def delete_nothing(_id: str, _props: Props) -> None:
    """Nothing remote: a refresh cannot be undone, and tasks expire from the API after 3 days."""


# --------------------------------------------------------------------------- RefreshWait


def create_refresh_wait(props: Props, session: Session, id_: str | None = None) -> Created:
    """Wait until complete; the outputs are the inputs plus the final tasks and ``completedAt``."""
    inputs = inputs_only(props, REFRESH_WAIT_INPUTS)
    paths = list(inputs.get("objectPaths") or [])
    ids = [str(item) for item in inputs.get("taskIds") or []]
    since = parse_since(inputs["since"]) if inputs.get("since") else None
    with session.client_for(inputs) as client:
        tasks = wait_tasks(
            client,
            session,
            label=wait_label("RefreshWait", paths, ids),
            object_paths=paths,
            task_ids=ids,
            since=since,
            timeout=float(inputs.get("timeoutSeconds") or DEFAULT_TIMEOUT_SECONDS),
            fail_on_failed=bool(inputs.get("failOnFailed", True)),
        )
        outs = {**inputs, "tasks": [task_to_wire(t) for t in tasks], "completedAt": now_text(client)}
    return Created(id_ or f"refreshwait-{uuid.uuid4().hex}", outs)


def update_refresh_wait(id_: str, olds: Props, news: Props, session: Session) -> dict[str, Any]:
    """timeout/fail_on_failed/identity changed: keep the tasks when they are all Complete, else
    (a stored Failed task, or an imported wait not yet complete) wait again with the new inputs."""
    inputs = inputs_only(news, REFRESH_WAIT_INPUTS)
    if settled(olds):
        return {**inputs, "tasks": stored_tasks(olds), "completedAt": olds.get("completedAt")}
    return create_refresh_wait(news, session, id_).outs


def read_refresh_wait(id_: str, props: Props, session: Session) -> ReadOutcome:
    """``pulumi refresh``: the tasks' current state; the inputs are kept as they were. With no state
    at all (an import), the task ids the id names."""
    inputs = inputs_only(props, REFRESH_WAIT_INPUTS)
    if not props.get("tasks") and not inputs.get("taskIds"):
        ids = _no_state_read("RefreshWait", id_)
        with session.client_for(inputs) as client:
            return import_refresh_wait(client, id_, ids)
    with session.client_for(inputs) as client:
        tasks = _refresh_tasks(
            client, props.get("tasks") or [], [str(i) for i in inputs.get("taskIds") or []]
        )
    return ReadOutcome(id_, {**inputs, "tasks": tasks, "completedAt": props.get("completedAt")}, inputs)


# --------------------------------------------------------------------------- CacheRefresh


def _wait_submitted(
    client: CdnClient, session: Session, inputs: Props, ids: Sequence[str], submitted_at: datetime | None
) -> dict[str, Any]:
    tags = inputs.get("operation") == CACHE_TAG_OPERATION
    items = items_of(inputs)
    operation = str(inputs.get("operation", "refresh"))
    tasks = wait_tasks(
        client,
        session,
        label=wait_label(f"CacheRefresh {operation}", [] if tags else items, ids),
        # A tag purge's rows are not known to name its tags: its task ids are the whole wait.
        object_paths=None if tags else items,
        task_ids=ids,
        # Our task ids name our tasks exactly; ``since`` only keeps older tasks of the same paths out.
        since=None if submitted_at is None else window_start(submitted_at),
        timeout=float(inputs.get("timeoutSeconds") or DEFAULT_TIMEOUT_SECONDS),
        fail_on_failed=bool(inputs.get("failOnFailed", True)),
    )
    return {"tasks": [task_to_wire(t) for t in tasks], "completedAt": now_text(client)}


def _record(outs: dict[str, Any], submission: Submission) -> None:
    """Add what a (re)submit achieved to the outputs kept in state."""
    outs["taskIds"] = list(dict.fromkeys([*outs["taskIds"], *submission.task_ids]))
    outs["unconfirmedPaths"] = list(submission.unconfirmed)


def create_cache_refresh(props: Props, session: Session) -> Created:
    """Submit, then (``wait``) block until every submitted item is Complete.

    Raises :class:`Incomplete` (with the task ids accepted) when the submit fails part-way or the
    wait fails after it; a submit refused whole raises its ``CdnError`` (nothing to keep).
    """
    inputs = inputs_only(props, CACHE_REFRESH_INPUTS)
    id_ = f"cacherefresh-{uuid.uuid4().hex}"
    with session.client_for(inputs) as client:
        submitted_at = client.clock.now().replace(microsecond=0)
        submission = submit(client, inputs, items_of(inputs))
        outs: dict[str, Any] = {
            **inputs,
            "taskIds": submission.task_ids,
            "submittedAt": format_api_time(submitted_at),
            "unconfirmedPaths": submission.unconfirmed,
            "tasks": [],
            "completedAt": None,
        }
        if submission.error is not None:
            raise Incomplete(id_, outs, submission.error)
        if inputs.get("wait", True):
            try:
                outs.update(_wait_submitted(client, session, inputs, submission.task_ids, submitted_at))
            except CdnError as error:
                raise Incomplete(id_, outs, error) from None
    return Created(id_, outs)


def _finish(id_: str, client: CdnClient, session: Session, inputs: Props, outs: dict[str, Any]) -> None:
    """Complete a stored submission and (``wait``) its wait, in ``outs``; :class:`Incomplete` on failure."""
    submitted = parse_since(outs["submittedAt"]) if outs["submittedAt"] else None
    try:
        if outs.get("unconfirmedPaths"):
            more = confirm(client, inputs, outs["unconfirmedPaths"], submitted)
            _record(outs, more)
            if more.error is not None:
                raise more.error
        if not inputs.get("wait", True) or not outs["taskIds"]:
            return
        current = client.describe_refresh_task_by_id(outs["taskIds"])
        again = failed_items(inputs, current)
        if again:
            session.report(f"CacheRefresh: submitting {len(again)} failed item(s) again")
            more = submit(client, inputs, again)
            _record(outs, Submission(more.task_ids, [*outs.get("unconfirmedPaths", []), *more.unconfirmed]))
            if more.error is not None:
                raise more.error
        outs.update(_wait_submitted(client, session, inputs, outs["taskIds"], submitted))
    except CdnError as error:
        raise Incomplete(id_, outs, error) from None


def update_cache_refresh(id_: str, olds: Props, news: Props, session: Session) -> dict[str, Any]:
    """Nothing is submitted again for a change of wait/timeout/fail_on_failed/identity. A stored
    submission that is unfinished (unconfirmed paths, or no ``completedAt`` while ``wait``) is
    finished now: the partial state a failed create or update left is resumed, not repeated."""
    inputs = inputs_only(news, CACHE_REFRESH_INPUTS)
    outs: dict[str, Any] = {**inputs, **stored_submission(olds)}
    if unfinished(inputs, outs):
        with session.client_for(inputs) as client:
            _finish(id_, client, session, inputs, outs)
    return outs


def read_cache_refresh(id_: str, props: Props, session: Session) -> ReadOutcome:
    """``pulumi refresh``: the submitted tasks' current state; inputs kept as they were. With no
    state at all (an import), the tasks the id names."""
    inputs = inputs_only(props, CACHE_REFRESH_INPUTS)
    ids = [str(item) for item in props.get("taskIds") or []]
    outs = dict(props)
    if not ids:
        if "submittedAt" in props:  # a stored submission that got no id (nothing accepted yet)
            return ReadOutcome(id_, outs, inputs)
        task_ids = _no_state_read("CacheRefresh", id_)
        with session.client_for(inputs) as client:
            return import_cache_refresh(client, id_, task_ids)
    with session.client_for(inputs) as client:
        outs["tasks"] = _refresh_tasks(client, props.get("tasks") or [], ids)
    outs["taskIds"] = ids
    return ReadOutcome(id_, outs, inputs)


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Behaviour:
    """Every operation of one resource type, for a face to dispatch to by ``kind``.

    ``carries`` names, per input, the outputs that repeat its values (``tasks[].objectPath`` repeats
    ``objectPaths``): a face keeps those outputs secret when that input is (:meth:`secret_outputs`).
    ``preview_create`` / ``preview_update`` tell the outputs without calling the API (:mod:`.previews`).
    """

    kind: str
    check: Callable[[Props], CheckOutcome]
    diff: Callable[[Props, Props], DiffOutcome]
    create: Callable[[Props, Session], Created]
    update: Callable[[str, Props, Props, Session], dict[str, Any]]
    read: Callable[[str, Props, Session], ReadOutcome]
    delete: Callable[[str, Props], None]
    carries: Mapping[str, tuple[str, ...]]
    preview_create: Callable[[Props], dict[str, Any]]
    preview_update: Callable[[Props, Props], dict[str, Any]]

    def failure_message(self, operation: str, error: CdnError) -> str:
        """The one message a user sees when ``operation`` fails (``RefreshWait create failed: ...``)."""
        return f"{self.kind} {operation} failed: {error}"

    def incomplete_note(self, incomplete: Incomplete) -> str:
        """What a partial state keeps, and what the next ``pulumi up`` does with it."""
        outs = incomplete.outs
        kept = f"{len(outs.get('taskIds') or [])} task id(s)"
        unconfirmed = outs.get("unconfirmedPaths") or []
        if unconfirmed:
            kept += f" and {len(unconfirmed)} item(s) not confirmed submitted"
        return f"{self.kind} kept {kept} in the stack: the next `pulumi up` resumes, it does not submit again"

    def secret_outputs(self, secret_inputs: Sequence[str]) -> list[str]:
        """The outputs to keep secret when the named inputs (wire names) are secret."""
        return list(dict.fromkeys(out for key in secret_inputs for out in self.carries.get(key, ())))


REFRESH_WAIT: Final = Behaviour(
    kind="RefreshWait",
    check=check_refresh_wait,
    diff=diff_refresh_wait,
    create=create_refresh_wait,
    update=update_refresh_wait,
    read=read_refresh_wait,
    delete=delete_nothing,
    carries={"objectPaths": ("tasks",), "taskIds": ("tasks",)},
    preview_create=preview_refresh_wait,
    preview_update=preview_refresh_wait_update,
)
CACHE_REFRESH: Final = Behaviour(
    kind="CacheRefresh",
    check=check_cache_refresh,
    diff=diff_cache_refresh,
    create=create_cache_refresh,
    update=update_cache_refresh,
    read=read_cache_refresh,
    delete=delete_nothing,
    carries={
        "objectPaths": ("tasks", "unconfirmedPaths"),
        "cacheTags": ("tasks", "unconfirmedPaths"),
        "domainName": ("tasks",),
    },
    preview_create=preview_cache_refresh,
    preview_update=preview_cache_refresh_update,
)
BEHAVIOURS: Final = {behaviour.kind: behaviour for behaviour in (REFRESH_WAIT, CACHE_REFRESH)}
"""Each resource type's behaviour by its name (the last part of its type token)."""
