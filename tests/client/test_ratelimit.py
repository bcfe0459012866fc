"""Per-action token buckets on the injected clock, slowing down after throttling and recovering."""

from __future__ import annotations

import threading

import httpx
import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.client.cdn_client import CdnClient, RetryPolicy
from alicloud_cdn_refresh.client.ratelimit import (
    ANSWER_ALLOWANCE,
    BETA,
    MIN_RATE,
    AdaptiveBucket,
    RateLimiter,
)
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from client_fakes import START, Recorder, error_response, json_response, make_client, page_body

DESCRIBE = products.Action.DESCRIBE_REFRESH_TASKS
BY_ID = products.Action.DESCRIBE_REFRESH_TASK_BY_ID


def ok_recorder():
    return Recorder(lambda request: json_response(page_body([]) | {"Tasks": [], "RefreshTaskId": "1"}))


def test_describe_calls_are_spaced_at_the_documented_5_per_second():
    clock = ManualClock(START)
    client = make_client(ok_recorder(), clock=clock)
    for _ in range(11):
        client.describe_refresh_tasks()
    assert limits.QPS_LIMITS[DESCRIBE] == 5.0
    assert clock.monotonic() == pytest.approx(10 / 5.0, abs=1e-4)  # first call free, then one per 0.2 s


def test_each_action_has_its_own_bucket():
    clock = ManualClock(START)
    client = make_client(ok_recorder(), clock=clock)
    client.describe_refresh_tasks()
    client.describe_refresh_task_by_id(["1"])
    client.refresh_object_caches(["http://a/1"])
    assert clock.slept == 0  # different actions do not wait for each other
    for _ in range(30):
        client.describe_refresh_task_by_id(["1"])
    assert clock.monotonic() == pytest.approx(30 / limits.QPS_LIMITS[BY_ID], abs=1e-4)


def test_limits_can_be_overridden_or_switched_off():
    clock = ManualClock(START)
    client = make_client(ok_recorder(), clock=clock, rate_limits={DESCRIBE: 1.0})
    for _ in range(4):
        client.describe_refresh_tasks()
    assert clock.monotonic() == pytest.approx(3.0, abs=1e-4)
    clock = ManualClock(START)
    client = make_client(ok_recorder(), clock=clock, rate_limit=False)
    for _ in range(50):
        client.describe_refresh_tasks()
    assert clock.slept == 0
    assert client.rate_limiter.rate(DESCRIBE) is None


def test_throttling_cuts_the_rate_and_it_recovers_towards_the_maximum():
    clock = ManualClock(START)
    recorder = Recorder(queue=[error_response("Throttling", 503), json_response(page_body([]))] * 3)
    client = make_client(
        recorder, clock=clock, retry=RetryPolicy(attempts=3, timeout=60, initial=0.01, max=0.01, jitter=False)
    )
    client.describe_refresh_tasks()
    limiter = client.rate_limiter
    # halved by the throttle, then a little cubic growth during the 0.4 s until the retry's slot
    assert 5.0 * BETA <= limiter.rate(DESCRIBE) < 5.0 * BETA + 0.1
    client.describe_refresh_tasks()
    client.describe_refresh_tasks()
    assert limiter.rate(DESCRIBE) < 5.0 * BETA  # cut again (cubic growth had not caught up)
    cut = limiter.rate(DESCRIBE)
    recorder.handler = lambda request: json_response(page_body([]))
    rates = []
    for _ in range(40):
        clock.advance(0.5)
        client.describe_refresh_tasks()
        rates.append(limiter.rate(DESCRIBE))
    assert rates == sorted(rates)  # never drops without a throttle
    assert rates[0] >= cut
    assert rates[-1] == pytest.approx(5.0)  # back at the configured maximum
    assert client.call_counts[DESCRIBE] == 46


def test_slowing_down_really_spaces_the_calls():
    clock = ManualClock(START)
    bucket = AdaptiveBucket(4.0, clock)
    for _ in range(3):
        bucket.on_throttle()
    assert bucket.rate == pytest.approx(max(MIN_RATE, 4.0 * BETA**3))
    start = clock.monotonic()
    bucket.acquire()
    bucket.acquire()
    assert clock.monotonic() - start >= 1.0 / bucket.rate * 0.99


