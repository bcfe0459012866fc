"""Per-action token buckets on the injected clock, slowing down after throttling and recovering."""

from __future__ import annotations

import threading

import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.client.cdn_client import RetryPolicy
from alicloud_cdn_refresh.client.ratelimit import BETA, MIN_RATE, AdaptiveBucket, RateLimiter
from alicloud_cdn_refresh.clock import ManualClock
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
