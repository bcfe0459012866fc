"""A description of the credentials the chain would use, without a secret: for ``cdn-refresh whoami``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["CredentialsReport"]


@dataclass(frozen=True)
class CredentialsReport:
    """Which source and mode were chosen and why, what was tried, and the access key id, masked.

    ``access_key_id`` is the masked key id requests would be signed with: known without a network
    call for long-term keys; for temporary credentials only when the report was made with
    ``fetch=True`` (then ``expiration`` is set too). ``base_access_key_id`` is the masked long-term
    key the roles are assumed with, when there is one. ``shadowed`` names settings that are present
    but not used because an earlier source won (a leftover variable is a common cause of the wrong
    identity).
    """

    mode: str
    source: str
    reason: str
    steps: tuple[str, ...]
    tried: tuple[str, ...]
    shadowed: tuple[str, ...] = ()
    access_key_id: str | None = None
    base_access_key_id: str | None = None
    role_arn: str | None = None
    expiration: datetime | None = None
    sts_endpoint: str | None = None
    metadata_endpoint: str | None = None
    fetched: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (``expiration`` as ISO 8601)."""
        return {
            "mode": self.mode,
            "source": self.source,
            "reason": self.reason,
            "steps": list(self.steps),
            "tried": list(self.tried),
            "shadowed": list(self.shadowed),
            "access_key_id": self.access_key_id,
            "base_access_key_id": self.base_access_key_id,
            "role_arn": self.role_arn,
            "expiration": self.expiration.isoformat() if self.expiration else None,
            "sts_endpoint": self.sts_endpoint,
            "metadata_endpoint": self.metadata_endpoint,
            "fetched": self.fetched,
        }

    def lines(self) -> list[str]:
        """Human-readable lines (what ``whoami`` prints)."""
        out = [f"mode: {self.mode}", f"source: {self.source}", f"why: {self.reason}"]
        if self.access_key_id:
            out.append(f"access key id: {self.access_key_id}")
        if self.base_access_key_id and self.base_access_key_id != self.access_key_id:
            out.append(f"base access key id: {self.base_access_key_id}")
        if self.role_arn:
            out.append(f"role: {self.role_arn}")
        if self.expiration:
            out.append(f"expires: {self.expiration.isoformat()}")
        out += [f"step: {step}" for step in self.steps]
        if self.sts_endpoint:
            out.append(f"STS endpoint: {self.sts_endpoint}")
        if self.metadata_endpoint:
            out.append(f"ECS metadata endpoint: {self.metadata_endpoint}")
        out += [f"not used: {item}" for item in self.shadowed]
        out += [f"tried: {item}" for item in self.tried]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())
