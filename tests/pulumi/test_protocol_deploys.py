"""Deploys in a row through the real provider protocol: what the second ``pulumi up`` does.

Issue 12: a new ``since`` (a new submission) must wait again (point 1), a stored Failed task must
not pass once ``fail_on_failed`` is true (point 1), and a CacheRefresh that submitted and then
failed must keep its task ids so that the next ``up`` resumes without submitting again (point 8),
also after a submit that failed part-way.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from alicloud_cdn_refresh.models import format_api_time
from pulumi_deploys import Stack
from pulumi_engine import ProviderRpcError
from pulumi_protocol_rig import COMPLETE_AFTER, Rig, start_rig, urn

SLOW_TASK = 4.0
"""Seconds a task of the timed-out create takes: well past its deadline and the waiter's slack."""

A = "http://www.example.com"
WAIT_URN = urn("RefreshWait", "deploys-wait")
CACHE_URN = urn("CacheRefresh", "deploys-refresh")


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def _submitted_now(rig: Rig, path: str) -> tuple[str, str]:
    """A task the pipeline submits now: its id, and the ``since`` the pipeline passes."""
    since = datetime.now(timezone.utc).replace(microsecond=0)
    task_id = rig.emulator.seed_task(path, created=since + timedelta(seconds=1))
    return task_id, format_api_time(since)


def _timed(step: object) -> float:
    started = time.monotonic()
    step()  # type: ignore[operator]
    return time.monotonic() - started


# --------------------------------------------------------------------------- point 1


def test_a_new_since_and_a_new_task_wait_again_on_the_second_deploy(rig: Rig) -> None:
    path = f"{A}/deploys/since.html"
    stack = Stack(rig.host, WAIT_URN, rig.wait_provider)

    first_task, first_since = _submitted_now(rig, path)
    steps: list[object] = []
    elapsed = _timed(lambda: steps.append(stack.up(objectPaths=[path], since=first_since, timeoutSeconds=30)))
    assert steps[-1].op == "create"  # type: ignore[attr-defined]
    assert elapsed >= COMPLETE_AFTER * 0.9
    assert stack.state is not None
    assert [t["taskId"] for t in stack.state.outputs["tasks"]] == [first_task]

    time.sleep(1.0)  # the next pipeline run, a second later
    second_task, second_since = _submitted_now(rig, path)
    assert second_since != first_since
    elapsed = _timed(
        lambda: steps.append(stack.up(objectPaths=[path], since=second_since, timeoutSeconds=30))
    )
    step = steps[-1]
    assert step.op == "replace", "a new since names a new submission: it must wait again"  # type: ignore[attr-defined]
    assert step.error is None  # type: ignore[attr-defined]
    assert elapsed >= COMPLETE_AFTER * 0.9  # it really waited for the new task
    assert [t["taskId"] for t in stack.state.outputs["tasks"]] == [second_task]
    assert [t["status"] for t in stack.state.outputs["tasks"]] == ["Complete"]

    before = rig.served()
    assert stack.up(objectPaths=[path], since=second_since, timeoutSeconds=30).op == "same"
    assert rig.served() == before


def test_fail_on_failed_turned_true_does_not_keep_a_stored_failed_task_as_passing(rig: Rig) -> None:
    path = f"{A}/deploys/failed.html"
    task_id = rig.emulator.seed_task(path, status="Failed", description="Origin Timeout")
    inputs, _ = rig.host.check(
        WAIT_URN, {}, {"__provider": rig.wait_provider, "objectPaths": [path], "failOnFailed": False}
    )
    stored = {
        **inputs,
        "tasks": [
            {
                "taskId": task_id,
                "objectPath": path,
                "status": "Failed",
                "process": 100,
                "objectType": "file",
                "creationTime": format_api_time(datetime.now(timezone.utc)),
                "description": "Origin Timeout",
            }
        ],
        "completedAt": format_api_time(datetime.now(timezone.utc)),
    }
    news, _ = rig.host.check(WAIT_URN, inputs, {**inputs, "failOnFailed": True})
    diff = rig.host.diff(WAIT_URN, "refreshwait-stored", stored, news)
    assert list(diff.replaces) == []  # an update...
    with pytest.raises(ProviderRpcError) as caught:  # ...that checks again, and fails
        rig.host.update(WAIT_URN, "refreshwait-stored", stored, news)
    assert caught.value.details.startswith("RefreshWait update failed: 1 path(s) failed to refresh:")
    assert f"{path}: Origin Timeout (task {task_id})" in caught.value.details


# --------------------------------------------------------------------------- point 8


