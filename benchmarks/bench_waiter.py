"""API calls per polling round: wait_for_refresh versus a naive per-path waiter, on the emulator.

Everything runs in-process against the emulator with its documented QPS limits, the real client
(signing, rate limiting, retries) and one ManualClock, so a 5-minute refresh takes seconds.

For N = 10, 1,000 and 10,000 paths on one domain, two ways the tasks can exist:

- ``merged``: submitted through RefreshObjectCaches (1,000 a call), so the API merges them under
  a few task ids (one domain, one second, up to 2,000 URLs an id);
- ``one id each``: every path its own task (seeded), so the waiter has to list the domain.

Printed per case: the waiter's calls in round 1 and per later round, its rounds and total calls,
the naive waiter's calls per round (one DescribeRefreshTasks per path) and how long one naive round
takes at 5 QPS, the ratio, the delay from the last task turning Complete to the waiter returning,
Throttling answers, and peak traced memory of the wait (tracemalloc; includes the emulator's own).

Run: ``.venv/bin/python benchmarks/bench_waiter.py`` (about a minute).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
from dataclasses import dataclass
from datetime import datetime, timezone

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.limits import MAX_REFRESH_PATHS_PER_CALL, QPS_LIMITS
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.waiter.loop import WaitProgress, wait_for_refresh

REFRESH_SECONDS = 300.0
START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
LIST = Action.DESCRIBE_REFRESH_TASKS
BY_ID = Action.DESCRIBE_REFRESH_TASK_BY_ID


@dataclass
class Row:
    n: int
    kind: str
    ids: int
    first_round: int
    per_round: float
    ok_round: float
    max_ok: int
    rounds: int
    calls: int
    naive_round: int
    naive_seconds: float
    latency: float
    total: float
    throttled: int
    peak_mb: float
    wall: float


def rig() -> tuple[ManualClock, Emulator, CdnClient]:
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, complete_after=REFRESH_SECONDS, quotas=False, seed=1)
    client = CdnClient(
        credentials=Credentials("testid", "testsecret"), transport=emulator.transport(), clock=clock
    )
    return clock, emulator, client


def run_waiter(n: int, kind: str) -> Row:
    clock, emulator, client = rig()
    paths = [f"http://static.example.com/assets/{i:05d}.js" for i in range(n)]
    since = clock.now()
    if kind == "merged":
        ids: set[str] = set()
        for i in range(0, n, MAX_REFRESH_PATHS_PER_CALL):
            ids.update(client.refresh_object_caches(paths[i : i + MAX_REFRESH_PATHS_PER_CALL]))
    else:
        ids = {emulator.seed_task(path) for path in paths}
    last_complete = max(t.creation_time for t in emulator.tasks()).timestamp() + REFRESH_SECONDS
    client.call_counts.clear()
    emulator.errors_returned.clear()

    per_round: list[int] = []
    ok_round: list[int] = []
    seen = [0, 0]

    def on_progress(_: WaitProgress) -> None:
        total = sum(client.call_counts.values())
        throttled = emulator.errors_returned["Throttling"]
        per_round.append(total - seen[0])
        ok_round.append(per_round[-1] - (throttled - seen[1]))
        seen[:] = [total, throttled]

    wall = time.perf_counter()
    tracemalloc.start()
    tasks = wait_for_refresh(paths, since=since, client=client, on_progress=on_progress, timeout=3600)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall = time.perf_counter() - wall
    assert len(tasks) == n
    assert all(t.status.is_complete for t in tasks)
    returned = clock.now().timestamp()
    later = per_round[1:] or [0]
    later_ok = ok_round[1:] or [0]
    return Row(
        n=n,
        kind=kind,
        ids=len(ids),
        first_round=per_round[0],
        per_round=sum(later) / len(later),
        ok_round=sum(later_ok) / len(later_ok),
        max_ok=max(later_ok),
        rounds=len(per_round),
        calls=sum(per_round),
        naive_round=0,
        naive_seconds=0.0,
        latency=returned - last_complete,
        total=returned - since.timestamp(),
        throttled=emulator.errors_returned["Throttling"],
        peak_mb=peak / 2**20,
        wall=wall,
    )


def naive_round(n: int) -> tuple[int, float]:
    """One round of the naive waiter (one ObjectPath query per path): calls and clock seconds."""
    clock, _emulator, client = rig()
    paths = [f"http://static.example.com/assets/{i:05d}.js" for i in range(n)]
    for i in range(0, n, MAX_REFRESH_PATHS_PER_CALL):
        client.refresh_object_caches(paths[i : i + MAX_REFRESH_PATHS_PER_CALL])
    client.call_counts.clear()
    started = clock.monotonic()
    for path in paths:
        client.describe_refresh_tasks(object_path=path)
    return client.call_counts[LIST], clock.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000", help="comma-separated path counts")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[Row] = []
    for n in sizes:
        calls, seconds = naive_round(n)
        for kind in ("merged", "one id each"):
            row = run_waiter(n, kind)
            row.naive_round, row.naive_seconds = calls, seconds
            rows.append(row)

    qps = f"{QPS_LIMITS[LIST]:g}/s DescribeRefreshTasks, {QPS_LIMITS[BY_ID]:g}/s ById"
    print(
        f"wait_for_refresh vs naive per-path waiter; emulator QPS limits on ({qps}); "
        f"refresh takes {REFRESH_SECONDS:g}s"
    )
    head = (
        f"{'N':>6} {'tasks':<11} {'ids':>6} | {'round 1':>7} {'later/rnd':>9} {'ok/rnd':>6} {'max ok':>6} "
        f"{'target':>6} "
        f"{'rounds':>6} {'calls':>6} | {'naive/rnd':>9} {'naive rnd s':>11} {'x fewer':>7} | "
        f"{'last->ret s':>11} {'% of wait':>9} | {'throttl':>7} {'peak MB':>7} {'wall s':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        target = math.ceil(r.n / 100) + 1 if r.kind != "merged" else math.ceil(r.ids / 10)
        steady = max(r.ok_round, 1e-9)
        print(
            f"{r.n:>6} {r.kind:<11} {r.ids:>6} | {r.first_round:>7} {r.per_round:>9.1f} {r.ok_round:>6.1f} "
            f"{r.max_ok:>6} "
            f"{target:>6} {r.rounds:>6} {r.calls:>6} | {r.naive_round:>9} {r.naive_seconds:>11.0f} "
            f"{r.naive_round / steady:>7.0f} | {r.latency:>11.1f} {100 * r.latency / r.total:>8.1f}% | "
            f"{r.throttled:>7} {r.peak_mb:>7.1f} {r.wall:>6.1f}"
        )
    print(
        "Calls are HTTP attempts (client.call_counts); 'ok/rnd' leaves out Throttling answers the client\n"
        "retried ('throttl', none reached the waiter's caller). 'x fewer' = naive calls per round / ok/rnd.\n"
        "round 1 = discovery (domain listing, ceil(N/100) pages); later rounds ask by task id when the\n"
        "tasks are merged (target ceil(ids/10)) and list the domain when every path has its own id\n"
        "(target ceil(N/100)+1). 'last->ret' = clock seconds from the last task turning Complete to the\n"
        "waiter returning; '% of wait' relative to the whole wait from submission. Wall = real seconds."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
