"""Submits: batched along every limit of the table, resent only when the service refused them,
partial submits reported whole, the quota checked before sending when asked."""

from __future__ import annotations

import pickle
from email.utils import format_datetime

import httpx
import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.client.cdn_client import CdnClient, RetryPolicy
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import ApiError, InsufficientQuota, InvalidQuery, PartialSubmit
from alicloud_cdn_refresh.models import ObjectType
from alicloud_cdn_refresh.paths import domain_of
from client_fakes import START, Recorder, error_response, json_response, make_client, page_body, task

A = products.Action
NO_JITTER = RetryPolicy(attempts=5, timeout=60.0, initial=0.2, max=1.0, jitter=False)


def ids_answer(request: httpx.Request) -> httpx.Response:
    """A RefreshTaskId / PushTaskId answer with one id per call (the call's number)."""
    action = request.headers.get("x-acs-action", "")
    field = "PushTaskId" if action == A.PUSH_OBJECT_CACHE else "RefreshTaskId"
    ids_answer.count += 1  # type: ignore[attr-defined]
    return json_response({field: str(1000 + ids_answer.count), "RequestId": "R"})  # type: ignore[attr-defined]


ids_answer.count = 0  # type: ignore[attr-defined]


def form(request: httpx.Request) -> dict[str, str]:
    return dict(httpx.QueryParams(request.content.decode()))


def emulator_rig(**kwargs):
    clock = ManualClock(START)
    emulator = Emulator(clock=clock, seed=1, **kwargs)
    client = CdnClient(
        endpoint="https://cdn.aliyuncs.com",
        credentials=Credentials("testid", "testsecret"),
        transport=emulator.transport(),
        clock=clock,
        retry=NO_JITTER,
    )
    return clock, emulator, client


# --- batching along the table ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("object_type", "count", "sizes"),
    [
        ("File", 2_500, [1_000, 1_000, 500]),
        ("Directory", 250, [100, 100, 50]),
        ("Regex", 3, [1, 1, 1]),
        ("IgnoreParams", 1_500, [1_000, 500]),
        ("ExQuery", 1_001, [1_000, 1]),
    ],
)
def test_refresh_batches_by_the_per_call_limit_of_its_type(object_type, count, sizes):
    recorder = Recorder(ids_answer)
    client = make_client(recorder, rate_limit=False)
    suffix = "/" if object_type == "Directory" else ""
    paths = [f"http://a.example.com/{n}{suffix}" for n in range(count)]
    ids = client.refresh_object_caches(paths, object_type=object_type)
    sent = [form(r) for r in recorder.requests]
    assert [len(f["ObjectPath"].split("\n")) for f in sent] == sizes
    assert {f["ObjectType"] for f in sent} == {object_type}
    assert [p for f in sent for p in f["ObjectPath"].split("\n")] == paths
    assert len(ids) == len(sizes)


def test_refresh_keeps_each_call_to_ten_domains_and_a_domains_paths_together():
    recorder = Recorder(ids_answer)
    client = make_client(recorder, rate_limit=False)
    paths = [f"http://d{n % 25}.example.com/{n}" for n in range(75)]  # interleaved on purpose
    client.refresh_object_caches(paths)
    batches = [form(r)["ObjectPath"].split("\n") for r in recorder.requests]
    assert [len({domain_of(p) for p in batch}) for batch in batches] == [10, 10, 5]
    for batch in batches:  # one domain's three paths are contiguous, in their order
        domains = [domain_of(p) for p in batch]
        assert domains == sorted(domains, key=domains.index)
    assert sorted(p for batch in batches for p in batch) == sorted(paths)


def test_preload_batches_by_100_and_sends_query_hashkey_and_consistency_hash_only_when_given():
    recorder = Recorder(ids_answer)
    client = make_client(recorder, rate_limit=False)
    paths = [f"http://a.example.com/{n}" for n in range(150)]
    client.push_object_cache(paths, query_hashkey=True, consistency_hash=False)
    sent = [form(r) for r in recorder.requests]
    assert [len(f["ObjectPath"].split("\n")) for f in sent] == [100, 50]
    assert {(f["QueryHashkey"], f["ConsistencyHash"]) for f in sent} == {("true", "false")}
    client.push_object_cache(paths[:1])
    assert "QueryHashkey" not in form(recorder.requests[-1])
    assert "ConsistencyHash" not in form(recorder.requests[-1])
    with pytest.raises(InvalidQuery, match="QueryHashkey"):
        client.push_object_cache(paths[:1], query_hashkey="yes")  # type: ignore[arg-type]


