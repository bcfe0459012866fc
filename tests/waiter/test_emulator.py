"""wait_for_refresh against the emulator: real client, real QPS limits, one ManualClock (no sleeping).

Each test checks the outcome and the calls made (the client's ``call_counts``, which count every
HTTP attempt, and the emulator's own counters).
"""

from __future__ import annotations

import pickle
from datetime import timedelta

import httpx
import pytest

from alicloud_cdn_refresh.client.retry import RetryPolicy
from alicloud_cdn_refresh.credentials import Credentials
from alicloud_cdn_refresh.emulator import FaultConfig
from alicloud_cdn_refresh.emulator.state import FAILURE_DESCRIPTIONS
from alicloud_cdn_refresh.errors import ApiError, InvalidQuery, RefreshFailed, TaskNotFound, WaitTimeout
from alicloud_cdn_refresh.models import ObjectType, TaskStatus
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from waiter_helpers import BY_ID, LIST, make_rig

A = "http://a.example.com"


def _wait(rig, paths=None, **kwargs):
    kwargs.setdefault("client", rig.client)
    kwargs.setdefault("on_progress", rig.reports.append)
    return wait_for_refresh(paths, **kwargs)


def test_complete_returns_final_tasks_in_callers_order():
    rig = make_rig(complete_after=30)
    since = rig.clock.now()
    ids = rig.client.refresh_object_caches([f"{A}/1.js", f"{A}/2.js", f"{A}/3.js"])
    assert len(ids) == 1  # merged: same domain, same second
    rig.calls.clear()
    started = rig.clock.monotonic()
    tasks = _wait(rig, [f"{A}/3.js", f"{A}/1.js", f"{A}/3.js", f"{A}/2.js"], since=since)
    assert [t.object_path for t in tasks] == [f"{A}/3.js", f"{A}/1.js", f"{A}/2.js"]
    assert all(t.status is TaskStatus.COMPLETE and t.task_id == ids[0] for t in tasks)
    # round 1 lists the domain once (1 page < 3 per-path calls); then 1 call by id per round
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1
    assert rig.emulator.requests_served[LIST] == rig.calls[LIST]
    assert rig.emulator.requests_served[BY_ID] == rig.calls[BY_ID]
    # returned within the backoff cap of the completion (30 s after submission)
    waited = rig.clock.monotonic() - started
    assert 30 - 1 <= waited <= 30 + 30
    last = rig.reports[-1]
    assert last.done
    assert last.complete == 3
    assert last.total == 3
    assert last.slowest == ()
    assert [r.round for r in rig.reports] == list(range(1, rig.rounds + 1))
    assert all(not r.done for r in rig.reports[:-1])
    assert all(r.complete + r.refreshing + r.pending + r.failed == r.total for r in rig.reports)


def test_five_minute_refresh_returns_soon_after_the_last_completion():
    rig = make_rig(complete_after=300)
    since = rig.clock.now()
    paths = [f"{A}/five/{i}.js" for i in range(300)]
    rig.client.refresh_object_caches(paths)
    done_at = max(t.creation_time for t in rig.emulator.tasks()) + timedelta(seconds=300)
    _wait(rig, paths, since=since)
    late = (rig.clock.now() - done_at).total_seconds()
    # the pace of Process predicts the end: well under the 30 s cap and 5 % of the 300 s wait
    assert 0 <= late < 0.05 * 300
    assert rig.rounds <= 22  # the backoff schedule (jittered down to 75 %) plus an ETA poll or two


