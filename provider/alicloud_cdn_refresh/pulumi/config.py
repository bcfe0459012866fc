"""Where the Pulumi layer gets its credentials and endpoint from, without ever storing them in state.

Two paths, one shape (a mapping of namespaced stack config keys such as ``alicloud:accessKey``):

* Inside the dynamic provider process the engine calls ``configure()`` with the whole stack config;
  :func:`store_config` keeps the ``alicloud:*`` keys in a module-level, per-process store. Nothing
  lives on the provider instance, because the instance is pickled (by dill) into the
  ``__provider`` property of every resource and so into the stack state.
* In the program process (the data source) :func:`program_config` reads ``pulumi.Config`` values
  through the runtime without the secret warnings.

Either mapping is given to ``CdnClient(pulumi_config=...)``, which applies the documented order
(explicit, Pulumi config, environment, profile file) and builds a fresh client per operation.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from alicloud_cdn_refresh.products import DEFAULT_PRODUCT
from alicloud_cdn_refresh.settings import CONFIG_KEYS, CONFIG_NAMESPACE

if TYPE_CHECKING:
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

    from .identity import Identity

__all__ = [
    "CONFIG_KEYS",
    "clear_config",
    "make_client",
    "normalize_config",
    "program_config",
    "provider_config",
    "store_config",
]

_LOCK = threading.Lock()
_STORE: dict[str, str] = {}


def _as_text(value: Any) -> str | None:
    """Config values arrive as strings, or (structured config) as lists/maps: keep JSON text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def normalize_config(config: Mapping[str, Any]) -> dict[str, str]:
    """Keep the ``alicloud:*`` keys this package reads, as strings (structured values as JSON)."""
    result: dict[str, str] = {}
    for key in CONFIG_KEYS:
        full = f"{CONFIG_NAMESPACE}:{key}"
        text = _as_text(config.get(full))
        if text is not None and text != "":
            result[full] = text
    return result


def store_config(config: Mapping[str, Any]) -> None:
    """Remember the stack config of this provider process (called from ``configure()``)."""
    normalized = normalize_config(config)
    with _LOCK:
        _STORE.clear()
        _STORE.update(normalized)


def clear_config() -> None:
    """Forget the stored stack config (tests)."""
    with _LOCK:
        _STORE.clear()


def provider_config() -> dict[str, str]:
    """A copy of the stack config stored by :func:`store_config` in this process."""
    with _LOCK:
        return dict(_STORE)


def program_config() -> dict[str, str]:
    """The ``alicloud:*`` stack config as the Pulumi program sees it (data source path)."""
    from pulumi.runtime import get_config

    return normalize_config(
        {f"{CONFIG_NAMESPACE}:{key}": get_config(f"{CONFIG_NAMESPACE}:{key}") for key in CONFIG_KEYS}
    )


def make_client(
    config: Mapping[str, str], identity: Identity | None = None, *, product: str = DEFAULT_PRODUCT
) -> CdnClient:
    """A fresh client of ``product`` for one operation; credentials are resolved now, never kept.

    ``identity`` (a resource's own ``profile`` / ``assumeRole``) replaces the stack's profile or
    role for this client only, as :func:`~alicloud_cdn_refresh.credentials.resolve_provider` does.
    """
    from alicloud_cdn_refresh.client.cdn_client import CdnClient

    if identity is None or identity.is_stack:
        return CdnClient(pulumi_config=config, product=product)
    from alicloud_cdn_refresh.credentials import resolve_provider

    provider = resolve_provider(
        pulumi_config=config, profile=identity.profile, assume_role=identity.assume_role
    )
    return CdnClient(credentials=provider, pulumi_config=config, product=product)
