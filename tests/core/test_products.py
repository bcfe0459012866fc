"""The product tables are consistent data, and agree with each product's official SDK.

The SDKs (alibabacloud-cdn20180510, alibabacloud-dcdn20180115) are the outside reference: their
clients name each action and version, their models name every field of a request and an answer.
DCDN's reference pages are under https://www.alibabacloud.com/help/en/edge-security-acceleration/
dcdn/developer-reference/ (Sep 2025).
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import alibabacloud_cdn20180510.client as cdn_sdk
import alibabacloud_dcdn20180115.client as dcdn_sdk
import pytest
from alibabacloud_cdn20180510 import models as cdn_models
from alibabacloud_dcdn20180115 import models as dcdn_models

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.error_codes import API_ERRORS, DCDN_ERROR_OVERRIDES
from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.products import CDN, DCDN, PRODUCTS, Operation
from alicloud_cdn_refresh.query import FILTER_FIELDS

SDKS: dict[str, Any] = {"cdn": (cdn_sdk.Client, cdn_models), "dcdn": (dcdn_sdk.Client, dcdn_models)}


def _snake(action: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower().replace("l_2", "l2")


def _wire_fields(model: type) -> set[str]:
    """Every wire name of a flat SDK model (each field set, then ``to_map``)."""
    names = [name for name in inspect.signature(model.__init__).parameters if name != "self"]
    return set(model(**dict.fromkeys(names, "x")).to_map())


@pytest.mark.parametrize("product", PRODUCTS.values(), ids=list(PRODUCTS))
def test_every_table_is_consistent(product: products.Product) -> None:
    table = product.limits
    assert table.product == product.name
    assert set(table.qps) <= set(product.actions.values())
    for (action, kind), row in table.submits.items():
        assert (row.action, row.object_type) == (action, kind)
        assert action in product.submit_actions
        assert row.quota is None or row.quota in table.daily_quotas
        assert {row.too_many_code, row.quota_code} <= set(API_ERRORS)
    assert set(table.domains_per_call) <= product.submit_actions
    assert set(table.daily_quotas) == set(product.responses.quota_fields)
    assert set(product.responses.task_ids) == set(product.actions) & products.SUBMIT_OPERATIONS
    assert product.describe_filters <= {field.name for field in FILTER_FIELDS}
    assert set(product.error_overrides) <= set(API_ERRORS)
    assert limits.limits_for(product.name) is table
    assert products.product_for(product.name.upper()) is product


def test_action_names_are_distinct_across_products_so_one_address_serves_both() -> None:
    names = [action for product in PRODUCTS.values() for action in product.actions.values()]
    assert len(names) == len(set(names))
    assert CDN.submit_actions == products.SUBMIT_ACTIONS
    assert (products.API_VERSION, products.DEFAULT_ENDPOINT, products.HOST_ID) == (
        "2018-05-10",
        "https://cdn.aliyuncs.com",
        "cdn.aliyuncs.com",
    )


@pytest.mark.parametrize("product", PRODUCTS.values(), ids=list(PRODUCTS))
def test_each_action_and_version_is_the_sdks(product: products.Product) -> None:
    client, _ = SDKS[product.name]
    for action in product.actions.values():
        source = inspect.getsource(getattr(client, f"{_snake(action)}_with_options"))
        assert f"action = '{action}'" in source
        assert f"version = '{product.api_version}'" in source


def test_dcdn_answers_are_read_where_the_sdk_models_read_them() -> None:
    # describedcdnrefreshtasks: Tasks.Task (CDN: Tasks.CDNTask); preloaddcdnobjectcaches:
    # PreloadTaskId (CDN: PushTaskId); refreshdcdnobjectcaches: RefreshTaskId.
    row = {
        "TaskId": "1",
        "ObjectPath": "http://a.com/x",
        "Status": "Complete",
        "CreationTime": "2026-01-01T00:00:00Z",
    }
    for product, body_model in (
        (DCDN, dcdn_models.DescribeDcdnRefreshTasksResponseBody),
        (CDN, cdn_models.DescribeRefreshTasksResponseBody),
    ):
        body = body_model().from_map({"Tasks": {product.responses.task_list: [row]}})
        (read,) = next(iter(vars(body.tasks).values()))
        assert read.task_id == "1"
    ids = DCDN.responses.task_ids
    assert (
        dcdn_models.PreloadDcdnObjectCachesResponseBody()
        .from_map({ids[Operation.PRELOAD]: "9"})
        .preload_task_id
        == "9"
    )
    assert (
        dcdn_models.RefreshDcdnObjectCachesResponseBody()
        .from_map({ids[Operation.REFRESH]: "8"})
        .refresh_task_id
        == "8"
    )
    assert (
        cdn_models.PushObjectCacheResponseBody()
        .from_map({CDN.responses.task_ids[Operation.PRELOAD]: "7"})
        .push_task_id
        == "7"
    )


@pytest.mark.parametrize(
    ("product", "quota_model"),
    [
        (CDN, cdn_models.DescribeRefreshQuotaResponseBody),
        (DCDN, dcdn_models.DescribeDcdnRefreshQuotaResponseBody),
    ],
    ids=["cdn", "dcdn"],
)
def test_the_quota_fields_are_the_sdks(product: products.Product, quota_model: type) -> None:
    # DescribeDcdnRefreshQuotaResponseBody has no PreloadEdgeQuota / PreloadEdgeRemain (CDN's has).
    fields = {
        f"{prefix}{suffix}"
        for prefix in product.responses.quota_fields.values()
        for suffix in ("Quota", "Remain")
    }
    assert fields == _wire_fields(quota_model) - {"RequestId"}


def test_the_filters_and_preload_flags_dcdn_takes_are_the_sdks() -> None:
    # DescribeDcdnRefreshTasksRequest: no ResourceGroupId; PreloadDcdnObjectCachesRequest: no
    # ConsistencyHash (describedcdnrefreshtasks and preloaddcdnobjectcaches list none either).
    wire = {field.name: field.wire for field in FILTER_FIELDS}
    for product, request in (
        (DCDN, dcdn_models.DescribeDcdnRefreshTasksRequest),
        (CDN, cdn_models.DescribeRefreshTasksRequest),
    ):
        taken = _wire_fields(request)
        assert {wire[name] for name in product.describe_filters} <= taken
        assert not {wire[name] for name in set(wire) - product.describe_filters} & taken
    for product, request in (
        (DCDN, dcdn_models.PreloadDcdnObjectCachesRequest),
        (CDN, cdn_models.PushObjectCacheRequest),
    ):
        taken = _wire_fields(request)
        assert product.preload_flags <= taken
        assert (
            not (
                {"Area", "L2Preload", "WithHeader", "QueryHashkey", "ConsistencyHash"} - product.preload_flags
            )
            & taken
        )


def test_dcdn_refresh_types_are_the_sdks() -> None:
    # RefreshDcdnObjectCachesRequest.object_type: File, Directory, Regex, IgnoreParams.
    documented = inspect.getsource(dcdn_models.RefreshDcdnObjectCachesRequest.__init__)
    kinds = DCDN.limits.types_of(DCDN.action(Operation.REFRESH))
    assert kinds == ("File", "Directory", "Regex", "IgnoreParams")
    assert all(f"**{kind}**" in documented for kind in kinds)
    assert "ExQuery" not in documented


def test_dcdn_numbers_of_the_reference_pages() -> None:
    table = limits.DCDN_LIMITS
    d = products.DcdnAction
    # describedcdnrefreshtasks: PageSize 1..50, default 20; 5 calls a second.
    assert (table.max_page_size, table.default_page_size, table.max_page_number) == (50, 20, 100_000)
    assert limits.CDN_LIMITS.max_page_size == 100
    # describedcdnrefreshtaskbyid: 10 ids, 30 calls a second; describedcdnrefreshquota: 20.
    assert table.task_ids_per_call == 10
    # refreshdcdnobjectcaches: 30 calls a second; preloaddcdnobjectcaches: 15 (CDN: 50 and 50).
    assert dict(table.qps) == {
        d.DESCRIBE_REFRESH_TASKS: 5,
        d.DESCRIBE_REFRESH_TASK_BY_ID: 30,
        d.REFRESH_OBJECT_CACHES: 30,
        d.PRELOAD_OBJECT_CACHES: 15,
        d.DESCRIBE_REFRESH_QUOTA: 20,
    }
    # refreshdcdnobjectcaches: 1,000 URLs or 100 directories a request; 10,000 URLs a domain a minute;
    # daily 10,000 URLs and 100 directories.
    assert table.submit(d.REFRESH_OBJECT_CACHES, "File").per_call == 1_000
    assert table.submit(d.REFRESH_OBJECT_CACHES, "File").per_domain_per_minute == 10_000
    assert table.submit(d.REFRESH_OBJECT_CACHES, "Directory").per_call == 100
    assert (table.daily_quotas["url"], table.daily_quotas["dir"]) == (10_000, 100)
    # preloaddcdnobjectcaches: 100 URLs a request, 1,000 a day, a queue of 100,000; its error table's
    # SingleRequest.OverLimit and QuotaExceeded.Preload.
    preload = table.submit(d.PRELOAD_OBJECT_CACHES, "preload")
    assert (preload.per_call, table.daily_quotas["preload"], table.preload_queue) == (100, 1_000, 100_000)
    assert (preload.too_many_code, preload.quota_code) == ("SingleRequest.OverLimit", "QuotaExceeded.Preload")
    cdn_push = limits.CDN_LIMITS.submit(products.Action.PUSH_OBJECT_CACHE, "preload")
    assert (cdn_push.too_many_code, cdn_push.quota_code) == (
        "InvalidObjectPath.Size.Malformed",
        "QuotaExceeded.Refresh",
    )
    # no page says DCDN merges a second's URLs under one id
    assert all(row.merged_per_task_id is None for row in table.submits.values())


def test_dcdn_preload_queue_full_is_400_with_its_own_message() -> None:
    # preloaddcdnobjectcaches' error table: 400 PreloadQueueFull "The warming queue is full; please try
    # again later."; CDN's PushObjectCache: 403 "Preload queue is full, please try again later!".
    assert DCDN.error("PreloadQueueFull").http_status == 400
    assert DCDN.error("PreloadQueueFull").message == "The warming queue is full; please try again later."
    assert CDN.error("PreloadQueueFull").http_status == 403
    assert set(DCDN_ERROR_OVERRIDES) == {"PreloadQueueFull"}
    assert DCDN.error("Throttling") is API_ERRORS["Throttling"]


def test_dcdn_has_no_preload_detail_and_says_which_product_has() -> None:
    assert not DCDN.supports(Operation.DESCRIBE_PRELOAD_DETAIL)
    with pytest.raises(InvalidQuery, match="product='cdn'"):
        DCDN.action(Operation.DESCRIBE_PRELOAD_DETAIL)
