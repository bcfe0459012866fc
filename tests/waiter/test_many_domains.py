"""The waiter across many domains against the emulator (issue 17): account listings, honest states,
throttled listings that go on where they stopped, rounds that say they cannot finish in time."""

from __future__ import annotations

import pytest

from alicloud_cdn_refresh.client.retry import RetryPolicy
from alicloud_cdn_refresh.errors import WaitTimeout
from alicloud_cdn_refresh.models import ObjectType
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from waiter_helpers import BY_ID, LIST, make_rig


def _wait(rig, paths=None, **kwargs):
    kwargs.setdefault("client", rig.client)
    kwargs.setdefault("on_progress", rig.reports.append)
    return wait_for_refresh(paths, **kwargs)


def test_timeout_before_every_path_was_asked_says_not_checked_never_not_found():
    # issue 17: 300 paths on 300 domains, 10 s: every path has a task, and none may be
    # reported as NotFound just because the deadline came before it was asked about
    rig = make_rig(complete_after=300)
    since = rig.clock.now()
    paths = [f"http://d{i}.example.com/p.js" for i in range(300)]
    for path in paths:
        rig.client.refresh_object_caches([path])
    with pytest.raises(WaitTimeout) as info:
        _wait(rig, paths, since=since, timeout=10)
    pending = info.value.pending
    assert [p.object_path for p in pending] == paths
    assert not [p for p in pending if p.last_status == "NotFound"]
    assert all(p.has_task or p.last_status == "NotChecked" for p in pending)
    assert "NotFound" not in str(info.value)
    states = rig.reports[-1].pending_states
    assert sum(states.values()) == 300
    assert "NotFound" not in states
    # since issue 17 one account listing (3 pages) asks about all of them in the first round
    assert rig.reports[0].plan.chosen == "account listing"
    assert "NotChecked" not in states


def _submit_per_domain(rig, domains, per_domain):
    paths = [f"http://d{d}.example.com/a/{i}.js" for d in range(domains) for i in range(per_domain)]
    for d in range(domains):
        rig.client.refresh_object_caches(paths[d * per_domain : (d + 1) * per_domain])
    return paths


def test_five_hundred_domains_are_listed_account_wide_a_few_pages_a_round():
    rig = make_rig(complete_after=60, quotas=False)
    since = rig.clock.now()
    paths = _submit_per_domain(rig, 500, 1)
    rig.calls.clear()
    started = rig.clock.monotonic()
    tasks = _wait(rig, paths, since=since)
    assert len(tasks) == 500
    assert all(t.status.is_complete for t in tasks)
    first = rig.reports[0]
    assert first.plan.chosen == "account listing"
    assert first.calls == 5
    assert not first.round_incomplete
    assert first.pending_states.get("NotChecked", 0) == 0
    assert first.elapsed < 10  # was 127.6 s: one call per path at 5/s
    # every round lists the account: ceil(500 / 100) pages, + 1 should tasks shift a page
    # (or by id, once few enough paths are left that their ids are cheaper: the backoff's jitter decides)
    assert all(r.calls <= 5 + 1 for r in rig.reports)
    assert all(r.plan.calls == min(o.calls for o in r.plan.options) for r in rig.reports)
    assert rig.calls[BY_ID] <= 5
    assert rig.clock.monotonic() - started < 60 + 30


def test_a_throttled_account_listing_goes_on_from_the_page_that_failed():
    holder = {"pages": []}

    def hook(action, request):
        if action == LIST:
            holder["pages"].append(int(request.url.params.get("PageNumber", 1)))
            if len(holder["pages"]) == 3:  # another tool takes the account's whole budget
                for _ in range(100):
                    holder["rig"].emulator.qps.admit("testid", LIST)

    rig = make_rig(complete_after=60, quotas=False, hook=hook, client_kwargs={"retry": RetryPolicy.never()})
    holder["rig"] = rig
    since = rig.clock.now()
    paths = _submit_per_domain(rig, 500, 1)
    holder["pages"].clear()
    _wait(rig, paths, since=since)
    first, second = rig.reports[:2]
    assert first.round_incomplete
    assert first.incomplete_reason == "Throttling"
    assert first.calls == 3
    assert 0 < first.pending_states["NotChecked"] < 500  # pages 1 and 2 were kept
    assert not second.round_incomplete
    assert second.calls == 3  # pages 3, 4 and 5: not 1 and 2 again
    assert second.not_checked == 0
    assert holder["pages"][:6] == [1, 2, 3, 3, 4, 5]


def test_a_round_that_cannot_finish_before_the_deadline_says_so():
    rig = make_rig(complete_after=600, quotas=False)
    since = rig.clock.now()
    paths = _submit_per_domain(rig, 60, 1)
    rig.clock.advance(2)
    for i in range(0, 10_000, 1000):  # 10,000 newer tasks of others: the account listing is dear
        rig.emulator.store.submit(
            [f"http://other.example.com/{j}" for j in range(i, i + 1000)], ObjectType.FILE
        )
    rig.calls.clear()
    with pytest.raises(WaitTimeout) as info:
        _wait(rig, paths, since=since, timeout=5)
    first, second = rig.reports[:2]
    # round 1: the account listing's first page shows 101 pages > 60 by path: it stops
    assert first.plan.chosen == "account listing"
    assert first.round_incomplete
    assert "account listing over budget" in first.incomplete_reason
    assert first.calls == 1
    # round 2 (at once): 60 calls by path at 5/s do not fit in the ~7 s left (the 5 s deadline
    # plus the 2 s a round under way may take), and it says so; the estimate was right
    assert second.plan.chosen == "per path/by id"
    assert second.calls_needed == 60
    assert 30 <= second.calls_possible <= 36
    assert second.shortfall == second.calls_needed - second.calls_possible
    assert abs(second.calls - second.calls_possible) <= 1
    assert second.incomplete_reason == "deadline"
    assert rig.reports[-1].done
    pending = info.value.pending
    unchecked = [p for p in pending if p.last_status == "NotChecked"]
    assert len(unchecked) == second.not_checked
    assert 20 <= len(unchecked) <= 30
    assert all(p.has_task for p in pending if p not in unchecked)
    assert f"({len(unchecked)} of them not checked yet" in str(info.value)


def test_the_plan_is_logged_at_debug_with_the_plan_object(caplog):
    rig = make_rig(complete_after=10, quotas=False)
    since = rig.clock.now()
    paths = _submit_per_domain(rig, 30, 1)
    caplog.set_level("DEBUG", logger="alicloud_cdn_refresh.waiter")
    _wait(rig, paths, since=since)
    records = [r for r in caplog.records if hasattr(r, "wait_plan")]
    assert len(records) == rig.rounds
    assert records[0].name == "alicloud_cdn_refresh.waiter"
    assert records[0].wait_plan.chosen == "account listing"
    message = records[0].getMessage()
    assert "round 1 plan: account listing ~1 call(s) for 30 path(s) on 30 domain(s)" in message
