"""Where temporary credentials come from and how to reach it: the STS and ECS metadata endpoints
(from the stack config and the environment) and the :class:`Services` a provider is built with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from alicloud_cdn_refresh import settings as names
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.endpoint_settings import endpoint_from_config, normalize_endpoint

from .http import HttpSettings
from .sources import Lookup

__all__ = ["Services", "metadata_endpoint", "services_for", "sts_endpoint"]


@dataclass(frozen=True)
class Services:
    """Where the temporary credentials come from, and how to reach it."""

    sts_endpoint: Callable[[], str]
    metadata_endpoint: Callable[[], str]
    http: HttpSettings
    clock: Clock
    imds_v1_disabled: bool = False
    ecs_metadata_disabled: bool = False


def sts_endpoint(pulumi_config: Mapping[str, Any] | None, environ: Mapping[str, str]) -> str:
    """``alicloud:endpoints`` (its ``sts`` entry), ``ALIBABA_CLOUD_STS_ENDPOINT``, else the default."""
    raw = (pulumi_config or {}).get(names.CONFIG_ENDPOINTS)
    configured = endpoint_from_config(raw, "sts")
    if configured is not None:
        return normalize_endpoint(
            configured, f"Pulumi config {names.CONFIG_ENDPOINTS} (sts)", parameter=names.CONFIG_ENDPOINTS
        )
    from_env = environ.get(names.ENV_STS_ENDPOINT, "").strip()
    if from_env:
        return normalize_endpoint(
            from_env, f"environment {names.ENV_STS_ENDPOINT}", parameter=names.ENV_STS_ENDPOINT
        )
    return names.DEFAULT_STS_ENDPOINT


def metadata_endpoint(environ: Mapping[str, str]) -> str:
    """``ALIBABA_CLOUD_ECS_METADATA_ENDPOINT`` (a full URL), else ``http://100.100.100.200``."""
    from_env = environ.get(names.ENV_ECS_METADATA_ENDPOINT, "").strip()
    if from_env:
        return normalize_endpoint(
            from_env,
            f"environment {names.ENV_ECS_METADATA_ENDPOINT}",
            parameter=names.ENV_ECS_METADATA_ENDPOINT,
        )
    return names.DEFAULT_ECS_METADATA_ENDPOINT


def services_for(
    pulumi_config: Mapping[str, Any] | None,
    environ: Mapping[str, str],
    transport: object,
    clock: Clock,
    timeout: float,
) -> Services:
    """The services of the environment and stack config: STS and metadata endpoints (read when first
    needed), the network settings, the clock and the metadata switches."""
    lookup = Lookup({}, environ)
    return Services(
        sts_endpoint=lambda: sts_endpoint(pulumi_config, environ),
        metadata_endpoint=lambda: metadata_endpoint(environ),
        http=HttpSettings(transport=transport, timeout=timeout),
        clock=clock,
        imds_v1_disabled=lookup.flag(names.ENV_IMDSV1_DISABLED),
        ecs_metadata_disabled=lookup.flag(names.ENV_ECS_METADATA_DISABLED),
    )
