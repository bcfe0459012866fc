"""The typed values shared by the data source and both dynamic resources.

On the wire (Pulumi state, invoke results) a task is a map with camelCase keys, as in the
schema; in Python it is :class:`RefreshTaskResult`, a ``@pulumi.output_type`` with snake_case
properties, like pulumi-alicloud's generated ``Get*Result`` items. A resource's own role to assume
is given as :class:`AssumeRoleArgs` (or the plain dict :class:`AssumeRoleArgsDict`) and read back
as :class:`AssumeRole`, like pulumi-alicloud's ``ProviderAssumeRoleArgs``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

import pulumi

from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus, parse_api_time, parse_process

__all__ = [
    "AssumeRole",
    "AssumeRoleArgs",
    "AssumeRoleArgsDict",
    "RefreshTaskResult",
    "task_from_wire",
    "task_to_wire",
    "to_python_name",
    "to_wire_name",
]

_SNAKE = re.compile(r"_([a-z0-9])")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def to_wire_name(python_name: str) -> str:
    """``object_paths`` -> ``objectPaths`` (names starting with ``_`` such as ``__provider`` are kept)."""
    if python_name.startswith("_"):
        return python_name
    return _SNAKE.sub(lambda match: match.group(1).upper(), python_name)


def to_python_name(wire_name: str) -> str:
    """``objectPaths`` -> ``object_paths``."""
    if wire_name.startswith("_"):
        return wire_name
    return _CAMEL.sub(lambda match: "_" + match.group(1).lower(), wire_name)


@pulumi.output_type
class RefreshTaskResult(dict):  # type: ignore[type-arg]
    """One object path of a refresh or preload task, every field of DescribeRefreshTasks' ``CDNTask``."""

    def __init__(
        __self__,
        *,
        task_id: str,
        object_path: str,
        status: str,
        process: int,
        object_type: str,
        creation_time: str,
        description: str = "",
    ) -> None:
        pulumi.set(__self__, "task_id", task_id)
        pulumi.set(__self__, "object_path", object_path)
        pulumi.set(__self__, "status", status)
        pulumi.set(__self__, "process", int(process))
        pulumi.set(__self__, "object_type", object_type)
        pulumi.set(__self__, "creation_time", creation_time)
        pulumi.set(__self__, "description", description)

    @property
    @pulumi.getter(name="taskId")
    def task_id(self) -> str:
        """The task id (one id may cover many paths)."""
        return pulumi.get(self, "task_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="objectPath")
    def object_path(self) -> str:
        """The refreshed or preloaded URL (or directory / regex)."""
        return pulumi.get(self, "object_path")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def status(self) -> str:
        """``Complete``, ``Refreshing``, ``Failed``, ``Pending`` (or a newer value, kept as is)."""
        return pulumi.get(self, "status")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def process(self) -> int:
        """Progress in percent, 0..100 (the API's ``"45%"`` as a number)."""
        return pulumi.get(self, "process")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="objectType")
    def object_type(self) -> str:
        """``file``, ``directory``, ``regex``, ``preload``, ``block`` or ``unblock``."""
        return pulumi.get(self, "object_type")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="creationTime")
    def creation_time(self) -> str:
        """When the task was created, UTC, ``yyyy-MM-ddTHH:mm:ssZ``."""
        return pulumi.get(self, "creation_time")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def description(self) -> str:
        """Why the task failed (``Origin Timeout``...), empty otherwise."""
        return pulumi.get(self, "description")  # type: ignore[no-any-return]

    @property
    def is_complete(self) -> bool:
        """Whether this path's task is ``Complete``."""
        return TaskStatus(self.status).is_complete

    @property
    def is_failed(self) -> bool:
        """Whether this path's task is ``Failed``."""
        return TaskStatus(self.status).is_failed


def task_to_wire(task: RefreshTask) -> dict[str, Any]:
    """A task as the map stored in Pulumi state (camelCase keys, plain values)."""
    api = task.to_api()
    return {
        "taskId": task.task_id,
        "objectPath": task.object_path,
        "status": task.status.value,
        "process": task.process,
        "objectType": task.object_type.value,
        "creationTime": api["CreationTime"],
        "description": task.description,
    }


