"""What the wait display shows, on a terminal (rendered through pyte) and in CI logs."""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import pyte
from rich.console import Console

from alicloud_cdn_refresh.cli.progress import LiveProgress, PlainProgress, make_progress
from alicloud_cdn_refresh.cli.render import task_to_json, tasks_table
from alicloud_cdn_refresh.errors import PendingPath
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.waiter.loop import WaitProgress

CREATED = datetime(2026, 11, 28, 8, 23, 22, tzinfo=timezone.utc)


def task(path, status="Refreshing", process=40, description=""):
    return RefreshTask(
        task_id="704225667",
        object_path=path,
        status=TaskStatus(status),
        process=process,
        object_type=ObjectType.FILE,
        creation_time=CREATED,
        description=description,
    )


def progress(round_, complete, refreshing, pending, failed, *, done=False, slowest=()):
    return WaitProgress(
        complete=complete,
        refreshing=refreshing,
        pending=pending,
        failed=failed,
        total=complete + refreshing + pending + failed,
        elapsed=1.5 * round_,
        round=round_,
        slowest=tuple(slowest),
        done=done,
    )


def screen_of(raw: str, columns=100, lines=30):
    screen = pyte.Screen(columns, lines)
    pyte.Stream(screen).feed(raw.replace("\n", "\r\n"))
    return [line.rstrip() for line in screen.display]


def test_live_progress_draws_bar_counts_and_slowest_paths_in_place():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, color_system="truecolor")
    live = LiveProgress(console, total=4, label="Waiting")
    slow = task("https://a.example.com/slow.js", process=40)
    live(progress(1, 1, 2, 1, 0, slowest=[slow, PendingPath("https://a.example.com/new.js", "NotFound")]))
    live(progress(2, 3, 1, 0, 0, slowest=[slow]))
    live(progress(3, 4, 0, 0, 0, done=True))
    live.close()
    raw = buffer.getvalue()
    screen = screen_of(raw)
    shown = "\n".join(screen)
    # Redrawn in place: the final screen holds one display, not three stacked ones.
    assert shown.count("Waiting") == 1, shown
    assert any("━" in line for line in screen)
    assert re.search(r"4/4 complete\s+0 refreshing\s+0 pending\s+0 failed\s+\d+\.\ds elapsed", shown), shown
    assert "done" in shown
    # The slowest paths were on screen while waiting.
    assert "https://a.example.com/slow.js" in raw
    assert "Refreshing 40%" in raw
    assert "no task found" in raw  # issue 17: words, not the machine value NotFound


def test_plain_progress_is_one_line_per_round_without_escape_codes():
    stream = io.StringIO()
    plain = PlainProgress(stream)
    plain(progress(1, 0, 1, 1, 0, slowest=[task("https://a.example.com/x", process=10)]))
    plain(progress(2, 2, 0, 0, 0, done=True))
    lines = stream.getvalue().splitlines()
    assert lines == [
        "[    1.5s] round 1: 0/2 complete, 1 refreshing, 1 pending, 0 failed; "
        "slowest: https://a.example.com/x (Refreshing 10%)",
        "[    3.0s] round 2: 2/2 complete, 0 refreshing, 0 pending, 0 failed; done",
    ]


def test_make_progress_picks_plain_lines_off_a_terminal():
    assert isinstance(make_progress(io.StringIO()), PlainProgress)


def test_table_columns_line_up_with_long_paths():
    tasks = [
        task("https://a.example.com/" + "deep/" * 12 + "file.js", "Complete", 100),
        task("https://a.example.com/x", "Failed", 0, "Origin Timeout"),
        task("https://a.example.com/odd", "Timeout", 5),
    ]
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, width=90).print(tasks_table(tasks))
    screen = [line for line in screen_of(buffer.getvalue(), columns=90) if "│" in line]
    positions = {tuple(m.start() for m in re.finditer("│", line)) for line in screen}
    assert len(positions) == 1, "\n".join(screen)
    assert "Timeout" in "\n".join(screen)  # an unknown status is shown as is


def test_task_json_keeps_unknown_status_and_integer_process():
    assert task_to_json(task("https://a.example.com/odd", "Timeout", 5)) == {
        "task_id": "704225667",
        "object_path": "https://a.example.com/odd",
        "status": "Timeout",
        "process": 5,
        "object_type": "file",
        "creation_time": "2026-11-28T08:23:22Z",
        "description": "",
    }
