"""Stacks deployed with v0.1.0 keep working: the ``__provider`` they stored finds today's providers.

``tests/fixtures/v0_1_0_state.json`` is what a v0.1.0 stack stored for both resources (recorded
through the engine rig before the layout move): the pickled ``__provider`` text naming
``alicloud_cdn_refresh.pulumi_resources``, and the inputs and outputs. The stored text is
unpickled the way ``python -m pulumi.dynamic`` does it, then the stored state is driven over the
real provider protocol (a ``python -m pulumi.dynamic`` child, configured against an emulator
server): Diff, Update, Read (``pulumi refresh``) and Delete, each with the stored ``__provider``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dill
import pytest
from pulumi import dynamic
from pulumi.runtime._serialization import _deserialize

from alicloud_cdn_refresh.pulumi_resources import CacheRefreshProvider, RefreshWaitProvider
from pulumi_engine import serialized_provider
from pulumi_protocol_rig import Rig, start_rig, urn

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "v0_1_0_state.json"
STATE: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
PROVIDERS: dict[str, type[dynamic.ResourceProvider]] = {
    "refreshWait": RefreshWaitProvider,
    "cacheRefresh": CacheRefreshProvider,
}
URNS = {"refreshWait": urn("RefreshWait", "wait"), "cacheRefresh": urn("CacheRefresh", "refresh")}
KEYS = sorted(PROVIDERS)
TASK_ID = "16539736925"
"""The task both stored resources waited for (CacheRefresh submitted it, RefreshWait waited on it)."""


def stored(key: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """id, inputs and outputs of one resource as the v0.1.0 stack stored them (copies)."""
    resource = STATE[key]
    return (
        resource["id"],
        json.loads(json.dumps(resource["inputs"])),
        json.loads(json.dumps(resource["outputs"])),
    )


def without_provider(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key != "__provider"}


# --------------------------------------------------------------------------- unpickling


@pytest.mark.parametrize("key", KEYS)
def test_the_stored_provider_unpickles_to_todays_provider(key: str) -> None:
    _, inputs, outputs = stored(key)
    text = inputs["__provider"]
    assert outputs["__provider"] == text
    assert b"alicloud_cdn_refresh.pulumi_resources" in base64.b64decode(text)

    # as pulumi.dynamic's get_provider does it (pulumi/dynamic/__main__.py)
    provider = _deserialize(lambda: dill.loads(base64.b64decode(text)))
    assert type(provider) is PROVIDERS[key]
    assert isinstance(provider, dynamic.ResourceProvider)
    assert vars(provider) == {}
    assert serialized_provider(PROVIDERS[key]()) == text  # a stack deployed today stores the same text


# --------------------------------------------------------------------------- the protocol


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


@pytest.mark.parametrize("key", KEYS)
def test_unchanged_stored_inputs_diff_none_without_any_api_call(rig: Rig, key: str) -> None:
    id_, inputs, outputs = stored(key)
    before = rig.served()
    news, failures = rig.host.check(URNS[key], inputs, inputs)
    assert failures == []
    assert news == inputs
    diff = rig.host.diff(URNS[key], id_, outputs, news)
    assert diff.changes == diff.DIFF_NONE
    assert list(diff.replaces) == []
    assert rig.served() == before


@pytest.mark.parametrize("key", KEYS)
def test_a_changed_trigger_replaces_the_stored_resource(rig: Rig, key: str) -> None:
    id_, inputs, outputs = stored(key)
    news, failures = rig.host.check(URNS[key], inputs, {**inputs, "triggers": {"v": "2"}})
    assert failures == []
    diff = rig.host.diff(URNS[key], id_, outputs, news)
    assert diff.changes == diff.DIFF_SOME
    assert list(diff.replaces) == ["triggers"]


@pytest.mark.parametrize("key", KEYS)
def test_update_of_the_stored_resource_keeps_its_outputs_without_any_api_call(rig: Rig, key: str) -> None:
    id_, inputs, outputs = stored(key)
    news, failures = rig.host.check(
        URNS[key], inputs, {**inputs, "timeoutSeconds": 60, "failOnFailed": False}
    )
    assert failures == []
    diff = rig.host.diff(URNS[key], id_, outputs, news)
    assert diff.changes == diff.DIFF_SOME
    assert list(diff.replaces) == []
    before = rig.served()
    updated = rig.host.update(URNS[key], id_, outputs, news)
    assert rig.served() == before
    assert updated == {**outputs, "timeoutSeconds": 60, "failOnFailed": False}
    assert updated["__provider"] == inputs["__provider"]


def test_read_refreshes_the_stored_tasks(rig: Rig) -> None:
    # The API has forgotten the task (they expire after 3 days): the stored state is kept.
    for key in KEYS:
        id_, inputs, outputs = stored(key)
        before = rig.emulator.requests_served["DescribeRefreshTaskById"]
        read_id, read_outs, read_inputs = rig.host.read(URNS[key], id_, outputs, inputs)
        assert rig.emulator.requests_served["DescribeRefreshTaskById"] == before + 1  # it did ask
        assert (read_id, read_outs, read_inputs) == (id_, outputs, inputs)

    # The API knows the stored task id: its current state comes back, the other path keeps its own.
    path_a, path_b = STATE["cacheRefresh"]["inputs"]["objectPaths"]
    rig.emulator.seed_task(path_a, task_id=TASK_ID, status="Refreshing", process=40)
    for key in KEYS:
        id_, inputs, outputs = stored(key)
        before = rig.emulator.requests_served["DescribeRefreshTaskById"]
        read_id, read_outs, read_inputs = rig.host.read(URNS[key], id_, outputs, inputs)
        assert rig.emulator.requests_served["DescribeRefreshTaskById"] == before + 1
        assert read_id == id_
        assert read_inputs == inputs
        by_path = {task["objectPath"]: task for task in read_outs["tasks"]}
        assert (by_path[path_a]["taskId"], by_path[path_a]["status"], by_path[path_a]["process"]) == (
            TASK_ID,
            "Refreshing",
            40,
        )
        assert by_path[path_b] == outputs["tasks"][1]
        assert without_provider(read_outs) == without_provider({**outputs, "tasks": read_outs["tasks"]})


@pytest.mark.parametrize("key", KEYS)
def test_delete_of_the_stored_resource_succeeds_without_any_api_call(rig: Rig, key: str) -> None:
    id_, _, outputs = stored(key)
    before = rig.served()
    rig.host.delete(URNS[key], id_, outputs)
    assert rig.served() == before
