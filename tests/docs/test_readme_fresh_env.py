"""The README's first command, on a fresh virtual environment, read the way a person reads it.

The checkout is copied to a temporary folder; the README's first command runs there exactly as
written (``python3 -m venv .venv``, ``pip install`` from the package index, ``cdn-refresh demo``),
the last step under a pseudo-terminal. The bytes the terminal received are replayed into the
``pyte`` terminal emulator, and the test reads the resulting screen: the progress bar was drawn and
redrawn, the table's columns line up, the summary line is right, and the demo exited 0 within 30 s.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from envs import fresh_machine_environ
from terminal import render, run_in_pty

ROOT = Path(__file__).resolve().parents[2]
DEMO_BUDGET = 30.0

_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "*.egg-info",
    "build",
    "dist",
)


def readme_commands() -> list[str]:
    """The commands of the README's first ```bash block, one per line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```bash\n(.*?)```", text, re.DOTALL)
    assert match, "README.md must start with a ```bash block of set-up commands"
    return [line.strip() for line in match.group(1).splitlines() if line.strip()]


@pytest.mark.fresh_env
def test_readme_first_command_runs_the_demo_on_a_fresh_machine(tmp_path):
    commands = readme_commands()
    first = commands[0]
    steps = [step.strip() for step in first.split("&&")]
    assert steps == [
        "python3 -m venv .venv",
        ".venv/bin/pip install -q -e .",
        ".venv/bin/cdn-refresh demo",
    ], f"the README's first command changed; update this test with it: {first!r}"

    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=_IGNORE)
    env = fresh_machine_environ()
    if shutil.which("python3", path=env.get("PATH")) is None:
        pytest.fail("python3 is not on PATH: the README's first command needs it")

    # The set-up steps exactly as written (plain subprocess: pip's output is not under test).
    for step in steps[:-1]:
        done = subprocess.run(
            step, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=240
        )
        assert done.returncode == 0, f"{step!r} failed:\n{done.stdout}\n{done.stderr}"

    # The demo under a terminal, the way a person runs it; an empty home: no ~/.aliyun/config.json.
    home = tmp_path / "home"
    home.mkdir()
    demo_env = {**env, "HOME": str(home)}
    returncode, raw, elapsed = run_in_pty(steps[-1], cwd=checkout, env=demo_env, timeout=DEMO_BUDGET + 15)
    screen = render(raw)
    shown = "\n".join(screen)
    assert returncode == 0, shown
    assert elapsed < DEMO_BUDGET, f"demo took {elapsed:.1f}s"
    assert "Traceback" not in shown

    # It really talked to its embedded emulator.
    assert re.search(r"emulator on http://127\.0\.0\.1:\d+", shown), shown

    # The progress bar drew on the terminal and was redrawn in place (a live display, not lines).
    bar_lines = [line for line in screen if "━" in line]
    assert bar_lines, shown
    assert any(re.search(r"6/6 complete\s+0 refreshing\s+0 pending\s+0 failed", line) for line in screen), (
        shown
    )
    assert raw.count(b"\x1b[2K") + raw.count(b"\x1b[1A") >= 4, "the live display was never redrawn"

    # The table: a header and six rows whose column separators line up exactly.
    top = next(i for i, line in enumerate(screen) if line.lstrip().startswith("╭"))
    bottom = next(i for i, line in enumerate(screen) if i > top and line.lstrip().startswith("╰"))
    header = screen[top + 1]
    for name in ("Status", "Progress", "Path", "Type", "Task ID", "Created (UTC)", "Description"):
        assert name in header, header
    separators = [m.start() for m in re.finditer("│", header)]
    assert len(separators) == 8, header
    rows = [line for line in screen[top + 3 : bottom] if "│" in line]
    for row in rows:
        assert [m.start() for m in re.finditer("│", row)] == separators, f"misaligned:\n{header}\n{row}"
    cells = [[cell.strip() for cell in row.split("│")[1:-1]] for row in rows]
    task_rows = [cell for cell in cells if cell[0]]
    assert len(task_rows) == 6, shown
    assert {row[0] for row in task_rows} == {"Complete"}
    assert {row[1] for row in task_rows} == {"100%"}
    assert sorted(row[3] for row in task_rows) == ["directory", "file", "file", "file", "preload", "preload"]

    # The summary is the last thing on screen and says what happened.
    last = [line for line in screen if line.strip()][-1]
    assert re.fullmatch(
        r"Demo done: 6/6 paths Complete \(4 refresh, 2 preload\), 0 failed, in \d+\.\ds\.", last
    ), last
    sys.stdout.write(f"\ndemo under a pty: {elapsed:.1f}s\n{shown.rstrip()}\n")
