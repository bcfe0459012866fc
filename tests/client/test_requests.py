"""What CdnClient puts on the wire: method, parameters, bodies, signatures, batching, parsing."""

from __future__ import annotations

import functools
import json
import operator
from datetime import timedelta
from urllib.parse import parse_qsl

import httpx
import pytest

from alicloud_cdn_refresh import products
from alicloud_cdn_refresh.client.signers import form_params, query_params, request_params
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.models import ObjectType, RefreshQuota, TaskStatus
from alicloud_cdn_refresh.signatures import sha256_hex, v1_signature, v3_canonical_request, v3_signature
from client_fakes import KEY_ID, SECRET, START, TOKEN, Recorder, json_response, make_client, page_body, task
from reference_parsing import task_from_api

TRICKY_PATHS = [
    "http://a.example.com/with space.txt",
    "http://a.example.com/plus+sign.js",
    "http://a.example.com/star*name.css",
    "http://a.example.com/tilde~name",
    "http://a.example.com/percent%20literal%2",
    "http://a.example.com/amp&eq=.png",
    "http://a.example.com/中文/图片.jpg",
    "http://a.example.com/app.js?v=1&lang=zh-CN&q=a+b",
]


def verify_v3(request: httpx.Request, secret: str = SECRET) -> None:
    auth = request.headers["authorization"]
    assert auth.startswith("ACS3-HMAC-SHA256 Credential=")
    parts = dict(item.split("=", 1) for item in auth.split(" ", 1)[1].split(","))
    signed = parts["SignedHeaders"].split(";")
    assert {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce"} <= set(signed)
    assert request.headers["x-acs-content-sha256"] == sha256_hex(request.content)
    canonical = v3_canonical_request(
        request.method,
        request.url.path,
        query_params(request),
        dict(request.headers),
        signed,
        sha256_hex(request.content),
    )
    assert parts["Signature"] == v3_signature(secret, canonical)


def verify_v1(request: httpx.Request, secret: str = SECRET) -> None:
    params = request_params(request)
    signature = dict(params)["Signature"]
    assert signature == v1_signature(secret, request.method, [(k, v) for k, v in params if k != "Signature"])


@pytest.fixture
def pages() -> Recorder:
    return Recorder(lambda request: json_response(page_body([task("1", "http://a.example.com/1")])))


def test_describe_is_a_signed_v3_post_to_the_root_with_params_in_the_query(pages):
    client = make_client(pages)
    client.describe_refresh_tasks(object_path="http://a.example.com/1", object_type="file", page_size=50)
    request = pages.requests[0]
    assert request.method == "POST"
    assert str(request.url).startswith("https://cdn.aliyuncs.com/?")
    assert request.headers["x-acs-action"] == "DescribeRefreshTasks"
    assert request.headers["x-acs-version"] == products.API_VERSION
    assert dict(query_params(request)) == {
        "ObjectPath": "http://a.example.com/1",
        "ObjectType": "file",
        "PageSize": "50",
    }
    assert request.content == b""
    assert request.headers["x-acs-date"] == "2026-11-28T12:00:00Z"  # the client's clock
    verify_v3(request)
    assert "x-acs-security-token" not in request.headers


def test_v1_signature_verifies_and_carries_action_and_version(pages):
    client = make_client(pages, signature_version="v1")
    client.describe_refresh_tasks(task_id="704225667")
    params = pages.params()
    assert params["Action"] == "DescribeRefreshTasks"
    assert params["Version"] == products.API_VERSION
    assert params["AccessKeyId"] == KEY_ID
    assert params["SignatureMethod"] == "HMAC-SHA1"
    assert params["Timestamp"] == "2026-11-28T12:00:00Z"
    assert params["TaskId"] == "704225667"
    assert "SecurityToken" not in params
    verify_v1(pages.requests[0])


def test_sts_token_travels_as_security_token_in_v1(pages):
    client = make_client(pages, signature_version="v1", credentials=Credentials(KEY_ID, SECRET, TOKEN))
    client.describe_refresh_tasks()
    assert pages.params()["SecurityToken"] == TOKEN
    verify_v1(pages.requests[0])


def test_sts_token_travels_as_signed_header_in_v3(pages):
    client = make_client(pages, credentials=Credentials(KEY_ID, SECRET, TOKEN))
    client.describe_refresh_tasks()
    request = pages.requests[0]
    assert request.headers["x-acs-security-token"] == TOKEN
    assert "x-acs-security-token" in request.headers["authorization"]
    verify_v3(request)


def test_every_describe_parameter_reaches_the_query(pages):
    client = make_client(pages)
    start = START - timedelta(hours=2)
    client.describe_refresh_tasks(
        task_id=704225667,
        object_path="http://a.example.com/1",
        domain_name="a.example.com",
        object_type="path",  # the seed's name of directory
        status="refreshing",
        start_time=start,
        end_time="2026-11-28T11:30:00Z",
        page_number=3,
        page_size=100,
        resource_group_id="rg-123",
    )
    assert pages.params() == {
        "TaskId": "704225667",
        "ObjectPath": "http://a.example.com/1",
        "DomainName": "a.example.com",
        "ObjectType": "directory",
        "Status": "Refreshing",
        "StartTime": "2026-11-28T10:00:00Z",
        "EndTime": "2026-11-28T11:30:00Z",
        "PageNumber": "3",
        "PageSize": "100",
        "ResourceGroupId": "rg-123",
    }


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_tricky_object_paths_round_trip_in_the_query(version):
    recorder = Recorder(lambda request: json_response(page_body([])))
    client = make_client(recorder, signature_version=version)
    for path in TRICKY_PATHS:
        client.describe_refresh_tasks(object_path=path)
        raw_query = recorder.requests[-1].url.query.decode("ascii")
        assert "+" not in raw_query  # spaces are %20, a literal + is %2B
        assert dict(parse_qsl(raw_query))["ObjectPath"] == path
    for request in recorder.requests:
        (verify_v1 if version == "v1" else verify_v3)(request)


@pytest.mark.parametrize("version", ["v1", "v3"])
def test_refresh_sends_paths_newline_joined_in_a_form_body(version):
    recorder = Recorder(lambda request: json_response({"RefreshTaskId": "11,12", "RequestId": "R"}))
    client = make_client(recorder, signature_version=version)
    ids = client.refresh_object_caches(TRICKY_PATHS, object_type="file", force=True)
    assert ids == ["11", "12"]
    request = recorder.requests[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = dict(form_params(request))
    assert form == {"ObjectPath": "\n".join(TRICKY_PATHS), "ObjectType": "File", "Force": "true"}
    assert form["ObjectPath"].split("\n") == TRICKY_PATHS
    business = {"ObjectPath", "ObjectType", "Force"}
    assert not business & {k for k, _ in query_params(request)}
    (verify_v1 if version == "v1" else verify_v3)(request)


def test_push_sends_area_l2_preload_and_with_header_as_json():
    recorder = Recorder(lambda request: json_response({"PushTaskId": "21", "RequestId": "R"}))
    client = make_client(recorder)
    ids = client.push_object_cache(
        "http://a.example.com/v.mp4", area="Overseas", l2_preload=True, with_header={"Origin": "中"}
    )
    assert ids == ["21"]
    form = dict(form_params(recorder.requests[0]))
    assert form["ObjectPath"] == "http://a.example.com/v.mp4"
    assert form["Area"] == "overseas"
    assert form["L2Preload"] == "true"
    assert json.loads(form["WithHeader"]) == {"Origin": "中"}
    verify_v3(recorder.requests[0])


def test_booleans_are_true_and_false():
    recorder = Recorder(
        lambda request: json_response({"RefreshTaskId": "1", "PushTaskId": "2", "RequestId": "R"})
    )
    client = make_client(recorder)
    client.refresh_object_caches(["http://a/1"])
    client.push_object_cache(["http://a/1"])
    assert dict(form_params(recorder.requests[0]))["Force"] == "false"
    assert dict(form_params(recorder.requests[1]))["L2Preload"] == "false"


def test_by_id_batches_ten_ids_a_call_deduped_in_order():
    def answer(request):
        ids = request.headers.get("x-acs-action") and dict(query_params(request))["TaskId"].split(",")
        return json_response({"Tasks": [task(i, f"http://a/{i}") for i in ids], "TotalCount": len(ids)})

    recorder = Recorder(answer)
    client = make_client(recorder)
    wanted = [str(n) for n in range(100, 125)] + ["100", "101", 105]
    tasks = client.describe_refresh_task_by_id(wanted)
    sent = [dict(query_params(r))["TaskId"].split(",") for r in recorder.requests]
    assert [len(batch) for batch in sent] == [10, 10, 5]
    assert functools.reduce(operator.iadd, sent, []) == [str(n) for n in range(100, 125)]
    assert [t.task_id for t in tasks] == [str(n) for n in range(100, 125)]
    assert client.call_counts["DescribeRefreshTaskById"] == 3
    assert client.describe_refresh_task_by_id([]) == []
    assert client.call_counts["DescribeRefreshTaskById"] == 3  # nothing to ask, no call


def test_refresh_and_push_split_to_the_per_call_limits_and_collect_all_ids():
    counter = iter(range(1, 1000))

    def answer(request):
        form = dict(form_params(request))
        n = len(form["ObjectPath"].split("\n"))
        field = "RefreshTaskId" if request.headers["x-acs-action"] == "RefreshObjectCaches" else "PushTaskId"
        return json_response(
            {field: ",".join(str(next(counter)) for _ in range(min(n, 3))), "RequestId": "R"}
        )

    recorder = Recorder(answer)
    client = make_client(recorder, rate_limit=False)
    ids = client.refresh_object_caches([f"http://a/{n}" for n in range(2500)])
    sizes = [len(dict(form_params(r))["ObjectPath"].split("\n")) for r in recorder.requests]
    assert sizes == [1000, 1000, 500]
    assert ids == [str(n) for n in range(1, 10)]
    recorder.requests.clear()
    ids = client.push_object_cache([f"http://a/{n}" for n in range(250)])
    sizes = [len(dict(form_params(r))["ObjectPath"].split("\n")) for r in recorder.requests]
    assert sizes == [100, 100, 50]
    assert len(ids) == 9
    assert client.call_counts == {"RefreshObjectCaches": 3, "PushObjectCache": 3}


def test_typed_page_from_the_seed_shape():
    body = {
        "Tasks": {
            "CDNTask": [
                {
                    "TaskId": "704225667",
                    "ObjectPath": "http://aaa.com/1.txt",
                    "Status": "Complete",
                    "Process": "100%",
                    "ObjectType": "file",
                    "CreationTime": "2014-11-27T08:23:22Z",
                    "Description": "",
                },
                {
                    "TaskId": 704225668,
                    "ObjectPath": "http://aaa.com/",
                    "Status": "Canceled",
                    "Process": "45%",
                    "ObjectType": "directory",
                    "CreationTime": "2014-11-27T08:23:23Z",
                    "Description": "Origin Timeout",
                },
            ]
        },
        "PageNumber": 1,
        "PageSize": "10",
        "TotalCount": "2",
        "RequestId": "174F6032",
    }
    client = make_client(Recorder(lambda request: json_response(body)))
    page = client.describe_refresh_tasks()
    assert (page.page_number, page.page_size, page.total_count, page.request_id) == (1, 10, 2, "174F6032")
    first, second = page.tasks
    assert first.status is TaskStatus.COMPLETE
    assert first.process == 100
    assert first.creation_time.isoformat() == "2014-11-27T08:23:22+00:00"
    assert second.task_id == "704225668"
    assert second.object_type is ObjectType.DIRECTORY
    assert second.status.value == "Canceled"
    assert not second.status.is_complete
    assert not second.status.is_known
    assert second.process == 45
    assert second.description == "Origin Timeout"
    # the fast path builds exactly what the model's own constructor builds

    assert list(page.tasks) == [task_from_api(item) for item in body["Tasks"]["CDNTask"]]


@pytest.mark.parametrize(
    "tasks_field",
    [None, "", {}, {"CDNTask": []}, [], {"CDNTask": None}],
    ids=["missing", "empty-string", "empty-object", "empty-cdntask", "empty-list", "null-cdntask"],
)
def test_missing_or_empty_tasks_are_an_empty_page(tasks_field):
    body = {"PageNumber": 1, "PageSize": 20, "TotalCount": 0, "RequestId": "R"}
    if tasks_field is not None:
        body["Tasks"] = tasks_field
    client = make_client(Recorder(lambda request: json_response(body)))
    assert client.describe_refresh_tasks().tasks == ()


def test_both_task_shapes_are_read_by_both_actions():
    flat = {"Tasks": [task("1", "http://a/1")], "TotalCount": 1, "PageNumber": 1, "PageSize": 20}
    nested = {"Tasks": {"CDNTask": [task("1", "http://a/1")]}, "TotalCount": 1}
    single = {"Tasks": {"CDNTask": task("1", "http://a/1")}, "TotalCount": 1}
    for body in (flat, nested, single):
        client = make_client(Recorder(lambda request, body=body: json_response(body)))
        assert [t.task_id for t in client.describe_refresh_task_by_id(["1"])] == ["1"]
        assert [t.task_id for t in client.describe_refresh_tasks().tasks] == ["1"]


def test_quota_strings_become_integers_with_unknown_counters_in_extra():
    body = {
        "UrlQuota": "10000",
        "UrlRemain": "9990",
        "DirQuota": "100",
        "DirRemain": "99",
        "RegexQuota": "20",
        "RegexRemain": "20",
        "PreloadQuota": "1000",
        "PreloadRemain": "998",
        "BlockQuota": "100",
        "BlockRemain": "100",
        "IgnoreParamsQuota": "10",
        "IgnoreParamsRemain": "7",
        "RequestId": "Q-1",
    }
    client = make_client(Recorder(lambda request: json_response(body)))
    quota = client.describe_refresh_quota()
    assert quota == RefreshQuota(
        10000,
        9990,
        100,
        99,
        20,
        20,
        1000,
        998,
        100,
        100,
        "Q-1",
        extra={
            "IgnoreParamsQuota": 10,
            "IgnoreParamsRemain": 7,
        },
    )
    assert all(isinstance(value, int) for value in (quota.url_quota, quota.preload_remain))


def test_call_counts_and_context_manager():
    recorder = Recorder(lambda request: json_response(page_body([])))
    with make_client(recorder) as client:
        client.describe_refresh_tasks()
        client.describe_refresh_tasks()
        assert client.call_counts == {"DescribeRefreshTasks": 2}
    assert client._http.is_closed


def test_timeouts_are_explicit_on_every_request(pages):
    client = make_client(pages, timeout=3.5)
    client.describe_refresh_tasks()
    assert pages.requests[0].extensions["timeout"] == httpx.Timeout(3.5).as_dict()


def test_gzip_answers_are_decoded():
    import gzip

    body = gzip.compress(json.dumps(page_body([task("7", "http://a/7")])).encode())
    recorder = Recorder(
        lambda request: httpx.Response(200, content=body, headers={"content-encoding": "gzip"})
    )
    client = make_client(recorder)
    assert [t.task_id for t in client.describe_refresh_tasks().tasks] == ["7"]
    assert "gzip" in recorder.requests[0].headers["accept-encoding"]


def test_without_httpx_transport_lookup_the_client_falls_back_to_client_send(pages):
    client = make_client(pages)
    client._transport = None  # what __init__ leaves when httpx.Client lacks _transport_for_url
    assert [t.task_id for t in client.describe_refresh_tasks().tasks] == ["1"]
    verify_v3(pages.requests[0])
