"""Which endpoint the client talks to: argument, ``alicloud:endpoints``, environment, default."""

from __future__ import annotations

import os
from collections.abc import Mapping

from alicloud_cdn_refresh.endpoint_settings import endpoint_from_config, normalize_endpoint
from alicloud_cdn_refresh.products import DEFAULT_ENDPOINT
from alicloud_cdn_refresh.settings import CONFIG_ENDPOINTS, ENV_CDN_ENDPOINT

__all__ = ["resolve_endpoint"]


def _normalize_endpoint(value: str, where: str) -> str:
    return normalize_endpoint(value, where, bare=True)


def _endpoint_from_config(raw: object) -> str | None:
    """The ``cdn`` entry of pulumi-alicloud's ``endpoints`` (a JSON list of objects, or one object)."""
    return endpoint_from_config(raw, "cdn")


def resolve_endpoint(
    explicit: str | None = None,
    *,
    pulumi_config: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The endpoint URL: ``explicit``, config ``alicloud:endpoints`` (its ``cdn`` entry), environment
    ``ALIBABA_CLOUD_CDN_ENDPOINT``, else ``https://cdn.aliyuncs.com``.

    A bare host becomes ``https://host``; a full URL (``http://127.0.0.1:9000``) is kept. The result has
    no trailing slash. An explicit empty string is refused, never taken as "the default": it is how
    an unset variable arrives (``--endpoint "$EMULATOR_URL"``), and the default is the live API.
    A path, a port outside 1..65535 or another scheme is refused before any request.
    """
    if explicit is not None:
        return _normalize_endpoint(explicit, "the endpoint argument")
    config_value = _endpoint_from_config((pulumi_config or {}).get(CONFIG_ENDPOINTS))
    if config_value is not None:
        return _normalize_endpoint(config_value, f"Pulumi config {CONFIG_ENDPOINTS}")
    env = os.environ if environ is None else environ
    from_env = env.get(ENV_CDN_ENDPOINT)
    if from_env and from_env.strip():
        return _normalize_endpoint(from_env, f"environment {ENV_CDN_ENDPOINT}")
    return DEFAULT_ENDPOINT
