"""Fixtures of the CLI tests: a module's ``emulator`` fixture served on 127.0.0.1 (``url``) and the
environment of an in-process run against it (``env``). A module that needs other settings defines
its own ``env`` (or ``url``); every module using these defines ``emulator``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alicloud_cdn_refresh.emulator import Emulator
from cli_rig import runner_env, served


@pytest.fixture
def url(emulator: Emulator) -> Iterator[str]:
    """The endpoint of the module's ``emulator``, served for the test."""
    with served(emulator) as running:
        yield running


@pytest.fixture
def env(url: str, tmp_path: Path) -> dict[str, str | None]:
    """Our variables unset but the served endpoint and test keys; ``HOME`` a fresh folder."""
    return runner_env(url, tmp_path)
