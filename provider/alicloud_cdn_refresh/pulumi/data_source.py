"""``get_refresh_tasks`` / ``get_refresh_tasks_output``: DescribeRefreshTasks as a Pulumi data source.

Shaped like pulumi-alicloud's generated ``get_*`` / ``get_*_output`` pairs, with typed
``@pulumi.output_type`` results. It is not a function of a real provider plugin, so it runs in
the program process: it reads the stack config (``alicloud:accessKey`` / ``secretKey`` /
``securityToken`` / ``endpoints``, falling back to the environment) and calls the API with
:class:`~alicloud_cdn_refresh.client.CdnClient`. Reading is safe, so it runs in ``pulumi
preview`` too (the ``_output`` form as soon as its inputs are known). It works the same under
``pulumi.runtime.set_mocks`` (point it at the emulator with ``ALIBABA_CLOUD_CDN_ENDPOINT``).

Every page is gathered unless ``page_number`` is given; then only that page is returned.
``product`` (``cdn``, the default, or ``dcdn``) names the API asked. ``profile`` / ``assume_role``
query as another identity than the stack's. The query itself is :func:`.queries.run_query`, which
the provider plugin's ``getRefreshTasks`` runs too. ``opts`` is honoured as
an invoke's: ``get_refresh_tasks_output`` runs after the resources in ``depends_on`` (and their
children) are created, and while any of them is not known (a preview that creates or replaces it)
its result is unknown; ``parent`` is accepted; a ``provider`` (of another package) is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Final

import pulumi

from alicloud_cdn_refresh.query import FILTER_FIELDS

from . import config as _pulumi_config
from .identity import Identity
from .options import ResourceOptionsError, refuse_foreign_providers
from .ordering import after_dependencies
from .queries import query_identity, run_query
from .types import AssumeRoleArgs, AssumeRoleArgsDict, RefreshTaskResult, to_python_name, to_wire_name

__all__ = [
    "AwaitableGetRefreshTasksResult",
    "GetRefreshTasksResult",
    "RefreshTaskResult",
    "get_refresh_tasks",
    "get_refresh_tasks_output",
]


@pulumi.output_type
class GetRefreshTasksResult:
    """A collection of values returned by getRefreshTasks."""

    def __init__(
        __self__,
        id: str | None = None,
        ids: Sequence[str] | None = None,
        tasks: Sequence[Any] | None = None,
        total_count: int | None = None,
        page_number: int | None = None,
        page_size: int | None = None,
        task_id: str | None = None,
        object_path: str | None = None,
        domain_name: str | None = None,
        object_type: str | None = None,
        status: str | None = None,
        start_time: str | None = None,
        end_time: str | None = None,
        resource_group_id: str | None = None,
        product: str | None = None,
    ) -> None:
        pulumi.set(__self__, "id", id)
        pulumi.set(__self__, "ids", list(ids or []))
        pulumi.set(__self__, "tasks", [_as_task_result(item) for item in tasks or []])
        pulumi.set(__self__, "total_count", None if total_count is None else int(total_count))
        pulumi.set(__self__, "page_number", None if page_number is None else int(page_number))
        pulumi.set(__self__, "page_size", None if page_size is None else int(page_size))
        pulumi.set(__self__, "task_id", task_id)
        pulumi.set(__self__, "object_path", object_path)
        pulumi.set(__self__, "domain_name", domain_name)
        pulumi.set(__self__, "object_type", object_type)
        pulumi.set(__self__, "status", status)
        pulumi.set(__self__, "start_time", start_time)
        pulumi.set(__self__, "end_time", end_time)
        pulumi.set(__self__, "resource_group_id", resource_group_id)
        pulumi.set(__self__, "product", product)

    @property
    @pulumi.getter
    def id(self) -> str:
        """A stable id of this query (a hash of its filters), as pulumi-alicloud's data sources have."""
        return pulumi.get(self, "id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def ids(self) -> Sequence[str]:
        """The task ids found, in the order of ``tasks`` (an id may repeat: one id covers many paths)."""
        return pulumi.get(self, "ids")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def tasks(self) -> Sequence[RefreshTaskResult]:
        """The tasks found, each with every field of the API's ``CDNTask``."""
        return pulumi.get(self, "tasks")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="totalCount")
    def total_count(self) -> int:
        """The API's ``TotalCount`` (with all pages gathered: the number of tasks returned)."""
        return pulumi.get(self, "total_count")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="pageNumber")
    def page_number(self) -> int | None:
        """The page returned, when one was asked for."""
        return pulumi.get(self, "page_number")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="pageSize")
    def page_size(self) -> int | None:
        """The page size used."""
        return pulumi.get(self, "page_size")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="taskId")
    def task_id(self) -> str | None:
        """The ``task_id`` filter given."""
        return pulumi.get(self, "task_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="objectPath")
    def object_path(self) -> str | None:
        """The ``object_path`` filter given."""
        return pulumi.get(self, "object_path")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="domainName")
    def domain_name(self) -> str | None:
        """The ``domain_name`` filter given."""
        return pulumi.get(self, "domain_name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="objectType")
    def object_type(self) -> str | None:
        """The ``object_type`` filter given."""
        return pulumi.get(self, "object_type")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def status(self) -> str | None:
        """The ``status`` filter given."""
        return pulumi.get(self, "status")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="startTime")
    def start_time(self) -> str | None:
        """The ``start_time`` filter given."""
        return pulumi.get(self, "start_time")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="endTime")
    def end_time(self) -> str | None:
        """The ``end_time`` filter given."""
        return pulumi.get(self, "end_time")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="resourceGroupId")
    def resource_group_id(self) -> str | None:
        """The ``resource_group_id`` filter given."""
        return pulumi.get(self, "resource_group_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def product(self) -> str | None:
        """The product asked: ``cdn`` or ``dcdn``."""
        return pulumi.get(self, "product")  # type: ignore[no-any-return]


class AwaitableGetRefreshTasksResult(GetRefreshTasksResult):
    """The result of :func:`get_refresh_tasks`, also awaitable (pulumi-alicloud's shape)."""

    def __await__(self) -> Any:
        if False:
            yield self
        return GetRefreshTasksResult(**_result_fields(self))


_FILTERS: Final = tuple(field.name for field in FILTER_FIELDS)
"""The filters' Python names (alicloud_cdn_refresh/query.py owns them)."""
_ARGUMENTS: Final = (*_FILTERS, "page_number", "page_size", "product")
"""Every argument of the query but the identity (the functions' parameters but those and ``opts``)."""
_FIELDS: Final = ("id", "ids", "tasks", "total_count", *_ARGUMENTS)
"""Every field of :class:`GetRefreshTasksResult`."""


def _result_fields(result: GetRefreshTasksResult) -> dict[str, Any]:
    return {name: getattr(result, name) for name in _FIELDS}


def _as_task_result(item: Any) -> RefreshTaskResult:
    if isinstance(item, RefreshTaskResult):
        return item
    if isinstance(item, dict) and "taskId" in item:
        return pulumi._types.output_type_from_dict(RefreshTaskResult, item)
    return RefreshTaskResult(**item)


def _query(
    args: Mapping[str, Any], config: Mapping[str, str], identity: Identity | None = None
) -> AwaitableGetRefreshTasksResult:
    """Run the query (:func:`.queries.run_query`) with Python-named ``args`` and build the typed result.

    ``config`` is read by the caller on the event loop's thread: Pulumi keeps the stack config in
    context variables, which an executor thread does not see.
    """
    wire = {to_wire_name(name): value for name, value in args.items()}
    result = run_query(wire, config, identity)
    return AwaitableGetRefreshTasksResult(**{to_python_name(key): value for key, value in result.items()})


def _arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """The query's arguments from a function's ``locals()`` (its parameters have these names)."""
    return {name: values[name] for name in _ARGUMENTS}


def get_refresh_tasks(
    task_id: str | None = None,
    object_path: str | None = None,
    domain_name: str | None = None,
    object_type: str | None = None,
    status: str | None = None,
    start_time: str | None = None,
    end_time: str | None = None,
    page_number: int | None = None,
    page_size: int | None = None,
    resource_group_id: str | None = None,
    profile: str | None = None,
    assume_role: AssumeRoleArgs | AssumeRoleArgsDict | None = None,
    product: str | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> AwaitableGetRefreshTasksResult:
    """Query CDN refresh and preload tasks (DescribeRefreshTasks), typed.

    Filters as in the API: ``task_id`` and/or ``object_path`` (exact URL); ``domain_name`` and
    ``status`` (``Complete``, ``Refreshing``, ``Failed``) need ``object_type`` (``file``,
    ``directory``, ``regex``, ``preload``, ``block``, ``unblock``); ``start_time`` and ``end_time``
    (UTC ``yyyy-MM-ddTHH:mm:ssZ``, both or neither, within the last 3 days). All pages are
    gathered unless ``page_number`` is given. ``profile`` / ``assume_role``: another identity than
    the stack's. ``product``: ``cdn`` (default) or ``dcdn``. ``opts``: ``parent`` is accepted; a
    ``provider`` is refused (none reaches this query), and so is ``depends_on`` (as for a plain
    invoke: use :func:`get_refresh_tasks_output`).

    ```python
    from alicloud_cdn_refresh import get_refresh_tasks

    result = get_refresh_tasks(object_path="https://www.example.com/index.html")
    pulumi.export("statuses", [task.status for task in result.tasks])
    ```
    """
    refuse_foreign_providers("get_refresh_tasks", opts)
    if getattr(opts, "depends_on", None):
        raise ResourceOptionsError(
            "get_refresh_tasks: depends_on cannot order a plain call (it runs at once, as a plain invoke "
            "does); use get_refresh_tasks_output(..., opts=pulumi.InvokeOutputOptions(depends_on=[...]))"
        )
    identity = query_identity(profile, _plain_role(assume_role))
    return _query(_arguments(locals()), _pulumi_config.program_config(), identity)


def get_refresh_tasks_output(
    task_id: pulumi.Input[str | None] = None,
    object_path: pulumi.Input[str | None] = None,
    domain_name: pulumi.Input[str | None] = None,
    object_type: pulumi.Input[str | None] = None,
    status: pulumi.Input[str | None] = None,
    start_time: pulumi.Input[str | None] = None,
    end_time: pulumi.Input[str | None] = None,
    page_number: pulumi.Input[int | None] = None,
    page_size: pulumi.Input[int | None] = None,
    resource_group_id: pulumi.Input[str | None] = None,
    profile: pulumi.Input[str | None] = None,
    assume_role: pulumi.Input[AssumeRoleArgs | AssumeRoleArgsDict | None] = None,
    product: pulumi.Input[str | None] = None,
    opts: pulumi.InvokeOptions | pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetRefreshTasksResult]:
    """:func:`get_refresh_tasks` taking Inputs and returning an ``Output``.

    The query runs once every input is known (also in preview) and every resource of
    ``opts.depends_on`` is created, off the event loop, so other resources keep registering
    meanwhile. While an input or a dependency is unknown (preview) the result is unknown, as an
    invoke's is. Secret inputs keep the result secret.
    """
    refuse_foreign_providers("get_refresh_tasks_output", opts)
    inputs = pulumi.Output.all(
        _arguments(locals()), profile, pulumi.Output.from_input(assume_role).apply(_plain_role)
    )
    depends_on = getattr(opts, "depends_on", None)
    if depends_on:
        inputs = after_dependencies(depends_on, inputs)

    async def run(values: list[Any]) -> GetRefreshTasksResult:
        args, profile_value, role = values
        identity = query_identity(profile_value, role)
        config = _pulumi_config.program_config()
        result = await asyncio.get_running_loop().run_in_executor(None, _query, args, config, identity)
        return GetRefreshTasksResult(**_result_fields(result))

    return inputs.apply(run)


def _plain_role(value: Any) -> Any:
    """``assume_role`` as a plain mapping (an :class:`AssumeRoleArgs` becomes its fields)."""
    if isinstance(value, AssumeRoleArgs):
        return {
            name: getattr(value, name)
            for name in ("role_arn", "session_name", "external_id", "policy", "session_expiration")
            if getattr(value, name) is not None
        }
    return value
