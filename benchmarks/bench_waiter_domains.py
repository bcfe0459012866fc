"""The waiter across many domains (issue 17): the planner of before vs today's, and parallel walks.

Everything talks to the emulator's real HTTP server on the real clock, with its documented QPS
limits (DescribeRefreshTasks 5/s, DescribeRefreshTaskById 30/s per account); the client is the
real one (signing, its own 5/s and 30/s pacing, retries).

Waits: 500 paths over 500 domains, 5,000 over 50 and 10,000 over 1, each domain's paths submitted
in one RefreshObjectCaches call (so they share a task id), ``since`` = just before submitting,
tasks complete ``--complete-after`` seconds after submission. Each runs twice in the same loop:
``old`` = ``plan_round(account_listing=False)`` (the plan of before issue 17: by id, per-domain
listings, per path) and ``new`` = ``plan_round`` (which also costs one account-wide listing).
Printed per run: the waiter's calls in round 1 and in later rounds (mean and max), what round 1
and later rounds chose, seconds from the start of the wait to the end of the first complete round
(every path asked about once), rounds, calls, HTTP attempts (the client's retries of throttled
calls included), Throttling answers and seconds in all, and the goal ceil(tasks in the window /
100) + 1 for rounds that listed.

Walks: ``cdn-refresh tasks --all-pages --json`` (the real CLI) in 8 subprocesses at once against one
server holding ``--walk-tasks`` tasks; ``old`` runs the same walk with ``patience=0`` (the walk of
before: it gives up when the client's own retries do) in ``python -c`` subprocesses. Printed: how
many walks finished with every task, the slowest walk, Throttling answers.

Run: ``.venv/bin/python benchmarks/bench_waiter_domains.py`` (about 6 minutes; ``--scenarios 500x500``
and ``--no-walks`` pick parts).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.clock import SYSTEM_CLOCK
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.limits import MAX_REFRESH_PATHS_PER_CALL, QPS_LIMITS
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.waiter.backoff import Backoff
from alicloud_cdn_refresh.waiter.loop import WaitProgress, _Waiter
from alicloud_cdn_refresh.waiter.plan import ACCOUNT_LISTING, PER_DOMAIN, plan_round
from alicloud_cdn_refresh.waiter.state import WaitBook

LIST = Action.DESCRIBE_REFRESH_TASKS
BY_ID = Action.DESCRIBE_REFRESH_TASK_BY_ID
KEYS = Credentials("testid", "testsecret")
SCENARIOS = {"500x500": (500, 500), "5000x50": (5_000, 50), "10000x1": (10_000, 1)}
PLANNERS = {"old": functools.partial(plan_round, account_listing=False), "new": plan_round}

OLD_WALK = """
import json, sys
from alicloud_cdn_refresh.client.cdn_client import CdnClient
with CdnClient() as client:
    try:
        print(json.dumps({"tasks": len(list(client.iter_refresh_tasks(patience=0)))}))
    except Exception as error:
        sys.stderr.write(f"{type(error).__name__}: {error}\\n")
        sys.exit(4)
