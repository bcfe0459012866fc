"""QPS limits, daily quotas and fault injection of the emulator (in-process, manual clock)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import FAULT_KINDS, Emulator, FaultConfig
from emulator_helpers import Caller

A = products.Action
START = datetime.now(timezone.utc).replace(microsecond=0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


# --- QPS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(limits.QPS_LIMITS))
def test_each_action_has_its_documented_qps(clock: ManualClock, action: str) -> None:
    emulator = Emulator(clock=clock, quotas=False)
    caller = Caller(emulator, clock=clock)
    params = (
        {"TaskId": "1"} if action in (A.DESCRIBE_REFRESH_TASK_BY_ID, A.DESCRIBE_PRELOAD_DETAIL_BY_ID) else {}
    )
    if action in (A.REFRESH_OBJECT_CACHES, A.PUSH_OBJECT_CACHE):
        params = {"ObjectPath": "http://a.com/x"}
    limit = int(limits.QPS_LIMITS[action])
    for _ in range(limit):
        caller.call(action, params)
    response = caller.raw(action, params)
    assert response.status_code == 503
    body = response.json()
    assert body["Code"] == "Throttling"
    assert body["Message"] == "Request was denied due to request throttling."
    assert int(response.headers["x-acs-retry-after"]) > 0
    clock.advance(0.5)
    assert caller.raw(action, params).status_code == 503
    clock.advance(0.5)
    caller.call(action, params)


def test_qps_is_per_account_and_per_action(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, access_keys={"a": "sa", "b": "sb"})
    one, two = (
        Caller(emulator, key_id="a", secret="sa", clock=clock),
        Caller(emulator, key_id="b", secret="sb", clock=clock),
    )
    for _ in range(5):
        one.tasks()
    assert one.raw(A.DESCRIBE_REFRESH_TASKS).status_code == 503
    two.tasks()
    one.call(A.DESCRIBE_REFRESH_QUOTA)


def test_sliding_window(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock)
    caller = Caller(emulator, clock=clock)
    for _ in range(3):
        caller.tasks()
    clock.advance(0.6)
    caller.tasks()
    caller.tasks()
    assert caller.raw(A.DESCRIBE_REFRESH_TASKS).status_code == 503
    clock.advance(0.41)  # the first three left the window
    for _ in range(3):
        caller.tasks()
    assert caller.raw(A.DESCRIBE_REFRESH_TASKS).status_code == 503


def test_qps_off_and_scaled(clock: ManualClock) -> None:
    off = Caller(Emulator(clock=clock, qps_limits=False), clock=clock)
    for _ in range(50):
        off.tasks()
    scaled = Caller(Emulator(clock=clock, qps_limits=2.0), clock=clock)
    for _ in range(10):
        scaled.tasks()
    assert scaled.raw(A.DESCRIBE_REFRESH_TASKS).status_code == 503
    with pytest.raises(ValueError, match="qps_limits"):
        Emulator(qps_limits=0.0)


# --- quotas --------------------------------------------------------------------------------------


def test_quota_kinds_and_errors(clock: ManualClock) -> None:
    emulator = Emulator(
        clock=clock, qps_limits=False, quotas=0.01
    )  # url 100, dir 1, regex 1 (min 1), preload 10
    caller = Caller(emulator, clock=clock)
    quota = caller.call(A.DESCRIBE_REFRESH_QUOTA)
    assert (quota["UrlQuota"], quota["DirQuota"], quota["PreloadQuota"]) == ("100", "1", "10")
    caller.refresh("http://a.com/d/", object_type="Directory")
    response = caller.raw(
        A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/e/", "ObjectType": "Directory"}
    )
    assert (response.status_code, response.json()["Code"]) == (400, "QuotaExceeded.Refresh")
    caller.refresh("http://a.com/.*\\.js", object_type="Regex")
    assert (
        caller.raw(
            A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/x", "ObjectType": "Regex"}
        ).status_code
        == 400
    )
    caller.refresh(*[f"http://a.com/{i}" for i in range(100)])
    assert (
        caller.raw(A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/last"}).json()["Code"]
        == "QuotaExceeded.Refresh"
    )
    quota = caller.call(A.DESCRIBE_REFRESH_QUOTA)
    assert (quota["UrlRemain"], quota["DirRemain"], quota["RegexRemain"]) == ("0", "0", "0")
    emulator.reset_quotas()
    assert caller.call(A.DESCRIBE_REFRESH_QUOTA)["UrlRemain"] == "100"


def test_quota_is_all_or_nothing_and_resets_at_beijing_midnight() -> None:
    clock = ManualClock(datetime(2026, 11, 28, 15, 59, 0, tzinfo=timezone.utc))  # 23:59 in Beijing
    emulator = Emulator(clock=clock, qps_limits=False)
    emulator.set_quota("url", 2)
    caller = Caller(emulator, clock=clock)
    assert (
        caller.raw(
            A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/1\nhttp://a.com/2\nhttp://a.com/3"}
        ).status_code
        == 400
    )
    assert emulator.tasks() == []
    caller.refresh("http://a.com/1", "http://a.com/2")
    clock.advance(60)
    assert caller.call(A.DESCRIBE_REFRESH_QUOTA)["UrlRemain"] == "2"


def test_quotas_off(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, qps_limits=False, quotas=False)
    emulator.set_quota("url", 1)
    Caller(emulator, clock=clock).refresh("http://a.com/1", "http://a.com/2")
    assert len(emulator.tasks()) == 2


def test_domains_restriction(clock: ManualClock) -> None:
    caller = Caller(Emulator(clock=clock, domains=["mine.com"]), clock=clock)
    caller.refresh("http://MINE.com/x")
    response = caller.raw(A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://theirs.com/x"})
    assert (response.status_code, response.json()["Code"]) == (404, "InvalidDomain.NotFound")


# --- faults --------------------------------------------------------------------------------------


def test_every_request_faulty_at_rate_one(clock: ManualClock) -> None:
    emulator = Emulator(
        clock=clock, qps_limits=False, faults=FaultConfig(rate=1.0, kinds=("500", "503"), seed=1)
    )
    caller = Caller(emulator, clock=clock)
    codes = set()
    for _ in range(20):
        response = caller.raw(A.DESCRIBE_REFRESH_TASKS)
        codes.add((response.status_code, response.json()["Code"]))
    assert codes == {(500, "InternalError"), (503, "ServiceUnavailable")}
    assert sum(emulator.faults_injected.values()) == 20
    assert emulator.requests_served[A.DESCRIBE_REFRESH_TASKS] == 20
    # nothing was processed
    assert caller.raw(A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/x"}).status_code >= 500
    assert emulator.tasks() == []


def test_drop_raises_remote_protocol_error_in_process(clock: ManualClock) -> None:
    caller = Caller(Emulator(clock=clock, faults=FaultConfig(rate=1.0, kinds=("drop",))), clock=clock)
    with pytest.raises(httpx.RemoteProtocolError):
        caller.tasks()


def test_slow_sleeps_on_the_clock_and_times_out(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, faults=FaultConfig(rate=1.0, kinds=("slow",), slow_seconds=3))
    caller = Caller(emulator, clock=clock)
    before = clock.monotonic()
    caller.tasks()
    assert clock.monotonic() - before == 3
    with pytest.raises(httpx.ReadTimeout):
        caller.http.post(
            "/",
            headers={"x-acs-action": A.DESCRIBE_REFRESH_TASKS, "x-acs-version": products.API_VERSION},
            timeout=1.0,
        )
    assert clock.monotonic() - before == 4


def test_malformed_and_truncated_bodies_after_processing(clock: ManualClock) -> None:
    for kind in ("malformed", "truncated"):
        emulator = Emulator(clock=clock, faults=FaultConfig(rate=1.0, kinds=(kind,)))
        response = Caller(emulator, clock=clock).raw(
            A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/x"}
        )
        assert response.status_code == 200
        with pytest.raises(json.JSONDecodeError):
            response.json()
        assert len(emulator.tasks()) == 1  # the submit happened; only the answer broke
        assert emulator.faults_injected == {kind: 1}


def test_fault_rate_is_about_right_and_seeded(clock: ManualClock) -> None:
    def run(seed: int) -> list[int]:
        emulator = Emulator(
            clock=clock, qps_limits=False, faults=FaultConfig(rate=0.3, kinds=("503",), seed=seed)
        )
        caller = Caller(emulator, clock=clock)
        return [caller.raw(A.DESCRIBE_REFRESH_QUOTA).status_code for _ in range(200)]

    first = run(5)
    assert first == run(5)
    assert 35 <= first.count(503) <= 85


def test_fault_config_validation() -> None:
    with pytest.raises(ValueError, match="rate"):
        FaultConfig(rate=1.5)
    with pytest.raises(ValueError, match="unknown fault"):
        FaultConfig(rate=0.1, kinds=("explode",))
    assert set(FaultConfig().kinds) == set(FAULT_KINDS)


def test_seed_task_in_the_past_follows_its_lifecycle(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, complete_after=60)
    emulator.seed_task("http://a.com/x", created=START - timedelta(seconds=30))
    (task,) = emulator.tasks()
    assert task.status.value == "Refreshing"
    clock.advance(30)
    assert emulator.tasks()[0].status.is_complete


# --- scripted and account-state errors ------------------------------------------------------------


def test_fail_next_answers_any_catalogued_error(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, qps_limits=False)
    caller = Caller(emulator, clock=clock)
    emulator.fail_next("ServiceBusy", action=A.REFRESH_OBJECT_CACHES, times=2)
    emulator.fail_next("Throttling.User")
    first = caller.raw(A.DESCRIBE_REFRESH_TASKS)  # not a refresh: takes the any-action entry
    assert (first.status_code, first.json()["Code"]) == (400, "Throttling.User")
    for _ in range(2):
        busy = caller.raw(A.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://a.com/x"})
        assert (busy.status_code, busy.json()["Code"]) == (403, "ServiceBusy")
    caller.refresh("http://a.com/x")
    assert len(emulator.tasks()) == 1
    with pytest.raises(ValueError, match="unknown error code"):
        emulator.fail_next("NoSuchCode")


def test_service_closed_and_domain_offline(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, qps_limits=False)
    caller = Caller(emulator, clock=clock)
    emulator.set_service_open(False)
    denied = caller.raw(A.DESCRIBE_REFRESH_TASKS)
    assert (denied.status_code, denied.json()["Code"]) == (403, "OperationDenied")
    emulator.set_service_open(True)
    emulator.set_domain_offline("Off.com")
    offline = caller.raw(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://off.com/x"})
    assert (offline.status_code, offline.json()["Code"]) == (404, "InvalidDomain.Offline")
    emulator.set_domain_offline("off.com", offline=False)
    caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://off.com/x"})


def test_preload_queue_full_until_tasks_finish(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, qps_limits=False, preload_queue=3, complete_after=10)
    caller = Caller(emulator, clock=clock)
    caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/1\nhttp://a.com/2"})
    full = caller.raw(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/3\nhttp://a.com/4"})
    assert (full.status_code, full.json()["Code"]) == (403, "PreloadQueueFull")
    caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/3"})
    clock.advance(10)
    caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/4\nhttp://a.com/5\nhttp://a.com/6"})
