"""Canonical encoding and the V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256) signature functions.

The one place where canonical encoding is written: the client's signers
(:mod:`alicloud_cdn_refresh.client.signers`) and the emulator's verifier
(:mod:`alicloud_cdn_refresh.emulator.auth`) both use it, which is why the tests prove it against the
published vectors and the official SDK (``tests/core/test_signing_vectors.py``,
``tests/core/test_signing_against_sdk.py``) rather than against the emulator. Pure: no I/O, no httpx.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import quote

__all__ = [
    "ACTION_HEADER",
    "FORM_CONTENT_TYPE",
    "SIGNATURE_VERSIONS",
    "V1_SIGNATURE_METHOD",
    "V3_ALGORITHM",
    "VERSION_HEADER",
    "canonical_query",
    "percent_encode",
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
