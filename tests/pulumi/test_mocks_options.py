"""Resource and invoke options under ``pulumi.runtime.set_mocks`` (issues 11 and 12).

- secret inputs make the outputs that repeat them secret (``additionalSecretOutputs``; point 7);
- the data source runs after its ``depends_on`` and is unknown while they are (point 4);
- ``import_`` is one clear error at construction (point 5);
- a provider of another package in ``opts`` is one clear error (issue 11).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pulumi
import pulumi_alicloud as alicloud
import pytest

from alicloud_cdn_refresh import CacheRefresh, RefreshWait, get_refresh_tasks, get_refresh_tasks_output
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.pulumi import config as _pulumi_config
from alicloud_cdn_refresh.pulumi.options import ResourceOptionsError
from pulumi_mocks import ProgramMocks, resolve, use_mocks

SECRET = f"planted-secret-{uuid.uuid4().hex}"
A = "http://www.example.com"


@pytest.fixture
def served(clean_env: None) -> Iterator[tuple[Emulator, dict[str, str]]]:
    emulator = Emulator(access_keys={"testid": SECRET}, complete_after=0.5, qps_limits=False)
    with emulator.serve() as server:
        config = {
            "alicloud:accessKey": "testid",
            "alicloud:secretKey": SECRET,
            "alicloud:endpoints": json.dumps([{"cdn": server.url}]),
        }
        yield emulator, config
    _pulumi_config.clear_config()


# --------------------------------------------------------------------------- point 7: secrets


def test_secret_paths_make_the_outputs_that_repeat_them_secret(
    served: tuple[Emulator, dict[str, str]],
) -> None:
    emulator, config = served
    mocks = ProgramMocks(config)
    monitor = use_mocks(mocks, config)
    secret_path = f"{A}/secret/{uuid.uuid4().hex}.html"
    done = emulator.seed_task(f"{A}/done.html", status="Complete")

    def program() -> Any:
        CacheRefresh("secret", object_paths=[pulumi.Output.secret(secret_path)], timeout_seconds=30)
        RefreshWait("secret-wait", object_paths=pulumi.Output.secret([secret_path]), timeout_seconds=30)
        CacheRefresh("plain", object_paths=[f"{A}/plain.html"], timeout_seconds=30)
        RefreshWait(
            "plain-wait", task_ids=[done], opts=pulumi.ResourceOptions(additional_secret_outputs=["x"])
        )
        return 1

    resolve(program)
    assert monitor.secret_outputs["secret"] == ["tasks", "unconfirmedPaths"]
    assert monitor.secret_outputs["secret-wait"] == ["tasks"]
    assert monitor.secret_outputs["plain"] == []
    assert monitor.secret_outputs["plain-wait"] == ["x"]  # the program's own list is kept
    for resource in mocks.resources:  # the check never reaches the provider as an input
        assert "tasks" not in resource.inputs


# --------------------------------------------------------------------------- point 4: ordering


def test_the_data_source_runs_after_its_depends_on(served: tuple[Emulator, dict[str, str]]) -> None:
    emulator, config = served
    mocks = ProgramMocks(config)
    use_mocks(mocks, config)
    path = f"{A}/ordered.html"

    def program() -> Any:
        refresh = CacheRefresh("refresh", object_paths=[path], timeout_seconds=30)
        result = get_refresh_tasks_output(
            object_path=path, opts=pulumi.InvokeOutputOptions(depends_on=[refresh])
        )
        return result.tasks.apply(lambda tasks: [(t.object_path, t.status) for t in tasks])

    box = resolve(program)
    # created (submitted and waited until Complete) before the query ran
    assert box["value"] == [(path, "Complete")]
    assert box["known"] is True
    assert emulator.requests_served["RefreshObjectCaches"] == 1


def test_in_preview_the_data_source_is_unknown_while_its_dependencies_are(
    served: tuple[Emulator, dict[str, str]],
) -> None:
    emulator, config = served
    mocks = ProgramMocks(config, preview=True)
    use_mocks(mocks, config, preview=True)

    def program() -> Any:
        refresh = CacheRefresh("refresh", object_paths=[f"{A}/preview.html"])
        return get_refresh_tasks_output(
            object_path=f"{A}/preview.html", opts=pulumi.InvokeOutputOptions(depends_on=[refresh])
        ).total_count

    box = resolve(program)
    assert box["known"] is False
    assert emulator.requests_served["DescribeRefreshTasks"] == 0
    assert emulator.requests_served["RefreshObjectCaches"] == 0


def test_in_preview_without_dependencies_the_data_source_still_reads(
    served: tuple[Emulator, dict[str, str]],
) -> None:
    emulator, config = served
    use_mocks(ProgramMocks(config, preview=True), config, preview=True)
    box = resolve(lambda: get_refresh_tasks_output(object_path=f"{A}/x.html").total_count)
    assert (box["known"], box["value"]) == (True, 0)
    assert emulator.requests_served["DescribeRefreshTasks"] == 1


def test_the_plain_form_refuses_depends_on(served: tuple[Emulator, dict[str, str]]) -> None:
    _, config = served
    use_mocks(ProgramMocks(config, preview=True), config, preview=True)

    def program() -> Any:
        refresh = RefreshWait("w", task_ids=["1"])
        return get_refresh_tasks(opts=pulumi.InvokeOutputOptions(depends_on=[refresh]))

    with pytest.raises(ResourceOptionsError, match="use get_refresh_tasks_output"):
        program()


# --------------------------------------------------------------------------- point 5: import


def test_import_is_one_clear_error_saying_what_to_do(served: tuple[Emulator, dict[str, str]]) -> None:
    _, config = served
    use_mocks(ProgramMocks(config), config)
    for make in (
        lambda: RefreshWait(
            "w", task_ids=["17330477083"], opts=pulumi.ResourceOptions(import_="17330477083")
        ),
        lambda: CacheRefresh(
            "c", object_paths=[f"{A}/a"], opts=pulumi.ResourceOptions(import_="cacherefresh-1")
        ),
    ):
        with pytest.raises(ResourceOptionsError) as caught:
            make()
        message = str(caught.value)
        assert "cannot work" in message
        assert "task_ids=[...]" in message
        assert isinstance(caught.value, pulumi.RunError)  # Pulumi prints the message alone, no trace


# --------------------------------------------------------------------------- issue 11: providers


def test_a_provider_of_another_package_is_one_clear_error(served: tuple[Emulator, dict[str, str]]) -> None:
    _, config = served
    mocks = ProgramMocks(config)
    use_mocks(mocks, config)
    provider = alicloud.Provider("other-account", region="cn-hangzhou")
    attempts = [
        lambda: CacheRefresh("c", object_paths=[f"{A}/a"], opts=pulumi.ResourceOptions(provider=provider)),
        lambda: RefreshWait("w", task_ids=["1"], opts=pulumi.ResourceOptions(providers=[provider])),
        lambda: RefreshWait(
            "w2", task_ids=["1"], opts=pulumi.ResourceOptions(providers={"alicloud": provider})
        ),
        lambda: get_refresh_tasks_output(opts=pulumi.InvokeOutputOptions(provider=provider)),
        lambda: get_refresh_tasks(opts=pulumi.InvokeOptions(provider=provider)),
    ]
    for attempt in attempts:
        with pytest.raises(ResourceOptionsError) as caught:
            attempt()
        message = str(caught.value)
        assert "'alicloud' provider passed in opts would be ignored" in message
        assert "profile=" in message
        assert "assume_role=" in message
    assert not [r for r in mocks.resources if r.typ.startswith("pulumi-python:dynamic/")]
