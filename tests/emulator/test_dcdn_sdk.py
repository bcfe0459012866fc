"""The official DCDN SDK (alibabacloud-dcdn20180115) against the emulator over a real local socket.

The outside reference for DCDN, as tests/emulator/test_sdk.py is for CDN: where the SDK's models
read an answer, the emulator's DCDN shape is right; where it signs (V3 by default, V1 with
``signature_algorithm="v2"``), the verifier is. The CDN SDK talks to the same server in the tests
that check the two products are kept apart.

Reference pages cited below, under https://www.alibabacloud.com/help/en/edge-security-acceleration/
dcdn/developer-reference/: api-dcdn-2018-01-15-describedcdnrefreshtasks (Sep 2025),
...-describedcdnrefreshtaskbyid (Sep 2025), ...-refreshdcdnobjectcaches (Sep 2025),
...-preloaddcdnobjectcaches (doc-detail/130636, Sep 2025; its error table also in
github.com/AlibabaCloudDocs/dcdn cn.zh-CN/API参考/刷新预热接口/PreloadDcdnObjectCaches.md),
...-describedcdnrefreshquota.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from alibabacloud_cdn20180510 import models as cdn_models
from alibabacloud_cdn20180510.client import Client as CdnSdk
from alibabacloud_dcdn20180115 import models
from alibabacloud_dcdn20180115.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from alibabacloud_tea_openapi.models import Config

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import FAILURE_DESCRIPTIONS, Emulator, EmulatorServer
from alicloud_cdn_refresh.models import TaskStatus
from reference_parsing import task_from_api

DCDN = products.DCDN
D = products.DcdnAction


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(timezone.utc).replace(microsecond=0))


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(clock=clock, complete_after=10, fail_paths=r"/broken/", seed=3)


def _config(server: EmulatorServer, signature: str) -> Config:
    config = Config(
        access_key_id="testid", access_key_secret="testsecret", endpoint=server.endpoint, protocol="http"
    )
    if signature == "v1":
        config.signature_algorithm = "v2"
    return config


@pytest.fixture
def sdk(server: EmulatorServer, signature: str) -> Client:
    return Client(_config(server, signature))


@pytest.fixture
def cdn_sdk(server: EmulatorServer, signature: str) -> CdnSdk:
    return CdnSdk(_config(server, signature))


def _error(call: Callable[[], Any], product: products.Product = DCDN) -> ClientException | ServerException:
    with pytest.raises((ClientException, ServerException)) as info:
        call()
    error = info.value
    assert isinstance(error, (ClientException, ServerException))
    assert error.status_code == product.error(error.code).http_status
    assert error.data["RequestId"]
    assert error.data["HostId"] == product.host_id
    return error


def _tasks(sdk: Client, **kwargs: Any) -> models.DescribeDcdnRefreshTasksResponseBody:
    return sdk.describe_dcdn_refresh_tasks(models.DescribeDcdnRefreshTasksRequest(**kwargs)).body


def _refresh(sdk: Client, paths: str, **kwargs: Any) -> str:
    request = models.RefreshDcdnObjectCachesRequest(object_path=paths, **kwargs)
    return str(sdk.refresh_dcdn_object_caches(request).body.refresh_task_id)


def _preload(sdk: Client, paths: str, **kwargs: Any) -> str:
    request = models.PreloadDcdnObjectCachesRequest(object_path=paths, **kwargs)
    return str(sdk.preload_dcdn_object_caches(request).body.preload_task_id)


# --- the five actions, read through the SDK's typed models ------------------------------------------


def test_all_five_actions_and_every_answer_parsed_by_the_sdk_models(sdk: Client) -> None:
    # RefreshDcdnObjectCaches answers RefreshTaskId; PreloadDcdnObjectCaches PreloadTaskId (not CDN's
    # PushTaskId): refreshdcdnobjectcaches / preloaddcdnobjectcaches pages, and the SDK's models.
    refresh = sdk.refresh_dcdn_object_caches(
        models.RefreshDcdnObjectCachesRequest(
            object_path="http://example.com/a b.txt\nhttp://example.com/c.txt", object_type="File", force=True
        )
    ).body
    assert refresh.request_id
    refresh_ids = refresh.refresh_task_id.split(",")
    preload = sdk.preload_dcdn_object_caches(
        models.PreloadDcdnObjectCachesRequest(
            object_path="http://example.com/big.bin",
            area="domestic",
            l_2preload=True,
            with_header='{"Accept-Encoding":"gzip"}',
            query_hashkey=False,
        )
    ).body
    (preload_id,) = preload.preload_task_id.split(",")
    assert preload_id not in refresh_ids

    # describedcdnrefreshtasks: the tasks are under Tasks.Task (CDN: Tasks.CDNTask).
    page = _tasks(sdk)
    assert (page.total_count, page.page_number, page.page_size) == (3, 1, DCDN.limits.default_page_size)
    first = page.tasks.task[0]
    assert (first.object_path, first.object_type, first.status, first.process) == (
        "http://example.com/big.bin",
        "preload",
        "Pending",
        "0%",
    )
    assert task_from_api(first.to_map()).task_id == preload_id
    one = _tasks(sdk, page_size=1, page_number=2)
    assert [t.object_path for t in one.tasks.task] == ["http://example.com/c.txt"]
    by_path = _tasks(sdk, object_path="http://example.com/a b.txt")
    assert [t.task_id for t in by_path.tasks.task] == [refresh_ids[0]]

    # describedcdnrefreshtaskbyid: a flat Tasks list, up to 10 ids.
    by_id = sdk.describe_dcdn_refresh_task_by_id(
        models.DescribeDcdnRefreshTaskByIdRequest(task_id=",".join([*refresh_ids, preload_id]))
    ).body
    assert by_id.total_count == 3
    assert {t.task_id for t in by_id.tasks} == {*refresh_ids, preload_id}
    assert all(t.creation_time.endswith("Z") for t in by_id.tasks)

    # describedcdnrefreshquota: strings, and no PreloadEdge fields in DCDN's model.
    quota = sdk.describe_dcdn_refresh_quota(models.DescribeDcdnRefreshQuotaRequest()).body
    daily = DCDN.limits.daily_quotas
    assert (quota.url_quota, quota.url_remain) == (str(daily["url"]), str(daily["url"] - 2))
    assert (quota.preload_quota, quota.preload_remain) == (str(daily["preload"]), str(daily["preload"] - 1))
    assert (quota.dir_quota, quota.regex_remain, quota.block_quota) == (
        str(daily["dir"]),
        str(daily["regex"]),
        str(daily["block"]),
    )
    assert quota.ignore_params_remain == str(daily["ignore_params"])
    assert not {"PreloadEdgeQuota", "PreloadEdgeRemain"} & set(quota.to_map())


def test_refresh_by_cache_tag_through_the_dcdn_sdk(sdk: Client) -> None:
    # RefreshDcdnObjectCacheByCacheTag (SDK model): DomainName, CacheTag, Force -> RefreshTaskId.
    body = sdk.refresh_dcdn_object_cache_by_cache_tag(
        models.RefreshDcdnObjectCacheByCacheTagRequest(
            domain_name="example.com", cache_tag="t1,t2", force=True
        )
    ).body
    tasks = sdk.describe_dcdn_refresh_task_by_id(
        models.DescribeDcdnRefreshTaskByIdRequest(task_id=body.refresh_task_id)
    ).body.tasks
    assert sorted(t.object_path for t in tasks) == ["t1", "t2"]


def test_tasks_go_to_complete_and_to_failed(sdk: Client, clock: ManualClock) -> None:
    ids = _refresh(sdk, "http://example.com/ok.css\nhttp://example.com/broken/x.css")
    clock.advance(10)
    done = {
        t.object_path: t
        for t in sdk.describe_dcdn_refresh_task_by_id(
            models.DescribeDcdnRefreshTaskByIdRequest(task_id=ids)
        ).body.tasks
    }
    assert done["http://example.com/ok.css"].status == TaskStatus.COMPLETE.value
    assert done["http://example.com/broken/x.css"].status == TaskStatus.FAILED.value
    assert done["http://example.com/broken/x.css"].description in FAILURE_DESCRIPTIONS
    assert _tasks(sdk, object_type="file", status="Failed").total_count == 1


def test_every_refresh_type_of_the_sdk_and_no_exquery(sdk: Client) -> None:
    # RefreshDcdnObjectCachesRequest.object_type: File, Directory, Regex, IgnoreParams (no ExQuery).
    for kind, path in (
        ("File", "http://a.com/x"),
        ("Directory", "http://a.com/d/"),
        ("Regex", "http://a.com/.*"),
        ("IgnoreParams", "http://a.com/y"),
    ):
        assert _refresh(sdk, path, object_type=kind)
    error = _error(lambda: _refresh(sdk, "http://a.com/z", object_type="ExQuery"))
    assert error.code == "InvalidObjectType.Malformed"


# --- DCDN's own numbers and codes -------------------------------------------------------------


def test_page_size_stops_at_50(sdk: Client) -> None:
    # describedcdnrefreshtasks: "PageSize ... Default value: 20. Maximum value: 50." (CDN: 100).
    assert _tasks(sdk, page_size=DCDN.limits.max_page_size).page_size == 50
    error = _error(lambda: _tasks(sdk, page_size=51))
    assert error.code == "InvalidPageSize.ValueNotSupported"


def test_a_preload_of_more_than_100_urls_is_single_request_over_limit(
    sdk: Client, emulator: Emulator
) -> None:
    # preloaddcdnobjectcaches: 100 URLs a request; its error table: 400 SingleRequest.OverLimit
    # (CDN's PushObjectCache answers InvalidObjectPath.Size.Malformed).
    paths = "\n".join(f"http://a.com/{i}" for i in range(101))
    error = _error(lambda: _preload(sdk, paths))
    assert (error.code, error.status_code) == ("SingleRequest.OverLimit", 400)
    assert _preload(sdk, "\n".join(f"http://a.com/{i}" for i in range(100)))
    assert len(emulator.tasks(product="dcdn")) == 100


def test_a_spent_preload_quota_is_quota_exceeded_preload(sdk: Client, emulator: Emulator) -> None:
    # preloaddcdnobjectcaches' error table: 400 QuotaExceeded.Preload (CDN: QuotaExceeded.Refresh).
    emulator.set_quota("preload", 1, product="dcdn")
    _preload(sdk, "http://a.com/p")
    error = _error(lambda: _preload(sdk, "http://a.com/q"))
    assert (error.code, error.status_code) == ("QuotaExceeded.Preload", 400)
    emulator.set_quota("url", 1, product="dcdn")
    _refresh(sdk, "http://a.com/r")
    assert _error(lambda: _refresh(sdk, "http://a.com/s")).code == "QuotaExceeded.Refresh"


def test_a_full_preload_queue_is_400_for_dcdn_and_403_for_cdn(
    sdk: Client, cdn_sdk: CdnSdk, emulator: Emulator
) -> None:
    # preloaddcdnobjectcaches' error table: "400 PreloadQueueFull The warming queue is full; please
    # try again later."; CDN's PushObjectCache table: 403 "Preload queue is full, please try again later!".
    for name in ("cdn", "dcdn"):
        emulator.product(name).preload_queue = 1
    _preload(sdk, "http://a.com/1")
    error = _error(lambda: _preload(sdk, "http://a.com/2"))
    assert (error.code, error.status_code) == ("PreloadQueueFull", 400)
    assert error.data["Message"] == "The warming queue is full; please try again later."
    cdn_sdk.push_object_cache(cdn_models.PushObjectCacheRequest(object_path="http://a.com/1"))
    cdn_error = _error(
        lambda: cdn_sdk.push_object_cache(cdn_models.PushObjectCacheRequest(object_path="http://a.com/2")),
        products.CDN,
    )
    assert (cdn_error.code, cdn_error.status_code) == ("PreloadQueueFull", 403)


def test_qps_of_the_listing_and_of_the_preload(sdk: Client, clock: ManualClock) -> None:
    # describedcdnrefreshtasks: 5 calls a second; preloaddcdnobjectcaches: 15 (CDN's PushObjectCache: 50).
    for action, limit, call in (
        (D.DESCRIBE_REFRESH_TASKS, 5, lambda: _tasks(sdk)),
        (D.PRELOAD_OBJECT_CACHES, 15, lambda: _preload(sdk, "http://a.com/q")),
    ):
        assert DCDN.limits.qps[action] == limit
        for _ in range(limit):
            call()
        with pytest.raises(ThrottlingException) as info:
            call()
        assert (info.value.code, info.value.status_code) == ("Throttling", 503)
        clock.advance(1)
        call()


# --- two products, one address, kept apart --------------------------------------------------------


def test_tasks_and_quotas_are_kept_per_product(sdk: Client, cdn_sdk: CdnSdk, emulator: Emulator) -> None:
    cdn_ids = cdn_sdk.refresh_object_caches(
        cdn_models.RefreshObjectCachesRequest(object_path="http://example.com/cdn.js")
    ).body.refresh_task_id
    dcdn_ids = _refresh(sdk, "http://example.com/dcdn.js")
    assert cdn_ids != dcdn_ids
    assert [t.object_path for t in _tasks(sdk).tasks.task] == ["http://example.com/dcdn.js"]
    cdn_page = cdn_sdk.describe_refresh_tasks(cdn_models.DescribeRefreshTasksRequest()).body
    assert [t.object_path for t in cdn_page.tasks.cdntask] == ["http://example.com/cdn.js"]
    assert (
        sdk.describe_dcdn_refresh_task_by_id(
            models.DescribeDcdnRefreshTaskByIdRequest(task_id=cdn_ids)
        ).body.tasks
        == []
    )
    cdn_quota = cdn_sdk.describe_refresh_quota(cdn_models.DescribeRefreshQuotaRequest()).body
    dcdn_quota = sdk.describe_dcdn_refresh_quota(models.DescribeDcdnRefreshQuotaRequest()).body
    assert int(cdn_quota.url_quota) - int(cdn_quota.url_remain) == 1
    assert int(dcdn_quota.url_quota) - int(dcdn_quota.url_remain) == 1
    assert [t.object_path for t in emulator.tasks()] == ["http://example.com/cdn.js"]
    assert [t.object_path for t in emulator.product("dcdn").tasks()] == ["http://example.com/dcdn.js"]


def test_describe_validation_errors_answer_like_the_cdn_page(sdk: Client, clock: ManualClock) -> None:
    # describedcdnrefreshtasks' error table: the same codes as DescribeRefreshTasks'.
    for kwargs, code in (
        ({"task_id": "12a"}, "InvalidTaskId.Malformed"),
        ({"domain_name": "a.com"}, "MissingParameter.ObjectType"),
        ({"start_time": "2026-01-01T00:00:00Z"}, "MissingTimeParameter"),
        ({"object_type": "folder"}, "InvalidObjectType.ValueNotSupported"),
        ({"object_type": "file", "status": "Done"}, "InvalidStatus.ValueNotSupported"),
        ({"page_number": limits.MAX_PAGE_NUMBER + 1}, "InvalidPageNumber.ValueNotSupported"),
    ):
        assert _error(lambda kwargs=kwargs: _tasks(sdk, **kwargs)).code == code
        clock.advance(1)  # 5 calls a second
    too_many = ",".join(str(i) for i in range(DCDN.limits.task_ids_per_call + 1))
    error = _error(
        lambda: sdk.describe_dcdn_refresh_task_by_id(
            models.DescribeDcdnRefreshTaskByIdRequest(task_id=too_many)
        )
    )
    assert error.code == "InvalidTaskId.Malformed"
