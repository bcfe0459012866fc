"""The plugin's resource and function RPCs over gRPC, as the engine drives them, against the emulator:
Check, Diff, Create (preview and real), Read (refresh and import), Update (and its preview), Delete,
Invoke; failures as the engine sees them (one message, partial state); customTimeouts.

One ``pulumi-resource-alicloud-cdn-refresh`` process for the module (started with a fake engine's
address, its port read from its first line of stdout); property values carry secrets and unknowns
in the engine's own encoding (``plugin_engine.encode``). The plugin and its configuration:
``test_plugin_config.py``; waits at once and Cancel: ``test_plugin_waits.py``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi.runtime.proto import provider_pb2

from alicloud_cdn_refresh.products import Action, DcdnAction
from plugin_rig import (
    COMPLETE_AFTER,
    SECRET,
    UNKNOWN,
    PluginRig,
    Secret,
    start_plugin_rig,
    type_token,
    urn,
)
from pulumi_engine import ProviderRpcError

A = "http://www.example.com"
UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "schema.json"


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PluginRig]:
    yield from start_plugin_rig(tmp_path_factory.mktemp("home"))


def unique(name: str) -> str:
    return f"{A}/protocol/{uuid.uuid4().hex[:8]}/{name}"


# --------------------------------------------------------------------------- Check and Diff


def test_check_fills_defaults_keeps_secrets_secret_and_leaves_unknowns(rig: PluginRig) -> None:
    path = unique("secret.html")
    inputs, failures = rig.plugin.check(
        "CacheRefresh", {"objectPaths": [Secret(path)], "triggers": {"v": UNKNOWN}, "product": "DCDN"}
    )
    assert failures == []
    assert inputs.values["objectPaths"] == [path]
    assert "objectPaths" in inputs.secrets
    assert inputs.values["triggers"] == {"v": UNKNOWN_TEXT}
    assert {key: inputs.values[key] for key in ("operation", "objectType", "wait", "product")} == {
        "operation": "refresh",
        "objectType": "File",
        "wait": True,
        "product": "dcdn",
    }
    unknown_paths, failures = rig.plugin.check("RefreshWait", {"objectPaths": UNKNOWN})
    assert failures == []  # not judged until known
    assert unknown_paths.values["objectPaths"] == UNKNOWN_TEXT


def test_check_failures_name_the_input(rig: PluginRig) -> None:
    _, failures = rig.plugin.check("CacheRefresh", {"objectPaths": [f"{A}/a"], "operation": "purge"})
    assert failures == [
        ("operation", "operation: must be one of refresh, preload, refreshByCacheTag; got 'purge'")
    ]
    _, failures = rig.plugin.check("RefreshWait", {})
    assert failures[0][0] == "objectPaths"


def test_diff_replaces_on_what_waits_again_and_updates_the_rest(rig: PluginRig) -> None:
    olds = {"objectPaths": [f"{A}/a"], "timeoutSeconds": 30.0, "product": "cdn", "tasks": []}
    diff = rig.plugin.diff("RefreshWait", olds, {**olds, "objectPaths": [f"{A}/b"], "timeoutSeconds": 60})
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.replaces) == ["objectPaths"]
    assert set(diff.diffs) == {"objectPaths", "timeoutSeconds"}
    assert diff.detailedDiff["objectPaths"].kind == provider_pb2.PropertyDiff.UPDATE_REPLACE
    assert diff.detailedDiff["timeoutSeconds"].kind == provider_pb2.PropertyDiff.UPDATE
    assert rig.plugin.diff("RefreshWait", olds, {**olds, "product": "dcdn"}).replaces == ["product"]
    unchanged = rig.plugin.diff("RefreshWait", olds, {**olds, "timeoutSeconds": 30})
    assert unchanged.changes == provider_pb2.DiffResponse.DIFF_NONE
    unknown = rig.plugin.diff("RefreshWait", olds, {**olds, "objectPaths": UNKNOWN})
    assert list(unknown.replaces) == ["objectPaths"]


def test_an_unknown_type_is_one_clear_error(rig: PluginRig) -> None:
    with pytest.raises(ProviderRpcError) as caught:
        rig.plugin.check("Purge", {"objectPaths": [f"{A}/a"]})
    assert "'alicloud-cdn-refresh:index:Purge' is no resource of alicloud-cdn-refresh" in caught.value.details
    assert "Traceback" not in caught.value.details


# --------------------------------------------------------------------------- Create, Read, Update, Delete


def test_create_in_preview_answers_unknown_outputs_and_calls_no_api(rig: PluginRig) -> None:
    before = rig.served()
    inputs = rig.plugin.checked("CacheRefresh", objectPaths=[unique("preview.js")])
    id_, outs = rig.plugin.create("CacheRefresh", inputs, preview=True)
    assert id_ == ""
    for key in ("taskIds", "submittedAt", "tasks", "completedAt", "unconfirmedPaths"):
        assert outs.values[key] == UNKNOWN_TEXT
    assert outs.values["objectPaths"] == inputs["objectPaths"]
    _, wait_outs = rig.plugin.create(
        "RefreshWait", rig.plugin.checked("RefreshWait", taskIds=["1"]), preview=True
    )
    assert (wait_outs.values["tasks"], wait_outs.values["completedAt"]) == (UNKNOWN_TEXT, UNKNOWN_TEXT)
    assert rig.served() == before


def test_create_waits_until_complete_with_progress_for_the_engine(rig: PluginRig) -> None:
    path = unique("create.js")
    before = rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES]
    inputs = rig.plugin.checked("CacheRefresh", objectPaths=[path], timeoutSeconds=30)
    id_, outs = rig.plugin.create("CacheRefresh", inputs, name="create")
    assert id_.startswith("cacherefresh-")
    assert rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES] == before + 1
    (task,) = outs.values["tasks"]
    assert (task["objectPath"], task["status"], task["process"]) == (path, "Complete", 100)
    assert outs.values["taskIds"] == [task["taskId"]]
    assert outs.values["completedAt"]
    lines = rig.engine.messages(urn("CacheRefresh", "create"))
    assert any("CacheRefresh refresh [1 path(s)]: done, 1/1 complete" in line for line in lines), lines
    assert all(log.ephemeral for log in rig.engine.logs if log.urn == urn("CacheRefresh", "create"))


def test_a_dcdn_cache_refresh_submits_to_dcdn_and_waits_there(rig: PluginRig) -> None:
    path = unique("dcdn.js")
    cdn_submits = rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES]
    inputs = rig.plugin.checked("CacheRefresh", objectPaths=[path], product="dcdn", timeoutSeconds=30)
    _, outs = rig.plugin.create("CacheRefresh", inputs)
    assert outs.values["product"] == "dcdn"
    assert [task["status"] for task in outs.values["tasks"]] == ["Complete"]
    assert rig.emulator.requests_served[DcdnAction.REFRESH_OBJECT_CACHES] >= 1
    assert rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES] == cdn_submits
    assert [task.object_path for task in rig.emulator.tasks(product="dcdn")].count(path) == 1


def test_a_secret_path_keeps_the_outputs_repeating_it_secret(rig: PluginRig) -> None:
    path = unique("secret.css")
    rig.emulator.seed_task(path, status="Complete")
    inputs, _ = rig.plugin.check("RefreshWait", {"objectPaths": [Secret(path)], "timeoutSeconds": 30})
    _, outs = rig.plugin.create("RefreshWait", {**inputs.values, "objectPaths": [Secret(path)]})
    assert {"objectPaths", "tasks"} <= outs.secrets
    assert "completedAt" not in outs.secrets
    assert outs.values["tasks"][0]["objectPath"] == path


def test_read_refreshes_the_stored_tasks_and_keeps_the_inputs(rig: PluginRig) -> None:
    path = unique("read.html")
    task_id = rig.emulator.seed_task(path, status="Refreshing", process=40)
    inputs = rig.plugin.checked("RefreshWait", taskIds=[task_id], timeoutSeconds=30)
    stored = {**inputs, "tasks": [], "completedAt": None}
    read_id, outs, read_inputs = rig.plugin.read("RefreshWait", "wait-1", stored, inputs)
    assert read_id == "wait-1"
    assert [(t["taskId"], t["status"], t["process"]) for t in outs.values["tasks"]] == [
        (task_id, "Refreshing", 40)
    ]
    assert read_inputs.values == inputs


def test_read_without_state_imports_the_tasks_its_id_names(rig: PluginRig) -> None:
    first, second = unique("import-1.js"), unique("import-2.js")
    ids = [rig.emulator.seed_task(path, status="Complete") for path in (first, second)]
    read_id, outs, inputs = rig.plugin.read("CacheRefresh", ",".join(ids))
    assert read_id == ",".join(ids)
    assert inputs.values["objectPaths"] == [first, second]
    assert (inputs.values["operation"], inputs.values["objectType"]) == ("refresh", "File")
    assert outs.values["taskIds"] == ids
    assert outs.values["completedAt"]
    _, wait_outs, wait_inputs = rig.plugin.read("RefreshWait", ids[0])
    assert wait_inputs.values["taskIds"] == [ids[0]]
    assert wait_outs.values["tasks"][0]["objectPath"] == first
    with pytest.raises(ProviderRpcError) as caught:
        rig.plugin.read("RefreshWait", "not-task-ids")
    assert caught.value.details.startswith(
        "RefreshWait read failed: id: RefreshWait 'not-task-ids' has no stored"
    )


def test_update_keeps_settled_tasks_without_any_call(rig: PluginRig) -> None:
    path = unique("update.js")
    rig.emulator.seed_task(path, status="Complete")
    inputs = rig.plugin.checked("RefreshWait", objectPaths=[path], timeoutSeconds=30)
    _, outs = rig.plugin.create("RefreshWait", inputs)
    before = rig.served()
    news = rig.plugin.checked("RefreshWait", objectPaths=[path], timeoutSeconds=60)
    updated = rig.plugin.update("RefreshWait", "id", outs.values, news)
    assert rig.served() == before
    assert updated.values["tasks"] == outs.values["tasks"]
    assert updated.values["timeoutSeconds"] == 60
    previewed = rig.plugin.update("RefreshWait", "id", outs.values, news, preview=True)
    assert previewed.values == updated.values


def test_update_in_preview_of_an_unfinished_submission_calls_no_api(rig: PluginRig) -> None:
    olds = {
        **rig.plugin.checked("CacheRefresh", objectPaths=[unique("unfinished.js")]),
        "taskIds": ["123"],
        "submittedAt": "2026-11-28T08:00:00Z",
        "unconfirmedPaths": [],
        "tasks": [],
        "completedAt": None,
    }
    before = rig.served()
    previewed = rig.plugin.update("CacheRefresh", "id", olds, {**olds, "timeoutSeconds": 99}, preview=True)
    assert rig.served() == before
    assert (previewed.values["tasks"], previewed.values["completedAt"]) == (UNKNOWN_TEXT, UNKNOWN_TEXT)
    assert previewed.values["submittedAt"] == "2026-11-28T08:00:00Z"


def test_delete_does_nothing_remote(rig: PluginRig) -> None:
    before = rig.served()
    rig.plugin.delete("CacheRefresh", "cacherefresh-1", {"objectPaths": [f"{A}/a"], "taskIds": ["1"]})
    assert rig.served() == before


# --------------------------------------------------------------------------- failures


def test_a_failed_path_is_one_clear_message_without_a_traceback(rig: PluginRig) -> None:
    path = unique("broken/page.html")
    inputs = rig.plugin.checked("CacheRefresh", objectPaths=[path], timeoutSeconds=30)
    with pytest.raises(ProviderRpcError) as caught:
        rig.plugin.create("CacheRefresh", inputs)
    details = caught.value.details
    assert details.startswith("CacheRefresh create failed: 1 path(s) failed to refresh:")
    assert path in details
    assert "Traceback" not in details
    assert SECRET not in details
    assert caught.value.init_failed is not None  # it submitted: the resource exists


SLOW = 1.6
"""Seconds the partial-state test's task takes: the emulator dates a task to its whole second, so a
task due 1 s after submission may already show Complete to a wait that ends 0.2 s after it."""


def test_a_timeout_names_what_is_pending_and_keeps_partial_state(rig: PluginRig) -> None:
    path = unique("partial.js")
    submits = rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES]
    inputs = rig.plugin.checked("CacheRefresh", objectPaths=[path], timeoutSeconds=0.2)
    rig.emulator.store.complete_after = SLOW
    try:
        with pytest.raises(ProviderRpcError) as caught:
            rig.plugin.create("CacheRefresh", inputs)
    finally:
        rig.emulator.store.complete_after = COMPLETE_AFTER
    error = caught.value
    assert error.details.startswith("CacheRefresh create failed: 1 path(s) not Complete after 0.2s:")
    assert path in error.details
    failed = error.init_failed
    assert failed is not None
    assert failed.id.startswith("cacherefresh-")
    assert failed.properties["taskIds"]
    assert failed.properties.get("completedAt") is None
    assert "the next `pulumi up` resumes, it does not submit again" in failed.reasons[0]

    # the next `pulumi up`: the engine updates the resource with init errors; nothing is submitted again
    time.sleep(SLOW + 0.2)
    news = rig.plugin.checked("CacheRefresh", objectPaths=[path], timeoutSeconds=30)
    resumed = rig.plugin.update("CacheRefresh", failed.id, failed.properties, news)
    assert rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES] == submits + 1
    assert resumed.values["taskIds"] == failed.properties["taskIds"]
    assert [task["status"] for task in resumed.values["tasks"]] == ["Complete"]
    assert resumed.values["completedAt"]


def test_custom_timeouts_bound_the_wait(rig: PluginRig) -> None:
    task_id = rig.emulator.seed_task(unique("forever.js"), status="Refreshing", process=10)
    inputs = rig.plugin.checked("RefreshWait", taskIds=[task_id], timeoutSeconds=600)
    with pytest.raises(ProviderRpcError) as caught:
        rig.plugin.create("RefreshWait", inputs, timeout=1.0, rpc_timeout=30)
    assert caught.value.details.startswith("RefreshWait create failed: 1 path(s) not Complete after 1s:")


# --------------------------------------------------------------------------- Invoke


def test_invoke_runs_the_data_source_in_preview_too(rig: PluginRig) -> None:
    path = unique("invoke.txt")
    task_id = rig.emulator.seed_task(path, status="Failed", description="Origin Timeout")
    for preview in (False, True):
        result, failures = rig.plugin.invoke({"objectPath": path}, preview=preview)
        assert failures == []
        assert result.values["ids"] == [task_id]
        (task,) = result.values["tasks"]
        assert (task["status"], task["description"]) == ("Failed", "Origin Timeout")
        assert result.values["totalCount"] == 1
        assert result.values["id"].startswith("refresh-tasks-")
        assert result.secrets == set()


def test_invoke_asks_the_product_it_names_and_keeps_secret_arguments_secret(rig: PluginRig) -> None:
    path = unique("invoke-dcdn.txt")
    task_id = rig.emulator.seed_task(path, status="Complete", product="dcdn")
    before = rig.emulator.requests_served[DcdnAction.DESCRIBE_REFRESH_TASKS]
    result, failures = rig.plugin.invoke({"objectPath": Secret(path), "product": "dcdn"})
    assert failures == []
    assert result.values["ids"] == [task_id]
    assert (result.values["product"], result.values["pageSize"]) == ("dcdn", 50)
    assert "tasks" in result.secrets
    assert rig.emulator.requests_served[DcdnAction.DESCRIBE_REFRESH_TASKS] == before + 1


def test_invoke_refuses_unknown_arguments_and_bad_values_clearly(rig: PluginRig) -> None:
    _, failures = rig.plugin.invoke({"objectPaht": "x"})
    assert failures[0][0] == "objectPaht"
    assert "not an argument of getRefreshTasks" in failures[0][1]
    with pytest.raises(ProviderRpcError) as caught:
        rig.plugin.invoke({"status": "Failed"})
    assert caught.value.details.startswith("getRefreshTasks failed:")
    assert "Traceback" not in caught.value.details


def test_the_secret_reaches_no_log_and_no_stderr(rig: PluginRig) -> None:
    assert all(SECRET not in line for line in rig.engine.messages())
    assert all(SECRET not in line for line in rig.plugin.stderr_lines)


def test_type_tokens_are_the_schemas(rig: PluginRig) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(schema["resources"]) == {type_token("CacheRefresh"), type_token("RefreshWait")}
