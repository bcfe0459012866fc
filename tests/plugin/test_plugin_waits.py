"""What only the plugin's host can do with waits: no cap on how many run, and Cancel.

- 16 creates wait at once (each on a thread of its own), while Check and Invoke still answer at once;
- Cancel ends every running wait promptly with one clear message; a CacheRefresh that had submitted
  keeps its task ids as partial state (``ErrorResourceInitFailed``), so the next ``up`` resumes it.

One plugin process for the module (``plugin_rig``), a real clock, the emulator completing tasks
``COMPLETE_AFTER`` seconds after their submission.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from alicloud_cdn_refresh.products import Action
from plugin_rig import PluginRig, start_plugin_rig
from pulumi_engine import ProviderRpcError

A = "http://www.example.com"
WAITS = 16


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PluginRig]:
    yield from start_plugin_rig(tmp_path_factory.mktemp("home"), complete_after=3.0)


def _timed(call: object) -> float:
    started = time.monotonic()
    call()  # type: ignore[operator]
    return time.monotonic() - started


def test_sixteen_creates_wait_at_once_while_check_and_invoke_answer_at_once(rig: PluginRig) -> None:
    base = f"{A}/waits/{uuid.uuid4().hex[:8]}"
    inputs = [
        rig.plugin.checked("CacheRefresh", objectPaths=[f"{base}/{index}.js"], timeoutSeconds=60)
        for index in range(WAITS)
    ]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=WAITS) as pool:
        creates = [
            pool.submit(rig.plugin.create, "CacheRefresh", props, name=f"wait-{index}")
            for index, props in enumerate(inputs)
        ]
        time.sleep(1.0)  # every create has submitted and is waiting
        assert not any(create.done() for create in creates)
        check = _timed(lambda: rig.plugin.check("RefreshWait", {"objectPaths": [f"{base}/x"]}))
        invoke = _timed(lambda: rig.plugin.invoke({"objectPath": f"{base}/0.js"}))
        waiting = sum(not create.done() for create in creates)
        results = [create.result(timeout=60) for create in creates]
    elapsed = time.monotonic() - started
    assert waiting == WAITS  # the Check and the Invoke were answered while all 16 waited
    assert check < 1.0, check
    assert invoke < 2.0, invoke
    assert all(outs.values["tasks"][0]["status"] == "Complete" for _, outs in results)
    assert elapsed < 3.0 + 10.0  # together: one completion time and a few polls, not 16 in a row


def test_cancel_ends_running_waits_promptly_with_a_clear_message(rig: PluginRig) -> None:
    forever = rig.emulator.seed_task(f"{A}/waits/forever-{uuid.uuid4().hex[:8]}.js", status="Refreshing")
    wait_inputs = rig.plugin.checked("RefreshWait", taskIds=[forever], timeoutSeconds=600)
    path = f"{A}/waits/cancelled-{uuid.uuid4().hex[:8]}.js"
    cache_inputs = rig.plugin.checked("CacheRefresh", objectPaths=[path], timeoutSeconds=600)
    submits = rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES]
    errors: dict[str, ProviderRpcError] = {}

    def create(kind: str, props: dict[str, object]) -> None:
        try:
            rig.plugin.create(kind, props, name=f"cancel-{kind}", rpc_timeout=60)
        except ProviderRpcError as error:
            errors[kind] = error

    threads = [
        threading.Thread(target=create, args=("RefreshWait", wait_inputs)),
        threading.Thread(target=create, args=("CacheRefresh", cache_inputs)),
    ]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # both are waiting (the tasks complete after 3 s, or never)
    cancelled_at = time.monotonic()
    rig.plugin.cancel()
    for thread in threads:
        thread.join(timeout=30)
    assert time.monotonic() - cancelled_at < 2.0

    waited = errors["RefreshWait"]
    assert waited.details.startswith("RefreshWait create failed: the wait was cancelled after")
    assert f"task {forever}" in waited.details
    assert "Traceback" not in waited.details
    assert waited.init_failed is None

    submitted = errors["CacheRefresh"]
    assert submitted.details.startswith("CacheRefresh create failed: the wait was cancelled after")
    assert path in submitted.details
    kept = submitted.init_failed
    assert kept is not None
    assert kept.properties["taskIds"]

    # the next `up` resumes the cancelled CacheRefresh: no second submit
    time.sleep(3.0 - (time.monotonic() - cancelled_at) + 0.3)
    resumed = rig.plugin.update("CacheRefresh", kept.id, kept.properties, cache_inputs)
    assert resumed.values["taskIds"] == kept.properties["taskIds"]
    assert [task["status"] for task in resumed.values["tasks"]] == ["Complete"]
    assert rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES] == submits + 1


def test_operations_after_a_cancel_run_normally(rig: PluginRig) -> None:
    rig.plugin.cancel()  # nothing running: nothing to end
    path = f"{A}/waits/after-cancel-{uuid.uuid4().hex[:8]}.js"
    rig.emulator.seed_task(path, status="Complete")
    _, outs = rig.plugin.create("RefreshWait", rig.plugin.checked("RefreshWait", objectPaths=[path]))
    assert outs.values["tasks"][0]["status"] == "Complete"
