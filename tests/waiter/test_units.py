"""Unit tests of the waiter's pure parts: input checks, per-path state, query planning, backoff."""

from __future__ import annotations

import functools
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alicloud_cdn_refresh.errors import InvalidQuery, PendingPath, WaitTimeout
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.paths import check_paths, check_task_ids, domain_of
from alicloud_cdn_refresh.waiter.backoff import Backoff
from alicloud_cdn_refresh.waiter.plan import Listing, plan_round
from alicloud_cdn_refresh.waiter.state import NOT_CHECKED, NOT_FOUND, WaitBook, guess_type

# what wait_for_refresh applies to its object_paths and task_ids
normalize_paths = functools.partial(check_paths, parameter="object_paths")
normalize_task_ids = functools.partial(check_task_ids, parameter="task_ids")

T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def task(path, status="Complete", *, task_id="100", created=T0, process=None, kind=ObjectType.FILE, desc=""):
    status = TaskStatus(status)
    if process is None:
        process = 100 if status.is_complete or status.is_failed else 0
    return RefreshTask(task_id, path, status, process, kind, created, desc)


# --- inputs ---------------------------------------------------------------------------------------


def test_paths_keep_spelling_and_order_and_dedupe():
    paths = ["http://A.com/x", "http://a.com/x", "http://A.com/x", "b.com/dir/"]
    assert normalize_paths(paths) == ["http://A.com/x", "http://a.com/x", "b.com/dir/"]
    assert normalize_paths(None) == []


@pytest.mark.parametrize(
    "bad", [["http://a/x", ""], ["  "], ["a\nb"], ["a\tb"], [" http://a/x"], "http://a/x", [3]]
)
def test_bad_paths_name_the_parameter(bad):
    with pytest.raises(InvalidQuery) as info:
        normalize_paths(bad)
    assert info.value.parameter == "object_paths"


def test_task_ids_accept_ints_and_refuse_commas():
    assert normalize_task_ids(["1", 2, "1"]) == ["1", "2"]
    assert normalize_task_ids([" 7 "]) == ["7"]
    for bad in (["1,2"], [""], ["1 2"], ["abc"], ["١٢"], "12", [None], [True]):
        with pytest.raises(InvalidQuery) as info:
            normalize_task_ids(bad)
        assert info.value.parameter == "task_ids"


@pytest.mark.parametrize(
    ("path", "domain"),
    [
        ("http://Example.COM/a.txt", "example.com"),
        ("https://example.com:8443/d/", "example.com"),
        ("example.com/a.txt", "example.com"),
        ("/a.txt", ""),
        ("", ""),
    ],
)
def test_domain_of(path, domain):
    assert domain_of(path) == domain


def test_guess_type():
    assert guess_type("http://a.com/dir/") is ObjectType.DIRECTORY
    assert guess_type("http://a.com/f.js") is ObjectType.FILE


# --- per-path state -------------------------------------------------------------------------------


def test_newest_task_counts_and_older_never_replaces_it():
    book = WaitBook(["http://a.com/x"], [])
    old = task("http://a.com/x", "Complete", task_id="100", created=T0)
    new = task("http://a.com/x", "Refreshing", task_id="101", created=T0 + timedelta(minutes=5), process=10)
    assert book.offer(new, 0.0)
    assert not book.offer(old, 1.0)
    assert not book.done
    assert book.counts().refreshing == 1
    # same second, higher id is newer
    tie = task("http://a.com/x", "Pending", task_id="102", created=new.creation_time)
    assert book.offer(tie, 2.0)
    assert book.states["http://a.com/x"].task == tie


def test_since_excludes_older_tasks_at_second_precision():
    since = T0 + timedelta(seconds=10, microseconds=400_000)
    book = WaitBook(["http://a.com/x"], [], since=since)
    assert not book.offer(task("http://a.com/x", created=T0 + timedelta(seconds=9)), 0.0)
    assert book.not_found() == ["http://a.com/x"]
    # the API writes times to the second: a task of the same second counts
    assert book.offer(task("http://a.com/x", created=T0 + timedelta(seconds=10)), 0.0)
    assert book.done


