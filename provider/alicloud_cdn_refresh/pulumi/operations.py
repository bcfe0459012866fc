"""The behaviour of ``RefreshWait`` and ``CacheRefresh``: one implementation for every face.

Each operation (check, diff, create, update, read, delete) is a function of plain wire-shaped maps
(camelCase keys, as in ``schema/schema.json`` and in stack state) that returns plain values or
raises :class:`~alicloud_cdn_refresh.errors.CdnError`. No ``pulumi.dynamic`` type appears here:
a face (the dynamic providers in ``dynamic_providers.py``; later a provider plugin) only
translates its host's values to these calls and a ``CdnError`` to its host's error, using
:meth:`Behaviour.failure_message` for the one message the user sees.

What an operation needs besides its properties comes in a :class:`Session`: how to build a fresh
client (never kept on anything that is pickled) and where progress lines go.

``delete`` does nothing remote for either resource: a refresh cannot be undone, and a task simply
expires from the API after three days.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from alicloud_cdn_refresh.limits import TIMESTAMP_TOLERANCE
from alicloud_cdn_refresh.models import RefreshObjectType, RefreshTask, format_api_time

from .diffs import DiffOutcome, diff_cache_refresh, diff_refresh_wait
from .inputs import (
    CACHE_REFRESH_INPUTS,
    DEFAULT_TIMEOUT_SECONDS,
    REFRESH_WAIT_INPUTS,
    CheckOutcome,
    check_cache_refresh,
    check_refresh_wait,
    inputs_only,
    parse_since,
)
from .progress import Report, progress_printer, wait_label, write_stderr
from .types import task_from_wire, task_to_wire

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.errors import CdnError

__all__ = [
    "BEHAVIOURS",
    "CACHE_REFRESH",
    "REFRESH_WAIT",
    "Behaviour",
    "Created",
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


@dataclass(frozen=True)
class Session:
    """What an operation uses besides its properties.

    ``connect`` builds a fresh client for one operation (credentials resolved then, never kept);
    ``report`` receives the progress lines of a wait.
    """

    connect: Callable[[], CdnClient]
    report: Report = write_stderr


@dataclass(frozen=True)
class Created:
    """The result of a create: the new resource's id and its outputs."""

    id: str
    outs: dict[str, Any]


@dataclass(frozen=True)
class ReadOutcome:
    """The result of a read (``pulumi refresh``): id, current outputs, and the inputs to keep."""

    id: str
    outs: dict[str, Any]
    inputs: dict[str, Any]


# --------------------------------------------------------------------------- shared steps


def _now_text(client: CdnClient) -> str:
    return format_api_time(client.clock.now())


