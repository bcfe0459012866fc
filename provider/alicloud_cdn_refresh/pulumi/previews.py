"""What a create or an update will output, told in a preview without calling the API.

The provider plugin is asked to Create and Update in ``pulumi preview`` (it says it supports
preview); the dynamic provider host never is. The answer is the checked inputs plus every output:
known when the operation would not change it (an update that keeps a settled wait), else the
engine's unknown value, so that what depends on it previews as "known after apply".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi.runtime import rpc

from .inputs import CACHE_REFRESH_INPUTS, REFRESH_WAIT_INPUTS, inputs_only
from .stored import settled, stored_submission, stored_tasks, unfinished

__all__ = [
    "CACHE_REFRESH_OUTPUTS",
    "REFRESH_WAIT_OUTPUTS",
    "UNKNOWN",
    "preview_cache_refresh",
    "preview_cache_refresh_update",
    "preview_refresh_wait",
    "preview_refresh_wait_update",
]

UNKNOWN: Final = rpc.UNKNOWN
"""The engine's unknown value, as it travels in a property map (a face encodes it as is)."""
REFRESH_WAIT_OUTPUTS: Final = ("tasks", "completedAt")
"""RefreshWait's outputs that are not inputs."""
CACHE_REFRESH_OUTPUTS: Final = ("taskIds", "submittedAt", "unconfirmedPaths", "tasks", "completedAt")
"""CacheRefresh's outputs that are not inputs."""

Props = Mapping[str, Any]


def _unknown(names: tuple[str, ...]) -> dict[str, Any]:
    return dict.fromkeys(names, UNKNOWN)


def preview_refresh_wait(props: Props) -> dict[str, Any]:
    """A RefreshWait to create: its tasks and completion time are known only after the wait."""
    return {**inputs_only(props, REFRESH_WAIT_INPUTS), **_unknown(REFRESH_WAIT_OUTPUTS)}


def preview_cache_refresh(props: Props) -> dict[str, Any]:
    """A CacheRefresh to create: everything the submission returns is known only after it."""
    return {**inputs_only(props, CACHE_REFRESH_INPUTS), **_unknown(CACHE_REFRESH_OUTPUTS)}


def preview_refresh_wait_update(olds: Props, news: Props) -> dict[str, Any]:
    """The stored tasks when they are all Complete (the update keeps them), else unknown (it waits)."""
    inputs = inputs_only(news, REFRESH_WAIT_INPUTS)
    if settled(olds):
        return {**inputs, "tasks": stored_tasks(olds), "completedAt": olds.get("completedAt")}
    return {**inputs, **_unknown(REFRESH_WAIT_OUTPUTS)}


def preview_cache_refresh_update(olds: Props, news: Props) -> dict[str, Any]:
    """The stored submission when the update only changes inputs; else what finishing it may change
    (more task ids when failed paths are sent again, the tasks, the completion), unknown."""
    inputs = inputs_only(news, CACHE_REFRESH_INPUTS)
    outs: dict[str, Any] = {**inputs, **stored_submission(olds)}
    if not unfinished(inputs, outs):
        return outs
    return {**outs, **_unknown(("taskIds", "unconfirmedPaths", "tasks", "completedAt"))}
