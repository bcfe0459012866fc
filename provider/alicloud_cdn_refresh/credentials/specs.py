"""What the chain decided to do, before any network call: one value per kind of source.

The chain (:mod:`.chain`) reads settings into these; :mod:`.build` turns them into providers;
:mod:`.report` describes them. Nothing here holds a secret in its ``repr`` (static keys stay inside a
:class:`~.value.Credentials`, an inline OIDC token is hidden).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .value import Credentials, mask_access_key_id

__all__ = ["BaseSpec", "EcsRoleSpec", "OidcSpec", "Plan", "ProvidedSpec", "RoleSpec", "StaticSpec", "UriSpec"]


@dataclass(frozen=True)
class StaticSpec:
    """Long-term keys, or an STS token someone else renews (modes AK / StsToken)."""

    credentials: Credentials
    source: str
    reason: str

    @property
    def mode(self) -> str:
        return "StsToken" if self.credentials.security_token else "AK"

    def describe(self) -> str:
        return f"{self.mode} key {mask_access_key_id(self.credentials.access_key_id)} from {self.source}"


@dataclass(frozen=True)
class EcsRoleSpec:
    """The RAM role of this ECS instance, from the metadata service (mode EcsRamRole)."""

    role_name: str
    """Empty: ask the metadata service which role the instance has."""
    source: str
    reason: str
    mode: str = "EcsRamRole"

    def describe(self) -> str:
        role = self.role_name or "(the instance's role)"
        return f"EcsRamRole {role} from the ECS metadata service, configured by {self.source}"


@dataclass(frozen=True)
class UriSpec:
    """A credentials URI (a sidecar answering the metadata service's JSON) (mode CredentialsURI)."""

    uri: str
    source: str
    reason: str
    mode: str = "CredentialsURI"

    def describe(self) -> str:
        from .http import public_url

        return f"CredentialsURI {public_url(self.uri)}, configured by {self.source}"


@dataclass(frozen=True)
class OidcSpec:
    """AssumeRoleWithOIDC: an OIDC token (inline, or a file read at every renewal) for a role."""

    provider_arn: str
    role_arn: str
    session_name: str
    source: str
    reason: str
    token_file: str | None = None
    token: str | None = field(default=None, repr=False)
    policy: str | None = None
    duration: int | None = None
    mode: str = "OIDC"

    def describe(self) -> str:
        token = f"token file {self.token_file}" if self.token_file else "an inline token"
        return f"OIDC role {self.role_arn} via {self.provider_arn} with {token}, configured by {self.source}"


@dataclass(frozen=True)
class RoleSpec:
    """One AssumeRole made with the credentials below it."""

    role_arn: str
    session_name: str
    source: str
    policy: str | None = None
    duration: int = 3600
    external_id: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        return (
            f"AssumeRole {self.role_arn} (session {self.session_name}, {self.duration}s) from {self.source}"
        )


@dataclass(frozen=True)
class ProvidedSpec:
    """A provider given by the caller (``resolve_provider(explicit=...)``), with a role on top."""

    provider: Any = field(repr=False)
    source: str
    reason: str
    mode: str = "explicit"

    def describe(self) -> str:
        return f"explicit credentials ({self.source})"


BaseSpec = StaticSpec | EcsRoleSpec | UriSpec | OidcSpec | ProvidedSpec


@dataclass(frozen=True)
class Plan:
    """The credentials to use: a base source, then roles assumed in turn on top of it."""

    base: BaseSpec
    roles: tuple[RoleSpec, ...] = ()
    mode: str = ""
    """The mode as users name it: the profile's mode, or the base's, or ``RamRoleArn`` when a role
    from ``alicloud:assumeRole`` is assumed on top."""
    source: str = ""
    """Where the chosen settings were found."""
    reason: str = ""
    """Why this source and not another."""
