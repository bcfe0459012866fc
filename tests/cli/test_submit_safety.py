"""Issue 16, "Submitted work must never be lost": a partly accepted submit says exactly which paths
went through under which ids (text and JSON, exit 6), a submit that cannot fit today's quota is
refused before anything is sent, and Ctrl-C or SIGTERM never swallows the submitted task ids."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from alicloud_cdn_refresh.cli.commands import submit
from alicloud_cdn_refresh.cli.exit_status import ExitStatus
from alicloud_cdn_refresh.cli.output import Terminated, deferred_signals
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.errors import AcceptedBatch, ApiError, PartialSubmit
from cli_rig import FAST, command, invoke, process_env, served

PATHS = [f"https://a.example.com/{n}.js" for n in range(1_500)]


@pytest.fixture
def emulator():
    return Emulator(complete_after_polls=2, qps_limits=False, seed=6)


@pytest.fixture
def paths_file(tmp_path):
    path = tmp_path / "paths.txt"
    path.write_text("\n".join(PATHS) + "\n", encoding="utf-8")
    return str(path)


# -- a partly accepted submit ----------------------------------------------------------------------


def test_a_partly_accepted_submit_lists_every_path_with_its_fate(emulator, env, paths_file):
    emulator.set_quota("url", 1_200)  # the first call (1,000) fits, the second (500) does not
    result = invoke(env, "refresh", "--ignore-quota", "--from-file", paths_file)
    assert result.exit_code == ExitStatus.PARTIAL_SUBMIT == 6, result.stderr
    accepted_ids = {task.task_id for task in emulator.tasks()}
    (line,) = result.stdout.splitlines()
    assert line.startswith("Submitted refresh of 1000 of 1500 path(s): task id(s) ")
    assert set(line.rsplit(": task id(s) ", 1)[1].split(", ")) == accepted_ids
    err = result.stderr.splitlines()
    assert err[0].startswith("error: partly submitted: RefreshObjectCaches: 1000 of 1500 path(s) accepted")
    assert "QuotaExceeded.Refresh" in err[0]
    accepted_at = next(i for i, text in enumerate(err) if text.startswith("accepted under task id(s) "))
    rejected_at = next(
        i for i, text in enumerate(err) if text.startswith("not accepted (QuotaExceeded.Refresh")
    )
    assert [text.strip() for text in err[accepted_at + 1 : rejected_at]] == PATHS[:1_000]
    assert [text.strip() for text in err[rejected_at + 1 : -1]] == PATHS[1_000:]
    assert err[-1].startswith("hint: wait for what was accepted with `cdn-refresh wait --task-id ")


def test_a_partly_accepted_submit_in_json(emulator, env, paths_file):
    emulator.set_quota("url", 1_200)
    result = invoke(env, "refresh", "--json", "--ignore-quota", "--wait", "--from-file", paths_file)
    assert result.exit_code == ExitStatus.PARTIAL_SUBMIT, result.stderr
    document = json.loads(result.stdout)
    assert document["object_paths"] == PATHS
    assert [batch["object_paths"] for batch in document["accepted"]] == [PATHS[:1_000]]
    assert document["task_ids"] == document["accepted"][0]["task_ids"]
    assert set(document["task_ids"]) == {task.task_id for task in emulator.tasks()}
    assert document["uncertain"] == []
    assert document["rejected"] == PATHS[1_000:]
    error = document["error"]
    assert error["kind"] == "partial_submit"
    assert error["code"] == "QuotaExceeded.Refresh"
    assert error["request_id"]
    assert error["exit_code"] == 6
    assert "outcome" not in document  # no wait after a partial submit: the exit status asks for a look


def test_paths_whose_answer_was_lost_are_listed_apart(env, monkeypatch):
    lost = ApiError("TransportError", "ReadTimeout", action="RefreshObjectCaches", request_sent=True)
    partial = PartialSubmit(
        "RefreshObjectCaches",
        [AcceptedBatch(("101",), tuple(PATHS[:2]))],
        PATHS[3:4],
        cause=lost,
        uncertain_paths=PATHS[2:3],
    )

    class Client:
        def refresh_object_caches(self, paths, **kwargs):
            raise partial

    @contextmanager
    def open_client(endpoint, signature_version):
        yield Client()

    monkeypatch.setattr(submit, "open_client", open_client)
    text = invoke(env, "refresh", "--ignore-quota", *PATHS[:4])
    assert text.exit_code == 6
    assert text.stdout == "Submitted refresh of 2 of 4 path(s): task id(s) 101\n"
    assert "sent, but the answer was lost (TransportError): may have been accepted" in text.stderr
    assert f"  {PATHS[2]}\n" in text.stderr
    document = json.loads(invoke(env, "refresh", "--json", "--ignore-quota", *PATHS[:4]).stdout)
    assert (document["uncertain"], document["rejected"]) == (PATHS[2:3], PATHS[3:4])


# -- the quota is checked first --------------------------------------------------------------------


def test_a_submit_larger_than_todays_quota_is_refused_before_sending(emulator, env, paths_file):
    emulator.set_quota("url", 1_200)
    result = invoke(env, "refresh", "--json", "--from-file", paths_file)
    assert result.exit_code == ExitStatus.API_ERROR, result.stderr
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "quota"
    assert (error["quota_kind"], error["needed"], error["remain"]) == ("url", 1_500, 1_200)
    assert "--ignore-quota" in error["hint"]
    assert emulator.tasks() == []  # nothing was sent
    assert emulator.requests_served["RefreshObjectCaches"] == 0


def test_one_call_is_not_checked_against_the_quota(emulator, env):
    invoke(env, "refresh", "https://a.example.com/one.js")
    assert emulator.requests_served["DescribeRefreshQuota"] == 0


def test_a_quota_that_cannot_be_read_does_not_stop_the_submit(emulator, env, paths_file):
    emulator.fail_next("NoPermission", action="DescribeRefreshQuota")
    result = invoke(env, "refresh", "--from-file", paths_file)
    assert result.exit_code == 0, result.stderr
    assert "warning: today's quota could not be read to check it first (NoPermission)" in result.stderr


# -- Ctrl-C and SIGTERM ----------------------------------------------------------------------------


@pytest.fixture
def slow_url():
    with served(Emulator(complete_after=3_600, qps_limits=False, seed=9)) as running:
        yield running


def _run_and_signal(env, signum, *args):
    process = subprocess.Popen(
        command(*args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        seen = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            seen.append(line)
            if " round " in line:  # the wait has begun
                break
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
        return process.returncode, out, "".join(seen) + err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


@pytest.mark.parametrize(
    ("signum", "status", "kind"),
    [
        (signal.SIGTERM, ExitStatus.TERMINATED, "terminated"),
        (signal.SIGINT, ExitStatus.INTERRUPTED, "interrupted"),
    ],
)
def test_a_signal_during_refresh_wait_json_still_prints_the_ids(slow_url, tmp_path, signum, status, kind):
    env = process_env(slow_url, tmp_path)
    code, out, err = _run_and_signal(
        env, signum, "refresh", "--wait", "--json", *FAST, "https://a.example.com/sig.js"
    )
    assert code == status, err
    document = json.loads(out)
    assert document["task_ids"]
    assert document["object_paths"] == ["https://a.example.com/sig.js"]
    assert document["outcome"] == "interrupted"
    assert document["error"]["kind"] == kind
    assert document["error"]["exit_code"] == status
    assert f"task id(s) {document['task_ids'][0]}" in err  # on stderr before the wait, too
    assert "Traceback" not in err


def test_ctrl_c_during_refresh_wait_keeps_the_submitted_line(slow_url, tmp_path):
    env = process_env(slow_url, tmp_path)
    code, out, err = _run_and_signal(
        env, signal.SIGINT, "refresh", "--wait", *FAST, "https://a.example.com/c.js"
    )
    assert code == 130, err
    assert out.startswith("Submitted refresh of 1 path(s): task id(s) ")
    assert err.rstrip().endswith("error: interrupted")


def test_a_signal_during_the_submit_lets_it_finish_and_prints_the_ids(env, monkeypatch):
    class Client:
        def refresh_object_caches(self, paths, **kwargs):
            os.kill(os.getpid(), signal.SIGTERM)  # arrives between two calls of a long submit
            return ["501", "502"]

    @contextmanager
    def open_client(endpoint, signature_version):
        yield Client()

    monkeypatch.setattr(submit, "open_client", open_client)
    paths = ["https://a.example.com/1", "https://a.example.com/2"]
    result = invoke(env, "refresh", "--json", "--wait", "--ignore-quota", *paths)
    assert result.exit_code == ExitStatus.TERMINATED
    document = json.loads(result.stdout)
    assert document["task_ids"] == ["501", "502"]
    assert document["outcome"] == "interrupted"
    assert "finishing the submit under way" in result.stderr


def test_a_second_signal_does_not_wait(monkeypatch):
    with pytest.raises(KeyboardInterrupt), deferred_signals("notice") as held:  # noqa: PT012
        os.kill(os.getpid(), signal.SIGINT)
        assert held.signum == signal.SIGINT
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
        pytest.fail("the second Ctrl-C should have raised")


def test_held_signals_stand_for_their_exceptions():
    with deferred_signals("notice") as held:
        os.kill(os.getpid(), signal.SIGTERM)
    assert isinstance(held.interruption(), Terminated)
    assert signal.getsignal(signal.SIGTERM) is not None
    assert sys.platform != "win32"
