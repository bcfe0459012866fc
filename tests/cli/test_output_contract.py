"""Issue 16, "One output contract": the JSON documents scripts rely on (every error one document with
code, message, request id and exit code; ``null`` for an unknown id; object types in one spelling;
task ids once each), tables that keep ids and times at 80 columns and one row per line in a pipe,
and ``--debug`` that shows every request, also when it succeeds."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone

import pytest

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.render import render_tasks
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from cli_rig import FAST, SECRET, invoke

ERROR_KEYS = {"kind", "code", "message", "request_id", "exit_code", "hint"}
CREATED = datetime(2026, 11, 28, 8, 23, 22, tzinfo=timezone.utc)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=2, qps_limits=False, seed=61)


def error_document(result, status):
    assert result.exit_code == status, (result.stdout, result.stderr)
    document = json.loads(result.stdout)  # exactly one document: json.loads refuses trailing data
    assert set(document) == {"version", "error"}
    error = document["error"]
    assert set(error) >= ERROR_KEYS, error
    assert error["exit_code"] == status
    assert error["message"]
    assert error["message"] in result.stderr
    return error


# -- every error is a JSON document with --json ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["tasks", "--json", "--frobnicate"], "usage"),
        (["tasks", "--json", "--page", "0"], "usage"),
        (["wait", "--json"], "usage"),
        (["tasks", "--json", "--start", "2h"], "usage"),
        (["refresh", "--json", "ftp://x"], "usage"),
    ],
)
def test_usage_errors_are_json_documents_too(env, args, kind):
    error = error_document(invoke(env, *args), ExitStatus.USAGE)
    assert error["kind"] == kind
    assert error["code"] is None
    assert error["request_id"] is None


def test_an_api_error_document_has_code_request_id_and_exit_code(env):
    error = error_document(invoke({**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": "nosuchkey"}, "tasks", "--json"), 4)
    assert error["kind"] == "api"
    assert error["code"] == "InvalidAccessKeyId.NotFound"
    assert re.fullmatch(r"[0-9A-F-]{36}", error["request_id"])
    assert error["http_status"] == 404
    assert error["hint"]


def test_a_credentials_error_document_names_every_source_tried(env):
    env = {**env, "ALIBABA_CLOUD_ACCESS_KEY_ID": None, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": None}
    error = error_document(invoke(env, "quota", "--json"), ExitStatus.API_ERROR)
    assert error["kind"] == "credentials"
    assert len(error["tried"]) >= 5
    assert any("ALIBABA_CLOUD_ACCESS_KEY_ID" in place for place in error["tried"])


def test_a_network_error_document(env):
    error = error_document(invoke(env, "quota", "--json", "--endpoint", "http://127.0.0.1:9"), 4)
    assert error["kind"] == "network"
    assert error["code"] == "TransportError"


def test_no_secret_in_error_documents(env):
    secret = "Very/Secret+Value="
    result = invoke({**env, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": secret}, "tasks", "--json", "--debug")
    assert result.exit_code == ExitStatus.API_ERROR
    assert secret not in result.stdout + result.stderr


# -- values: ids, types ----------------------------------------------------------------------------


def test_an_unseen_task_id_is_null_path_not_an_empty_string(env):
    result = invoke(env, "wait", "--json", *FAST, "--not-found-grace", "0.2", "--task-id", "99999")
    assert result.exit_code == ExitStatus.TIMEOUT, result.stderr
    document = json.loads(result.stdout)
    assert document["outcome"] == "not_found"
    assert document["pending"] == [
        {
            "object_path": None,
            "last_status": "NotFound",
            "process": 0,
            "task_id": "99999",
            "state": "no task found",
        }
    ]
    assert "  task 99999: no task found" in result.stderr


def test_a_path_without_a_task_has_a_null_task_id(env):
    result = invoke(env, "wait", "--json", *FAST, "--not-found-grace", "0.2", "https://a.example.com/none")
    assert json.loads(result.stdout)["pending"] == [
        {
            "object_path": "https://a.example.com/none",
            "last_status": "NotFound",
            "process": 0,
            "task_id": None,
            "state": "no task found",
        }
    ]


def _object_types(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "object_type":
                yield item
            yield from _object_types(item)
    elif isinstance(value, list):
        for item in value:
            yield from _object_types(item)


@pytest.mark.parametrize(
    ("args", "spelling"),
    [
        (["refresh", "--type", "Directory", "https://a.example.com/d/"], "directory"),
        (["refresh", "--type", "regex", r"https://a.example.com/.*\.js"], "regex"),
        (["refresh", "--type", "IgnoreParams", "https://a.example.com/q.js"], "ignoreparams"),
        (["refresh", "https://a.example.com/f.js"], "file"),
        (["preload", "https://a.example.com/p.bin"], "preload"),
    ],
)
def test_object_types_have_one_spelling_everywhere(env, args, spelling):
    result = invoke(env, *args, "--json", "--wait", *FAST)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    types = set(_object_types(document))
    assert document["object_type"] == spelling
    assert all(kind == kind.lower() for kind in types), types


def test_task_ids_once_each(env):
    paths = [f"https://a.example.com/{n}.js" for n in range(30)]
    result = invoke(env, "refresh", "--json", *paths, *paths[:5])
    document = json.loads(result.stdout)
    assert len(document["task_ids"]) == len(set(document["task_ids"]))
    assert document["object_paths"] == paths
    waited = json.loads(
        invoke(env, "wait", "--json", *FAST, *[f"--task-id={t}" for t in document["task_ids"] * 2]).stdout
    )
    assert sorted(task["object_path"] for task in waited["tasks"]) == sorted(paths)


# -- tables ----------------------------------------------------------------------------------------


def _task(path, status="Refreshing", description=""):
    return RefreshTask(
        "17436479201", path, TaskStatus(status), 40, ObjectType.FILE, CREATED, description=description
    )


def test_at_80_columns_the_id_and_full_creation_time_stay(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, as rich sees it
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
    tasks = [
        _task("https://static.example.com/" + "assets/" * 8 + "app.min.js"),
        _task("https://static.example.com/x", "Failed", "Origin Return StatusCode 5XX"),
    ]
    buffer = io.StringIO()
    render_tasks(tasks, stream=buffer)
    text = ANSI.sub("", buffer.getvalue())
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80, text
    rows = [line for line in lines if "17436479201" in line]
    assert len(rows) == 2, text
    assert all("2026-11-28 08:23:22" in row for row in rows), text
    assert "Origin Return" in text
    assert "StatusCode 5XX" in text
    assert "Refreshing 40%" in text
    cells = "".join(line.split("│")[2].strip() for line in lines if line.count("│") == 5)
    assert "https://static.example.com/" + "assets/" * 8 + "app.min.js" in cells  # folded, not cut


def test_a_piped_table_has_one_line_per_task_however_long_the_path(emulator, env):
    long_path = "https://a.example.com/" + "segment/" * 40 + "end.js"
    emulator.seed_task(long_path, status="Complete", description="")
    emulator.seed_task("https://a.example.com/short.js", status="Failed", description="Origin Timeout")
    result = invoke(env, "tasks")
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "Complete" in line or "Failed" in line]
    assert len(rows) == 2, result.stdout
    assert any(long_path in row for row in rows), result.stdout


# -- --debug ---------------------------------------------------------------------------------------


def test_debug_shows_the_endpoint_and_each_request_with_its_timing_on_success(env, url):
    result = invoke(env, "refresh", "--debug", "https://a.example.com/d1.js", "https://a.example.com/d2.js")
    assert result.exit_code == 0, result.stderr
    log = result.stderr
    assert f"endpoint {url}" in log
    assert re.search(r"RefreshObjectCaches -> \S+ ObjectPath=<2 lines: https://a\.example\.com/d1\.js", log)
    assert re.search(r"RefreshObjectCaches <- OK in \d+ ms \[RequestId [0-9A-F-]{36}\]", log), log
    assert SECRET not in log
