"""Request signing as ``httpx.Auth``: V1 (HMAC-SHA1, query string) and V3 (ACS3-HMAC-SHA256, headers).

The canonical encoding and the signature functions are :mod:`alicloud_cdn_refresh.signatures`
(shared with the emulator's verifier); this module only applies them to an ``httpx.Request``.
The client states what to call with two headers, ``x-acs-action`` and ``x-acs-version``; each
signer turns them into what its version needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Generator
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import httpx

from alicloud_cdn_refresh.credentials import Credentials, CredentialsProvider, as_provider
from alicloud_cdn_refresh.errors import InvalidQuery
from alicloud_cdn_refresh.models import format_api_time
from alicloud_cdn_refresh.signatures import (
    ACTION_HEADER,
    FORM_CONTENT_TYPE,
    V1_SIGNATURE_METHOD,
    V3_ALGORITHM,
    VERSION_HEADER,
    percent_encode,
    sha256_hex,
    v1_signature,
    v3_canonical_request,
    v3_signature,
)

__all__ = ["V1Signer", "V3Signer", "form_params", "make_signer", "query_params", "request_params"]

Clock = Callable[[], datetime]
NonceFactory = Callable[[], str]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _new_nonce() -> str:
    return uuid.uuid4().hex


def request_params(request: httpx.Request) -> list[tuple[str, str]]:
    """Every RPC parameter of a request: the query string, plus a form-encoded body if any.

    Both are decoded (``+`` is a space in either, as the SDK sends it).
    """
    return [*query_params(request), *form_params(request)]


def query_params(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded parameters of the query string."""
    return parse_qsl(request.url.query.decode("utf-8"), keep_blank_values=True)


def form_params(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded parameters of a form-encoded body (none for any other body)."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != FORM_CONTENT_TYPE:
        return []
    return parse_qsl(request.content.decode("utf-8"), keep_blank_values=True)


# --- httpx.Auth --------------------------------------------------------------------------------


class _Signer(httpx.Auth):
    requires_request_body = True

    def __init__(
        self,
        credentials: Credentials | CredentialsProvider,
        *,
        clock: Clock = _utc_now,
        nonce: NonceFactory = _new_nonce,
    ) -> None:
        self._provider = as_provider(credentials)
        self._clock = clock
        self._nonce = nonce
        self.last_used: Credentials | None = None
        """The credentials the last request was signed with (``None`` before the first)."""

    @property
    def provider(self) -> CredentialsProvider:
        """Where the signer gets credentials from, on every request."""
        return self._provider

    @property
    def credentials(self) -> Credentials:
        """The credentials a request signed now would carry (renewed first when due)."""
        return self._provider.get()

    def _current(self) -> Credentials:
        credentials = self._provider.get()
        self.last_used = credentials
        return credentials

    def __repr__(self) -> str:
        used = self.last_used
        key = repr(used.access_key_id) if used is not None else "None"
        return f"{type(self).__name__}(access_key_id={key})"


class V1Signer(_Signer):
    """HMAC-SHA1 query-string signature (``SignatureVersion=1.0``)."""

    version = "v1"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        credentials = self._current()
        action = request.headers.pop(ACTION_HEADER, None)
        api_version = request.headers.pop(VERSION_HEADER, None)
        query = query_params(request)
        common = {
            "Format": "JSON",
            "AccessKeyId": credentials.access_key_id,
            "SignatureMethod": V1_SIGNATURE_METHOD,
            "SignatureVersion": "1.0",
            "SignatureNonce": self._nonce(),
            "Timestamp": format_api_time(self._clock()),
        }
        if action:
            common["Action"] = action
        if api_version:
            common["Version"] = api_version
        token = credentials.security_token
        if token:
            common["SecurityToken"] = token
        query = [(k, v) for k, v in query if k not in common and k != "Signature"]
        query += list(common.items())
        signature = v1_signature(
            credentials.access_key_secret, request.method, [*query, *form_params(request)]
        )
        query.append(("Signature", signature))
        raw = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in query)
        request.url = request.url.copy_with(query=raw.encode("ascii"))
        yield request


class V3Signer(_Signer):
    """ACS3-HMAC-SHA256 header signature, the official SDK's default."""

    version = "v3"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        credentials = self._current()
        headers = request.headers
        content_hash = sha256_hex(request.content)
        headers["x-acs-date"] = format_api_time(self._clock())
        headers["x-acs-signature-nonce"] = self._nonce()
        headers["x-acs-content-sha256"] = content_hash
        token = credentials.security_token
        if token:
            headers["x-acs-security-token"] = token
        query = query_params(request)
        # Re-write the query canonically so that what is sent is exactly what was signed (a URL
        # that is already canonical, as the client builds it, is left alone: parsing URLs is slow).
        raw = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in query).encode("ascii")
        if raw != request.url.query:
            request.url = request.url.copy_with(query=raw or None)
        # One plain dict of the headers (httpx.Headers look-ups are slow), read once.
        lowered = {name.lower(): value for name, value in headers.items()}
        names = [name for name in lowered if name.startswith("x-acs-") or name in ("host", "content-type")]
        canonical = v3_canonical_request(
            request.method, request.url.path, query, lowered, names, content_hash
        )
        signed_headers = ";".join(sorted(set(names)))
        signature = v3_signature(credentials.access_key_secret, canonical)
        headers["Authorization"] = (
            f"{V3_ALGORITHM} Credential={credentials.access_key_id},"
            f"SignedHeaders={signed_headers},Signature={signature}"
        )
        yield request


def make_signer(
    credentials: Credentials | CredentialsProvider,
    version: str = "v3",
    *,
    clock: Clock = _utc_now,
    nonce: NonceFactory = _new_nonce,
) -> V1Signer | V3Signer:
    """A signer of the given version (``"v1"`` or ``"v3"``), asking ``credentials`` (a value or a
    provider that renews) on every request."""
    normalized = version.strip().lower()
    if normalized == "v1":
        return V1Signer(credentials, clock=clock, nonce=nonce)
    if normalized == "v3":
        return V3Signer(credentials, clock=clock, nonce=nonce)
    raise InvalidQuery("signature_version", f"{version!r} is not supported; use one of: v1, v3")