def test_a_domain_gets_at_most_10000_urls_a_minute_the_client_waits_for_the_minute():
    clock, emulator, client = emulator_rig(complete_after=1)
    emulator.set_quota("url", 100_000)
    paths = [f"http://busy.example.com/{n}" for n in range(25_000)]
    started = clock.monotonic()
    ids = client.refresh_object_caches(paths)
    assert ids
    assert emulator.errors_returned["QuotaPerMinuteExceeded.Refresh"] == 0
    assert len(emulator.tasks()) == 25_000
    assert clock.monotonic() - started >= 2 * limits.PER_DOMAIN_WINDOW.total_seconds() - 1
    assert client.call_counts[A.REFRESH_OBJECT_CACHES] == 25


# --- what is resent ---------------------------------------------------------------------------------

REFUSED = [
    lambda: error_response("Throttling", 503),
    lambda: error_response("Throttling.User", 400),
    lambda: error_response("TooManyRequests", 429),
    lambda: error_response("TooMany.Refresh", 400),
    lambda: error_response("QuotaPerMinuteExceeded.Refresh", 400),
    lambda: error_response("PreloadQueueFull", 403),
    lambda: error_response("ServiceBusy", 403),
    lambda: error_response("ServiceUnavailable", 503),
    lambda: httpx.Response(503, content=b"<html>busy</html>"),
    lambda: httpx.ConnectError("connection refused"),
    lambda: httpx.ConnectTimeout("connect timed out"),
]
MAYBE_ACCEPTED = [
    lambda: error_response("InternalError", 500),
    lambda: httpx.Response(502, content=b"<html>Bad Gateway</html>"),
    lambda: httpx.Response(504, content=b""),
    lambda: httpx.ReadTimeout("read timed out"),
    lambda: httpx.RemoteProtocolError("peer closed connection"),
    lambda: httpx.WriteTimeout("write timed out"),
    lambda: httpx.Response(200, content=b'{"RefreshTaskId": "12'),
    lambda: httpx.Response(200, content=b"<html>proxy</html>"),
]


@pytest.mark.parametrize("submit", ["refresh", "push"])
@pytest.mark.parametrize("failure", REFUSED, ids=[f"refused{n}" for n in range(len(REFUSED))])
def test_a_submit_the_service_refused_is_sent_again(failure, submit):
    recorder = Recorder(ids_answer, queue=[failure()])
    client = make_client(recorder, retry=NO_JITTER, rate_limit=False)
    call = client.refresh_object_caches if submit == "refresh" else client.push_object_cache
    assert call(["http://a.example.com/x"])
    assert len(recorder.requests) == 2


@pytest.mark.parametrize("submit", ["refresh", "push", "tag"])
@pytest.mark.parametrize("failure", MAYBE_ACCEPTED, ids=[f"maybe{n}" for n in range(len(MAYBE_ACCEPTED))])
def test_a_submit_that_may_have_been_accepted_is_never_sent_again(failure, submit):
    recorder = Recorder(ids_answer, queue=[failure(), failure()])
    client = make_client(recorder, retry=NO_JITTER, rate_limit=False)
    calls = {
        "tag": lambda: client.refresh_object_cache_by_cache_tag("a.example.com", ["t1"]),
        "refresh": lambda: client.refresh_object_caches(["http://a.example.com/x"]),
        "push": lambda: client.push_object_cache(["http://a.example.com/x"]),
    }
    with pytest.raises(ApiError) as caught:
        calls[submit]()
    assert len(recorder.requests) == 1
    assert not caught.value.retryable_submit
    assert caught.value.retryable  # a read would have been retried
    if caught.value.code == "TransportError":
        assert caught.value.request_sent is True


def test_reads_are_still_retried_after_those_failures():
    for failure in MAYBE_ACCEPTED[:-2]:
        recorder = Recorder(lambda r: json_response(page_body([task("1", "http://a/1")])), queue=[failure()])
        client = make_client(recorder, retry=NO_JITTER, rate_limit=False)
        assert client.describe_refresh_tasks().tasks
        assert len(recorder.requests) == 2


def test_a_connection_never_made_is_marked_unsent():
    recorder = Recorder(ids_answer, queue=[httpx.ConnectError("refused")] * 5)
    client = make_client(recorder, retry=RetryPolicy(attempts=2, jitter=False), rate_limit=False)
    with pytest.raises(ApiError) as caught:
        client.refresh_object_caches(["http://a.example.com/x"])
    assert (caught.value.code, caught.value.request_sent) == ("TransportError", False)
    assert caught.value.retryable_submit
    assert len(recorder.requests) == 2


