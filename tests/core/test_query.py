"""TaskFilter is the one spelling of DescribeRefreshTasks' filters: every part must know every filter."""

from __future__ import annotations

import dataclasses
import typing
from datetime import datetime, timedelta, timezone

import pytest

from alicloud_cdn_refresh.clock import ManualClock
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.models import ObjectType, TaskStatus
from alicloud_cdn_refresh.query import FILTER_FIELDS, TaskFilter, TaskFilterArgs
from emulator_helpers import Caller

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)
NAMES = [field.name for field in FILTER_FIELDS]


def test_the_table_the_dataclass_and_the_keyword_arguments_name_the_same_filters():
    assert [field.name for field in dataclasses.fields(TaskFilter)] == NAMES
    assert list(typing.get_type_hints(TaskFilterArgs)) == NAMES
    assert len({field.wire for field in FILTER_FIELDS}) == len(NAMES)
    assert len({field.flag for field in FILTER_FIELDS}) == len(NAMES)


def test_build_checks_and_params_spell_the_wire_names():
    query = TaskFilter.build(
        NOW,
        task_id=704225667,
        object_path=" http://a.com/x ",
        domain_name="a.com",
        object_type="PATH",
        status="complete",
        start_time="2026-11-28T10:00:00Z",
        end_time=NOW,
        resource_group_id="rg-1",
    )
    assert query.object_type is ObjectType.DIRECTORY
    assert query.status is TaskStatus.COMPLETE
    assert query.params() == {
        "TaskId": "704225667",
        "ObjectPath": "http://a.com/x",
        "DomainName": "a.com",
        "ObjectType": "directory",
        "Status": "Complete",
        "StartTime": "2026-11-28T10:00:00Z",
        "EndTime": "2026-11-28T12:00:00Z",
        "ResourceGroupId": "rg-1",
    }
    assert set(query.values()) == set(NAMES)
    assert TaskFilter.build(NOW).params() == {}


@pytest.mark.parametrize(
    ("values", "parameter"),
    [
        ({"task_id": "12a"}, "TaskId"),
        ({"domain_name": "a.com"}, "ObjectType"),
        ({"status": "Complete"}, "ObjectType"),
        ({"object_type": "folder"}, "ObjectType"),
        ({"object_type": "file", "status": "Pending"}, "Status"),
        ({"start_time": NOW}, "EndTime"),
        ({"start_time": NOW, "end_time": NOW - timedelta(hours=1)}, "EndTime"),
        ({"start_time": NOW - timedelta(days=4), "end_time": NOW}, "StartTime"),
        ({"resource_group_id": " "}, "ResourceGroupId"),
    ],
)
def test_build_refuses_what_the_api_refuses_naming_its_parameter(values, parameter):
    with pytest.raises(InvalidQuery) as caught:
        TaskFilter.build(NOW, **values)
    assert caught.value.parameter == parameter


def test_an_unknown_filter_is_a_type_error():
    with pytest.raises(TypeError, match="domain"):
        TaskFilter.build(NOW, domain="a.com")


# A value of each filter that matches none of the seeded tasks (with what it needs beside it).
NON_MATCHING = {
    "task_id": {"task_id": "1"},
    "object_path": {"object_path": "http://a.com/none"},
    "domain_name": {"domain_name": "b.com", "object_type": ObjectType.FILE},
    "object_type": {"object_type": ObjectType.REGEX},
    "status": {"status": TaskStatus.FAILED, "object_type": ObjectType.FILE},
    "start_time": {"start_time": NOW - timedelta(hours=3), "end_time": NOW - timedelta(hours=2)},
    "end_time": {"start_time": NOW - timedelta(hours=3), "end_time": NOW - timedelta(hours=2)},
    "resource_group_id": {"resource_group_id": "rg-other"},
}


@pytest.mark.parametrize("name", NAMES)
def test_the_emulator_honours_every_filter(name):
    assert set(NON_MATCHING) == set(NAMES), "a filter without a case here: add one"
    emulator = Emulator(clock=ManualClock(NOW), complete_after=0)
    emulator.seed_task("http://a.com/x", status="Complete")
    everything = TaskFilter()
    assert emulator.store.query(everything, 1, 20)[1] == 1
    query = TaskFilter(**NON_MATCHING[name])
    assert emulator.store.query(query, 1, 20)[1] == 0, f"the emulator ignores {name}"


def test_resource_groups_partition_the_tasks():
    emulator = Emulator(clock=ManualClock(NOW), complete_after=0)
    emulator.set_resource_group("a.com", "rg-a")
    emulator.seed_task("http://a.com/x", status="Complete")
    emulator.seed_task("http://b.com/x", status="Complete")
    found = emulator.store.query(TaskFilter(resource_group_id="rg-a"), 1, 20)[0]
    assert [row["ObjectPath"] for row in found] == ["http://a.com/x"]


@pytest.mark.parametrize("name", NAMES)
def test_the_emulator_reads_every_filter_from_the_request(name):
    clock = ManualClock(NOW)
    emulator = Emulator(clock=clock, complete_after=0, qps_limits=False)
    emulator.seed_task("http://a.com/x", status="Complete")
    caller = Caller(emulator, clock=clock)
    try:
        assert caller.tasks()["TotalCount"] == 1
        params = TaskFilter(**NON_MATCHING[name]).params()
        assert caller.tasks(**params)["TotalCount"] == 0, f"the emulator ignores {name} on the wire"
    finally:
        caller.close()
