"""Running a command on a pseudo-terminal and reading the screen a person would see."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

import pyte
import pytest

COLUMNS, LINES = 120, 60


def run_in_pty(command: str, *, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, bytes, float]:
    """Run ``command`` with a pseudo-terminal as its stdin, stdout and stderr; return (rc, bytes, s)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        shell=True,
        cwd=cwd,
        env={**env, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)},
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            left = started + timeout - time.monotonic()
            if left <= 0:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(5)
                pytest.fail(
                    f"{command!r} did not finish within {timeout} s; output so far: {b''.join(chunks)!r}"
                )
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        returncode = process.wait(max(0.1, started + timeout - time.monotonic()))
    finally:
        os.close(master)
    return returncode, b"".join(chunks), time.monotonic() - started


def render(raw: bytes) -> list[str]:
    """The screen a person would see after these bytes, one string per line, right-stripped."""
    screen = pyte.Screen(COLUMNS, LINES)
    stream = pyte.ByteStream(screen)
    stream.feed(raw)
    return [line.rstrip() for line in screen.display]
