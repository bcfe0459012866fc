"""The emulator as a real HTTP/1.1 server (threads, keep-alive), loopback by default."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from alicloud_cdn_refresh.error_codes import API_ERRORS

from .request import EmulatorRequest

if TYPE_CHECKING:
    from .app import EmulatorApp

__all__ = ["EmulatorServer", "is_loopback"]

log = logging.getLogger(__name__)

_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    414: "URI Too Long",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_MAX_BODY = 16 * 1024 * 1024
"""The largest request body read (1,000 paths of 1,024 characters are about 1 MiB)."""


def _http_error(status: int, message: str | None, method: str | None) -> tuple[str, str]:
    """The API error code and a message for a user, of an answer http.server would give as HTML."""
    if status == 501:
        shown = (method or "?")[:20]
        return (
            "UnsupportedHTTPMethod",
            f"The HTTP method {shown} is not supported; the API takes GET and POST.",
        )
    if status == 413:
        return (
            "RequestTooLarge",
            "The request body is larger than the 16 MiB accepted; send fewer paths a call.",
        )
    reason = (message or _REASONS.get(status, "not understood")).rstrip(".")
    return "MalformedRequest", f"The request is not well-formed HTTP: {reason}."


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "alicloud-cdn-refresh-emulator"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 60.0  # an idle keep-alive connection is closed after this long
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        request = EmulatorRequest.build(self.command, self.path, self.headers.items(), body)
        response = self.server.app.handle(request)
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self.close_connection = True
            return
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Error')}"]
        lines += [f"{name}: {value}" for name, value in response.headers.items()]
        lines.append(f"Content-Length: {len(response.body)}")
        lines.append(f"Date: {self.date_time_string()}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + response.body)
        log.debug("%s %s -> %s %s", self.command, response.action, response.status, response.code)

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering a malformed or oversized one."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        declared = (self.headers.get("Content-Length") or "0").strip()
        if not declared.isdigit():
            self.send_error(400, "its Content-Length header is not a number")
            return None
        length = int(declared)
        if length > _MAX_BODY:
            self.send_error(413)  # not read: the connection is closed instead
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                size = int(self.rfile.readline(64).split(b";")[0].strip() or b"0", 16)
            except ValueError:
                self.send_error(400, "a chunk size of its chunked body is not a hexadecimal number")
                return None
            if size == 0:
                while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            total += size
            if total > _MAX_BODY:
                self.send_error(413)
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(64)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every answer outside the API (a malformed request, a method no handler takes, an oversized
        body) in the API's JSON error shape, never http.server's HTML page; the connection is closed."""
        from .app import error_body

        api_code, text = _http_error(code, message, self.command)
        status = API_ERRORS[api_code].http_status if code == 501 else code
        request_id = str(uuid.uuid4()).upper()
        body = json.dumps(error_body(api_code, request_id, text), separators=(",", ":")).encode("utf-8")
        self.close_connection = True
        try:
            self.send_response(status, _REASONS.get(status, "Error"))
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("x-acs-request-id", request_id)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:  # the client is gone
            pass

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        # The request line carries V1 signatures and STS tokens: never log it.
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: EmulatorApp) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)

    def track(self, connection: socket.socket, alive: bool) -> None:
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up is its own business; anything else is logged without the request.
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        log.exception("emulator: error while serving a request")


class EmulatorServer:
    """A running emulator server; a context manager that stops it on exit."""

    def __init__(
        self, app: EmulatorApp, host: str = "127.0.0.1", port: int = 0, *, allow_remote: bool = False
    ) -> None:
        if not is_loopback(host) and not allow_remote:
            raise ValueError(
                f"host {host!r} is not a loopback address; the emulator accepts any request signed with "
                "its test keys, so it binds 127.0.0.1 unless allow_remote=True (--allow-remote)"
            )
        if not 0 <= port <= 65535:
            raise ValueError(f"port must be 0..65535 (0 = any free port), not {port}")
        self._server = _Server((host, port), app)
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def host(self) -> str:
        """The address the server is bound to."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The port the server is bound to."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` to point a client at."""
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """``HOST:PORT``, as the official SDK's ``Config(endpoint=...)`` takes it."""
        return self.url.removeprefix("http://")

    def start(self) -> EmulatorServer:
        """Serve in a background (daemon) thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.02},
                name="cdn-emulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`close` is called from another one."""
        self._server.serve_forever(poll_interval=0.02)

    def close(self) -> None:
        """Stop accepting, close open connections and the listening socket (idempotent)."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.close_connections()
        self._server.server_close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EmulatorServer(url={self.url!r})"
