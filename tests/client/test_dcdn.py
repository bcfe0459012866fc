"""CdnClient(product="dcdn"): the DCDN table reaches every request, check and parse (no network).

Reference pages cited below, under https://www.alibabacloud.com/help/en/edge-security-acceleration/
dcdn/developer-reference/ (Sep 2025): api-dcdn-2018-01-15-describedcdnrefreshtasks,
-describedcdnrefreshtaskbyid, -refreshdcdnobjectcaches, -preloaddcdnobjectcaches (doc-detail/
130636), -describedcdnrefreshquota; the request/response models of the SDK alibabacloud-dcdn20180115.
"""

from __future__ import annotations

import json

import pytest

from alicloud_cdn_refresh import CdnClient, products
from alicloud_cdn_refresh.client import resolve_endpoint
from alicloud_cdn_refresh.client.signers import form_params
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.errors import ApiError, InvalidQuery
from client_fakes import KEY_ID, SECRET, Recorder, json_response, make_client, page_body, task

D = products.DcdnAction


def dcdn(recorder: Recorder, **kwargs):
    return make_client(recorder, product="dcdn", **kwargs)


def dcdn_page(tasks, **kwargs):
    body = page_body(tasks, **kwargs)
    body["Tasks"] = {"Task": tasks}
    return body


# --- choosing the product -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["esa", "", "cdn-dcdn", None, 1])
def test_an_unknown_product_is_invalid_query_naming_product_and_the_allowed_values(bad):
    with pytest.raises(InvalidQuery) as info:
        CdnClient(product=bad, credentials=Credentials(KEY_ID, SECRET))  # type: ignore[arg-type]
    assert info.value.parameter == "product"
    assert "cdn, dcdn" in str(info.value)


def test_the_default_is_cdn_and_dcdn_has_its_own_table():
    assert CdnClient(credentials=Credentials(KEY_ID, SECRET)).product is products.CDN
    assert CdnClient(product=" cdn ", credentials=Credentials(KEY_ID, SECRET)).product is products.CDN
    client = CdnClient(product="DCDN", credentials=Credentials(KEY_ID, SECRET))
    assert client.product is products.DCDN
    assert client.limits is products.DCDN.limits
    assert client.endpoint == "https://dcdn.aliyuncs.com"
    assert (
        repr(client)
        == f"CdnClient(product='dcdn', endpoint='https://dcdn.aliyuncs.com', access_key_id='{KEY_ID}')"
    )


@pytest.mark.parametrize(
    ("explicit", "config", "env", "expected"),
    [
        (None, None, {}, "https://dcdn.aliyuncs.com"),
        (None, None, {"ALIBABA_CLOUD_CDN_ENDPOINT": "http://cdn.test"}, "https://dcdn.aliyuncs.com"),
        (None, None, {"ALIBABA_CLOUD_DCDN_ENDPOINT": "http://127.0.0.1:9"}, "http://127.0.0.1:9"),
        (None, '[{"cdn": "cdn.test"}]', {}, "https://dcdn.aliyuncs.com"),
        (
            None,
            '[{"cdn": "cdn.test"}, {"dcdn": "dcdn.test"}]',
            {"ALIBABA_CLOUD_DCDN_ENDPOINT": "x"},
            "https://dcdn.test",
        ),
        ("http://here:1", '[{"dcdn": "dcdn.test"}]', {"ALIBABA_CLOUD_DCDN_ENDPOINT": "x"}, "http://here:1"),
    ],
)
def test_the_endpoint_of_dcdn_in_order(explicit, config, env, expected):
    # Explicit, then alicloud:endpoints' dcdn entry, then ALIBABA_CLOUD_DCDN_ENDPOINT, then the default.
    pulumi_config = {"alicloud:endpoints": config} if config else None
    assert resolve_endpoint(explicit, pulumi_config=pulumi_config, environ=env, product="dcdn") == expected


