"""The emulator's ECS instance metadata service (RAM role credentials) and credentials URIs.

- ``PUT /latest/api/token`` with ``X-aliyun-ecs-metadata-token-ttl-seconds`` (1..21600): an IMDSv2
  token, sent back in ``X-aliyun-ecs-metadata-token``; ``require_token=True`` refuses requests
  without one (hardened mode, HTTP 401).
- ``GET /latest/meta-data/ram/security-credentials/``: the instance's role name;
  ``GET .../<role>``: ``{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken",
  "Expiration", "LastUpdated"}``; the same credentials until they are close to expiry, as ECS does.
- ``GET <path>`` of a credentials URI registered with :meth:`MetadataService.add_credentials_uri`:
  the same JSON without ``LastUpdated``.

Sessions are minted by the STS module's :class:`~.sts.Issuer`, so the CDN API accepts them.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.models import format_api_time

from .request import EmulatorRequest, EmulatorResponse
from .sts import Issuer, json_response

__all__ = ["ROLE_PATH", "TOKEN_PATH", "MetadataService"]

TOKEN_PATH = "/latest/api/token"  # noqa: S105 (a path)
ROLE_PATH = "/latest/meta-data/ram/security-credentials/"
_TOKEN_HEADER = "x-aliyun-ecs-metadata-token"  # noqa: S105
_TTL_HEADER = "x-aliyun-ecs-metadata-token-ttl-seconds"
_MAX_TTL = 21600


@dataclass
class _Source:
    role_arn: str
    role_name: str
    seconds: int
    current: dict[str, str] | None = None
    expiration: datetime | None = None
    updated: datetime | None = None


class MetadataService:
    """ECS metadata (one instance role at a time) and credentials URIs, answered by path."""

    def __init__(self, issuer: Issuer, clock: Clock, *, account_id: str = "123456789012") -> None:
        self.issuer = issuer
        self.clock = clock
        self.account_id = account_id
        self.require_token = False
        self._role: _Source | None = None
        self._uris: dict[str, _Source] = {}
        self._tokens: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self.requests_served: Counter[str] = Counter()

    def set_role(self, role_name: str | None, *, session_seconds: int = 21600) -> None:
        """Attach a RAM role to the emulated instance (``None`` detaches it)."""
        with self._lock:
            if role_name is None:
                self._role = None
            else:
                arn = f"acs:ram::{self.account_id}:role/{role_name.lower()}"
                self._role = _Source(arn, role_name, session_seconds)

    def add_credentials_uri(
        self, path: str, *, role_name: str = "sidecar", session_seconds: int = 3600
    ) -> str:
        """Serve credentials of ``role_name`` at ``path`` (returned, with a leading slash)."""
        path = "/" + path.lstrip("/")
        with self._lock:
            self._uris[path] = _Source(
                f"acs:ram::{self.account_id}:role/{role_name.lower()}", role_name, session_seconds
            )
        return path

    # --- answering ------------------------------------------------------------------------------

    def handle(self, request: EmulatorRequest) -> EmulatorResponse | None:
        """The answer for a metadata or credentials-URI path, else ``None``."""
        path = request.path
        if path == TOKEN_PATH:
            return self._token(request)
        if path.startswith(ROLE_PATH):
            return self._ecs(request, path[len(ROLE_PATH) :])
        with self._lock:
            source = self._uris.get(path)
        if source is not None and request.method == "GET":
            self._count("CredentialsURI")
            return self._document(source, "CredentialsURI", last_updated=False)
        return None

    def _count(self, what: str) -> None:
        with self._lock:
            self.requests_served[what] += 1

    @staticmethod
    def _text(status: int, text: str) -> EmulatorResponse:
        return EmulatorResponse(status, text.encode("utf-8"), {"content-type": "text/plain"})

    def _token(self, request: EmulatorRequest) -> EmulatorResponse:
        self._count("token")
        if request.method != "PUT":
            return self._text(405, "Method Not Allowed")
        try:
            ttl = int(request.headers.get(_TTL_HEADER, ""))
        except ValueError:
            return self._text(400, "Bad Request: X-aliyun-ecs-metadata-token-ttl-seconds is required")
        if not 1 <= ttl <= _MAX_TTL:
            return self._text(400, f"Bad Request: the token TTL must be 1..{_MAX_TTL} seconds")
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = self.clock.now() + timedelta(seconds=ttl)
        return self._text(200, token)

    def _token_ok(self, request: EmulatorRequest) -> bool:
        token = request.headers.get(_TOKEN_HEADER)
        if token is None:
            return not self.require_token
        with self._lock:
            expires = self._tokens.get(token)
        return expires is not None and self.clock.now() < expires

    def _ecs(self, request: EmulatorRequest, rest: str) -> EmulatorResponse:
        self._count("EcsRamRole")
        if request.method != "GET":
            return self._text(405, "Method Not Allowed")
        if not self._token_ok(request):
            return self._text(401, "Unauthorized")
        with self._lock:
            source = self._role
        if source is None or (rest and rest != source.role_name):
            return self._text(404, "Not Found")
        if not rest:
            return self._text(200, source.role_name)
        return self._document(source, "EcsRamRole", last_updated=True)

    def _document(self, source: _Source, via: str, *, last_updated: bool) -> EmulatorResponse:
        now = self.clock.now()
        with self._lock:
            due = (
                source.current is None
                or source.expiration is None
                or source.expiration - now < min(timedelta(minutes=15), timedelta(seconds=source.seconds / 2))
            )
            if due:
                session, credentials = self.issuer.issue(
                    source.role_arn, via.lower(), source.seconds, via=via
                )
                source.current, source.expiration, source.updated = credentials, session.expiration, now
            body: dict[str, Any] = {"Code": "Success", **(source.current or {})}
            if last_updated and source.updated is not None:
                body["LastUpdated"] = format_api_time(source.updated)
        return json_response(200, body, "")
