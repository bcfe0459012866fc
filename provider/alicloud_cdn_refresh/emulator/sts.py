"""The emulator's STS (2015-04-01): ``AssumeRole`` and ``AssumeRoleWithOIDC``, RPC style like the
CDN API, with STS's answer shape, error codes and ``Expiration`` (``yyyy-MM-ddTHH:mm:ssZ``).

Roles are configured (:meth:`StsService.add_role`: the ARN names the account; an external id and
the keys allowed to assume it are optional), so are OIDC providers with the tokens they accept.
Every session issued (here, by the metadata service or by a credentials URI) goes through
:class:`Issuer`, which registers its key with the key ring: the CDN API then accepts the key with
its token until ``Expiration`` and answers ``InvalidSecurityToken.Expired`` after. Nothing here
ever logs or answers a secret other than in the ``Credentials`` of a successful answer.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import threading
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.error_codes import API_ERRORS
from alicloud_cdn_refresh.models import format_api_time
from alicloud_cdn_refresh.settings import SESSION_EXPIRATION_RANGE
from alicloud_cdn_refresh.signatures import ACTION_HEADER, VERSION_HEADER

from .auth import KeyRing, Verifier
from .request import EmulatorError, EmulatorRequest, EmulatorResponse, missing_parameter

__all__ = ["STS_HOST_ID", "STS_VERSION", "IssuedSession", "Issuer", "OidcProvider", "Role", "StsService"]

STS_VERSION = "2015-04-01"
STS_HOST_ID = "sts.aliyuncs.com"
_ROLE_ARN = re.compile(r"^acs:ram::(?P<account>\d+):role/(?P<name>[\w.@+=,-]{1,64})$", re.IGNORECASE)
_SESSION_NAME = re.compile(r"^[\w.@-]{2,64}$")
_EXTERNAL_ID = re.compile(r"^[\w=,.@:/-]{2,1224}$")
_MAX_POLICY = 2048
_ALNUM = string.ascii_letters + string.digits


def _random(length: int, alphabet: str = _ALNUM) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass(frozen=True)
class Role:
    """A RAM role the emulator lets callers assume."""

    arn: str
    account_id: str
    name: str
    external_id: str | None = None
    max_session_duration: int = 3600
    trusted_access_keys: frozenset[str] | None = None
    """Access key ids allowed to assume it (``None``: any key the emulator accepts)."""

    def __repr__(self) -> str:
        return f"Role(arn={self.arn!r}, external_id={'set' if self.external_id else None})"


@dataclass(frozen=True)
class OidcProvider:
    """An OIDC identity provider and the tokens it vouches for (token -> when it expires, or never)."""

    arn: str
    tokens: dict[str, datetime | None]
    issuer: str = "https://oidc.emulator.invalid"

    def __repr__(self) -> str:
        return f"OidcProvider(arn={self.arn!r}, tokens={len(self.tokens)})"


@dataclass(frozen=True)
class IssuedSession:
    """One set of temporary credentials handed out (no secret in it)."""

    access_key_id: str
    role_arn: str
    session_name: str
    expiration: datetime
    via: str
    """``AssumeRole``, ``AssumeRoleWithOIDC``, ``EcsRamRole`` or ``CredentialsURI``."""
    caller: str | None = None
    """The access key id that assumed the role (AssumeRole only)."""


class Issuer:
    """Mints temporary credentials and registers them with the key ring until they expire."""

    def __init__(self, keys: KeyRing, clock: Clock) -> None:
        self.keys = keys
        self.clock = clock
        self._lock = threading.Lock()
        self.issued: list[IssuedSession] = []

    def issue(
        self, role_arn: str, session_name: str, seconds: int, *, via: str, caller: str | None = None
    ) -> tuple[IssuedSession, dict[str, str]]:
        """A new session and its ``Credentials`` object as STS answers it."""
        now = self.clock.now().replace(microsecond=0)
        expiration = now + timedelta(seconds=seconds)
        key_id = "STS.NT" + _random(22)
        secret = _random(44)
        token = "CAIS" + _random(300, _ALNUM + "+/=")
        self.keys.add_sts(key_id, secret, token, expires=expiration)
        session = IssuedSession(key_id, role_arn, session_name, expiration, via, caller)
        with self._lock:
            self.issued.append(session)
        return session, {
            "AccessKeyId": key_id,
            "AccessKeySecret": secret,
            "SecurityToken": token,
            "Expiration": format_api_time(expiration),
        }


def sts_error_body(code: str, request_id: str, message: str | None = None) -> dict[str, str]:
    """STS's error answer."""
    return {
        "RequestId": request_id,
        "HostId": STS_HOST_ID,
        "Code": code,
        "Message": message or API_ERRORS[code].message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=Sts",
    }


