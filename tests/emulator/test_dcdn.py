"""The emulator serves CDN and DCDN at one address, kept apart as the service keeps them.

Signed calls with the package's signers (the official DCDN SDK's view is tests/emulator/
test_dcdn_sdk.py). Reference pages, under https://www.alibabacloud.com/help/en/edge-security-
acceleration/dcdn/developer-reference/ (Sep 2025): api-dcdn-2018-01-15-describedcdnrefreshtasks,
-preloaddcdnobjectcaches (doc-detail/130636).
"""

from __future__ import annotations

import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import Emulator, ProductService
from alicloud_cdn_refresh.errors import InvalidQuery
from emulator_helpers import Caller
from waiter_helpers import START

A = products.Action
D = products.DcdnAction


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(clock=clock, complete_after=10, seed=5)


@pytest.fixture
def caller(emulator: Emulator, clock: ManualClock) -> Caller:
    return Caller(emulator, clock=clock)


def test_each_product_has_its_own_side_and_the_default_is_cdn(emulator: Emulator) -> None:
    cdn, dcdn = emulator.product(), emulator.product("dcdn")
    assert isinstance(dcdn, ProductService)
    assert (cdn.product, dcdn.product) == (products.CDN, products.DCDN)
    assert (emulator.store, emulator.quotas, emulator.qps) == (cdn.store, cdn.quotas, cdn.qps)
    assert dcdn.store is not cdn.store
    assert dcdn.quotas is not cdn.quotas
    with pytest.raises(InvalidQuery) as info:
        emulator.product("esa")
    assert info.value.parameter == "product"


def test_the_action_says_which_product_answers_and_its_version_must_match(caller: Caller) -> None:
    assert "Tasks" in caller.call(D.DESCRIBE_REFRESH_TASKS)
    status, body = caller.error(A.DESCRIBE_REFRESH_TASKS, version=products.DCDN.api_version)
    assert (status, body["Code"], body["HostId"]) == (400, "InvalidVersion", "cdn.aliyuncs.com")
    status, body = caller.error(D.DESCRIBE_REFRESH_TASKS, version=products.CDN.api_version)
    assert (status, body["Code"], body["HostId"]) == (400, "InvalidVersion", "dcdn.aliyuncs.com")
    assert "2018-01-15" in body["Message"]
    assert body["Recommend"].endswith("product=dcdn")
    status, body = caller.error("DescribeDcdnPreloadDetailById")
    assert (status, body["Code"]) == (404, "InvalidAction.NotFound")


