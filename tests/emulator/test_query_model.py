"""DescribeRefreshTasks' indexes against a naive model: same rows, same order, every page once."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.models import ObjectType, RefreshTask
from alicloud_cdn_refresh.query import TaskFilter as TaskQuery

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
DOMAINS = ["a.com", "b.com", "c.com"]
TYPES = [ObjectType.FILE, ObjectType.DIRECTORY, ObjectType.PRELOAD]
STATUSES = [None, "Complete", "Failed", "Refreshing", "Timeout"]

task_specs = st.lists(
    st.tuples(
        st.sampled_from(DOMAINS),
        st.integers(0, 5),  # path number
        st.sampled_from(TYPES),
        st.sampled_from(STATUSES),
        st.integers(-4 * 86400, 60),  # created, seconds from NOW (some hidden: too old or future)
    ),
    max_size=40,
)
queries = st.builds(
    TaskQuery,
    task_id=st.none(),
    object_path=st.one_of(
        st.none(), st.builds(lambda d, n: f"http://{d}/{n}", st.sampled_from(DOMAINS), st.integers(0, 5))
    ),
    domain_name=st.one_of(st.none(), st.sampled_from([*DOMAINS, "A.COM"])),
    object_type=st.one_of(st.none(), st.sampled_from(TYPES)),
    status=st.one_of(st.none(), st.sampled_from(["Complete", "Failed", "Refreshing"])),
    start_time=st.none(),
    end_time=st.none(),
)


def _matches(task: RefreshTask, query: TaskQuery) -> bool:
    oldest = NOW - limits.QUERY_WINDOW
    return (
        oldest <= task.creation_time <= NOW
        and (query.object_path is None or task.object_path == query.object_path)
        and (query.domain_name is None or task.object_path.split("/")[2] == query.domain_name.lower())
        and (query.object_type is None or task.object_type is query.object_type)
        and (query.status is None or task.status.value == query.status)
    )


@settings(max_examples=150, deadline=None)
@given(specs=task_specs, query=queries, page_size=st.integers(1, 7), use_task_id=st.booleans())
def test_query_equals_naive_filter(
    specs: list[tuple[str, int, ObjectType, str | None, int]],
    query: TaskQuery,
    page_size: int,
    use_task_id: bool,
) -> None:
    emulator = Emulator(clock=ManualClock(NOW), complete_after=30, fail_paths=r"/3$")
    for domain, number, kind, status, offset in specs:
        emulator.seed_task(
            f"http://{domain}/{number}",
            status=status,
            created=NOW + timedelta(seconds=offset),
            object_type=kind,
        )
    everything = emulator.tasks(include_hidden=True)  # newest first
    if use_task_id and everything:
        query = dataclasses.replace(query, task_id=everything[len(everything) // 2].task_id)
    expected = [
        t for t in everything if _matches(t, query) and (query.task_id is None or t.task_id == query.task_id)
    ]
    rows: list[dict[str, str]] = []
    page = 1
    while True:
        got, total = emulator.store.query(query, page, page_size)
        assert total == len(expected)
        if not got:
            break
        assert len(got) <= page_size
        rows.extend(got)
        page += 1
    assert rows == [t.to_api() for t in expected]
