"""Issue 17, CLI part: the wait says what it knows. A path is "not checked yet", "no task found" or
its task's status and progress, never "NotChecked 0%"; a round that could not ask about every path
says so (and why); the timeout message breaks the paths down by state; ``--debug`` shows the
waiter's plan of each round; JSON keeps ``last_status`` and adds ``state``."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timezone

import pytest
from rich.console import Console

from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.progress import LiveProgress, PlainProgress, make_progress
from alicloud_cdn_refresh.cli.render import describe_states, pending_lines, pending_to_json
from alicloud_cdn_refresh.cli.state import CliState
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import PendingPath
from alicloud_cdn_refresh.models import ObjectType, RefreshTask, TaskStatus
from alicloud_cdn_refresh.waiter.loop import WaitProgress
from cli_rig import FAST, invoke, runner_env, served

CREATED = datetime(2026, 11, 28, 8, 23, 22, tzinfo=timezone.utc)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def task(path, status="Refreshing", process=40, task_id="704225667"):
    return RefreshTask(
        task_id=task_id,
        object_path=path,
        status=TaskStatus(status),
        process=process,
        object_type=ObjectType.FILE,
        creation_time=CREATED,
        description="Origin Timeout" if status == "Failed" else "",
    )


def progress(**changes):
    values = {
        "complete": 0,
        "refreshing": 0,
        "pending": 256,
        "failed": 0,
        "total": 256,
        "elapsed": 1.5,
        "round": 1,
        "slowest": (PendingPath("https://a.example.com/x", "NotChecked"),),
        "done": False,
        "pending_states": {"NotChecked": 250, "Pending": 6},
    }
    values.update(changes)
    return WaitProgress(**values)


# -- the words ----------------------------------------------------------------------------------


def test_a_pending_path_is_described_in_words_with_its_machine_value_kept():
    assert pending_to_json(PendingPath("https://a.example.com/x", "NotChecked")) == {
        "object_path": "https://a.example.com/x",
        "last_status": "NotChecked",
        "process": 0,
        "task_id": None,
        "state": "not checked yet",
    }
    refreshing = pending_to_json(PendingPath("https://a.example.com/y", "Refreshing", 40, "7"))
    assert (refreshing["last_status"], refreshing["state"]) == ("Refreshing", "Refreshing 40%")


def test_states_are_counted_in_words():
    assert describe_states({"NotChecked": 250, "Refreshing": 40, "NotFound": 2, "Pending": 0}) == (
        "250 not checked yet, 40 Refreshing, 2 no task found"
    )


def test_pending_lines_are_grouped_by_state():
    pending = [
        PendingPath("https://a.example.com/1", "Refreshing", 40, "11"),
        PendingPath("https://a.example.com/2", "NotChecked"),
        PendingPath("", "NotFound", task_id="99"),
        PendingPath("https://a.example.com/3", "NotChecked"),
    ]
    assert pending_lines(pending) == [
        "  https://a.example.com/2: not checked yet",
        "  https://a.example.com/3: not checked yet",
        "  https://a.example.com/1: Refreshing 40% (task 11)",
        "  task 99: no task found",
    ]


# -- the progress -------------------------------------------------------------------------------


def test_a_plain_line_says_what_pending_holds_and_that_the_round_fell_short():
    stream = io.StringIO()
    PlainProgress(stream)(
        progress(round_incomplete=True, incomplete_reason="Throttling", calls_needed=60, calls_possible=35)
    )
    assert stream.getvalue() == (
        "[    1.5s] round 1: 0/256 complete, 0 refreshing, 256 pending (250 not checked yet, 6 Pending), "
        "0 failed; round incomplete (Throttling); needs ~60 calls, ~35 fit before the deadline; "
        "slowest: https://a.example.com/x (not checked yet)\n"
    )


def test_a_plain_line_stays_as_it_was_when_every_pending_path_is_pending():
    stream = io.StringIO()
    item = task("https://a.example.com/x", "Pending", 0)
    PlainProgress(stream)(
        progress(
            pending=2,
            total=2,
            pending_states={"Pending": 2},
            slowest=(item,),
            calls_needed=3,
            calls_possible=9,
        )
    )
    assert stream.getvalue() == (
        "[    1.5s] round 1: 0/2 complete, 0 refreshing, 2 pending, 0 failed; "
        "slowest: https://a.example.com/x (Pending 0%)\n"
    )


def test_the_live_view_says_it_too():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=140, color_system="truecolor")
    live = LiveProgress(console, total=256, label="Waiting for DCDN tasks")
    live(progress(round_incomplete=True, incomplete_reason="deadline", calls_needed=60, calls_possible=35))
    live.close()
    shown = ANSI.sub("", buffer.getvalue())
    assert "Waiting for DCDN tasks" in shown
    assert "256 pending (250 not checked yet, 6 Pending)" in shown
    assert "round incomplete (deadline); needs ~60 calls, ~35 fit before the deadline" in shown
    assert "  not checked yet https://a.example.com/x" in shown
    assert "NotChecked" not in shown


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_debug_draws_plain_lines_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLUMNS", raising=False)
    assert isinstance(make_progress(Terminal()), LiveProgress)
    state = CliState()
    state.debug = True
    monkeypatch.setattr("alicloud_cdn_refresh.cli.progress.current_state", lambda: state)
    assert isinstance(make_progress(Terminal()), PlainProgress)


# -- against the emulator -----------------------------------------------------------------------


@pytest.fixture
def emulator():
    return Emulator(complete_after=3_600, qps_limits=False, seed=17)


@pytest.fixture
def env(emulator, tmp_path):
    with served(emulator) as url:
        yield runner_env(url, tmp_path)


PATHS = [f"https://d{number}.example.com/a.js" for number in range(6)]


def test_a_timeout_breaks_the_paths_down_by_state(emulator, env):
    for path in PATHS[:2]:
        emulator.seed_task(path, status="Refreshing", process=40)
    result = invoke(env, "wait", "--json", *FAST, "--timeout", "1", "--not-found-grace", "1h", *PATHS)
    assert result.exit_code == ExitStatus.TIMEOUT, result.stderr
    lines = result.stderr.splitlines()
    head = next(line for line in lines if line.startswith("error: "))
    assert head == "error: timeout after 1s: 6 path(s) not Complete (4 no task found, 2 Refreshing):"
    listed = lines[lines.index(head) + 1 :]
    assert listed[:4] == [f"  {path}: no task found" for path in PATHS[2:]]
    assert re.fullmatch(r"  https://d0\.example\.com/a\.js: Refreshing 40% \(task \d+\)", listed[4])
    assert "NotFound" not in result.stderr
    states = {item["object_path"]: item["state"] for item in json.loads(result.stdout)["pending"]}
    assert states == {
        **dict.fromkeys(PATHS[:2], "Refreshing 40%"),
        **dict.fromkeys(PATHS[2:], "no task found"),
    }


def test_paths_never_asked_about_are_not_checked_yet_and_the_note_says_why(emulator, env):
    emulator.seed_task(PATHS[0], status="Refreshing", process=40)
    emulator.fail_next("Throttling", times=100_000)
    result = invoke(env, "wait", "--json", *FAST, "--timeout", "1", *PATHS)
    assert result.exit_code == ExitStatus.TIMEOUT, result.stderr
    rounds = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert "6 pending (6 not checked yet)" in rounds[-1]
    assert "round incomplete (Throttling)" in rounds[-1]
    assert "error: timeout after 1s: 6 path(s) not Complete (6 not checked yet):" in result.stderr
    assert f"  {PATHS[0]}: not checked yet\n" in result.stderr
    note = "note: 6 of them not checked yet: the last round was cut short (Throttling); they may well be"
    assert f"{note} Complete" in result.stderr
    pending = json.loads(result.stdout)["pending"]
    assert {(item["last_status"], item["state"]) for item in pending} == {("NotChecked", "not checked yet")}


def test_debug_shows_the_plan_of_each_round(emulator, env):
    emulator.seed_task(PATHS[0], status="Complete")
    result = invoke(env, "wait", "--debug", *FAST, PATHS[0])
    assert result.exit_code == 0, result.stderr
    plans = [line for line in result.stderr.splitlines() if " plan: " in line]
    assert plans, result.stderr
    plan = r"round 1 plan: .+ ~\d+ call\(s\) for 1 path\(s\) on 1 domain\(s\)"
    assert re.fullmatch(rf"\d\d:\d\d:\d\d\.\d{{3}} DEBUG waiter: {plan}.*", plans[0]), plans[0]
    assert "alicloud_cdn_refresh.waiter" not in result.stderr  # the part's short name
