"""Issue 15's Pulumi part in the dynamic face: ``product`` (``cdn`` default, ``dcdn``) on CacheRefresh,
RefreshWait and the data source; a change replaces; the DCDN API is the one called.

Over the real dynamic-provider protocol (``python -m pulumi.dynamic``, the engine rig) for the
resources, under ``set_mocks`` for the data source; one emulator serves both products at one
address (separate task stores), named by the ``cdn`` and ``dcdn`` entries of ``alicloud:endpoints``.
The plugin's side of the same input: ``tests/plugin/test_plugin_resources.py``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from alicloud_cdn_refresh.products import Action, DcdnAction
from alicloud_cdn_refresh.pulumi.data_source import get_refresh_tasks
from alicloud_cdn_refresh.pulumi_resources import CACHE_REFRESH_ENUMS, CacheRefresh
from pulumi_mocks import ProgramMocks, resolve, use_mocks
from pulumi_protocol_rig import SECRET, Rig, start_rig, urn

A = "http://www.example.com"
CACHE_URN = urn("CacheRefresh", "product")
WAIT_URN = urn("RefreshWait", "product")


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    yield from start_rig(tmp_path_factory.mktemp("home"))


def test_product_is_an_enum_of_cache_refresh_with_both_products() -> None:
    assert CACHE_REFRESH_ENUMS["product"] == ("cdn", "dcdn")


@pytest.mark.parametrize("urn_", [CACHE_URN, WAIT_URN])
def test_check_takes_either_product_in_any_case_and_refuses_others(rig: Rig, urn_: str) -> None:
    provider = rig.cache_provider if urn_ == CACHE_URN else rig.wait_provider
    news = {"__provider": provider, "objectPaths": [f"{A}/p.txt"]}
    inputs, failures = rig.host.check(urn_, {}, {**news, "product": "DCDN"})
    assert failures == []
    assert inputs["product"] == "dcdn"
    inputs, failures = rig.host.check(urn_, {}, news)
    assert failures == []
    assert "product" not in inputs  # absent means cdn; state stored before `product` checks unchanged
    _, failures = rig.host.check(urn_, {}, {**news, "product": "esa"})
    assert failures == [("product", "product: must be one of cdn, dcdn; got 'esa'")]


def test_a_dcdn_cache_refresh_submits_to_dcdn_and_waits_there(rig: Rig) -> None:
    path = f"{A}/dcdn/{uuid.uuid4().hex}.js"
    cdn_submits = rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES]
    inputs, failures = rig.host.check(
        CACHE_URN,
        {},
        {"__provider": rig.cache_provider, "objectPaths": [path], "product": "dcdn", "timeoutSeconds": 30},
    )
    assert failures == []
    _, outs = rig.host.create(CACHE_URN, inputs)
    assert outs["product"] == "dcdn"
    assert [task["status"] for task in outs["tasks"]] == ["Complete"]
    assert rig.emulator.requests_served[DcdnAction.REFRESH_OBJECT_CACHES] >= 1
    assert rig.emulator.requests_served[Action.REFRESH_OBJECT_CACHES] == cdn_submits
    assert [task.object_path for task in rig.emulator.tasks(product="dcdn")].count(path) == 1
    assert path not in [task.object_path for task in rig.emulator.tasks(product="cdn")]


def test_a_dcdn_refresh_wait_waits_on_dcdn_tasks(rig: Rig) -> None:
    path = f"{A}/dcdn/{uuid.uuid4().hex}.html"
    task_id = rig.emulator.seed_task(path, status="Complete", product="dcdn")
    inputs, _ = rig.host.check(
        WAIT_URN,
        {},
        {"__provider": rig.wait_provider, "taskIds": [task_id], "product": "dcdn", "timeoutSeconds": 30},
    )
    _, outs = rig.host.create(WAIT_URN, inputs)
    assert [(task["taskId"], task["objectPath"]) for task in outs["tasks"]] == [(task_id, path)]


@pytest.mark.parametrize(
    ("old", "new", "replaces"),
    [
        (None, "cdn", []),  # state stored before `product`: the default, no change
        ("cdn", None, []),
        ("cdn", "CDN", []),
        ("cdn", "dcdn", ["product"]),
        (None, "dcdn", ["product"]),
    ],
)
def test_a_change_of_product_replaces_and_the_default_is_no_change(
    rig: Rig, old: str | None, new: str | None, replaces: list[str]
) -> None:
    base = {"__provider": rig.cache_provider, "objectPaths": [f"{A}/x.txt"], "operation": "refresh"}
    olds = {**base, **({} if old is None else {"product": old})}
    news = {**base, **({} if new is None else {"product": new})}
    for urn_ in (CACHE_URN, WAIT_URN):
        diff = rig.host.diff(urn_, "id", olds, news)
        assert list(diff.replaces) == replaces
        assert (diff.changes == diff.DIFF_SOME) == bool(replaces)


def test_the_data_source_queries_the_product_it_names(rig: Rig) -> None:
    path = f"{A}/dcdn/{uuid.uuid4().hex}.css"
    dcdn_id = rig.emulator.seed_task(path, status="Complete", product="dcdn")
    config = {
        "alicloud:accessKey": "testid",
        "alicloud:secretKey": SECRET,
        "alicloud:endpoints": json.dumps([{"cdn": rig.url, "dcdn": rig.url}]),
    }
    use_mocks(ProgramMocks(config), config)
    found = get_refresh_tasks(object_path=path, product="dcdn")
    assert (found.ids, found.product) == ([dcdn_id], "dcdn")
    assert found.page_size == 50  # DCDN's largest page (CDN's is 100)
    assert get_refresh_tasks(object_path=path).ids == []  # CDN's store has no such task
    assert get_refresh_tasks(object_path=path).product == "cdn"
    with pytest.raises(ValueError, match="product: must be one of cdn, dcdn"):
        get_refresh_tasks(object_path=path, product="esa")


def test_a_program_declaring_a_dcdn_cache_refresh_runs_its_provider_against_dcdn(rig: Rig) -> None:
    path = f"{A}/dcdn/{uuid.uuid4().hex}.png"
    config = {
        "alicloud:accessKey": "testid",
        "alicloud:secretKey": SECRET,
        "alicloud:endpoints": json.dumps([{"cdn": rig.url, "dcdn": rig.url}]),
    }
    mocks = ProgramMocks(config)
    use_mocks(mocks, config)
    result = resolve(
        lambda: CacheRefresh("dcdn", object_paths=[path], product="dcdn", timeout_seconds=30).tasks.apply(
            lambda tasks: [(task.object_path, task.status) for task in tasks]
        )
    )
    assert result["value"] == [(path, "Complete")]
    assert mocks.outputs["dcdn"]["product"] == "dcdn"
    assert [task.object_path for task in rig.emulator.tasks(product="dcdn")].count(path) == 1
