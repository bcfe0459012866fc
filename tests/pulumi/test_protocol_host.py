"""What ``python -m pulumi.dynamic`` itself allows: many waits at once, and import (issue 12
points 3 and 5), driven over the real provider protocol against the emulator.

Point 3: the host serves every dynamic resource on a pool of 4 worker threads; the providers lift
it from inside the host (``pulumi/host.py``), so 8 waits run at once while a Check answers at
once; with the limit kept at 4 the progress says the waits hold every worker. Point 5: an import
reads with no state at all, and the host fails before any code of this package runs (documented,
and checked here so that a Pulumi release that changes it is noticed); a read that carries the
inputs (a program's ``opts.id``) adopts the task ids its id names.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from alicloud_cdn_refresh.emulator import Emulator
from envs import clean_environ
from pulumi_engine import DynamicProviderHost, ProviderRpcError
from pulumi_protocol_rig import COMPLETE_AFTER, SECRET, Rig, provider_strings, start_rig, urn

A = "http://www.example.com"
WAITS = 8


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def _concurrent_waits(
    host: DynamicProviderHost, emulator: Emulator, provider: str, tag: str
) -> tuple[list[float], float]:
    """Start WAITS creates at once, each waiting ~2 s for its own task; return each one's seconds,
    and the seconds a Check sent meanwhile took."""
    created = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=1)
    durations: list[float] = []
    errors: list[BaseException] = []

    def one(index: int) -> None:
        path = f"{A}/{tag}/{index}.html"
        emulator.seed_task(path, created=created)
        name = urn("RefreshWait", f"{tag}-{index}")
        try:
            inputs, _ = host.check(
                name, {}, {"__provider": provider, "objectPaths": [path], "timeoutSeconds": 30}
            )
            started = time.monotonic()
            host.create(name, inputs)
            durations.append(time.monotonic() - started)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(index,)) for index in range(WAITS)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    host.check(urn("RefreshWait", f"{tag}-check"), {}, {"__provider": provider, "taskIds": ["1"]})
    check = time.monotonic() - started
    for thread in threads:
        thread.join(60)
    assert errors == []
    return durations, check


def test_eight_waits_run_at_once_and_a_check_answers_meanwhile(rig: Rig) -> None:
    started = time.monotonic()
    waits, check = _concurrent_waits(rig.host, rig.emulator, rig.wait_provider, "lifted")
    total = time.monotonic() - started
    assert len(waits) == WAITS
    assert check < 0.5, f"a Check waited {check:.1f}s behind the waits"
    assert total < 2 * (COMPLETE_AFTER + 1.5), f"{WAITS} waits took {total:.1f}s: they queued"
    assert not rig.host.stderr_has("hold all", timeout=0.1)


def test_with_the_hosts_4_workers_the_progress_says_the_waits_hold_them(tmp_path) -> None:
    emulator = Emulator(access_keys={"testid": SECRET}, complete_after=COMPLETE_AFTER, qps_limits=False)
    wait_provider, _ = provider_strings()
    with emulator.serve() as server:
        env = clean_environ(tmp_path, ALICLOUD_CDN_REFRESH_HOST_WORKERS="4")
        with DynamicProviderHost(env) as host:
            host.configure(
                {
                    "alicloud:accessKey": "testid",
                    "alicloud:secretKey": SECRET,
                    "alicloud:endpoints": json.dumps([{"cdn": server.url}]),
                }
            )
            _, check = _concurrent_waits(host, emulator, wait_provider, "kept")
            assert check > 0.5  # queued behind the 4 waits: the limit the line below names
            assert host.stderr_has("waits hold all 4 worker threads of the dynamic provider process")


def test_import_fails_in_the_host_before_any_code_of_this_package(rig: Rig) -> None:
    task_id = rig.emulator.seed_task(f"{A}/import/a.html", status="Complete")
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.read(urn("RefreshWait", "imported"), task_id, {}, {})
    assert "KeyError: '__provider'" in caught.value.details  # pulumi.dynamic's own Read, documented


def test_a_read_with_inputs_only_adopts_the_task_ids_its_id_names(rig: Rig) -> None:
    paths = [f"{A}/import/b.html", f"{A}/import/c.html"]
    ids = [rig.emulator.seed_task(path, status="Complete") for path in paths]
    read_id, outs, inputs = rig.host.read(
        urn("RefreshWait", "adopted"), ",".join(ids), {}, {"__provider": rig.wait_provider}
    )
    assert read_id == ",".join(ids)
    assert inputs["taskIds"] == ids
    assert [(t["taskId"], t["objectPath"], t["status"]) for t in outs["tasks"]] == [
        (task_id, path, "Complete") for task_id, path in zip(ids, paths, strict=True)
    ]
    assert outs["completedAt"]

    read_id, outs, inputs = rig.host.read(
        urn("CacheRefresh", "adopted"), ids[0], {}, {"__provider": rig.cache_provider}
    )
    assert (inputs["objectPaths"], inputs["operation"], inputs["objectType"]) == (
        [paths[0]],
        "refresh",
        "File",
    )
    assert outs["taskIds"] == [ids[0]]


def test_a_read_with_no_state_and_no_task_ids_is_one_clear_error(rig: Rig) -> None:
    with pytest.raises(ProviderRpcError) as caught:
        rig.host.read(urn("CacheRefresh", "lost"), "cacherefresh-0", {}, {"__provider": rig.cache_provider})
    details = caught.value.details
    assert details.startswith(
        "CacheRefresh read failed: id: CacheRefresh 'cacherefresh-0' has no stored state"
    )
    assert "comma-separated" in details
    assert "Traceback" not in details
