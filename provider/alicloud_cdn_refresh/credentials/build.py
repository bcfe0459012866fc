"""From a :class:`~.specs.Plan` to a provider: the base source, then one renewing AssumeRole per role.

Each temporary step is a :class:`~.provider.RenewingProvider`, so a role assumed with ECS role
credentials renews both in turn, each shortly before its own expiry. A failure names the chosen
source, its mode, why it was chosen and every source tried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alicloud_cdn_refresh.errors import CredentialsError

from .provider import CredentialsProvider, RenewingProvider, StaticProvider
from .services import Services
from .specs import EcsRoleSpec, OidcSpec, Plan, ProvidedSpec, RoleSpec, StaticSpec, UriSpec
from .value import Credentials

__all__ = ["build_provider"]


def _explained(
    fetch: Callable[[], Credentials], plan: Plan, tried: Sequence[str], step: str
) -> Callable[[], Credentials]:
    def run() -> Credentials:
        try:
            return fetch()
        except CredentialsError as error:
            if error.tried:  # explained already, by the step below this one
                raise
            raise CredentialsError(
                f"credentials of mode {plan.mode} from {plan.source} ({plan.reason}) could not be had: "
                f"{step} failed: {error.message}",
                tried=tried,
                source=plan.source,
                mode=plan.mode,
                code=error.code,
                request_id=error.request_id,
                http_status=error.http_status,
            ) from None

    return run


def _base(plan: Plan, services: Services, tried: Sequence[str]) -> CredentialsProvider:
    base = plan.base
    if isinstance(base, StaticSpec):
        return StaticProvider(base.credentials, mode=base.mode)
    if isinstance(base, ProvidedSpec):
        provider: CredentialsProvider = base.provider
        return provider
    fetch: Callable[[], Credentials]
    if isinstance(base, EcsRoleSpec):
        if services.ecs_metadata_disabled:
            raise CredentialsError(
                f"{base.describe()}: the ECS metadata service is disabled "
                "(ALIBABA_CLOUD_ECS_METADATA_DISABLED)",
                tried=tried,
                source=plan.source,
                mode=plan.mode,
            )
        from .metadata import fetch_ecs_role

        endpoint = services.metadata_endpoint()

        def fetch() -> Credentials:
            return fetch_ecs_role(
                base, endpoint=endpoint, http=services.http, imds_v1_disabled=services.imds_v1_disabled
            )

    elif isinstance(base, UriSpec):
        from .uri import fetch_credentials_uri

        def fetch() -> Credentials:
            return fetch_credentials_uri(base, http=services.http)

    elif isinstance(base, OidcSpec):
        from .sts import assume_role_with_oidc

        endpoint = services.sts_endpoint()

        def fetch() -> Credentials:
            return assume_role_with_oidc(base, endpoint=endpoint, http=services.http, clock=services.clock)

    else:  # pragma: no cover - the union is closed
        raise TypeError(f"unknown base {base!r}")
    return RenewingProvider(
        _explained(fetch, plan, tried, base.describe()),
        mode=base.mode,
        source=base.source,
        clock=services.clock,
    )


def _role(
    below: CredentialsProvider,
    role: RoleSpec,
    plan: Plan,
    services: Services,
    tried: Sequence[str],
    endpoint: str,
) -> RenewingProvider:
    from .sts import assume_role

    def fetch() -> Credentials:
        return assume_role(below.get(), role, endpoint=endpoint, http=services.http, clock=services.clock)

    return RenewingProvider(
        _explained(fetch, plan, tried, role.describe()),
        mode="RamRoleArn",
        source=role.source,
        clock=services.clock,
    )


def build_provider(plan: Plan, services: Services, tried: Sequence[str]) -> CredentialsProvider:
    """The provider for ``plan``; nothing is fetched until its first ``get()``."""
    provider = _base(plan, services, tried)
    if plan.roles:
        endpoint = services.sts_endpoint()
        for role in plan.roles:
            provider = _role(provider, role, plan, services, tried, endpoint)
    if isinstance(provider, (StaticProvider, RenewingProvider)):
        provider.mode = plan.mode
        provider.source = plan.source
    return provider
