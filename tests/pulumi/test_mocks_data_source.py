"""get_refresh_tasks / get_refresh_tasks_output under ``pulumi.runtime.set_mocks``, against the emulator.

The data source runs in the program process and calls the API itself, so under mocks it talks to
a real local emulator server (endpoint and credentials from the stack config or the environment).
"""

from __future__ import annotations

import inspect
import json
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pulumi
import pytest

from alicloud_cdn_refresh import CredentialsError, InvalidQuery
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.pulumi.data_source import (
    AwaitableGetRefreshTasksResult,
    GetRefreshTasksResult,
    RefreshTaskResult,
    get_refresh_tasks,
    get_refresh_tasks_output,
)
from alicloud_cdn_refresh.query import FILTER_FIELDS
from pulumi_mocks import ProgramMocks, resolve, use_mocks

SECRET = f"planted-secret-{uuid.uuid4().hex}"


@pytest.fixture
def emulator() -> Emulator:
    return Emulator(access_keys={"testid": SECRET}, complete_after=0.0, qps_limits=False)


@pytest.fixture
def server(emulator: Emulator, clean_env: None) -> Iterator[str]:
    with emulator.serve() as served:
        yield served.url


def stack_config(url: str) -> dict[str, str]:
    return {
        "alicloud:accessKey": "testid",
        "alicloud:secretKey": SECRET,
        "alicloud:endpoints": json.dumps([{"cdn": url}]),
    }


NOW = datetime.now(timezone.utc).replace(microsecond=0)


def seed(emulator: Emulator) -> dict[str, str]:
    return {
        "done": emulator.seed_task(
            "http://www.example.com/done.txt", status="Complete", created=NOW - timedelta(minutes=5)
        ),
        "failed": emulator.seed_task(
            "http://www.example.com/failed.txt",
            status="Failed",
            description="Origin Timeout",
            created=NOW - timedelta(minutes=4),
        ),
        "running": emulator.seed_task(
            "http://www.example.com/dir/",
            status="Refreshing",
            process=45,
            object_type="directory",
            created=NOW - timedelta(minutes=3),
        ),
    }


def test_get_refresh_tasks_returns_every_field_typed(emulator: Emulator, server: str) -> None:
    ids = seed(emulator)
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))
    result = get_refresh_tasks(object_path="http://www.example.com/failed.txt")
    assert isinstance(result, AwaitableGetRefreshTasksResult)
    assert result.total_count == 1
    (task,) = result.tasks
    assert isinstance(task, RefreshTaskResult)
    assert task.task_id == ids["failed"]
    assert task.object_path == "http://www.example.com/failed.txt"
    assert task.status == "Failed"
    assert task.is_failed
    assert not task.is_complete
    assert task.description == "Origin Timeout"
    assert task.object_type == "file"
    assert isinstance(task.process, int)
    assert task.creation_time == (NOW - timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert result.ids == [ids["failed"]]
    assert result.object_path == "http://www.example.com/failed.txt"
    assert result.id.startswith("refresh-tasks-")

    running = get_refresh_tasks(task_id=ids["running"]).tasks[0]
    assert (running.status, running.process, running.object_type) == ("Refreshing", 45, "directory")


def test_all_pages_are_gathered_unless_a_page_is_asked_for(emulator: Emulator, server: str) -> None:
    for index in range(45):
        emulator.seed_task(f"http://www.example.com/p/{index}.txt", status="Complete")
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))

    before = emulator.requests_served["DescribeRefreshTasks"]
    everything = get_refresh_tasks(page_size=20)
    assert len(everything.tasks) == everything.total_count == 45
    assert len({task.object_path for task in everything.tasks}) == 45
    assert emulator.requests_served["DescribeRefreshTasks"] - before == 3  # 20 + 20 + 5
    assert everything.page_number is None

    page = get_refresh_tasks(page_number=3, page_size=20)
    assert len(page.tasks) == 5
    assert (page.total_count, page.page_number, page.page_size) == (45, 3, 20)


def test_awaitable_result_awaits_to_the_plain_result(emulator: Emulator, server: str) -> None:
    seed(emulator)
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))

    async def wait() -> GetRefreshTasksResult:
        return await get_refresh_tasks(object_path="http://www.example.com/done.txt")

    coroutine = wait()
    with pytest.raises(StopIteration) as finished:  # awaiting it never suspends
        coroutine.send(None)
    result = finished.value.value
    assert type(result) is GetRefreshTasksResult
    assert [task.status for task in result.tasks] == ["Complete"]


