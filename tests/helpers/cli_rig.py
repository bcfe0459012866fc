"""Running ``cdn-refresh`` against an emulator served on 127.0.0.1: in-process (click's runner) or as
a real process (for signals, pipes, devices and terminal encodings)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from alicloud_cdn_refresh.cli.app import cli
from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.settings import ENVIRONMENT_VARIABLES
from envs import clean_environ

SECRET = "testsecret"
FAST = ["--poll-initial", "0.05", "--poll-max", "0.1"]


def runner_env(url: str, home: Path, **extra: str | None) -> dict[str, str | None]:
    """The environment of an in-process run: our variables unset but the endpoint and test keys."""
    values: dict[str, str | None] = dict.fromkeys(ENVIRONMENT_VARIABLES)
    values.update(
        {
            "HOME": str(home),
            "ALIBABA_CLOUD_CDN_ENDPOINT": url,
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET,
        }
    )
    values.update(extra)
    return values


def invoke(env: Mapping[str, str | None], *args: str, input: str | bytes | None = None) -> Result:
    """Run the CLI in-process; no traceback may reach the user."""
    result = CliRunner().invoke(cli, list(args), env=dict(env), input=input)
    output = result.stdout + result.stderr
    assert "Traceback" not in output or "--debug" in args, output
    return result


def process_env(url: str, home: Path, **extra: str) -> dict[str, str]:
    """The environment of a separate process (nothing of this machine's Alibaba settings)."""
    return clean_environ(
        home,
        ALIBABA_CLOUD_CDN_ENDPOINT=url,
        ALIBABA_CLOUD_ACCESS_KEY_ID="testid",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET=SECRET,
        **extra,
    )


def command(*args: str) -> list[str]:
    """``cdn-refresh ARGS`` as a process: ``python -m alicloud_cdn_refresh`` of this interpreter."""
    return [sys.executable, "-m", "alicloud_cdn_refresh", *args]


def run_process(env: Mapping[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run ``cdn-refresh ARGS`` to completion (60 s at most), capturing text output."""
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run(command(*args), env=dict(env), text=True, timeout=60, check=False, **kwargs)


@contextmanager
def served(emulator: Emulator) -> Iterator[str]:
    """The emulator on a free loopback port for the duration; its URL."""
    with emulator.serve() as server:
        yield server.url


def closed_pipe() -> int:
    """A pipe's write end whose read end is already closed: any write to it fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write