@pytest.mark.parametrize(
    ("headers", "slept"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": format_datetime(START.replace(second=4), usegmt=True)}, 4.0),
        ({"Retry-After": "3", "x-acs-retry-after": "1500"}, 1.5),
        ({"Retry-After": "soon"}, 0.2),
    ],
)
def test_retry_after_and_x_acs_retry_after_are_honoured(headers, slept):
    answer = error_response("TooManyRequests", 429, headers=headers)
    recorder = Recorder(ids_answer, queue=[answer])
    clock = ManualClock(START)
    client = make_client(recorder, clock=clock, retry=NO_JITTER, rate_limit=False)
    client.refresh_object_caches(["http://a.example.com/x"])
    assert clock.slept == pytest.approx(slept)


# --- nothing lost ----------------------------------------------------------------------------------


def test_10000_urls_against_a_quota_that_runs_out_name_the_9000_accepted_and_their_ids():
    clock, emulator, client = emulator_rig(complete_after=60)
    emulator.set_quota("url", 9_500)
    paths = [f"http://big.example.com/file-{n}.js" for n in range(10_000)]
    with pytest.raises(PartialSubmit) as caught:
        client.refresh_object_caches(paths)
    error = caught.value
    assert error.accepted_paths == tuple(paths[:9_000])
    assert error.rejected_paths == tuple(paths[9_000:])
    assert error.uncertain_paths == ()
    assert (error.cause.code, error.cause.http_status) == ("QuotaExceeded.Refresh", 400)
    assert len(error.accepted) == 9
    stored = {t.object_path: t.task_id for t in emulator.tasks()}
    assert set(stored) == set(paths[:9_000])
    assert set(error.task_ids) == set(stored.values())
    assert len(error.task_ids) == 5  # 2,000 URLs of a domain per id: what issue 16 saw
    for batch in error.accepted:
        assert {stored[p] for p in batch.paths} == set(batch.task_ids)
    again = pickle.loads(pickle.dumps(error))
    assert (again.accepted, again.rejected_paths, again.cause.code) == (
        error.accepted,
        error.rejected_paths,
        "QuotaExceeded.Refresh",
    )
    assert "9000 of 10000 path(s) accepted under 5 task id(s)" in str(error)
    assert "testsecret" not in str(error) + repr(pickle.dumps(error))
    # and the accepted paths can be waited for, by id
    clock.advance(61)
    done = client.describe_refresh_task_by_id(error.task_ids)
    assert len(done) == 9_000
    assert all(t.status.is_complete for t in done)


def test_a_lost_answer_mid_way_is_reported_as_uncertain_not_as_rejected():
    recorder = Recorder(
        ids_answer,
        queue=[json_response({"RefreshTaskId": "1", "RequestId": "R"}), httpx.ReadTimeout("slow")],
    )
    client = make_client(recorder, retry=NO_JITTER, rate_limit=False)
    paths = [f"http://a.example.com/{n}/" for n in range(250)]
    with pytest.raises(PartialSubmit) as caught:
        client.refresh_object_caches(paths, object_type="Directory")
    error = caught.value
    assert error.accepted == ((("1",), tuple(paths[:100])),)
    assert error.uncertain_paths == tuple(paths[100:200])
    assert error.rejected_paths == tuple(paths[200:])
    assert error.cause.code == "TransportError"
    assert len(recorder.requests) == 2
    assert "100 sent but unanswered" in str(error)


def test_a_first_call_that_fails_raises_its_own_api_error():
    recorder = Recorder(ids_answer, queue=[error_response("QuotaExceeded.Refresh", 400)])
    client = make_client(recorder, rate_limit=False)
    with pytest.raises(ApiError) as caught:
        client.refresh_object_caches([f"http://a.example.com/{n}" for n in range(1_500)])
    assert not isinstance(caught.value, PartialSubmit)
    assert caught.value.code == "QuotaExceeded.Refresh"
    assert len(recorder.requests) == 1


# --- the quota, checked first --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submit", "kind", "paths"),
    [
        ("File", "url", [f"http://a.example.com/{n}" for n in range(6)]),
        ("Directory", "dir", [f"http://a.example.com/{n}/" for n in range(6)]),
        ("IgnoreParams", "ignore_params", [f"http://a.example.com/{n}" for n in range(6)]),
        ("preload", "preload", [f"http://a.example.com/{n}" for n in range(6)]),
    ],
)
def test_check_quota_refuses_before_sending(submit, kind, paths):
    _clock, emulator, client = emulator_rig()
    emulator.set_quota(kind, 5)
    call = (
        (lambda p, **kw: client.push_object_cache(p, **kw))
        if submit == "preload"
        else (lambda p, **kw: client.refresh_object_caches(p, object_type=submit, **kw))
    )
    with pytest.raises(InsufficientQuota) as caught:
        call(paths, check_quota=True)
    assert (caught.value.kind, caught.value.needed, caught.value.remain, caught.value.quota) == (
        kind,
        6,
        5,
        5,
    )
    assert emulator.tasks() == []
    assert set(client.call_counts) == {A.DESCRIBE_REFRESH_QUOTA}
    assert call(paths[:5], check_quota=True)
    assert len(emulator.tasks()) == 5


