"""Helpers of the ``pulumi.runtime.set_mocks`` tests: run programs, resolve Outputs, mock resources.

Resources of pulumi-alicloud echo their inputs. Dynamic resources (``pulumi-python:dynamic/...``)
run their real provider in this process, deserialized from the ``__provider`` string the SDK
produced and configured with the stack config, against the emulator: so a program under mocks
behaves as under ``pulumi up``, and the ``__provider`` strings are kept for inspection.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import runpy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import dill
import pulumi
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.runtime import rpc, settings
from pulumi.runtime.mocks import MockMonitor

PROVIDER_KEY = "__provider"
DYNAMIC_PREFIX = "pulumi-python:dynamic/"


def unwrap_secret(value: Any) -> Any:
    if isinstance(value, dict) and value.get(rpc._special_sig_key) == rpc._special_secret_sig:
        return value["value"]
    return value


def without_secrets(value: Any) -> Any:
    """A property value as the engine sends it to a provider that does not accept secrets (the
    dynamic provider host): every secret replaced by its plain value, at any depth."""
    value = unwrap_secret(value)
    if isinstance(value, dict):
        return {key: without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


class ProgramMocks(pulumi.runtime.Mocks):
    """Echo for cloud resources; the real provider's check + create for dynamic resources."""

    def __init__(self, stack_config: Mapping[str, str], *, preview: bool = False) -> None:
        self.stack_config = dict(stack_config)
        self.preview = preview
        """Like the engine in a preview: dynamic resources are checked, never created (id unknown)."""
        self.resources: list[pulumi.runtime.MockResourceArgs] = []
        self.provider_strings: list[str] = []
        self.outputs: dict[str, dict[str, Any]] = {}
        self.events: list[tuple[str, str]] = []
        """("start" | "end", resource name), in the order the registrations happened and finished."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        self.resources.append(args)
        self.events.append(("start", args.name))
        try:
            return self._new_resource(args)
        finally:
            self.events.append(("end", args.name))

    def _new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        if not args.typ.startswith(DYNAMIC_PREFIX):
            outs = dict(args.inputs)
            self.outputs[args.name] = outs
            return f"{args.name}-id", outs
        serialized = unwrap_secret(args.inputs[PROVIDER_KEY])
        self.provider_strings.append(serialized)
        provider = dill.loads(base64.b64decode(serialized))
        provider.configure(ConfigureRequest(Config(raw_config=self.stack_config, project_name="test")))
        props = {key: without_secrets(value) for key, value in args.inputs.items() if key != PROVIDER_KEY}
        checked = provider.check({}, props)
        if checked.failures:
            raise AssertionError([failure.reason for failure in checked.failures])
        if self.preview:
            return None, {}
        result = provider.create(checked.inputs)
        self.outputs[args.name] = dict(result.outs or {})
        return result.id, dict(result.outs or {})

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        raise AssertionError(f"no provider function should be invoked, got {args.token}")

    def by_type(self, suffix: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [resource for resource in self.resources if resource.typ.endswith(suffix)]


class RecordingMonitor(MockMonitor):
    """The mock monitor, also keeping each registration's explicit dependencies (URNs) and its
    ``additionalSecretOutputs`` by name."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.dependencies: dict[str, list[str]] = {}
        self.secret_outputs: dict[str, list[str]] = {}

    def RegisterResource(self, request: Any) -> Any:
        self.dependencies[request.name] = list(request.dependencies)
        self.secret_outputs[request.name] = list(request.additionalSecretOutputs)
        return super().RegisterResource(request)


def use_mocks(
    mocks: pulumi.runtime.Mocks, config: Mapping[str, str], *, preview: bool = False, project: str = "test"
) -> RecordingMonitor:
    monitor = RecordingMonitor(mocks)
    settings.ROOT.set(None)  # a fresh root stack per test, on the current event loop
    pulumi.runtime.set_mocks(mocks, project=project, stack="test", preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config(dict(config))
    return monitor


def resolve(program: Callable[[], Any]) -> dict[str, Any]:
    """Run ``program`` under the mocks; return its result's ``value``, ``known`` and ``secret``."""
    box: dict[str, Any] = {}

    @pulumi.runtime.test
    def wrapper() -> Any:
        produced = program()

        async def collect() -> None:
            output = pulumi.Output.from_input(produced)
            box["value"] = await output.future(with_unknowns=True)
            box["known"] = await output.is_known()
            box["secret"] = await output.is_secret()

        return asyncio.ensure_future(collect())

    wrapper()
    return box


def forget_failed_run() -> None:
    """After a program failed under the mocks: mark its failed futures as seen.

    Pulumi keeps a future per output of every registration; once the run failed nobody awaits
    them, and asyncio would log "Future exception was never retrieved" for each at exit.
    """
    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, asyncio.Future) and obj.done() and not obj.cancelled():
            obj.exception()


def run_program(path: Path) -> dict[str, Any]:
    """Run a Pulumi program's ``__main__.py`` under the mocks; return its exports, resolved."""
    exports: dict[str, Any] = {}
    resolved: dict[str, Any] = {}

    def export(name: str, value: Any) -> None:
        exports[name] = value

    @pulumi.runtime.test
    def wrapper() -> Any:
        with mock.patch.object(pulumi, "export", export):
            runpy.run_path(str(path), run_name="__main__")

        async def collect() -> None:
            for name, value in exports.items():
                resolved[name] = await pulumi.Output.from_input(value).future(with_unknowns=True)

        return asyncio.ensure_future(collect())

    wrapper()
    return resolved
