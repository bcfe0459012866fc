"""Reading a resource that has no stored state: an import, whose id is the task ids to adopt.

``pulumi import`` (and the ``import`` resource option) read the resource with nothing but its id.
Both resources accept the ids of existing tasks as that id, comma-separated (``17330477083`` or
``17330477083,17330477084``), and rebuild their inputs and outputs from what the API reports for
them (the last three days). A provider plugin reaches this through the resources' ``read``;
``python -m pulumi.dynamic`` cannot (its Read looks for the pickled provider in the state it is not
given and fails before any of this package's code runs: see the README's "Import").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.models import ObjectType, RefreshObjectType, RefreshTask, format_api_time

from .inputs import DEFAULT_TIMEOUT_SECONDS
from .outcomes import ReadOutcome
from .types import task_to_wire

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["IMPORT_ID_HINT", "import_cache_refresh", "import_refresh_wait", "import_task_ids"]

_IDS: Final = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")
IMPORT_ID_HINT: Final = (
    "import it with the ids of its tasks as its id, comma-separated (17330477083,17330477084)"
)
"""What an import id must be, for messages."""

_REFRESH_TYPES: Final = {
    ObjectType.FILE: RefreshObjectType.FILE,
    ObjectType.DIRECTORY: RefreshObjectType.DIRECTORY,
    ObjectType.REGEX: RefreshObjectType.REGEX,
}


def import_task_ids(id_: str) -> list[str] | None:
    """The task ids an import id names, or ``None`` when it is not a list of task ids."""
    if not _IDS.match(id_):
        return None
    return list(dict.fromkeys(part.strip() for part in id_.split(",")))


def _tasks(client: CdnClient, kind: str, ids: Sequence[str]) -> list[RefreshTask]:
    tasks = client.describe_refresh_task_by_id(ids)
    missing = sorted(set(ids) - {task.task_id for task in tasks})
    if missing:
        raise InvalidQuery("id", f"no {kind} task {', '.join(missing)} in the last 3 days; {IMPORT_ID_HINT}")
    return tasks


def _completed_at(client: CdnClient, tasks: Sequence[RefreshTask]) -> str | None:
    """Now when every task is Complete (the wait would end at once), else none: the next update waits."""
    return format_api_time(client.clock.now()) if all(t.status.is_complete for t in tasks) else None


def import_refresh_wait(client: CdnClient, id_: str, ids: Sequence[str]) -> ReadOutcome:
    """A RefreshWait on the given task ids, as the API reports them now."""
    tasks = _tasks(client, "refresh or preload", ids)
    inputs: dict[str, Any] = {
        "taskIds": list(ids),
        "timeoutSeconds": DEFAULT_TIMEOUT_SECONDS,
        "failOnFailed": True,
    }
    outs = {**inputs, "tasks": [task_to_wire(t) for t in tasks], "completedAt": _completed_at(client, tasks)}
    return ReadOutcome(id_, outs, inputs)


def import_cache_refresh(client: CdnClient, id_: str, ids: Sequence[str]) -> ReadOutcome:
    """A CacheRefresh that submitted the given tasks (one kind: refresh of one type, or preload)."""
    tasks = _tasks(client, "refresh or preload", ids)
    kinds = {task.object_type for task in tasks}
    if kinds == {ObjectType.PRELOAD}:
        inputs: dict[str, Any] = {"operation": "preload"}
    elif len(kinds) == 1 and next(iter(kinds)) in _REFRESH_TYPES:
        refresh_type = _REFRESH_TYPES[next(iter(kinds))]
        inputs = {"operation": "refresh", "objectType": refresh_type.value, "force": False}
    else:
        shown = ", ".join(sorted(kind.value for kind in kinds))
        raise InvalidQuery(
            "id",
            f"the tasks are of types {shown}: one CacheRefresh submits one kind (file, directory, "
            "regex or preload); import each kind's task ids into its own resource",
        )
    paths = list(dict.fromkeys(task.object_path for task in tasks))
    inputs = {
        "objectPaths": paths,
        **inputs,
        "wait": True,
        "timeoutSeconds": DEFAULT_TIMEOUT_SECONDS,
        "failOnFailed": True,
    }
    outs = {
        **inputs,
        "taskIds": list(ids),
        "submittedAt": format_api_time(min(task.creation_time for task in tasks)),
        "unconfirmedPaths": [],
        "tasks": [task_to_wire(t) for t in tasks],
        "completedAt": _completed_at(client, tasks),
    }
    return ReadOutcome(id_, outs, inputs)
