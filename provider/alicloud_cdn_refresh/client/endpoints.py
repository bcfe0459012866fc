"""Which endpoint the client talks to: argument, ``alicloud:endpoints``, environment, default.

Per product (:class:`~alicloud_cdn_refresh.products.Product`): the ``alicloud:endpoints`` entry
named after it (``cdn``, ``dcdn``), its ``ALIBABA_CLOUD_<PRODUCT>_ENDPOINT``, its default endpoint.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from alicloud_cdn_refresh.endpoint_settings import endpoint_from_config, normalize_endpoint
from alicloud_cdn_refresh.products import DEFAULT_PRODUCT, Product, product_for
from alicloud_cdn_refresh.settings import CONFIG_ENDPOINTS

__all__ = ["resolve_endpoint"]


def resolve_endpoint(
    explicit: str | None = None,
    *,
    pulumi_config: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    product: str | Product = DEFAULT_PRODUCT,
) -> str:
    """The endpoint URL of ``product``: ``explicit``, config ``alicloud:endpoints`` (its entry named
    after the product), environment ``ALIBABA_CLOUD_<PRODUCT>_ENDPOINT``, else the product's default
    (``https://cdn.aliyuncs.com``, ``https://dcdn.aliyuncs.com``).

    A bare host becomes ``https://host``; a full URL (``http://127.0.0.1:9000``) is kept. The result has
    no trailing slash. An explicit empty string is refused, never taken as "the default": it is how
    an unset variable arrives (``--endpoint "$EMULATOR_URL"``), and the default is the live API.
    A path, a port outside 1..65535 or another scheme is refused before any request.
    """
    table = product_for(product)
    if explicit is not None:
        return normalize_endpoint(explicit, "the endpoint argument", bare=True)
    config_value = endpoint_from_config(
        (pulumi_config or {}).get(CONFIG_ENDPOINTS), table.config_endpoint_entry
    )
    if config_value is not None:
        return normalize_endpoint(config_value, f"Pulumi config {CONFIG_ENDPOINTS}", bare=True)
    env = os.environ if environ is None else environ
    from_env = env.get(table.endpoint_env)
    if from_env and from_env.strip():
        return normalize_endpoint(from_env, f"environment {table.endpoint_env}", bare=True)
    return table.default_endpoint
