"""A seeded fault soak: many waits through the emulator's fault injection, checked against its truth.

Shared by tests/reliability/test_faults.py (CI-sized and ``soak``-marked runs) and
benchmarks/soak_faults.py (prints the counts). Everything runs in-process on one ManualClock:
the emulator (real QPS limits, faults on), the real client (signing, rate limiting, retries,
a short read timeout that the emulator's slow answers overrun) and ``wait_for_refresh``.

Injected per request, besides the emulator's own ``FaultConfig`` kinds (500, 503, drop, slow past
the read timeout, malformed, truncated): throttling bursts (``fail_next`` with a throttling or
busy code for 1..8 calls, or another tool filling the action's QPS window) and pages shifting
under a listing (new tasks on the listed domain before the page is served).

After every wait, the outcome is checked against ``emulator.tasks()`` (see :func:`check_outcome`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httpx

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.client.retry import RetryPolicy
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator, FaultConfig
from alicloud_cdn_refresh.errors import ApiError, CdnError, RefreshFailed, TaskNotFound, WaitTimeout
from alicloud_cdn_refresh.models import ObjectType, RefreshTask
from alicloud_cdn_refresh.products import Action
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from alicloud_cdn_refresh.waiter.state import task_key

START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
LIST = Action.DESCRIBE_REFRESH_TASKS
BY_ID = Action.DESCRIBE_REFRESH_TASK_BY_ID
FAIL_MARK = "/fail/"
CLIENT_TIMEOUT = 2.0
COMPLETE_AFTER = 90.0
SLOW_SECONDS = 3.0  # past the client's read timeout: every slow answer is a ReadTimeout
RETRY = RetryPolicy(attempts=4, timeout=10.0, initial=0.2, max=2.0)
BURST_CODES = ("Throttling.User", "Throttling", "ServiceBusy")
DOMAINS = tuple(f"d{i}.example.com" for i in range(4))


class Violation(AssertionError):
    """An invariant broke: the waiter lied, lost a failure, overran its deadline or crashed."""


class _Chaos(httpx.BaseTransport):
    """The emulator's transport with throttling bursts and pages shifting, drawn from a seeded RNG."""

    def __init__(self, soak: Soak) -> None:
        self.soak = soak
        self.inner = soak.emulator.transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        soak = self.soak
        rng = soak.rng
        action = request.headers.get("x-acs-action") or request.url.params.get("Action", "")
        if soak.chaos and action in (LIST, BY_ID):
            draw = rng.random()
            if draw < soak.burst_rate / 2:
                soak.injected["throttle_burst(fail_next)"] += 1
                soak.emulator.fail_next(rng.choice(BURST_CODES), action=action, times=rng.randint(1, 8))
            elif draw < soak.burst_rate:
                soak.injected["throttle_burst(qps)"] += 1
                for _ in range(50):
                    soak.emulator.qps.admit("testid", action)
            domain = request.url.params.get("DomainName")
            if action == LIST and domain and rng.random() < soak.shift_rate:
                soak.injected["page_shift"] += 1
                noise = [f"http://{domain}/noise/{soak.noise}/{i}.js" for i in range(rng.randint(10, 60))]
                soak.noise += 1
                soak.emulator.store.submit(noise, ObjectType.FILE)
        return self.inner.handle_request(request)


class _Counting:
    """The client as the waiter sees it, counting logical calls (one per method call)."""

    def __init__(self, client: CdnClient, logical: Counter[str]) -> None:
        self._client = client
        self._logical = logical
        self.clock = client.clock
        self.limits = client.limits  # the waiter reads its page size from the client's product

    def describe_refresh_tasks(self, **kwargs: Any) -> Any:
        self._logical[LIST] += 1
        return self._client.describe_refresh_tasks(**kwargs)

    def describe_refresh_task_by_id(self, task_ids: Any) -> Any:
        self._logical[BY_ID] += 1
        return self._client.describe_refresh_task_by_id(task_ids)


