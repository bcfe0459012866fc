"""Reading endpoint settings: a host or full URL, and pulumi-alicloud's ``alicloud:endpoints`` entries.

Shared by the client (the CDN/DCDN endpoint, :mod:`alicloud_cdn_refresh.client.endpoints`) and the
credentials chain (the STS and ECS metadata endpoints), so that both read the settings alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from .errors import InvalidQuery
from .settings import CONFIG_ENDPOINTS

__all__ = ["endpoint_from_config", "normalize_endpoint"]


def normalize_endpoint(value: str, where: str, *, parameter: str = "endpoint") -> str:
    """``https://host`` for a bare host, a full ``http(s)://`` URL as given; no trailing slash.

    ``where`` names the setting in the error (``InvalidQuery(parameter, ...)``) for anything else.
    """
    text = value.strip()
    if not text:
        raise InvalidQuery(parameter, f"empty endpoint from {where}")
    if "://" not in text:
        text = "https://" + text
    parsed = urlsplit(text)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise InvalidQuery(
            parameter,
            f"{value!r} from {where} is not a host or an http(s) URL such as https://cdn.aliyuncs.com",
        )
    if parsed.query or parsed.fragment:
        raise InvalidQuery(parameter, f"{value!r} from {where} must not carry a query or fragment")
    return f"{parsed.scheme.lower()}://{parsed.netloc}{parsed.path.rstrip('/')}"


def endpoint_from_config(raw: object, entry: str) -> str | None:
    """The ``entry`` (``cdn``, ``sts`` ...) of pulumi-alicloud's ``endpoints``: a JSON list of
    objects (or one object), as text or already decoded; ``None`` when the entry is absent."""
    value = raw
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidQuery(
                CONFIG_ENDPOINTS, f'must be a JSON list of objects such as [{{"{entry}": "..."}}]'
            ) from None
    entries = [value] if isinstance(value, Mapping) else value
    if not isinstance(entries, list):
        raise InvalidQuery(CONFIG_ENDPOINTS, f'must be a JSON list of objects such as [{{"{entry}": "..."}}]')
    for item in entries:
        if isinstance(item, Mapping):
            found = item.get(entry)
            if isinstance(found, str) and found.strip():
                return found
    return None
