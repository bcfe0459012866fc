"""Output that cannot be written ends a run with the status the CLI gives it everywhere: the
emulator's URL line included (it used to be "cannot serve", exit 1), and a stdout closed before the
start (``>&-``), which used to print into nothing (exit 0) or crash with ``--json``."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.emulator import Emulator
from cli_rig import closed_pipe, command, process_env, served
from envs import clean_environ


@pytest.fixture
def url():
    with served(Emulator(complete_after_polls=0, qps_limits=False)) as running:
        yield running


def run_without_stdout(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``cdn-refresh ARGS >&-``: the child starts with file descriptor 1 closed."""
    return subprocess.run(
        command(*args),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),  # the child, before exec: nothing else runs there
    )


def test_the_emulator_url_into_a_closed_pipe_is_141_as_everywhere(tmp_path):
    pipe = closed_pipe()
    try:
        result = subprocess.run(
            command("emulator"),
            env=clean_environ(tmp_path),
            stdout=pipe,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
            check=False,
        )
    finally:
        os.close(pipe)
    assert result.returncode == ExitStatus.BROKEN_PIPE, result.stderr
    assert "cannot serve" not in result.stderr
    assert result.stderr.strip().splitlines() == ["error: output closed by its reader (broken pipe)"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_the_emulator_url_onto_a_full_device_is_output_not_written(tmp_path):
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            command("emulator"),
            env=clean_environ(tmp_path),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == ExitStatus.OUTPUT_ERROR, result.stderr
    assert result.stderr.strip().splitlines() == ["error: cannot write the output: No space left on device"]


def test_the_emulator_without_stdout_is_output_not_written(tmp_path):
    result = run_without_stdout(clean_environ(tmp_path), "emulator")
    assert result.returncode == ExitStatus.OUTPUT_ERROR, result.stderr
    assert result.stderr.strip().splitlines() == ["error: cannot write the output: stdout is closed"]


def test_an_address_in_use_is_still_cannot_serve(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            command("emulator", "--port", str(port)),
            env=clean_environ(tmp_path),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == ExitStatus.FAILED, result.stderr
    assert result.stderr.startswith(f"error: cannot serve on 127.0.0.1:{port}: ")
    assert result.stdout == ""


@pytest.mark.parametrize("args", [["quota", "--json"], ["quota"], ["tasks"]])
def test_any_command_without_stdout_is_output_not_written(url, tmp_path, args):
    result = run_without_stdout(process_env(url, tmp_path), *args)
    assert result.returncode == ExitStatus.OUTPUT_ERROR, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["error: cannot write the output: stdout is closed"]