def test_check_quota_helper():
    _clock, emulator, client = emulator_rig()
    emulator.set_quota("regex", 2)
    quota = client.check_quota("regex", 2)
    assert quota.remain_of("regex") == 2
    with pytest.raises(InsufficientQuota, match="regex"):
        client.check_quota("regex", 3, quota=quota)
    assert client.call_counts[A.DESCRIBE_REFRESH_QUOTA] == 1
    with pytest.raises(InvalidQuery, match="needed"):
        client.check_quota("regex", -1)
    with pytest.raises(InvalidQuery, match="kind"):
        client.check_quota("tags", 1)
    row = client.limits.submit(A.REFRESH_OBJECT_CACHES, "ExQuery")
    assert row.quota == "ignore_params"


# --- cache tags ----------------------------------------------------------------------------------


def test_cache_tags_go_in_the_query_comma_separated_and_split_by_length():
    recorder = Recorder(ids_answer)
    client = make_client(recorder, rate_limit=False)
    ids = client.refresh_object_cache_by_cache_tag("a.example.com", "t1, t2,,t1", force=True)
    params = recorder.params()
    assert (params["CacheTag"], params["DomainName"], params["Force"]) == ("t1,t2", "a.example.com", "true")
    assert recorder.requests[-1].headers["x-acs-action"] == A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG
    assert ids
    long_tags = [f"{n:04d}" + "x" * 995 for n in range(40)]  # 40 x 1,000 characters
    client.refresh_object_cache_by_cache_tag("a.example.com", long_tags)
    sent = [recorder.params(i)["CacheTag"] for i in range(1, len(recorder.requests))]
    assert all(len(value) <= limits.MAX_CACHE_TAG_LENGTH for value in sent)
    assert [tag for value in sent for tag in value.split(",")] == long_tags
    assert len(sent) == 3


@pytest.mark.parametrize(
    ("domain", "tags", "parameter"),
    [
        ("http://a.example.com", ["t"], "DomainName"),
        ("a.example.com/x", ["t"], "DomainName"),
        ("", ["t"], "DomainName"),
        ("a.example.com", [], "CacheTag"),
        ("a.example.com", ["a,b"], "CacheTag"),
        ("a.example.com", [" "], "CacheTag"),
        ("a.example.com", ",,", "CacheTag"),
        ("a.example.com", [1], "CacheTag"),
        ("a.example.com", b"t", "CacheTag"),
    ],
)
def test_cache_tag_arguments_are_checked_before_any_call(domain, tags, parameter):
    recorder = Recorder(ids_answer)
    client = make_client(recorder)
    with pytest.raises(InvalidQuery) as caught:
        client.refresh_object_cache_by_cache_tag(domain, tags)
    assert caught.value.parameter == parameter
    assert recorder.requests == []


def test_cache_tag_purge_against_the_emulator():
    clock, _emulator, client = emulator_rig(complete_after=5)
    (task_id,) = client.refresh_object_cache_by_cache_tag("shop.example.com", ["product-1", "product-2"])
    tasks = client.describe_refresh_task_by_id([task_id])
    assert {t.object_path for t in tasks} == {"product-1", "product-2"}
    assert {t.object_type.value for t in tasks} == {"cachetag"}
    clock.advance(6)
    assert all(t.status.is_complete for t in client.describe_refresh_task_by_id(task_id))


# --- DescribePreloadDetailById and exact progress ---------------------------------------------------

REFERENCE_DETAIL = {
    "TotalCount": 1,
    "RequestId": "E9D3257A-1B7C-414C-90C1-8D07AC47BCAC",
    "UrlDetails": [
        {
            "TaskId": "14286878547",
            "Domain": "example.com",
            "CreationTime": "2022-11-23T02:26:56Z",
            "EndTime": "2022-11-23T02:27:00Z",
            "RetCode": "0",
            "Process": "99.37%",
            "Status": "Refreshing",
            "Urls": [
                {
                    "Url": "http://example.com/1.txt",
                    "Success": "100%",
                    "Description": "Successfully preloaded",
                },
                {
                    "Url": "http://example.com/2.txt",
                    "Success": "98.74%",
                    "Description": "POP a timeout|POP b 503",
                },
            ],
        }
    ],
}


