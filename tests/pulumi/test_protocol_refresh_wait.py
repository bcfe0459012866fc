"""RefreshWait over the real dynamic-provider protocol (``python -m pulumi.dynamic``) and the emulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from alicloud_cdn_refresh.models import format_api_time
from alicloud_cdn_refresh.pulumi_resources import (
    DEFAULT_TIMEOUT_SECONDS,
    CacheRefreshProvider,
    RefreshWaitProvider,
)
from pulumi_engine import ProviderRpcError, serialized_provider
from pulumi_protocol_rig import (
    COMPLETE_AFTER,
    SECRET,
    Rig,
    assert_no_secret,
    decoded_provider,
    start_rig,
    urn,
)

URN = urn("RefreshWait", "wait")
A = "http://www.example.com"


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def props(rig: Rig, **values: object) -> dict[str, object]:
    return {"__provider": rig.wait_provider, **values}


def test_the_serialized_provider_holds_no_secret_and_no_state(rig: Rig) -> None:
    raw = decoded_provider(rig.wait_provider)
    assert SECRET.encode() not in raw
    assert SECRET not in rig.wait_provider
    assert b"alicloud_cdn_refresh.pulumi_resources" in raw  # pickled by reference
    assert b"httpx" not in raw
    assert len(rig.wait_provider) < 400


def test_the_resource_sends_what_the_sdk_serializer_makes(rig: Rig) -> None:
    assert rig.wait_provider == serialized_provider(RefreshWaitProvider())
    assert rig.cache_provider == serialized_provider(CacheRefreshProvider())


def test_check_fills_defaults_and_names_bad_inputs(rig: Rig) -> None:
    inputs, failures = rig.host.check(URN, {}, props(rig, objectPaths=[f"{A}/a.txt"]))
    assert failures == []
    assert inputs["timeoutSeconds"] == DEFAULT_TIMEOUT_SECONDS
    assert inputs["failOnFailed"] is True

    _, failures = rig.host.check(URN, {}, props(rig, timeoutSeconds=0, since="yesterday", failOnFailed="yes"))
    reasons = dict(failures)
    assert set(reasons) == {"objectPaths", "timeoutSeconds", "since", "failOnFailed"}
    assert reasons["timeoutSeconds"].startswith("timeout_seconds: must be greater than 0")
    assert "ISO 8601" in reasons["since"]
    assert "object path or task id" in reasons["objectPaths"]


def test_create_waits_until_complete_and_outputs_typed_tasks(rig: Rig) -> None:
    path = f"{A}/fresh.txt"
    since = datetime.now(timezone.utc).replace(microsecond=0)
    # The API has whole-second creation times: a task created at the next whole second follows the
    # lifecycle and is Complete COMPLETE_AFTER s after that, so at least COMPLETE_AFTER s from now.
    task_id = rig.emulator.seed_task(path, created=since + timedelta(seconds=1))
    inputs, failures = rig.host.check(
        URN, {}, props(rig, objectPaths=[path], since=format_api_time(since), timeoutSeconds=30)
    )
    assert failures == []
    started = time.monotonic()
    id_, outs = rig.host.create(URN, inputs)
    elapsed = time.monotonic() - started
    assert elapsed >= COMPLETE_AFTER * 0.9  # it really waited for the task
    assert id_.startswith("refreshwait-")
    (task,) = outs["tasks"]
    assert task == {
        "taskId": task_id,
        "objectPath": path,
        "status": "Complete",
        "process": 100,
        "objectType": "file",
        "creationTime": task["creationTime"],
        "description": "",
    }
    assert datetime.strptime(task["creationTime"], "%Y-%m-%dT%H:%M:%SZ")
    assert outs["completedAt"].endswith("Z")
    assert outs["objectPaths"] == [path]
    assert outs["timeoutSeconds"] == 30
    assert outs["__provider"] == rig.wait_provider
    assert_no_secret(outs)
    assert rig.host.stderr_has("RefreshWait [1 path(s)]: done, 1/1 complete")
    assert rig.host.stderr_has("RefreshWait [1 path(s)]: waiting, 0/1 complete")
    assert_no_secret("\n".join(rig.host.stderr_lines))


def _completed(rig: Rig, path: str) -> tuple[str, dict[str, object], dict[str, object]]:
    rig.emulator.seed_task(path, status="Complete", created=datetime.now(timezone.utc) - timedelta(minutes=1))
    inputs, _ = rig.host.check(URN, {}, props(rig, objectPaths=[path], triggers={"hash": "v1"}))
    id_, outs = rig.host.create(URN, inputs)
    return id_, inputs, outs


def test_unchanged_inputs_diff_none_without_any_api_call(rig: Rig) -> None:
    id_, inputs, outs = _completed(rig, f"{A}/same.txt")
    before = rig.served()
    news, _ = rig.host.check(URN, inputs, props(rig, objectPaths=[f"{A}/same.txt"], triggers={"hash": "v1"}))
    diff = rig.host.diff(URN, id_, outs, news)
    assert diff.changes == diff.DIFF_NONE
    assert list(diff.replaces) == []
    assert rig.served() == before


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"objectPaths": [f"{A}/other.txt"]}, ["objectPaths"]),
        ({"triggers": {"hash": "v2"}}, ["triggers"]),
        ({"taskIds": ["123"]}, ["taskIds"]),
        ({"timeoutSeconds": 60}, []),
        ({"failOnFailed": False}, []),
    ],
)
def test_changes_replace_or_update(rig: Rig, change: dict[str, object], replaces: list[str]) -> None:
    id_, inputs, outs = _completed(rig, f"{A}/changing.txt")
    news, failures = rig.host.check(URN, inputs, {**inputs, **change})
    assert failures == []
    diff = rig.host.diff(URN, id_, outs, news)
    assert diff.changes == diff.DIFF_SOME
    assert list(diff.replaces) == replaces


def test_update_keeps_the_tasks_and_calls_nothing(rig: Rig) -> None:
    id_, inputs, outs = _completed(rig, f"{A}/update.txt")
    before = rig.served()
    updated = rig.host.update(URN, id_, outs, {**inputs, "timeoutSeconds": 99})
    assert updated["timeoutSeconds"] == 99
    assert updated["tasks"] == outs["tasks"]
    assert updated["completedAt"] == outs["completedAt"]
    assert rig.served() == before


def test_read_reports_the_current_state_and_keeps_inputs(rig: Rig) -> None:
    id_, inputs, outs = _completed(rig, f"{A}/read.txt")
    stale = dict(outs)
    stale["tasks"] = [{**outs["tasks"][0], "status": "Refreshing", "process": 40}]  # type: ignore[index]
    read_id, read_outs, read_inputs = rig.host.read(URN, id_, stale, inputs)
    assert read_id == id_
    assert read_outs["tasks"][0]["status"] == "Complete"
    assert read_outs["tasks"][0]["process"] == 100
    assert read_outs["completedAt"] == outs["completedAt"]
    assert {key: value for key, value in read_inputs.items() if key != "__provider"} == {
        key: value for key, value in inputs.items() if key != "__provider"
    }
    assert_no_secret(read_outs, read_inputs)


def test_delete_does_nothing_remote(rig: Rig) -> None:
    id_, _, outs = _completed(rig, f"{A}/delete.txt")
    before = rig.served()
    rig.host.delete(URN, id_, outs)
    assert rig.served() == before


def test_a_failed_task_is_one_clear_error(rig: Rig) -> None:
    path = f"{A}/failed.txt"
    task_id = rig.emulator.seed_task(path, status="Failed", description="Origin Return StatusCode 5XX")
    inputs, _ = rig.host.check(URN, {}, props(rig, objectPaths=[path], timeoutSeconds=30))
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.create(URN, inputs)
    assert caught.value.details == (
        "RefreshWait create failed: 1 path(s) failed to refresh:\n"
        f"  {path}: Origin Return StatusCode 5XX (task {task_id})"
    )
    assert "Traceback" not in caught.value.details


def test_a_timeout_is_one_clear_error_naming_what_is_pending(rig: Rig) -> None:
    path = f"{A}/stuck.txt"
    rig.emulator.seed_task(path, status="Refreshing", process=30)
    inputs, _ = rig.host.check(URN, {}, props(rig, objectPaths=[path], timeoutSeconds=1))
    started = time.monotonic()
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.create(URN, inputs)
    assert time.monotonic() - started < 10
    details = caught.value.details
    assert details.startswith("RefreshWait create failed: 1 path(s) not Complete after 1s:")
    assert f"{path}: Refreshing 30%" in details
    assert "Traceback" not in details
