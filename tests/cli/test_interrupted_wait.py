"""An interrupted ``refresh --wait --json`` keeps the tasks the wait had seen (its document's ``tasks``
and ``pending`` were empty: nothing of the wait was kept)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from datetime import datetime, timezone

import pytest

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.seen import SeenTasks
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, RefreshTaskPage, TaskStatus
from cli_rig import FAST, command, process_env, served

CREATED = datetime(2026, 11, 28, 8, 23, 22, tzinfo=timezone.utc)
PATHS = ["https://a.example.com/1.js", "https://b.example.com/2.js"]


def task(path, status, process, task_id):
    return RefreshTask(
        task_id=task_id,
        object_path=path,
        status=TaskStatus(status),
        process=process,
        object_type=ObjectType.FILE,
        creation_time=CREATED,
        description="Origin Timeout" if status == "Failed" else "",
    )


@pytest.fixture
def emulator():
    return Emulator(complete_after=3_600, qps_limits=False, seed=17)


class _Client:
    def __init__(self, rows):
        self.rows = rows
        self.limits = "the client's"

    def describe_refresh_task_by_id(self, task_ids):
        return [row for row in self.rows if row.task_id in task_ids]

    def describe_refresh_tasks(self, **kwargs):
        return RefreshTaskPage(
            tasks=tuple(self.rows), page_number=1, page_size=100, total_count=1, request_id="r"
        )


def test_seen_tasks_record_the_rows_of_the_ids_waited_for():
    rows = [
        task("https://a.example.com/done", "Complete", 100, task_id="1"),
        task("https://a.example.com/bad", "Failed", 0, task_id="1"),
        task("https://a.example.com/slow", "Refreshing", 40, task_id="2"),
        task("https://a.example.com/other", "Complete", 100, task_id="9"),  # not ours
    ]
    seen = SeenTasks(_Client(rows), ["1", "2", "3", "4"])
    assert seen.limits == "the client's"
    seen.describe_refresh_task_by_id(["1", "3"])
    seen.describe_refresh_tasks(domain_name="a.example.com")
    document = seen.document()
    assert [item["object_path"] for item in document["tasks"]] == [
        "https://a.example.com/done",
        "https://a.example.com/bad",
    ]
    assert [item["task_id"] for item in document["failed"]] == ["1"]
    assert [(item["object_path"], item["task_id"], item["state"]) for item in document["pending"]] == [
        ("https://a.example.com/slow", "2", "Refreshing 40%"),
        (None, "3", "no task found"),
        (None, "4", "not checked yet"),
    ]
    assert isinstance(document["elapsed"], float)


def test_an_interrupted_refresh_wait_json_keeps_the_tasks_it_saw(emulator, tmp_path):
    with served(emulator) as url:
        process = subprocess.Popen(
            command("refresh", "--wait", "--json", *FAST, *PATHS),
            env=process_env(url, tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            rounds = 0
            while time.monotonic() < deadline and rounds < 2:  # the second round has seen the rows
                rounds += " round " in process.stderr.readline()
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(10)
    assert process.returncode == ExitStatus.INTERRUPTED, err
    document = json.loads(out)
    assert document["outcome"] == "interrupted"
    assert document["tasks"] == []  # none done: 3,600 s to complete
    pending = document["pending"]
    assert sorted(item["object_path"] for item in pending) == PATHS
    assert {item["task_id"] for item in pending} == set(document["task_ids"])
    assert all(item["last_status"] in ("Pending", "Refreshing") for item in pending), pending
    assert document["elapsed"] > 0
