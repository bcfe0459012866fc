"""``cdn-refresh tasks``: options made from ``query.FILTER_FIELDS``, TaskFilter arguments to the client."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

import click
from click.testing import CliRunner

from alicloud_cdn_refresh.cli import app
from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.cli.commands import tasks
from alicloud_cdn_refresh.cli.params import MOMENT
from alicloud_cdn_refresh.models import RefreshTaskPage
from alicloud_cdn_refresh.query import FILTER_FIELDS, TaskFilter


def options() -> dict[str, click.Option]:
    return {param.name: param for param in tasks.tasks_command.params if isinstance(param, click.Option)}


def test_every_filter_is_an_option_named_and_described_by_the_table():
    by_name = options()
    for field in FILTER_FIELDS:
        option = by_name[field.name]
        assert option.opts[0] == field.flag
        assert (option.help or "").startswith(field.help)


def test_the_flags_of_today_are_kept():
    by_name = options()
    assert by_name["object_path"].opts == ["--object-path", "--path"]
    assert by_name["domain_name"].opts == ["--domain"]
    assert by_name["start_time"].type is MOMENT
    assert by_name["end_time"].type is MOMENT
    assert "path" in by_name["object_type"].type.choices  # type: ignore[attr-defined]
    assert list(by_name["status"].type.choices) == ["Complete", "Refreshing", "Failed"]  # type: ignore[attr-defined]


def test_invalid_query_names_the_flag_from_the_table():
    for field in FILTER_FIELDS:
        assert app._FLAGS[field.wire] == field.flag


def test_the_client_gets_task_filter_arguments(monkeypatch):
    calls: list[dict[str, object]] = []

    class FakeClient:
        def describe_refresh_tasks(self, query=None, **kwargs):
            calls.append(kwargs)
            return RefreshTaskPage(tasks=(), page_number=1, page_size=20, total_count=0, request_id="r")

    @contextmanager
    def open_client(endpoint, signature_version):
        yield FakeClient()

    monkeypatch.setattr(tasks, "open_client", open_client)
    result = CliRunner().invoke(
        cli,
        [
            *["tasks", "--path", "https://a.example.com/x", "--domain", "a.example.com"],
            *["--object-type", "file", "--status", "Failed", "--start", "1h", "--end", "now"],
            *["--resource-group-id", "rg-1", "--task-id", "704225667", "--page", "2"],
        ],
    )
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert call.pop("page_number") == 2
    assert call.pop("page_size") is None
    assert set(call) == {field.name for field in FILTER_FIELDS}
    query = TaskFilter.build(datetime.now(timezone.utc), **call)
    assert query.domain_name == "a.example.com"
    assert query.params()["ObjectPath"] == "https://a.example.com/x"
    assert query.resource_group_id == "rg-1"
