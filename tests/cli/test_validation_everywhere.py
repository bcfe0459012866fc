"""Issue 16, "Validation is the same everywhere": what ``tasks`` refuses ``wait`` refuses too, paths
are checked by the core's checks (``paths.py``/``checks.py``) before any call, and ``--from-file``
reads as documented (a byte-order mark ignored, ``#`` comments at a line's start or after
whitespace)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest

from alicloud_cdn_refresh.checks import queryable_since
from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.params import parse_lines, read_lines
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import InvalidQuery
from cli_rig import FAST, invoke, runner_env, served

URL = "https://a.example.com/x.js"


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=1, qps_limits=False, seed=3)


@pytest.fixture
def env(emulator, tmp_path):
    with served(emulator) as url:
        yield runner_env(url, tmp_path)


def refused(env, emulator, *args, expected):
    result = invoke(env, *args)
    assert result.exit_code == ExitStatus.USAGE, (result.stdout, result.stderr)
    (line,) = result.stderr.strip().splitlines()
    assert expected in line, line
    assert sum(emulator.requests_served.values()) == 0, emulator.requests_served
    return line


# -- wait --since as tasks --start -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("4d", "is more than 3 days ago; only tasks since"),
        ("2020-01-01T00:00:00Z", "is more than 3 days ago; only tasks since"),
        ((datetime.now(timezone.utc) + timedelta(hours=2)).isoformat(), "is in the future"),
    ],
)
def test_wait_since_outside_the_window_is_refused_like_tasks_start(env, emulator, since, expected):
    line = refused(env, emulator, "wait", "--since", since, URL, expected=expected)
    assert line.startswith("error: --since: ")
    if "days ago" in expected:
        tasks = invoke(env, "tasks", "--start", since, "--end", "now")
        assert tasks.exit_code == ExitStatus.USAGE
        assert expected in tasks.stderr  # the same words: one check in checks.py


def test_wait_since_within_the_window_is_accepted(env):
    assert invoke(env, "refresh", URL).exit_code == 0
    assert invoke(env, "wait", "--since", "1h", *FAST, URL).exit_code == 0


def test_queryable_since_allows_a_minute_of_clock_skew():
    now = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
    assert queryable_since("since", now + timedelta(seconds=59), now)
    with pytest.raises(InvalidQuery, match="in the future"):
        queryable_since("since", now + timedelta(minutes=2), now)


# -- paths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["wait", "www.example.com/a.js"], "is not a URL"),
        (["wait", "--task-id", "12a"], "task id #1 ('12a') is not a task id"),
        (
            ["refresh", "--type", "Directory", "https://a.example.com/img"],
            "a directory without its trailing '/'",
        ),
        (
            ["refresh", "--type", "directory", "https://a.example.com/a/", "https://a.example.com/b"],
            "path #2 ('https://a.example.com/b') is a directory without its trailing '/'",
        ),
        (["refresh", "https://a.example.com/a\tb.js"], "path #1 contains a tab or line break"),
        (["preload", "https://a.example.com/a\nb.js"], "path #1 contains a tab or line break"),
        (["wait", "https://a.example.com/a\tb.js"], "path #1 contains a tab or line break"),
    ],
)
def test_paths_are_checked_before_any_call(env, emulator, args, expected):
    refused(env, emulator, *args, expected=expected)


def test_a_tab_in_a_from_file_line_is_refused(env, emulator, tmp_path):
    listing = tmp_path / "paths.tsv"
    listing.write_text("https://a.example.com/a.js\t2026-11-28\n", encoding="utf-8")
    refused(env, emulator, "refresh", "--from-file", str(listing), expected="contains a tab or line break")


# -- --from-file -----------------------------------------------------------------------------------


def test_a_byte_order_mark_is_ignored(env, emulator, tmp_path):
    listing = tmp_path / "paths.txt"
    listing.write_bytes("\ufeffhttps://a.example.com/bom.js\r\n".encode())
    result = invoke(env, "refresh", "--json", "--from-file", str(listing))
    assert result.exit_code == 0, result.stderr
    assert [task.object_path for task in emulator.tasks()] == ["https://a.example.com/bom.js"]


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("https://a.example.com/a.js # old bundle\n", ["https://a.example.com/a.js"]),
        ("https://a.example.com/a.js\t# tab, then a comment\n", ["https://a.example.com/a.js"]),
        ("https://a.example.com/page#top\n", ["https://a.example.com/page#top"]),
        ("  # indented comment\n#comment\n\n", []),
        ("\ufeff# a BOM, then a comment\nhttps://a.example.com/b\n", ["https://a.example.com/b"]),
        (
            "https://a.example.com/c\r\nhttps://a.example.com/d\r\n",
            ["https://a.example.com/c", "https://a.example.com/d"],
        ),
    ],
)
def test_comments_and_blank_lines(text, paths):
    assert parse_lines(text) == paths
    assert read_lines(io.StringIO(text)) == paths


def test_a_comment_after_a_path_in_a_real_file(env, emulator, tmp_path):
    listing = tmp_path / "paths.txt"
    listing.write_text("https://a.example.com/x.js  # the old one\n", encoding="utf-8")
    assert invoke(env, "refresh", "--from-file", str(listing)).exit_code == 0
    assert [task.object_path for task in emulator.tasks()] == ["https://a.example.com/x.js"]
