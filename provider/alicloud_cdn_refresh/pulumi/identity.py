"""A resource's own identity: the optional ``profile`` and ``assumeRole`` inputs over the stack's.

For programs that deploy into several accounts: ``profile`` replaces the stack's whole identity with
a profile of the shared config file (``~/.aliyun/config.json``), and ``assumeRole`` replaces
``alicloud:assumeRole`` (the role is assumed with whatever identity was found), exactly as
:func:`~alicloud_cdn_refresh.credentials.resolve_provider`'s ``profile=`` and ``assume_role=`` do.
Neither is secret: a profile name and a role ARN name an identity, they do not prove one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["ASSUME_ROLE_FIELDS", "IDENTITY_INPUTS", "Identity", "check_assume_role", "check_profile"]

IDENTITY_INPUTS: Final = ("profile", "assumeRole")
"""The identity inputs every resource and the data source take (wire names); a change updates."""

ASSUME_ROLE_FIELDS: Final = {
    "roleArn": "role_arn",
    "sessionName": "session_name",
    "externalId": "external_id",
    "policy": "policy",
    "sessionExpiration": "session_expiration",
}
"""The fields of ``assumeRole`` (wire name -> Python name), as pulumi-alicloud's ``assumeRole`` has them."""

_EXAMPLE_ARN: Final = "acs:ram::123456789012:role/deployer"
_SESSION_RANGE: Final = (900, 43200)
"""STS AssumeRole's DurationSeconds bounds (seconds)."""


@dataclass(frozen=True)
class Identity:
    """Whose credentials one operation uses; both ``None``: the stack's (config, environment, profile)."""

    profile: str | None = None
    assume_role: Mapping[str, Any] | None = None

    @classmethod
    def of(cls, inputs: Mapping[str, Any]) -> Identity:
        """The identity named by checked inputs (wire names)."""
        profile = inputs.get("profile")
        role = inputs.get("assumeRole")
        return cls(
            profile=str(profile) if profile else None,
            assume_role=dict(role) if isinstance(role, Mapping) and role else None,
        )

    @property
    def is_stack(self) -> bool:
        """No override: the stack's identity."""
        return self.profile is None and self.assume_role is None


def check_profile(value: Any) -> str | None:
    """Why ``profile`` is refused, or ``None`` when it is a usable profile name."""
    if not isinstance(value, str) or not value.strip():
        return f"must be the name of a profile of the shared config file, got {value!r}"
    return None


def check_assume_role(value: Any) -> tuple[dict[str, Any], list[str]]:
    """``assumeRole`` with wire-named keys (Python names accepted), and every reason it is refused."""
    if not isinstance(value, Mapping):
        return {}, [f'must be an object such as {{"roleArn": "{_EXAMPLE_ARN}"}}, got {value!r}']
    python_to_wire = {python: wire for wire, python in ASSUME_ROLE_FIELDS.items()}
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for key, item in value.items():
        wire = key if key in ASSUME_ROLE_FIELDS else python_to_wire.get(str(key))
        if wire is None:
            problems.append(f"unknown field {key!r}; known: {', '.join(ASSUME_ROLE_FIELDS)}")
        elif item is not None:
            fields[wire] = item
    role = fields.get("roleArn")
    if not isinstance(role, str) or not role.startswith("acs:ram::"):
        problems.append(f"roleArn must be a role ARN such as {_EXAMPLE_ARN}, got {role!r}")
    for key in ("sessionName", "externalId", "policy"):
        if key in fields and (not isinstance(fields[key], str) or not fields[key]):
            problems.append(f"{key} must be a non-empty string, got {fields[key]!r}")
    if "sessionExpiration" in fields:
        seconds = fields["sessionExpiration"]
        low, high = _SESSION_RANGE
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, (int, float))
            or not math.isfinite(seconds)
            or not low <= seconds <= high
        ):
            problems.append(f"sessionExpiration must be {low}..{high} seconds, got {seconds!r}")
        else:
            fields["sessionExpiration"] = int(seconds)
    return fields, problems
