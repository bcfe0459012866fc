"""Requests per second of signed DescribeRefreshTasks against the emulator server, QPS limits off.

The server runs in its own process (``python -m alicloud_cdn_refresh.emulator``), a few thousand
tasks are stored through the API, then client processes (bare httpx + V3Signer, requests signed
before the clock starts) fire a mix of waiter-like queries over keep-alive connections.

    .venv/bin/python benchmarks/bench_emulator_throughput.py [--tasks 5000] [--requests 3000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "provider"))

from alicloud_cdn_refresh import limits, products  # noqa: E402
from alicloud_cdn_refresh.client.signers import V3Signer  # noqa: E402
from alicloud_cdn_refresh.credentials.chain import Credentials  # noqa: E402
from alicloud_cdn_refresh.signatures import FORM_CONTENT_TYPE  # noqa: E402

TARGET = 1_000.0
DOMAINS = 20


def _signed(client: httpx.Client, signer: V3Signer, action: str, params: dict[str, str]) -> httpx.Request:
    headers = {"x-acs-action": action, "x-acs-version": products.API_VERSION}
    if action == products.Action.REFRESH_OBJECT_CACHES:
        headers["content-type"] = FORM_CONTENT_TYPE
        request = client.build_request("POST", "/", headers=headers, content=urlencode(params))
    else:
        request = client.build_request("POST", "/", headers=headers, params=params)
    flow = signer.auth_flow(request)
    return next(flow)


def _query(i: int, tasks: int) -> dict[str, str]:
    n = (i * 7919) % tasks
    kind = i % 4
    if kind == 0:  # the waiter's per-path poll
        return {"ObjectPath": f"http://d{n % DOMAINS}.example.com/obj/{n}.js"}
    if kind == 1:  # a domain's newest file tasks
        return {"DomainName": f"d{n % DOMAINS}.example.com", "ObjectType": "file", "PageSize": "50"}
    if kind == 2:  # the default first page of the last 3 days
        return {}
    return {"ObjectPath": f"http://d{n % DOMAINS}.example.com/obj/{n}.js", "PageSize": "100"}


def _load(
    url: str, worker: int, threads: int, per_thread: int, tasks: int, start: mp.Barrier, out: mp.Queue
) -> None:
    signer = V3Signer(Credentials("testid", "testsecret"))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(thread: int, ready: threading.Barrier) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            requests = [
                _signed(
                    client,
                    signer,
                    products.Action.DESCRIBE_REFRESH_TASKS,
                    _query(worker * 100_000 + thread * 10_000 + i, tasks),
                )
                for i in range(per_thread)
            ]
            client.send(
                _signed(client, signer, products.Action.DESCRIBE_REFRESH_QUOTA, {})
            )  # open the connection
            ready.wait()
            got = [client.send(request).status_code for request in requests]
        with lock:
            statuses.extend(got)

    ready = threading.Barrier(threads + 1)
    pool = [threading.Thread(target=run, args=(t, ready)) for t in range(threads)]
    for thread in pool:
        thread.start()
    start.wait()  # every process has signed its requests
    ready.wait()
    began = time.perf_counter()
    for thread in pool:
        thread.join()
    out.put((began, time.perf_counter(), statuses))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5_000, help="tasks stored before measuring")
    parser.add_argument("--requests", type=int, default=4_000, help="DescribeRefreshTasks requests in total")
    parser.add_argument("--processes", type=int, default=1, help="client processes")
    parser.add_argument("--threads", type=int, default=4, help="client threads (connections) per process")
    args = parser.parse_args()

    env = {**os.environ, "PYTHONPATH": str(ROOT / "provider")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alicloud_cdn_refresh.emulator",
            "--no-qps-limits",
            "--no-quotas",
            "--seed",
            "1",
            "--complete-after",
            "300",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        signer = V3Signer(Credentials("testid", "testsecret"))
        with httpx.Client(base_url=url, timeout=30) as client:
            paths = [f"http://d{n % DOMAINS}.example.com/obj/{n}.js" for n in range(args.tasks)]
            for chunk in range(0, len(paths), limits.MAX_REFRESH_PATHS_PER_CALL):
                body = {"ObjectPath": "\n".join(paths[chunk : chunk + limits.MAX_REFRESH_PATHS_PER_CALL])}
                response = client.send(_signed(client, signer, products.Action.REFRESH_OBJECT_CACHES, body))
                response.raise_for_status()
            check = client.send(_signed(client, signer, products.Action.DESCRIBE_REFRESH_TASKS, {})).json()
            stored = check["TotalCount"]

        per_thread = max(1, args.requests // (args.processes * args.threads))
        start = mp.Barrier(args.processes)
        out: mp.Queue = mp.Queue()
        workers = [
            mp.Process(target=_load, args=(url, w, args.threads, per_thread, args.tasks, start, out))
            for w in range(args.processes)
        ]
        for worker in workers:
            worker.start()
        results = [out.get(timeout=600) for _ in workers]
        for worker in workers:
            worker.join()
    finally:
        server.terminate()
        server.wait(10)

    began = min(r[0] for r in results)
    ended = max(r[1] for r in results)
    statuses = [s for r in results for s in r[2]]
    ok = sum(1 for s in statuses if s == 200)
    rate = len(statuses) / (ended - began)
    print(f"emulator server: separate process, QPS limits off, {stored} tasks stored")
    print(
        f"load: {args.processes} client process(es) x {args.threads} keep-alive connections, "
        f"{len(statuses)} V3-signed DescribeRefreshTasks (path / domain+type / first page mix), "
        f"{ok} answered 200"
    )
    print(f"cores: {os.cpu_count()}")
    verdict = "meets" if rate >= TARGET and ok == len(statuses) else "BELOW"
    print(f"throughput: {rate:,.0f} req/s   target: {TARGET:,.0f} req/s   -> {verdict} the target")
    return 0 if verdict == "meets" else 1


if __name__ == "__main__":
    sys.exit(main())
