"""The provider plugin beside ``python -m pulumi.dynamic``: start-up, a Check, and 16 waits at once.

Each process is started as the engine starts it (the plugin with a fake engine's address; the
dynamic provider host bare) and driven over gRPC with the test suite's rigs
(``tests/helpers/plugin_rig.py``, ``tests/helpers/pulumi_engine.py``) against the emulator's HTTP
server with its documented QPS limits. Rows:

- ``start to port``: from launching the process to its port on stdout (median of ``--starts``);
- ``Check round trip``: one RefreshWait Check on a started, configured process (median of ``--checks``);
- ``16 waits: all done``: 16 RefreshWait creates at once, one path each, every task Complete
  ``--refresh-seconds`` after it appears: seconds until the last create returned;
- ``16 waits: Check meanwhile``: the round trip of Checks sent every 0.2 s while those 16 wait
  (median and worst).

The dynamic host runs with the 64 worker threads this package gives it and, as a third column, with
its own 4 (``ALICLOUD_CDN_REFRESH_HOST_WORKERS=4``).

Run: ``.venv/bin/python benchmarks/bench_plugin.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "helpers"))

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.pulumi_resources import RefreshWaitProvider
from plugin_rig import FakeEngine, PluginProcess, executable
from pulumi_engine import DynamicProviderHost, serialized_provider

KEY, SECRET = "benchid", "bench-secret"
WAITS = 16
DYNAMIC_URN = "urn:pulumi:bench::bench::pulumi-python:dynamic/alicloud-cdn-refresh:RefreshWait::{}"


def _env(home: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALICLOUD_", "ALIBABA_CLOUD_"))}
    return {**env, "HOME": home, **extra}


def time_to_port(command: list[str], env: dict[str, str]) -> float:
    """Seconds from launching ``command`` to the first line of its stdout; the child is ended after."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        seconds = time.monotonic() - started
        assert line.strip().isdigit(), line
        return seconds
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@dataclass
class Face:
    """One host, reduced to what the benchmark does with it."""

    check: Callable[[int], None]
    create: Callable[[int, str], None]
    close: Callable[[], None]


def plugin_face(url: str, home: str) -> Face:
    engine = FakeEngine()
    plugin = PluginProcess(engine, _env(home))
    endpoints = json.dumps([{"cdn": url}])
    plugin.configure({"accessKey": KEY, "secretKey": SECRET, "endpoints": endpoints})

    def check(index: int) -> None:
        _, failures = plugin.check("RefreshWait", {"objectPaths": [f"http://www.example.com/c/{index}"]})
        assert not failures

    def create(index: int, path: str) -> None:
        props = {"objectPaths": [path], "timeoutSeconds": 600, "failOnFailed": True}
        plugin.create("RefreshWait", props, name=f"w{index}", rpc_timeout=600)

    def close() -> None:
        plugin.close()
        engine.close()

    return Face(check, create, close)


def dynamic_face(url: str, home: str, workers: int | None) -> Face:
    extra = {} if workers is None else {"ALICLOUD_CDN_REFRESH_HOST_WORKERS": str(workers)}
    host = DynamicProviderHost(_env(home, **extra))
    host.configure(
        {
            "alicloud:accessKey": KEY,
            "alicloud:secretKey": SECRET,
            "alicloud:endpoints": json.dumps([{"cdn": url}]),
        }
    )
    provider = serialized_provider(RefreshWaitProvider())

    def check(index: int) -> None:
        props = {"__provider": provider, "objectPaths": [f"http://www.example.com/c/{index}"]}
        _, failures = host.check(DYNAMIC_URN.format(f"c{index}"), {}, props)
        assert not failures

    def create(index: int, path: str) -> None:
        props = {"__provider": provider, "objectPaths": [path], "timeoutSeconds": 600, "failOnFailed": True}
        host.create(DYNAMIC_URN.format(index), props, timeout=600)

    return Face(check, create, host.close)


@dataclass(frozen=True)
class Figures:
    check: float
    all_done: float
    check_meanwhile: list[float]

    def cells(self) -> list[str]:
        meanwhile = self.check_meanwhile or [float("nan")]
        return [
            f"{self.check * 1000:.1f} ms",
            f"{self.all_done:.1f} s",
            f"{statistics.median(meanwhile) * 1000:.0f} ms (worst {max(meanwhile) * 1000:.0f} ms)",
        ]


def measure(make: Callable[[str, str], Face], checks: int, refresh_seconds: float) -> Figures:
    emulator = Emulator(access_keys={KEY: SECRET}, complete_after=refresh_seconds, qps_limits=True)
    with tempfile.TemporaryDirectory() as home, emulator.serve() as server:
        face = make(server.url, home)
        try:
            face.check(0)  # warm
            timings = []
            for index in range(checks):
                started = time.monotonic()
                face.check(index)
                timings.append(time.monotonic() - started)
            created = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
            paths = [f"http://www.example.com/bench/{time.time_ns()}/{i}.html" for i in range(WAITS)]
            for path in paths:
                emulator.seed_task(path, created=created)
            threads = [threading.Thread(target=face.create, args=item) for item in enumerate(paths)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            meanwhile: list[float] = []
            index = 0
            while any(thread.is_alive() for thread in threads):
                time.sleep(0.2)
                index += 1
                check_started = time.monotonic()
                face.check(1000 + index)
                if any(thread.is_alive() for thread in threads):
                    meanwhile.append(time.monotonic() - check_started)
            for thread in threads:
                thread.join()
            return Figures(statistics.median(timings), time.monotonic() - started, meanwhile)
        finally:
            face.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--checks", type=int, default=50)
    parser.add_argument("--refresh-seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        engine = FakeEngine()
        try:
            plugin_start = statistics.median(
                time_to_port([executable(), engine.address], _env(home)) for _ in range(args.starts)
            )
        finally:
            engine.close()
        dynamic_start = statistics.median(
            time_to_port([sys.executable, "-m", "pulumi.dynamic"], _env(home)) for _ in range(args.starts)
        )
    plugin = measure(plugin_face, args.checks, args.refresh_seconds)
    dynamic = measure(lambda url, home: dynamic_face(url, home, None), args.checks, args.refresh_seconds)
    four = measure(lambda url, home: dynamic_face(url, home, 4), args.checks, args.refresh_seconds)
    heads = ("plugin", "pulumi.dynamic (64 threads)", "pulumi.dynamic (4 threads)")
    rows = [
        ("start to port", [f"{plugin_start * 1000:.0f} ms", f"{dynamic_start * 1000:.0f} ms", "(same)"]),
        *zip(
            ("Check round trip", f"{WAITS} waits: all done", f"{WAITS} waits: Check meanwhile"),
            zip(plugin.cells(), dynamic.cells(), four.cells(), strict=True),
            strict=True,
        ),
    ]
    seconds = args.refresh_seconds
    print(f"each of {WAITS} tasks Complete {seconds:g}s after it appears; emulator with real QPS limits")
    print(f"{'':<28} | " + " | ".join(f"{head:<30}" for head in heads))
    print("-" * 128)
    for label, cells in rows:
        print(f"{label:<28} | " + " | ".join(f"{cell:<30}" for cell in cells))


if __name__ == "__main__":
    main()