def test_dcdn_endpoint_from_the_environment_reaches_the_client(clean_env, monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_DCDN_ENDPOINT", "http://127.0.0.1:9000")
    monkeypatch.setenv("ALIBABA_CLOUD_CDN_ENDPOINT", "http://127.0.0.1:8000")
    credentials = Credentials(KEY_ID, SECRET)
    assert CdnClient(product="dcdn", credentials=credentials).endpoint == "http://127.0.0.1:9000"
    assert CdnClient(credentials=credentials).endpoint == "http://127.0.0.1:8000"


# --- requests and answers -----------------------------------------------------------------------


def test_every_call_names_dcdn_actions_and_version_and_reads_dcdn_answers():
    # The five actions and version 2018-01-15 (the DCDN SDK's client); ids under RefreshTaskId and
    # PreloadTaskId, the listing's tasks under Tasks.Task (the SDK's response models).
    def answer(request):
        action = request.headers["x-acs-action"]
        return json_response(
            {
                D.DESCRIBE_REFRESH_TASKS: dcdn_page([task("7", "http://a.com/x")]),
                D.DESCRIBE_REFRESH_TASK_BY_ID: {"Tasks": [task("7", "http://a.com/x")], "TotalCount": 1},
                D.REFRESH_OBJECT_CACHES: {"RefreshTaskId": "7,8", "RequestId": "R"},
                D.PRELOAD_OBJECT_CACHES: {"PreloadTaskId": "9", "RequestId": "R"},
                D.REFRESH_OBJECT_CACHE_BY_CACHE_TAG: {"RefreshTaskId": "10", "RequestId": "R"},
                D.DESCRIBE_REFRESH_QUOTA: {
                    **{
                        f"{p}Quota": "100"
                        for p in ("Url", "Dir", "Regex", "Preload", "Block", "IgnoreParams")
                    },
                    **{
                        f"{p}Remain": "90"
                        for p in ("Url", "Dir", "Regex", "Preload", "Block", "IgnoreParams")
                    },
                    "RequestId": "R",
                },
            }[action]
        )

    recorder = Recorder(answer)
    client = dcdn(recorder)
    assert [t.task_id for t in client.describe_refresh_tasks().tasks] == ["7"]
    assert [t.task_id for t in client.describe_refresh_task_by_id(["7"])] == ["7"]
    assert client.refresh_object_caches(["http://a.com/x"]) == ["7", "8"]
    assert client.push_object_cache(["http://a.com/x"]) == ["9"]
    assert client.refresh_object_cache_by_cache_tag("a.com", ["t"]) == ["10"]
    quota = client.describe_refresh_quota()
    assert (quota.url_remain, quota.ignore_params_remain, quota.preload_edge_quota) == (90, 90, None)
    assert recorder.actions() == [
        D.DESCRIBE_REFRESH_TASKS,
        D.DESCRIBE_REFRESH_TASK_BY_ID,
        D.REFRESH_OBJECT_CACHES,
        D.PRELOAD_OBJECT_CACHES,
        D.REFRESH_OBJECT_CACHE_BY_CACHE_TAG,
        D.DESCRIBE_REFRESH_QUOTA,
    ]
    assert {r.headers["x-acs-version"] for r in recorder.requests} == {"2018-01-15"}
    assert {r.url.host for r in recorder.requests} == {"cdn.aliyuncs.com"}  # make_client's explicit endpoint


def test_a_cdn_client_reading_a_dcdn_listing_is_malformed_never_zero_tasks():
    # Issue 15: the DCDN listing keeps its tasks under Tasks.Task (describedcdnrefreshtasks); a CDN
    # client pointed at such an answer must not conclude that there are none.
    body = dcdn_page([task("7", "http://a.com/x")])
    with pytest.raises(ApiError) as info:
        make_client(Recorder(lambda request: json_response(body))).describe_refresh_tasks()
    assert info.value.code == "MalformedResponse"
    assert "Tasks holds Task, not CDNTask" in str(info.value)
    cdn_body = page_body([task("7", "http://a.com/x")])
    with pytest.raises(ApiError):
        dcdn(Recorder(lambda request: json_response(cdn_body))).describe_refresh_tasks()
    empty = dcdn_page([])
    assert dcdn(Recorder(lambda request: json_response(empty))).describe_refresh_tasks().tasks == ()


def test_page_size_is_checked_against_50_before_any_call():
    # describedcdnrefreshtasks: PageSize 1..50 (CDN: 1..100).
    recorder = Recorder(lambda request: json_response(dcdn_page([])))
    client = dcdn(recorder)
    client.describe_refresh_tasks(page_size=50)
    with pytest.raises(InvalidQuery) as info:
        client.describe_refresh_tasks(page_size=51)
    assert info.value.parameter == "PageSize"
    with pytest.raises(InvalidQuery):
        client.iter_refresh_tasks(page_size=100)
    list(client.iter_refresh_tasks())
    assert recorder.params()["PageSize"] == "50"
    assert len(recorder.requests) == 2


def test_the_listing_takes_no_resource_group_on_dcdn():
    # DescribeDcdnRefreshTasksRequest (SDK) and the describedcdnrefreshtasks page: no ResourceGroupId.
    recorder = Recorder(lambda request: json_response(dcdn_page([])))
    with pytest.raises(InvalidQuery) as info:
        dcdn(recorder).describe_refresh_tasks(resource_group_id="rg-1")
    assert info.value.parameter == "ResourceGroupId"
    assert recorder.requests == []


def test_preload_flags_and_refresh_types_of_dcdn():
    # PreloadDcdnObjectCachesRequest has Area, L2Preload, WithHeader, QueryHashkey but no
    # ConsistencyHash; RefreshDcdnObjectCachesRequest.ObjectType: File, Directory, Regex, IgnoreParams.
    recorder = Recorder(lambda request: json_response({"PreloadTaskId": "1", "RefreshTaskId": "2"}))
    client = dcdn(recorder)
    client.push_object_cache(["http://a.com/x"], area="overseas", with_header={"A": "b"}, query_hashkey=True)
    sent = dict(form_params(recorder.requests[-1]))
    assert (sent["Area"], sent["L2Preload"], json.loads(sent["WithHeader"]), sent["QueryHashkey"]) == (
        "overseas",
        "false",
        {"A": "b"},
        "true",
    )
    with pytest.raises(InvalidQuery) as info:
        client.push_object_cache(["http://a.com/x"], consistency_hash=True)
    assert info.value.parameter == "ConsistencyHash"
    with pytest.raises(InvalidQuery) as info:
        client.refresh_object_caches(["http://a.com/x"], object_type="ExQuery")
    assert info.value.parameter == "ObjectType"
    assert "File, Directory, Regex, IgnoreParams" in str(info.value)
    assert len(recorder.requests) == 1


def test_preload_batches_100_a_call():
    # preloaddcdnobjectcaches: "You can submit up to 100 URL prefetch tasks in each request."
    recorder = Recorder(lambda request: json_response({"PreloadTaskId": str(len(recorder.requests))}))
    dcdn(recorder, rate_limit=False).push_object_cache([f"http://a.com/{i}" for i in range(250)])
    sizes = [len(dict(form_params(r))["ObjectPath"].split("\n")) for r in recorder.requests]
    assert sizes == [100, 100, 50]


def test_dcdn_has_no_preload_detail():
    # DCDN's API has no counterpart of CDN's DescribePreloadDetailById (the SDK has none).
    recorder = Recorder(lambda request: json_response({}))
    with pytest.raises(InvalidQuery) as info:
        dcdn(recorder).describe_preload_detail_by_id("1")
    assert info.value.parameter == "product"
    assert "product='cdn'" in str(info.value)
    assert recorder.requests == []


def test_the_client_keeps_dcdn_qps():
    # refreshdcdnobjectcaches: 30 calls a second; preloaddcdnobjectcaches: 15 (CDN: 50 and 50).
    client = dcdn(Recorder(lambda request: json_response({})))
    assert client.rate_limiter.rate(D.REFRESH_OBJECT_CACHES) == 30
    assert client.rate_limiter.rate(D.PRELOAD_OBJECT_CACHES) == 15
    assert client.rate_limiter.rate(D.DESCRIBE_REFRESH_TASKS) == 5
    assert client.rate_limiter.rate("PushObjectCache") is None
