"""The official SDK (alibabacloud-cdn20180510) against the emulator over a real local socket.

The SDK is an outside reference: where its models read a response, the emulator's shape is right;
where it signs (V3 by default, V1 with ``signature_algorithm="v2"``), the emulator's verifier is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from alibabacloud_cdn20180510 import models
from alibabacloud_cdn20180510.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_openapi.utils import Utils

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import FAILURE_DESCRIPTIONS, Emulator, EmulatorServer
from alicloud_cdn_refresh.error_codes import API_ERRORS
from alicloud_cdn_refresh.models import TaskStatus
from reference_parsing import task_from_api


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(_now())


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(clock=clock, complete_after=10, fail_paths=r"/broken/", seed=3)


SdkFactory = Callable[..., Client]


@pytest.fixture
def make_sdk(server: EmulatorServer, signature: str) -> SdkFactory:
    def make(key_id: str = "testid", secret: str = "testsecret", token: str | None = None) -> Client:
        config = Config(
            access_key_id=key_id,
            access_key_secret=secret,
            security_token=token,
            endpoint=server.endpoint,
            protocol="http",
        )
        if signature == "v1":
            config.signature_algorithm = "v2"
        return Client(config)

    return make


@pytest.fixture
def sdk(make_sdk: SdkFactory) -> Client:
    return make_sdk()


def _error(call: Callable[[], Any]) -> ClientException | ServerException:
    with pytest.raises((ClientException, ServerException)) as info:
        call()
    error = info.value
    assert isinstance(error, (ClientException, ServerException))
    spec = API_ERRORS[error.code]
    assert error.status_code == spec.http_status
    assert error.data["RequestId"]
    assert error.data["HostId"]
    return error


def _tasks(sdk: Client, **kwargs: Any) -> models.DescribeRefreshTasksResponseBody:
    return sdk.describe_refresh_tasks(models.DescribeRefreshTasksRequest(**kwargs)).body


# --- the happy path, read through the SDK's typed models --------------------------------------


def test_submit_list_page_by_id_and_quota(sdk: Client) -> None:
    refresh = sdk.refresh_object_caches(
        models.RefreshObjectCachesRequest(
            object_path="http://example.com/a b.txt\nhttp://example.com/c.txt", object_type="File", force=True
        )
    ).body
    assert refresh.request_id
    (refresh_id,) = refresh.refresh_task_id.split(",")
    push = sdk.push_object_cache(
        models.PushObjectCacheRequest(
            object_path="http://example.com/big.bin",
            area="domestic",
            l_2preload=True,
            with_header='{"Accept-Encoding":"gzip"}',
            query_hashkey=False,
        )
    ).body
    (push_id,) = push.push_task_id.split(",")
    assert push_id != refresh_id

    page = _tasks(sdk)
    assert page.total_count == 3
    assert page.page_number == 1
    assert page.page_size == limits.DEFAULT_PAGE_SIZE
    first = page.tasks.cdntask[0]
    assert first.object_path == "http://example.com/big.bin"
    assert first.object_type == "preload"
    assert first.status == "Pending"
    assert first.process == "0%"
    task = task_from_api(first.to_map())
    assert task.task_id == push_id

    one = _tasks(sdk, page_size=1, page_number=2)
    assert [t.object_path for t in one.tasks.cdntask] == ["http://example.com/c.txt"]
    by_path = _tasks(sdk, object_path="http://example.com/a b.txt")
    assert [t.task_id for t in by_path.tasks.cdntask] == [refresh_id]

    by_id = sdk.describe_refresh_task_by_id(
        models.DescribeRefreshTaskByIdRequest(task_id=f"{refresh_id},{push_id}")
    ).body
    assert by_id.total_count == 3
    assert {t.task_id for t in by_id.tasks} == {refresh_id, push_id}
    assert all(t.creation_time.endswith("Z") for t in by_id.tasks)

    quota = sdk.describe_refresh_quota(models.DescribeRefreshQuotaRequest()).body
    assert quota.url_quota == str(limits.DAILY_QUOTAS["url"])
    assert quota.url_remain == str(limits.DAILY_QUOTAS["url"] - 2)
    assert quota.preload_remain == str(limits.DAILY_QUOTAS["preload"] - 1)
    assert quota.dir_quota == str(limits.DAILY_QUOTAS["dir"])
    assert quota.regex_remain == str(limits.DAILY_QUOTAS["regex"])
    assert quota.block_quota == str(limits.DAILY_QUOTAS["block"])


def test_task_goes_to_complete_and_to_failed(sdk: Client, clock: ManualClock) -> None:
    ids = sdk.refresh_object_caches(
        models.RefreshObjectCachesRequest(
            object_path="http://example.com/ok.css\nhttp://example.com/broken/x.css"
        )
    ).body.refresh_task_id
    clock.advance(5)
    middle = {t.object_path: t for t in _tasks(sdk, task_id=ids).tasks.cdntask}
    assert {t.status for t in middle.values()} == {"Refreshing"}
    assert 0 < int(middle["http://example.com/ok.css"].process.rstrip("%")) < 100
    clock.advance(5)
    done = {t.object_path: t for t in _tasks(sdk, task_id=ids).tasks.cdntask}
    assert done["http://example.com/ok.css"].status == TaskStatus.COMPLETE.value
    assert done["http://example.com/ok.css"].process == "100%"
    failed = done["http://example.com/broken/x.css"]
    assert failed.status == TaskStatus.FAILED.value
    assert failed.description in FAILURE_DESCRIPTIONS
    assert _tasks(sdk, object_type="file", status="Failed").total_count == 1
    assert _tasks(sdk, object_type="file", status="Complete", domain_name="example.com").total_count == 1


# --- every documented validation error ---------------------------------------------------------


def _past(hours: float) -> str:
    return _stamp(_now() - timedelta(hours=hours))


DESCRIBE_ERRORS = [
    ({"task_id": "12a"}, "InvalidTaskId.Malformed"),
    ({"object_path": "http://a.com/x\ny"}, "InvalidObjectPath.Malformed"),
    ({"domain_name": "a.com"}, "MissingParameter.ObjectType"),
    ({"status": "Complete"}, "MissingParameter.ObjectType"),
    ({"start_time": _past(1)}, "MissingTimeParameter"),
    ({"end_time": _past(1)}, "MissingTimeParameter"),
    ({"start_time": "2026-11-28 10:00:00", "end_time": _past(1)}, "InvalidStartTime.Malformed"),
    ({"start_time": _past(2), "end_time": "yesterday"}, "InvalidEndTime.Malformed"),
    ({"start_time": _past(1), "end_time": _past(2)}, "InvalidEndTime.Mismatch"),
    ({"start_time": _past(24 * 3 + 1), "end_time": _past(1)}, "InvalidStartTime.ValueNotSupported"),
    ({"object_type": "file", "status": "Done"}, "InvalidStatus.ValueNotSupported"),
    ({"object_type": "folder"}, "InvalidObjectType.ValueNotSupported"),
    ({"page_size": limits.MAX_PAGE_SIZE + 1}, "InvalidPageSize.ValueNotSupported"),
    ({"page_size": 0}, "InvalidPageSize.ValueNotSupported"),
    ({"page_number": 0}, "InvalidPageNumber.ValueNotSupported"),
    ({"page_number": limits.MAX_PAGE_NUMBER + 1}, "InvalidPageNumber.ValueNotSupported"),
]


@pytest.mark.parametrize(("kwargs", "code"), DESCRIBE_ERRORS, ids=[c for _, c in DESCRIBE_ERRORS])
def test_describe_validation_errors(sdk: Client, kwargs: dict[str, Any], code: str) -> None:
    error = _error(lambda: _tasks(sdk, **kwargs))
    assert error.code == code
    assert error.data["Message"]


def test_documented_messages_are_the_real_ones(sdk: Client) -> None:
    error = _error(lambda: _tasks(sdk, domain_name="a.com"))
    assert error.data["Message"] == "If DomainName or Status is provided, ObjectType can not be empty."
    error = _error(lambda: _tasks(sdk, start_time=_past(1)))
    assert error.data["Message"] == "StartTime and EndTime can not be single."


def test_submit_validation_errors(sdk: Client, emulator: Emulator) -> None:
    too_many = "\n".join(f"http://a.com/{i}" for i in range(limits.MAX_REFRESH_PATHS_PER_CALL + 1))
    cases: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path=too_many)),
            "SingleRequest.OverLimit",
        ),
        (
            lambda: sdk.refresh_object_caches(
                models.RefreshObjectCachesRequest(object_path="http://a.com/", object_type="Folder")
            ),
            "InvalidObjectType.Malformed",
        ),
        (
            lambda: sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path="a b/x")),
            "InvalidObjectPath.Malformed",
        ),
        (
            lambda: sdk.refresh_object_caches(
                models.RefreshObjectCachesRequest(object_path="http://a.com/dir", object_type="Directory")
            ),
            "InvalidObjectPath.Malformed",
        ),
        (
            lambda: sdk.push_object_cache(
                models.PushObjectCacheRequest(
                    object_path="http://a.com/" + "x" * limits.MAX_PRELOAD_PATH_LENGTH
                )
            ),
            "InvalidObjectPath.Malformed",
        ),
        (
            lambda: sdk.push_object_cache(
                models.PushObjectCacheRequest(
                    object_path="\n".join(
                        f"http://a.com/{i}" for i in range(limits.MAX_PRELOAD_PATHS_PER_CALL + 1)
                    )
                )
            ),
            "InvalidObjectPath.Size.Malformed",
        ),
        (
            lambda: sdk.push_object_cache(
                models.PushObjectCacheRequest(object_path="http://a.com/x", area="mars")
            ),
            "InvalidParameter",
        ),
        (
            lambda: sdk.push_object_cache(
                models.PushObjectCacheRequest(object_path="http://a.com/x", with_header="not json")
            ),
            "InvalidParameter",
        ),
        (
            lambda: sdk.describe_refresh_task_by_id(models.DescribeRefreshTaskByIdRequest()),
            "MissingParameter",
        ),
        (
            lambda: sdk.describe_refresh_task_by_id(
                models.DescribeRefreshTaskByIdRequest(task_id=",".join(str(i) for i in range(11)))
            ),
            "InvalidTaskId.Malformed",
        ),
    ]
    for call, code in cases:
        assert _error(call).code == code
    assert len(emulator.tasks()) == 0


def test_quota_exceeded(sdk: Client, emulator: Emulator) -> None:
    emulator.set_quota("url", 3)
    emulator.set_quota("preload", 1)
    sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path="http://a.com/1\nhttp://a.com/2"))
    error = _error(
        lambda: sdk.refresh_object_caches(
            models.RefreshObjectCachesRequest(object_path="http://a.com/3\nhttp://a.com/4")
        )
    )
    assert error.code == "QuotaExceeded.Refresh"
    sdk.push_object_cache(models.PushObjectCacheRequest(object_path="http://a.com/p"))
    error = _error(lambda: sdk.push_object_cache(models.PushObjectCacheRequest(object_path="http://a.com/q")))
    assert error.code == "QuotaExceeded.Refresh"  # the CDN reference's code for preloads too
    quota = sdk.describe_refresh_quota(models.DescribeRefreshQuotaRequest()).body
    assert (quota.url_quota, quota.url_remain, quota.preload_remain) == ("3", "1", "0")


def test_throttling_through_the_sdk(sdk: Client, clock: ManualClock) -> None:
    limit = int(limits.QPS_LIMITS[products.Action.DESCRIBE_REFRESH_TASKS])
    for _ in range(limit):
        _tasks(sdk)
    with pytest.raises(ThrottlingException) as info:
        _tasks(sdk)
    assert info.value.code == "Throttling"
    assert info.value.status_code == 503
    assert info.value.retry_after > 0
    clock.advance(1)
    _tasks(sdk)


# --- authentication ----------------------------------------------------------------------------


def test_wrong_secret(make_sdk: SdkFactory) -> None:
    error = _error(lambda: _tasks(make_sdk(secret="not-the-secret")))
    assert error.code == "SignatureDoesNotMatch"
    assert "not-the-secret" not in str(error.data)


def test_unknown_key(make_sdk: SdkFactory) -> None:
    assert _error(lambda: _tasks(make_sdk(key_id="nobody"))).code == "InvalidAccessKeyId.NotFound"


def test_sts_token(make_sdk: SdkFactory, emulator: Emulator) -> None:
    emulator.add_sts_token("STS.tempid", "tempsecret", "the-token")
    assert _tasks(make_sdk("STS.tempid", "tempsecret", "the-token")).total_count == 0
    wrong = _error(lambda: _tasks(make_sdk("STS.tempid", "tempsecret", "other-token")))
    assert wrong.code == "InvalidSecurityToken.MismatchWithAccessKey"
    assert "the-token" not in str(wrong.data)
    assert "other-token" not in str(wrong.data)
    missing = _error(lambda: _tasks(make_sdk("STS.tempid", "tempsecret")))
    assert missing.code == "MissingSecurityToken"
    stray = _error(lambda: _tasks(make_sdk(token="a-token-for-a-long-term-key")))
    assert stray.code == "InvalidSecurityToken.MismatchWithAccessKey"


def test_expired_sts_token(make_sdk: SdkFactory, emulator: Emulator, clock: ManualClock) -> None:
    emulator.add_sts_token("STS.old", "s", "t", expires=clock.now() + timedelta(seconds=30))
    assert _tasks(make_sdk("STS.old", "s", "t")).total_count == 0
    clock.advance(31)
    assert _error(lambda: _tasks(make_sdk("STS.old", "s", "t"))).code == "InvalidSecurityToken.Expired"


def test_expired_timestamp(sdk: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = _stamp(_now() - limits.TIMESTAMP_TOLERANCE - timedelta(minutes=1))
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: stale))
    assert _error(lambda: _tasks(sdk)).code == "InvalidTimeStamp.Expired"
    fresh = _stamp(_now() - limits.TIMESTAMP_TOLERANCE + timedelta(minutes=1))
    monkeypatch.setattr(Utils, "get_timestamp", staticmethod(lambda: fresh))
    assert _tasks(sdk).total_count == 0


def test_nonce_reuse(sdk: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Utils, "get_nonce", staticmethod(lambda: "always-the-same"))
    assert _tasks(sdk).total_count == 0
    assert _error(lambda: _tasks(sdk)).code == "SignatureNonceUsed"


# --- issue 14: the current operations and refusals, read by the SDK's models ------------------------


def test_ignore_params_refresh_and_every_quota_field(sdk: Client) -> None:
    body = sdk.refresh_object_caches(
        models.RefreshObjectCachesRequest(object_path="http://example.com/app.js", object_type="IgnoreParams")
    ).body
    (task_id,) = body.refresh_task_id.split(",")
    quota = sdk.describe_refresh_quota(models.DescribeRefreshQuotaRequest()).body
    assert (quota.ignore_params_quota, quota.ignore_params_remain) == (
        str(limits.DAILY_QUOTAS["ignore_params"]),
        str(limits.DAILY_QUOTAS["ignore_params"] - 1),
    )
    assert (quota.preload_edge_quota, quota.preload_edge_remain) == ("20", "20")
    assert quota.url_remain == quota.url_quota
    (task,) = sdk.describe_refresh_task_by_id(
        models.DescribeRefreshTaskByIdRequest(task_id=task_id)
    ).body.tasks
    assert (task.object_type, task.object_path) == ("file", "http://example.com/app.js")


def test_preload_with_query_hashkey_and_consistency_hash_then_its_detail(
    sdk: Client, clock: ManualClock
) -> None:
    push = sdk.push_object_cache(
        models.PushObjectCacheRequest(
            object_path="example.com/a.mp4\nexample.com/b.mp4", query_hashkey=True, consistency_hash=True
        )
    ).body
    (task_id,) = push.push_task_id.split(",")
    clock.advance(10)
    detail = sdk.describe_preload_detail_by_id(models.DescribePreloadDetailByIdRequest(task_id=task_id)).body
    assert detail.total_count == 1
    (entry,) = detail.url_details
    assert (entry.task_id, entry.domain, entry.status, entry.ret_code, entry.process) == (
        task_id,
        "example.com",
        "Complete",
        "0",
        "100%",
    )
    assert entry.creation_time.endswith("Z")
    assert entry.end_time.endswith("Z")
    assert [(u.url, u.success, u.description) for u in entry.urls] == [
        ("example.com/a.mp4", "100%", "Successfully preloaded"),
        ("example.com/b.mp4", "100%", "Successfully preloaded"),
    ]
    empty = sdk.describe_preload_detail_by_id(models.DescribePreloadDetailByIdRequest(task_id="1")).body
    assert (empty.total_count, empty.url_details) == (0, [])


def test_refresh_by_cache_tag(sdk: Client) -> None:
    body = sdk.refresh_object_cache_by_cache_tag(
        models.RefreshObjectCacheByCacheTagRequest(
            domain_name="example.com", cache_tag="tag1,tag2", force=True
        )
    ).body
    assert body.request_id
    (task_id,) = body.refresh_task_id.split(",")
    tasks = sdk.describe_refresh_task_by_id(models.DescribeRefreshTaskByIdRequest(task_id=task_id)).body.tasks
    assert sorted(t.object_path for t in tasks) == ["tag1", "tag2"]
    error = _error(
        lambda: sdk.refresh_object_cache_by_cache_tag(
            models.RefreshObjectCacheByCacheTagRequest(domain_name="*.example.com", cache_tag="t")
        )
    )
    assert error.code == "InvalidExtensiveDomain.ValueNotSupported"


def test_a_path_without_a_scheme_and_a_fractional_process(sdk: Client, emulator: Emulator) -> None:
    body = sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path="example.com/x.png")).body
    page = _tasks(sdk, task_id=body.refresh_task_id)
    assert [t.object_path for t in page.tasks.cdntask] == ["example.com/x.png"]
    task_id = emulator.seed_task("http://example.com/big.bin", status="Refreshing", process=99.37)
    (seen,) = _tasks(sdk, task_id=task_id).tasks.cdntask
    assert seen.process == "99.37%"
    assert task_from_api(seen.to_map()).process == 99


def test_the_refusals_of_the_limits_table(sdk: Client, emulator: Emulator) -> None:
    emulator.set_quota("url", 100_000)
    directories = "\n".join(f"http://a.com/{i}/" for i in range(101))
    eleven = "\n".join(f"http://d{i}.com/x" for i in range(11))
    cases: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: sdk.refresh_object_caches(
                models.RefreshObjectCachesRequest(object_path=directories, object_type="Directory")
            ),
            "SingleRequest.OverLimit",
        ),
        (
            lambda: sdk.refresh_object_caches(
                models.RefreshObjectCachesRequest(
                    object_path="http://a.com/.*\nhttp://b.com/.*", object_type="Regex"
                )
            ),
            "SingleRequest.OverLimit",
        ),
        (
            lambda: sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path=eleven)),
            "DomainNameOverLimit",
        ),
        (
            lambda: sdk.refresh_object_caches(
                models.RefreshObjectCachesRequest(object_path="http://*.a.com/x")
            ),
            "InvalidExtensiveDomain.ValueNotSupported",
        ),
    ]
    for call, code in cases:
        error = _error(call)
        assert error.code == code
        assert error.data["Message"]
    assert len(emulator.tasks()) == 0
    for batch in range(10):
        sdk.refresh_object_caches(
            models.RefreshObjectCachesRequest(
                object_path="\n".join(f"http://busy.com/{batch}/{i}" for i in range(1_000))
            )
        )
    error = _error(
        lambda: sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path="http://busy.com/x"))
    )
    assert error.code == "QuotaPerMinuteExceeded.Refresh"


@pytest.mark.parametrize("code", ["TooManyRequests", "TooMany.Refresh", "IllegalOperation", "InvalidTime"])
def test_scripted_current_codes_reach_the_sdk_with_their_status(
    sdk: Client, emulator: Emulator, code: str
) -> None:
    emulator.fail_next(code)
    error = _error(
        lambda: sdk.refresh_object_caches(models.RefreshObjectCachesRequest(object_path="http://a.com/x"))
    )
    assert error.code == code
