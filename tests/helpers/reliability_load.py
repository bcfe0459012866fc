"""Load: several stacks at once (threads, one CdnClient each) submit and wait on the emulator's real server.

Shared by tests/reliability/test_load.py (scaled down) and benchmarks/bench_load.py (10,000 paths).
QPS limits are on in the server (one account for every stack, as several stacks of one account would
be), so the stacks' combined listing rate is throttled and retried. Each stack submits its own
paths (one domain per stack); with ``overlap`` a stack also waits on the next stack's paths.
"""

from __future__ import annotations

import resource
import threading
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.models import RefreshTask
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh


@dataclass
class LoadResult:
    """What a load run did and cost."""

    stacks: int
    paths: int
    waited: int
    seconds: float
    submit_seconds: float
    wait_seconds: list[float]
    calls: Counter[str]
    served: Counter[str]
    errors: Counter[str]
    failures: list[str] = field(default_factory=list)
    traced_peak_mib: float = 0.0
    max_rss_mib: float = 0.0

    def lines(self) -> list[str]:
        waits = ", ".join(f"{s:.1f}" for s in self.wait_seconds)
        return [
            f"{self.stacks} stacks, {self.paths} paths submitted, {self.waited} path-waits, "
            f"{self.seconds:.1f}s wall (submit {self.submit_seconds:.1f}s, waits {waits}s)",
            f"client calls: {dict(sorted(self.calls.items()))}",
            f"server answers: {dict(sorted(self.served.items()))}; error answers: {dict(self.errors)}",
            f"memory: tracemalloc peak {self.traced_peak_mib:.1f} MiB, max RSS {self.max_rss_mib:.1f} MiB",
            f"failures: {self.failures or 'none'}",
        ]


def run_load(
    *,
    stacks: int = 4,
    paths_per_stack: int = 2_500,
    overlap: bool = False,
    complete_after: float = 10.0,
    complete_after_polls: int | None = None,
    qps_limits: bool | float = True,
    poll_initial: float = 1.0,
    poll_max: float = 5.0,
    timeout: float = 600.0,
    trace_memory: bool = True,
) -> LoadResult:
    """Run ``stacks`` threads against one served emulator; collect times, calls and memory."""
    if trace_memory:
        tracemalloc.start()
    emulator = Emulator(
        complete_after=complete_after,
        complete_after_polls=complete_after_polls,
        qps_limits=qps_limits,
        quotas=False,
        seed=1,
    )
    domains = [f"stack{i}.example.com" for i in range(stacks)]
    paths = {
        d: [f"http://{d}/assets/{n:05d}/app.{n % 7}.js" for n in range(paths_per_stack)] for d in domains
    }
    failures: list[str] = []
    wait_seconds = [0.0] * stacks
    submit_done = [0.0] * stacks
    calls: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(stacks)
    started = time.monotonic()
    since = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=1)
    waited = 0

    with emulator.serve() as server:

        def stack(index: int) -> None:
            nonlocal waited
            domain = domains[index]
            mine = paths[domain]
            wanted = mine + (paths[domains[(index + 1) % stacks]] if overlap and stacks > 1 else [])
            client = CdnClient(
                endpoint=server.url, credentials=Credentials("testid", "testsecret"), timeout=10
            )
            try:
                client.refresh_object_caches(mine)
                submit_done[index] = time.monotonic() - started
                barrier.wait(timeout=timeout)
                t0 = time.monotonic()
                tasks: list[RefreshTask] = wait_for_refresh(
                    wanted,
                    since=since,
                    client=client,
                    timeout=timeout,
                    poll_initial=poll_initial,
                    poll_max=poll_max,
                )
                wait_seconds[index] = time.monotonic() - t0
                if [t.object_path for t in tasks] != wanted or not all(t.status.is_complete for t in tasks):
                    raise AssertionError(f"stack {index}: wrong answer")
                with lock:
                    waited += len(wanted)
            except Exception as error:
                with lock:
                    failures.append(f"stack {index}: {type(error).__name__}: {error}")
                barrier.abort()
            finally:
                with lock:
                    calls.update(client.call_counts)
                client.close()

        threads = [threading.Thread(target=stack, args=(i,), name=f"stack-{i}") for i in range(stacks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    seconds = time.monotonic() - started
    peak = 0.0
    if trace_memory:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return LoadResult(
        stacks=stacks,
        paths=stacks * paths_per_stack,
        waited=waited,
        seconds=seconds,
        submit_seconds=max(submit_done),
        wait_seconds=wait_seconds,
        calls=calls,
        served=Counter(emulator.requests_served),
        errors=Counter(emulator.errors_returned),
        failures=failures,
        traced_peak_mib=peak,
        max_rss_mib=rss,
    )


__all__ = ["LoadResult", "run_load"]
