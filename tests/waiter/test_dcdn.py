"""wait_for_refresh, unchanged, with a DCDN client: the product's actions and its page size of 50.

Reference: describedcdnrefreshtasks (https://www.alibabacloud.com/help/en/edge-security-acceleration/
dcdn/developer-reference/api-dcdn-2018-01-15-describedcdnrefreshtasks, Sep 2025): PageSize at most
50, 5 calls a second.
"""

from __future__ import annotations

import math

import httpx
import pytest

from alicloud_cdn_refresh import products
from alicloud_cdn_refresh.errors import RefreshFailed
from alicloud_cdn_refresh.models import TaskStatus
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from waiter_helpers import make_rig

A = "http://a.example.com"
D = products.DcdnAction


def _rig(page_sizes: list[str], **kwargs):
    def hook(action: str, request: httpx.Request) -> None:
        if action == D.DESCRIBE_REFRESH_TASKS:
            page_sizes.append(request.url.params.get("PageSize", ""))

    return make_rig(hook=hook, client_kwargs={"product": "dcdn"}, **kwargs)


def test_submitted_dcdn_refreshes_are_waited_for_with_dcdn_calls_only():
    sizes: list[str] = []
    rig = _rig(sizes, complete_after=30)
    since = rig.clock.now()
    ids = rig.client.refresh_object_caches([f"{A}/1.js", f"{A}/2.js"])
    tasks = wait_for_refresh([f"{A}/2.js", f"{A}/1.js"], since=since, client=rig.client)
    assert [t.object_path for t in tasks] == [f"{A}/2.js", f"{A}/1.js"]
    assert all(t.status is TaskStatus.COMPLETE for t in tasks)
    assert {t.task_id for t in tasks} == set(ids)
    assert set(rig.calls) <= set(products.DCDN.actions.values())
    assert set(sizes) == {"50"}
    assert rig.emulator.tasks() == []  # nothing reached CDN's side


def test_a_busy_dcdn_domain_is_listed_50_a_page():
    sizes: list[str] = []
    rig = _rig(sizes, complete_after=30)
    since = rig.clock.now()
    paths = [f"{A}/{i:03d}.js" for i in range(120)]
    for path in paths:  # one id each: the waiter lists the domain
        rig.emulator.seed_task(path, product="dcdn")
    rig.calls.clear()
    per_round: list[int] = []

    def on_progress(_progress: object) -> None:
        per_round.append(rig.calls[D.DESCRIBE_REFRESH_TASKS] - sum(per_round))

    tasks = wait_for_refresh(paths, since=since, client=rig.client, on_progress=on_progress)
    assert len(tasks) == 120
    assert all(t.status.is_complete for t in tasks)
    assert set(sizes) == {"50"}
    # round 1 (and every round but a last one that finds all it wants early) is one listing of
    # ceil(120 / 50) = 3 pages (CDN's would be ceil(120 / 100) = 2)
    assert per_round[0] == math.ceil(120 / 50)
    assert max(per_round) == math.ceil(120 / 50)
    assert per_round[:-1] == [math.ceil(120 / 50)] * (len(per_round) - 1)


def test_a_failed_dcdn_task_fails_the_wait():
    rig = make_rig(complete_after=10, fail_paths=r"/broken/", client_kwargs={"product": "dcdn"})
    since = rig.clock.now()
    rig.client.refresh_object_caches([f"{A}/ok.js", f"{A}/broken/x.js"])
    with pytest.raises(RefreshFailed) as info:
        wait_for_refresh([f"{A}/ok.js", f"{A}/broken/x.js"], since=since, client=rig.client)
    assert [t.object_path for t in info.value.failed] == [f"{A}/broken/x.js"]
