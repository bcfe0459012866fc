"""Secret inputs stay secret in the stored outputs, end to end (issue 12 point 7).

The engine sends ``python -m pulumi.dynamic`` plain values (it does not accept secrets), so the
provider's outputs repeat a secret path in plain text in ``tasks[].objectPath``; the engine keeps an
output secret when a secret input has its name, or when the resource lists it in
``additionalSecretOutputs``. The program (under the mocks) registers the list; the provider (over
the protocol) makes the outputs; the engine's rule (``pulumi_deploys.engine_outputs``) joins them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from alicloud_cdn_refresh import CacheRefresh, RefreshWait
from pulumi_deploys import engine_outputs, plain_parts
from pulumi_mocks import ProgramMocks, resolve, use_mocks
from pulumi_protocol_rig import Rig, start_rig, urn

A = "http://www.example.com"


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def registered_secret_outputs(make: Any) -> list[str]:
    """The ``additionalSecretOutputs`` a program registers for one resource (a preview: no create)."""
    monitor = use_mocks(ProgramMocks({}, preview=True), {}, preview=True)
    resolve(lambda: make() and 1)
    return monitor.secret_outputs["r"]


@pytest.mark.parametrize("kind", ["CacheRefresh", "RefreshWait"])
def test_a_secret_path_is_in_no_plain_output_of_the_stored_state(rig: Rig, kind: str) -> None:
    path = f"{A}/secret/{uuid.uuid4().hex}.html"
    if kind == "RefreshWait":
        rig.emulator.seed_task(path, status="Complete")
        make = lambda: RefreshWait("r", object_paths=[pulumi.Output.secret(path)])  # noqa: E731
        provider = rig.wait_provider
    else:
        make = lambda: CacheRefresh("r", object_paths=pulumi.Output.secret([path]))  # noqa: E731
        provider = rig.cache_provider
    additional = registered_secret_outputs(make)
    assert "tasks" in additional

    resource_urn = urn(kind, f"secret-{uuid.uuid4().hex[:6]}")
    inputs, _ = rig.host.check(
        resource_urn, {}, {"__provider": provider, "objectPaths": [path], "timeoutSeconds": 30}
    )
    _, outputs = rig.host.create(resource_urn, inputs)
    assert path in json.dumps(outputs["tasks"])  # what the provider returns: plain, as it must

    stored = engine_outputs(outputs, {"objectPaths"}, additional)
    assert path not in json.dumps(plain_parts(stored))
    assert stored["tasks"]["secret"][0]["objectPath"] == path
    assert stored["tasks"]["secret"][0]["status"] == "Complete"


def test_without_the_list_the_path_would_be_stored_in_plain_text(rig: Rig) -> None:
    path = f"{A}/secret/{uuid.uuid4().hex}.html"
    resource_urn = urn("CacheRefresh", "secret-control")
    inputs, _ = rig.host.check(
        resource_urn, {}, {"__provider": rig.cache_provider, "objectPaths": [path], "timeoutSeconds": 30}
    )
    _, outputs = rig.host.create(resource_urn, inputs)
    assert path in json.dumps(plain_parts(engine_outputs(outputs, {"objectPaths"}, [])))