def test_output_form_takes_inputs_and_returns_a_typed_output(emulator: Emulator, server: str) -> None:
    ids = seed(emulator)
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))

    def program() -> pulumi.Output[Any]:
        path = pulumi.Output.from_input("http://www.example.com/").apply(lambda base: base + "done.txt")
        return get_refresh_tasks_output(object_path=path)

    box = resolve(program)
    result = box["value"]
    assert isinstance(result, GetRefreshTasksResult)
    assert isinstance(result.tasks[0], RefreshTaskResult)
    assert result.tasks[0].task_id == ids["done"]
    assert result.tasks[0].status == "Complete"
    assert box["known"] is True
    assert box["secret"] is False


def test_output_form_runs_in_preview(emulator: Emulator, server: str) -> None:
    seed(emulator)
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server), preview=True)
    box = resolve(lambda: get_refresh_tasks_output(object_type="file", status="Failed"))
    assert [task.object_path for task in box["value"].tasks] == ["http://www.example.com/failed.txt"]


def test_unknown_input_in_preview_makes_no_call_and_an_unknown_result(
    emulator: Emulator, server: str
) -> None:
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server), preview=True)
    before = sum(emulator.requests_served.values())

    def program() -> pulumi.Output[Any]:
        unknown = pulumi.Output(set(), asyncio_future(None), asyncio_future(False))
        return get_refresh_tasks_output(object_path=unknown)

    box = resolve(program)
    assert box["known"] is False
    assert sum(emulator.requests_served.values()) == before


def asyncio_future(value: Any) -> Any:
    import asyncio

    future: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
    future.set_result(value)
    return future


def test_a_secret_input_keeps_the_result_secret(emulator: Emulator, server: str) -> None:
    seed(emulator)
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))
    box = resolve(
        lambda: get_refresh_tasks_output(object_path=pulumi.Output.secret("http://www.example.com/done.txt"))
    )
    assert box["secret"] is True
    assert box["value"].tasks[0].status == "Complete"


def test_credentials_and_endpoint_from_the_environment(
    emulator: Emulator, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(emulator)
    monkeypatch.setenv("ALIBABA_CLOUD_CDN_ENDPOINT", server)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    use_mocks(ProgramMocks({}), {})
    assert get_refresh_tasks(object_path="http://www.example.com/done.txt").total_count == 1


def test_no_secret_in_the_result(emulator: Emulator, server: str) -> None:
    seed(emulator)
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))
    result = get_refresh_tasks()
    text = json.dumps({name: getattr(result, name) for name in ("id", "ids", "tasks", "total_count")})
    assert result.total_count == 3
    assert SECRET not in text
    assert SECRET not in repr(result.__dict__)


def test_bad_filters_fail_before_any_call_naming_the_parameter(emulator: Emulator, server: str) -> None:
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))
    before = sum(emulator.requests_served.values())
    with pytest.raises(InvalidQuery) as caught:
        get_refresh_tasks(status="Failed")
    assert caught.value.parameter == "ObjectType"
    with pytest.raises(InvalidQuery, match="PageSize"):
        get_refresh_tasks(page_size=1000)
    assert sum(emulator.requests_served.values()) == before


def test_missing_credentials_say_where_they_were_looked_for(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hide the optional credentials chain: it would ask the ECS metadata service (network)
    monkeypatch.setitem(sys.modules, "alibabacloud_credentials.client", None)
    use_mocks(ProgramMocks({}), {})
    with pytest.raises(CredentialsError) as caught:
        get_refresh_tasks()
    assert "alicloud:accessKey" in str(caught.value)
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in str(caught.value)


WINDOW = {
    "start_time": (NOW - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "end_time": (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
}
NON_MATCHING: dict[str, dict[str, str]] = {
    "task_id": {"task_id": "1"},
    "object_path": {"object_path": "http://www.example.com/none.txt"},
    "domain_name": {"domain_name": "other.example.org", "object_type": "file"},
    "object_type": {"object_type": "regex"},
    "status": {"status": "Failed", "object_type": "file"},
    "start_time": WINDOW,
    "end_time": WINDOW,
    "resource_group_id": {"resource_group_id": "rg-other"},
}
"""A value of each filter (with what it needs beside it) that matches no task of the test below."""


@pytest.mark.parametrize("name", [field.name for field in FILTER_FIELDS])
def test_every_filter_of_the_query_type_is_a_parameter_that_reaches_the_api(
    emulator: Emulator, server: str, name: str
) -> None:
    assert set(NON_MATCHING) == {field.name for field in FILTER_FIELDS}, "a filter without a case here"
    for function in (get_refresh_tasks, get_refresh_tasks_output):
        assert name in inspect.signature(function).parameters
    emulator.seed_task(
        "http://www.example.com/done.txt", status="Complete", created=NOW - timedelta(minutes=5)
    )
    use_mocks(ProgramMocks(stack_config(server)), stack_config(server))
    assert get_refresh_tasks().total_count == 1
    result = get_refresh_tasks(**NON_MATCHING[name])
    assert result.total_count == 0, f"the data source drops {name}"
    assert getattr(result, name) == NON_MATCHING[name][name]
