"""Small pieces of the Pulumi layer: the config store, names, errors, typed tasks, stateless providers."""

from __future__ import annotations

import json
import pickle
import time
from datetime import datetime, timedelta, timezone

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.pulumi import config as _pulumi_config
from alicloud_cdn_refresh.pulumi.failures import ProviderOperationError, fail
from alicloud_cdn_refresh.pulumi.types import (
    RefreshTaskResult,
    task_from_wire,
    task_to_wire,
    to_python_name,
    to_wire_name,
)
from alicloud_cdn_refresh.pulumi_resources import CacheRefreshProvider, RefreshWaitProvider


@pytest.fixture(autouse=True)
def _clean_store() -> None:
    _pulumi_config.clear_config()
    yield
    _pulumi_config.clear_config()


def test_store_keeps_only_the_alicloud_keys_as_text() -> None:
    _pulumi_config.store_config(
        {
            "alicloud:accessKey": "id",
            "alicloud:secretKey": "s",
            "alicloud:securityToken": "",
            "alicloud:endpoints": [{"cdn": "http://127.0.0.1:9"}],
            "alicloud:unrelated": "x",
            "project:thing": "y",
        }
    )
    stored = _pulumi_config.provider_config()
    assert stored == {
        "alicloud:accessKey": "id",
        "alicloud:secretKey": "s",
        "alicloud:endpoints": json.dumps([{"cdn": "http://127.0.0.1:9"}]),
    }


@pytest.mark.parametrize(
    "endpoints", [[{"cdn": "http://127.0.0.1:9000"}], json.dumps([{"cdn": "http://127.0.0.1:9000"}])]
)
def test_endpoints_as_structured_config_or_json_reach_the_client(endpoints: object) -> None:
    config = _pulumi_config.normalize_config(
        {"alicloud:accessKey": "id", "alicloud:secretKey": "s", "alicloud:endpoints": endpoints}
    )
    with _pulumi_config.make_client(config) as client:
        assert client.endpoint == "http://127.0.0.1:9000"


@pytest.mark.parametrize("provider_class", [RefreshWaitProvider, CacheRefreshProvider])
def test_configure_stores_per_process_not_on_the_instance(provider_class: type) -> None:
    provider = provider_class()
    raw = {"alicloud:accessKey": "id", "alicloud:secretKey": "very-secret", "other:key": "v"}
    provider.configure(ConfigureRequest(Config(raw_config=raw, project_name="p")))
    assert vars(provider) == {}
    assert _pulumi_config.provider_config()["alicloud:secretKey"] == "very-secret"
    assert b"very-secret" not in pickle.dumps(provider)


def test_names_between_python_and_the_wire() -> None:
    for python, wire in [
        ("object_paths", "objectPaths"),
        ("timeout_seconds", "timeoutSeconds"),
        ("fail_on_failed", "failOnFailed"),
        ("task_ids", "taskIds"),
        ("completed_at", "completedAt"),
        ("wait", "wait"),
        ("__provider", "__provider"),
    ]:
        assert to_wire_name(python) == wire
        assert to_python_name(wire) == python


def test_tasks_survive_state_with_float_numbers() -> None:
    task = RefreshTask(
        task_id="704225667",
        object_path="http://aaa.com/1.txt",
        status=TaskStatus("Timeout"),  # a status the API may add: kept as is
        process=45,
        object_type=ObjectType.DIRECTORY,
        creation_time=datetime(2026, 11, 27, 8, 23, 22, tzinfo=timezone.utc),
        description="",
    )
    wire = task_to_wire(task)
    assert wire == {
        "taskId": "704225667",
        "objectPath": "http://aaa.com/1.txt",
        "status": "Timeout",
        "process": 45,
        "objectType": "directory",
        "creationTime": "2026-11-27T08:23:22Z",
        "description": "",
    }
    from_state = task_from_wire({**wire, "process": 45.0})
    assert from_state == task
    typed = RefreshTaskResult(
        task_id="1", object_path="p", status="Timeout", process=45.0, object_type="file", creation_time="t"
    )
    assert typed.process == 45
    assert isinstance(typed.process, int)
    assert not typed.is_complete
    assert not typed.is_failed


def test_fail_outside_a_grpc_call_raises_the_message_alone() -> None:
    try:
        raise ValueError("inner detail")
    except ValueError:
        with pytest.raises(ProviderOperationError) as caught:
            fail("RefreshWait create failed: boom")
    assert str(caught.value) == "RefreshWait create failed: boom"
    assert caught.value.__suppress_context__ is True


class _SlowClock:
    """The API's clock, some seconds behind ours."""

    def __init__(self, behind: float) -> None:
        self.behind = timedelta(seconds=behind)

    def now(self) -> datetime:
        return datetime.now(timezone.utc) - self.behind

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def test_cache_refresh_finds_its_tasks_when_the_api_clock_is_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    emulator = Emulator(
        clock=_SlowClock(behind=90), access_keys={"testid": "s3"}, complete_after=0.0, qps_limits=False
    )
    with emulator.serve() as server:
        provider = CacheRefreshProvider()
        provider.configure(
            ConfigureRequest(
                Config(
                    raw_config={
                        "alicloud:accessKey": "testid",
                        "alicloud:secretKey": "s3",
                        "alicloud:endpoints": json.dumps([{"cdn": server.url}]),
                    },
                    project_name="p",
                )
            )
        )
        checked = provider.check(
            {}, {"objectPaths": ["http://www.example.com/skew.txt"], "timeoutSeconds": 5}
        )
        started = time.monotonic()
        outs = provider.create(checked.inputs).outs
    assert time.monotonic() - started < 3
    assert outs is not None
    assert [task["status"] for task in outs["tasks"]] == ["Complete"]
    created = datetime.strptime(outs["tasks"][0]["creationTime"], "%Y-%m-%dT%H:%M:%SZ")
    submitted = datetime.strptime(outs["submittedAt"], "%Y-%m-%dT%H:%M:%SZ")
    assert (submitted - created).total_seconds() >= 85  # the task is "older" than our submission


def test_progress_lines_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    from alicloud_cdn_refresh.errors import PendingPath
    from alicloud_cdn_refresh.pulumi.progress import progress_printer
    from alicloud_cdn_refresh.waiter.loop import WaitProgress

    show = progress_printer("RefreshWait [2 path(s)]")
    unseen = PendingPath("", "NotFound", task_id="123")
    show(WaitProgress(0, 1, 1, 0, 2, 4.4, 1, (unseen,), False))
    show(WaitProgress(1, 0, 1, 0, 2, 9.6, 2, (PendingPath("http://a/b", "Pending"),), True))
    show(WaitProgress(2, 0, 0, 0, 2, 12.0, 3, (), True))
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "RefreshWait [2 path(s)]: waiting, 0/2 complete, 1 refreshing, 1 pending, 0 failed (4s); "
        "slowest: task 123",
        "RefreshWait [2 path(s)]: stopped, 1/2 complete, 0 refreshing, 1 pending, 0 failed (10s)",
        "RefreshWait [2 path(s)]: done, 2/2 complete, 0 refreshing, 0 pending, 0 failed (12s)",
    ]
