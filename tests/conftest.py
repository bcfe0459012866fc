"""Fixtures shared by every part's tests; helpers importable by name live in ``tests/helpers/``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from envs import is_ours


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials, endpoints or profiles of this machine reach the test; returns the empty HOME.

    Every Alibaba Cloud variable is removed and ``HOME`` is an empty folder (no ``~/.aliyun`` or
    ``~/.alibabacloud``). The chain asks the ECS metadata service only when a role name is set, so
    nothing here can reach it.
    """
    for name in [name for name in os.environ if is_ours(name)]:
        monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    return home
