"""``WaitOptions`` carries the six wait flags from the command line to the shared wait-and-report."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager

import pytest
from click.testing import CliRunner

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.cli.commands import submit, wait
from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.options import WaitOptions

PATH = "https://a.example.com/x.js"
FLAGS = [
    "--timeout",
    "90s",
    "--keep-going",
    "--poll-initial",
    "500ms",
    "--poll-max",
    "5",
    "--not-found-grace",
    "2m",
    "--quiet",
]
GIVEN = WaitOptions(
    timeout=90.0, keep_going=True, poll_initial=0.5, poll_max=5.0, not_found_grace=120.0, quiet=True
)


class FakeClient:
    def refresh_object_caches(self, paths, **kwargs):
        return ["101"]

    def push_object_cache(self, paths, **kwargs):
        return ["202"]


@pytest.fixture
def captured(monkeypatch):
    """The WaitOptions each command hands to wait_and_report (no client, no waiting)."""
    seen: list[WaitOptions] = []

    @contextmanager
    def open_client(endpoint, signature_version):
        yield FakeClient()

    def wait_and_report(client, *, object_paths, task_ids, since, options, label="x"):
        seen.append(options)
        return {"outcome": "complete"}, ExitStatus.OK

    for module in (wait, submit):
        monkeypatch.setattr(module, "open_client", open_client)
        monkeypatch.setattr(module, "wait_and_report", wait_and_report)
    return seen


@pytest.mark.parametrize(
    "command",
    [["wait", PATH], ["refresh", "--wait", PATH], ["preload", "--wait", PATH]],
)
def test_the_wait_flags_arrive_as_one_value(captured, command):
    result = CliRunner().invoke(cli, [*command, *FLAGS])
    assert result.exit_code == 0, result.output
    assert captured == [GIVEN]


@pytest.mark.parametrize("command", [["wait", PATH], ["refresh", "--wait", PATH]])
def test_no_flags_give_the_default_options(captured, command):
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    assert captured == [WaitOptions()]
    assert WaitOptions() == WaitOptions(1800.0, False, 2.0, 30.0, 60.0, False)


@pytest.mark.parametrize("command", [["wait", PATH], ["refresh", "--wait", PATH]])
def test_json_waits_quietly(captured, command):
    result = CliRunner().invoke(cli, [*command, "--json"])
    assert result.exit_code == 0, result.output
    assert captured == [WaitOptions(quiet=True)]


def test_wait_options_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        WaitOptions().timeout = 1.0  # type: ignore[misc]