def test_unknown_status_is_not_done_and_counts_as_pending():
    book = WaitBook(["http://a.com/x"], [])
    book.offer(task("http://a.com/x", "Timeout"), 0.0)
    assert not book.done
    assert book.counts().pending == 1
    assert book.pending() == [PendingPath("http://a.com/x", "Timeout", 0, "100")]


def test_task_ids_add_their_paths_and_rows_of_other_ids_do_not():
    book = WaitBook(["http://a.com/1"], ["7"])
    assert book.unseen_task_ids == ["7"]
    assert book.counts().pending == 2  # one path without task + one unseen id
    book.offer(task("http://a.com/2", task_id="7"), 0.0, from_task_id=True)
    book.offer(task("http://a.com/3", task_id="8"), 0.0, from_task_id=True)
    assert list(book.states) == ["http://a.com/1", "http://a.com/2"]
    assert book.unseen_task_ids == []


def test_counts_slowest_and_pending():
    book = WaitBook([f"http://a.com/{i}" for i in range(8)], [])
    book.offer(task("http://a.com/0", "Complete"), 0.0)
    book.offer(task("http://a.com/1", "Failed", desc="Origin Timeout"), 0.0)
    book.offer(task("http://a.com/2", "Refreshing", process=70), 0.0)
    book.offer(task("http://a.com/3", "Refreshing", process=20), 0.0)
    book.offer(task("http://a.com/4", "Pending"), 0.0)
    counts = book.counts()
    assert (counts.complete, counts.failed, counts.refreshing, counts.pending) == (1, 1, 2, 4)
    assert counts.total == 8
    slow = book.slowest(5)
    assert [getattr(s, "object_path", None) for s in slow] == [
        "http://a.com/5",
        "http://a.com/6",
        "http://a.com/7",
        "http://a.com/4",
        "http://a.com/3",
    ]
    assert isinstance(slow[0], PendingPath)
    # never asked about: "not checked yet" (this said NotFound before issue 17)
    assert slow[0].last_status == NOT_CHECKED
    assert len(book.pending()) == 6


def test_pending_paths_tell_not_checked_from_no_task_found():
    book = WaitBook(["http://a.com/asked", "http://a.com/never", "http://a.com/seen"], ["7", "8"])
    book.offer(task("http://a.com/seen", "Pending"), 0.0)
    assert book.pending_states() == {NOT_CHECKED: 4, "Pending": 1}
    book.mark_checked(["http://a.com/asked"], task_ids=["7"])
    pending = {(p.object_path, p.task_id): p for p in book.pending()}
    assert pending["http://a.com/asked", ""].last_status == NOT_FOUND == "NotFound"
    assert pending["http://a.com/never", ""].last_status == NOT_CHECKED == "NotChecked"
    assert pending["http://a.com/seen", "100"].last_status == "Pending"
    assert pending["", "7"].last_status == NOT_FOUND
    assert pending["", "8"].last_status == NOT_CHECKED
    assert book.pending_states() == {NOT_CHECKED: 2, NOT_FOUND: 2, "Pending": 1}
    assert book.not_checked() == ["http://a.com/never"]
    texts = [p.describe() for p in book.pending()]
    assert texts == ["no task found", "not checked yet", "Pending 0%", "no task found", "not checked yet"]
    assert [p.has_task for p in book.pending()] == [False, False, True, False, False]


def test_wait_timeout_text_tells_the_states_apart():
    error = WaitTimeout(
        [
            PendingPath("http://a.com/1", NOT_CHECKED),
            PendingPath("http://a.com/2", NOT_FOUND),
            PendingPath("http://a.com/3", "Refreshing", 40, "55"),
            PendingPath("", NOT_CHECKED, task_id="77"),
        ],
        timeout=10,
    )
    text = str(error)
    assert text.startswith("4 path(s) not Complete after 10s:\n")
    assert "  http://a.com/1: not checked yet\n" in text
    assert "  http://a.com/2: no task found\n" in text
    assert "  http://a.com/3: Refreshing 40% (task 55)\n" in text
    assert "  task 77: not checked yet\n" in text
    assert "(2 of them not checked yet: the wait ran out of time" in text
    assert "NotFound" not in text
    assert "NotChecked" not in text


