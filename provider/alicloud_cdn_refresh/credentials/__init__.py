"""Credentials: the value the signers use, and the chain that finds it.

Public face: :class:`Credentials` and :func:`resolve_credentials`. Nothing here imports httpx,
the client or Pulumi.
"""

from __future__ import annotations

from .chain import resolve_credentials
from .value import Credentials

__all__ = ["Credentials", "resolve_credentials"]
