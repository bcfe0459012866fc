"""API calls per polling round: wait_for_refresh versus a naive per-path waiter, on the emulator.

Everything runs in-process against the emulator with its documented QPS limits, the real client
(signing, rate limiting, retries) and one ManualClock, so a 5-minute refresh takes seconds. Each
product (CDN, and DCDN with its listing pages of 50 rather than 100) is run in the same run, with
the same unchanged waiter given ``CdnClient(product=...)``.

For N = 10, 1,000 and 10,000 paths on one domain, two ways the tasks can exist:

- ``submitted``: through the product's refresh (1,000 a call). CDN merges them under a few task
  ids (one domain, one second, up to 2,000 URLs an id); DCDN documents no merging, so in the
  emulator every DCDN path has its own id (the ``ids`` column);
- ``one id each``: every path its own task (seeded), so the waiter has to list the domain.

Printed per case: the waiter's calls in round 1 and per later round, its rounds and total calls,
the naive waiter's calls per round (one DescribeRefreshTasks per path) and how long one naive round
takes at 5 QPS, the ratio, the delay from the last task turning Complete to the waiter returning,
Throttling answers, and peak traced memory of the wait (tracemalloc; includes the emulator's own).

Run: ``.venv/bin/python benchmarks/bench_waiter.py`` (about two minutes; ``--products cdn`` for CDN
only, ``--sizes 10,1000`` for fewer sizes).
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
from alicloud_cdn_refresh.products import Operation, product_for
from alicloud_cdn_refresh.waiter.loop import WaitProgress, wait_for_refresh

REFRESH_SECONDS = 300.0
START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


@dataclass
class Row:
    product: str
    page: int
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


def rig(product: str) -> tuple[ManualClock, Emulator, CdnClient]:
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, complete_after=REFRESH_SECONDS, quotas=False, seed=1)
    client = CdnClient(
        credentials=Credentials("testid", "testsecret"),
        transport=emulator.transport(),
        clock=clock,
        product=product,
    )
    return clock, emulator, client


def run_waiter(n: int, kind: str, product: str) -> Row:
    clock, emulator, client = rig(product)
    paths = [f"http://static.example.com/assets/{i:05d}.js" for i in range(n)]
    since = clock.now()
    if kind == "submitted":
        ids = set(client.refresh_object_caches(paths))
    else:
        ids = {emulator.seed_task(path, product=product) for path in paths}
    tasks_now = emulator.tasks(product=product)
    last_complete = max(t.creation_time for t in tasks_now).timestamp() + REFRESH_SECONDS
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
        product=product,
        page=client.limits.max_page_size,
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


def naive_round(n: int, product: str) -> tuple[int, float]:
    """One round of the naive waiter (one ObjectPath query per path): calls and clock seconds."""
    clock, _emulator, client = rig(product)
    paths = [f"http://static.example.com/assets/{i:05d}.js" for i in range(n)]
    client.refresh_object_caches(paths)
    client.call_counts.clear()
    started = clock.monotonic()
    for path in paths:
        client.describe_refresh_tasks(object_path=path)
    return client.call_counts[client.product.action(Operation.DESCRIBE_TASKS)], clock.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,1000,10000", help="comma-separated path counts")
    parser.add_argument("--products", default="cdn,dcdn", help="comma-separated products (cdn, dcdn)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    names = [product_for(name).name for name in args.products.split(",")]
    rows: list[Row] = []
    for n in sizes:
        for product in names:
            calls, seconds = naive_round(n, product)
            for kind in ("submitted", "one id each"):
                row = run_waiter(n, kind, product)
                row.naive_round, row.naive_seconds = calls, seconds
                rows.append(row)

    print(
        "wait_for_refresh vs naive per-path waiter; emulator QPS limits on; "
        f"refresh takes {REFRESH_SECONDS:g}s"
    )
    for name in names:
        table = product_for(name)
        listing, by_id = table.action(Operation.DESCRIBE_TASKS), table.action(Operation.DESCRIBE_TASK_BY_ID)
        print(
            f"  {name}: {table.limits.qps[listing]:g}/s {listing} ({table.limits.max_page_size} a page), "
            f"{table.limits.qps[by_id]:g}/s {by_id} ({table.limits.task_ids_per_call} ids a call)"
        )
    head = (
        f"{'product':<7} {'page':>4} {'N':>6} {'tasks':<11} {'ids':>6} | "
        f"{'round 1':>7} {'later/rnd':>9} {'ok/rnd':>6} {'max ok':>6} "
        f"{'target':>6} "
        f"{'rounds':>6} {'calls':>6} | {'naive/rnd':>9} {'naive rnd s':>11} {'x fewer':>7} | "
        f"{'last->ret s':>11} {'% of wait':>9} | {'throttl':>7} {'peak MB':>7} {'wall s':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        target = min(math.ceil(r.ids / 10), math.ceil(r.n / r.page) + 1)
        steady = max(r.ok_round, 1e-9)
        print(
            f"{r.product:<7} {r.page:>4} {r.n:>6} {r.kind:<11} {r.ids:>6} | "
            f"{r.first_round:>7} {r.per_round:>9.1f} {r.ok_round:>6.1f} "
            f"{r.max_ok:>6} "
            f"{target:>6} {r.rounds:>6} {r.calls:>6} | {r.naive_round:>9} {r.naive_seconds:>11.0f} "
            f"{r.naive_round / steady:>7.0f} | {r.latency:>11.1f} {100 * r.latency / r.total:>8.1f}% | "
            f"{r.throttled:>7} {r.peak_mb:>7.1f} {r.wall:>6.1f}"
        )
    print(
        "Calls are HTTP attempts (client.call_counts); 'ok/rnd' leaves out Throttling answers the client\n"
        "retried ('throttl', none reached the waiter's caller). 'x fewer' = naive calls per round / ok/rnd.\n"
        "round 1 = discovery (domain listing, ceil(N/page) pages); later rounds ask by task id when the\n"
        "tasks are merged (ceil(ids/10)) and list the domain when every path has its own id\n"
        "(ceil(N/page)+1): 'target' is the cheaper of the two. 'last->ret' = clock seconds from the last\n"
        "task turning Complete to the waiter returning; '% of wait' relative to the whole wait from\n"
        "submission. Wall = real seconds."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