def _wait(
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
    from alicloud_cdn_refresh.waiter.loop import wait_for_refresh

    return wait_for_refresh(
        object_paths or None,
        task_ids=task_ids or None,
        since=since,
        timeout=float(timeout),
        client=client,
        on_progress=progress_printer(label, session.report),
        fail_on_failed=fail_on_failed,
    )


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


def _stored_tasks(props: Props) -> list[dict[str, Any]]:
    """The tasks kept in state, re-read (the engine gives numbers back as floats)."""
    return [task_to_wire(task_from_wire(item)) for item in props.get("tasks") or []]


def delete_nothing(_id: str, _props: Props) -> None:
    """Nothing remote: a refresh cannot be undone, and tasks expire from the API after 3 days."""


# --------------------------------------------------------------------------- RefreshWait


def create_refresh_wait(props: Props, session: Session) -> Created:
    """Wait until complete; the outputs are the inputs plus the final tasks and ``completedAt``."""
    inputs = inputs_only(props, REFRESH_WAIT_INPUTS)
    paths = list(inputs.get("objectPaths") or [])
    ids = [str(item) for item in inputs.get("taskIds") or []]
    since = parse_since(inputs["since"]) if inputs.get("since") else None
    with session.connect() as client:
        tasks = _wait(
            client,
            session,
            label=wait_label("RefreshWait", paths, ids),
            object_paths=paths,
            task_ids=ids,
            since=since,
            timeout=float(inputs.get("timeoutSeconds") or DEFAULT_TIMEOUT_SECONDS),
            fail_on_failed=bool(inputs.get("failOnFailed", True)),
        )
        outs = {**inputs, "tasks": [task_to_wire(t) for t in tasks], "completedAt": _now_text(client)}
    return Created(f"refreshwait-{uuid.uuid4().hex}", outs)


def update_refresh_wait(_id: str, olds: Props, news: Props, _session: Session) -> dict[str, Any]:
    """Only since/timeout/fail_on_failed changed: nothing to wait for again, keep the tasks."""
    inputs = inputs_only(news, REFRESH_WAIT_INPUTS)
    return {**inputs, "tasks": _stored_tasks(olds), "completedAt": olds.get("completedAt")}


def read_refresh_wait(id_: str, props: Props, session: Session) -> ReadOutcome:
    """``pulumi refresh``: the tasks' current state; the inputs are kept as they were."""
    inputs = inputs_only(props, REFRESH_WAIT_INPUTS)
    if not props.get("tasks") and not inputs.get("taskIds"):
        return ReadOutcome(id_, dict(props), inputs)
    with session.connect() as client:
        tasks = _refresh_tasks(
            client, props.get("tasks") or [], [str(i) for i in inputs.get("taskIds") or []]
        )
    return ReadOutcome(id_, {**inputs, "tasks": tasks, "completedAt": props.get("completedAt")}, inputs)


# --------------------------------------------------------------------------- CacheRefresh


def _submit(client: CdnClient, inputs: Props) -> list[str]:
    paths = [str(item) for item in inputs["objectPaths"]]
    if inputs.get("operation", "refresh") == "preload":
        return list(client.push_object_cache(paths, area=inputs.get("area")))
    return list(
        client.refresh_object_caches(
            paths,
            object_type=str(inputs.get("objectType") or RefreshObjectType.FILE.value),
            force=bool(inputs.get("force", False)),
        )
    )


def _wait_submitted(
    client: CdnClient, session: Session, inputs: Props, ids: Sequence[str], submitted_at: datetime | None
) -> dict[str, Any]:
    paths = [str(item) for item in inputs["objectPaths"]]
    operation = str(inputs.get("operation", "refresh"))
    tasks = _wait(
        client,
        session,
        label=wait_label(f"CacheRefresh {operation}", paths, ids),
        object_paths=paths,
        task_ids=ids,
        # Our task ids name our tasks exactly; ``since`` only keeps older tasks of the same paths
        # out. The gateway accepts clocks up to TIMESTAMP_TOLERANCE off, so our task may carry a
        # creation time that much before our own clock's submission time: allow for it.
        since=None if submitted_at is None else submitted_at - TIMESTAMP_TOLERANCE,
        timeout=float(inputs.get("timeoutSeconds") or DEFAULT_TIMEOUT_SECONDS),
        fail_on_failed=bool(inputs.get("failOnFailed", True)),
    )
    return {"tasks": [task_to_wire(t) for t in tasks], "completedAt": _now_text(client)}


def create_cache_refresh(props: Props, session: Session) -> Created:
    """Submit, then (``wait``) block until every submitted path is Complete."""
    inputs = inputs_only(props, CACHE_REFRESH_INPUTS)
    with session.connect() as client:
        submitted_at = client.clock.now().replace(microsecond=0)
        ids = _submit(client, inputs)
        outs: dict[str, Any] = {
            **inputs,
            "taskIds": ids,
            "submittedAt": format_api_time(submitted_at),
            "tasks": [],
            "completedAt": None,
        }
        if inputs.get("wait", True):
            outs.update(_wait_submitted(client, session, inputs, ids, submitted_at))
    return Created(f"cacherefresh-{uuid.uuid4().hex}", outs)


def update_cache_refresh(_id: str, olds: Props, news: Props, session: Session) -> dict[str, Any]:
    """wait/timeout/fail_on_failed changed: nothing is submitted; wait now if newly asked to."""
    inputs = inputs_only(news, CACHE_REFRESH_INPUTS)
    outs: dict[str, Any] = {
        **inputs,
        "taskIds": [str(item) for item in olds.get("taskIds") or []],
        "submittedAt": olds.get("submittedAt"),
        "tasks": _stored_tasks(olds),
        "completedAt": olds.get("completedAt"),
    }
    if inputs.get("wait", True) and not outs["completedAt"] and outs["taskIds"]:
        submitted = parse_since(outs["submittedAt"]) if outs["submittedAt"] else None
        with session.connect() as client:
            outs.update(_wait_submitted(client, session, inputs, outs["taskIds"], submitted))
    return outs


def read_cache_refresh(id_: str, props: Props, session: Session) -> ReadOutcome:
    """``pulumi refresh``: the submitted tasks' current state; inputs kept as they were."""
    inputs = inputs_only(props, CACHE_REFRESH_INPUTS)
    ids = [str(item) for item in props.get("taskIds") or []]
    outs = dict(props)
    if not ids:
        return ReadOutcome(id_, outs, inputs)
    with session.connect() as client:
        outs["tasks"] = _refresh_tasks(client, props.get("tasks") or [], ids)
    outs["taskIds"] = ids
    return ReadOutcome(id_, outs, inputs)


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Behaviour:
    """Every operation of one resource type, for a face to dispatch to by ``kind``."""

    kind: str
    check: Callable[[Props], CheckOutcome]
    diff: Callable[[Props, Props], DiffOutcome]
    create: Callable[[Props, Session], Created]
    update: Callable[[str, Props, Props, Session], dict[str, Any]]
    read: Callable[[str, Props, Session], ReadOutcome]
    delete: Callable[[str, Props], None]

    def failure_message(self, operation: str, error: CdnError) -> str:
        """The one message a user sees when ``operation`` fails (``RefreshWait create failed: ...``)."""
        return f"{self.kind} {operation} failed: {error}"


REFRESH_WAIT: Final = Behaviour(
    kind="RefreshWait",
    check=check_refresh_wait,
    diff=diff_refresh_wait,
    create=create_refresh_wait,
    update=update_refresh_wait,
    read=read_refresh_wait,
    delete=delete_nothing,
)
CACHE_REFRESH: Final = Behaviour(
    kind="CacheRefresh",
    check=check_cache_refresh,
    diff=diff_cache_refresh,
    create=create_cache_refresh,
    update=update_cache_refresh,
    read=read_cache_refresh,
    delete=delete_nothing,
)
BEHAVIOURS: Final = {behaviour.kind: behaviour for behaviour in (REFRESH_WAIT, CACHE_REFRESH)}
"""Each resource type's behaviour by its name (the last part of its type token)."""