@dataclass
class Soak:
    """One soak: the rig, its RNG and the counts."""

    seed: int
    fault_rate: float = 0.08
    burst_rate: float = 0.01
    shift_rate: float = 0.25
    rng: random.Random = field(init=False)
    clock: ManualClock = field(init=False)
    emulator: Emulator = field(init=False)
    client: CdnClient = field(init=False)
    chaos: bool = True
    noise: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    logical: Counter[str] = field(default_factory=Counter)
    waits: int = 0
    max_overrun: float = 0.0
    """The longest a timed-out wait ran past its deadline (ManualClock seconds)."""
    submit_giveups: int = 0
    history: dict[str, list[str]] = field(default_factory=dict)
    """Paths of earlier waits per domain, to refresh again (their old Complete must not count)."""

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.clock = ManualClock(START)
        self.emulator = Emulator(
            clock=self.clock,
            complete_after=COMPLETE_AFTER,
            fail_paths=FAIL_MARK,
            quotas=False,
            faults=FaultConfig(rate=self.fault_rate, slow_seconds=SLOW_SECONDS, seed=self.seed),
            seed=self.seed,
        )
        self.client = CdnClient(
            credentials=Credentials("testid", "testsecret"),
            transport=_Chaos(self),
            clock=self.clock,
            timeout=CLIENT_TIMEOUT,
            retry=RETRY,
        )

    # --- counts ---------------------------------------------------------------------------------

    @property
    def attempts(self) -> int:
        """HTTP attempts of the waits' calls (the client's count, retries included)."""
        return self.client.call_counts[LIST] + self.client.call_counts[BY_ID]

    @property
    def retries(self) -> int:
        """Attempts beyond the first of each logical call of the waits."""
        return self.attempts - sum(self.logical.values())

    @property
    def requests(self) -> int:
        """Every request the emulator answered (submits and faults included)."""
        return sum(self.emulator.requests_served.values())

    def faults(self) -> Counter[str]:
        """Injected faults by kind: the emulator's and this soak's."""
        out: Counter[str] = Counter()
        for kind, count in self.emulator.faults_injected.items():
            out[{"slow": "slow(read timeout)"}.get(kind, kind)] += count
        out.update(self.injected)
        return out

    # --- one wait -------------------------------------------------------------------------------

    def _paths(self) -> tuple[list[str], list[str]]:
        """Fresh (and sometimes re-refreshed) files and directories on one or two domains."""
        rng = self.rng
        files: list[str] = []
        dirs: list[str] = []
        failing = rng.random() < 0.35
        for domain in rng.sample(DOMAINS, rng.randint(1, 2)):
            n = rng.choice((1, 3, 12, 40, 150))
            for i in range(n):
                fail = FAIL_MARK if failing and i in (0, n // 2) else "/"
                files.append(f"http://{domain}/w{self.waits}{fail}f{i}.{rng.choice(('js', 'css', 'png'))}")
            if rng.random() < 0.3:
                dirs.extend(f"http://{domain}/w{self.waits}/dir{i}/" for i in range(rng.randint(1, 3)))
            old = self.history.get(domain, [])
            if old and rng.random() < 0.4:
                files.extend(rng.sample(old, min(len(old), rng.randint(1, 10))))
            self.history.setdefault(domain, []).extend(
                p for p in files if f"/w{self.waits}/" in p and domain in p
            )
        return list(dict.fromkeys(files)), dirs

    def _submit(self, paths: list[str], object_type: str) -> list[str] | None:
        for _ in range(6):
            try:
                return self.client.refresh_object_caches(paths, object_type=object_type)
            except ApiError as error:
                if not error.retryable:
                    raise
        return None

    def one_wait(self) -> str:
        """Submit, wait, check; return the outcome's name."""
        rng = self.rng
        self.waits += 1
        files, dirs = self._paths()
        since = self.clock.now().replace(microsecond=0)
        self.chaos = False  # submits have their own test; here they only must land
        ids: list[str] = []
        for group, kind in ((files, "File"), (dirs, "Directory")):
            if group:
                got = self._submit(group, kind)
                if got is None:
                    self.submit_giveups += 1
                    return "skipped(submit gave up)"
                ids.extend(got)
        self.chaos = True
        paths = files + dirs
        mode = rng.choice(("paths+since", "paths+since", "task_ids", "both"))
        fail_on_failed = rng.random() < 0.6
        timeout = rng.choice((15.0, 600.0, 600.0, 900.0))
        poll_initial = rng.choice((1.0, 2.0))
        kwargs: dict[str, Any] = {
            "timeout": timeout,
            "fail_on_failed": fail_on_failed,
            "poll_initial": poll_initial,
            "poll_max": rng.choice((5.0, 15.0, 30.0)),
            "client": _Counting(self.client, self.logical),
        }
        if mode != "task_ids":
            kwargs["since"] = since
        waited_paths = paths if mode != "task_ids" else []
        started = self.clock.monotonic()
        try:
            result: list[RefreshTask] | CdnError = wait_for_refresh(
                waited_paths or None, task_ids=ids if mode != "paths+since" else None, **kwargs
            )
        except CdnError as error:
            result = error
        except Exception as error:
            raise Violation(f"wait {self.waits}: not a CdnError: {type(error).__name__}: {error}") from error
        elapsed = self.clock.monotonic() - started
        outcome = check_outcome(
            self.emulator.tasks(),
            paths,
            since,
            result,
            fail_on_failed=fail_on_failed,
            elapsed=elapsed,
            timeout=timeout,
            slack=min(poll_initial, 2.0),
            label=f"wait {self.waits} ({mode}, {len(paths)} paths)",
            must_finish=timeout >= 5 * COMPLETE_AFTER,
        )
        self.outcomes[outcome] += 1
        if outcome == "WaitTimeout":
            self.max_overrun = max(self.max_overrun, elapsed - timeout)
        return outcome

    def run(self, waits: int) -> Soak:
        for _ in range(waits):
            self.one_wait()
            self.clock.advance(self.rng.uniform(0, 30))
        return self


def _truth(tasks: list[RefreshTask], paths: list[str], since: datetime) -> dict[str, RefreshTask]:
    """Per path, the newest task created at or after ``since`` (the one that counts)."""
    wanted = set(paths)
    newest: dict[str, RefreshTask] = {}
    for task in tasks:
        if task.object_path in wanted and task.creation_time >= since:
            best = newest.get(task.object_path)
            if best is None or task_key(task) > task_key(best):
                newest[task.object_path] = task
    return newest


def _iter_tasks(result: list[RefreshTask] | CdnError) -> Iterator[RefreshTask]:
    if isinstance(result, list):
        yield from result
    elif isinstance(result, (RefreshFailed, WaitTimeout)):
        yield from result.completed


def check_outcome(
    tasks: list[RefreshTask],
    paths: list[str],
    since: datetime,
    result: list[RefreshTask] | CdnError,
    *,
    fail_on_failed: bool,
    elapsed: float,
    timeout: float,
    slack: float,
    label: str,
    must_finish: bool = False,
) -> str:
    """Check one wait against the emulator's tasks; return the outcome's name or raise Violation.

    - every task reported Complete is the newest task of its path (since the submission) and the
      emulator has it Complete;
    - every task reported Failed is Failed in the emulator; with ``fail_on_failed=False`` (or a
      full return) none is lost: the failed set equals the emulator's;
    - a full return covers every path; a timeout stays within its deadline plus the slack of the
      round under way, one call's retry budget and one read timeout;
    - ``must_finish`` (a deadline several times the tasks' duration): a timeout is a violation too;
    - ``TaskNotFound`` is a violation (every task exists); an ``ApiError`` must be non-retryable.
    """
    truth = _truth(tasks, paths, since)
    missing = set(paths) - set(truth)
    if missing:
        raise Violation(f"{label}: the emulator has no task for {sorted(missing)[:3]}")
    failed_truth = {p for p, t in truth.items() if t.status.is_failed}

    def fail(message: str) -> Violation:
        return Violation(f"{label}: {message} (result {result!r})")

    for task in _iter_tasks(result):
        real = truth.get(task.object_path)
        if real is None or real.task_id != task.task_id:
            raise fail(f"{task.object_path} counted task {task.task_id}, the newest is {real}")
        if not real.status.is_complete:
            raise fail(f"{task.object_path} reported Complete, the emulator says {real.status.value}")
        if not task.status.is_complete:
            raise fail(f"{task.object_path} returned with status {task.status.value}")

    bound = timeout + slack + RETRY.timeout + CLIENT_TIMEOUT + 1.0
    if elapsed > bound:
        raise fail(f"took {elapsed:.1f}s, past the deadline bound {bound:.1f}s")

    if isinstance(result, list):
        if failed_truth:
            raise fail(f"returned although {sorted(failed_truth)} failed")
        if {t.object_path for t in result} != set(paths):
            raise fail("returned tasks do not cover every path")
        return "complete"
    if isinstance(result, RefreshFailed):
        named = {t.object_path for t in result.failed}
        for task in result.failed:
            real = truth[task.object_path]
            if real.task_id != task.task_id or not real.status.is_failed:
                raise fail(f"{task.object_path} reported Failed, the emulator says {real}")
        if not fail_on_failed and named != failed_truth:
            raise fail(f"failed paths {sorted(named)} != the emulator's {sorted(failed_truth)}")
        if not named:
            raise fail("RefreshFailed without a failed path")
        return "RefreshFailed"
    if isinstance(result, WaitTimeout):
        if must_finish:
            raise fail("timed out although the deadline leaves ample time for the tasks and retries")
        if elapsed < timeout - 1e-6:
            raise fail(f"timed out after {elapsed:.1f}s, before its {timeout:g}s")
        pending = {p.object_path for p in result.pending if p.object_path}
        done = {t.object_path for t in result.completed}
        if not pending or pending & done or (pending | done) - set(paths):
            raise fail("pending and completed paths do not add up")
        return "WaitTimeout"
    if isinstance(result, TaskNotFound):
        raise fail("TaskNotFound although every task exists")
    if isinstance(result, ApiError):
        if result.retryable:
            raise fail("a retryable ApiError escaped the wait")
        return f"ApiError({result.code})"
    raise fail(f"unexpected {type(result).__name__}")


def summary(soak: Soak, seconds: float) -> str:
    """The counts as printable lines."""
    faults = soak.faults()
    lines = [
        f"seed {soak.seed}: {soak.waits} waits, {soak.requests} requests answered by the emulator "
        f"in {seconds:.1f}s wall, {soak.clock.monotonic():.0f}s on the ManualClock",
        f"faults injected: {sum(faults.values())} "
        + ", ".join(f"{k}={v}" for k, v in sorted(faults.items())),
        f"wait calls: logical {sum(soak.logical.values())}, HTTP attempts {soak.attempts}, "
        f"retries {soak.retries}",
        "outcomes: "
        + ", ".join(f"{k}={v}" for k, v in sorted(soak.outcomes.items()))
        + f" (timeouts at most {soak.max_overrun:.1f}s past the deadline)",
        f"emulator error answers: {dict(sorted(soak.emulator.errors_returned.items()))}",
        "violations: 0",
    ]
    return "\n".join(lines)


__all__ = ["Soak", "Violation", "check_outcome", "summary"]