def test_eta_from_observed_pace():
    book = WaitBook(["http://a.com/x", "http://a.com/y"], [])
    book.offer(task("http://a.com/x", "Refreshing", process=10), 10.0)
    book.offer(task("http://a.com/y", "Refreshing", process=50), 10.0)
    assert book.eta() is None  # no pace known yet
    book.offer(task("http://a.com/x", "Refreshing", process=30), 20.0)
    book.offer(task("http://a.com/y", "Refreshing", process=60), 20.0)
    # x: 2 %/s -> 70 (+1) % left = 35.5 s; y: 1 %/s -> 41 s; the wait ends with the slower
    assert book.eta() == pytest.approx(61.0)
    book.offer(task("http://a.com/y", "Complete"), 25.0)
    assert book.eta() == pytest.approx(55.5)


# --- planning -------------------------------------------------------------------------------------


def test_few_paths_are_asked_one_by_one():
    book = WaitBook(["http://a.com/1"], [])
    plan = plan_round(book, {})
    assert plan.per_path == ("http://a.com/1",)
    assert plan.listings == ()
    assert plan.estimated_calls == 1


def test_many_paths_on_one_domain_are_listed_by_type():
    files = [f"http://a.com/{i}.js" for i in range(250)]
    dirs = ["http://a.com/d1/", "http://a.com/d2/"]
    book = WaitBook([*files, *dirs], [])
    plan = plan_round(book, {})
    assert plan.per_path == ()
    assert {(lst.domain, lst.object_type) for lst in plan.listings} == {
        ("a.com", ObjectType.FILE),
        ("a.com", ObjectType.DIRECTORY),
    }
    by_type = {lst.object_type: lst for lst in plan.listings}
    assert len(by_type[ObjectType.FILE].wanted) == 250
    assert plan.estimated_calls == 3 + 1


def test_listing_estimate_from_history_flips_to_per_path():
    book = WaitBook([f"http://busy.com/{i}" for i in range(20)], [])
    assert plan_round(book, {}).listings
    # the last complete listing of busy.com needed 40 pages: 20 single calls are cheaper
    plan = plan_round(book, {("busy.com", ObjectType.FILE): 40})
    assert plan.listings == ()
    assert len(plan.per_path) == 20