def task_from_wire(item: Mapping[str, Any]) -> RefreshTask:
    """Read a task back from state; numbers come back from the engine as floats."""
    return RefreshTask(
        task_id=str(item["taskId"]),
        object_path=str(item["objectPath"]),
        status=TaskStatus(str(item["status"])),
        process=parse_process(item.get("process")),
        object_type=ObjectType(str(item.get("objectType") or "file")),
        creation_time=parse_api_time(str(item["creationTime"])),
        description=str(item.get("description") or ""),
    )


class AssumeRoleArgsDict(TypedDict, total=False):
    """A resource's own role to assume, as a plain dict (``role_arn`` is required)."""

    role_arn: pulumi.Input[str]
    session_name: pulumi.Input[str]
    external_id: pulumi.Input[str]
    policy: pulumi.Input[str]
    session_expiration: pulumi.Input[int]


@pulumi.input_type
class AssumeRoleArgs:
    """A resource's own role to assume (STS AssumeRole) instead of the stack's ``alicloud:assumeRole``."""

    def __init__(
        __self__,
        *,
        role_arn: pulumi.Input[str],
        session_name: pulumi.Input[str] | None = None,
        external_id: pulumi.Input[str] | None = None,
        policy: pulumi.Input[str] | None = None,
        session_expiration: pulumi.Input[int] | None = None,
    ) -> None:
        pulumi.set(__self__, "role_arn", role_arn)
        for name, value in (
            ("session_name", session_name),
            ("external_id", external_id),
            ("policy", policy),
            ("session_expiration", session_expiration),
        ):
            if value is not None:
                pulumi.set(__self__, name, value)

    @property
    @pulumi.getter(name="roleArn")
    def role_arn(self) -> pulumi.Input[str]:
        """The ARN of the role, ``acs:ram::<account id>:role/<name>``."""
        return pulumi.get(self, "role_arn")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="sessionName")
    def session_name(self) -> pulumi.Input[str] | None:
        """The session name (default: ``ALIBABA_CLOUD_ROLE_SESSION_NAME``, else ``terraform``)."""
        return pulumi.get(self, "session_name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="externalId")
    def external_id(self) -> pulumi.Input[str] | None:
        """The external id the role's trust policy asks for."""
        return pulumi.get(self, "external_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def policy(self) -> pulumi.Input[str] | None:
        """A policy (JSON) that narrows the session's permissions."""
        return pulumi.get(self, "policy")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="sessionExpiration")
    def session_expiration(self) -> pulumi.Input[int] | None:
        """Seconds the session lasts, 900..43200 (default 3600); it is renewed before it expires."""
        return pulumi.get(self, "session_expiration")  # type: ignore[no-any-return]


@pulumi.output_type
class AssumeRole(dict):  # type: ignore[type-arg]
    """The role a resource assumes (its ``assume_role`` input, read back)."""

    def __init__(
        __self__,
        *,
        role_arn: str,
        session_name: str | None = None,
        external_id: str | None = None,
        policy: str | None = None,
        session_expiration: int | None = None,
    ) -> None:
        pulumi.set(__self__, "role_arn", role_arn)
        pulumi.set(__self__, "session_name", session_name)
        pulumi.set(__self__, "external_id", external_id)
        pulumi.set(__self__, "policy", policy)
        pulumi.set(__self__, "session_expiration", session_expiration)

    @property
    @pulumi.getter(name="roleArn")
    def role_arn(self) -> str:
        """The ARN of the role."""
        return pulumi.get(self, "role_arn")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="sessionName")
    def session_name(self) -> str | None:
        """The session name, when one was given."""
        return pulumi.get(self, "session_name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="externalId")
    def external_id(self) -> str | None:
        """The external id, when one was given."""
        return pulumi.get(self, "external_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def policy(self) -> str | None:
        """The narrowing policy, when one was given."""
        return pulumi.get(self, "policy")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="sessionExpiration")
    def session_expiration(self) -> int | None:
        """Seconds the session lasts, when given."""
        return pulumi.get(self, "session_expiration")  # type: ignore[no-any-return]