def test_the_rate_never_falls_below_the_floor():
    bucket = AdaptiveBucket(5.0, ManualClock(START))
    for _ in range(20):
        bucket.on_throttle()
    assert bucket.rate == MIN_RATE
    assert bucket.throttle_count == 20


class FrozenClock:
    """Time stands still; sleeps are only recorded (so each wait shows which slot a caller got)."""

    def now(self):
        return START

    def monotonic(self):
        return 0.0

    def sleep(self, seconds):
        pass


def test_threads_share_a_bucket_each_getting_its_own_slot():
    bucket = AdaptiveBucket(10.0, FrozenClock())
    waits: list[float] = []
    lock = threading.Lock()

    def worker():
        for _ in range(10):
            wait = bucket.acquire()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 80 callers at the same instant: slots 0, 0.1, ..., 7.9 s, none shared, none skipped
    assert sorted(round(wait, 3) for wait in waits) == [round(n * 0.1, 3) for n in range(80)]


def test_rate_limiter_checks_and_repr():
    with pytest.raises(ValueError, match="> 0"):
        AdaptiveBucket(0, ManualClock(START))
    limiter = RateLimiter(ManualClock(START), {DESCRIBE: 2.0, "Other": 0})
    assert limiter.rate(DESCRIBE) == 2.0
    assert limiter.rate("Other") is None  # 0: unlimited
    assert limiter.acquire("Unknown") == 0.0
    assert "DescribeRefreshTasks=2/s" in repr(limiter)


# --- the call N later waits for the first one's answer (ANSWER_ALLOWANCE) ------------------------------


def _slots(bucket: AdaptiveBucket, clock: ManualClock, answer_times: list[float]) -> list[float]:
    """One caller: each call takes its slot, is answered after ``answer_times[i]`` s; the slots."""
    slots = []
    for took in answer_times:
        bucket.acquire()
        slots.append(clock.monotonic())
        clock.advance(took)
        bucket.finished()
    return slots


def test_a_late_answer_pushes_back_the_call_n_later_and_only_it():
    clock = ManualClock(START)
    bucket = AdaptiveBucket(5.0, clock)
    assert bucket.window_calls == 5
    slots = _slots(bucket, clock, [0.010] + [0.0] * 10)
    assert slots[:5] == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8], abs=1e-4)
    # the first call's answer came 10 ms after its slot: the 6th goes out 1 s + 10 ms after it
    assert slots[5] == pytest.approx(1.010, abs=1e-4)
    # the others keep 1/rate from it (their own answers took no time)
    assert slots[6:] == pytest.approx([1.210, 1.410, 1.610, 1.810, 2.010], abs=1e-4)


def test_an_answer_counts_up_to_the_allowance():
    clock = ManualClock(START)
    bucket = AdaptiveBucket(5.0, clock)
    slots = _slots(bucket, clock, [2.0] + [0.0] * 5)
    assert ANSWER_ALLOWANCE == 0.025
    # the first answer took 2 s (the calls after it waited for it: one caller), the 6th only 25 ms more
    assert slots[5] - slots[0] == pytest.approx(max(2.0 + 4 * 0.2, 1.0 + ANSWER_ALLOWANCE), abs=1e-4)
    clock = ManualClock(START)
    bucket = AdaptiveBucket(5.0, clock)
    slots = _slots(bucket, clock, [0.1] + [0.0] * 5)
    assert slots[5] - slots[0] == pytest.approx(1.0 + ANSWER_ALLOWANCE, abs=1e-4)


def test_every_call_answered_at_once_keeps_the_exact_spacing():
    clock = ManualClock(START)
    slots = _slots(AdaptiveBucket(30.0, clock), clock, [0.0] * 61)
    assert slots[-1] == pytest.approx(60 / 30.0, abs=1e-4)


