"""``cdn-refresh emulator`` and ``python -m alicloud_cdn_refresh.emulator`` are one command.

Same flags, defaults, help and exit codes; both accept ``--complete-after-polls 0`` (complete on
the first answer), which the two used to disagree about.
"""

from __future__ import annotations

import runpy
import signal
import subprocess
import sys

import pytest

from alicloud_cdn_refresh.cli import app
from alicloud_cdn_refresh.cli.app import cli, run_program
from alicloud_cdn_refresh.cli.commands import emulator as emulator_module
from alicloud_cdn_refresh.cli.commands.emulator import PROGRAM_NAME, emulator_command
from alicloud_cdn_refresh.emulator import FAULT_KINDS, Emulator
from emulator_helpers import Caller
from envs import clean_environ

ENTRY_POINTS = {
    "cdn-refresh emulator": [sys.executable, "-m", "alicloud_cdn_refresh.cli", "emulator"],
    PROGRAM_NAME: [sys.executable, "-m", "alicloud_cdn_refresh.emulator"],
}


def run(entry: str, *flags: str, tmp_path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENTRY_POINTS[entry], *flags],
        capture_output=True,
        text=True,
        env=clean_environ(tmp_path),
        timeout=30,
    )


def test_the_module_runs_the_command_the_cli_registers(monkeypatch):
    assert cli.commands["emulator"] is emulator_command
    ran: list[tuple[object, str]] = []
    monkeypatch.setattr(app, "run_program", lambda command, **kw: ran.append((command, kw["prog_name"])))
    runpy.run_module("alicloud_cdn_refresh.emulator", run_name="__main__")
    assert ran == [(emulator_command, PROGRAM_NAME)]


def test_both_show_the_same_help(tmp_path):
    helps = {entry: run(entry, "--help", tmp_path=tmp_path) for entry in ENTRY_POINTS}
    for entry, result in helps.items():
        assert result.returncode == 0, result.stderr
        usage, _, rest = result.stdout.partition("\n")
        assert usage == f"Usage: {entry} [OPTIONS]"
        helps[entry] = rest  # type: ignore[assignment]
    first, second = helps.values()
    assert first == second
    assert "--complete-after-polls N" in first


@pytest.mark.parametrize(
    "flags", [["--port", "70000"], ["--complete-after-polls", "-1"], ["--host", "0.0.0.0"]]
)
def test_both_refuse_a_bad_flag_alike_with_exit_2(tmp_path, flags):
    results = [run(entry, *flags, tmp_path=tmp_path) for entry in ENTRY_POINTS]
    for result in results:
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.startswith("error: ")
    first, second = (result.stderr.replace(entry, "PROGRAM") for result, entry in zip(results, ENTRY_POINTS))
    assert first == second


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_both_accept_complete_after_polls_0_and_complete_at_once(tmp_path, entry):
    process = subprocess.Popen(
        [*ENTRY_POINTS[entry], "--complete-after-polls", "0", "--complete-after", "1h"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_environ(tmp_path),
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.stderr.read() if process.poll() else url
        caller = Caller(base_url=url)
        (task_id,) = caller.refresh("https://a.example.com/x.js")
        task = caller.tasks(TaskId=task_id)["Tasks"]["CDNTask"][0]
        caller.close()
        assert task["Status"] == "Complete"
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def served_by(monkeypatch, *flags: str) -> Emulator:
    """The emulator the command builds from ``flags`` (captured instead of served)."""
    built: list[Emulator] = []
    monkeypatch.setattr(
        emulator_module, "serve_until_signal", lambda emulator, *a, **k: built.append(emulator)
    )
    with pytest.raises(SystemExit) as info:
        run_program(emulator_command, list(flags), prog_name=PROGRAM_NAME)
    assert info.value.code == 0
    return built[0]


def test_complete_after_polls_0_reaches_the_task_store(monkeypatch):
    emulator = served_by(monkeypatch, "--complete-after-polls", "0")
    assert emulator.store.complete_after_polls == 0
    assert served_by(monkeypatch).store.complete_after_polls is None


def test_the_key_pair_defaults_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CDN_REFRESH_EMULATOR_ACCESS_KEY_ID", "envid")
    monkeypatch.setenv("CDN_REFRESH_EMULATOR_ACCESS_KEY_SECRET", "envsecret")
    emulator = served_by(monkeypatch)
    assert emulator.keys.get("envid") is not None
    assert emulator.keys.get("testid") is None
    flagged = served_by(monkeypatch, "--access-key-id", "flagid")
    assert flagged.keys.get("flagid") is not None


def test_an_unknown_fault_kind_is_bad_usage(capsys):
    with pytest.raises(SystemExit) as info:
        run_program(emulator_command, ["--fault-kinds", "500,meteor"], prog_name=PROGRAM_NAME)
    assert info.value.code == 2
    assert "meteor" in capsys.readouterr().err


def test_the_default_fault_kinds_are_the_emulators():
    assert emulator_module._FAULT_KINDS == FAULT_KINDS
