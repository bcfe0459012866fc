"""Bad input: one line naming what was wrong and what is allowed, exit 2, never a traceback.

Also the start-up budget: ``--help`` is fast and the CLI never imports pulumi or grpc.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from alicloud_cdn_refresh.cli.app import cli

NO_CREDENTIALS = {
    name: ""
    for name in (
        "ALICLOUD_ACCESS_KEY",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABACLOUD_ACCESS_KEY_ID",
        "ALICLOUD_SECRET_KEY",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABACLOUD_ACCESS_KEY_SECRET",
    )
}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), env=NO_CREDENTIALS)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["tasks", "--page", "0"], "'--page': 0 is not in the range 1<=x<=100000"),
        (["tasks", "--page-size", "500"], "'--page-size': 500 is not in the range 1<=x<=100"),
        (["tasks", "--status", "Done"], "'Complete', 'Refreshing', 'Failed'"),
        (["tasks", "--object-type", "folder"], "'file', 'directory', 'regex', 'preload', 'block', 'unblock'"),
        (["tasks", "--start", "yesterday"], "'--start': 'yesterday' is not a time"),
        (["tasks", "--all-pages", "--page", "2"], "--all-pages and --page exclude each other"),
        (["tasks", "--frobnicate"], "No such option"),
        (["wait"], "nothing to wait for: give object paths, --task-id ID or --from-file FILE"),
        (["wait", "x", "--timeout", "soon"], "'--timeout': 'soon' is not a duration"),
        (["refresh"], "no object paths"),
        (["refresh", "--type", "folder", "x"], "'File', 'Directory', 'Regex', 'ExQuery'"),
        (["preload", "--area", "mars", "x"], "'domestic', 'overseas'"),
        (["preload", "--with-header", "{not json", "https://a.example.com/x"], "must be a JSON object"),
        (["preload", "--with-header", "[1]", "https://a.example.com/x"], "must be a JSON object"),
        (["wait", "--from-file", "/nonexistent/paths.txt"], "'/nonexistent/paths.txt'"),
        (["emulator", "--port", "70000"], "'--port': 70000 is not in the range 0<=x<=65535"),
        (["emulator", "--fail-paths", "(unclosed"], "not a regular expression"),
        (["emulator", "--fault-rate", "2"], "'--fault-rate'"),
        (["nosuchcommand"], "No such command 'nosuchcommand'"),
        (["wait", "index.html"], "object path 'index.html' is not a URL: give full http:// or https:// URLs"),
        (["refresh", "https://a.example.com/x", "ftp://x"], "object path 'ftp://x' is not a URL"),
        (["preload", "--from-file", "-"], "no object paths"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, expected):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert "--help" in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_every_command_has_help():
    for command in ("tasks", "wait", "refresh", "preload", "quota", "emulator", "demo"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert result.stdout.startswith("Usage: "), result.stdout
        assert f" {command} [OPTIONS]" in result.stdout


def test_root_help_lists_the_exit_codes():
    result = invoke("--help")
    assert result.exit_code == 0
    assert "2 bad usage, 3 timeout, 4 API or credentials error" in " ".join(result.stdout.split())


def _script() -> list[str]:
    script = os.path.join(os.path.dirname(sys.executable), "cdn-refresh")
    if os.path.exists(script):
        return [script]
    return [sys.executable, "-m", "alicloud_cdn_refresh.cli"]


def test_help_is_fast():
    # The budget is 0.3 s; the bound here is generous so that a busy CI machine does not flake.
    command = [*_script(), "--help"]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    assert min(runs) < 1.0, runs


def test_help_imports_neither_pulumi_nor_grpc_nor_httpx_nor_rich():
    code = (
        "import sys\n"
        "from alicloud_cdn_refresh.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pulumi', 'grpc', 'httpx', 'rich'))\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr == "[]"
