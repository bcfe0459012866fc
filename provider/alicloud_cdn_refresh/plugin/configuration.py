"""The plugin's provider configuration: pulumi-alicloud's keys in the ``alicloud-cdn-refresh:`` namespace.

A default provider is configured from the stack config (``pulumi config set
alicloud-cdn-refresh:accessKey ...``); an explicit provider (``new cdnRefresh.Provider("b", {...})``)
from its own arguments, so one program can gate two accounts. Either way the values arrive as the
provider's inputs with the bare key names (``accessKey``), structured ones (``endpoints``,
``assumeRole``, ``assumeRoleWithOidc``) as JSON text (the SDKs and the engine encode them so) or
as objects. They are handed to the same credentials chain and endpoint resolution as everything else
(``alicloud_cdn_refresh/credentials/``, ``client/endpoints.py``) in the mapping shape those read
(``alicloud:accessKey`` ...), each unset key falling back to the same environment variables and
profile file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Final

from alicloud_cdn_refresh.credentials.sources import Lookup, parse_assume_role, parse_oidc
from alicloud_cdn_refresh.endpoint_settings import endpoint_from_config, normalize_endpoint
from alicloud_cdn_refresh.errors import CdnError
from alicloud_cdn_refresh.products import PRODUCTS
from alicloud_cdn_refresh.pulumi.config import normalize_config
from alicloud_cdn_refresh.pulumi.inputs import InputFailure, is_unknown
from alicloud_cdn_refresh.settings import CONFIG_KEYS, CONFIG_NAMESPACE

__all__ = [
    "CONFIG_KEYS",
    "ENGINE_KEYS",
    "NAMESPACE",
    "SECRET_KEYS",
    "check_config",
    "client_config",
    "diff_config",
    "from_variables",
    "in_plugin_words",
]

NAMESPACE: Final = "alicloud-cdn-refresh"
"""The plugin's package name, and the namespace of its stack config."""
SECRET_KEYS: Final = ("accessKey", "secretKey", "securityToken")
"""Configuration kept secret (the schema marks them so; the engine encrypts them in state)."""
ENGINE_KEYS: Final = ("version", "pluginDownloadURL")
"""Inputs the engine itself gives a provider; not configuration."""
_ENDPOINT_ENTRIES: Final = (*(product.config_endpoint_entry for product in PRODUCTS.values()), "sts")


def from_variables(variables: Mapping[str, str]) -> dict[str, Any]:
    """Configure's older ``variables`` map (``alicloud-cdn-refresh:config:accessKey`` or
    ``alicloud-cdn-refresh:accessKey``) as bare keys; other namespaces are not ours."""
    values: dict[str, Any] = {}
    for name, value in variables.items():
        namespace, _, key = name.partition(":")
        if namespace != NAMESPACE:
            continue
        values[key.removeprefix("config:")] = value
    return values


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration keys that are set (empty text counts as unset, as the chain reads it)."""
    return {
        key: value
        for key, value in values.items()
        if key not in ENGINE_KEYS and not key.startswith("__") and value is not None and value != ""
    }


def _check_value(key: str, value: Any) -> str | None:
    """Why ``value`` is refused for ``key``, or ``None``."""
    where = f"{NAMESPACE}:{key}"
    lookup = Lookup({}, os.environ)
    try:
        if key == "endpoints":
            for entry in _ENDPOINT_ENTRIES:
                found = endpoint_from_config(value, entry)
                if found is not None:
                    normalize_endpoint(found, f"{where} ({entry})", parameter=where)
        elif key == "assumeRole":
            parse_assume_role(value, where, lookup)
        elif key == "assumeRoleWithOidc":
            parse_oidc(value, where, lookup, "configured")
        elif not isinstance(value, str):
            return f"{where} must be a string, got {value!r}"
    except CdnError as error:
        return in_plugin_words(str(error))
    return None


def check_config(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[InputFailure]]:
    """The configuration as given, and every refused key: an unknown key (a typo would silently
    fall back to another identity), a non-string value, an endpoint that is not a host or an http(s)
    URL, an ``assumeRole`` / ``assumeRoleWithOidc`` the credentials chain cannot read."""
    failures: list[InputFailure] = []
    for key, value in _given(news).items():
        if key not in CONFIG_KEYS:
            known = ", ".join(CONFIG_KEYS)
            failures.append(
                InputFailure(key, f"{NAMESPACE}:{key} is not a setting of {NAMESPACE}; known: {known}")
            )
        elif not is_unknown(value):
            reason = _check_value(key, value)
            if reason is not None:
                failures.append(InputFailure(key, reason))
    return dict(news), failures


def diff_config(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The configuration keys that changed. A change never replaces the provider: that would replace
    every resource of it, and a refresh cannot be undone; the next operation uses the new settings."""
    old, new = _given(olds), _given(news)
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def client_config(values: Mapping[str, Any]) -> dict[str, str]:
    """The configuration in the shape the credentials chain and the endpoint resolution read
    (``alicloud:accessKey`` ..., text; structured values as JSON)."""
    given = _given(values)
    return normalize_config({f"{CONFIG_NAMESPACE}:{key}": given[key] for key in CONFIG_KEYS if key in given})


_CONFIG_NAME: Final = re.compile(rf"\b{CONFIG_NAMESPACE}:({'|'.join(CONFIG_KEYS)})\b")


def in_plugin_words(text: str) -> str:
    """A message of the credentials chain or the endpoint resolution, which name pulumi-alicloud's
    stack config (``Pulumi config alicloud:accessKey``), as the plugin's settings are named
    (``alicloud-cdn-refresh:accessKey``, stack config or the provider's arguments)."""
    text = text.replace("Pulumi config ", "provider config ")
    return _CONFIG_NAME.sub(lambda match: f"{NAMESPACE}:{match.group(1)}", text)
