"""Environments with nothing of ours in them: no Alibaba Cloud credentials, endpoints or profiles."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from alicloud_cdn_refresh.settings import ENVIRONMENT_VARIABLES

OUR_PREFIXES = ("ALICLOUD_", "ALIBABA_CLOUD_", "ALIBABACLOUD_")
"""Every variable of the Alibaba Cloud tool chain starts with one of these."""


def is_ours(name: str) -> bool:
    """Whether an environment variable is one this package (or the Alibaba tool chain) reads."""
    return name.startswith(OUR_PREFIXES) or name in ENVIRONMENT_VARIABLES


def clean_environ(home: Path, base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
    """``base`` (default ``os.environ``) without our variables, with ``HOME`` at ``home`` and ``extra``."""
    env = {name: value for name, value in (os.environ if base is None else base).items() if not is_ours(name)}
    env["HOME"] = str(home)
    env.update(extra)
    return env


def fresh_machine_environ() -> dict[str, str]:
    """This machine's environment (its package index settings included) as a new user's shell has it.

    Nothing of ours (no Alibaba Cloud credentials or endpoint), no active virtual environment (its
    ``bin`` is taken off ``PATH``), no ``PYTHON*`` variables; pip's version check off.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not is_ours(name)
        and not name.startswith("PYTHON")
        and name not in ("VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")
    }
    venvs = {os.environ.get("VIRTUAL_ENV"), sys.prefix if sys.prefix != sys.base_prefix else None} - {None}
    env["PATH"] = os.pathsep.join(
        part
        for part in env.get("PATH", "").split(os.pathsep)
        if part and not any(Path(part).is_relative_to(venv) for venv in venvs if venv)
    )
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env
