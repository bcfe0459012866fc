"""Bad input is refused before any network call, naming the parameter and what is allowed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from alicloud_cdn_refresh.errors import InvalidQuery
from client_fakes import START, Recorder, make_client

RECENT = START - timedelta(hours=1)


@pytest.fixture
def guarded():
    recorder = Recorder(lambda request: pytest.fail("no request may be sent"))
    return recorder, make_client(recorder)


@pytest.mark.parametrize(
    ("kwargs", "parameter", "hint"),
    [
        ({"page_size": 0}, "PageSize", "1..100"),
        ({"page_size": 101}, "PageSize", "1..100"),
        ({"page_size": "20"}, "PageSize", "1..100"),
        ({"page_size": True}, "PageSize", "1..100"),
        ({"page_number": 0}, "PageNumber", "1..100000"),
        ({"page_number": 100_001}, "PageNumber", "1..100000"),
        ({"domain_name": "a.example.com"}, "ObjectType", "DomainName"),
        ({"status": "Complete"}, "ObjectType", "Status"),
        ({"object_type": "files"}, "ObjectType", "file, directory"),
        ({"object_type": ""}, "ObjectType", "file, directory"),
        ({"object_type": "file", "status": "Done"}, "Status", "Complete, Refreshing, Failed"),
        ({"object_type": "file", "status": "Pending"}, "Status", "Complete, Refreshing, Failed"),
        ({"start_time": RECENT}, "EndTime", "together"),
        ({"end_time": RECENT}, "StartTime", "together"),
        ({"start_time": RECENT, "end_time": RECENT}, "EndTime", "after StartTime"),
        ({"start_time": RECENT, "end_time": RECENT - timedelta(minutes=1)}, "EndTime", "after StartTime"),
        (
            {"start_time": START - timedelta(days=3, minutes=1), "end_time": RECENT},
            "StartTime",
            "3 days",
        ),
        ({"start_time": "2026-11-28 10:00:00", "end_time": RECENT}, "StartTime", "yyyy-MM-ddTHH:mm:ssZ"),
        ({"start_time": RECENT, "end_time": "2026-11-28T25:00:00Z"}, "EndTime", "yyyy-MM-ddTHH:mm:ssZ"),
        ({"start_time": RECENT, "end_time": "yesterday"}, "EndTime", "yyyy-MM-ddTHH:mm:ssZ"),
        ({"start_time": RECENT.replace(tzinfo=None), "end_time": START}, "StartTime", "timezone-aware"),
        ({"start_time": RECENT, "end_time": START.replace(tzinfo=None)}, "EndTime", "timezone-aware"),
        ({"start_time": 1700000000, "end_time": START}, "StartTime", "datetime"),
        ({"task_id": "abc"}, "TaskId", "digits"),
        ({"task_id": ""}, "TaskId", "empty"),
        ({"object_path": "  "}, "ObjectPath", "empty"),
        ({"object_path": "http://a/1\nhttp://a/2"}, "ObjectPath", "line breaks"),
        ({"domain_name": "", "object_type": "file"}, "DomainName", "empty"),
    ],
)
def test_describe_refuses_bad_parameters(guarded, kwargs, parameter, hint):
    recorder, client = guarded
    with pytest.raises(InvalidQuery) as caught:
        client.describe_refresh_tasks(**kwargs)
    assert caught.value.parameter == parameter
    assert str(caught.value).startswith(f"{parameter}: ")
    assert hint in str(caught.value)
    assert isinstance(caught.value, ValueError)
    if parameter != "PageNumber":  # iter_refresh_tasks checks the same filters before its first call
        with pytest.raises(InvalidQuery):
            client.iter_refresh_tasks(**kwargs)  # at the call, not at the first next()
    assert recorder.requests == []
    assert sum(client.call_counts.values()) == 0


def test_window_of_exactly_three_days_and_path_alias_are_accepted():
    from client_fakes import json_response, page_body

    recorder = Recorder(lambda request: json_response(page_body([])))
    client = make_client(recorder)
    client.describe_refresh_tasks(
        start_time=START - timedelta(days=3), end_time=START, object_type="PATH", domain_name="a.example.com"
    )
    assert recorder.params()["ObjectType"] == "directory"
    assert recorder.params()["StartTime"] == "2026-11-25T12:00:00Z"


@pytest.mark.parametrize(
    ("call", "parameter", "hint"),
    [
        (lambda c: c.refresh_object_caches([]), "ObjectPath", "at least one"),
        (lambda c: c.refresh_object_caches(["http://a/1", "  "]), "ObjectPath", "#2 is empty"),
        (lambda c: c.refresh_object_caches(["http://a/1\nhttp://a/2"]), "ObjectPath", "line break"),
        (lambda c: c.refresh_object_caches([b"http://a/1"]), "ObjectPath", "bytes"),
        (
            lambda c: c.refresh_object_caches(["http://a/1"], object_type="Folder"),
            "ObjectType",
            "File, Directory",
        ),
        (lambda c: c.push_object_cache([]), "ObjectPath", "at least one"),
        (lambda c: c.push_object_cache(["http://a/" + "x" * 1100]), "ObjectPath", "at most 1024"),
        (lambda c: c.push_object_cache(["http://a/1"], area="mars"), "Area", "domestic, overseas"),
        (lambda c: c.push_object_cache(["http://a/1"], with_header={"X": object()}), "WithHeader", "JSON"),
        (lambda c: c.push_object_cache(["http://a/1"], with_header=["Origin"]), "WithHeader", "mapping"),
        (lambda c: c.push_object_cache(["http://a/1"], with_header="{not json"), "WithHeader", "JSON object"),
        (lambda c: c.describe_refresh_task_by_id(["12", "x1"]), "TaskId", "digits"),
        (lambda c: c.describe_refresh_task_by_id(["12", None]), "TaskId", "string"),
    ],
)
def test_submit_and_by_id_refuse_bad_input(guarded, call, parameter, hint):
    recorder, client = guarded
    with pytest.raises(InvalidQuery) as caught:
        call(client)
    assert caught.value.parameter == parameter
    assert hint in str(caught.value)
    assert recorder.requests == []


def test_a_single_string_is_one_path_or_one_id_not_its_characters():
    from client_fakes import json_response

    recorder = Recorder(lambda request: json_response({"RefreshTaskId": "1", "Tasks": [], "RequestId": "R"}))
    client = make_client(recorder)
    client.refresh_object_caches("http://a.example.com/one")
    client.describe_refresh_task_by_id("704225667")
    assert recorder.params(0)["ObjectPath"] == "http://a.example.com/one"
    assert recorder.params(1)["TaskId"] == "704225667"


def test_bad_client_settings_are_named():
    recorder = Recorder()
    with pytest.raises(InvalidQuery, match="signature_version"):
        make_client(recorder, signature_version="v2")
    with pytest.raises(InvalidQuery, match="timeout"):
        make_client(recorder, timeout=0)
    with pytest.raises(InvalidQuery, match="endpoint"):
        make_client(recorder).__class__(
            endpoint="ftp://x", credentials=make_client(recorder).credentials_provider
        )


def test_naive_datetime_message_suggests_the_fix():
    _, client = (None, make_client(Recorder()))
    with pytest.raises(InvalidQuery, match="timezone-aware"):
        client.describe_refresh_tasks(start_time=datetime(2026, 11, 28, 10), end_time=START)
