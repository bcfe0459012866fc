"""Act as the Pulumi engine towards ``pulumi-resource-alicloud-cdn-refresh`` (DESIGN.md "Testing without
the Pulumi CLI", point 3).

The plugin is started as the engine starts a provider: the console script with the engine's address
as its argument; the first line of its stdout is the port. The "engine" is a small gRPC server in
this process answering ``Log`` (``plugin_engine.FakeEngine``); property values go through the SDK's
own serializer (``plugin_engine.encode``), secrets and unknowns included.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2

from alicloud_cdn_refresh.emulator import Emulator
from envs import clean_environ
from plugin_engine import UNKNOWN, Answer, FakeEngine, Logged, Secret, decode, encode
from pulumi_engine import ProviderProcess

__all__ = [
    "COMPLETE_AFTER",
    "SECRET",
    "UNKNOWN",
    "Answer",
    "FakeEngine",
    "Logged",
    "PluginProcess",
    "PluginRig",
    "Secret",
    "decode",
    "encode",
    "executable",
    "provider_args",
    "start_plugin_rig",
    "type_token",
    "urn",
]

PACKAGE = "alicloud-cdn-refresh"
EXECUTABLE = "pulumi-resource-alicloud-cdn-refresh"
STARTUP_TIMEOUT = 30.0


def type_token(kind: str) -> str:
    return f"{PACKAGE}:index:{kind}"


def urn(kind: str, name: str) -> str:
    return f"urn:pulumi:test::cdn-refresh::{type_token(kind)}::{name}"


# --------------------------------------------------------------------------- the plugin


def executable() -> str:
    """The console script, next to this interpreter (the virtual environment's ``bin``)."""
    beside = Path(sys.executable).with_name(EXECUTABLE)
    if beside.exists():
        return str(beside)
    found = shutil.which(EXECUTABLE)
    assert found is not None, f"{EXECUTABLE} is not installed (pip install -e .)"
    return found


class PluginProcess(ProviderProcess):
    """One plugin process, started as the engine starts it; end it with :meth:`close`."""

    def __init__(
        self,
        engine: FakeEngine,
        env: Mapping[str, str] | None = None,
        *,
        command: list[str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        """``command`` (default: the console script) is run with the engine's address appended."""
        self.engine = engine
        super().__init__(
            [*(command or [executable()]), engine.address],
            os.environ if env is None else env,
            what="the plugin",
            cwd=cwd,
        )

    # --- the protocol -------------------------------------------------------------------------

    def configure(self, args: Mapping[str, Any]) -> provider_pb2.ConfigureResponse:
        request = provider_pb2.ConfigureRequest(args=encode(args), acceptSecrets=True, acceptResources=True)
        return self.call("Configure", request)

    def check(
        self, kind: str, news: Mapping[str, Any], olds: Mapping[str, Any] | None = None
    ) -> tuple[Answer, list[tuple[str, str]]]:
        request = provider_pb2.CheckRequest(
            urn=urn(kind, "r"), type=type_token(kind), olds=encode(olds), news=encode(news)
        )
        response = self.call("Check", request)
        return decode(response.inputs), [(f.property, f.reason) for f in response.failures]

    def checked(self, kind: str, **news: Any) -> dict[str, Any]:
        """Check's inputs; the check must pass."""
        answer, failures = self.check(kind, news)
        assert failures == [], failures
        return answer.values

    def diff(self, kind: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> provider_pb2.DiffResponse:
        request = provider_pb2.DiffRequest(urn=urn(kind, "r"), id="id", olds=encode(olds), news=encode(news))
        return self.call("Diff", request)

    def create(
        self,
        kind: str,
        props: Mapping[str, Any],
        *,
        preview: bool = False,
        timeout: float = 0.0,
        name: str = "r",
        rpc_timeout: float = 60.0,
    ) -> tuple[str, Answer]:
        request = provider_pb2.CreateRequest(
            urn=urn(kind, name),
            type=type_token(kind),
            properties=encode(props),
            preview=preview,
            timeout=timeout,
        )
        response = self.call("Create", request, timeout=rpc_timeout)
        return response.id, decode(response.properties)

    def read(
        self,
        kind: str,
        id_: str,
        props: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
    ) -> tuple[str, Answer, Answer]:
        request = provider_pb2.ReadRequest(
            urn=urn(kind, "r"), id=id_, properties=encode(props), inputs=encode(inputs)
        )
        response = self.call("Read", request)
        return response.id, decode(response.properties), decode(response.inputs)

    def update(
        self,
        kind: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        preview: bool = False,
        timeout: float = 0.0,
    ) -> Answer:
        request = provider_pb2.UpdateRequest(
            urn=urn(kind, "r"),
            id=id_,
            olds=encode(olds),
            news=encode(news),
            preview=preview,
            timeout=timeout,
        )
        return decode(self.call("Update", request).properties)

    def delete(self, kind: str, id_: str, props: Mapping[str, Any]) -> None:
        self.call("Delete", provider_pb2.DeleteRequest(urn=urn(kind, "r"), id=id_, properties=encode(props)))

    def invoke(
        self, args: Mapping[str, Any], *, preview: bool = False
    ) -> tuple[Answer, list[tuple[str, str]]]:
        request = provider_pb2.InvokeRequest(
            tok=f"{PACKAGE}:index:getRefreshTasks", args=encode(args), preview=preview
        )
        response = self.call("Invoke", request)
        return decode(getattr(response, "return")), [(f.property, f.reason) for f in response.failures]

    def cancel(self) -> None:
        self.call("Cancel", empty_pb2.Empty())

    # --- ending it ----------------------------------------------------------------------------


# --------------------------------------------------------------------------- a configured plugin

SECRET = f"plugin-secret-{uuid.uuid4().hex}"
"""The test key's secret: it must never appear in an answer, a log line or the plugin's stderr."""
COMPLETE_AFTER = 1.0
"""Real seconds from submission to Complete in the emulator (the plugin has a real clock)."""


def provider_args(url: str, key: str = "testid", secret: str = SECRET, **more: Any) -> dict[str, Any]:
    """A provider's configuration as an SDK sends it: keys secret, endpoints as JSON text."""
    return {
        "accessKey": Secret(key),
        "secretKey": Secret(secret),
        "region": "cn-hangzhou",
        "endpoints": json.dumps([{"cdn": url, "dcdn": url}]),
        **more,
    }


@dataclass
class PluginRig:
    """An emulator server, the fake engine and one configured plugin process."""

    emulator: Emulator
    url: str
    engine: FakeEngine
    plugin: PluginProcess

    def served(self) -> int:
        return sum(self.emulator.requests_served.values())


def start_plugin_rig(home: Path, **emulator_kwargs: Any) -> Iterator[PluginRig]:
    """The rig of one test module (one plugin process for all its tests); ended by its handles."""
    options: dict[str, Any] = {
        "access_keys": {"testid": SECRET},
        "complete_after": COMPLETE_AFTER,
        "fail_paths": r"/broken",
        "qps_limits": False,
        **emulator_kwargs,
    }
    emulator = Emulator(**options)
    with emulator.serve() as server:
        engine = FakeEngine()
        try:
            plugin = PluginProcess(engine, clean_environ(home))
            try:
                plugin.configure(provider_args(server.url))
                yield PluginRig(emulator, server.url, engine, plugin)
            finally:
                plugin.close()
        finally:
            engine.close()
