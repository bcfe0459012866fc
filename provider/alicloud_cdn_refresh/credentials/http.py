"""The one way the credentials part talks HTTP: httpx, imported on first use, with a timeout always.

Used by STS (:mod:`.sts`), the ECS metadata service (:mod:`.metadata`) and credentials URIs
(:mod:`.uri`). ``transport`` replaces the network (the emulator's in-process transport in tests).
Errors come back as :class:`CredentialsError` whose text names the URL without its query (a
credentials URI may carry a token there) and never a request body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from alicloud_cdn_refresh.errors import CredentialsError

__all__ = ["HttpAnswer", "HttpSettings", "public_url", "send"]

_USER_AGENT = "pulumi-alicloud-cdn-refresh/0.1 (httpx; credentials)"


@dataclass(frozen=True)
class HttpSettings:
    """How to reach STS, the metadata service and credentials URIs."""

    transport: Any = None
    """An ``httpx.BaseTransport`` to use instead of the network (``None``: the network)."""
    timeout: float = 10.0
    """Seconds for connecting and for reading each answer."""


@dataclass(frozen=True)
class HttpAnswer:
    """Status, headers (lower-cased names) and body of an answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object, or ``None`` when it is not one."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


def public_url(url: str) -> str:
    """``scheme://host/path`` of a URL: no query, no user info (fit for messages)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"


def send(
    method: str,
    url: str,
    *,
    settings: HttpSettings,
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
    timeout: float | None = None,
    what: str,
    trust_env: bool = True,
) -> HttpAnswer:
    """One request; a transport failure is a :class:`CredentialsError` naming ``what`` and the URL.

    ``trust_env=False`` ignores proxy variables (the link-local metadata service must not go through
    a proxy).
    """
    import httpx  # first use only: the CLI's start-up never pays for it

    limit = httpx.Timeout(timeout if timeout is not None else settings.timeout)
    try:
        with httpx.Client(
            transport=settings.transport, timeout=limit, follow_redirects=False, trust_env=trust_env
        ) as client:
            response = client.request(
                method,
                url,
                headers={"user-agent": _USER_AGENT, **(headers or {})},
                data=dict(form) if form is not None else None,
            )
            body = response.read()
    except httpx.HTTPError as exc:
        raise CredentialsError(
            f"{what}: {type(exc).__name__} talking to {public_url(url)}", code="TransportError"
        ) from None
    return HttpAnswer(response.status_code, {k.lower(): v for k, v in response.headers.items()}, body)
