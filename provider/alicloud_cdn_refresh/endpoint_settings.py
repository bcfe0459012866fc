"""Reading endpoint settings: a host or full URL, and pulumi-alicloud's ``alicloud:endpoints`` entries.

Shared by the client (the CDN/DCDN endpoint, :mod:`alicloud_cdn_refresh.client.endpoints`) and the
credentials chain (the STS and ECS metadata endpoints), so that both read the settings alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .errors import InvalidQuery
from .settings import CONFIG_ENDPOINTS

__all__ = ["endpoint_from_config", "normalize_endpoint"]


_USER_INFO = re.compile(r"(?<=://)[^/@]*@")


def _shown(value: str) -> str:
    """``value`` with any ``user:password@`` replaced by ``***@`` (messages never echo a password)."""
    return _USER_INFO.sub("***@", value)


def normalize_endpoint(value: str, where: str, *, parameter: str = "endpoint", bare: bool = False) -> str:
    """``https://host`` for a bare host, a full ``http(s)://`` URL as given; no trailing slash.

    ``where`` names the setting in the error (``InvalidQuery(parameter, ...)``) for anything else:
    an empty value, another scheme, no host, a port outside 1..65535, a query or fragment; and when
    ``bare`` (the CDN API, served at ``/``, whose endpoint is shown in messages and ``--debug`` logs)
    a path or a user name and password. An STS proxy may have a path.
    """
    if not isinstance(value, str):
        raise InvalidQuery(
            parameter, f"expected a URL string such as https://cdn.aliyuncs.com, got {type(value).__name__}"
        )
    text = value.strip()
    if not text:
        raise InvalidQuery(parameter, f"empty endpoint from {where} (an unset variable?)")
    if "://" not in text:
        text = "https://" + text
    try:
        parsed = urlsplit(text)
        host = parsed.hostname
    except ValueError:  # a malformed [IPv6] host
        parsed, host = urlsplit("x:"), None
    if parsed.scheme.lower() not in ("http", "https") or not host or any(c.isspace() for c in text):
        raise InvalidQuery(
            parameter,
            f"{_shown(value)!r} from {where} is not a host or an http(s) URL such as https://cdn.aliyuncs.com",
        )
    try:
        port = parsed.port
    except ValueError:  # not a number, or above 65535
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise InvalidQuery(parameter, f"{_shown(value)!r} from {where} has no valid port (1..65535)")
    if parsed.query or parsed.fragment:
        raise InvalidQuery(parameter, f"{_shown(value)!r} from {where} must not carry a query or fragment")
    if bare and "@" in parsed.netloc:
        raise InvalidQuery(
            parameter,
            f"the endpoint from {where} carries a user name or password; give scheme, host and port",
        )
    path = parsed.path.rstrip("/")
    if path and bare:
        raise InvalidQuery(
            parameter,
            f"{_shown(value)!r} from {where} has a path ({parsed.path}); the API is served at '/': give "
            "the scheme, host and port only",
        )
    return f"{parsed.scheme.lower()}://{parsed.netloc}{path}"


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