def test_one_path_is_asked_by_path_then_by_id():
    rig = make_rig(complete_after=10)
    since = rig.clock.now()
    rig.client.refresh_object_caches([f"{A}/only.js"])
    rig.calls.clear()
    (task,) = _wait(rig, [f"{A}/only.js"], since=since, poll_initial=1, poll_max=4)
    assert task.status.is_complete
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_failed_raises_at_once_with_path_and_description():
    rig = make_rig(complete_after=20, fail_paths=r"/bad")
    since = rig.clock.now()
    rig.client.refresh_object_caches([f"{A}/ok.js", f"{A}/bad1.js", f"{A}/bad2.js"])
    rig.calls.clear()
    with pytest.raises(RefreshFailed) as info:
        _wait(rig, [f"{A}/ok.js", f"{A}/bad1.js", f"{A}/bad2.js"], since=since)
    failed = info.value.failed
    assert [t.object_path for t in failed] == [f"{A}/bad1.js", f"{A}/bad2.js"]
    assert all(t.description in FAILURE_DESCRIPTIONS for t in failed)
    assert all(t.description in str(info.value) and t.object_path in str(info.value) for t in failed)
    assert [t.object_path for t in info.value.completed] == [f"{A}/ok.js"]
    assert rig.reports[-1].done
    assert rig.reports[-1].failed == 2
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_mixed_fail_fast_versus_keep_going():
    # one task already Failed, one still refreshing
    rig = make_rig(complete_after=40)
    rig.emulator.seed_task(f"{A}/broken.js", status="Failed", description="Origin Timeout")
    rig.client.refresh_object_caches([f"{A}/slow.js"])
    rig.calls.clear()
    with pytest.raises(RefreshFailed) as info:
        _wait(rig, [f"{A}/slow.js", f"{A}/broken.js"])
    assert rig.rounds == 1  # failed in the first round: no waiting for the rest
    assert "Origin Timeout" in str(info.value)
    assert info.value.completed == ()
    assert sum(rig.calls.values()) == 1  # both paths in one listing page

    rig.reports.clear()
    rig.calls.clear()
    with pytest.raises(RefreshFailed) as info:
        _wait(rig, [f"{A}/slow.js", f"{A}/broken.js"], fail_on_failed=False)
    assert [t.object_path for t in info.value.failed] == [f"{A}/broken.js"]
    assert [t.object_path for t in info.value.completed] == [f"{A}/slow.js"]
    assert rig.rounds > 1
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_a_keep_going_timeout_carries_the_failed_tasks_too():
    rig = make_rig(complete_after=600)
    rig.emulator.seed_task(f"{A}/broken.js", status="Failed", description="Origin Timeout")
    rig.client.refresh_object_caches([f"{A}/slow.js"])
    with pytest.raises(WaitTimeout) as info:
        _wait(rig, [f"{A}/slow.js", f"{A}/broken.js"], fail_on_failed=False, timeout=30)
    error = info.value
    assert [t.object_path for t in error.failed] == [f"{A}/broken.js"]
    assert [p.object_path for p in error.pending] == [f"{A}/slow.js"]
    assert error.completed == ()
    assert "and 1 path(s) failed:" in str(error)
    assert "Origin Timeout" in str(error)
    again = pickle.loads(pickle.dumps(error))
    assert (again.failed, again.pending, str(again)) == (error.failed, error.pending, str(error))


def test_timeout_names_every_pending_path_with_status_and_progress():
    rig = make_rig(complete_after=600)
    since = rig.clock.now()
    ids = rig.client.refresh_object_caches([f"{A}/x.js", f"{A}/y.js"])
    rig.calls.clear()
    started = rig.clock.monotonic()
    with pytest.raises(WaitTimeout) as info:
        _wait(rig, [f"{A}/x.js", f"{A}/y.js"], since=since, timeout=200)
    waited = rig.clock.monotonic() - started
    assert 200 <= waited <= 200 + 2
    pending = info.value.pending
    assert [p.object_path for p in pending] == [f"{A}/x.js", f"{A}/y.js"]
    assert all(p.last_status == "Refreshing" and 0 < p.process < 100 for p in pending)
    assert all(p.task_id == ids[0] for p in pending)
    assert "x.js" in str(info.value)
    assert "Refreshing" in str(info.value)
    assert rig.reports[-1].done
    assert rig.reports[-1].refreshing == 2
    # a poll at the deadline itself, not a sleep past it
    assert rig.reports[-1].elapsed == pytest.approx(waited)
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_paths_merged_under_one_task_id_wait_by_id_only():
    rig = make_rig(complete_after=30)
    paths = [f"{A}/m/{i}.png" for i in range(50)]
    ids = rig.client.refresh_object_caches(paths)
    assert len(ids) == 1
    rig.calls.clear()
    tasks = _wait(rig, task_ids=ids)
    assert sorted(t.object_path for t in tasks) == sorted(paths)  # in the order the API lists them
    assert all(t.status.is_complete for t in tasks)
    assert rig.calls[LIST] == 0
    assert rig.calls[BY_ID] == rig.rounds


