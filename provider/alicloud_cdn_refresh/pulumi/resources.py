"""``RefreshWait`` and ``CacheRefresh``: the Pulumi dynamic resources a program declares.

camelCase on the wire and in state (as in ``schema/schema.json``), snake_case in Python. What the
resources do lives in :mod:`.operations`; the engine reaches it through their dynamic providers
(:mod:`.dynamic_providers`), which stack state names by their stable home
``alicloud_cdn_refresh.pulumi_resources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pulumi
import pulumi.dynamic as dynamic

from .dynamic_providers import CacheRefreshProvider, RefreshWaitProvider
from .operations import CACHE_REFRESH, REFRESH_WAIT, Behaviour
from .options import keep_secrets_secret, note_wait, refuse_foreign_providers, refuse_import
from .types import (
    AssumeRole,
    AssumeRoleArgs,
    AssumeRoleArgsDict,
    RefreshTaskResult,
    to_python_name,
    to_wire_name,
)

__all__ = ["PULUMI_MODULE", "CacheRefresh", "RefreshWait"]

PULUMI_MODULE: Final = "alicloud-cdn-refresh"
"""Module part of the dynamic type tokens (``pulumi-python:dynamic/alicloud-cdn-refresh:RefreshWait``)."""


class _DynamicResource(dynamic.Resource):
    """camelCase on the wire and in state (as in the schema), snake_case in Python."""

    def __init__(
        self,
        provider: dynamic.ResourceProvider,
        behaviour: Behaviour,
        resource_name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None,
        *,
        waits: bool,
    ) -> None:
        refuse_foreign_providers(behaviour.kind, opts)
        refuse_import(behaviour.kind, opts)
        if waits:
            note_wait(behaviour.kind)
        super().__init__(provider, resource_name, props, keep_secrets_secret(behaviour, props, opts))

    @property
    @pulumi.getter
    def profile(self) -> pulumi.Output[str | None]:
        """The profile of the shared config file this resource used instead of the stack's identity."""
        return pulumi.get(self, "profile")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="assumeRole")
    def assume_role(self) -> pulumi.Output[AssumeRole | None]:
        """The role this resource assumed instead of the stack's ``alicloud:assumeRole``."""
        return pulumi.get(self, "assume_role")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def product(self) -> pulumi.Output[str | None]:
        """The API its tasks belong to: ``cdn`` or ``dcdn``."""
        return pulumi.get(self, "product")  # type: ignore[no-any-return]

    def translate_input_property(self, prop: str) -> str:
        """Python name -> wire name."""
        return to_wire_name(prop)

    def translate_output_property(self, prop: str) -> str:
        """Wire name -> Python name."""
        return to_python_name(prop)


