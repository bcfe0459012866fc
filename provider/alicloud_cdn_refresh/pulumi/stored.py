"""What stack state holds of each resource, read back: the tasks, a settled wait, a kept submission.

Plain functions of wire-shaped maps (camelCase keys), shared by the operations (``operations.py``)
and their previews (``previews.py``), which must agree on what an update will do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .types import task_from_wire, task_to_wire

__all__ = ["settled", "stored_submission", "stored_tasks", "unfinished"]

Props = Mapping[str, Any]


def stored_tasks(props: Props) -> list[dict[str, Any]]:
    """The tasks kept in state, re-read (the engine gives numbers back as floats)."""
    return [task_to_wire(task_from_wire(item)) for item in props.get("tasks") or []]


def settled(olds: Props) -> bool:
    """A stored RefreshWait ended with every task Complete (a Failed task never counts as passing)."""
    tasks = [task_from_wire(item) for item in olds.get("tasks") or []]
    return bool(olds.get("completedAt")) and bool(tasks) and all(t.status.is_complete for t in tasks)


def stored_submission(olds: Props) -> dict[str, Any]:
    """What state keeps of a CacheRefresh's submission, as it was stored (v0.1.0 state has no
    ``unconfirmedPaths``: it is not added, so an update changes nothing but the inputs)."""
    kept: dict[str, Any] = {
        "taskIds": [str(item) for item in olds.get("taskIds") or []],
        "submittedAt": olds.get("submittedAt"),
        "tasks": stored_tasks(olds),
        "completedAt": olds.get("completedAt"),
    }
    if "unconfirmedPaths" in olds:
        kept["unconfirmedPaths"] = [str(item) for item in olds.get("unconfirmedPaths") or []]
    return kept


def unfinished(inputs: Props, outs: Props) -> bool:
    """A CacheRefresh submission an update must finish: unconfirmed paths, or (``wait``) task ids
    with no ``completedAt`` yet (the partial state a failed create or update left)."""
    waiting = bool(inputs.get("wait", True) and not outs.get("completedAt") and outs.get("taskIds"))
    return bool(outs.get("unconfirmedPaths")) or waiting