def test_a_timed_out_cache_refresh_resumes_on_the_next_up_with_one_submit(rig: Rig) -> None:
    path = f"{A}/deploys/resume.js"
    stack = Stack(rig.host, CACHE_URN, rig.cache_provider)
    submits = rig.emulator.requests_served["RefreshObjectCaches"]
    started = time.monotonic()
    values = {"objectPaths": [path], "triggers": {"v": "1"}, "timeoutSeconds": 0.3}
    # This task takes longer than the 0.3 s deadline plus the slack the waiter gives a round under
    # way (up to 2 s, waiter/loop.py): with the rig's 1 s a slow machine saw it Complete in time.
    rig.emulator.store.complete_after = SLOW_TASK
    try:
        first = stack.up(**values)
    finally:
        rig.emulator.store.complete_after = COMPLETE_AFTER
    assert first.op == "create"
    assert first.error is not None
    assert first.error.details.startswith("CacheRefresh create failed: 1 path(s) not Complete after")
    assert "Traceback" not in first.error.details
    assert stack.state is not None  # the engine kept the resource: partial state
    kept_ids = stack.state.outputs["taskIds"]
    assert kept_ids
    assert stack.state.outputs.get("completedAt") is None
    assert stack.state.outputs["__provider"] == rig.cache_provider
    assert "the next `pulumi up` resumes" in stack.state.init_errors[0]
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submits + 1

    time.sleep(max(0.0, SLOW_TASK + 0.2 - (time.monotonic() - started)))
    second = stack.up(**values)  # nothing changed: the engine updates a resource with init errors
    assert second.op == "update"
    assert second.error is None
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submits + 1  # ONE submit in all
    assert stack.state.outputs["taskIds"] == kept_ids
    assert [t["status"] for t in stack.state.outputs["tasks"]] == ["Complete"]
    assert stack.state.outputs["completedAt"]
    assert stack.state.init_errors == []
    assert [task.object_path for task in rig.emulator.tasks()].count(path) == 1

    before = rig.served()
    assert stack.up(**values).op == "same"
    assert rig.served() == before


def test_a_failed_path_is_submitted_again_on_the_next_up_and_only_it(rig: Rig) -> None:
    good, bad = f"{A}/deploys/good.css", f"{A}/deploys/flaky/page.html"
    stack = Stack(rig.host, urn("CacheRefresh", "deploys-flaky"), rig.cache_provider)
    rig.emulator.store.fail_paths = re.compile(r"/flaky/")
    try:
        first = stack.up(objectPaths=[good, bad], timeoutSeconds=30)
    finally:
        rig.emulator.store.fail_paths = re.compile(r"/broken")
    assert first.error is not None
    assert "failed to refresh" in first.error.details
    assert stack.state is not None
    second = stack.up(objectPaths=[good, bad], timeoutSeconds=30)
    assert second.error is None, second.error
    by_path = {task["objectPath"]: task for task in stack.state.outputs["tasks"]}
    assert {by_path[good]["status"], by_path[bad]["status"]} == {"Complete"}
    paths = [task.object_path for task in rig.emulator.tasks()]
    assert (paths.count(good), paths.count(bad)) == (1, 2)  # only the failed path went again


def test_a_partial_submit_keeps_the_accepted_ids_and_submits_only_the_rest_next_time(rig: Rig) -> None:
    regexes = [rf"{A}/deploys/regex-a/.*\.png", rf"{A}/deploys/regex-b/.*\.png"]  # one regex a call
    stack = Stack(rig.host, urn("CacheRefresh", "deploys-partial"), rig.cache_provider)
    submits = rig.emulator.requests_served["RefreshObjectCaches"]
    rig.emulator.quotas.reset()
    rig.emulator.set_quota("regex", 1)  # the second call is refused: QuotaExceeded
    try:
        first = stack.up(objectPaths=regexes, objectType="Regex", timeoutSeconds=30)
    finally:
        rig.emulator.set_quota("regex", 20)
    assert first.error is not None
    assert "1 of 2 path(s) accepted" in first.error.details
    assert stack.state is not None
    assert len(stack.state.outputs["taskIds"]) == 1
    assert stack.state.outputs["unconfirmedPaths"] == [regexes[1]]
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submits + 2

    second = stack.up(objectPaths=regexes, objectType="Regex", timeoutSeconds=30)
    assert second.error is None, second.error
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submits + 3  # only the refused one
    assert stack.state.outputs["unconfirmedPaths"] == []
    assert len(stack.state.outputs["taskIds"]) == 2
    assert {t["objectPath"]: t["status"] for t in stack.state.outputs["tasks"]} == dict.fromkeys(
        regexes, "Complete"
    )
    paths = [task.object_path for task in rig.emulator.tasks()]
    assert [paths.count(regex) for regex in regexes] == [1, 1]


def test_an_unconfirmed_path_whose_task_exists_is_adopted_not_submitted_again(rig: Rig) -> None:
    path = f"{A}/deploys/answer-lost.html"
    inputs, _ = rig.host.check(CACHE_URN, {}, {"__provider": rig.cache_provider, "objectPaths": [path]})
    submitted_at = datetime.now(timezone.utc).replace(microsecond=0)
    task_id = rig.emulator.seed_task(path, created=submitted_at)  # accepted, but the answer was lost
    stored = {
        **inputs,
        "taskIds": [],
        "submittedAt": format_api_time(submitted_at),
        "unconfirmedPaths": [path],
        "tasks": [],
    }
    submits = rig.emulator.requests_served["RefreshObjectCaches"]
    outs = rig.host.update(CACHE_URN, "cacherefresh-lost", stored, {**inputs, "timeoutSeconds": 30})
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submits
    assert outs["taskIds"] == [task_id]
    assert outs["unconfirmedPaths"] == []
    assert [t["status"] for t in outs["tasks"]] == ["Complete"]
