"""Progress lines to the engine: ``Engine.Log`` at the address the engine started the plugin with.

Each line of a wait goes to the resource it belongs to (its URN) as an ephemeral info message: the
CLI shows it beside the resource while it waits, as other providers show their progress. Without an
engine address (the plugin run by hand), or when the engine does not answer, lines go to stderr,
which the engine shows too.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Final

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from alicloud_cdn_refresh.pulumi.progress import Report

__all__ = ["EngineLog"]

_LOG_TIMEOUT: Final = 5.0
"""Seconds one Log call may take before the line goes to stderr instead."""


class EngineLog:
    """A client of the engine's ``Log`` (sync: waits call it from their own threads)."""

    def __init__(self, address: str | None) -> None:
        self.address = address or None
        self._channel: grpc.Channel | None = None
        self._stub: Any = None
        self._lock = threading.Lock()
        if self.address is not None:
            self._channel = grpc.insecure_channel(self.address)
            self._stub = engine_pb2_grpc.EngineStub(self._channel)

    def log(self, message: str, *, urn: str = "", ephemeral: bool = False, error: bool = False) -> None:
        """One message for the engine (or stderr)."""
        if self._stub is not None:
            severity = engine_pb2.ERROR if error else engine_pb2.INFO
            request = engine_pb2.LogRequest(severity=severity, message=message, urn=urn, ephemeral=ephemeral)
            try:
                self._stub.Log(request, timeout=_LOG_TIMEOUT)
                return
            except grpc.RpcError:
                pass
        with self._lock:
            print(message, file=sys.stderr, flush=True)

    def reporter(self, urn: str) -> Report:
        """Where the progress lines of one resource's wait go."""

        def report(line: str) -> None:
            self.log(line, urn=urn, ephemeral=True)

        return report

    def close(self) -> None:
        """Close the channel to the engine."""
        if self._channel is not None:
            self._channel.close()
