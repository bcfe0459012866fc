"""``cdn-refresh refresh --wait`` on a real pseudo-terminal, read back through the pyte emulator."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from alicloud_cdn_refresh.emulator import FAILURE_DESCRIPTIONS, Emulator
from envs import clean_environ
from terminal import render, run_in_pty


@pytest.fixture
def env(tmp_path):
    emulator = Emulator(complete_after_polls=4, fail_paths=r"/broken", qps_limits=False, seed=11)
    with emulator.serve() as server:
        values = clean_environ(
            tmp_path,
            ALIBABA_CLOUD_CDN_ENDPOINT=server.url,
            ALIBABA_CLOUD_ACCESS_KEY_ID="testid",
            ALIBABA_CLOUD_ACCESS_KEY_SECRET="testsecret",
        )
        yield values


def cdn_refresh(*args: str) -> str:
    return " ".join([sys.executable, "-m", "alicloud_cdn_refresh.cli", *args])


def test_wait_draws_a_live_bar_then_an_aligned_table(env):
    paths = ["https://a.example.com/index.html", "https://a.example.com/app.js"]
    command = cdn_refresh("refresh", "--wait", "--poll-initial", "0.1", "--poll-max", "0.2", *paths)
    returncode, raw, _ = run_in_pty(command, cwd=Path.cwd(), env=env, timeout=30)
    screen = render(raw)
    shown = "\n".join(screen)
    assert returncode == 0, shown
    assert raw.count(b"\x1b[2K") >= 3, "the live display was not redrawn in place"
    assert b"\x1b[" in raw  # colours on a terminal
    assert any("━" in line for line in screen), shown
    assert re.search(r"2/2 complete\s+0 refreshing\s+0 pending\s+0 failed", shown), shown
    rows = [line for line in screen if line.startswith("│")]
    assert len({tuple(m.start() for m in re.finditer("│", row)) for row in rows}) == 1, shown
    assert sum("Complete" in row for row in rows) == 2
    assert re.search(r"^All 2 path\(s\) Complete in \d+\.\ds\.$", shown, re.MULTILINE), shown


def test_failed_path_on_a_terminal_exit_1_with_description(env):
    command = cdn_refresh("refresh", "--wait", "--poll-initial", "0.1", "https://a.example.com/broken/x.js")
    returncode, raw, _ = run_in_pty(command, cwd=Path.cwd(), env=env, timeout=30)
    shown = "\n".join(render(raw))
    assert returncode == 1, shown
    assert "error: 1 path(s) failed:" in shown
    line = next(
        line for line in shown.splitlines() if line.startswith("  https://a.example.com/broken/x.js: ")
    )
    assert any(description in line for description in FAILURE_DESCRIPTIONS), line
    assert "Traceback" not in shown