class RefreshWait(_DynamicResource, module=PULUMI_MODULE, name="RefreshWait"):
    """Blocks ``pulumi up`` until the given CDN paths (or task ids) report ``Complete``.

    Give ``object_paths`` (the newest task of each path counts, created at or after ``since`` when
    given) and/or ``task_ids``; one resource waits for any number of them in one polling loop. A
    change of paths, task ids, ``since`` or ``triggers`` replaces the resource, so it waits again;
    an unchanged ``pulumi up`` makes no API call. ``timeout_seconds`` is this resource's own
    deadline (Pulumi's ``CustomTimeouts`` do not reach dynamic providers). With ``fail_on_failed``
    (default) a ``Failed`` task fails the deployment at once with its description. ``product``:
    ``cdn`` (default) or ``dcdn``, whose tasks are waited for (a change waits again). ``profile`` /
    ``assume_role``: this resource's own identity instead of the stack's. Delete does nothing remote.
    """

    def __init__(
        self,
        resource_name: str,
        object_paths: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        task_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        since: pulumi.Input[str] | None = None,
        timeout_seconds: pulumi.Input[float] | None = None,
        fail_on_failed: pulumi.Input[bool] | None = None,
        triggers: pulumi.Input[Any] | None = None,
        profile: pulumi.Input[str] | None = None,
        assume_role: pulumi.Input[AssumeRoleArgs | AssumeRoleArgsDict] | None = None,
        product: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Wait for ``object_paths`` and/or ``task_ids``; see the class docstring."""
        props: dict[str, Any] = {
            "object_paths": object_paths,
            "task_ids": task_ids,
            "since": since,
            "timeout_seconds": timeout_seconds,
            "fail_on_failed": fail_on_failed,
            "triggers": triggers,
            "profile": profile,
            "assume_role": assume_role,
            "product": product,
            "tasks": None,
            "completed_at": None,
        }
        super().__init__(RefreshWaitProvider(), REFRESH_WAIT, resource_name, props, opts, waits=True)

    @property
    @pulumi.getter(name="objectPaths")
    def object_paths(self) -> pulumi.Output[Sequence[str] | None]:
        """The paths waited for."""
        return pulumi.get(self, "object_paths")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="taskIds")
    def task_ids(self) -> pulumi.Output[Sequence[str] | None]:
        """The task ids waited for."""
        return pulumi.get(self, "task_ids")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def since(self) -> pulumi.Output[str | None]:
        """Only tasks created at or after this time counted."""
        return pulumi.get(self, "since")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="timeoutSeconds")
    def timeout_seconds(self) -> pulumi.Output[float]:
        """This resource's own deadline in seconds."""
        return pulumi.get(self, "timeout_seconds")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="failOnFailed")
    def fail_on_failed(self) -> pulumi.Output[bool]:
        """Whether a Failed task failed the wait."""
        return pulumi.get(self, "fail_on_failed")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def triggers(self) -> pulumi.Output[Any]:
        """Any value; a change waits again."""
        return pulumi.get(self, "triggers")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def tasks(self) -> pulumi.Output[Sequence[RefreshTaskResult]]:
        """The final task of every path, typed."""
        return pulumi.get(self, "tasks")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="completedAt")
    def completed_at(self) -> pulumi.Output[str]:
        """When the wait ended, UTC ``yyyy-MM-ddTHH:mm:ssZ``."""
        return pulumi.get(self, "completed_at")  # type: ignore[no-any-return]


