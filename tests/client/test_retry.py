"""Errors become ApiError; retryable ones are retried with backoff inside a budget, on the clock."""

from __future__ import annotations

import random

import httpx
import pytest

from alicloud_cdn_refresh.client.cdn_client import RetryPolicy
from alicloud_cdn_refresh.client.retry import retry_after_seconds
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.errors import ApiError
from client_fakes import START, Recorder, error_response, json_response, make_client, page_body, task

OK = page_body([task("1", "http://a/1")])
NO_JITTER = RetryPolicy(attempts=5, timeout=60.0, initial=0.2, max=1.0, jitter=False)


def client_for(queue, *, retry=NO_JITTER, rate_limit=False):
    clock = ManualClock(START)
    recorder = Recorder(queue=list(queue))
    return recorder, clock, make_client(recorder, clock=clock, retry=retry, rate_limit=rate_limit)


def test_error_body_becomes_api_error_with_every_field_at_once_for_4xx():
    recorder, clock, client = client_for([error_response("InvalidObjectPath.Malformed", 400, "bad path")])
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_tasks(object_path="http://a/1")
    error = caught.value
    assert (error.code, error.message, error.request_id, error.http_status, error.action) == (
        "InvalidObjectPath.Malformed",
        "bad path",
        "REQ-ERR",
        400,
        "DescribeRefreshTasks",
    )
    assert not error.retryable
    assert len(recorder.requests) == 1
    assert clock.slept == 0


@pytest.mark.parametrize(
    "failure",
    [
        lambda: error_response("Throttling", 503),
        lambda: error_response("Throttling.User", 400),
        lambda: error_response("ServiceUnavailable", 503),
        lambda: error_response("InternalError", 500),
        lambda: httpx.Response(502, content=b"<html>Bad Gateway</html>"),
        lambda: httpx.Response(504, content=b""),
        lambda: httpx.ConnectError("connection refused"),
        lambda: httpx.ReadTimeout("read timed out"),
        lambda: httpx.RemoteProtocolError("peer closed connection"),
        lambda: httpx.Response(200, content=b'{"Tasks": {"CDNTask": [{"TaskId": "1", "Obj'),
        lambda: httpx.Response(200, content=b"<html>proxy login</html>"),
    ],
    ids=[
        "throttling",
        "throttling-user",
        "unavailable",
        "internal",
        "502-html",
        "504-empty",
        "connect",
        "read-timeout",
        "protocol",
        "truncated-json",
        "not-json",
    ],
)
def test_retryable_failures_are_retried_with_capped_exponential_backoff(failure):
    recorder, clock, client = client_for([failure(), failure(), failure(), json_response(OK)])
    page = client.describe_refresh_tasks()
    assert [t.task_id for t in page.tasks] == ["1"]
    assert len(recorder.requests) == 4
    assert client.call_counts["DescribeRefreshTasks"] == 4
    assert clock.sleeps == 3
    assert clock.slept == pytest.approx(0.2 + 0.4 + 0.8)


def test_backoff_is_capped_and_gives_up_after_the_attempts():
    recorder, clock, client = client_for([error_response("InternalError", 500)] * 10)
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_tasks()
    assert caught.value.code == "InternalError"
    assert caught.value.http_status == 500
    assert len(recorder.requests) == 5
    assert clock.slept == pytest.approx(0.2 + 0.4 + 0.8 + 1.0)  # the 4th delay is capped at max


def test_transport_errors_end_as_api_error_transport_error():
    recorder, _clock, client = client_for([httpx.ConnectError("refused")] * 5)
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_quota()
    assert caught.value.code == "TransportError"
    assert caught.value.action == "DescribeRefreshQuota"
    assert "ConnectError" in caught.value.message
    assert "refused" in caught.value.message
    assert caught.value.__cause__ is None
    assert len(recorder.requests) == 5


def test_x_acs_retry_after_is_honoured():
    throttled = error_response("Throttling", 503, headers={"x-acs-retry-after": "2500"})
    _recorder, clock, client = client_for([throttled, json_response(OK)])
    client.describe_refresh_tasks()
    assert clock.sleeps == 1
    assert clock.slept == pytest.approx(2.5)


@pytest.mark.parametrize("header", ["0", "-5", "1.5", "soon", "١٢".encode()])
def test_a_retry_after_that_is_not_a_positive_integer_is_ignored(header):
    throttled = error_response("Throttling", 503, headers={"x-acs-retry-after": header})
    _recorder, clock, client = client_for([throttled, json_response(OK)])
    client.describe_refresh_tasks()
    assert clock.slept == pytest.approx(0.2)


