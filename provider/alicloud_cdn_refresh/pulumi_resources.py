"""``RefreshWait`` and ``CacheRefresh``: Pulumi dynamic resources that gate a deployment on the CDN.

How they run: the program process pickles the provider (by reference: the classes live in this
installed module, and the instances carry no state) into the ``__provider`` property; the engine
starts ``python -m pulumi.dynamic``, calls ``configure()`` with the whole stack config, then
``check``/``diff``/``create``/``update``/``read``/``delete`` there. Credentials and endpoint come
from that config (``alicloud:accessKey``, ``alicloud:secretKey``, ``alicloud:securityToken``,
``alicloud:endpoints``) or the environment, are kept in a per-process store, and a fresh
:class:`~alicloud_cdn_refresh.client.CdnClient` is built inside each operation: no client, lock
or credential is ever pickled, and no secret is ever an input or an output.

Pulumi's ``CustomTimeouts`` do not reach dynamic providers, so both resources take their own
``timeout_seconds``. Progress while waiting is written to the provider's stderr, which the engine
shows in the ``pulumi up`` output. A failed task, a timeout, or an API / credentials error fails
the operation with one clear message (see :mod:`._pulumi_errors`).

``delete`` does nothing remote for either resource: a refresh cannot be undone, and a task
simply expires from the API after three days.
"""

from __future__ import annotations

import math
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import pulumi
import pulumi.dynamic as dynamic
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .errors import CdnError
from .limits import MAX_PRELOAD_PATH_LENGTH, TIMESTAMP_TOLERANCE
from .models import PreloadArea, RefreshObjectType, RefreshTask, format_api_time, parse_iso_time
from .pulumi import config as _pulumi_config
from .pulumi.failures import fail
from .pulumi.types import RefreshTaskResult, task_from_wire, task_to_wire, to_python_name, to_wire_name

if TYPE_CHECKING:
    from .client.cdn_client import CdnClient
    from .waiter.loop import WaitProgress

__all__ = [
    "CACHE_REFRESH_ENUMS",
    "DEFAULT_TIMEOUT_SECONDS",
    "OPERATIONS",
    "PULUMI_MODULE",
    "CacheRefresh",
    "CacheRefreshProvider",
    "RefreshWait",
    "RefreshWaitProvider",
]

PULUMI_MODULE: Final = "alicloud-cdn-refresh"
"""Module part of the dynamic type tokens (``pulumi-python:dynamic/alicloud-cdn-refresh:RefreshWait``)."""

DEFAULT_TIMEOUT_SECONDS: Final = 1800.0
"""How long a wait lasts by default (Alibaba says a refresh takes effect in 5-6 minutes)."""

OPERATIONS: Final = ("refresh", "preload")
"""What ``CacheRefresh`` submits: RefreshObjectCaches or PushObjectCache."""

CACHE_REFRESH_ENUMS: Final[dict[str, tuple[str, ...]]] = {
    "operation": OPERATIONS,
    "objectType": tuple(member.value for member in RefreshObjectType),
    "area": tuple(member.value for member in PreloadArea),
}
"""The allowed values of CacheRefresh's enum inputs (wire names), as ``check()`` enforces them."""

_PROVIDER_KEY: Final = "__provider"


# --------------------------------------------------------------------------- input checking


