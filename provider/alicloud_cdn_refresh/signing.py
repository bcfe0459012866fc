"""Request signatures V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256) as ``httpx.Auth``.

The pure functions (:func:`percent_encode`, :func:`v1_signature`, :func:`v3_canonical_request`,
:func:`v3_signature`) are the one place where canonical encoding is written; the emulator's
verifier uses them too, which is why the tests prove them against the published vectors and the
official SDK rather than against the emulator.

The client states what to call with two headers, ``x-acs-action`` and ``x-acs-version``; each
signer turns them into what its version needs.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import uuid
from collections.abc import Callable, Generator, Iterable, Mapping
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote

import httpx

from .credentials import Credentials
from .models import format_api_time

__all__ = [
    "ACTION_HEADER",
    "FORM_CONTENT_TYPE",
    "SIGNATURE_VERSIONS",
    "V1_SIGNATURE_METHOD",
    "V3_ALGORITHM",
    "VERSION_HEADER",
    "V1Signer",
    "V3Signer",
    "canonical_query",
    "make_signer",
    "form_params",
    "percent_encode",
    "query_params",
    "request_params",
    "sha256_hex",
    "v1_signature",
    "v1_string_to_sign",
    "v3_canonical_headers",
    "v3_canonical_request",
    "v3_signature",
]

ACTION_HEADER = "x-acs-action"
VERSION_HEADER = "x-acs-version"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
V1_SIGNATURE_METHOD = "HMAC-SHA1"
V3_ALGORITHM = "ACS3-HMAC-SHA256"
SIGNATURE_VERSIONS = ("v1", "v3")

Clock = Callable[[], datetime]
NonceFactory = Callable[[], str]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _new_nonce() -> str:
    return uuid.uuid4().hex


@functools.lru_cache(maxsize=4096)
def percent_encode(value: str) -> str:
    """RFC 3986 over UTF-8: only ``A-Z a-z 0-9 - _ . ~`` literal; space is ``%20``, ``*`` ``%2A``.

    Cached: every request encodes the same few names and values several times.
    """
    return quote(value, safe="~", encoding="utf-8")


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Sorted ``k=v`` pairs, names and values percent-encoded, joined with ``&``."""
    encoded = sorted((percent_encode(k), percent_encode(v)) for k, v in params)
    return "&".join(f"{k}={v}" for k, v in encoded)


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


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


# --- V1 -------------------------------------------------------------------------------------


def v1_string_to_sign(method: str, params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """``METHOD&%2F&encode(canonical)`` over every parameter but ``Signature``."""
    items = params.items() if isinstance(params, Mapping) else params
    canonical = canonical_query((k, v) for k, v in items if k != "Signature")
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical)}"


def v1_signature(secret: str, method: str, params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """Base64 HMAC-SHA1 with key ``secret + "&"``."""
    digest = hmac.new(
        (secret + "&").encode("utf-8"), v1_string_to_sign(method, params).encode("utf-8"), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


# --- V3 -------------------------------------------------------------------------------------


def v3_canonical_headers(headers: Mapping[str, str], names: Iterable[str]) -> tuple[str, str]:
    """``(canonical_headers, signed_headers)`` for the given header names (lower-cased, sorted)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    wanted = sorted({name.lower() for name in names})
    canonical = "".join(f"{name}:{lowered.get(name, '').strip()}\n" for name in wanted)
    return canonical, ";".join(wanted)


def v3_canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_header_names: Iterable[str],
    payload_hash: str,
) -> str:
    """The canonical request of ACS3: method, URI, query, headers, signed headers, payload hash."""
    canonical_headers, signed_headers = v3_canonical_headers(headers, signed_header_names)
    return "\n".join(
        [
            method.upper(),
            path or "/",
            canonical_query(query),
            canonical_headers,
            signed_headers,
            payload_hash,
        ]
    )


def v3_signature(secret: str, canonical_request: str) -> str:
    """Hex HMAC-SHA256 (key: the secret as is) of ``ACS3-HMAC-SHA256\\nhex(sha256(canonical))``."""
    string_to_sign = f"{V3_ALGORITHM}\n{sha256_hex(canonical_request.encode('utf-8'))}"
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


# --- httpx.Auth -----------------------------------------------------------------------------


class _Signer(httpx.Auth):
    requires_request_body = True

    def __init__(
        self,
        credentials: Credentials,
        *,
        clock: Clock = _utc_now,
        nonce: NonceFactory = _new_nonce,
    ) -> None:
        self._credentials = credentials
        self._clock = clock
        self._nonce = nonce

    @property
    def credentials(self) -> Credentials:
        """The credentials this signer signs with."""
        return self._credentials

    def __repr__(self) -> str:
        return f"{type(self).__name__}(access_key_id={self._credentials.access_key_id!r})"


class V1Signer(_Signer):
    """HMAC-SHA1 query-string signature (``SignatureVersion=1.0``)."""

    version = "v1"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        action = request.headers.pop(ACTION_HEADER, None)
        api_version = request.headers.pop(VERSION_HEADER, None)
        query = query_params(request)
        common = {
            "Format": "JSON",
            "AccessKeyId": self._credentials.access_key_id,
            "SignatureMethod": V1_SIGNATURE_METHOD,
            "SignatureVersion": "1.0",
            "SignatureNonce": self._nonce(),
            "Timestamp": format_api_time(self._clock()),
        }
        if action:
            common["Action"] = action
        if api_version:
            common["Version"] = api_version
        token = self._credentials.security_token
        if token:
            common["SecurityToken"] = token
        query = [(k, v) for k, v in query if k not in common and k != "Signature"]
        query += list(common.items())
        signature = v1_signature(
            self._credentials.access_key_secret, request.method, [*query, *form_params(request)]
        )
        query.append(("Signature", signature))
        raw = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in query)
        request.url = request.url.copy_with(query=raw.encode("ascii"))
        yield request


class V3Signer(_Signer):
    """ACS3-HMAC-SHA256 header signature, the official SDK's default."""

    version = "v3"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        headers = request.headers
        content_hash = sha256_hex(request.content)
        headers["x-acs-date"] = format_api_time(self._clock())
        headers["x-acs-signature-nonce"] = self._nonce()
        headers["x-acs-content-sha256"] = content_hash
        token = self._credentials.security_token
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
        signature = v3_signature(self._credentials.access_key_secret, canonical)
        headers["Authorization"] = (
            f"{V3_ALGORITHM} Credential={self._credentials.access_key_id},"
            f"SignedHeaders={signed_headers},Signature={signature}"
        )
        yield request


def make_signer(
    credentials: Credentials,
    version: str = "v3",
    *,
    clock: Clock = _utc_now,
    nonce: NonceFactory = _new_nonce,
) -> V1Signer | V3Signer:
    """A signer of the given version (``"v1"`` or ``"v3"``)."""
    normalized = version.strip().lower()
    if normalized == "v1":
        return V1Signer(credentials, clock=clock, nonce=nonce)
    if normalized == "v3":
        return V3Signer(credentials, clock=clock, nonce=nonce)
    from .errors import InvalidQuery

    raise InvalidQuery("signature_version", f"{version!r} is not supported; use one of: v1, v3")