def test_the_budget_is_never_slept_past():
    policy = RetryPolicy(attempts=50, timeout=3.0, initial=0.5, max=2.0, jitter=False)
    recorder, clock, client = client_for([error_response("ServiceUnavailable", 503)] * 50, retry=policy)
    with pytest.raises(ApiError):
        client.describe_refresh_tasks()
    assert clock.slept <= 3.0
    assert clock.slept == pytest.approx(0.5 + 1.0)  # the next 2.0 s would cross the 3 s budget
    assert len(recorder.requests) == 3


def test_a_retry_after_beyond_the_budget_gives_up_at_once():
    policy = RetryPolicy(attempts=5, timeout=10.0)
    throttled = error_response("Throttling", 503, headers={"x-acs-retry-after": "60000"})
    recorder, clock, client = client_for([throttled, json_response(OK)], retry=policy)
    with pytest.raises(ApiError, match="Throttling"):
        client.describe_refresh_tasks()
    assert clock.slept == 0
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "answer",
    [
        error_response("SignatureDoesNotMatch", 400),
        error_response("InvalidAccessKeyId.NotFound", 404),
        error_response("OperationDenied", 403),
        error_response("InvalidDomain.NotFound", 404),
        httpx.Response(404, content=b"not found"),
    ],
)
def test_other_4xx_fail_at_once(answer):
    recorder, clock, client = client_for([answer, json_response(OK)])
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_tasks()
    assert not caught.value.retryable
    assert len(recorder.requests) == 1
    assert clock.slept == 0


def test_full_jitter_stays_within_the_capped_exponential_ceiling():
    policy = RetryPolicy(attempts=10, timeout=100, initial=0.2, max=5.0, jitter=True)
    rng = random.Random(7)
    for retry_number in range(8):
        ceiling = min(5.0, 0.2 * 2**retry_number)
        draws = [policy.backoff(retry_number, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8  # really spread over the range, not a constant


def test_jittered_sleeps_go_through_the_clock_only(monkeypatch):
    import time

    monkeypatch.setattr(time, "sleep", lambda s: pytest.fail("slept for real"))
    policy = RetryPolicy(attempts=4, timeout=30, initial=1.0, max=4.0, jitter=True)
    _recorder, clock, client = client_for(
        [error_response("InternalError", 500)] * 3 + [json_response(OK)], retry=policy
    )
    client.describe_refresh_tasks()
    assert clock.sleeps <= 3
    assert clock.slept <= 1.0 + 2.0 + 4.0


def test_retry_policy_checks_its_values_and_helpers():
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="timeout"):
        RetryPolicy(timeout=0)
    assert RetryPolicy.never().delay(0, elapsed=0) is None
    assert retry_after_seconds({"x-acs-retry-after": "1500"}) == 1.5
    assert retry_after_seconds({}) is None


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"[1, 2]", "not an object"),
        (b'{"Tasks": "oops", "TotalCount": 1}', "Tasks is a str"),
        (b'{"Tasks": {"CDNTask": [{"TaskId": "1"}]}, "TotalCount": 1}', "missing field"),
        (
            b'{"Tasks": {"CDNTask": [{"TaskId": "1", "ObjectPath": "p", "Status": "Complete",'
            b' "CreationTime": "2026-11-28 10:00:00"}]}, "TotalCount": 1}',
            "CreationTime",
        ),
        (b'{"Tasks": {"CDNTask": []}}', "TotalCount is missing"),
        (b'{"Tasks": {"CDNTask": []}, "TotalCount": "many"}', "not an integer"),
    ],
)
def test_malformed_bodies_are_api_errors_never_key_or_type_errors(body, fragment):
    policy = RetryPolicy(attempts=2, timeout=10, initial=0.1, jitter=False)
    _recorder, _clock, client = client_for([httpx.Response(200, content=body)] * 2, retry=policy)
    with pytest.raises(ApiError) as caught:
        client.describe_refresh_tasks()
    assert caught.value.code == "MalformedResponse"
    assert fragment in caught.value.message
    assert caught.value.action == "DescribeRefreshTasks"


def test_malformed_submit_and_quota_answers():
    _recorder, _clock, client = client_for(
        [json_response({"RequestId": "R"})] * 2 + [json_response({"UrlQuota": "x", "RequestId": "R"})] * 2,
        retry=RetryPolicy(attempts=2, timeout=10, initial=0.1, jitter=False),
    )
    with pytest.raises(ApiError, match="RefreshTaskId is missing"):
        client.refresh_object_caches(["http://a/1"])
    with pytest.raises(ApiError, match="MalformedResponse"):
        client.describe_refresh_quota()


def test_an_error_body_with_status_200_is_still_an_error():
    _recorder, _clock, client = client_for([error_response("InvalidTaskId.Malformed", 200)])
    with pytest.raises(ApiError, match=r"InvalidTaskId\.Malformed"):
        client.describe_refresh_tasks(task_id="1")
