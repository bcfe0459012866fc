"""The emulator in-process: shapes, lifecycle, merged ids, paging, 3-day window, validation."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from alicloud_cdn_refresh import limits, products
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import FAILURE_DESCRIPTIONS, Emulator
from alicloud_cdn_refresh.models import ObjectType, TaskStatus
from emulator_helpers import Caller, api_time
from reference_parsing import task_from_api

START = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
A = products.Action


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def emulator(clock: ManualClock) -> Emulator:
    return Emulator(clock=clock, complete_after=10, fail_paths=r"/broken/", seed=7, qps_limits=False)


@pytest.fixture(params=["v1", "v3"])
def caller(request: pytest.FixtureRequest, emulator: Emulator, clock: ManualClock) -> Caller:
    return Caller(emulator, version=request.param, clock=clock)


def test_lifecycle_pending_refreshing_complete(caller: Caller, clock: ManualClock) -> None:
    (task_id,) = caller.refresh("http://example.com/a.txt")
    seen = []
    for _ in range(6):
        (row,) = caller.tasks(TaskId=task_id)["Tasks"]["CDNTask"]
        seen.append((row["Status"], row["Process"]))
        clock.advance(2.5)
    assert seen[0] == ("Pending", "0%")
    assert seen[1][0] == "Refreshing"
    processes = [int(p.rstrip("%")) for s, p in seen if s == "Refreshing"]
    assert processes == sorted(processes)
    assert len(set(processes)) == len(processes)
    assert seen[-1] == ("Complete", "100%")
    task = task_from_api(caller.tasks(TaskId=task_id)["Tasks"]["CDNTask"][0])
    assert task.status.is_complete
    assert task.creation_time == START


def test_failed_paths_end_failed_with_a_documented_description(caller: Caller, clock: ManualClock) -> None:
    caller.refresh("http://example.com/broken/x.js", "http://example.com/ok.js")
    clock.advance(10)
    rows = {
        r["ObjectPath"]: r
        for r in caller.tasks(DomainName="example.com", ObjectType="file")["Tasks"]["CDNTask"]
    }
    assert rows["http://example.com/ok.js"]["Status"] == "Complete"
    failed = rows["http://example.com/broken/x.js"]
    assert failed["Status"] == "Failed"
    assert failed["Description"] in FAILURE_DESCRIPTIONS
    # deterministic per path and seed
    again = Emulator(clock=clock, complete_after=0, fail_paths=r"/broken/", seed=7)
    again.seed_task("http://example.com/broken/x.js", created=clock.now())
    assert again.tasks()[0].description == failed["Description"]


def test_url_tasks_of_one_domain_in_one_second_share_an_id(caller: Caller, clock: ManualClock) -> None:
    first = caller.refresh("http://a.com/1", "http://a.com/2", "http://b.com/1")
    second = caller.refresh("http://a.com/3")
    assert len(first) == 2
    assert second == first[:1]
    clock.advance(1)
    third = caller.refresh("http://a.com/4")
    assert third[0] not in first
    rows = caller.tasks(TaskId=first[0])["Tasks"]["CDNTask"]
    assert sorted(r["ObjectPath"] for r in rows) == ["http://a.com/1", "http://a.com/2", "http://a.com/3"]
    # directories are never merged
    dirs = caller.refresh("http://a.com/d1/", "http://a.com/d2/", object_type="Directory")
    assert len(dirs) == 2


def test_merged_id_holds_at_most_the_documented_number_of_urls(emulator: Emulator) -> None:
    paths = [f"http://big.com/{i}" for i in range(limits.MAX_URLS_PER_TASK_ID + 5)]
    ids = emulator.store.submit(paths, ObjectType.FILE)
    assert len(ids) == 2
    counts = [sum(1 for t in emulator.tasks() if t.task_id == i) for i in ids]
    assert counts == [limits.MAX_URLS_PER_TASK_ID, 5]


def test_paging_newest_first_default_20(caller: Caller, clock: ManualClock) -> None:
    for i in range(45):
        caller.refresh(f"http://p{i}.com/x")
        clock.advance(1)
    body = caller.tasks()
    assert body["PageNumber"] == 1
    assert body["PageSize"] == limits.DEFAULT_PAGE_SIZE
    assert body["TotalCount"] == 45
    rows = body["Tasks"]["CDNTask"]
    assert [r["ObjectPath"] for r in rows[:2]] == ["http://p44.com/x", "http://p43.com/x"]
    last = caller.tasks(PageNumber=3)["Tasks"]["CDNTask"]
    assert [r["ObjectPath"] for r in last] == [f"http://p{i}.com/x" for i in range(4, -1, -1)]
    assert caller.tasks(PageNumber=4)["Tasks"]["CDNTask"] == []
    big = caller.tasks(PageSize=limits.MAX_PAGE_SIZE)
    assert len(big["Tasks"]["CDNTask"]) == 45
    times = [r["CreationTime"] for r in big["Tasks"]["CDNTask"]]
    assert times == sorted(times, reverse=True)


def test_task_id_and_object_path_are_anded_and_exact(caller: Caller) -> None:
    (one,) = caller.refresh("http://a.com/x.txt")
    caller.refresh("http://b.com/x.txt")
    assert caller.tasks(TaskId=one, ObjectPath="http://a.com/x.txt")["TotalCount"] == 1
    assert caller.tasks(TaskId=one, ObjectPath="http://b.com/x.txt")["TotalCount"] == 0
    assert caller.tasks(ObjectPath="http://a.com/x")["TotalCount"] == 0
    assert caller.tasks(ObjectPath="http://a.com/x.txt")["TotalCount"] == 1


def test_filters_domain_type_status_and_path_alias(caller: Caller, clock: ManualClock) -> None:
    caller.refresh("http://a.com/f")
    caller.refresh("http://a.com/d/", object_type="Directory")
    caller.refresh("http://a.com/broken/f")
    clock.advance(11)
    caller.refresh("http://a.com/new")
    by_type = caller.tasks(DomainName="a.com", ObjectType="path")["Tasks"]["CDNTask"]
    assert [r["ObjectPath"] for r in by_type] == ["http://a.com/d/"]
    assert by_type[0]["ObjectType"] == "directory"
    complete = caller.tasks(ObjectType="file", Status="Complete")["Tasks"]["CDNTask"]
    assert [r["ObjectPath"] for r in complete] == ["http://a.com/f"]
    failed = caller.tasks(ObjectType="file", Status="Failed")["Tasks"]["CDNTask"]
    assert [r["ObjectPath"] for r in failed] == ["http://a.com/broken/f"]
    assert caller.tasks(DomainName="b.com", ObjectType="file")["TotalCount"] == 0


def test_only_last_three_days_visible(emulator: Emulator, caller: Caller, clock: ManualClock) -> None:
    emulator.seed_task("http://old.com/x", created=START - timedelta(days=3, seconds=1))
    emulator.seed_task("http://recent.com/x", created=START - timedelta(days=2, hours=23))
    paths = [r["ObjectPath"] for r in caller.tasks()["Tasks"]["CDNTask"]]
    assert paths == ["http://recent.com/x"]
    assert caller.tasks(ObjectPath="http://old.com/x")["TotalCount"] == 0
    clock.advance(3601)
    assert caller.tasks()["TotalCount"] == 0


def test_time_range(caller: Caller, emulator: Emulator) -> None:
    emulator.seed_task("http://t.com/1", created=START - timedelta(hours=5))
    emulator.seed_task("http://t.com/2", created=START - timedelta(hours=1))
    body = caller.tasks(StartTime=api_time(START - timedelta(hours=2)), EndTime=api_time(START))
    assert [r["ObjectPath"] for r in body["Tasks"]["CDNTask"]] == ["http://t.com/2"]


def test_seeded_unknown_status_is_reported_as_is(caller: Caller, emulator: Emulator) -> None:
    task_id = emulator.seed_task("http://odd.com/x", status="Timeout", process=40)
    (row,) = caller.tasks(TaskId=task_id)["Tasks"]["CDNTask"]
    assert row["Status"] == "Timeout"
    assert row["Process"] == "40%"
    task = task_from_api(row)
    assert not task.status.is_complete
    assert not task.status.is_failed
    failed = emulator.seed_task("http://odd.com/y", status=TaskStatus.FAILED, description="Origin Timeout")
    (row,) = caller.tasks(TaskId=failed)["Tasks"]["CDNTask"]
    assert (row["Status"], row["Description"]) == ("Failed", "Origin Timeout")


def test_by_id_flat_tasks_up_to_ten(caller: Caller) -> None:
    ids = [caller.refresh(f"http://id{i}.com/x")[0] for i in range(3)]
    body = caller.call(A.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": ",".join(ids)})
    assert isinstance(body["Tasks"], list)
    assert body["TotalCount"] == 3
    assert {t["TaskId"] for t in body["Tasks"]} == set(ids)
    status, error = caller.error(A.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": ",".join(["1"] * 11)})
    assert (status, error["Code"]) == (400, "InvalidTaskId.Malformed")


def test_push_object_cache(caller: Caller) -> None:
    body = caller.call(
        A.PUSH_OBJECT_CACHE,
        {
            "ObjectPath": "http://a.com/p1\nhttp://a.com/p2",
            "Area": "overseas",
            "L2Preload": "True",
            "WithHeader": '{"Accept-Encoding":"gzip"}',
            "QueryHashkey": "FALSE",
        },
    )
    (task_id,) = body["PushTaskId"].split(",")
    rows = caller.tasks(TaskId=task_id)["Tasks"]["CDNTask"]
    assert {r["ObjectType"] for r in rows} == {"preload"}
    assert len(rows) == 2


def test_quota_values_are_strings(caller: Caller) -> None:
    caller.refresh("http://a.com/1", "http://a.com/2")
    body = caller.call(A.DESCRIBE_REFRESH_QUOTA)
    assert body["UrlQuota"] == str(limits.DAILY_QUOTAS["url"])
    assert body["UrlRemain"] == str(limits.DAILY_QUOTAS["url"] - 2)
    for key in ("DirQuota", "DirRemain", "RegexQuota", "RegexRemain", "PreloadQuota", "PreloadRemain"):
        assert isinstance(body[key], str)
        assert body[key].isdigit()


def test_progression_by_describe_count(clock: ManualClock) -> None:
    emulator = Emulator(clock=clock, complete_after_polls=3, fail_paths="bad", qps_limits=False)
    caller = Caller(emulator, clock=clock)
    caller.refresh("http://a.com/ok", "http://a.com/bad")
    seen = []
    for _ in range(4):
        rows = {
            r["ObjectPath"]: r
            for r in caller.tasks(DomainName="a.com", ObjectType="file")["Tasks"]["CDNTask"]
        }
        seen.append((rows["http://a.com/ok"]["Status"], rows["http://a.com/bad"]["Status"]))
    assert seen == [
        ("Pending", "Pending"),
        ("Refreshing", "Refreshing"),
        ("Refreshing", "Refreshing"),
        ("Complete", "Failed"),
    ]
    # a query that does not show a row does not move it; ById answers count too
    (other,) = caller.refresh("http://b.com/x")
    assert caller.tasks(ObjectPath="http://a.com/ok")["TotalCount"] == 1
    assert emulator.tasks()[0].status.value == "Pending"
    for expected in ("Pending", "Refreshing", "Refreshing", "Complete"):
        body = caller.call(A.DESCRIBE_REFRESH_TASK_BY_ID, {"TaskId": other})
        assert body["Tasks"][0]["Status"] == expected
    assert clock.monotonic() == 0
