"""CacheRefresh over the real dynamic-provider protocol (``python -m pulumi.dynamic``) and the emulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from alicloud_cdn_refresh.pulumi_resources import CACHE_REFRESH_ENUMS
from pulumi_engine import ProviderRpcError
from pulumi_protocol_rig import (
    COMPLETE_AFTER,
    SECRET,
    Rig,
    assert_no_secret,
    decoded_provider,
    start_rig,
    urn,
)

URN = urn("CacheRefresh", "refresh")
A = "http://www.example.com"


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def props(rig: Rig, **values: object) -> dict[str, object]:
    return {"__provider": rig.cache_provider, **values}


def test_the_serialized_provider_holds_no_secret_and_no_state(rig: Rig) -> None:
    raw = decoded_provider(rig.cache_provider)
    assert SECRET.encode() not in raw
    assert b"CacheRefreshProvider" in raw
    assert b"Client" not in raw
    assert b"Lock" not in raw


def test_check_fills_defaults(rig: Rig) -> None:
    inputs, failures = rig.host.check(URN, {}, props(rig, objectPaths=[f"{A}/docs/"], objectType="directory"))
    assert failures == []
    assert {key: inputs[key] for key in ("operation", "objectType", "force", "wait", "failOnFailed")} == {
        "operation": "refresh",
        "objectType": "Directory",  # canonical spelling
        "force": False,
        "wait": True,
        "failOnFailed": True,
    }


@pytest.mark.parametrize(
    ("values", "prop", "reason"),
    [
        (
            {"operation": "purge"},
            "operation",
            "operation: must be one of refresh, preload, refreshByCacheTag; got 'purge'",
        ),
        (
            {"objectType": "Everything"},
            "objectType",
            "object_type: must be one of " + ", ".join(CACHE_REFRESH_ENUMS["objectType"]),
        ),
        ({"operation": "preload", "area": "moon"}, "area", "area: must be one of domestic, overseas"),
        ({"area": "domestic"}, "area", "area: applies to operation 'preload' only"),
        (
            {"operation": "preload", "objectType": "File"},
            "objectType",
            "object_type: applies to operation 'refresh'",
        ),
        ({"operation": "preload", "force": True}, "force", "force: applies to operation 'refresh' only"),
        ({"objectPaths": []}, "objectPaths", "object_paths: give at least one object path"),
        (
            {"objectType": "directory", "objectPaths": [f"{A}/d/", f"{A}/e"]},
            "objectPaths",
            f"object_paths: path #2 ('{A}/e') is a directory without its trailing '/'",
        ),
        ({"objectPaths": "http://x/a"}, "objectPaths", "object_paths: must be a list of strings"),
        ({"wait": "yes"}, "wait", "wait: must be true or false"),
        ({"timeoutSeconds": -5}, "timeoutSeconds", "timeout_seconds: must be greater than 0"),
        (
            {"operation": "preload", "objectPaths": [f"{A}/" + "x" * 1100]},
            "objectPaths",
            "longer than 1024 characters",
        ),
    ],
)
def test_check_names_the_input_and_what_is_allowed(
    rig: Rig, values: dict[str, object], prop: str, reason: str
) -> None:
    _, failures = rig.host.check(URN, {}, props(rig, **{"objectPaths": [f"{A}/a.txt"], **values}))
    assert [p for p, _ in failures] == [prop]
    assert reason in failures[0][1]


def test_check_leaves_unknown_values_alone_in_preview(rig: Rig) -> None:
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's sentinel for a value not known yet
    _, failures = rig.host.check(URN, {}, props(rig, objectPaths=unknown, triggers=unknown, area=unknown))
    assert failures == []
    _, failures = rig.host.check(URN, {}, props(rig, objectPaths=[f"{A}/a.txt", unknown], operation=unknown))
    assert failures == []
    olds, _ = rig.host.check(URN, {}, props(rig, objectPaths=[f"{A}/a.txt"], triggers={"h": "1"}))
    diff = rig.host.diff(URN, "cacherefresh-x", olds, {**olds, "triggers": unknown})
    assert list(diff.replaces) == ["triggers"]


def _create(rig: Rig, **values: object) -> tuple[str, dict[str, object], dict[str, object], float]:
    inputs, failures = rig.host.check(URN, {}, props(rig, **values))
    assert failures == []
    started = time.monotonic()
    id_, outs = rig.host.create(URN, inputs)
    return id_, inputs, outs, time.monotonic() - started


def test_create_submits_then_waits_until_complete(rig: Rig) -> None:
    paths = [f"{A}/create/1.txt", f"{A}/create/2.txt"]
    submitted_before = rig.emulator.requests_served["RefreshObjectCaches"]
    id_, _, outs, elapsed = _create(rig, objectPaths=paths, triggers={"hash": "1"}, timeoutSeconds=30)
    assert id_.startswith("cacherefresh-")
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submitted_before + 1
    assert elapsed < 30
    ids = outs["taskIds"]
    assert isinstance(ids, list)
    assert ids
    assert {task.task_id for task in rig.emulator.tasks() if task.object_path in paths} == set(ids)
    tasks = outs["tasks"]
    assert isinstance(tasks, list)
    assert [t["objectPath"] for t in tasks] == paths
    assert {t["status"] for t in tasks} == {"Complete"}
    assert {t["process"] for t in tasks} == {100}
    assert set(tasks[0]) == {
        "taskId",
        "objectPath",
        "status",
        "process",
        "objectType",
        "creationTime",
        "description",
    }
    submitted = datetime.strptime(str(outs["submittedAt"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - submitted).total_seconds()) < 30
    assert str(outs["completedAt"]) >= str(outs["submittedAt"])
    assert_no_secret(outs)
    assert rig.host.stderr_has("CacheRefresh refresh [2 path(s)]: done, 2/2 complete")


def test_create_without_wait_returns_at_once(rig: Rig) -> None:
    _, _, outs, elapsed = _create(rig, objectPaths=[f"{A}/nowait.txt"], wait=False)
    assert elapsed < COMPLETE_AFTER
    assert outs["taskIds"]
    assert outs["tasks"] == []
    assert outs.get("completedAt") is None  # a null output is not sent at all


def test_preload_goes_to_push_object_cache(rig: Rig) -> None:
    before = rig.emulator.requests_served["PushObjectCache"]
    _, _, outs, _ = _create(
        rig, objectPaths=[f"{A}/preload.bin"], operation="preload", area="overseas", timeoutSeconds=30
    )
    assert rig.emulator.requests_served["PushObjectCache"] == before + 1
    tasks = outs["tasks"]
    assert isinstance(tasks, list)
    assert [(t["objectType"], t["status"]) for t in tasks] == [("preload", "Complete")]
    assert outs["area"] == "overseas"


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"triggers": {"hash": "2"}}, ["triggers"]),
        ({"objectPaths": [f"{A}/diff/other.txt"]}, ["objectPaths"]),
        ({"objectType": "Directory", "objectPaths": [f"{A}/diff/"]}, ["objectPaths", "objectType"]),
        ({"force": True}, ["force"]),
        ({"wait": False}, []),
        ({"timeoutSeconds": 77}, []),
    ],
)
def test_diff_replaces_on_what_is_submitted_and_updates_the_rest(
    rig: Rig, change: dict[str, object], replaces: list[str]
) -> None:
    olds_inputs, _ = rig.host.check(
        URN, {}, props(rig, objectPaths=[f"{A}/diff/a.txt"], triggers={"hash": "1"})
    )
    outs = {**olds_inputs, "taskIds": ["1"], "tasks": [], "submittedAt": "2026-01-01T00:00:00Z"}
    news, failures = rig.host.check(URN, olds_inputs, {**olds_inputs, **change})
    assert failures == []
    before = rig.served()
    diff = rig.host.diff(URN, "cacherefresh-x", outs, news)
    assert diff.changes == diff.DIFF_SOME
    assert list(diff.replaces) == replaces
    unchanged = rig.host.diff(URN, "cacherefresh-x", outs, olds_inputs)
    assert unchanged.changes == unchanged.DIFF_NONE
    assert rig.served() == before


def test_update_to_wait_waits_for_the_tasks_already_submitted(rig: Rig) -> None:
    id_, inputs, outs, _ = _create(rig, objectPaths=[f"{A}/later.txt"], wait=False)
    submissions = rig.emulator.requests_served["RefreshObjectCaches"]
    updated = rig.host.update(URN, id_, outs, {**inputs, "wait": True, "timeoutSeconds": 30})
    assert rig.emulator.requests_served["RefreshObjectCaches"] == submissions  # nothing submitted again
    assert updated["taskIds"] == outs["taskIds"]
    assert [t["status"] for t in updated["tasks"]] == ["Complete"]  # type: ignore[index, union-attr]
    assert updated["completedAt"]
    assert updated["submittedAt"] == outs["submittedAt"]


def test_read_reports_the_current_state_of_its_tasks(rig: Rig) -> None:
    id_, inputs, outs, _ = _create(rig, objectPaths=[f"{A}/read.txt"], wait=False)
    time.sleep(COMPLETE_AFTER + 0.1)
    read_id, read_outs, read_inputs = rig.host.read(URN, id_, outs, inputs)
    assert read_id == id_
    assert [t["status"] for t in read_outs["tasks"]] == ["Complete"]
    assert read_outs["taskIds"] == outs["taskIds"]
    assert read_inputs["objectPaths"] == [f"{A}/read.txt"]
    assert "tasks" not in read_inputs
    assert_no_secret(read_outs, read_inputs)


def test_delete_does_nothing_remote(rig: Rig) -> None:
    id_, _, outs, _ = _create(rig, objectPaths=[f"{A}/delete.txt"], wait=False)
    before = rig.served()
    rig.host.delete(URN, id_, outs)
    assert rig.served() == before


def test_a_failed_refresh_is_one_clear_error(rig: Rig) -> None:
    path = f"{A}/broken/page.html"
    inputs, _ = rig.host.check(URN, {}, props(rig, objectPaths=[path], timeoutSeconds=30))
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.create(URN, inputs)
    details = caught.value.details
    assert details.startswith("CacheRefresh create failed: 1 path(s) failed to refresh:\n")
    assert f"  {path}: " in details
    assert "Traceback" not in details
    assert len(details.splitlines()) == 2


def test_an_api_error_is_one_clear_error(rig: Rig) -> None:
    inputs, _ = rig.host.check(URN, {}, props(rig, objectPaths=["not a url"], timeoutSeconds=30))
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.create(URN, inputs)
    details = caught.value.details
    assert details.startswith("CacheRefresh create failed: ")
    assert "Traceback" not in details
    assert SECRET not in details
