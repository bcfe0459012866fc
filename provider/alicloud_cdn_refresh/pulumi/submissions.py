"""CacheRefresh's submissions: send one, finish one that was interrupted, and send failed items again.

What stack state keeps of a submission (outputs, wire names): ``taskIds`` (every id an accepted
call returned), ``submittedAt`` and ``unconfirmedPaths`` (items, paths or cache tags, that no answer
confirmed: refused by the service, never sent after a refusal, or sent with the answer lost). A
submit that fails part-way keeps what was accepted (:class:`~alicloud_cdn_refresh.errors.PartialSubmit`)
instead of losing it, and the next ``pulumi up`` completes the submission with :func:`confirm`:
unconfirmed paths are first looked for among the tasks created since ``submittedAt`` (an answer
lost after the service accepted the call must not cost the quota twice) and only the rest are
sent. Cache tags cannot be looked up (the API lists no type for tag tasks), so they are sent again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from alicloud_cdn_refresh.errors import CdnError, PartialSubmit
from alicloud_cdn_refresh.limits import QUERY_WINDOW, TIMESTAMP_TOLERANCE
from alicloud_cdn_refresh.models import ObjectType, RefreshObjectType, RefreshTask, format_api_time
from alicloud_cdn_refresh.paths import domain_of, path_forms

from .inputs import CACHE_TAG_OPERATION

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

__all__ = ["Submission", "confirm", "failed_items", "items_of", "submit", "task_type", "window_start"]

_WINDOW_MARGIN = timedelta(minutes=1)
"""A listing's StartTime stays this far inside the API's 3-day window (clock skew)."""


@dataclass
class Submission:
    """What a submit achieved: the accepted ids, the items not confirmed, and why it stopped (if it did)."""

    task_ids: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)
    error: CdnError | None = None

    def add(self, other: Submission) -> Submission:
        """This submission followed by ``other`` (ids each once, in order)."""
        return Submission(
            list(dict.fromkeys([*self.task_ids, *other.task_ids])), list(other.unconfirmed), other.error
        )


def items_of(inputs: Mapping[str, Any]) -> list[str]:
    """What a CacheRefresh submits: its object paths, or its cache tags."""
    key = "cacheTags" if inputs.get("operation") == CACHE_TAG_OPERATION else "objectPaths"
    return [str(item) for item in inputs.get(key) or []]


def task_type(inputs: Mapping[str, Any]) -> ObjectType:
    """How DescribeRefreshTasks types the tasks this CacheRefresh creates (paths only)."""
    if inputs.get("operation") == "preload":
        return ObjectType.PRELOAD
    return RefreshObjectType(str(inputs.get("objectType") or RefreshObjectType.FILE.value)).task_type


def window_start(submitted_at: datetime) -> datetime:
    """The earliest creation time a task of a submission made at ``submitted_at`` may carry: the
    gateway accepts clocks up to TIMESTAMP_TOLERANCE off, so the API's time may be that much behind."""
    return submitted_at - TIMESTAMP_TOLERANCE


def submit(client: CdnClient, inputs: Mapping[str, Any], items: Sequence[str]) -> Submission:
    """Send ``items`` as ``inputs`` say; a failure after some calls were accepted keeps their ids."""
    if not items:
        return Submission()
    try:
        return Submission(_send(client, inputs, list(items)))
    except PartialSubmit as partial:
        accepted = set(partial.accepted_paths)
        return Submission(list(partial.task_ids), [item for item in items if item not in accepted], partial)


def _send(client: CdnClient, inputs: Mapping[str, Any], items: list[str]) -> list[str]:
    operation = inputs.get("operation", "refresh")
    if operation == CACHE_TAG_OPERATION:
        return list(
            client.refresh_object_cache_by_cache_tag(
                str(inputs["domainName"]), items, force=bool(inputs.get("force", False))
            )
        )
    if operation == "preload":
        return list(client.push_object_cache(items, area=inputs.get("area")))
    return list(
        client.refresh_object_caches(
            items,
            object_type=str(inputs.get("objectType") or RefreshObjectType.FILE.value),
            force=bool(inputs.get("force", False)),
        )
    )


def confirm(
    client: CdnClient, inputs: Mapping[str, Any], unconfirmed: Sequence[str], submitted_at: datetime | None
) -> Submission:
    """Finish a submission: the unconfirmed paths' own tasks when they exist, else send them now."""
    found: list[str] = []
    rest = list(unconfirmed)
    if inputs.get("operation") != CACHE_TAG_OPERATION and submitted_at is not None and rest:
        found, rest = _look_up(client, inputs, rest, window_start(submitted_at))
    return Submission(found).add(submit(client, inputs, rest))


def _look_up(
    client: CdnClient, inputs: Mapping[str, Any], paths: list[str], since: datetime
) -> tuple[list[str], list[str]]:
    """Task ids of ``paths`` created since ``since`` (one listing per domain), and the paths with none."""
    kind = task_type(inputs)
    wanted = {form: path for path in paths for form in path_forms(path)}
    found: dict[str, str] = {}
    now = client.clock.now()
    start = max(since, now - QUERY_WINDOW + _WINDOW_MARGIN)
    for domain in sorted({domain_of(path) for path in paths}):
        tasks = client.iter_refresh_tasks(
            domain_name=domain,
            object_type=kind.value,
            start_time=format_api_time(start),
            end_time=format_api_time(now + TIMESTAMP_TOLERANCE),
        )
        for task in tasks:
            path = wanted.get(task.object_path)
            if path is not None and task.creation_time >= since and path not in found:
                found[path] = task.task_id
    return list(dict.fromkeys(found.values())), [path for path in paths if path not in found]


def failed_items(inputs: Mapping[str, Any], tasks: Sequence[RefreshTask]) -> list[str]:
    """Items whose newest task in ``tasks`` ended Failed: a resumed CacheRefresh sends them again.

    A tag purge's rows are not known to name its tags, so any failed row sends every tag again.
    """
    items = items_of(inputs)
    newest: dict[str, RefreshTask] = {}
    for task in tasks:
        known = newest.get(task.object_path)
        if known is None or (task.creation_time, task.task_id) >= (known.creation_time, known.task_id):
            newest[task.object_path] = task
    failed = {path for path, task in newest.items() if task.status.is_failed}
    if inputs.get("operation") == CACHE_TAG_OPERATION:
        return items if failed else []
    forms = {item: set(path_forms(item)) for item in items}
    return [item for item in items if forms[item] & failed]
