"""Issue 16: the emulator answers every request in the API's JSON error shape, whatever arrives: an
unsupported method, a malformed or oversized body, a request line that is not HTTP. Never an HTML
page, never a dropped connection; its texts speak to a user."""

from __future__ import annotations

import contextlib
import json
import socket

import pytest

from alicloud_cdn_refresh.emulator import Emulator

ERROR_KEYS = {"RequestId", "HostId", "Code", "Message", "Recommend"}


@pytest.fixture(scope="module")
def address():
    with Emulator(qps_limits=False, seed=2).serve() as server:
        yield server.host, server.port


def exchange(address, data: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """Send raw bytes, read until the server closes; (status or None for HTTP/0.9, headers, body)."""
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(data)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    if not received.startswith(b"HTTP/1."):
        return None, {}, received
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def api_error(body: bytes) -> dict[str, str]:
    assert b"<html" not in body.lower()
    document = json.loads(body)
    assert set(document) == ERROR_KEYS
    assert "Traceback" not in document["Message"]
    return document


@pytest.mark.parametrize(
    ("request_bytes", "status", "code", "says"),
    [
        (b"PATCH / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "UnsupportedHTTPMethod", "PATCH is not supported"),
        (b"OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n", 405, "UnsupportedHTTPMethod", "takes GET and POST"),
        (b"PUT / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405, "UnsupportedHTTPMethod", "PUT"),
        (
            b"DELETE /?Action=DescribeRefreshQuota HTTP/1.1\r\nConnection: close\r\n\r\n",
            405,
            "UnsupportedHTTPMethod",
            "",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            400,
            "MalformedRequest",
            "Content-Length",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            400,
            "MalformedRequest",
            "not a number",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
            "MalformedRequest",
            "chunk size",
        ),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
            413,
            "RequestTooLarge",
            "larger than the 16 MiB",
        ),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "MalformedRequest", "not well-formed HTTP"),
    ],
)
def test_every_answer_is_the_apis_json_error_shape(address, request_bytes, status, code, says):
    got_status, headers, body = exchange(address, request_bytes)
    assert got_status == status, body
    assert headers["content-type"].startswith("application/json")
    assert headers["connection"] == "close"
    document = api_error(body)
    assert document["Code"] == code
    assert says in document["Message"]
    assert document["RequestId"] == headers["x-acs-request-id"]


def test_an_oversized_chunked_body_is_refused_as_it_arrives(address):
    head = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"1000000\r\n" + b"a" * 0x1000000 + b"\r\n"  # 16 MiB: the second one is over the limit
    with socket.create_connection(address, timeout=30) as connection:
        connection.sendall(head + chunk)
        with contextlib.suppress(OSError):
            connection.sendall(b"1\r\na\r\n0\r\n\r\n")
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 413 "), received[:200]


@pytest.mark.parametrize(
    ("line", "says"),
    [(b"GARBAGE", "Bad request syntax"), (b"GET / HTTP/2.0", "Invalid HTTP version (2.0)")],
)
def test_a_request_line_that_is_not_http_1_still_gets_json(address, line, says):
    status, _, body = exchange(address, line + b"\r\n\r\n")
    assert status is None  # http.server answers these as HTTP/0.9: no status line
    document = api_error(body)
    assert document["Code"] == "MalformedRequest"
    assert says in document["Message"]


def test_head_gets_headers_only(address):
    status, headers, body = exchange(address, b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 405
    assert body == b""
    assert int(headers["content-length"]) > 0


def test_in_process_the_same_methods_are_refused():
    response = Emulator(qps_limits=False).handle("PATCH", "/?Action=DescribeRefreshQuota", {})
    assert response.status == 405
    assert api_error(response.body)["Code"] == "UnsupportedHTTPMethod"