def _is_unknown(value: Any) -> bool:
    """An input whose value is not known yet (preview): never judged, always a change."""
    if value is None:
        return False
    if isinstance(value, Unknown):  # what pulumi.dynamic makes of the engine's unknown sentinel
        return True
    if isinstance(value, str):
        return value == rpc.UNKNOWN
    if isinstance(value, list):
        return any(_is_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(_is_unknown(item) for item in value.values())
    return False


class _Checker:
    """Collects ``CheckFailure``s for one set of inputs, naming the input (Python spelling)."""

    def __init__(self, news: Mapping[str, Any]) -> None:
        self.inputs: dict[str, Any] = {k: v for k, v in news.items() if k != _PROVIDER_KEY}
        self.failures: list[dynamic.CheckFailure] = []

    def fail(self, key: str, reason: str) -> None:
        self.failures.append(dynamic.CheckFailure(key, f"{to_python_name(key)}: {reason}"))

    def known(self, key: str) -> bool:
        value = self.inputs.get(key)
        return value is not None and not _is_unknown(value)

    def paths(self, key: str, *, max_length: int | None = None) -> list[str]:
        if not self.known(key):
            return []
        value = self.inputs[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(key, f"must be a list of strings, got {value!r}")
            return []
        if any(not item.strip() for item in value):
            self.fail(key, "must not contain empty strings")
        if max_length is not None:
            for item in value:
                if len(item) > max_length:
                    self.fail(key, f"{item[:60]!r}... is longer than {max_length} characters")
        return list(value)

    def boolean(self, key: str, default: bool) -> None:
        if self.inputs.get(key) is None:
            self.inputs[key] = default
        elif self.known(key) and not isinstance(self.inputs[key], bool):
            self.fail(key, f"must be true or false, got {self.inputs[key]!r}")

    def timeout(self, key: str) -> None:
        if self.inputs.get(key) is None:
            self.inputs[key] = DEFAULT_TIMEOUT_SECONDS
            return
        if not self.known(key):
            return
        value = self.inputs[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.fail(key, f"must be a number of seconds, got {value!r}")
        elif value <= 0:
            self.fail(key, f"must be greater than 0, got {value!r}")

    def choice(self, key: str, allowed: Sequence[str], *, canonical: Callable[[str], str | None]) -> None:
        if not self.known(key):
            return
        value = self.inputs[key]
        fixed = canonical(value) if isinstance(value, str) else None
        if fixed is None:
            self.fail(key, f"must be one of {', '.join(allowed)}; got {value!r}")
        else:
            self.inputs[key] = fixed

    def time(self, key: str) -> None:
        if not self.known(key):
            return
        value = self.inputs[key]
        try:
            _parse_since(value)
        except (TypeError, ValueError):
            self.fail(
                key,
                f"must be an ISO 8601 time with a timezone, such as 2026-01-31T08:00:00Z; got {value!r}",
            )

    def result(self) -> dynamic.CheckResult:
        return dynamic.CheckResult(self.inputs, self.failures)


def _parse_since(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("since must be a string")
    return parse_iso_time(value)


def _member(enum_type: Any) -> Callable[[str], str | None]:
    """Canonical spelling of a known enum member (case-insensitive), or None."""

    def canonical(value: str) -> str | None:
        member = enum_type(value)
        return str(member.value) if member.is_known else None

    return canonical


def _choice(allowed: Sequence[str]) -> Callable[[str], str | None]:
    def canonical(value: str) -> str | None:
        folded = value.casefold()
        return next((item for item in allowed if item.casefold() == folded), None)

    return canonical


# --------------------------------------------------------------------------- diffing


def _normalized(key: str, value: Any) -> Any:
    if key in ("objectPaths", "taskIds") and isinstance(value, list):
        return sorted({str(item) for item in value})
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _diff(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    *,
    replace_keys: Iterable[str],
    update_keys: Iterable[str],
) -> dynamic.DiffResult:
    def changed(key: str) -> bool:
        new = news.get(key)
        if _is_unknown(new):
            return True
        return bool(_normalized(key, olds.get(key)) != _normalized(key, new))

    replaces = [key for key in replace_keys if changed(key)]
    updates = [key for key in update_keys if changed(key)]
    return dynamic.DiffResult(
        changes=bool(replaces or updates),
        replaces=replaces,
        delete_before_replace=False,
    )


# --------------------------------------------------------------------------- shared operations


def _inputs_only(props: Mapping[str, Any], input_keys: Iterable[str]) -> dict[str, Any]:
    return {key: props[key] for key in input_keys if key in props}


def _now_text(client: CdnClient) -> str:
    return format_api_time(client.clock.now())


def _progress_printer(label: str) -> Callable[[WaitProgress], None]:
    """Progress lines on stderr: the engine shows a dynamic provider's stderr in ``pulumi up``."""

    def show(progress: WaitProgress) -> None:
        if not progress.done:
            state = "waiting"
        else:
            state = "done" if progress.complete == progress.total else "stopped"
        line = (
            f"{label}: {state}, {progress.complete}/{progress.total} complete, "
            f"{progress.refreshing} refreshing, {progress.pending} pending, {progress.failed} failed "
            f"({progress.elapsed:.0f}s)"
        )
        if not progress.done and progress.slowest:
            slow = progress.slowest[0]
            line += f"; slowest: {slow.object_path or f'task {slow.task_id}'}"
        print(line, file=sys.stderr, flush=True)

    return show


def _label(kind: str, paths: Sequence[str], task_ids: Sequence[str]) -> str:
    what = f"{len(paths)} path(s)" if paths else f"{len(task_ids)} task id(s)"
    return f"{kind} [{what}]"


def _wait(
    client: CdnClient,
    *,
    label: str,
    object_paths: Sequence[str] | None,
    task_ids: Sequence[str] | None,
    since: datetime | None,
    timeout: float,
    fail_on_failed: bool,
) -> list[RefreshTask]:
    from .waiter.loop import wait_for_refresh

    return wait_for_refresh(
        object_paths or None,
        task_ids=task_ids or None,
        since=since,
        timeout=float(timeout),
        client=client,
        on_progress=_progress_printer(label),
        fail_on_failed=fail_on_failed,
    )


def _refresh_tasks(
    client: CdnClient, old_tasks: Sequence[Mapping[str, Any]], task_ids: Sequence[str]
) -> list[Any]:
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


def _client() -> CdnClient:
    return _pulumi_config.make_client(_pulumi_config.provider_config())


def _run(kind: str, operation: str, action: Callable[[], Any]) -> Any:
    """Run one provider operation; a CdnError becomes one clear message for the engine."""
    try:
        return action()
    except CdnError as exc:
        fail(f"{kind} {operation} failed: {exc}")


class _ProviderBase(dynamic.ResourceProvider):
    """Stateless: everything an operation needs comes from its props and the process store."""

    serialize_as_secret_always = True

    def configure(self, req: dynamic.ConfigureRequest) -> None:
        """Keep the stack's ``alicloud:*`` config in this process, not on the instance."""
        config = {f"alicloud:{key}": req.config.get(f"alicloud:{key}") for key in _pulumi_config.CONFIG_KEYS}
        _pulumi_config.store_config(config)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Nothing remote: a refresh cannot be undone, and tasks expire from the API after 3 days."""


# --------------------------------------------------------------------------- RefreshWait


_WAIT_INPUTS: Final = ("objectPaths", "taskIds", "since", "timeoutSeconds", "failOnFailed", "triggers")
_WAIT_REPLACE: Final = ("objectPaths", "taskIds", "triggers")
_WAIT_UPDATE: Final = ("since", "timeoutSeconds", "failOnFailed")


class RefreshWaitProvider(_ProviderBase):
    """Provider of :class:`RefreshWait`: create blocks until every path (or task) is Complete."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        """Validate the inputs and fill in the defaults."""
        checker = _Checker(news)
        paths = checker.paths("objectPaths")
        ids = checker.paths("taskIds")
        if (
            not paths
            and not ids
            and not _is_unknown(news.get("objectPaths"))
            and not _is_unknown(news.get("taskIds"))
        ):
            checker.fail("objectPaths", "give at least one object path or task id (task_ids) to wait for")
        checker.time("since")
        checker.timeout("timeoutSeconds")
        checker.boolean("failOnFailed", True)
        return checker.result()

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        """New paths, task ids or triggers wait again (replace); since/timeout/fail_on_failed update."""
        return _diff(olds, news, replace_keys=_WAIT_REPLACE, update_keys=_WAIT_UPDATE)

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        """Wait until complete; the outputs are the inputs plus the final tasks and ``completedAt``."""
        inputs = _inputs_only(props, _WAIT_INPUTS)
        paths = list(inputs.get("objectPaths") or [])
        ids = [str(item) for item in inputs.get("taskIds") or []]
        since = _parse_since(inputs["since"]) if inputs.get("since") else None

        def wait() -> dict[str, Any]:
            with _client() as client:
                tasks = _wait(
                    client,
                    label=_label("RefreshWait", paths, ids),
                    object_paths=paths,
                    task_ids=ids,
                    since=since,
                    timeout=float(inputs.get("timeoutSeconds") or DEFAULT_TIMEOUT_SECONDS),
                    fail_on_failed=bool(inputs.get("failOnFailed", True)),
                )
                return {**inputs, "tasks": [task_to_wire(t) for t in tasks], "completedAt": _now_text(client)}

        outs = _run("RefreshWait", "create", wait)
        return dynamic.CreateResult(f"refreshwait-{uuid.uuid4().hex}", outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        """Only since/timeout/fail_on_failed changed: nothing to wait for again, keep the tasks."""
        inputs = _inputs_only(news, _WAIT_INPUTS)
        tasks = [task_to_wire(task_from_wire(item)) for item in olds.get("tasks") or []]
        return dynamic.UpdateResult({**inputs, "tasks": tasks, "completedAt": olds.get("completedAt")})

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        """``pulumi refresh``: the tasks' current state; the inputs are kept as they were."""
        inputs = _inputs_only(props, _WAIT_INPUTS)
        if not props.get("tasks") and not inputs.get("taskIds"):
            return dynamic.ReadResult(id_, {k: v for k, v in props.items() if k != _PROVIDER_KEY}, inputs)

        def read() -> list[Any]:
            with _client() as client:
                return _refresh_tasks(
                    client, props.get("tasks") or [], [str(i) for i in inputs.get("taskIds") or []]
                )

        tasks = _run("RefreshWait", "read", read)
        outs = {**inputs, "tasks": tasks, "completedAt": props.get("completedAt")}
        return dynamic.ReadResult(id_, outs, inputs)


# --------------------------------------------------------------------------- CacheRefresh


_CACHE_INPUTS: Final = (
    "objectPaths",
    "operation",
    "objectType",
    "force",
    "area",
    "triggers",
    "wait",
    "timeoutSeconds",
    "failOnFailed",
)
_CACHE_REPLACE: Final = ("objectPaths", "operation", "objectType", "force", "area", "triggers")
_CACHE_UPDATE: Final = ("wait", "timeoutSeconds", "failOnFailed")


class CacheRefreshProvider(_ProviderBase):
    """Provider of :class:`CacheRefresh`: submit a refresh or preload, then wait unless told not to."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        """Validate the inputs (naming the input and the allowed values) and fill in the defaults."""
        checker = _Checker(news)
        if checker.inputs.get("operation") is None:
            checker.inputs["operation"] = "refresh"
        operations = CACHE_REFRESH_ENUMS["operation"]
        checker.choice("operation", operations, canonical=_choice(operations))
        operation = checker.inputs["operation"] if checker.known("operation") else None  # None: unknown yet
        preload = operation == "preload"
        failures_before = len(checker.failures)
        paths = checker.paths("objectPaths", max_length=MAX_PRELOAD_PATH_LENGTH if preload else None)
        if (
            not paths
            and len(checker.failures) == failures_before
            and not _is_unknown(news.get("objectPaths"))
        ):
            checker.fail("objectPaths", "give at least one object path to refresh or preload")
        if operation == "preload":
            for key in ("objectType", "force"):
                if checker.known(key) and checker.inputs[key] is not False:
                    checker.fail(key, "applies to operation 'refresh' only, not to 'preload'")
            checker.choice("area", CACHE_REFRESH_ENUMS["area"], canonical=_member(PreloadArea))
        elif operation == "refresh":
            if checker.known("area"):
                checker.fail("area", "applies to operation 'preload' only, not to 'refresh'")
            if checker.inputs.get("objectType") is None:
                checker.inputs["objectType"] = RefreshObjectType.FILE.value
            checker.choice(
                "objectType", CACHE_REFRESH_ENUMS["objectType"], canonical=_member(RefreshObjectType)
            )
            checker.boolean("force", False)
        checker.boolean("wait", True)
        checker.timeout("timeoutSeconds")
        checker.boolean("failOnFailed", True)
        return checker.result()

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        """What is submitted changed (paths, operation, type, force, area, triggers): submit again."""
        return _diff(olds, news, replace_keys=_CACHE_REPLACE, update_keys=_CACHE_UPDATE)

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        """Submit, then (``wait``) block until every submitted path is Complete."""
        inputs = _inputs_only(props, _CACHE_INPUTS)

        def submit() -> dict[str, Any]:
            with _client() as client:
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
                    outs.update(_wait_submitted(client, inputs, ids, submitted_at))
                return outs

        outs = _run("CacheRefresh", "create", submit)
        return dynamic.CreateResult(f"cacherefresh-{uuid.uuid4().hex}", outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.UpdateResult:
        """wait/timeout/fail_on_failed changed: nothing is submitted; wait now if newly asked to."""
        inputs = _inputs_only(news, _CACHE_INPUTS)
        outs: dict[str, Any] = {
            **inputs,
            "taskIds": [str(item) for item in olds.get("taskIds") or []],
            "submittedAt": olds.get("submittedAt"),
            "tasks": [task_to_wire(task_from_wire(item)) for item in olds.get("tasks") or []],
            "completedAt": olds.get("completedAt"),
        }
        if inputs.get("wait", True) and not outs["completedAt"] and outs["taskIds"]:
            submitted = _parse_since(outs["submittedAt"]) if outs["submittedAt"] else None

            def wait() -> dict[str, Any]:
                with _client() as client:
                    return _wait_submitted(client, inputs, outs["taskIds"], submitted)

            outs.update(_run("CacheRefresh", "update", wait))
        return dynamic.UpdateResult(outs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        """``pulumi refresh``: the submitted tasks' current state; inputs kept as they were."""
        inputs = _inputs_only(props, _CACHE_INPUTS)
        ids = [str(item) for item in props.get("taskIds") or []]
        outs = {k: v for k, v in props.items() if k != _PROVIDER_KEY}
        if not ids:
            return dynamic.ReadResult(id_, outs, inputs)

        def read() -> list[Any]:
            with _client() as client:
                return _refresh_tasks(client, props.get("tasks") or [], ids)

        outs["tasks"] = _run("CacheRefresh", "read", read)
        outs["taskIds"] = ids
        return dynamic.ReadResult(id_, outs, inputs)


def _submit(client: CdnClient, inputs: Mapping[str, Any]) -> list[str]:
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
    client: CdnClient, inputs: Mapping[str, Any], ids: Sequence[str], submitted_at: datetime | None
) -> dict[str, Any]:
    paths = [str(item) for item in inputs["objectPaths"]]
    operation = str(inputs.get("operation", "refresh"))
    tasks = _wait(
        client,
        label=_label(f"CacheRefresh {operation}", paths, ids),
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


# --------------------------------------------------------------------------- resources


class _DynamicResource(dynamic.Resource):
    """camelCase on the wire and in state (as in the schema), snake_case in Python."""

    def translate_input_property(self, prop: str) -> str:
        """Python name -> wire name."""
        return to_wire_name(prop)

    def translate_output_property(self, prop: str) -> str:
        """Wire name -> Python name."""
        return to_python_name(prop)


class RefreshWait(_DynamicResource, module=PULUMI_MODULE, name="RefreshWait"):
    """Blocks ``pulumi up`` until the given CDN paths (or task ids) report ``Complete``.

    Give ``object_paths`` (the newest task of each path counts, created at or after ``since`` when
    given) and/or ``task_ids``. A change of paths, task ids or ``triggers`` replaces the resource,
    so it waits again; an unchanged ``pulumi up`` makes no API call. ``timeout_seconds`` is this
    resource's own deadline (Pulumi's ``CustomTimeouts`` do not reach dynamic providers). With
    ``fail_on_failed`` (default) a ``Failed`` task fails the deployment at once with its
    description. Delete does nothing remote.
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
            "tasks": None,
            "completed_at": None,
        }
        super().__init__(RefreshWaitProvider(), resource_name, props, opts)

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
    """Submits a CDN refresh (purge) or preload of ``object_paths``, then waits until Complete.

    It submits on create and again whenever what is submitted changes (``object_paths``,
    ``operation``, ``object_type``, ``force``, ``area``) or ``triggers`` change - pass a content
    hash of the uploaded files as ``triggers`` to refresh exactly when the content changed. With
    ``wait`` (default) it then blocks like :class:`RefreshWait` on its own task ids (their
    newest task per path; the API's clock may be off from ours by as much as the gateway
    tolerates); ``timeout_seconds`` is its own deadline. Delete does nothing remote (a refresh
    cannot be undone).
    """

    def __init__(
        self,
        resource_name: str,
        object_paths: pulumi.Input[Sequence[pulumi.Input[str]]],
        operation: pulumi.Input[str] | None = None,
        object_type: pulumi.Input[str] | None = None,
        force: pulumi.Input[bool] | None = None,
        area: pulumi.Input[str] | None = None,
        triggers: pulumi.Input[Any] | None = None,
        wait: pulumi.Input[bool] | None = None,
        timeout_seconds: pulumi.Input[float] | None = None,
        fail_on_failed: pulumi.Input[bool] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Submit ``operation`` ("refresh" or "preload") of ``object_paths``; see the class docstring."""
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
            "task_ids": None,
            "submitted_at": None,
            "tasks": None,
            "completed_at": None,
        }
        super().__init__(CacheRefreshProvider(), resource_name, props, opts)

    @property
    @pulumi.getter(name="objectPaths")
    def object_paths(self) -> pulumi.Output[Sequence[str]]:
        """The paths submitted."""
        return pulumi.get(self, "object_paths")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def operation(self) -> pulumi.Output[str]:
        """``refresh`` or ``preload``."""
        return pulumi.get(self, "operation")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="objectType")
    def object_type(self) -> pulumi.Output[str | None]:
        """What a refresh purges: File, Directory, Regex or ExQuery."""
        return pulumi.get(self, "object_type")  # type: ignore[no-any-return]

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
