"""STS calls: AssumeRole (signed with the credentials below it) and AssumeRoleWithOIDC (anonymous).

Written on the project's own V1 signer (:func:`alicloud_cdn_refresh.signatures.v1_signature`) and
httpx rather than with ``alibabacloud-credentials``, whose STS providers always use HTTPS to a host
name (so they cannot be pointed at the emulator on loopback), read the clock and the environment
for themselves, and quote STS's whole answer in their exception texts. See :mod:`.chain`.

Requests are ``POST /`` with every parameter, the signature included, in a form-encoded body, so no
token ever lands in a URL (URLs appear in logs and exception texts). Throttling, 5xx answers and
transport errors are retried twice on the injected clock.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from pathlib import Path

from alicloud_cdn_refresh.clock import Clock
from alicloud_cdn_refresh.error_codes import is_retryable
from alicloud_cdn_refresh.errors import CredentialsError
from alicloud_cdn_refresh.models import format_api_time
from alicloud_cdn_refresh.signatures import V1_SIGNATURE_METHOD, v1_signature

from .http import HttpAnswer, HttpSettings, public_url, send
from .specs import OidcSpec, RoleSpec
from .value import Credentials, temporary_credentials

__all__ = ["STS_API_VERSION", "assume_role", "assume_role_with_oidc", "read_oidc_token"]

log = logging.getLogger(__name__)

STS_API_VERSION = "2015-04-01"
_ATTEMPTS = 3
_BACKOFF = 0.5


def read_oidc_token(spec: OidcSpec) -> str:
    """The OIDC token: inline, or read from its file now (tokens in files rotate)."""
    if spec.token_file:
        try:
            token = Path(spec.token_file).expanduser().read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CredentialsError(
                f"OIDC: cannot read the token file {spec.token_file} "
                f"({exc.strerror or type(exc).__name__}), set by {spec.source}",
                source=spec.source,
                mode="OIDC",
            ) from None
        if not token:
            raise CredentialsError(
                f"OIDC: the token file {spec.token_file} (set by {spec.source}) is empty",
                source=spec.source,
                mode="OIDC",
            )
        return token
    if spec.token:
        return spec.token
    raise CredentialsError(
        f"OIDC: no token and no token file ({spec.source})", source=spec.source, mode="OIDC"
    )


def _scrub(text: str, secrets: tuple[str | None, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _call(
    action: str,
    business: Mapping[str, str],
    *,
    signer: Credentials | None,
    endpoint: str,
    http: HttpSettings,
    clock: Clock,
    what: str,
    secrets: tuple[str | None, ...],
) -> dict[str, object]:
    """One STS action; the answer's JSON object, or a :class:`CredentialsError` with STS's code."""
    url = endpoint + "/"
    error: CredentialsError | None = None
    for attempt in range(_ATTEMPTS):
        params = {
            "Action": action,
            "Version": STS_API_VERSION,
            "Format": "JSON",
            "Timestamp": format_api_time(clock.now()),
            "SignatureNonce": uuid.uuid4().hex,
            **business,
        }
        if signer is not None:
            params |= {
                "AccessKeyId": signer.access_key_id,
                "SignatureMethod": V1_SIGNATURE_METHOD,
                "SignatureVersion": "1.0",
            }
            if signer.security_token:
                params["SecurityToken"] = signer.security_token
            params["Signature"] = v1_signature(signer.access_key_secret, "POST", params.items())
        try:
            answer = send("POST", url, settings=http, form=params, what=what)
        except CredentialsError as exc:
            error = exc
        else:
            data = answer.json_object()
            if answer.status == 200 and data is not None and "Code" not in data:
                return data
            error = _error_from(answer, data, what, url, secrets)
        if attempt + 1 < _ATTEMPTS and is_retryable(error.code, error.http_status):
            log.debug("%s: %s, retrying", what, error.code)
            clock.sleep(_BACKOFF * 2**attempt)
            continue
        raise error
    raise AssertionError("unreachable")  # pragma: no cover


def _error_from(
    answer: HttpAnswer, data: dict[str, object] | None, what: str, url: str, secrets: tuple[str | None, ...]
) -> CredentialsError:
    if data is not None and isinstance(data.get("Code"), str):
        code = str(data["Code"])
        message = _scrub(str(data.get("Message") or ""), secrets)
        request_id = str(data.get("RequestId") or "") or None
        text = f"{what}: STS answered {code}: {message} (HTTP {answer.status})"
        if request_id:
            text += f" [RequestId {request_id}]"
    else:
        code = f"HTTP{answer.status}" if answer.status != 200 else "MalformedResponse"
        request_id = None
        text = f"{what}: {public_url(url)} answered HTTP {answer.status} without an STS answer"
    return CredentialsError(text, code=code, request_id=request_id, http_status=answer.status)


def _credentials_from(data: Mapping[str, object], what: str, source: str) -> Credentials:
    raw = data.get("Credentials")
    if not isinstance(raw, Mapping):
        raise CredentialsError(f"{what}: the answer has no Credentials", code="MalformedResponse")
    return temporary_credentials(raw, what=what, source=source, lacking="the answer's Credentials lack")


def assume_role(
    base: Credentials, spec: RoleSpec, *, endpoint: str, http: HttpSettings, clock: Clock
) -> Credentials:
    """Assume ``spec``'s role with ``base`` (long-term keys or STS credentials)."""
    business = {
        "RoleArn": spec.role_arn,
        "RoleSessionName": spec.session_name,
        "DurationSeconds": str(spec.duration),
    }
    if spec.policy:
        business["Policy"] = spec.policy
    if spec.external_id:
        business["ExternalId"] = spec.external_id
    what = f"AssumeRole {spec.role_arn} at {public_url(endpoint)}"
    secrets = (base.access_key_secret, base.security_token, spec.external_id)
    data = _call(
        "AssumeRole",
        business,
        signer=base,
        endpoint=endpoint,
        http=http,
        clock=clock,
        what=what,
        secrets=secrets,
    )
    return _credentials_from(data, what, f"role {spec.role_arn} assumed with {base.source}")


def assume_role_with_oidc(spec: OidcSpec, *, endpoint: str, http: HttpSettings, clock: Clock) -> Credentials:
    """Exchange the OIDC token for STS credentials of ``spec``'s role (an anonymous call)."""
    token = read_oidc_token(spec)
    business = {
        "OIDCProviderArn": spec.provider_arn,
        "RoleArn": spec.role_arn,
        "OIDCToken": token,
        "RoleSessionName": spec.session_name,
    }
    if spec.policy:
        business["Policy"] = spec.policy
    if spec.duration:
        business["DurationSeconds"] = str(spec.duration)
    what = f"AssumeRoleWithOIDC {spec.role_arn} at {public_url(endpoint)}"
    data = _call(
        "AssumeRoleWithOIDC",
        business,
        signer=None,
        endpoint=endpoint,
        http=http,
        clock=clock,
        what=what,
        secrets=(token,),
    )
    return _credentials_from(data, what, f"role {spec.role_arn} assumed with OIDC ({spec.source})")
