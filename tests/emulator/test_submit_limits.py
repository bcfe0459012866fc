"""The emulator refuses what the service refuses (the limits table, the current codes and statuses),
and answers the newer operations in the service's shape. In-process, on a manual clock."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.error_codes import API_ERRORS
from alicloud_cdn_refresh.models import PRELOAD_SUCCESS_DESCRIPTION
from emulator_helpers import Caller

A = products.Action
START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(clock=clock, complete_after=10, seed=2)


@pytest.fixture
def caller(emulator: Emulator, clock: ManualClock) -> Caller:
    return Caller(emulator, clock=clock)


def refresh(caller: Caller, paths: list[str], object_type: str = "File"):
    return caller.raw(A.REFRESH_OBJECT_CACHES, {"ObjectPath": "\n".join(paths), "ObjectType": object_type})


def refused(response, code: str) -> dict:
    body = response.json()
    assert (response.status_code, body["Code"]) == (API_ERRORS[code].http_status, code), body
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}
    return body


# --- per call, per type ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("object_type", "most", "suffix"),
    [("File", 1_000, ""), ("Directory", 100, "/"), ("Regex", 1, ".*"), ("IgnoreParams", 1_000, "")],
)
def test_each_type_has_its_own_per_call_limit(caller, emulator, object_type, most, suffix):
    paths = [f"http://a.com/{n}{suffix}" for n in range(most + 1)]
    emulator.set_quota("dir", 1_000)
    emulator.set_quota("regex", 1_000)
    emulator.set_quota("ignore_params", 10_000)
    body = refused(refresh(caller, paths, object_type), "SingleRequest.OverLimit")
    assert f"A maximum of {most} " in body["Message"]
    assert emulator.tasks() == []
    assert caller.refresh(*paths[:most], object_type=object_type)
    assert len(emulator.tasks()) == most


def test_preload_over_100_is_the_size_error_of_its_table(caller, emulator):
    paths = "\n".join(f"http://a.com/{n}" for n in range(101))
    refused(caller.raw(A.PUSH_OBJECT_CACHE, {"ObjectPath": paths}), "InvalidObjectPath.Size.Malformed")
    assert emulator.tasks() == []


def test_at_most_ten_domains_a_call(caller, emulator):
    eleven = [f"http://d{n}.example.com/x" for n in range(11)]
    body = refused(refresh(caller, eleven), "DomainNameOverLimit")
    assert "A maximum of 10 domains" in body["Message"]
    assert emulator.tasks() == []
    caller.refresh(*eleven[:10])
    # PushObjectCache documents no such limit
    caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "\n".join(eleven)})


@pytest.mark.parametrize("action", [A.REFRESH_OBJECT_CACHES, A.PUSH_OBJECT_CACHE])
def test_a_wildcard_domain_is_refused(caller, emulator, action):
    for path in ("http://*.example.com/a.js", "*.example.com/a.js"):
        refused(caller.raw(action, {"ObjectPath": path}), "InvalidExtensiveDomain.ValueNotSupported")
    assert emulator.tasks() == []


def test_unknown_object_type_on_a_submit(caller):
    body = refused(refresh(caller, ["http://a.com/x"], "Folder"), "InvalidObjectType.Malformed")
    assert "IgnoreParams" in body["Message"]


# --- per domain per minute -------------------------------------------------------------------------


def test_ten_thousand_urls_of_a_domain_a_minute(caller, emulator, clock):
    emulator.set_quota("url", 100_000)
    for call in range(10):
        clock.advance(0.1)
        caller.refresh(*(f"http://busy.com/{call}-{n}" for n in range(1_000)))
    response = refresh(caller, ["http://busy.com/one-more"])
    refused(response, "QuotaPerMinuteExceeded.Refresh")
    assert "x-acs-retry-after" not in response.headers  # a business error, not the gateway's flow control
    caller.refresh("http://other.com/x")  # per domain
    caller.refresh("http://busy.com/d/", object_type="Directory")  # URLs only
    clock.advance(59.9)
    caller.refresh("http://busy.com/one-more")
    assert emulator.quotas.report()["url"][1] == 100_000 - 10_002


def test_the_minute_limit_is_off_with_the_qps_limits(clock):
    emulator = Emulator(clock=clock, qps_limits=False, quotas=False)
    caller = Caller(emulator, clock=clock)
    for call in range(11):
        caller.refresh(*(f"http://busy.com/{call}-{n}" for n in range(1_000)))
    assert len(emulator.tasks()) == 11_000


# --- daily quotas -----------------------------------------------------------------------------------


def test_ignore_params_and_exquery_share_their_own_daily_quota(caller, emulator):
    emulator.set_quota("ignore_params", 3)
    caller.refresh("http://a.com/1", "http://a.com/2", object_type="IgnoreParams")
    caller.refresh("http://a.com/3", object_type="ExQuery")
    refused(refresh(caller, ["http://a.com/4"], "IgnoreParams"), "QuotaExceeded.Refresh")
    quota = caller.call(A.DESCRIBE_REFRESH_QUOTA)
    assert (quota["IgnoreParamsQuota"], quota["IgnoreParamsRemain"]) == ("3", "0")
    assert quota["UrlRemain"] == quota["UrlQuota"]
    assert {t.object_type.value for t in emulator.tasks()} == {"file"}


def test_a_spent_preload_quota_is_quota_exceeded_refresh(caller, emulator):
    emulator.set_quota("preload", 1)
    caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/p"})
    body = refused(caller.raw(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://a.com/q"}), "QuotaExceeded.Refresh")
    assert body["Message"] == "Your refresh attempts have exceeded the daily limit."


def test_the_quota_report_has_every_current_field(caller):
    body = caller.call(A.DESCRIBE_REFRESH_QUOTA)
    for prefix in ("Url", "Dir", "Regex", "Preload", "Block", "IgnoreParams", "PreloadEdge"):
        assert body[f"{prefix}Quota"].isdigit()
        assert body[f"{prefix}Remain"] == body[f"{prefix}Quota"]
    assert body["RegexQuota"] == "20"
    assert body["IgnoreParamsQuota"] == "100"


# --- task ids ----------------------------------------------------------------------------------------


def test_preload_ids_hold_500_urls_and_refresh_ids_2000(emulator, caller):
    emulator.set_quota("preload", 10_000)
    ids: list[str] = []
    for start in range(0, 600, 100):
        body = caller.call(
            A.PUSH_OBJECT_CACHE,
            {"ObjectPath": "\n".join(f"http://p.com/{n}" for n in range(start, start + 100))},
        )
        ids.extend(i for i in body["PushTaskId"].split(",") if i not in ids)
    counts = [sum(1 for t in emulator.tasks() if t.task_id == i) for i in ids]
    assert counts == [limits.MAX_PRELOAD_URLS_PER_TASK_ID, 100]


# --- paths without a scheme --------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "stored"), [("keep", "a.com/x.js"), ("http", "http://a.com/x.js")])
def test_a_path_without_its_scheme(clock, form, stored):
    emulator = Emulator(clock=clock, scheme_less=form)
    caller = Caller(emulator, clock=clock)
    caller.refresh("a.com/x.js", "https://a.com/y.js")
    assert {t.object_path for t in emulator.tasks()} == {stored, "https://a.com/y.js"}
    rows = caller.tasks(ObjectPath=stored)["Tasks"]["CDNTask"]
    assert [r["ObjectPath"] for r in rows] == [stored]
    for bad in ("a b/x", "localhost/x", "/x", "ftp://a.com/x", "x"):
        refused(refresh(caller, [bad]), "InvalidObjectPath.Malformed")
    with pytest.raises(ValueError, match="scheme_less"):
        Emulator(scheme_less="https")


# --- RefreshObjectCacheByCacheTag ----------------------------------------------------------------------


def test_cache_tag_purge(caller, emulator, clock):
    body = caller.call(A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, {"DomainName": "Shop.com", "CacheTag": "a, b,a"})
    (task_id,) = body["RefreshTaskId"].split(",")
    rows = caller.call(A.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": task_id})["Tasks"]
    assert sorted(r["ObjectPath"] for r in rows) == ["a", "b"]
    assert {r["ObjectType"] for r in rows} == {"cachetag"}
    assert {t.object_path for t in emulator.tasks()} == {"a", "b"}
    clock.advance(10)
    rows = caller.call(A.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": task_id})["Tasks"]
    assert {r["Status"] for r in rows} == {"Complete"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"CacheTag": "a"}, "MissingParameter"),
        ({"DomainName": "shop.com"}, "MissingParameter"),
        ({"DomainName": "*.shop.com", "CacheTag": "a"}, "InvalidExtensiveDomain.ValueNotSupported"),
        ({"DomainName": "shop.com/x", "CacheTag": "a"}, "InvalidParameter"),
        ({"DomainName": "shop.com", "CacheTag": ",,"}, "InvalidParameter"),
        ({"DomainName": "shop.com", "CacheTag": "a" * 16_385}, "InvalidParameter"),
        ({"DomainName": "shop.com", "CacheTag": "a", "Force": "maybe"}, "InvalidParameter"),
    ],
)
def test_cache_tag_refusals(caller, emulator, params, code):
    refused(caller.raw(A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, params), code)
    assert emulator.tasks() == []


def test_cache_tag_for_a_domain_that_is_not_yours_or_offline(clock):
    emulator = Emulator(clock=clock, domains=["mine.com"])
    caller = Caller(emulator, clock=clock)
    refused(
        caller.raw(A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, {"DomainName": "theirs.com", "CacheTag": "a"}),
        "InvalidDomain.NotFound",
    )
    emulator.set_domain_offline("mine.com")
    refused(
        caller.raw(A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, {"DomainName": "mine.com", "CacheTag": "a"}),
        "InvalidDomain.Offline",
    )


# --- DescribePreloadDetailById -------------------------------------------------------------------------


def test_preload_detail_follows_the_task(clock):
    emulator = Emulator(clock=clock, complete_after=10, fail_paths=r"/broken", seed=2)
    caller = Caller(emulator, clock=clock)
    body = caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://p.com/1\nhttp://p.com/2"})
    (task_id,) = body["PushTaskId"].split(",")
    clock.advance(6)
    detail = caller.call(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": task_id})
    assert detail["TotalCount"] == 1
    (entry,) = detail["UrlDetails"]
    assert (entry["TaskId"], entry["Domain"], entry["Status"], entry["RetCode"]) == (
        task_id,
        "p.com",
        "Refreshing",
        "0",
    )
    assert entry["CreationTime"] == "2026-11-28T12:00:00Z"
    assert entry["EndTime"] == ""
    assert [u["Url"] for u in entry["Urls"]] == ["http://p.com/1", "http://p.com/2"]
    assert all(u["Description"] == "" and u["Success"].endswith("%") for u in entry["Urls"])
    clock.advance(5)
    (entry,) = caller.call(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": task_id})["UrlDetails"]
    assert (entry["Status"], entry["Process"], entry["EndTime"]) == (
        "Complete",
        "100%",
        "2026-11-28T12:00:10Z",
    )
    assert {u["Description"] for u in entry["Urls"]} == {PRELOAD_SUCCESS_DESCRIPTION}
    failing = caller.call(A.PUSH_OBJECT_CACHE, {"ObjectPath": "http://q.com/broken"})["PushTaskId"]
    clock.advance(11)
    (entry,) = caller.call(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": failing})["UrlDetails"]
    assert (entry["Status"], entry["RetCode"]) == ("Failed", "1")
    assert entry["Urls"][0]["Description"]


def test_preload_detail_of_other_ids_and_refusals(caller, emulator):
    (refresh_id,) = caller.refresh("http://a.com/x")
    assert caller.call(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": refresh_id}) | {"RequestId": ""} == {
        "TotalCount": 0,
        "UrlDetails": [],
        "RequestId": "",
    }
    assert caller.call(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": "999"})["TotalCount"] == 0
    refused(caller.raw(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {}), "MissingParameter")
    refused(caller.raw(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": "1,2"}), "InvalidTaskId.Malformed")
    emulator.set_preload_detail_allowed(False)
    refused(caller.raw(A.DESCRIBE_PRELOAD_DETAIL_BY_ID, {"TaskId": "1"}), "OperationDenied")


def test_fractional_process_of_a_seeded_task(caller, emulator):
    task_id = emulator.seed_task("http://a.com/x", status="Refreshing", process=99.37)
    (row,) = caller.call(A.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": task_id})["Tasks"]
    assert row["Process"] == "99.37%"
    (task,) = emulator.tasks()
    assert (task.process, task.process_exact) == (99, 99.37)


# --- fail_next produces every code of the issue --------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "SingleRequest.OverLimit",
        "InvalidObjectType.Malformed",
        "InvalidExtensiveDomain.ValueNotSupported",
        "IllegalOperation",
        "InvalidTime",
        "DomainNameOverLimit",
        "TooMany.Refresh",
        "TooManyRequests",
        "PreloadQueueFull",
        "QuotaPerMinuteExceeded.Refresh",
        "InvalidDomain.Configure_failed",
    ],
)
def test_fail_next_answers_each_new_code(caller, emulator, code):
    emulator.fail_next(code, action=A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG)
    body = refused(
        caller.raw(A.REFRESH_OBJECT_CACHE_BY_CACHE_TAG, {"DomainName": "a.com", "CacheTag": "t"}), code
    )
    assert body["Message"] == API_ERRORS[code].message