def json_response(status: int, body: dict[str, Any], request_id: str) -> EmulatorResponse:
    """A JSON answer with the request id header."""
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    headers = {"content-type": "application/json;charset=utf-8"}
    if request_id:
        headers["x-acs-request-id"] = request_id
    return EmulatorResponse(status, data, headers)


class StsService:
    """Answers STS actions; any other request is left to the CDN API (``handle`` returns ``None``)."""

    ACTIONS = ("AssumeRole", "AssumeRoleWithOIDC")

    def __init__(self, verifier: Verifier, issuer: Issuer, clock: Clock) -> None:
        self.verifier = verifier
        self.issuer = issuer
        self.clock = clock
        self.roles: dict[str, Role] = {}
        self.oidc_providers: dict[str, OidcProvider] = {}
        self.requests_served: Counter[str] = Counter()
        self.errors_returned: Counter[str] = Counter()
        self._lock = threading.Lock()

    # --- configuring ----------------------------------------------------------------------------

    def add_role(
        self,
        role_arn: str,
        *,
        external_id: str | None = None,
        max_session_duration: int = 3600,
        trusted_access_keys: list[str] | tuple[str, ...] | None = None,
    ) -> Role:
        """Let callers assume ``role_arn`` (``acs:ram::<account>:role/<name>``)."""
        match = _ROLE_ARN.match(role_arn)
        if match is None:
            raise ValueError(f"{role_arn!r} is not a role ARN such as acs:ram::123456789012:role/deployer")
        low, high = SESSION_EXPIRATION_RANGE
        if not low <= max_session_duration <= high:
            raise ValueError(f"max_session_duration must be {low}..{high} seconds")
        role = Role(
            role_arn,
            match["account"],
            match["name"],
            external_id,
            max_session_duration,
            frozenset(trusted_access_keys) if trusted_access_keys is not None else None,
        )
        self.roles[role_arn.lower()] = role
        return role

    def add_oidc_provider(
        self, provider_arn: str, tokens: dict[str, datetime | None] | list[str] | tuple[str, ...]
    ) -> OidcProvider:
        """Register an OIDC provider accepting ``tokens`` (a list: never expiring; a dict: token ->
        expiry)."""
        accepted = dict(tokens) if isinstance(tokens, dict) else dict.fromkeys(tokens)
        provider = OidcProvider(provider_arn, accepted)
        self.oidc_providers[provider_arn] = provider
        return provider

    # --- answering ------------------------------------------------------------------------------

    def handle(self, request: EmulatorRequest) -> EmulatorResponse | None:
        """The answer to an STS action, or ``None`` for anything else."""
        params = request.params
        action = request.headers.get(ACTION_HEADER) or params.get("Action") or ""
        version = request.headers.get(VERSION_HEADER) or params.get("Version") or ""
        if action not in self.ACTIONS or version != STS_VERSION:
            return None
        request_id = str(uuid.uuid4()).upper()
        with self._lock:
            self.requests_served[action] += 1
        try:
            if action == "AssumeRole":
                body = self._assume_role(request, params)
            else:
                body = self._assume_role_with_oidc(params)
        except EmulatorError as error:
            with self._lock:
                self.errors_returned[error.code] += 1
            spec = API_ERRORS[error.code]
            response = json_response(
                spec.http_status, sts_error_body(error.code, request_id, error.message), request_id
            )
            response.code = error.code
        else:
            body = {"RequestId": request_id, **body}
            response = json_response(200, body, request_id)
        response.action = action
        return response

    def _role(self, params: dict[str, str]) -> Role:
        arn = params.get("RoleArn") or ""
        if not arn:
            raise EmulatorError("MissingRoleArn")
        if _ROLE_ARN.match(arn) is None:
            raise EmulatorError("InvalidParameter.RoleArn")
        role = self.roles.get(arn.lower())
        if role is None:
            raise EmulatorError("EntityNotExist.Role")
        return role

    @staticmethod
    def _duration(params: dict[str, str], role: Role) -> int:
        value = params.get("DurationSeconds")
        low = SESSION_EXPIRATION_RANGE[0]
        message = (
            f"The Min/Max value of DurationSeconds is {low // 60}min/{role.max_session_duration // 60}min."
        )
        if not value:
            return min(3600, role.max_session_duration)
        try:
            seconds = int(value)
        except ValueError:
            raise EmulatorError("InvalidParameter.DurationSeconds", message) from None
        if not low <= seconds <= role.max_session_duration:
            raise EmulatorError("InvalidParameter.DurationSeconds", message)
        return seconds

    @staticmethod
    def _policy(params: dict[str, str]) -> None:
        policy = params.get("Policy")
        if not policy:
            return
        try:
            document = json.loads(policy)
        except ValueError:
            document = None
        if len(policy) > _MAX_POLICY or not isinstance(document, dict) or "Statement" not in document:
            raise EmulatorError("InvalidParameter.PolicyGrammar")

    def _answer(
        self, role: Role, session_name: str, seconds: int, via: str, caller: str | None
    ) -> dict[str, Any]:
        _, credentials = self.issuer.issue(role.arn, session_name, seconds, via=via, caller=caller)
        return {
            "AssumedRoleUser": {
                "Arn": f"acs:ram::{role.account_id}:assumed-role/{role.name.lower()}/{session_name}",
                "AssumedRoleId": f"3{abs(hash(role.arn)) % 10**17:017d}:{session_name}",
            },
            "Credentials": credentials,
        }

    def _assume_role(self, request: EmulatorRequest, params: dict[str, str]) -> dict[str, Any]:
        identity = self.verifier.verify(request)
        session_name = params.get("RoleSessionName") or ""
        if not session_name:
            raise EmulatorError("MissingRoleSessionName")
        if not _SESSION_NAME.match(session_name):
            raise EmulatorError("InvalidParameter.RoleSessionName")
        external_id = params.get("ExternalId")
        if external_id is not None and not _EXTERNAL_ID.match(external_id):
            raise EmulatorError("InvalidParameter.ExternalId")
        self._policy(params)
        role = self._role(params)
        seconds = self._duration(params, role)
        if role.trusted_access_keys is not None and identity.access_key_id not in role.trusted_access_keys:
            raise EmulatorError("NoPermission")
        if role.external_id is not None and not secrets.compare_digest(
            (external_id or "").encode(), role.external_id.encode()
        ):
            raise EmulatorError("NoPermission")
        return self._answer(role, session_name, seconds, "AssumeRole", identity.access_key_id)

    def _assume_role_with_oidc(self, params: dict[str, str]) -> dict[str, Any]:
        provider_arn = params.get("OIDCProviderArn") or ""
        if not provider_arn:
            raise missing_parameter("OIDCProviderArn")
        token = params.get("OIDCToken") or ""
        if not token:
            raise EmulatorError("AuthenticationFail.OIDCToken.Invalid", "The OIDCToken can not empty.")
        if not 4 <= len(token) <= 20000:
            raise EmulatorError("AuthenticationFail.OIDCToken.Invalid")
        session_name = params.get("RoleSessionName") or "oidc-session"
        if not _SESSION_NAME.match(session_name):
            raise EmulatorError("InvalidParameter.RoleSessionName")
        self._policy(params)
        provider = self.oidc_providers.get(provider_arn)
        if provider is None:
            raise EmulatorError("AuthenticationFail.NoPermission")
        if token not in provider.tokens:
            raise EmulatorError("AuthenticationFail.OIDCToken.Invalid")
        expires = provider.tokens[token]
        if expires is not None and self.clock.now() >= expires:
            raise EmulatorError("AuthenticationFail.OIDCToken.Expired")
        role = self._role(params)
        seconds = self._duration(params, role)
        body = self._answer(role, session_name, seconds, "AssumeRoleWithOIDC", None)
        body["OIDCTokenInfo"] = {
            "Issuer": provider.issuer,
            "Subject": "system:serviceaccount:default:emulator",
            "ClientIds": "sts.aliyuncs.com",
        }
        return body