def test_each_thread_reports_the_answer_to_its_own_call():
    clock = ManualClock(START)
    bucket = AdaptiveBucket(2.0, clock)  # N = 2
    bucket.acquire()  # A's call, slot 0.0, never reported (counts as answered at its slot)

    def b_call():
        bucket.acquire()  # B's call, slot 0.5
        clock.advance(0.020)
        bucket.finished()  # answered 20 ms after its slot

    thread = threading.Thread(target=b_call)
    thread.start()
    thread.join()
    slots = []
    for _ in range(2):
        bucket.acquire()
        slots.append(clock.monotonic())
    # 2 after A's: 1 s after its slot; 2 after B's: 1 s + 20 ms after its slot
    assert slots == pytest.approx([1.0, 1.52], abs=1e-4)


class _PausingClock(ManualClock):
    """A ManualClock whose first sleep on another thread than the test's waits for the test."""

    def __init__(self, start):
        super().__init__(start)
        self.main = threading.get_ident()
        self.sleeping = threading.Event()
        self.go_on = threading.Event()

    def sleep(self, seconds):
        if threading.get_ident() != self.main and not self.sleeping.is_set():
            self.sleeping.set()
            assert self.go_on.wait(5)
        super().sleep(seconds)


def test_with_more_callers_than_n_a_slot_given_before_the_answer_waits_for_it_on_waking():
    clock = _PausingClock(START)
    bucket = AdaptiveBucket(2.0, clock)  # N = 2
    bucket.acquire()  # A (this thread), slot 0.0, not answered yet
    clock.sleeping.set()  # B sleeps without pausing
    b = threading.Thread(target=lambda: (bucket.acquire(), bucket.finished()))  # B, slot 0.5
    b.start()
    b.join(5)
    clock.sleeping.clear()
    woke: list[float] = []

    def c_call():
        bucket.acquire()  # C, 2 after A: slot 1.0, given while A had no answer
        woke.append(clock.monotonic())

    thread = threading.Thread(target=c_call)
    thread.start()
    assert clock.sleeping.wait(5)
    clock.advance(0.015)
    bucket.finished()  # A is answered while C sleeps (515 ms after its slot: counts 25 ms)
    clock.go_on.set()
    thread.join(5)
    assert woke == pytest.approx([1.0 + ANSWER_ALLOWANCE], abs=1e-4)


def test_the_client_reports_each_answer_and_a_slow_server_spaces_the_window():
    clock = ManualClock(START)

    def slow(request):
        clock.advance(0.010)  # every answer takes 10 ms
        return json_response(page_body([]))

    client = make_client(Recorder(slow), clock=clock)
    for _ in range(11):
        client.describe_refresh_tasks()
    # calls 0-4 at 0.2 s apart, the 6th 1 s + 10 ms after the 1st, the 11th 1 s + 10 ms after the 6th
    assert clock.monotonic() == pytest.approx(2.020 + 0.010, abs=1e-4)
    limiter = RateLimiter(clock, {DESCRIBE: 5.0}, enabled=False)
    limiter.finished(DESCRIBE)  # off: nothing to do
    RateLimiter(clock).finished("Unknown")


class _Late(httpx.BaseTransport):
    """The emulator's in-process transport, each request reaching it ``delays[i]`` s after it left."""

    def __init__(self, inner: httpx.BaseTransport, clock: ManualClock, delays: list[float]) -> None:
        self.inner, self.clock, self.delays = inner, clock, delays

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.clock.advance(self.delays.pop(0) if self.delays else 0.0)
        return self.inner.handle_request(request)


def test_a_first_call_that_arrives_late_no_longer_gets_the_sixth_throttled():
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, seed=1)  # the documented QPS: 5 DescribeRefreshTasks a second
    client = CdnClient(
        endpoint="https://cdn.aliyuncs.com",
        credentials=Credentials("testid", "testsecret"),
        transport=_Late(emulator.transport(), clock, [0.020] + [0.0] * 30),
        clock=clock,
        retry=RetryPolicy.never(),
    )
    for _ in range(30):
        client.describe_refresh_tasks()  # 1/rate apart, the first 20 ms late: never 6 in 1 s
    assert client.rate_limiter.buckets[DESCRIBE].throttle_count == 0
    assert emulator.errors_returned == {}