"""


@dataclass
class Round:
    calls: int
    """API calls the waiter made (WaitProgress.calls)."""
    attempts: int
    """HTTP attempts (the client's call_counts: throttled retries included)."""
    chosen: str
    complete: bool
    elapsed: float


@dataclass
class WaitRow:
    scenario: str
    planner: str
    tasks: int
    ids: int
    rounds: list[Round] = field(default_factory=list)
    seconds: float = 0.0
    throttled: int = 0

    @property
    def first_complete(self) -> float:
        return next((r.elapsed for r in self.rounds if r.complete), math.nan)

    @property
    def later(self) -> list[int]:
        return [r.calls for r in self.rounds[1:]] or [0]

    @property
    def attempts(self) -> int:
        return sum(r.attempts for r in self.rounds)

    def chosen(self, rounds: list[Round]) -> str:
        names = Counter(r.chosen for r in rounds)
        return "/".join(name for name, _ in names.most_common()) or "-"

    @property
    def goal(self) -> int:
        return math.ceil(self.tasks / 100) + 1

    @property
    def goal_met(self) -> str:
        listed = [r.calls for r in self.rounds if r.chosen in (ACCOUNT_LISTING, PER_DOMAIN)]
        return "-" if not listed else ("yes" if max(listed) <= self.goal else f"no ({max(listed)})")


def run_wait(name: str, planner: str, complete_after: float) -> WaitRow:
    count, domains = SCENARIOS[name]
    per_domain = count // domains
    paths = [f"http://d{d}.example.com/a/{i}.js" for d in range(domains) for i in range(per_domain)]
    emulator = Emulator(quotas=False, seed=5, complete_after=complete_after)
    with emulator.serve() as server, CdnClient(endpoint=server.url, credentials=KEYS) as client:
        since = client.clock.now() - timedelta(seconds=1)
        ids: set[str] = set()
        for d in range(domains):
            mine = paths[d * per_domain : (d + 1) * per_domain]
            for start in range(0, len(mine), MAX_REFRESH_PATHS_PER_CALL):
                ids.update(client.refresh_object_caches(mine[start : start + MAX_REFRESH_PATHS_PER_CALL]))
        row = WaitRow(name, planner, len(paths), len(ids))
        client.call_counts.clear()
        emulator.errors_returned.clear()
        seen = [0]

        def on_progress(progress: WaitProgress) -> None:
            total = client.call_counts[LIST] + client.call_counts[BY_ID]
            chosen = progress.plan.chosen if progress.plan is not None else "-"
            complete = not progress.round_incomplete
            row.rounds.append(Round(progress.calls, total - seen[0], chosen, complete, progress.elapsed))
            seen[0] = total

        started = time.monotonic()
        # the loop itself, so that the old planner can be passed (wait_for_refresh takes no planner)
        waiter = _Waiter(
            client,
            SYSTEM_CLOCK,
            WaitBook(paths, [], since=since),
            timeout=1800,
            grace=60,
            backoff=Backoff(2.0, 30.0),
            on_progress=on_progress,
            fail_on_failed=True,
            planner=PLANNERS[planner],
        )
        tasks = waiter.run()
        row.seconds = time.monotonic() - started
        row.throttled = emulator.errors_returned["Throttling"]
    assert len(tasks) == len(paths)
    assert all(task.status.is_complete for task in tasks)
    return row


@dataclass
class WalkRow:
    walk: str
    walkers: int
    finished: int
    slowest: float
    throttled: int
    errors: list[str]


def run_walks(kind: str, walkers: int, tasks: int) -> WalkRow:
    emulator = Emulator(quotas=False, seed=3)
    now = emulator.clock.now()
    for n in range(tasks):
        emulator.seed_task(f"http://w{n % 7}.example.com/{n}.js", created=now - timedelta(seconds=n))
    cli = Path(sys.executable).with_name("cdn-refresh")
    command = (
        [str(cli), "tasks", "--all-pages", "--json"] if kind == "new" else [sys.executable, "-c", OLD_WALK]
    )
    with tempfile.TemporaryDirectory() as home, emulator.serve() as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ALICLOUD_", "ALIBABA"))}
        env.update(
            HOME=home,
            ALIBABA_CLOUD_CDN_ENDPOINT=server.url,
            ALIBABA_CLOUD_ACCESS_KEY_ID="testid",
            ALIBABA_CLOUD_ACCESS_KEY_SECRET="testsecret",
        )
        started = time.monotonic()
        processes = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for _ in range(walkers)
        ]
        finished, slowest, errors = 0, 0.0, []
        for process in processes:
            out, err = process.communicate(timeout=900)
            slowest = max(slowest, time.monotonic() - started)
            try:
                got = json.loads(out)["tasks"]
            except (ValueError, KeyError):
                got = None
            count = got if isinstance(got, int) else len(got or [])
            if process.returncode == 0 and count == tasks:
                finished += 1
            else:
                errors.append((err.strip().splitlines() or [f"exit {process.returncode}"])[-1][:90])
    return WalkRow(kind, walkers, finished, slowest, emulator.errors_returned["Throttling"], errors)


