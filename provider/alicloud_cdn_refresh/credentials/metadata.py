"""The ECS instance metadata service: the RAM role's temporary credentials (mode EcsRamRole).

IMDSv2 first (``PUT /latest/api/token``, then the token in ``X-aliyun-ecs-metadata-token``), IMDSv1
when the token cannot be had, unless ``ALIBABA_CLOUD_IMDSV1_DISABLED=true``. The address is
``ALIBABA_CLOUD_ECS_METADATA_ENDPOINT`` when set (tests point it at the emulator on loopback), else
``http://100.100.100.200``. Asked only when a role name is configured (``alicloud:ecsRoleName``,
``ALICLOUD_ECS_ROLE_NAME``, ``ALIBABA_CLOUD_ECS_METADATA``) or a profile of mode EcsRamRole is
chosen: never probed blindly.
"""

from __future__ import annotations

from alicloud_cdn_refresh.errors import CredentialsError

from .http import HttpSettings, public_url, send
from .specs import EcsRoleSpec
from .uri import credentials_from_document
from .value import Credentials

__all__ = ["METADATA_TOKEN_TTL", "ROLE_PATH", "TOKEN_PATH", "fetch_ecs_role"]

TOKEN_PATH = "/latest/api/token"  # noqa: S105 (a path)
ROLE_PATH = "/latest/meta-data/ram/security-credentials/"
METADATA_TOKEN_TTL = 21600
TOKEN_HEADER = "x-aliyun-ecs-metadata-token"  # noqa: S105
TOKEN_TTL_HEADER = "x-aliyun-ecs-metadata-token-ttl-seconds"  # noqa: S105
_TIMEOUT = 5.0


def _metadata_token(endpoint: str, http: HttpSettings, imds_v1_disabled: bool) -> str | None:
    what = "ECS metadata token (IMDSv2)"
    try:
        answer = send(
            "PUT",
            endpoint + TOKEN_PATH,
            settings=http,
            headers={TOKEN_TTL_HEADER: str(METADATA_TOKEN_TTL)},
            timeout=min(_TIMEOUT, http.timeout),
            what=what,
            trust_env=False,
        )
    except CredentialsError:
        if imds_v1_disabled:
            raise
        return None
    if answer.status == 200 and answer.body.strip():
        return answer.body.decode("utf-8", "replace").strip()
    if imds_v1_disabled:
        raise CredentialsError(
            f"{what}: {public_url(endpoint + TOKEN_PATH)} answered HTTP {answer.status} "
            "and IMDSv1 is disabled (ALIBABA_CLOUD_IMDSV1_DISABLED)",
            code=f"HTTP{answer.status}",
            http_status=answer.status,
        )
    return None


def _get(endpoint: str, path: str, token: str | None, http: HttpSettings, what: str) -> bytes:
    headers = {TOKEN_HEADER: token} if token else {}
    answer = send(
        "GET",
        endpoint + path,
        settings=http,
        headers=headers,
        timeout=min(_TIMEOUT, http.timeout),
        what=what,
        trust_env=False,
    )
    if answer.status != 200:
        raise CredentialsError(
            f"{what}: {public_url(endpoint + path)} answered HTTP {answer.status}",
            code=f"HTTP{answer.status}",
            http_status=answer.status,
        )
    return answer.body


def fetch_ecs_role(
    spec: EcsRoleSpec, *, endpoint: str, http: HttpSettings, imds_v1_disabled: bool = False
) -> Credentials:
    """The role's current credentials from the metadata service at ``endpoint``."""
    token = _metadata_token(endpoint, http, imds_v1_disabled)
    role = spec.role_name
    if not role:
        listing = _get(endpoint, ROLE_PATH, token, http, "ECS metadata: the instance's RAM role")
        names = [line.strip() for line in listing.decode("utf-8", "replace").splitlines() if line.strip()]
        if not names:
            raise CredentialsError(
                "ECS metadata: this instance has no RAM role attached", code="NoRole", source=spec.source
            )
        role = names[0]
    what = f"ECS metadata: credentials of RAM role {role}"
    body = _get(endpoint, ROLE_PATH + role, token, http, what)
    return credentials_from_document(body, what, f"ECS RAM role {role} ({spec.source})")