def test_preload_detail_is_typed():
    recorder = Recorder(lambda r: json_response(REFERENCE_DETAIL))
    client = make_client(recorder)
    result = client.describe_preload_detail_by_id(14286878547)
    assert recorder.params()["TaskId"] == "14286878547"
    assert recorder.requests[0].headers["x-acs-action"] == A.DESCRIBE_PRELOAD_DETAIL_BY_ID
    (detail,) = result.details
    assert (result.total_count, result.request_id) == (1, "E9D3257A-1B7C-414C-90C1-8D07AC47BCAC")
    assert (detail.task_id, detail.domain, detail.ret_code) == ("14286878547", "example.com", "0")
    assert (detail.process, detail.process_exact, detail.progress) == (99, 99.37, 99.37)
    assert detail.status.value == "Refreshing"
    assert detail.creation_time is not None
    assert detail.creation_time.isoformat() == "2022-11-23T02:26:56+00:00"
    assert [u.url for u in detail.urls] == ["http://example.com/1.txt", "http://example.com/2.txt"]
    assert [u.success_percent for u in detail.urls] == [100.0, 98.74]
    assert detail.urls[1].description.split("|") == ["POP a timeout", "POP b 503"]


@pytest.mark.parametrize(
    "bad",
    [
        {"UrlDetails": "x"},
        {"UrlDetails": [{"Urls": []}]},
        {"UrlDetails": [{"TaskId": "1", "CreationTime": "yesterday"}]},
    ],
)
def test_a_malformed_preload_detail_is_a_malformed_response(bad):
    client = make_client(Recorder(lambda r: json_response({"RequestId": "R", **bad})))
    with pytest.raises(ApiError) as caught:
        client.describe_preload_detail_by_id("1")
    assert caught.value.code == "MalformedResponse"


@pytest.mark.parametrize("task_id", ["", "1,2", "abc", None, 1.5, True, ["1"]])
def test_preload_detail_takes_one_task_id(task_id):
    recorder = Recorder(lambda r: json_response(REFERENCE_DETAIL))
    with pytest.raises(InvalidQuery, match="TaskId"):
        make_client(recorder).describe_preload_detail_by_id(task_id)  # type: ignore[arg-type]
    assert recorder.requests == []


def test_fractional_process_is_kept_exactly_and_the_int_rounds_down():
    body = page_body([task("1", "http://a/1", status="Refreshing"), task("2", "http://a/2")])
    body["Tasks"]["CDNTask"][0]["Process"] = "99.37%"
    client = make_client(Recorder(lambda r: json_response(body)))
    first, second = client.describe_refresh_tasks().tasks
    assert (first.process, first.process_exact, first.progress) == (99, 99.37, 99.37)
    assert (second.process, second.process_exact, second.progress) == (100, None, 100.0)
    assert first.to_api()["Process"] == "99.37%"
    assert second.to_api()["Process"] == "100%"
    assert "process_exact" not in repr(first)


# --- IgnoreParams and paths without a scheme, end to end -------------------------------------------


def test_ignore_params_uses_its_own_quota_and_is_reported_as_file():
    _clock, _emulator, client = emulator_rig()
    ids = client.refresh_object_caches(["http://a.example.com/app.js"], object_type="IgnoreParams")
    (found,) = client.describe_refresh_task_by_id(ids)
    assert found.object_type is ObjectType.FILE
    quota = client.describe_refresh_quota()
    assert (quota.ignore_params_quota, quota.ignore_params_remain) == (100, 99)
    assert quota.url_remain == quota.url_quota
    assert (quota.preload_edge_quota, quota.preload_edge_remain) == (20, 20)


@pytest.mark.parametrize(
    ("form", "reported"), [("keep", "a.example.com/x.png"), ("http", "http://a.example.com/x.png")]
)
def test_a_path_without_a_scheme_is_accepted_and_reported_in_the_emulators_form(form, reported):
    _clock, _emulator, client = emulator_rig(scheme_less=form)
    ids = client.refresh_object_caches(["a.example.com/x.png"])
    assert [t.object_path for t in client.describe_refresh_task_by_id(ids)] == [reported]
    preload = client.push_object_cache(["a.example.com/v.mp4"])
    assert [t.object_path for t in client.describe_refresh_task_by_id(preload)] == [
        reported.replace("x.png", "v.mp4")
    ]