def print_waits(rows: list[WaitRow], complete_after: float) -> None:
    qps = f"{QPS_LIMITS[LIST]:g}/s DescribeRefreshTasks, {QPS_LIMITS[BY_ID]:g}/s ById"
    print(
        f"Waits on the emulator's server ({qps}; real clock); tasks complete {complete_after:g}s after submit"
    )
    head = (
        f"{'scenario':<9} {'planner':<7} {'tasks':>6} {'ids':>4} | {'round 1':>7} {'later mean':>10} "
        f"{'later max':>9} | {'round 1 chose':<16} {'later chose':<16} | {'1st complete s':>14} "
        f"{'rounds':>6} {'calls':>6} {'attempts':>8} {'throttl':>7} {'total s':>7} | {'goal':>4} {'met':>4}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        later = r.later
        print(
            f"{r.scenario:<9} {r.planner:<7} {r.tasks:>6} {r.ids:>4} | {r.rounds[0].calls:>7} "
            f"{sum(later) / len(later):>10.1f} {max(later):>9} | {r.chosen(r.rounds[:1]):<16} "
            f"{r.chosen(r.rounds[1:]):<16} | {r.first_complete:>14.1f} {len(r.rounds):>6} "
            f"{sum(x.calls for x in r.rounds):>6} {r.attempts:>8} {r.throttled:>7} {r.seconds:>7.1f} | "
            f"{r.goal:>4} {r.goal_met:>4}"
        )
    print(
        "round 1 / later: API calls the waiter made per round (WaitProgress.calls); attempts: HTTP attempts\n"
        "in all (the client's count: its retries of Throttling answers included). 1st complete s: from the\n"
        "start of the wait to the end of the first round that asked about every path. goal: ceil(tasks in\n"
        "the window / 100) + 1 calls, checked on the rounds that listed (the account or per domain; '-':\n"
        "none did). old = plan_round(account_listing=False), the plan of before issue 17, in the same loop."
    )


def print_walks(rows: list[WalkRow], tasks: int) -> None:
    print(
        f"\nParallel `tasks --all-pages` walks of {tasks} tasks "
        f"({math.ceil(tasks / 100)} pages each), one account"
    )
    head = f"{'walk':<34} {'walkers':>7} {'every page':>10} {'slowest s':>9} {'throttl':>7}  first error"
    print(head)
    print("-" * len(head))
    names = {"old": "old: iter_refresh_tasks(patience=0)", "new": "new: cdn-refresh tasks --all-pages"}
    for r in rows:
        print(
            f"{names[r.walk]:<34} {r.walkers:>7} {f'{r.finished}/{r.walkers}':>10} {r.slowest:>9.1f} "
            f"{r.throttled:>7}  {r.errors[0] if r.errors else '-'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="comma-separated, of " + ", ".join(SCENARIOS)
    )
    parser.add_argument("--planners", default="old,new")
    parser.add_argument("--complete-after", type=float, default=20.0)
    parser.add_argument("--walkers", type=int, default=8)
    parser.add_argument("--walk-tasks", type=int, default=1_000)
    parser.add_argument("--no-walks", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for name in filter(None, args.scenarios.split(",")):
        for planner in args.planners.split(","):
            rows.append(run_wait(name, planner, args.complete_after))
            print(f"  ... {name} {planner}: {rows[-1].seconds:.0f}s", file=sys.stderr, flush=True)
    if rows:
        print_waits(rows, args.complete_after)
    if not args.no_walks:
        walks = [run_walks(kind, args.walkers, args.walk_tasks) for kind in args.planners.split(",")]
        print_walks(walks, args.walk_tasks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
