"""``cdn-refresh`` as separate processes: the emulator subcommand serves, the CLI stays light."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from envs import clean_environ

CODE_RUN_AND_LIST_MODULES = """
import sys
from alicloud_cdn_refresh.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pulumi', 'pulumi_alicloud', 'grpc', 'google'})
sys.stderr.write('\\nEXIT=%s HEAVY=%r\\n' % (code, heavy))
"""


@pytest.fixture
def emulator_process(tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alicloud_cdn_refresh.cli",
            "emulator",
            "--complete-after",
            "0.2",
            "--seed",
            "3",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_environ(tmp_path),
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), (url, process.stderr.read() if process.poll() else "")
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(10)


def test_emulator_subcommand_serves_and_stops_cleanly_on_sigterm(emulator_process, tmp_path):
    process, url = emulator_process
    env = clean_environ(
        tmp_path,
        ALIBABA_CLOUD_CDN_ENDPOINT=url,
        ALIBABA_CLOUD_ACCESS_KEY_ID="testid",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET="testsecret",
    )
    command = [sys.executable, "-c", CODE_RUN_AND_LIST_MODULES]
    submitted = subprocess.run(
        [*command, "refresh", "--json", "--wait", "--poll-initial", "0.05", "https://a.example.com/x"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "EXIT=0 HEAVY=[]" in submitted.stderr, submitted.stderr
    assert json.loads(submitted.stdout)["outcome"] == "complete"

    listed = subprocess.run(
        [*command, "tasks", "--json"], capture_output=True, text=True, env=env, timeout=60
    )
    assert "EXIT=0 HEAVY=[]" in listed.stderr, listed.stderr
    assert [t["object_path"] for t in json.loads(listed.stdout)["tasks"]] == ["https://a.example.com/x"]

    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0


def test_demo_imports_neither_pulumi_nor_grpc(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", CODE_RUN_AND_LIST_MODULES, "demo", "--complete-after", "0.3"],
        capture_output=True,
        text=True,
        env=clean_environ(tmp_path),
        timeout=60,
    )
    assert "EXIT=0 HEAVY=[]" in result.stderr, result.stderr
    assert "Demo done: 6/6 paths Complete" in result.stdout
