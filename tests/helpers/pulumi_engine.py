"""Act as the Pulumi engine towards ``python -m pulumi.dynamic``: the real provider protocol over gRPC.

The Pulumi CLI cannot be installed here, so the tests do what the engine does for a dynamic
resource: start the dynamic provider host as a child process (it prints its port on stdout),
``Configure`` it with the stack config (a Struct with namespaced keys such as
``alicloud:accessKey``), then call Check / Diff / Create / Read / Update / Delete with the
``__provider`` property serialized by the SDK's own function, exactly as a program would send it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime._serialization import _serialize
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

PROVIDER_KEY = "__provider"
STARTUP_TIMEOUT = 30.0


def serialized_provider(provider: ResourceProvider) -> str:
    """``__provider`` as ``pulumi.dynamic.Resource.__init__`` produces it (dill, base64)."""
    text, _contains_secrets = _serialize(True, serialize_provider, provider)
    return text


def to_struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(values))
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


@dataclass(frozen=True)
class InitFailed:
    """An ``ErrorResourceInitFailed`` status detail: the resource exists with these outputs."""

    id: str
    properties: dict[str, Any]
    reasons: list[str]


def init_failed_of(metadata: Any) -> InitFailed | None:
    """The ``ErrorResourceInitFailed`` detail of a call's trailing metadata, read as the engine reads
    it (``grpc-status-details-bin``: a google.rpc.Status whose details may hold one)."""
    for key, value in metadata or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            failed = provider_pb2.ErrorResourceInitFailed()
            if detail.Unpack(failed):
                return InitFailed(failed.id, from_struct(failed.properties), list(failed.reasons))
    return None


class ProviderRpcError(Exception):
    """A provider call failed: ``code`` and ``details`` as the engine would receive them, and the
    partial state (``init_failed``) when the provider says the resource exists anyway."""

    def __init__(self, code: grpc.StatusCode, details: str, init_failed: InitFailed | None = None) -> None:
        self.code = code
        self.details = details
        self.init_failed = init_failed
        super().__init__(f"{code.name}: {details}")


_Process = TypeVar("_Process", bound="ProviderProcess")


class ProviderProcess:
    """A provider child started as the engine starts one, reached over gRPC; stop it with :meth:`close`.

    The first line of its stdout is its port; its stderr is collected line by line (``stderr_lines``);
    ``startup_seconds`` is the time from the start to the port; ``what`` names it in errors.
    """

    def __init__(
        self,
        command: list[str],
        env: Mapping[str, str],
        *,
        what: str,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        started = time.monotonic()
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(env), cwd=cwd
        )
        self.stderr_lines: list[str] = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        self.port = int(self._read_port_line(what))
        self.startup_seconds = time.monotonic() - started
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(self.channel).result(timeout=STARTUP_TIMEOUT)
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def _read_port_line(self, what: str) -> str:
        result: list[str] = []

        def read() -> None:
            assert self.process.stdout is not None
            result.append(self.process.stdout.readline().decode().strip())

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(STARTUP_TIMEOUT)
        if not result or not result[0].isdigit():
            self.close()
            raise RuntimeError(f"{what} did not print its port: {result!r} {self.stderr_lines!r}")
        return result[0]

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            self.stderr_lines.append(raw.decode(errors="replace").rstrip("\n"))

    def stderr_has(self, text: str, timeout: float = 5.0) -> bool:
        """Whether a stderr line contains ``text``, waiting a little for the reader thread."""
        deadline = time.monotonic() + timeout
        while True:
            if any(text in line for line in list(self.stderr_lines)):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def call(self, method: str, request: Any, timeout: float = 60.0) -> Any:
        """One RPC; a failure is a :class:`ProviderRpcError` with the partial state, if any."""
        try:
            return getattr(self.stub, method)(request, timeout=timeout)
        except grpc.RpcError as exc:
            trailing = exc.trailing_metadata() if hasattr(exc, "trailing_metadata") else None
            raise ProviderRpcError(exc.code(), exc.details() or "", init_failed_of(trailing)) from None

    def close(self) -> None:
        """Close the channel and end the child we started (by its handle)."""
        channel = getattr(self, "channel", None)
        if channel is not None:
            channel.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._stderr_thread.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self: _Process) -> _Process:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DynamicProviderHost(ProviderProcess):
    """One ``python -m pulumi.dynamic`` child, reached over gRPC; stop it with :meth:`close`."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        child_env = dict(os.environ if env is None else env)
        child_env.setdefault("PULUMI_PROJECT", "cdn-refresh-test")
        super().__init__([sys.executable, "-u", "-m", "pulumi.dynamic"], child_env, what="pulumi.dynamic")

    # --- the protocol ------------------------------------------------------------------------

    def configure(self, config: Mapping[str, Any]) -> provider_pb2.ConfigureResponse:
        variables = {key: value if isinstance(value, str) else str(value) for key, value in config.items()}
        request = provider_pb2.ConfigureRequest(variables=variables, args=to_struct(config))
        return self.call("Configure", request)

    def check(
        self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        request = provider_pb2.CheckRequest(urn=urn, olds=to_struct(olds), news=to_struct(news))
        response = self.call("Check", request)
        failures = [(failure.property, failure.reason) for failure in response.failures]
        return from_struct(response.inputs), failures

    def diff(
        self, urn: str, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> provider_pb2.DiffResponse:
        request = provider_pb2.DiffRequest(urn=urn, id=id_, olds=to_struct(olds), news=to_struct(news))
        return self.call("Diff", request)

    def create(self, urn: str, props: Mapping[str, Any], timeout: float = 60.0) -> tuple[str, dict[str, Any]]:
        request = provider_pb2.CreateRequest(urn=urn, properties=to_struct(props))
        response = self.call("Create", request, timeout=timeout)
        return response.id, from_struct(response.properties)

    def read(
        self, urn: str, id_: str, props: Mapping[str, Any], inputs: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        request = provider_pb2.ReadRequest(
            urn=urn, id=id_, properties=to_struct(props), inputs=to_struct(inputs)
        )
        response = self.call("Read", request)
        return response.id, from_struct(response.properties), from_struct(response.inputs)

    def update(
        self, urn: str, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any], timeout: float = 60.0
    ) -> dict[str, Any]:
        request = provider_pb2.UpdateRequest(urn=urn, id=id_, olds=to_struct(olds), news=to_struct(news))
        response = self.call("Update", request, timeout=timeout)
        return from_struct(response.properties)

    def delete(self, urn: str, id_: str, props: Mapping[str, Any]) -> None:
        request = provider_pb2.DeleteRequest(urn=urn, id=id_, properties=to_struct(props))
        self.call("Delete", request)