class CacheRefresh(_DynamicResource, module=PULUMI_MODULE, name="CacheRefresh"):
    """Submits a CDN refresh (purge), preload or cache-tag purge, then waits until Complete.

    ``operation``: ``refresh`` (default) or ``preload`` of ``object_paths``, or
    ``refreshByCacheTag`` of ``cache_tags`` on ``domain_name`` (the default when ``cache_tags`` are
    given). It submits on create and again whenever what is submitted changes (paths or tags,
    ``operation``, ``object_type``, ``force``, ``area``, ``domain_name``) or ``triggers`` change -
    pass a content hash of the uploaded files as ``triggers`` to refresh exactly when the content
    changed. With ``wait`` (default) it then blocks like :class:`RefreshWait` on its own task ids;
    ``timeout_seconds`` is its own deadline. A wait that fails or times out keeps the task ids in
    the stack, and the next ``pulumi up`` resumes it instead of submitting again. ``product``:
    ``cdn`` (default) or ``dcdn``, the API it submits to (a change submits again). Delete does
    nothing remote (a refresh cannot be undone).
    """

    def __init__(
        self,
        resource_name: str,
        object_paths: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        operation: pulumi.Input[str] | None = None,
        object_type: pulumi.Input[str] | None = None,
        force: pulumi.Input[bool] | None = None,
        area: pulumi.Input[str] | None = None,
        triggers: pulumi.Input[Any] | None = None,
        wait: pulumi.Input[bool] | None = None,
        timeout_seconds: pulumi.Input[float] | None = None,
        fail_on_failed: pulumi.Input[bool] | None = None,
        cache_tags: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        domain_name: pulumi.Input[str] | None = None,
        profile: pulumi.Input[str] | None = None,
        assume_role: pulumi.Input[AssumeRoleArgs | AssumeRoleArgsDict] | None = None,
        product: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Submit ``operation`` of ``object_paths`` (or ``cache_tags``); see the class docstring."""
        props: dict[str, Any] = {
            "object_paths": object_paths,
            "operation": operation,
            "object_type": object_type,
            "force": force,
            "area": area,
            "triggers": triggers,
            "wait": wait,
            "timeout_seconds": timeout_seconds,
            "fail_on_failed": fail_on_failed,
            "cache_tags": cache_tags,
            "domain_name": domain_name,
            "profile": profile,
            "assume_role": assume_role,
            "product": product,
            "task_ids": None,
            "submitted_at": None,
            "unconfirmed_paths": None,
            "tasks": None,
            "completed_at": None,
        }
        super().__init__(
            CacheRefreshProvider(), CACHE_REFRESH, resource_name, props, opts, waits=wait is not False
        )

    @property
    @pulumi.getter(name="objectPaths")
    def object_paths(self) -> pulumi.Output[Sequence[str] | None]:
        """The paths submitted (none for a cache-tag purge)."""
        return pulumi.get(self, "object_paths")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def operation(self) -> pulumi.Output[str]:
        """``refresh``, ``preload`` or ``refreshByCacheTag``."""
        return pulumi.get(self, "operation")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="objectType")
    def object_type(self) -> pulumi.Output[str | None]:
        """What a refresh purges: File, Directory, Regex, IgnoreParams or ExQuery."""
        return pulumi.get(self, "object_type")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="cacheTags")
    def cache_tags(self) -> pulumi.Output[Sequence[str] | None]:
        """The cache tags purged (``refreshByCacheTag``)."""
        return pulumi.get(self, "cache_tags")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="domainName")
    def domain_name(self) -> pulumi.Output[str | None]:
        """The domain whose cache tags were purged (``refreshByCacheTag``)."""
        return pulumi.get(self, "domain_name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="unconfirmedPaths")
    def unconfirmed_paths(self) -> pulumi.Output[Sequence[str] | None]:
        """Paths (or tags) a submit that failed part-way could not confirm; the next update finishes them."""
        return pulumi.get(self, "unconfirmed_paths")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def force(self) -> pulumi.Output[bool | None]:
        """Whether a directory refresh purged all (not only changed) resources."""
        return pulumi.get(self, "force")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def area(self) -> pulumi.Output[str | None]:
        """Where a preload went: domestic or overseas (default: both/account default)."""
        return pulumi.get(self, "area")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def triggers(self) -> pulumi.Output[Any]:
        """Any value; a change submits again."""
        return pulumi.get(self, "triggers")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def wait(self) -> pulumi.Output[bool]:
        """Whether create waited until Complete."""
        return pulumi.get(self, "wait")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="timeoutSeconds")
    def timeout_seconds(self) -> pulumi.Output[float]:
        """This resource's own deadline in seconds."""
        return pulumi.get(self, "timeout_seconds")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="failOnFailed")
    def fail_on_failed(self) -> pulumi.Output[bool]:
        """Whether a Failed task failed the wait."""
        return pulumi.get(self, "fail_on_failed")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="taskIds")
    def task_ids(self) -> pulumi.Output[Sequence[str]]:
        """The ids the API returned for the submission."""
        return pulumi.get(self, "task_ids")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="submittedAt")
    def submitted_at(self) -> pulumi.Output[str]:
        """When it was submitted, UTC ``yyyy-MM-ddTHH:mm:ssZ``."""
        return pulumi.get(self, "submitted_at")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def tasks(self) -> pulumi.Output[Sequence[RefreshTaskResult]]:
        """The final task of every path, typed (empty when ``wait`` is false)."""
        return pulumi.get(self, "tasks")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="completedAt")
    def completed_at(self) -> pulumi.Output[str | None]:
        """When the wait ended (None when ``wait`` is false)."""
        return pulumi.get(self, "completed_at")  # type: ignore[no-any-return]
