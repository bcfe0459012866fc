"""Unit tests of the planner's account-wide listing (issue 17): when it wins, what it costs, resuming."""

from __future__ import annotations

from datetime import datetime, timezone

from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.waiter.plan import (
    ACCOUNT_KEY,
    ACCOUNT_LISTING,
    PER_DOMAIN,
    PER_PATH,
    Listing,
    account_floor,
    plan_round,
)
from alicloud_cdn_refresh.waiter.state import WaitBook

T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def task(path, status="Complete", *, task_id="100", process=0):
    return RefreshTask(task_id, path, TaskStatus(status), process, ObjectType.FILE, T0, "")


def test_paths_missed_by_the_file_listing_are_found_by_one_account_listing():
    paths = [f"http://a.com/{i}" for i in range(30)]
    book = WaitBook(paths, [])
    for state in book.states.values():
        state.tried_types.add(ObjectType.FILE)
    plan = plan_round(book, {("a.com", ObjectType.FILE): 1}, probe_limit=5)
    # 5 probes would ask about 5 paths; the account listing (any type) asks about all 30
    assert plan.account == Listing("", None, frozenset(paths), 5)
    assert plan.per_path == ()
    assert plan.estimated_calls == 1


MANY = [f"http://d{i}.example.com/p.js" for i in range(500)]


def test_one_path_on_each_of_many_domains_lists_the_account():
    book = WaitBook(MANY, [])
    plan = plan_round(book, {})
    assert plan.account == Listing("", None, frozenset(MANY), 500)
    assert (plan.by_id, plan.per_path, plan.listings) == ((), (), ())
    assert plan.estimated_calls == 5
    choice = plan.choice
    assert choice.chosen == ACCOUNT_LISTING
    assert [(o.name, o.calls) for o in choice.options] == [
        (PER_PATH, 500),
        (PER_DOMAIN, 500),
        (ACCOUNT_LISTING, 5),
    ]
    assert (choice.paths, choice.domains, choice.known_ids) == (500, 500, 0)
    text = choice.describe()
    assert text.startswith("account listing ~5 call(s) for 500 path(s) on 500 domain(s), 0 task id(s) known")
    assert "per domain ~500" in text
    assert "guessed at 5 page(s) (+1: not listed yet)" in text
    # the planner of before issue 17: one call per path
    old = plan_round(book, {}, account_listing=False)
    assert old.account is None
    assert len(old.per_path) == 500
    assert old.choice.chosen == PER_PATH
    assert "account listing off" in old.choice.reasons


def test_known_ids_one_per_domain_list_the_account_merged_ones_go_by_id():
    book = WaitBook(MANY, [])
    for i, path in enumerate(MANY):
        book.offer(task(path, "Refreshing", task_id=str(1000 + i), process=5), 0.0)
    plan = plan_round(book, {}, account_pages=5)
    assert plan.account is not None
    assert plan.estimated_calls == 5  # < 50 calls by id
    assert plan.choice.known_ids == 500
    merged = WaitBook(MANY, [])
    for i, path in enumerate(MANY):
        merged.offer(task(path, "Refreshing", task_id=str(1000 + i // 100), process=5), 0.0)
    plan = plan_round(merged, {}, account_pages=5)
    assert plan.account is None
    assert plan.by_id == ("1000", "1001", "1002", "1003", "1004")
    assert plan.estimated_calls == 1


def test_what_the_last_account_listing_needed_decides():
    paths = MANY[:20]
    assert plan_round(WaitBook(paths, []), {}).account is not None  # 1 page (+1) < 20
    plan = plan_round(WaitBook(paths, []), {}, account_pages=30)  # a busy account: 30 > 20
    assert plan.account is None
    assert plan.per_path == tuple(paths)
    assert [(o.name, o.calls) for o in plan.choice.options][-1] == (ACCOUNT_LISTING, 30)


def test_domain_listings_seen_make_the_account_guess_dearer():
    # 20 paths on 20 domains; one domain's listing needed 40 pages: the account has >= 3,901 tasks
    paths = MANY[:20]
    plan = plan_round(WaitBook(paths, []), {("d0.example.com", ObjectType.FILE): 40})
    assert plan.account is None
    assert len(plan.per_path) == 20
    assert account_floor(WaitBook(paths, []), {("a", ObjectType.FILE): 40, ("b", ObjectType.FILE): 1}) == 40
    assert account_floor(WaitBook(MANY, []), {("a", ObjectType.FILE): 1}) == 5


def test_a_tie_keeps_the_domain_listings():
    # 3 account pages (+1 unknown) against 3 + 1 domain pages: the domain listings stay
    book = WaitBook([*(f"http://a.com/{i}.js" for i in range(250)), "http://a.com/d/"], [])
    plan = plan_round(book, {})
    assert plan.account is None
    assert len(plan.listings) == 2
    assert plan.choice.chosen == PER_DOMAIN


def test_hostless_paths_stay_per_path_beside_the_account_listing():
    book = WaitBook([*MANY[:300], "/local/x"], [])
    plan = plan_round(book, {})
    assert plan.account.wanted == frozenset(MANY[:300])
    assert plan.per_path == ("/local/x",)
    assert plan.estimated_calls == 3 + 1


def test_listings_cut_short_are_resumed_from_their_page():
    book = WaitBook(MANY, [])
    plan = plan_round(book, {}, account_pages=5, resume={ACCOUNT_KEY: 3})
    assert plan.account.start_page == 3
    assert plan.estimated_calls == 3  # pages 3, 4 and 5
    assert "the account listing goes on from page 3" in plan.choice.reasons
    files = [f"http://a.com/{i}.js" for i in range(250)]
    key = ("a.com", ObjectType.FILE)
    plan = plan_round(WaitBook(files, []), {key: 3}, resume={key: 2}, account_listing=False)
    assert plan.listings == (Listing("a.com", ObjectType.FILE, frozenset(files), 250, 2),)
    assert plan.estimated_calls == 2


def test_skipped_paths_asked_earlier_in_the_sweep_shrink_the_plan():
    book = WaitBook(MANY, [])
    plan = plan_round(book, {}, skip=set(MANY[:499]))
    assert plan.per_path == (MANY[499],)
    assert plan.choice.paths == 1
