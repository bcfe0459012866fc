"""N RefreshWait resources of one path each versus one RefreshWait of N paths, through the real host.

Each case starts ``python -m pulumi.dynamic`` as the engine does and drives it over gRPC (the
test suite's ``DynamicProviderHost``) against the emulator's HTTP server with its documented QPS
limits (DescribeRefreshTasks / DescribeRefreshTaskById at their real per-second rates; a call over
the rate is answered ``Throttling`` and retried by the client). Every path has its own task,
created one second after the case starts and Complete ``--refresh-seconds`` later.

For N = 1, 4, 8, 16 it prints, side by side:

- ``N resources``: N creates at once, one path each (what a program with one RefreshWait per file
  declares), in a host whose worker limit this package lifted (64 threads);
- ``N resources, 4 workers``: the same with the host left at its own 4 worker threads
  (``ALICLOUD_CDN_REFRESH_HOST_WORKERS=4``), as before issue 12;
- ``1 resource, N paths``: one create waiting for all N paths in one polling loop;

each as wall time until every create returned, the API calls the emulator answered (throttled
ones included) and how many of them were ``Throttling``.

Run: ``.venv/bin/python benchmarks/bench_pulumi_waits.py`` (about two minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.pulumi_resources import RefreshWaitProvider
from pulumi_engine import DynamicProviderHost, serialized_provider

KEY, SECRET = "benchid", "bench-secret"
URN = "urn:pulumi:bench::bench::pulumi-python:dynamic/alicloud-cdn-refresh:RefreshWait::{}"


@dataclass(frozen=True)
class Result:
    seconds: float
    calls: int
    throttled: int

    def cell(self) -> str:
        return f"{self.seconds:6.1f}s {self.calls:4d} calls ({self.throttled} throttled)"


def _host(url: str, workers: int | None, home: Path) -> DynamicProviderHost:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALICLOUD_", "ALIBABA_CLOUD_"))}
    env["HOME"] = str(home)
    if workers is not None:
        env["ALICLOUD_CDN_REFRESH_HOST_WORKERS"] = str(workers)
    host = DynamicProviderHost(env)
    host.configure(
        {
            "alicloud:accessKey": KEY,
            "alicloud:secretKey": SECRET,
            "alicloud:endpoints": json.dumps([{"cdn": url}]),
        }
    )
    return host


def run_case(groups: Sequence[Sequence[str]], *, workers: int | None, refresh_seconds: float) -> Result:
    """One create per group of paths, all at once; each path has its own task."""
    emulator = Emulator(access_keys={KEY: SECRET}, complete_after=refresh_seconds, qps_limits=True)
    provider = serialized_provider(RefreshWaitProvider())
    with tempfile.TemporaryDirectory() as home, emulator.serve() as server:
        host = _host(server.url, workers, Path(home))
        try:
            checked = []
            for index, paths in enumerate(groups):
                props = {"__provider": provider, "objectPaths": list(paths), "timeoutSeconds": 600}
                inputs, failures = host.check(URN.format(index), {}, props)
                assert not failures, failures
                checked.append(inputs)
            created = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
            for paths in groups:
                for path in paths:
                    emulator.seed_task(path, created=created)
            before = sum(emulator.requests_served.values())
            throttled_before = emulator.errors_returned["Throttling"]
            errors: list[BaseException] = []

            def create(index: int, inputs: dict[str, object]) -> None:
                try:
                    host.create(URN.format(index), inputs, timeout=600)
                except BaseException as exc:  # reported after the join
                    errors.append(exc)

            started = time.monotonic()
            threads = [threading.Thread(target=create, args=item) for item in enumerate(checked)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.monotonic() - started
            if errors:
                raise errors[0]
            calls = sum(emulator.requests_served.values()) - before
            return Result(seconds, calls, emulator.errors_returned["Throttling"] - throttled_before)
        finally:
            host.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,8,16")
    parser.add_argument("--refresh-seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    sizes = [int(item) for item in args.sizes.split(",")]
    print(f"each task Complete {args.refresh_seconds:g}s after it appears; emulator with real QPS limits")
    heads = ("N resources (lifted)", "N resources, 4 workers", "1 resource, N paths")
    print(f"{'N':>3} | " + " | ".join(f"{head:<34}" for head in heads))
    print("-" * 114)
    for n in sizes:
        paths = [f"http://www.example.com/bench/{n}/{i}.html" for i in range(n)]
        lifted = run_case([[p] for p in paths], workers=None, refresh_seconds=args.refresh_seconds)
        kept = run_case([[p] for p in paths], workers=4, refresh_seconds=args.refresh_seconds)
        single = run_case([paths], workers=None, refresh_seconds=args.refresh_seconds)
        print(f"{n:>3} | {lifted.cell():<34} | {kept.cell():<34} | {single.cell():<34}", flush=True)


if __name__ == "__main__":
    main()
