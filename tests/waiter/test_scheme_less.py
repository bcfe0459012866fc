"""Paths submitted without their scheme (``example.com/a.png``, the reference's example form).

The reference never says how DescribeRefreshTasks reports such a path back, so the waiter's book
counts a row in either form (with or without ``http://``) for the waited path, listings match rows
through it, and a query by ObjectPath asks as given, then with ``http://``; the emulator can report
either (``Emulator(scheme_less=...)``).
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone

import httpx
import pytest

from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.paths import path_forms, reported_forms
from alicloud_cdn_refresh.waiter.loop import wait_for_refresh
from alicloud_cdn_refresh.waiter.plan import PER_DOMAIN, PER_PATH, Listing, path_calls, plan_round
from alicloud_cdn_refresh.waiter.rounds import Rounds
from alicloud_cdn_refresh.waiter.state import NOT_CHECKED, NOT_FOUND, WaitBook
from waiter_helpers import BY_ID, LIST, make_rig

WHEN = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def _object_path(request: httpx.Request) -> str | None:
    return request.url.params.get("ObjectPath")


def _task(path: str, task_id: str = "7") -> RefreshTask:
    return RefreshTask(task_id, path, TaskStatus.COMPLETE, 100, ObjectType.FILE, WHEN)


def test_the_book_counts_a_row_in_either_form_for_the_waited_path():
    book = WaitBook(["a.example.com/x.png", "http://b.example.com/y.png", "https://c.example.com/z"], [])
    assert book.offer(_task("http://a.example.com/x.png"), 1.0)
    assert book.offer(_task("b.example.com/y.png"), 1.0)
    assert not book.offer(_task("c.example.com/z"), 1.0)  # https has one form
    assert book.key_for("http://a.example.com/x.png") == "a.example.com/x.png"
    assert [t.object_path for t in book.tasks()] == ["http://a.example.com/x.png", "b.example.com/y.png"]
    assert list(book.states) == [
        "a.example.com/x.png",
        "http://b.example.com/y.png",
        "https://c.example.com/z",
    ]
    assert book.not_found() == ["https://c.example.com/z"]


def test_rows_of_task_ids_in_the_other_form_resolve_the_waited_path_not_a_new_one():
    book = WaitBook(["a.example.com/x.png"], ["7"])
    assert book.offer(_task("http://a.example.com/x.png"), 1.0, from_task_id=True)
    assert list(book.states) == ["a.example.com/x.png"]
    assert book.done


def test_reported_as_submitted_the_wait_completes_by_paths():
    rig = make_rig(complete_after=20)
    since = rig.clock.now()
    rig.client.refresh_object_caches(["a.example.com/x.png", "a.example.com/y.png"])
    tasks = wait_for_refresh(["a.example.com/x.png", "a.example.com/y.png"], client=rig.client, since=since)
    assert [t.object_path for t in tasks] == ["a.example.com/x.png", "a.example.com/y.png"]
    assert all(t.status.is_complete for t in tasks)


def test_reported_with_http_the_wait_completes_by_task_ids_and_paths():
    rig = make_rig(complete_after=20, scheme_less="http")
    since = rig.clock.now()
    ids = rig.client.refresh_object_caches(["a.example.com/x.png"])
    tasks = wait_for_refresh(["a.example.com/x.png"], task_ids=ids, client=rig.client, since=since)
    assert [t.object_path for t in tasks] == ["http://a.example.com/x.png"]
    assert tasks[0].status.is_complete


def test_reported_with_http_the_wait_completes_by_paths_alone():
    rig = make_rig(complete_after=20, scheme_less="http")
    since = rig.clock.now()
    rig.client.refresh_object_caches(["a.example.com/x.png"])
    rig.calls.clear()
    tasks = wait_for_refresh(
        ["a.example.com/x.png"],
        client=rig.client,
        since=since,
        timeout=120,
        not_found_grace=30,
        on_progress=rig.reports.append,
    )
    assert [t.object_path for t in tasks] == ["http://a.example.com/x.png"]
    assert tasks[0].status.is_complete
    # round 1 lists the domain (1 page < 2 calls by path, one per spelling), then by id
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1
    assert rig.reports[0].plan.chosen == PER_DOMAIN


# --- the book: which spellings a per-path query asks ----------------------------------------------------


def test_reported_forms_add_http_to_a_path_without_its_scheme_and_nothing_to_a_url():
    assert reported_forms("a.example.com/x.png") == ("a.example.com/x.png", "http://a.example.com/x.png")
    assert reported_forms("http://a.example.com/x.png") == ("http://a.example.com/x.png",)
    assert reported_forms("https://a.example.com/x.png") == ("https://a.example.com/x.png",)
    assert reported_forms("/local") == ("/local",)
    # every reported spelling is one the book matches
    for path in ("a.example.com/x.png", "http://a.example.com/x.png", "/local"):
        assert set(reported_forms(path)) <= set(path_forms(path))


def test_a_path_without_a_task_is_asked_in_each_spelling_the_callers_first():
    book = WaitBook(["a.example.com/x.png", "http://b.example.com/y.png", "https://c.example.com/z"], [])
    states = book.states
    assert states["a.example.com/x.png"].query_forms == ("a.example.com/x.png", "http://a.example.com/x.png")
    # submitted with a scheme: reported with it (rows without it still count, test above)
    assert states["http://b.example.com/y.png"].query_forms == ("http://b.example.com/y.png",)
    assert states["https://c.example.com/z"].query_forms == ("https://c.example.com/z",)
    # once its task is known, only the spelling the task was reported in
    book.offer(_task("http://a.example.com/x.png"), 1.0)
    assert states["a.example.com/x.png"].query_forms == ("http://a.example.com/x.png",)
    book.offer(_task("b.example.com/y.png", task_id="8"), 1.0)
    assert states["http://b.example.com/y.png"].query_forms == ("b.example.com/y.png",)


# --- the planner: paths in the caller's spelling, every spelling costed ------------------------------


def test_the_planner_asks_in_the_callers_spelling_and_costs_every_spelling():
    book = WaitBook(["a.example.com/x.png", "http://b.example.com/y.png"], [])
    busy = {("a.example.com", ObjectType.FILE): 3, ("b.example.com", ObjectType.FILE): 3}
    plan = plan_round(book, busy, account_listing=False)
    assert plan.per_path == ("a.example.com/x.png", "http://b.example.com/y.png")
    assert [path_calls(book.states[p]) for p in plan.per_path] == [2, 1]
    assert plan.estimated_calls == 3
    option = plan.choice.options[0]
    assert (option.name, option.calls, option.detail) == (PER_PATH, 3, "2 by path, 0 id(s) by id")
    # its task known (reported with http://): one call in that spelling
    book.offer(_task("http://a.example.com/x.png", task_id="7"), 1.0)
    assert path_calls(book.states["a.example.com/x.png"]) == 1
    # without a page history one listing page (< 2 calls) asks for a lone path without its scheme
    plan = plan_round(WaitBook(["a.example.com/x.png"], []), {}, account_listing=False)
    assert plan.listings == (
        Listing("a.example.com", ObjectType.FILE, frozenset({"a.example.com/x.png"}), 2),
    )


def test_two_calls_a_path_make_a_domain_listing_win_sooner():
    # 2 paths of a domain without a scheme: 4 calls by path > 1 listing page
    paths = ["a.example.com/1.png", "a.example.com/2.png"]
    plan = plan_round(WaitBook(paths, []), {("a.example.com", ObjectType.FILE): 3}, account_listing=False)
    assert plan.listings == (Listing("a.example.com", ObjectType.FILE, frozenset(paths), 4),)
    assert plan.per_path == ()
    # the same two with http://: 2 calls by path < 3 pages
    urls = [f"http://{p}" for p in paths]
    plan = plan_round(WaitBook(urls, []), {("a.example.com", ObjectType.FILE): 3}, account_listing=False)
    assert plan.per_path == tuple(urls)
    files = [f"a.example.com/{i}.png" for i in range(250)]
    plan = plan_round(WaitBook(files, []), {}, account_listing=False)
    assert plan.listings == (Listing("a.example.com", ObjectType.FILE, frozenset(files), 500),)
    assert plan.estimated_calls == 3


# --- the loop against the emulator ---------------------------------------------------------------------


def test_a_domain_listing_matches_rows_reported_in_the_other_spelling():
    rig = make_rig(complete_after=20)  # reported as submitted
    since = rig.clock.now()
    rig.client.refresh_object_caches(["a.example.com/1.png", "http://a.example.com/2.png"])
    rig.calls.clear()
    waited = ["http://a.example.com/1.png", "a.example.com/2.png"]
    tasks = wait_for_refresh(waited, client=rig.client, since=since, on_progress=rig.reports.append)
    # the caller's order; each task as the service reports it
    assert [t.object_path for t in tasks] == ["a.example.com/1.png", "http://a.example.com/2.png"]
    assert all(t.status.is_complete for t in tasks)
    assert rig.calls[LIST] == 1  # one page for both (< 2 calls by path)
    assert rig.calls[BY_ID] == rig.rounds - 1


def test_many_paths_reported_with_http_are_found_by_one_listing():
    rig = make_rig(complete_after=20, scheme_less="http")
    since = rig.clock.now()
    paths = [f"a.example.com/{i}.png" for i in range(30)]
    rig.client.refresh_object_caches(paths)
    rig.calls.clear()
    tasks = wait_for_refresh(paths, client=rig.client, since=since, on_progress=rig.reports.append)
    assert [t.object_path for t in tasks] == [f"http://{p}" for p in paths]
    assert all(t.status.is_complete for t in tasks)
    assert rig.calls[LIST] == 1
    assert rig.calls[BY_ID] == rig.rounds - 1


def _rounds_asking_by_path(form: str, hook):
    """A rig whose domain lists in 3 pages, so that one round asks a path by path; ``hook`` sees
    every DescribeRefreshTasks request."""
    rig = make_rig(
        complete_after=20,
        scheme_less=form,
        hook=lambda action, request: hook(action, request) if action == LIST else None,
    )
    book = WaitBook(["a.example.com/x.png"], [])
    rounds = Rounds(rig.client, rig.clock, book, planner=functools.partial(plan_round, account_listing=False))
    rounds.pages[("a.example.com", ObjectType.FILE)] = 3
    return rig, book, rounds


@pytest.mark.parametrize(
    ("form", "spellings"),
    [("keep", ["a.example.com/x.png"]), ("http", ["a.example.com/x.png", "http://a.example.com/x.png"])],
)
def test_by_path_the_http_spelling_is_asked_in_the_same_round_only_when_needed(form, spellings):
    asked: list[str | None] = []
    rig, book, rounds = _rounds_asking_by_path(
        form, lambda action, request: asked.append(_object_path(request))
    )
    rig.client.refresh_object_caches(["a.example.com/x.png"])
    outcome = rounds.run(1)
    assert asked == spellings
    assert (outcome.calls, outcome.plan.estimated_calls, outcome.sweep_complete) == (len(spellings), 2, True)
    state = book.states["a.example.com/x.png"]
    assert state.task is not None
    assert state.task.object_path == spellings[-1]
    assert state.checked


def test_a_path_never_refreshed_is_checked_once_both_spellings_were_asked():
    asked: list[str | None] = []
    _rig, book, rounds = _rounds_asking_by_path(
        "keep", lambda action, request: asked.append(_object_path(request))
    )
    outcome = rounds.run(1)
    assert asked == ["a.example.com/x.png", "http://a.example.com/x.png"]
    assert outcome.calls == 2
    assert book.pending_states() == {NOT_FOUND: 1}


def test_a_cut_between_the_spellings_leaves_the_path_to_the_next_round():
    asked: list[str | None] = []
    rigs = []

    def hook(action: str, request: httpx.Request) -> None:
        asked.append(_object_path(request))
        if len(asked) == 2:  # the second spelling, and its retries, are throttled
            rigs[0].emulator.fail_next("Throttling", action=LIST, times=10)

    rig, book, rounds = _rounds_asking_by_path("keep", hook)
    rigs.append(rig)
    outcome = rounds.run(1)
    assert asked[:2] == ["a.example.com/x.png", "http://a.example.com/x.png"]
    assert outcome.cut == ["Throttling"]
    assert book.pending_states() == {NOT_CHECKED: 1}
    assert "a.example.com/x.png" not in rounds.asked  # the next round asks it again