def test_paths_and_task_ids_together():
    rig = make_rig(complete_after=20)
    since = rig.clock.now()
    (merged,) = rig.client.refresh_object_caches([f"{A}/in-id.js", f"{A}/also-in-id.js"])
    rig.clock.advance(1.5)
    rig.client.refresh_object_caches([f"{A}/own.js"])
    rig.calls.clear()
    tasks = _wait(rig, [f"{A}/own.js", f"{A}/in-id.js"], task_ids=[merged], since=since)
    # the caller's paths first, then the other paths of the ids
    assert [t.object_path for t in tasks] == [f"{A}/own.js", f"{A}/in-id.js", f"{A}/also-in-id.js"]
    assert [t.task_id == merged for t in tasks] == [False, True, True]
    # round 1: the id (1 call) covers two paths, own.js is asked by path (1 call); then by id only
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds


def test_newer_task_for_the_same_path_old_complete_does_not_count():
    rig = make_rig(complete_after=45)
    path = f"{A}/app.js"
    old = rig.emulator.seed_task(path, status="Complete", created=rig.clock.now() - timedelta(hours=5))
    rig.clock.advance(1)
    (new,) = rig.client.refresh_object_caches([path])
    rig.calls.clear()
    started = rig.clock.monotonic()
    (task,) = _wait(rig, [path])  # no since: the newest task in the window counts
    assert task.task_id == new != old
    assert rig.clock.monotonic() - started >= 44
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_since_skips_tasks_created_before_it():
    rig = make_rig(complete_after=20)
    path = f"{A}/late.js"
    rig.client.refresh_object_caches([path])
    rig.clock.advance(60)  # that refresh completes
    since = rig.clock.now()
    with pytest.raises(TaskNotFound) as info:
        _wait(rig, [path], since=since, not_found_grace=10, poll_initial=2, poll_max=4)
    assert info.value.paths == (path,)
    assert "was the refresh submitted" in str(info.value)


def test_path_never_refreshed_ends_after_the_grace_period():
    rig = make_rig(complete_after=300)
    rig.client.refresh_object_caches([f"{A}/ok.js"])
    rig.calls.clear()
    with pytest.raises(TaskNotFound) as info:
        _wait(rig, [f"{A}/never.js", f"{A}/ok.js"], not_found_grace=20)
    assert info.value.paths == (f"{A}/never.js",)
    elapsed = rig.reports[-1].elapsed
    assert 20 <= elapsed <= 20 + 30
    # round 1: one listing page for both; then ok.js by id and never.js by path each round
    assert rig.calls[LIST] == rig.rounds
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_unknown_task_id_ends_after_the_grace_period():
    rig = make_rig()
    with pytest.raises(TaskNotFound) as info:
        _wait(rig, task_ids=["12345"], not_found_grace=5, poll_initial=1, poll_max=2)
    assert info.value.task_ids == ("12345",)
    assert rig.calls[BY_ID] == rig.rounds
    assert rig.calls[LIST] == 0


