"""The engine's side of the plugin protocol, for the plugin tests: its property encoding and its ``Log``.

Property values are encoded by ``pulumi.runtime.rpc.serialize_properties`` with the secrets feature
on, so secrets (:class:`Secret`, sent as ``Output.secret``) and unknowns (:data:`UNKNOWN`, an
``Output`` not known) travel in the engine's real encoding; answers are decoded back into plain
values plus the keys that came back secret. :class:`FakeEngine` is a gRPC ``Engine`` service that
records what a provider logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator, Mapping
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
import pulumi
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime import rpc, settings
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2

__all__ = ["UNKNOWN", "Answer", "FakeEngine", "Logged", "Secret", "decode", "encode"]


# --------------------------------------------------------------------------- property values


@dataclass(frozen=True)
class Secret:
    """A value the program made secret: sent as ``pulumi.Output.secret(value)``."""

    value: Any


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()
"""A value not known yet (a preview's): sent as an ``Output`` that is not known."""


def _unknown_output() -> pulumi.Output[Any]:
    loop = asyncio.get_running_loop()
    value: asyncio.Future[Any] = loop.create_future()
    known: asyncio.Future[bool] = loop.create_future()
    value.set_result(None)
    known.set_result(False)
    return pulumi.Output(set(), value, known)


def _as_outputs(value: Any) -> Any:
    """:class:`Secret` and :data:`UNKNOWN` as the Outputs a program would have (made on the running loop)."""
    if isinstance(value, Secret):
        return pulumi.Output.secret(_as_outputs(value.value))
    if value is UNKNOWN:
        return _unknown_output()
    if isinstance(value, dict):
        return {key: _as_outputs(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_outputs(item) for item in value]
    return value


@contextlib.contextmanager
def _secrets_supported() -> Iterator[None]:
    """The SDK serializes secrets as secrets only when its monitor supports them: say it does."""
    before = set(settings.SETTINGS.monitor_features or set())
    settings.SETTINGS.monitor_features = before | {resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS}
    try:
        yield
    finally:
        settings.SETTINGS.monitor_features = before


def encode(values: Mapping[str, Any] | None) -> struct_pb2.Struct:
    """A property map as the engine sends it (``values`` may hold :class:`Secret` and :data:`UNKNOWN`
    anywhere), serialized by the SDK's own ``serialize_properties``."""

    async def run() -> struct_pb2.Struct:
        return await rpc.serialize_properties(_as_outputs(dict(values or {})), {})

    with _secrets_supported():
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(run())
        finally:
            loop.close()


def _plain(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return _plain(value["value"])[0], True
        items = {key: _plain(item) for key, item in value.items()}
        return {key: item for key, (item, _) in items.items()}, any(s for _, s in items.values())
    if isinstance(value, list):
        items_list = [_plain(item) for item in value]
        return [item for item, _ in items_list], any(s for _, s in items_list)
    return value, False


@dataclass
class Answer:
    """A property map the plugin answered: plain values, and the keys that came back secret."""

    values: dict[str, Any]
    secrets: set[str] = field(default_factory=set)


def decode(struct: struct_pb2.Struct) -> Answer:
    raw = json_format.MessageToDict(struct)
    answer = Answer({})
    for key, item in raw.items():
        answer.values[key], secret = _plain(item)
        if secret:
            answer.secrets.add(key)
    return answer


# --------------------------------------------------------------------------- the fake engine


@dataclass(frozen=True)
class Logged:
    severity: int
    message: str
    urn: str
    ephemeral: bool


class FakeEngine(engine_pb2_grpc.EngineServicer):
    """The engine's ``Engine`` service, enough for a provider: ``Log`` is recorded."""

    def __init__(self) -> None:
        self.logs: list[Logged] = []
        self._lock = threading.Lock()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        engine_pb2_grpc.add_EngineServicer_to_server(self, self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def Log(self, request: engine_pb2.LogRequest, context: Any) -> empty_pb2.Empty:
        with self._lock:
            self.logs.append(Logged(request.severity, request.message, request.urn, request.ephemeral))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> engine_pb2.GetRootResourceResponse:
        return engine_pb2.GetRootResourceResponse(urn="")

    def messages(self, urn: str | None = None) -> list[str]:
        with self._lock:
            return [log.message for log in self.logs if urn is None or log.urn == urn]

    def close(self) -> None:
        self.server.stop(grace=None)
