"""Pacing: how many calls a client paced at the documented QPS gets throttled for, per pacing rule.

The emulator's real server (loopback, QPS limits on) admits at most N calls of an action per
account in any one-second window (``emulator/qps.py``). A client spaces its calls ``1/N`` s apart
(``client/ratelimit.py``), but a call reaches the server some time after its slot (waking up,
signing, the socket, the server's thread), and that delay varies: when the first call of a window
is late and the (N+1)-th is not, they land within one second and the server throttles.

Each cell runs one CdnClient (retries off, so every throttle is counted once, and the adaptive cut
off, so every call is paced at the documented rate) against a fresh server: ``seq`` one thread
making ``--calls`` calls, ``par`` ``--threads`` threads sharing the client for as many calls. The
rules, side by side:

- ``exact``: ``1/rate`` + 1 µs per interval (the client before ``ANSWER_ALLOWANCE``);
- ``+2ms``: ``1/rate`` + 2 ms per interval (a fixed margin: 1 % of the rate at 5/s, 6 % at 30/s);
- ``+1%``: ``1/rate`` x 1.01 (a proportional margin: 10 ms per one-second window at any rate);
- ``answer``: ``1/rate``, and the call N after another one no sooner than one second after that
  one's slot plus the time it took to be answered (it had reached the server by then);
- ``answer<=10ms``: the same, that time counted up to 10 ms;
- ``shipped``: the client's own AdaptiveBucket (``answer`` counted up to
  ``ratelimit.ANSWER_ALLOWANCE``, 25 ms).

Printed per cell: throttled/total, throughput (admitted calls per second from the first to the last
admission, in % of the documented rate), and the least time between a call's arrival and the
arrival N calls later, minus one second (negative: that pair was throttled). ``--latency MS`` adds a
simulated link (half of it each way, each half varying by +-``--jitter`` MS) between client and
server, as a far endpoint would.

    .venv/bin/python benchmarks/bench_pacing.py [--calls 100] [--threads 4] [--latency 0 --jitter 0]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "provider"))

from alicloud_cdn_refresh.client import ratelimit  # noqa: E402
from alicloud_cdn_refresh.client.cdn_client import CdnClient  # noqa: E402
from alicloud_cdn_refresh.client.retry import RetryPolicy  # noqa: E402
from alicloud_cdn_refresh.clock import Clock  # noqa: E402
from alicloud_cdn_refresh.credentials import Credentials  # noqa: E402
from alicloud_cdn_refresh.emulator import Emulator  # noqa: E402
from alicloud_cdn_refresh.errors import ApiError  # noqa: E402
from alicloud_cdn_refresh.limits import QPS_LIMITS  # noqa: E402
from alicloud_cdn_refresh.products import Action  # noqa: E402

ACTIONS = {"tasks": Action.DESCRIBE_REFRESH_TASKS, "by-id": Action.DESCRIBE_REFRESH_TASK_BY_ID}


class _Counting(ratelimit.AdaptiveBucket):
    """The shipped bucket with the adaptive cut off: a throttle is only counted."""

    def on_throttle(self) -> None:
        with self._lock:
            self.throttle_count += 1


def _spaced(extra: Callable[[float], float]) -> type[ratelimit.AdaptiveBucket]:
    """A bucket that only spaces calls: ``1/rate + extra(1/rate)`` apart (no other rule)."""

    class Spaced(_Counting):
        def acquire(self) -> float:
            clock = self._clock
            with self._lock:
                now = clock.monotonic()
                start = max(now, self._next_free)
                interval = 1.0 / self.rate
                self._next_free = start + interval + extra(interval)
                wait = start - now
            if wait > 0:
                clock.sleep(wait)
            return wait

    return Spaced


class _Anchored(_Counting):
    """Spaced calls, and the call N after another one goes out no sooner than one second after
    that one's slot plus the time it took to be answered (all of it: it had arrived by then); the
    rule the client ships with its allowance capped (``ratelimit.ANSWER_ALLOWANCE``), re-made here
    so that other caps can be compared. Told of answers by the link, not by the client."""

    cap = math.inf
    """Seconds of the answer's time counted, at most."""

    def __init__(self, max_rate: float, clock: Clock) -> None:
        super().__init__(max_rate, clock)
        self.n = max(1, math.ceil(max_rate - 1e-9))
        self.recent: deque[list[float | None]] = deque(maxlen=self.n)
        self.mine = threading.local()

    def acquire(self) -> float:
        clock = self._clock
        with self._lock:
            now = clock.monotonic()
            start = max(now, self._next_free)
            if len(self.recent) == self.n:
                slot, done = self.recent[0]
                took = (done - slot) if done is not None and slot is not None else 0.0
                start = max(start, (slot or 0.0) + 1.0 + 1e-6 + min(took, self.cap))
            self._next_free = start + 1.0 / self.rate + 1e-6
            record: list[float | None] = [start, None]
            self.recent.append(record)
            self.mine.call = record
            wait = start - now
        if wait > 0:
            clock.sleep(wait)
        return wait

    def finished(self) -> None:  # called by the link; the client's own call then finds nothing
        record = getattr(self.mine, "call", None)
        if record is not None:
            record[1] = self._clock.monotonic()
            self.mine.call = None


class _Capped10(_Anchored):
    cap = 0.010


RULES: dict[str, type[ratelimit.AdaptiveBucket]] = {
    "exact": _spaced(lambda interval: 1e-6),
    "+2ms": _spaced(lambda interval: 0.002),
    "+1%": _spaced(lambda interval: 0.01 * interval),
    "answer": _Anchored,
    "answer<=10ms": _Capped10,
    "shipped": _Counting,
}


