"""Client-process CPU time per DescribeRefreshTasks call (a page of 100 tasks), side by side.

Three clients against the same local server in another process (a stdlib ``http.server`` that
answers every request with one canned 100-task body, so the server's cost is not measured):

* ``floor``   bare httpx + ``json.loads`` of the same (unsigned) request;
* ``CdnClient`` signed (V3 and V1), sent, parsed into typed ``RefreshTask`` values;
* ``official SDK`` ``alibabacloud-cdn20180510``'s ``describe_refresh_tasks`` (V3 signature).

Each is warmed up, then timed with ``time.process_time()`` over ``--calls`` calls; the rounds are
interleaved and each client's best round is kept, to damp noise. Run:

    .venv/bin/python benchmarks/bench_client_cpu.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable

import httpx

SERVER = r"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
tasks = [{"TaskId": str(17000000000 + i // 10), "ObjectPath": f"https://www.example.com/static/app/{i}/file-{i}.js",
          "Status": ("Complete", "Refreshing", "Pending")[i % 3], "Process": f"{(i * 7) % 101}%",
          "ObjectType": "file", "CreationTime": f"2026-11-28T{i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d}Z",
          "Description": ""} for i in range(100)]
body = json.dumps({"Tasks": {"CDNTask": tasks}, "PageNumber": 1, "PageSize": 100, "TotalCount": 1234,
                   "RequestId": "5A9C3E2F-0000-4F1B-9C6A-0123456789AB"}).encode()
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-type", "application/json;charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""

PARAMS = {"ObjectType": "file", "PageNumber": "1", "PageSize": "100"}


def floor_client(url: str) -> tuple[Callable[[], object], Callable[[], None]]:
    http = httpx.Client(timeout=httpx.Timeout(10.0))

    def call() -> object:
        return json.loads(http.post(url + "/", params=PARAMS).content)

    return call, http.close


def cdn_client(url: str, version: str) -> tuple[Callable[[], object], Callable[[], None]]:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient
    from alicloud_cdn_refresh.credentials import Credentials

    client = CdnClient(
        endpoint=url,
        credentials=Credentials("testid", "testsecret"),
        signature_version=version,
        rate_limits={"DescribeRefreshTasks": 1e9},  # the limiter runs, but never waits
    )

    def call() -> object:
        page = client.describe_refresh_tasks(object_type="file", page_number=1, page_size=100)
        assert len(page.tasks) == 100
        return page

    return call, client.close


def sdk_client(url: str) -> tuple[Callable[[], object], Callable[[], None]]:
    from alibabacloud_cdn20180510.client import Client
    from alibabacloud_cdn20180510.models import DescribeRefreshTasksRequest
    from alibabacloud_tea_openapi.models import Config

    host = url.split("://", 1)[1]
    client = Client(
        Config(access_key_id="testid", access_key_secret="testsecret", endpoint=host, protocol="http")
    )
    request = DescribeRefreshTasksRequest(object_type="file", page_number=1, page_size=100)

    def call() -> object:
        response = client.describe_refresh_tasks(request)
        assert len(response.body.tasks.cdntask) == 100
        return response

    return call, lambda: None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="timed calls per round")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        clients = {
            "floor: httpx + json.loads (unsigned)": floor_client(url),
            "CdnClient (V3 signature, typed)": cdn_client(url, "v3"),
            "CdnClient (V1 signature, typed)": cdn_client(url, "v1"),
            "official SDK alibabacloud-cdn20180510": sdk_client(url),
        }
        for call, _ in clients.values():
            for _ in range(args.warmup):
                call()
        best = dict.fromkeys(clients, float("inf"))
        for _ in range(args.rounds):
            for name, (call, _) in clients.items():
                started = time.process_time()
                for _ in range(args.calls):
                    call()
                best[name] = min(best[name], (time.process_time() - started) / args.calls)
        for _, close in clients.values():
            close()
    finally:
        server.terminate()
        server.wait(timeout=5)

    floor = best["floor: httpx + json.loads (unsigned)"]
    print(
        f"client-process CPU per DescribeRefreshTasks call (100-task page), best of {args.rounds} "
        f"rounds x {args.calls} calls, server in another process"
    )
    print(f"{'client':<42} {'us/call':>9} {'x floor':>8}")
    for name, seconds in best.items():
        print(f"{name:<42} {seconds * 1e6:>9.0f} {seconds / floor:>8.2f}")
    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}")


if __name__ == "__main__":
    main()
