"""An ``httpx.BaseTransport`` that answers from the emulator in-process (no sockets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from alicloud_cdn_refresh.clock import Clock

from .request import EmulatorRequest

if TYPE_CHECKING:
    from .app import EmulatorApp

__all__ = ["EmulatorTransport"]


class EmulatorTransport(httpx.BaseTransport):
    """Hand each request to the emulator's handler; faults become what httpx would raise.

    A slow answer sleeps on the emulator's clock (a manual clock just moves); when it is slower
    than the request's read timeout, the transport sleeps the timeout and raises
    ``httpx.ReadTimeout``. A dropped connection raises ``httpx.RemoteProtocolError``.
    """

    def __init__(self, app: EmulatorApp, clock: Clock) -> None:
        self._app = app
        self._clock = clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer one request."""
        body = request.read()
        target = request.url.raw_path.decode("ascii")
        emulated = EmulatorRequest.build(request.method, target, request.headers.multi_items(), body)
        response = self._app.handle(emulated)
        if response.delay:
            timeout = request.extensions.get("timeout", {}).get("read")
            if timeout is not None and response.delay >= timeout:
                self._clock.sleep(timeout)
                raise httpx.ReadTimeout("timed out waiting for the emulator's slow answer", request=request)
            self._clock.sleep(response.delay)
        if response.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return httpx.Response(
            response.status,
            headers=response.headers,
            content=response.body,
            request=request,
        )