def test_separate_stores_ids_and_quotas(emulator: Emulator, caller: Caller) -> None:
    (cdn_id,) = caller.refresh("http://example.com/a.js")
    dcdn_id = caller.call(D.REFRESH_OBJECT_CACHES, {"ObjectPath": "http://example.com/a.js"})["RefreshTaskId"]
    assert cdn_id != dcdn_id
    assert [t.task_id for t in emulator.tasks()] == [cdn_id]
    assert [t.task_id for t in emulator.tasks(product="dcdn")] == [dcdn_id]
    assert caller.call(D.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": cdn_id})["Tasks"] == []
    assert emulator.quotas.report()["url"][1] == limits.CDN_LIMITS.daily_quotas["url"] - 1
    assert emulator.product("dcdn").quotas.report()["url"][1] == limits.DCDN_LIMITS.daily_quotas["url"] - 1
    # one seed gives CDN the ids it gave before DCDN existed, and DCDN other ones
    first, second = (Emulator(clock=ManualClock(START), seed=5) for _ in range(2))
    assert first.seed_task("http://a.com/x") == second.seed_task("http://a.com/y") == cdn_id
    assert first.seed_task("http://a.com/z", product="dcdn") == dcdn_id != cdn_id
    emulator.clear_tasks(product="dcdn")
    assert (len(emulator.tasks()), len(emulator.tasks(product="dcdn"))) == (1, 0)
    emulator.clear_tasks()
    assert emulator.tasks() == []


def test_the_dcdn_listing_pages_by_50_under_tasks_task(emulator: Emulator, caller: Caller) -> None:
    # describedcdnrefreshtasks: tasks under Tasks.Task; PageSize 1..50, default 20.
    for i in range(60):
        emulator.seed_task(f"http://a.com/{i}", product="dcdn")
    body = caller.call(D.DESCRIBE_REFRESH_TASKS, {"PageSize": 50})
    assert set(body["Tasks"]) == {"Task"}
    assert (len(body["Tasks"]["Task"]), body["PageSize"], body["TotalCount"]) == (50, 50, 60)
    status, error = caller.error(D.DESCRIBE_REFRESH_TASKS, {"PageSize": 51})
    assert (status, error["Code"]) == (400, "InvalidPageSize.ValueNotSupported")
    assert len(caller.call(A.DESCRIBE_REFRESH_TASKS, {"PageSize": 100})["Tasks"]["CDNTask"]) == 0


def test_a_resource_group_is_not_a_dcdn_filter(emulator: Emulator, caller: Caller) -> None:
    # DescribeDcdnRefreshTasks declares no ResourceGroupId: the gateway ignores what an action does
    # not declare, so it filters nothing (CDN's listing filters by it).
    emulator.seed_task("http://a.com/x", product="dcdn")
    emulator.seed_task("http://a.com/x")
    assert caller.call(D.DESCRIBE_REFRESH_TASKS, {"ResourceGroupId": "rg-other"})["TotalCount"] == 1
    assert caller.call(A.DESCRIBE_REFRESH_TASKS, {"ResourceGroupId": "rg-other"})["TotalCount"] == 0


def test_qps_windows_and_switches_are_per_product(emulator: Emulator, caller: Caller) -> None:
    for _ in range(int(limits.CDN_LIMITS.qps[A.DESCRIBE_REFRESH_TASKS])):
        caller.call(A.DESCRIBE_REFRESH_TASKS)
    assert caller.error(A.DESCRIBE_REFRESH_TASKS)[1]["Code"] == "Throttling"
    assert "Tasks" in caller.call(D.DESCRIBE_REFRESH_TASKS)
    emulator.set_service_open(False, product="dcdn")
    status, body = caller.error(D.DESCRIBE_REFRESH_QUOTA)
    assert (status, body["Code"]) == (403, "OperationDenied")
    assert "DCDN" in body["Message"]
    assert "UrlQuota" in caller.call(A.DESCRIBE_REFRESH_QUOTA)
    emulator.set_domain_offline("a.com", product="dcdn")
    assert caller.refresh("http://a.com/x")


def test_scripted_errors_answer_with_the_products_status(emulator: Emulator, caller: Caller) -> None:
    # preloaddcdnobjectcaches' error table: PreloadQueueFull is 400 (CDN's PushObjectCache: 403).
    emulator.fail_next("PreloadQueueFull", action=D.PRELOAD_OBJECT_CACHES)
    emulator.fail_next("PreloadQueueFull", action=A.PUSH_OBJECT_CACHE)
    assert caller.error(D.PRELOAD_OBJECT_CACHES, {"ObjectPath": "http://a.com/x"})[0] == 400
    assert caller.error(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/x"})[0] == 403


def test_dcdn_quota_answer_has_no_preload_edge(caller: Caller) -> None:
    # DescribeDcdnRefreshQuotaResponseBody (SDK): Url, Dir, Regex, Preload, Block, IgnoreParams.
    body = caller.call(D.DESCRIBE_REFRESH_QUOTA)
    prefixes = {name[: -len("Quota")] for name in body if name.endswith("Quota")}
    assert prefixes == {"Url", "Dir", "Regex", "Preload", "Block", "IgnoreParams"}
    assert "PreloadEdgeQuota" in caller.call(A.DESCRIBE_REFRESH_QUOTA)