def test_busy_domain_listing_gives_up_early_and_switches_to_per_path():
    rig = make_rig(complete_after=60, qps_limits=False)
    paths = [f"{A}/mine/{i}.js" for i in range(20)]
    rig.client.refresh_object_caches(paths)
    rig.clock.advance(2)
    for i in range(0, 3000, 1000):  # 3,000 newer tasks of someone else on the same domain
        rig.emulator.store.submit([f"{A}/other/{j}" for j in range(i, i + 1000)], ObjectType.FILE)
    rig.calls.clear()
    tasks = _wait(rig, paths)
    assert all(t.status.is_complete for t in tasks)
    # round 1: page 1 holds none of ours and 30 pages > 20 paths: give up after 1 page;
    # round 2: 20 calls by path; then by id
    assert rig.calls[LIST] == 1 + 20
    assert rig.calls[BY_ID] == rig.rounds - 2


def test_non_retryable_error_mid_wait_ends_it():
    rig = make_rig(complete_after=60)
    rig.client.refresh_object_caches([f"{A}/1.js", f"{A}/2.js"])
    rig.calls.clear()

    def on_progress(progress):
        rig.reports.append(progress)
        if progress.round == 2:
            rig.emulator.fail_next("OperationDenied")

    with pytest.raises(ApiError) as info:
        _wait(rig, [f"{A}/1.js", f"{A}/2.js"], on_progress=on_progress)
    assert info.value.code == "OperationDenied"
    assert rig.rounds == 2
    assert sum(rig.calls.values()) == 3


def test_unknown_status_is_never_done_and_logs_hold_no_secret(caplog):
    rig = make_rig()
    rig.emulator.seed_task(f"{A}/odd.js", status="Timeout", process=40)
    caplog.set_level("DEBUG")
    with pytest.raises(WaitTimeout) as info:
        _wait(rig, [f"{A}/odd.js"], timeout=30, poll_initial=5, poll_max=10)
    (pending,) = info.value.pending
    assert (pending.last_status, pending.process) == ("Timeout", 40)
    assert rig.reports[-1].pending == 1
    assert rig.calls[LIST] == 1  # then by id
    assert rig.calls[BY_ID] == rig.rounds - 1
    assert "waiting for 1 path(s)" in caplog.text
    assert "testsecret" not in caplog.text


def test_directories_and_files_on_one_domain_list_both_types():
    rig = make_rig(complete_after=20)
    since = rig.clock.now()
    files = [f"{A}/f{i}.css" for i in range(5)]
    rig.client.refresh_object_caches(files)
    rig.client.refresh_object_caches([f"{A}/d1/", f"{A}/d2/"], object_type="Directory")
    rig.calls.clear()
    tasks = _wait(rig, [f"{A}/d1/", *files, f"{A}/d2/"], since=since)
    assert [t.object_type for t in tasks] == [
        ObjectType.DIRECTORY,
        *[ObjectType.FILE] * 5,
        ObjectType.DIRECTORY,
    ]
    # round 1: a file page and a directory page; then by id (1 file id + 2 directory ids, one call)
    assert rig.calls[LIST] == 2
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_preload_tasks_are_found_by_probing_then_listed():
    rig = make_rig(complete_after=60)
    paths = [f"{A}/p/{i}.mp4" for i in range(300)]
    for i in range(0, 300, 100):
        rig.client.push_object_cache(paths[i : i + 100])
        rig.clock.advance(1.5)  # separate seconds: separate task ids
    rig.calls.clear()
    tasks = _wait(rig, paths)
    assert all(t.status.is_complete and t.object_type is ObjectType.PRELOAD for t in tasks)
    # round 1: 1 file page finds nothing; round 2: 5 probes learn "preload"; round 3: 3 preload
    # pages; then by id (3 ids, one call a round)
    assert rig.calls[LIST] <= 1 + 5 + 3 + 1
    assert rig.calls[BY_ID] <= rig.rounds - 2


