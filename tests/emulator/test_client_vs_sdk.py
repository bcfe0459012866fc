"""Our CdnClient and the official SDK read the same data from one emulator.

The SDK talks to the emulator's server over a socket; CdnClient talks to the same emulator both over
that socket and in-process through its transport. Whatever one submits, the other sees, field for
field; both answers are turned into RefreshTask with the shared models.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from alibabacloud_cdn20180510 import models
from alibabacloud_cdn20180510.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.models import Config

from alicloud_cdn_refresh.client.cdn_client import CdnClient
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import Emulator, EmulatorServer
from alicloud_cdn_refresh.errors import ApiError
from alicloud_cdn_refresh.models import RefreshTask
from reference_parsing import task_from_api

# Half past an hour, an hour or less ago: the quota day rolls over at a full hour (midnight in
# Beijing), so the seconds this test moves the clock never cross it (the SDK signs with real time,
# which the emulator accepts within the gateway's tolerance).
START = (datetime.now(timezone.utc) - timedelta(minutes=30)).replace(minute=30, second=0, microsecond=0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(clock=clock, complete_after=20, fail_paths=r"/broken/", seed=11, qps_limits=False)


@pytest.fixture
def sdk(server: EmulatorServer, signature: str) -> Client:
    config = Config(
        access_key_id="testid", access_key_secret="testsecret", endpoint=server.endpoint, protocol="http"
    )
    if signature == "v1":
        config.signature_algorithm = "v2"
    return Client(config)


@pytest.fixture(params=["socket", "in-process"])
def client(
    request: pytest.FixtureRequest,
    server: EmulatorServer,
    emulator: Emulator,
    clock: ManualClock,
    signature: str,
) -> Iterator[CdnClient]:
    kwargs: dict[str, Any] = {
        "credentials": Credentials("testid", "testsecret"),
        "signature_version": signature,
        "rate_limit": False,
        "clock": clock,
    }
    if request.param == "socket":
        made = CdnClient(endpoint=server.url, **kwargs)
    else:
        made = CdnClient(endpoint="https://cdn.aliyuncs.com", transport=emulator.transport(), **kwargs)
    with made:
        yield made


def _sdk_tasks(sdk: Client, **kwargs: Any) -> list[RefreshTask]:
    tasks: list[RefreshTask] = []
    page = 1
    while True:
        body = sdk.describe_refresh_tasks(
            models.DescribeRefreshTasksRequest(page_number=page, page_size=7, **kwargs)
        ).body
        tasks += [task_from_api(item.to_map()) for item in body.tasks.cdntask]
        if page * 7 >= body.total_count:
            return tasks
        page += 1


def _submit_from_both(client: CdnClient, sdk: Client, clock: ManualClock) -> tuple[list[str], list[str]]:
    ours = client.refresh_object_caches([f"http://ours.example.com/{i}.js" for i in range(12)])
    ours += client.refresh_object_caches(["http://ours.example.com/static/"], object_type="Directory")
    ours += client.push_object_cache(
        ["http://ours.example.com/broken/big.bin"], area="overseas", l2_preload=True
    )
    clock.advance(7)
    theirs = sdk.refresh_object_caches(
        models.RefreshObjectCachesRequest(
            object_path="\n".join(f"http://theirs.example.com/{i}.css" for i in range(5))
            + "\nhttp://theirs.example.com/broken/x",
        )
    ).body.refresh_task_id.split(",")
    theirs += sdk.push_object_cache(
        models.PushObjectCacheRequest(object_path="http://theirs.example.com/v.mp4", area="domestic")
    ).body.push_task_id.split(",")
    clock.advance(3)
    return ours, theirs


def test_same_tasks_page_by_page(client: CdnClient, sdk: Client, clock: ManualClock) -> None:
    _submit_from_both(client, sdk, clock)
    sdk_view = _sdk_tasks(sdk)
    ours = list(client.iter_refresh_tasks(page_size=7))
    assert len(sdk_view) == 21
    assert ours == sdk_view
    statuses = {t.status.value for t in ours}
    assert statuses == {"Refreshing", "Pending"}
    clock.advance(20)
    final = list(client.iter_refresh_tasks())
    assert final == _sdk_tasks(sdk)
    assert {t.object_path for t in final if t.status.is_failed} == {
        "http://ours.example.com/broken/big.bin",
        "http://theirs.example.com/broken/x",
    }
    assert all(t.description for t in final if t.status.is_failed)


def test_same_filtered_views_and_single_pages(client: CdnClient, sdk: Client, clock: ManualClock) -> None:
    _submit_from_both(client, sdk, clock)
    for filters in (
        {"domain_name": "theirs.example.com", "object_type": "file"},
        {"object_type": "preload"},
        {"object_type": "path"},
        {"object_path": "http://ours.example.com/3.js"},
        {"object_type": "file", "status": "Refreshing"},
    ):
        assert list(client.iter_refresh_tasks(**filters)) == _sdk_tasks(sdk, **filters), filters
    page = client.describe_refresh_tasks(page_number=2, page_size=5)
    body = sdk.describe_refresh_tasks(models.DescribeRefreshTasksRequest(page_number=2, page_size=5)).body
    assert (page.page_number, page.page_size, page.total_count) == (
        body.page_number,
        body.page_size,
        body.total_count,
    )
    assert list(page.tasks) == [task_from_api(item.to_map()) for item in body.tasks.cdntask]


def test_same_tasks_by_id(client: CdnClient, sdk: Client, clock: ManualClock) -> None:
    ours, theirs = _submit_from_both(client, sdk, clock)
    ids = ours + theirs
    mine = client.describe_refresh_task_by_id(ids)
    seen: list[RefreshTask] = []
    for start in range(0, len(ids), 10):
        body = sdk.describe_refresh_task_by_id(
            models.DescribeRefreshTaskByIdRequest(task_id=",".join(ids[start : start + 10]))
        ).body
        seen += [task_from_api(item.to_map()) for item in body.tasks]
    assert sorted(mine, key=lambda t: (t.task_id, t.object_path)) == sorted(
        seen, key=lambda t: (t.task_id, t.object_path)
    )
    assert len(mine) == 21


def test_same_quota(client: CdnClient, sdk: Client, clock: ManualClock) -> None:
    _submit_from_both(client, sdk, clock)
    quota = client.describe_refresh_quota()
    body = sdk.describe_refresh_quota(models.DescribeRefreshQuotaRequest()).body
    assert (quota.url_quota, quota.url_remain) == (int(body.url_quota), int(body.url_remain))
    assert (quota.dir_quota, quota.dir_remain) == (int(body.dir_quota), int(body.dir_remain))
    assert (quota.preload_quota, quota.preload_remain) == (int(body.preload_quota), int(body.preload_remain))
    assert (quota.regex_quota, quota.regex_remain) == (int(body.regex_quota), int(body.regex_remain))
    assert quota.url_remain == quota.url_quota - 18


def test_same_error_for_the_same_mistake(server: EmulatorServer, signature: str) -> None:
    wrong = CdnClient(
        endpoint=server.url,
        credentials=Credentials("testid", "wrong-secret"),
        signature_version=signature,
        rate_limit=False,
    )
    with wrong, pytest.raises(ApiError) as ours:
        wrong.describe_refresh_quota()
    config = Config(
        access_key_id="testid", access_key_secret="wrong-secret", endpoint=server.endpoint, protocol="http"
    )
    if signature == "v1":
        config.signature_algorithm = "v2"
    with pytest.raises(ClientException) as theirs:
        Client(config).describe_refresh_quota(models.DescribeRefreshQuotaRequest())
    assert ours.value.code == theirs.value.code == "SignatureDoesNotMatch"
    assert ours.value.http_status == theirs.value.status_code == 400
    assert "wrong-secret" not in str(ours.value)
