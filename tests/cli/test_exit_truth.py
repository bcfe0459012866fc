"""Issue 16, "Exit codes tell the truth": the user's input never gives exit 5, a closed pipe never
reads as "a task failed", and what the help promises is what happens.

In-process runs use click's runner; whatever depends on real file descriptors (a full device, a
closed pipe, a terminal encoding) runs ``python -m alicloud_cdn_refresh`` as a process.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from alicloud_cdn_refresh.cli.exit_status import ExitStatus, describe_exit_statuses
from alicloud_cdn_refresh.emulator import Emulator
from cli_rig import FAST, closed_pipe, invoke, process_env, run_process

URL = "https://a.example.com/x.js"
WIDE = "https://a.example.com/\u4e2d\u6587/\u00e9t\u00e9.js"


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=2, qps_limits=False, seed=16)


def one_error_line(result, expected_status):
    assert result.exit_code == expected_status, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    return lines[0]


# -- user input is never exit 5 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["tasks", "--start", "99999999d", "--end", "now"],
        ["tasks", "--start", "99999999999999999999999d", "--end", "now"],
        ["tasks", "--start", "9999-12-31T23:00:00-05:00", "--end", "now"],
        ["wait", "--since", "99999999d", URL],
    ],
)
def test_huge_relative_times_are_usage_errors(env, args):
    line = one_error_line(invoke(env, *args), ExitStatus.USAGE)
    assert "too long ago" in line or "outside the years" in line, line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("https://a.example.com/caf\u00e9.js\n".encode("latin-1"), "is not UTF-8 text (byte 0xe9 on line 1)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary (a NUL byte on line 3)"),
        ("https://a.example.com/x.js\n".encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
    ],
)
@pytest.mark.parametrize("command", ["refresh", "preload", "wait"])
def test_a_from_file_that_is_not_utf8_text_is_a_usage_error(env, tmp_path, content, expected, command):
    path = tmp_path / "paths.txt"
    path.write_bytes(content)
    line = one_error_line(invoke(env, command, "--from-file", str(path)), ExitStatus.USAGE)
    assert expected in line, line
    assert str(path) in line


def test_from_stdin_that_is_not_utf8_is_a_usage_error(env):
    line = one_error_line(
        invoke(env, "refresh", "--from-file", "-", input=b"\xff\xfe\x00x"), ExitStatus.USAGE
    )
    assert "stdin is UTF-16 text" in line


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["quota", "--json"], ["tasks"], ["--help"]])
def test_output_to_a_full_device_is_its_own_exit_status(url, tmp_path, args):
    with open("/dev/full", "w") as full:
        result = run_process(process_env(url, tmp_path), *args, stdout=full, stderr=-1)
    assert result.returncode == ExitStatus.OUTPUT_ERROR, result.stderr
    assert result.stderr.strip().splitlines() == ["error: cannot write the output: No space left on device"]


def test_a_path_the_terminal_cannot_show_is_escaped_and_json_stays_exact(emulator, url, tmp_path):
    emulator.seed_task(WIDE, status="Complete")
    env = process_env(url, tmp_path, PYTHONIOENCODING="ascii")
    table = run_process(env, "tasks")
    assert table.returncode == 0, table.stderr
    assert "https://a.example.com/\\u4e2d\\u6587/\\xe9t\\xe9.js" in table.stdout
    document = run_process(env, "tasks", "--json")
    assert document.returncode == 0, document.stderr
    assert document.stdout.isascii()
    assert [task["object_path"] for task in json.loads(document.stdout)["tasks"]] == [WIDE]
    refreshed = run_process(env, "refresh", "--json", WIDE)
    assert refreshed.returncode == 0, refreshed.stderr
    assert json.loads(refreshed.stdout)["object_paths"] == [WIDE]


# -- a closed pipe is not a failed task ------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_a_broken_pipe_during_wait_exits_141_not_1(url, tmp_path, extra):
    env = process_env(url, tmp_path)
    submitted = run_process(env, "refresh", "--json", URL)
    task_id = json.loads(submitted.stdout)["task_ids"][0]
    pipe = closed_pipe()
    try:
        result = run_process(env, "wait", *FAST, "--task-id", task_id, *extra, stdout=pipe, stderr=-1)
    finally:
        os.close(pipe)
    assert result.returncode == ExitStatus.BROKEN_PIPE == 141, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "error: output closed by its reader (broken pipe)"


def test_a_broken_pipe_of_a_table_or_the_help_exits_141(url, tmp_path):
    env = process_env(url, tmp_path)
    run_process(env, "refresh", URL)
    for args in (["tasks"], ["--help"]):
        pipe = closed_pipe()
        try:
            result = run_process(env, *args, stdout=pipe, stderr=-1)
        finally:
            os.close(pipe)
        assert result.returncode == 141, (args, result.stderr)


# -- the help's promises ---------------------------------------------------------------------------


def test_wait_quiet_prints_only_the_summary(env):
    assert invoke(env, "refresh", URL).exit_code == 0
    result = invoke(env, "wait", "-q", *FAST, URL)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r"All 1 path\(s\) Complete in \d+\.\ds\.\n", result.stdout), result.stdout


def test_wait_quiet_with_json_keeps_stdout_for_the_document(env):
    assert invoke(env, "refresh", URL).exit_code == 0
    result = invoke(env, "wait", "-q", "--json", *FAST, URL)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["outcome"] == "complete"
    assert "All 1 path(s) Complete" in result.stderr


@pytest.mark.parametrize("command", [[], ["wait"], ["refresh"], ["preload"]])
def test_the_help_names_exit_codes_5_and_130(command):
    result = invoke({}, *command, "--help")
    text = " ".join(result.stdout.split())
    assert describe_exit_statuses(ExitStatus.INTERNAL) in text
    assert describe_exit_statuses(ExitStatus.INTERRUPTED) in text
