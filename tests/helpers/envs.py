"""Environments with nothing of ours in them: no Alibaba Cloud credentials, endpoints or profiles."""

from __future__ import annotations

import os
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
