"""Signature verification as the API gateway does it: V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256).

Canonical encoding comes from :mod:`alicloud_cdn_refresh.signing` (proven against the published
vectors and the official SDK). Parameters are decoded first (the SDK sends ``+`` for a space),
then re-encoded canonically. No answer or log ever contains a secret or a token.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from alicloud_cdn_refresh import limits
from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.models import parse_api_time
from alicloud_cdn_refresh.signatures import (
    V1_SIGNATURE_METHOD,
    V3_ALGORITHM,
    sha256_hex,
    v1_signature,
    v3_canonical_request,
    v3_signature,
)

from .request import EmulatorError, EmulatorRequest, missing_parameter

__all__ = ["Identity", "KeyRing", "NonceCache", "Verifier"]

_AUTHORIZATION = re.compile(
    r"^\s*(?P<algorithm>\S+)\s+Credential=(?P<key>[^,\s]*)\s*,\s*SignedHeaders=(?P<headers>[^,\s]*)"
    r"\s*,\s*Signature=(?P<signature>[0-9a-fA-F]*)\s*$"
)
_V3_REQUIRED_HEADERS = ("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256")
_V1_REQUIRED = ("AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp")


@dataclass(frozen=True)
class Identity:
    """Who made a verified request (the account that quotas and QPS limits are kept for)."""

    access_key_id: str
    signature_version: str
    sts: bool = False


@dataclass(frozen=True)
class _Key:
    secret: str
    token: str | None = None
    expires: datetime | None = None

    def __repr__(self) -> str:
        return "_Key(secret='***', token='***')" if self.token else "_Key(secret='***')"


class KeyRing:
    """Access keys and STS credentials the emulator accepts (thread-safe, secrets never shown)."""

    def __init__(self, access_keys: Mapping[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, _Key] = {}
        for key_id, secret in (access_keys or {}).items():
            self.add(key_id, secret)

    def add(self, access_key_id: str, secret: str) -> None:
        """Accept a long-term access key."""
        if not access_key_id or not secret:
            raise ValueError("access key id and secret must not be empty")
        with self._lock:
            self._keys[access_key_id] = _Key(secret)

    def add_sts(
        self, access_key_id: str, secret: str, token: str, *, expires: datetime | None = None
    ) -> None:
        """Accept temporary STS credentials: requests must carry ``token``."""
        if not access_key_id or not secret or not token:
            raise ValueError("STS access key id, secret and token must not be empty")
        with self._lock:
            self._keys[access_key_id] = _Key(secret, token, expires)

    def get(self, access_key_id: str) -> _Key | None:
        """The key record, or ``None`` for an unknown id."""
        with self._lock:
            return self._keys.get(access_key_id)

    def __repr__(self) -> str:
        with self._lock:
            return f"KeyRing(ids={sorted(self._keys)!r})"


class NonceCache:
    """Nonces seen within the tolerance window, per access key; bounded in memory."""

    def __init__(
        self,
        *,
        keep: float = 2 * limits.TIMESTAMP_TOLERANCE.total_seconds(),
        max_entries: int = 200_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keep = keep
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._seen: set[tuple[str, str]] = set()
        self._order: deque[tuple[float, tuple[str, str]]] = deque()

    def use(self, access_key_id: str, nonce: str) -> bool:
        """Record a nonce; ``False`` if it was used already within the window."""
        entry = (access_key_id, nonce)
        now = self._monotonic()
        with self._lock:
            while self._order and (
                self._order[0][0] <= now - self.keep or len(self._order) >= self.max_entries
            ):
                self._seen.discard(self._order.popleft()[1])
            if entry in self._seen:
                return False
            self._seen.add(entry)
            self._order.append((now, entry))
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)


class Verifier:
    """Authenticate a request like the gateway; raise :class:`EmulatorError` with the real code.

    A timestamp is fresh when it is within :data:`~alicloud_cdn_refresh.limits.TIMESTAMP_TOLERANCE`
    of the emulator's clock or of the real time: a client signing on the real clock keeps working
    while a test moves a manual clock, and one signing on the shared manual clock does too.
    """

    def __init__(self, keys: KeyRing, clock: Clock, *, nonces: NonceCache | None = None) -> None:
        self.keys = keys
        self.clock = clock
        self.nonces = nonces or NonceCache()
        self.tolerance = limits.TIMESTAMP_TOLERANCE
        self.signed_by: Counter[tuple[str, str]] = Counter()
        """Verified requests per ``(access key id, action)``: which key signed which call."""
        self._signed_lock = threading.Lock()

    def verify(self, request: EmulatorRequest) -> Identity:
        """The caller's identity, once the signature, timestamp, nonce and token are checked."""
        identity = self._verify(request)
        action = request.headers.get("x-acs-action") or request.params.get("Action") or ""
        with self._signed_lock:
            self.signed_by[(identity.access_key_id, action)] += 1
        return identity

    def _verify(self, request: EmulatorRequest) -> Identity:
        authorization = request.headers.get("authorization", "")
        if authorization.strip().startswith(V3_ALGORITHM):
            return self._verify_v3(request, authorization)
        params = request.params
        if "Signature" in params:
            return self._verify_v1(request, params)
        if authorization:
            raise EmulatorError(
                "IncompleteSignature", "The Authorization header is not an ACS3-HMAC-SHA256 one."
            )
        if "AccessKeyId" in params:
            raise missing_parameter("Signature")
        raise missing_parameter("AccessKeyId")

    # --- V1 -----------------------------------------------------------------------------------

    def _verify_v1(self, request: EmulatorRequest, params: dict[str, str]) -> Identity:
        for name in _V1_REQUIRED:
            if not params.get(name):
                raise missing_parameter(name)
        if params["SignatureMethod"] != V1_SIGNATURE_METHOD or params["SignatureVersion"] != "1.0":
            raise EmulatorError(
                "IncompleteSignature", "SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0."
            )
        key_id = params["AccessKeyId"]
        key = self._key(key_id)
        pairs = [(k, v) for k, v in [*request.query, *request.form] if k != "Signature"]
        expected = v1_signature(key.secret, request.method, pairs)
        if not hmac.compare_digest(expected.encode(), params["Signature"].encode()):
            raise EmulatorError("SignatureDoesNotMatch")
        self._check_time(params["Timestamp"])
        self._check_nonce(key_id, params["SignatureNonce"])
        self._check_token(key, params.get("SecurityToken"))
        return Identity(key_id, "v1", key.token is not None)

    # --- V3 -----------------------------------------------------------------------------------

    def _verify_v3(self, request: EmulatorRequest, authorization: str) -> Identity:
        match = _AUTHORIZATION.match(authorization)
        if not match or match["algorithm"] != V3_ALGORITHM or not match["key"] or not match["signature"]:
            raise EmulatorError(
                "IncompleteSignature",
                "The Authorization header must be: ACS3-HMAC-SHA256 Credential=<id>,"
                "SignedHeaders=<names>,Signature=<hex>.",
            )
        for name in _V3_REQUIRED_HEADERS:
            if not request.headers.get(name):
                raise EmulatorError(
                    "MissingParameter", f'The header "{name}" that is mandatory for this request is missing.'
                )
        signed = [name for name in match["headers"].split(";") if name]
        if "x-acs-content-sha256" not in signed or any(name not in request.headers for name in signed):
            raise EmulatorError(
                "IncompleteSignature",
                "SignedHeaders must name x-acs-content-sha256 and only headers the request carries.",
            )
        key_id = match["key"]
        key = self._key(key_id)
        payload_hash = request.headers["x-acs-content-sha256"]
        if payload_hash.lower() != sha256_hex(request.body):
            raise EmulatorError(
                "SignatureDoesNotMatch", "The x-acs-content-sha256 header does not match the request body."
            )
        canonical = v3_canonical_request(
            request.method, request.path, request.query, request.headers, signed, payload_hash
        )
        expected = v3_signature(key.secret, canonical)
        if not hmac.compare_digest(expected, match["signature"].lower()):
            raise EmulatorError("SignatureDoesNotMatch")
        self._check_time(request.headers["x-acs-date"])
        self._check_nonce(key_id, request.headers["x-acs-signature-nonce"])
        self._check_token(
            key, request.headers.get("x-acs-security-token") or request.params.get("SecurityToken")
        )
        return Identity(key_id, "v3", key.token is not None)

    # --- shared -------------------------------------------------------------------------------

    def _key(self, key_id: str) -> _Key:
        key = self.keys.get(key_id)
        if key is None:
            raise EmulatorError("InvalidAccessKeyId.NotFound")
        return key

    def _check_time(self, text: str) -> None:
        try:
            stamp = parse_api_time(text)
        except ValueError:
            raise EmulatorError("InvalidTimeStamp.Format") from None
        for now in (self.clock.now(), datetime.now(timezone.utc)):
            if abs(stamp - now) <= self.tolerance:
                return
        raise EmulatorError("InvalidTimeStamp.Expired")

    def _check_nonce(self, key_id: str, nonce: str) -> None:
        if not self.nonces.use(key_id, nonce):
            raise EmulatorError("SignatureNonceUsed")

    def _check_token(self, key: _Key, token: str | None) -> None:
        if key.token is None:
            if token:
                raise EmulatorError("InvalidSecurityToken.MismatchWithAccessKey")
            return
        if not token:
            raise EmulatorError("MissingSecurityToken")
        if not hmac.compare_digest(token.encode(), key.token.encode()):
            raise EmulatorError("InvalidSecurityToken.MismatchWithAccessKey")
        if key.expires is not None and self.clock.now() >= key.expires:
            raise EmulatorError("InvalidSecurityToken.Expired")