class _Link(httpx.BaseTransport):
    """A simulated link: half the round trip (+- ``jitter``) before the request is sent and after
    the answer came; then it tells the bucket of the answer (``on_answer``)."""

    def __init__(self, inner: httpx.BaseTransport, latency: float, jitter: float, seed: int) -> None:
        self.inner = inner
        self.on_answer: Callable[[], None] = lambda: None
        self.half = latency / 2
        self.jitter = jitter
        self.rng = random.Random(seed)
        self.lock = threading.Lock()

    def _delay(self) -> float:
        with self.lock:
            return max(0.0, self.half + self.rng.uniform(-self.jitter, self.jitter))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.half or self.jitter:
            time.sleep(self._delay())
        response = self.inner.handle_request(request)
        response.read()
        if self.half or self.jitter:
            time.sleep(self._delay())
        self.on_answer()
        return response

    def close(self) -> None:
        self.inner.close()


@dataclass
class Cell:
    """One rule in one scenario."""

    calls: int = 0
    throttled: int = 0
    admitted: list[float] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    limit: int = 0
    rate: float = 0.0

    @property
    def throughput(self) -> float:
        """Admitted calls a second between the first and the last admission, in % of the rate."""
        if len(self.admitted) < 2:
            return math.nan
        span = self.admitted[-1] - self.admitted[0]
        return 100.0 * (len(self.admitted) - 1) / span / self.rate

    @property
    def tightest(self) -> float:
        """Least ``arrival[k + limit] - arrival[k] - 1`` over every arrival, in ms."""
        times = sorted(self.arrivals)
        gaps = [times[i + self.limit] - times[i] - 1.0 for i in range(len(times) - self.limit)]
        return 1000.0 * min(gaps) if gaps else math.nan

    def text(self) -> str:
        return f"{self.throttled:>3}/{self.calls:<4} {self.throughput:5.1f}% {self.tightest:+6.1f}"


def run_cell(rule: str, action: str, threads: int, calls: int, latency: float, jitter: float) -> Cell:
    """``calls`` calls of ``action`` on ``threads`` threads sharing one paced client."""
    emulator = Emulator(qps_limits=True, quotas=False, seed=1)
    cell = Cell(limit=emulator.qps.limits[action], rate=QPS_LIMITS[action])
    admit = emulator.qps.admit
    lock = threading.Lock()

    def recording(account: str, name: str) -> float:
        at = time.monotonic()
        wait = admit(account, name)
        if name == action:
            with lock:
                cell.arrivals.append(at)
                if not wait:
                    cell.admitted.append(at)
        return wait

    emulator.qps.admit = recording  # type: ignore[method-assign]
    with emulator.serve() as server:
        link = _Link(httpx.HTTPTransport(), latency, jitter, seed=threads)
        client = CdnClient(
            endpoint=server.url,
            credentials=Credentials("testid", "testsecret"),
            transport=link,
            retry=RetryPolicy.never(),
        )
        clock: Clock = client.clock
        bucket = RULES[rule](QPS_LIMITS[action], clock)
        client.rate_limiter.buckets[action] = bucket
        if isinstance(bucket, _Anchored):
            link.on_answer = bucket.finished
        call: Callable[[], object] = (
            client.describe_refresh_tasks
            if action == Action.DESCRIBE_REFRESH_TASKS
            else lambda: client.describe_refresh_task_by_id(["1"])
        )
        call()  # a warm connection; not counted
        time.sleep(1.1)
        cell.arrivals.clear()
        cell.admitted.clear()
        counts = [calls // threads + (1 if i < calls % threads else 0) for i in range(threads)]

        def worker(count: int) -> None:
            for _ in range(count):
                try:
                    call()
                except ApiError as error:
                    if not error.code.startswith("Throttling"):
                        raise

        pool = [threading.Thread(target=worker, args=(count,)) for count in counts]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        client.close()
    cell.calls = len(cell.arrivals)
    cell.throttled = bucket.throttle_count
    return cell


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100, help="calls per cell at 5/s (x6 at 30/s)")
    parser.add_argument("--threads", type=int, default=4, help="threads of the par scenario")
    parser.add_argument("--rules", default=",".join(RULES), help=f"some of {','.join(RULES)}")
    parser.add_argument("--actions", default="tasks,by-id", help="tasks (5/s), by-id (30/s)")
    parser.add_argument("--latency", type=float, default=0.0, help="simulated round trip, ms")
    parser.add_argument("--jitter", type=float, default=0.0, help="+- ms on each half of it")
    args = parser.parse_args()
    rules = args.rules.split(",")
    print(
        "throttled/total, throughput in % of the documented rate, tightest N+1 arrivals - 1 s (ms); "
        f"link {args.latency:g} ms +-{args.jitter:g} each way; "
        f"shipped: ANSWER_ALLOWANCE={getattr(ratelimit, 'ANSWER_ALLOWANCE', None)!r}"
    )
    print(f"{'scenario':<14}" + "".join(f" | {rule:^26}" for rule in rules))
    totals = {rule: [0, 0] for rule in rules}
    for name in args.actions.split(","):
        action = ACTIONS[name]
        calls = args.calls * (1 if QPS_LIMITS[action] <= 5 else 6)
        for label, threads in (("seq", 1), (f"par x{args.threads}", args.threads)):
            row = f"{name + ' ' + label:<14}"
            for rule in rules:
                cell = run_cell(rule, action, threads, calls, args.latency / 1000, args.jitter / 1000)
                totals[rule][0] += cell.throttled
                totals[rule][1] += cell.calls
                row += f" | {cell.text():^26}"
            print(row, flush=True)
    cells = (f"{t}/{n} ({100 * t / max(n, 1):.1f}%)" for t, n in totals.values())
    print(f"{'all':<14}" + "".join(f" | {cell:^26}" for cell in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