def test_known_task_ids_are_cheaper_than_listing_when_merged():
    paths = [f"http://a.com/{i}" for i in range(1000)]
    book = WaitBook(paths, [])
    for i, path in enumerate(paths):
        book.offer(task(path, "Refreshing", task_id=str(500 + i // 200), process=5), 0.0)
    plan = plan_round(book, {})
    assert plan.by_id == ("500", "501", "502", "503", "504")
    assert plan.listings == ()
    assert plan.estimated_calls == 1


def test_one_id_per_path_lists_the_domain_instead():
    paths = [f"http://a.com/{i}" for i in range(1000)]
    book = WaitBook(paths, [])
    for i, path in enumerate(paths):
        book.offer(task(path, "Refreshing", task_id=str(500 + i), process=5), 0.0)
    plan = plan_round(book, {("a.com", ObjectType.FILE): 10})
    assert plan.by_id == ()
    assert plan.listings == (Listing("a.com", ObjectType.FILE, frozenset(paths), 100),)


def test_resolved_and_skipped_paths_are_not_asked_again():
    book = WaitBook(["http://a.com/1", "http://a.com/2", "http://b.com/3"], [])
    book.offer(task("http://a.com/1"), 0.0)
    plan = plan_round(book, {}, skip={"http://b.com/3"})
    assert plan.per_path == ("http://a.com/2",)


def test_paths_missed_by_every_listing_are_probed_a_few_at_a_time():
    # on an account whose listing needs 50 pages (a small one is listed instead: test_plan_account.py)
    paths = [f"http://a.com/{i}" for i in range(30)]
    book = WaitBook(paths, [])
    for state in book.states.values():
        state.tried_types.add(ObjectType.FILE)
    plan = plan_round(book, {}, probe_limit=5, account_pages=50)
    assert plan.per_path == tuple(paths[:5])
    assert plan.listings == ()
    # once a probe finds a preload task on the domain, listings ask for that type too
    book.offer(task(paths[0], "Refreshing", kind=ObjectType.PRELOAD, process=1), 0.0)
    plan = plan_round(book, {}, account_pages=50)
    assert [lst.object_type for lst in plan.listings] == [ObjectType.PRELOAD]


def test_paths_without_host_are_asked_by_path():
    book = WaitBook([f"/x{i}" for i in range(300)], [])
    plan = plan_round(book, {})
    assert len(plan.per_path) == 300
    assert plan.listings == ()


# --- backoff --------------------------------------------------------------------------------------


def test_backoff_doubles_to_the_cap_without_jitter():
    backoff = Backoff(2.0, 30.0, jitter=False)
    delays = []
    for _ in range(7):
        delays.append(backoff.delay(1e9))
        backoff.advance()
    assert delays == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_backoff_jitter_stays_in_band_and_never_passes_the_deadline():
    backoff = Backoff(2.0, 30.0, rng=random.Random(1))
    for _ in range(50):
        interval = backoff.interval
        delay = backoff.delay(1e9)
        assert 0.75 * interval <= delay <= interval
        backoff.advance()
    assert backoff.delay(3.5) <= 3.5
    assert backoff.delay(-1.0) == 0.0


def test_backoff_penalty_and_soonest():
    backoff = Backoff(1.0, 60.0, jitter=False)
    backoff.penalize()
    assert backoff.interval == 4.0
    assert backoff.delay(100, soonest=1.5) == 1.5
    assert backoff.delay(100, soonest=10.0) == 4.0
    for _ in range(500):
        backoff.advance()
    assert backoff.interval == 60.0


@pytest.mark.parametrize(("initial", "cap"), [(0, 1), (-1, 1), (2, 1), (1, float("inf"))])
def test_backoff_refuses_bad_bounds(initial, cap):
    with pytest.raises(ValueError, match=r"initial|cap"):
        Backoff(initial, cap)


# --- planner properties -----------------------------------------------------------------------------

_DOMAINS = ("a.com", "b.com", "")
_path = st.builds(
    lambda d, name, slash: (f"http://{d}/{name}" if d else f"/{name}") + ("/" if slash else ""),
    st.sampled_from(_DOMAINS),
    st.text("abcxyz0123", min_size=1, max_size=6),
    st.booleans(),
)
_seen = st.one_of(
    st.none(),
    st.tuples(
        st.sampled_from(["Pending", "Refreshing", "Complete", "Failed", "Timeout"]),
        st.integers(1, 40),
        st.sampled_from(list(ObjectType)[:3]),
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_path, _seen, st.booleans()), min_size=1, max_size=60),
    st.dictionaries(
        st.tuples(st.sampled_from(_DOMAINS[:2]), st.sampled_from(list(ObjectType)[:3])), st.integers(1, 50)
    ),
)
def test_every_unresolved_path_is_covered_and_resolved_ones_never(rows, pages):
    book = WaitBook([p for p, _, _ in rows], [])
    for path, seen, tried in rows:
        if seen is not None:
            status, task_id, kind = seen
            book.offer(task(path, status, task_id=str(task_id), kind=kind), 0.0)
        if tried:
            book.states[path].tried_types.add(guess_type(path))
    plan = plan_round(book, pages, probe_limit=1_000_000)
    asked_ids = set(plan.by_id)
    listed = {(lst.domain, p) for lst in plan.listings for p in lst.wanted}
    account = plan.account.wanted if plan.account is not None else frozenset()  # issue 17
    for state in book.states.values():
        asked_directly = (
            state.path in plan.per_path or (state.domain, state.path) in listed or state.path in account
        )
        by_id = state.task is not None and state.task.task_id in asked_ids
        if state.resolved:
            assert not asked_directly, state  # (its id may be asked for another path of it)
        else:
            assert asked_directly or by_id, state
    assert len(plan.per_path) == len(set(plan.per_path))
    assert all(lst.domain for lst in plan.listings)
    assert plan.estimated_calls <= len(book.states) + len(plan.listings) * 50