def test_many_paths_one_listing_then_by_id():
    rig = make_rig(complete_after=120)
    since = rig.clock.now()
    paths = [f"{A}/big/{i}.js" for i in range(1000)]
    ids = rig.client.refresh_object_caches(paths)
    rig.calls.clear()
    tasks = _wait(rig, paths, since=since)
    assert len(tasks) == 1000
    assert all(t.status.is_complete for t in tasks)
    # ceil(1000 / 100) pages, round 1 only (+ at most one Throttling retry: the client paces at
    # exactly 5/s and the emulator's 1 s window can count a 6th call at its float boundary)
    throttled = rig.emulator.errors_returned["Throttling"]
    assert throttled <= 1
    assert rig.calls[LIST] - throttled == 10
    assert rig.calls[BY_ID] == (rig.rounds - 1) * -(-len(ids) // 10)


@pytest.mark.parametrize("retry", [None, RetryPolicy.never()], ids=["client-retries", "no-client-retries"])
def test_throttling_bursts_slow_the_wait_down_never_fail_it(retry):
    until = {"t": 0.0}
    holder = {}

    def hook(action, request):
        rig = holder["rig"]
        if rig.clock.monotonic() < until["t"] and action in (LIST, BY_ID):
            for _ in range(100):
                rig.emulator.qps.admit("testid", action)

    kwargs = {} if retry is None else {"retry": retry}
    rig = make_rig(complete_after=30, hook=hook, client_kwargs=kwargs)
    holder["rig"] = rig
    rig.client.refresh_object_caches([f"{A}/t1.js", f"{A}/t2.js"])
    rig.calls.clear()
    until["t"] = rig.clock.monotonic() + 10  # another tool hammers the account for 10 s
    tasks = _wait(rig, [f"{A}/t1.js", f"{A}/t2.js"])
    assert all(t.status.is_complete for t in tasks)
    throttled = rig.emulator.errors_returned["Throttling"]
    assert throttled >= 1
    assert rig.calls[LIST] == rig.emulator.requests_served[LIST]
    assert rig.calls[BY_ID] == rig.emulator.requests_served[BY_ID]
    if retry is not None:
        # each throttled round is one call and the waiter backs off harder after it
        assert throttled <= 3
        gaps = [b.elapsed - a.elapsed for a, b in zip(rig.reports, rig.reports[1:], strict=False)]
        assert gaps[0] >= 4 * 2 * 0.75


@pytest.mark.parametrize("retry", [None, RetryPolicy.never()], ids=["client-retries", "no-client-retries"])
def test_transient_5xx_are_survived(retry):
    kwargs = {} if retry is None else {"retry": retry}
    rig = make_rig(
        complete_after=60,
        faults=FaultConfig(rate=0.3, kinds=("500", "503", "drop"), seed=11),
        client_kwargs=kwargs,
    )
    paths = [f"{A}/f/{i}.js" for i in range(20)]
    for _ in range(10):
        try:
            ids = rig.client.refresh_object_caches(paths)
            break
        except (ApiError, httpx.HTTPError):
            continue
    rig.calls.clear()
    rig.emulator.faults_injected.clear()
    tasks = _wait(rig, task_ids=ids, timeout=600)
    assert sorted(t.object_path for t in tasks) == sorted(paths)
    assert sum(rig.emulator.faults_injected.values()) >= 1
    assert sum(rig.calls.values()) == rig.calls[BY_ID]
    assert rig.calls[BY_ID] >= rig.rounds


def test_outage_through_the_deadline_is_a_timeout_not_task_not_found():
    rig = make_rig(client_kwargs={"retry": RetryPolicy.never()})
    rig.client.refresh_object_caches([f"{A}/x.js"])
    rig.emulator.fail_next("ServiceUnavailable", times=1000)
    rig.calls.clear()
    with pytest.raises(WaitTimeout) as info:
        _wait(rig, [f"{A}/x.js"], timeout=120, not_found_grace=10)
    assert isinstance(info.value.__cause__, ApiError)
    assert info.value.__cause__.code == "ServiceUnavailable"
    # every call failed: the path was never asked about (NotFound before issue 17)
    assert info.value.pending[0].last_status == "NotChecked"
    assert "x.js: not checked yet" in str(info.value)
    # one call a round, and the rounds back off harder than the plain schedule (2, 4, 8 ...)
    assert rig.calls[LIST] == rig.rounds
    assert rig.rounds <= 8
    assert rig.reports[1].elapsed - rig.reports[0].elapsed >= 4 * 2 * 0.75


def test_non_retryable_error_ends_the_wait():
    rig = make_rig()
    rig.client.refresh_object_caches([f"{A}/x.js"])
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

    bad = CdnClient(
        credentials=Credentials("testid", "not-the-secret"),
        transport=rig.emulator.transport(),
        clock=rig.clock,
    )
    with pytest.raises(ApiError) as info:
        wait_for_refresh([f"{A}/x.js"], client=bad)
    assert info.value.code == "SignatureDoesNotMatch"
    assert "not-the-secret" not in str(info.value)
    assert sum(bad.call_counts.values()) == 1


def test_pages_shifting_under_new_tasks():
    holder = {}

    def hook(action, request):
        # before every listing page, 40 newer tasks of other paths land on the same domain
        if action == LIST and request.url.params.get("DomainName"):
            rig = holder["rig"]
            holder["n"] = holder.get("n", 0) + 1
            rig.emulator.store.submit([f"{A}/noise/{holder['n']}/{i}" for i in range(40)], ObjectType.FILE)
            rig.clock.advance(1.1)

    rig = make_rig(complete_after=90, hook=hook)
    holder["rig"] = rig
    since = rig.clock.now()
    paths = [f"{A}/s/{i}.js" for i in range(250)]
    ids = rig.client.refresh_object_caches(paths)
    rig.clock.advance(2)
    rig.calls.clear()
    tasks = _wait(rig, paths, since=since)
    assert [t.object_path for t in tasks] == paths
    assert {t.task_id for t in tasks} == set(ids)
    assert all(t.status.is_complete for t in tasks)
    # 40 new rows land at the head before each page, so each page of 100 advances only 60 rows
    # through ours: ceil(250 / 60) = 5 pages (rows seen twice are harmless), then by id
    assert rig.calls[LIST] == 5
    assert rig.calls[BY_ID] == rig.rounds - 1


# --- input checks (no call is made) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({}, "object_paths"),
        ({"object_paths": []}, "object_paths"),
        ({"object_paths": ["http://a/x", ""]}, "object_paths"),
        ({"object_paths": "http://a/x"}, "object_paths"),
        ({"task_ids": ["1,2"]}, "task_ids"),
        ({"object_paths": ["http://a/x"], "timeout": 0}, "timeout"),
        ({"object_paths": ["http://a/x"], "timeout": -5}, "timeout"),
        ({"object_paths": ["http://a/x"], "timeout": float("nan")}, "timeout"),
        ({"object_paths": ["http://a/x"], "since": __import__("datetime").datetime(2026, 1, 1)}, "since"),
        ({"object_paths": ["http://a/x"], "not_found_grace": -1}, "not_found_grace"),
        ({"object_paths": ["http://a/x"], "poll_initial": 0}, "poll_initial"),
        ({"object_paths": ["http://a/x"], "poll_initial": 5, "poll_max": 1}, "poll_max"),
    ],
)
def test_bad_input_names_the_parameter_and_calls_nothing(kwargs, parameter):
    rig = make_rig()
    with pytest.raises(InvalidQuery) as info:
        wait_for_refresh(client=rig.client, **kwargs)
    assert info.value.parameter == parameter
    assert sum(rig.calls.values()) == 0
