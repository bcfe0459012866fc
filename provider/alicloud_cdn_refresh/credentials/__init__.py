"""Credentials: the value the signers use, the providers that renew it, and the chain that finds it.

Hand-off API (what the client, the CLI and the Pulumi layer call; nothing here imports httpx at
import time, the client or Pulumi):

- :func:`resolve_provider` ``(explicit=None, *, pulumi_config=None, environ=None, profile=None,
  assume_role=None, profile_path=None, transport=None, clock=SYSTEM_CLOCK, timeout=10.0)`` → a
  :class:`CredentialsProvider`. ``pulumi_config`` is the plain mapping of namespaced stack config
  keys (``alicloud:accessKey``, ``alicloud:assumeRole`` as JSON text or a decoded object ...);
  ``environ`` defaults to ``os.environ``. Per-call overrides for a Pulumi resource's own identity:
  ``profile="name"`` replaces the stack's whole identity with that profile of the shared config
  file; ``assume_role={"role_arn": ..., "session_name": ..., "external_id": ..., "policy": ...,
  "session_expiration": ...}`` replaces ``alicloud:assumeRole`` (assumed on top of the base found).
  Settings errors raise :class:`~alicloud_cdn_refresh.errors.CredentialsError` at once; network
  sources (STS, ECS metadata, credentials URI) are asked on the first ``get()``.
  ``CdnClient(credentials=provider)`` asks it on every request.
- :func:`describe_credentials` (same arguments, plus ``fetch=False``) → :class:`CredentialsReport`:
  mode, source, why, steps, sources tried, settings present but not used, masked access key id;
  ``as_dict()`` for ``--json``, ``lines()`` for text. No secret in it.
- :func:`resolve_credentials` (same arguments) → the :class:`Credentials` valid now (fetched once).
- Providers: ``get()`` (cheap; cached until shortly before ``expiration``), ``peek()`` (no fetch),
  ``add_listener(callback)`` (called with every new value, e.g. to mask its secret in CLI output),
  ``mode`` and ``source`` (never secret). :class:`StaticProvider` wraps a value;
  :class:`RenewingProvider` wraps any fetch.

The order of sources and why the pieces are written here rather than taken from
``alibabacloud-credentials`` are in :mod:`.chain`.
"""

from __future__ import annotations

from .chain import describe_credentials, resolve_credentials, resolve_plan, resolve_provider
from .provider import CredentialsProvider, RenewingProvider, StaticProvider, as_provider
from .report import CredentialsReport
from .value import Credentials, mask_access_key_id

__all__ = [
    "Credentials",
    "CredentialsProvider",
    "CredentialsReport",
    "RenewingProvider",
    "StaticProvider",
    "as_provider",
    "describe_credentials",
    "mask_access_key_id",
    "resolve_credentials",
    "resolve_plan",
    "resolve_provider",
]
