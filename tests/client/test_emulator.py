"""CdnClient against the emulator: in-process and over a real socket, both signatures, STS, faults."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.client.cdn_client import CdnClient, RetryPolicy
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator, FaultConfig
from alicloud_cdn_refresh.errors import ApiError
from alicloud_cdn_refresh.models import TaskStatus
from client_fakes import START

KEYS = Credentials("testid", "testsecret")
PATHS = [
    "http://a.example.com/with space.txt",
    "http://a.example.com/plus+sign.js",
    "http://a.example.com/star*~tilde",
    "http://a.example.com/pct%41&amp=1",
    "http://a.example.com/中文/图片.jpg",
    "http://a.example.com/app.js?v=1&lang=zh-CN",
]


def rig(version="v3", *, credentials=KEYS, rate_limit=True, retry=None, rate_limits=None, **emulator_kwargs):
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, seed=1, **emulator_kwargs)
    client = CdnClient(
        endpoint="https://cdn.aliyuncs.com",
        credentials=credentials,
        transport=emulator.transport(),
        signature_version=version,
        clock=clock,
        rate_limit=rate_limit,
        rate_limits=rate_limits,
        retry=retry,
    )
    return clock, emulator, client


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_submit_then_read_back_every_tricky_path(version):
    clock, emulator, client = rig(version, complete_after=10)
    ids = client.refresh_object_caches(PATHS)
    assert ids
    preload = client.push_object_cache(
        ["http://a.example.com/v.mp4"], area="domestic", with_header={"X": "1"}
    )
    for path in PATHS:
        page = client.describe_refresh_tasks(object_path=path)
        assert [t.object_path for t in page.tasks] == [path]
        assert page.tasks[0].status in (TaskStatus.PENDING, TaskStatus.REFRESHING)
    clock.advance(11)
    tasks = client.describe_refresh_task_by_id(ids + preload)
    assert {t.object_path for t in tasks} == {*PATHS, "http://a.example.com/v.mp4"}
    assert all(t.status.is_complete and t.process == 100 for t in tasks)
    listed = list(client.iter_refresh_tasks(start_time=START - timedelta(minutes=1), end_time=clock.now()))
    assert len(listed) == len(PATHS) + 1
    quota = client.describe_refresh_quota()
    assert quota.url_remain == quota.url_quota - len(PATHS)
    assert quota.preload_remain == quota.preload_quota - 1
    assert sum(emulator.requests_served.values()) == sum(client.call_counts.values())


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_sts_credentials_are_accepted_and_a_wrong_token_is_not(version):
    _, emulator, client = rig(version, credentials=Credentials("STS.tmp", "sts-secret", "the-token"))
    emulator.add_sts_token("STS.tmp", "sts-secret", "the-token")
    assert client.describe_refresh_tasks().total_count == 0
    _, emulator, client = rig(version, credentials=Credentials("STS.tmp", "sts-secret", "other-token"))
    emulator.add_sts_token("STS.tmp", "sts-secret", "the-token")
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_tasks()
    assert caught.value.http_status in (400, 403)
    assert "other-token" not in str(caught.value)


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_a_wrong_secret_fails_at_once_with_the_gateway_code(version):
    _, _emulator, client = rig(version, credentials=Credentials("testid", "wrong"))
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_quota()
    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.request_id
    assert client.call_counts["DescribeRefreshQuota"] == 1


def test_client_side_limits_keep_the_emulator_from_throttling():
    clock, emulator, client = rig()
    for _ in range(30):
        client.describe_refresh_tasks()
    assert client.call_counts[products.Action.DESCRIBE_REFRESH_TASKS] == 30  # no retries were needed
    assert emulator.requests_served[products.Action.DESCRIBE_REFRESH_TASKS] == 30
    assert clock.monotonic() >= 29 / limits.QPS_LIMITS[products.Action.DESCRIBE_REFRESH_TASKS] - 1e-6


def test_a_client_too_fast_for_the_server_retries_throttling_and_slows_down():
    retry = RetryPolicy(attempts=8, timeout=60, initial=0.05, max=1.0, jitter=False)
    _clock, _emulator, client = rig(rate_limit=True, retry=retry)
    client.rate_limiter.buckets[products.Action.DESCRIBE_REFRESH_TASKS].max_rate = 50.0  # too fast for 5/s
    client.rate_limiter.buckets[products.Action.DESCRIBE_REFRESH_TASKS].rate = 50.0
    for _ in range(40):
        client.describe_refresh_tasks()
    attempts = client.call_counts[products.Action.DESCRIBE_REFRESH_TASKS]
    assert attempts > 40  # some answers were Throttling and were retried
    assert client.rate_limiter.rate(products.Action.DESCRIBE_REFRESH_TASKS) < 50.0  # and it slowed down


def test_injected_faults_are_survived_by_retries():
    faults = FaultConfig(rate=0.3, kinds=("500", "503", "drop", "malformed", "truncated"), seed=3)
    retry = RetryPolicy(attempts=10, timeout=120, initial=0.05, max=0.5)
    _clock, emulator, client = rig(faults=faults, retry=retry, complete_after=1)
    # A submit is not resent after an answer that may mean it was accepted (a dropped connection, a
    # garbled 200, a 500): that would purge twice. It is sent without faults here; the submit policy
    # has its own tests (tests/client/test_submit.py).
    faults.rate = 0.0
    ids = client.refresh_object_caches([f"http://a.example.com/{n}" for n in range(5)])
    assert ids
    faults.rate = 0.3
    for _ in range(30):
        client.describe_refresh_tasks(object_type="file", domain_name="a.example.com")
    assert sum(emulator.faults_injected.values()) > 0
    assert sum(client.call_counts.values()) > 31


def test_over_a_real_socket():
    emulator = Emulator(access_keys={"testid": "testsecret"})
    with emulator.serve() as server, CdnClient(endpoint=server.url, credentials=KEYS) as client:
        ids = client.refresh_object_caches(PATHS[:3])
        tasks = client.describe_refresh_task_by_id(ids)
        assert {t.object_path for t in tasks} == set(PATHS[:3])
        assert client.endpoint == server.url
