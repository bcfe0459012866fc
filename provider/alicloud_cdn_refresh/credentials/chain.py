"""The credentials chain: pulumi-alicloud's sources in pulumi-alicloud's order.

The order is the Alibaba Cloud Terraform provider's (``providerConfigure`` and
``Config.RefreshAuthCredential`` in ``alicloud/provider.go`` / ``connectivity/config.go``), which
pulumi-alicloud bridges as is:

1. keys: ``alicloud:accessKey`` / ``secretKey`` / ``securityToken``, each falling back to its
   environment variables (``ALICLOUD_ACCESS_KEY``, ``ALIBABA_CLOUD_ACCESS_KEY_ID``,
   ``ALIBABACLOUD_ACCESS_KEY_ID`` ...);
2. the shared config file (``alicloud:sharedCredentialsFile``, ``ALICLOUD_SHARED_CREDENTIALS_FILE``,
   ``ALIBABA_CLOUD_CREDENTIALS_FILE``, else ``~/.aliyun/config.json``), profile
   ``alicloud:profile`` / ``ALICLOUD_PROFILE`` / ``ALIBABA_CLOUD_PROFILE``, else the file's
   ``current`` (else ``default``), in any mode of :data:`~.profiles.SUPPORTED_MODES`;
3. ``alicloud:credentialsUri`` / ``ALICLOUD_CREDENTIALS_URI`` / ``ALIBABA_CLOUD_CREDENTIALS_URI``;
4. ``alicloud:ecsRoleName`` / ``ALICLOUD_ECS_ROLE_NAME`` / ``ALIBABA_CLOUD_ECS_METADATA``;
5. ``alicloud:assumeRoleWithOidc`` (fields falling back to ``ALIBABA_CLOUD_OIDC_PROVIDER_ARN``,
   ``ALIBABA_CLOUD_ROLE_ARN``, ``ALIBABA_CLOUD_OIDC_TOKEN_FILE``, ``ALIBABA_CLOUD_OIDC_TOKEN``,
   ``ALIBABA_CLOUD_ROLE_SESSION_NAME``), or those variables alone (Kubernetes RRSA);

then ``alicloud:assumeRole`` is assumed on top of whatever was found (replacing a RamRoleArn
profile's own role, as the Terraform provider does). The first source that is set wins; one that is
set but unusable (half a key pair, a named profile that is missing or of an unsupported mode, half
an OIDC setting) is an error, never a step to the next source: a wrong identity is worse than none.

This module is the order and what it hands off (:func:`resolve_plan`, :func:`resolve_provider`,
:func:`resolve_credentials`, :func:`describe_credentials`); each source is read by its own module
(the keys and the role objects :mod:`.sources`, the profile file :mod:`.profiles`), the STS and
metadata endpoints by :mod:`.services`, and :mod:`.build` turns the plan into providers.

Where the sources disagree this follows the Terraform provider, with two documented exceptions: the
file's ``current`` profile is used when no profile is named (pulumi-alicloud's docs and the
``aliyun`` CLI; the Terraform provider reads the file only for a named profile), and the STS
endpoint defaults to ``https://sts.aliyuncs.com`` (the Terraform provider derives a regional one).

Why not ``alibabacloud-credentials``: its providers always reach STS over HTTPS at a host name and
the metadata service at a fixed address (so they cannot be pointed at the emulator on loopback),
read the environment at import and the real clock (so a ``ManualClock`` cannot drive renewal), log
to stderr through a handler they add at import, start a scheduler thread per ECS provider, quote
STS's whole answer in exception texts, order their chain differently from pulumi-alicloud (its own
environment names first, no ``alicloud:*`` keys, no ``assumeRole`` on top), and take ~0.2 s and
~500 modules to import. The pieces here are small (RPC signing is the project's own V1 signer) and
the emulator proves them against the official STS SDK.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alicloud_cdn_refresh import settings as names
from alicloud_cdn_refresh.clock import SYSTEM_CLOCK, Clock
from alicloud_cdn_refresh.errors import CredentialsError

from .build import build_provider
from .http import public_url
from .profiles import ProfileChoice, choose_profile
from .provider import CredentialsProvider, as_provider
from .report import CredentialsReport
from .services import metadata_endpoint, services_for, sts_endpoint
from .sources import Found, Lookup, parse_assume_role, parse_oidc, read_keys
from .specs import EcsRoleSpec, OidcSpec, Plan, ProvidedSpec, RoleSpec, StaticSpec, UriSpec
from .value import Credentials, mask_access_key_id

__all__ = [
    "describe_credentials",
    "metadata_endpoint",
    "resolve_credentials",
    "resolve_plan",
    "resolve_provider",
    "sts_endpoint",
]


class _Resolution:
    """The plan, and what was looked at on the way."""

    def __init__(self) -> None:
        self.tried: list[str] = []
        self.shadowed: list[str] = []


def _named_profile(lookup: Lookup) -> Found | None:
    return lookup.first(names.CONFIG_PROFILE, names.ENV_PROFILE)


def _oidc_env_set(lookup: Lookup) -> list[str]:
    return [
        found.where
        for found in (lookup.env(names.ENV_OIDC_PROVIDER_ARN), lookup.env(names.ENV_OIDC_TOKEN_FILE))
        if found is not None
    ]


def _plan_from_choice(
    choice: ProfileChoice,
) -> tuple[Any, tuple[RoleSpec, ...], RoleSpec | None, str, str, str]:
    return choice.base, choice.roles, choice.replaceable, choice.mode, choice.label, choice.base.reason


def resolve_plan(
    *,
    pulumi_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    assume_role: Mapping[str, Any] | None = None,
    profile_path: str | Path | None = None,
) -> tuple[Plan, tuple[str, ...], tuple[str, ...]]:
    """``(plan, tried, shadowed)``: what the chain would use, without any network call.

    ``profile`` and ``assume_role`` are per-call overrides (a Pulumi resource's own inputs): a
    ``profile`` replaces the whole identity of the stack config (keys, its profile, URI, ECS role,
    OIDC and its ``alicloud:assumeRole``); an ``assume_role`` (``role_arn``, ``session_name``,
    ``external_id``, ``policy``, ``session_expiration``; camelCase works too) replaces
    ``alicloud:assumeRole``.
    """
    lookup = Lookup(pulumi_config or {}, os.environ if environ is None else environ)
    res = _Resolution()
    base: Any = None
    roles: tuple[RoleSpec, ...] = ()
    replaceable: RoleSpec | None = None
    mode = source = reason = ""
    if profile is not None and profile.strip():
        choice = choose_profile(
            lookup, res.tried, profile_path, Found("the profile argument", profile.strip())
        )
        assert choice is not None
        base, roles, replaceable, mode, source, reason = _plan_from_choice(choice)
        config_role = None
    else:
        keys = read_keys(lookup, res.tried)
        named = _named_profile(lookup)
        uri = lookup.first(names.CONFIG_CREDENTIALS_URI, names.ENV_CREDENTIALS_URI)
        ecs = lookup.first(names.CONFIG_ECS_ROLE_NAME, names.ENV_ECS_ROLE_NAME)
        oidc_raw = lookup.config_value(names.CONFIG_ASSUME_ROLE_WITH_OIDC)
        oidc_env = _oidc_env_set(lookup)
        later = [
            *([f"profile {named.value!r} ({named.where})"] if named else []),
            *([f"credentials URI ({uri.where})"] if uri else []),
            *([f"ECS RAM role {ecs.value!r} ({ecs.where})"] if ecs else []),
            *([f"OIDC ({names.CONFIG_ASSUME_ROLE_WITH_OIDC})"] if oidc_raw is not None else []),
            *([f"OIDC ({', '.join(oidc_env)})"] if oidc_raw is None and oidc_env else []),
        ]
        if keys is not None:
            base, mode, source, reason = keys, keys.mode, keys.source, keys.reason
            res.shadowed.extend(f"{item}: access keys come first" for item in later)
        if base is None:
            choice = choose_profile(lookup, res.tried, profile_path, named)
            if choice is not None:
                base, roles, replaceable, mode, source, reason = _plan_from_choice(choice)
                res.shadowed.extend(f"{item}: the profile comes first" for item in later[1 if named else 0 :])
        if base is None:
            if uri is not None:
                base = UriSpec(
                    uri.value, uri.where, "no keys or profile; a credentials URI is next in the order"
                )
                mode, source, reason = base.mode, uri.where, base.reason
                res.shadowed.extend(
                    f"{item}: the credentials URI comes first" for item in later if "URI" not in item
                )
            else:
                res.tried.append(
                    f"credentials URI ({names.CONFIG_CREDENTIALS_URI}, "
                    f"{', '.join(names.ENV_CREDENTIALS_URI)}): not set"
                )
        if base is None:
            if ecs is not None:
                base = EcsRoleSpec(
                    ecs.value, ecs.where, "no keys, profile or URI; an ECS role name is next in the order"
                )
                mode, source, reason = base.mode, ecs.where, base.reason
                res.shadowed.extend(f"{item}: the ECS role comes first" for item in later if "OIDC" in item)
            else:
                res.tried.append(
                    f"ECS RAM role ({names.CONFIG_ECS_ROLE_NAME}, "
                    f"{', '.join(names.ENV_ECS_ROLE_NAME)}): not set"
                )
        if base is None:
            if oidc_raw is not None or oidc_env:
                where = names.CONFIG_ASSUME_ROLE_WITH_OIDC if oidc_raw is not None else "environment"
                try:
                    base = parse_oidc(
                        oidc_raw,
                        f"Pulumi config {names.CONFIG_ASSUME_ROLE_WITH_OIDC}",
                        lookup,
                        f"no keys, profile, URI or ECS role; OIDC ({where}) is next in the order",
                    )
                except CredentialsError as error:
                    raise CredentialsError(
                        error.message, tried=res.tried, mode="OIDC", source=error.source
                    ) from None
                mode, source, reason = base.mode, base.source, base.reason
            else:
                res.tried.append(
                    f"OIDC ({names.CONFIG_ASSUME_ROLE_WITH_OIDC}, {names.ENV_OIDC_PROVIDER_ARN[0]} + "
                    f"{names.ENV_OIDC_TOKEN_FILE[0]}): not set"
                )
        config_role = lookup.config_value(names.CONFIG_ASSUME_ROLE)
    role_raw, role_where = (
        (assume_role, "the assume_role argument")
        if assume_role is not None
        else (config_role, f"Pulumi config {names.CONFIG_ASSUME_ROLE}")
    )
    if base is None:
        hints = []
        if role_raw is not None:
            hints.append(
                f"{role_where} is set, but a role is assumed with base credentials and none were found"
            )
        role_env = lookup.env(names.ENV_ASSUME_ROLE_ARN)
        if role_env is not None:
            hints.append(
                f"{role_env.where} is set, but it is read only inside {names.CONFIG_ASSUME_ROLE} or, with "
                f"{names.ENV_OIDC_PROVIDER_ARN[0]} and {names.ENV_OIDC_TOKEN_FILE[0]}, for OIDC"
            )
        text = "no Alibaba Cloud credentials found"
        if hints:
            text += " (" + "; ".join(hints) + ")"
        raise CredentialsError(text, tried=res.tried)
    if role_raw is not None:
        try:
            role = parse_assume_role(
                role_raw, role_where, lookup, default_expiration=replaceable.duration if replaceable else None
            )
        except CredentialsError as error:
            raise CredentialsError(error.message, tried=res.tried, source=role_where, mode=mode) from None
        if replaceable is not None:
            res.shadowed.append(
                f"the role {replaceable.role_arn} of {replaceable.source}: replaced by {role_where}"
            )
        roles = (*roles, role)
        mode = f"{mode} + assumeRole"
        reason = f"{reason}; then {role_where} assumes {role.role_arn}"
    elif replaceable is not None:
        roles = (*roles, replaceable)
    res.tried.append(f"{source}: used (mode {mode})")
    return Plan(base, roles, mode=mode, source=source, reason=reason), tuple(res.tried), tuple(res.shadowed)


def resolve_provider(
    explicit: Credentials | CredentialsProvider | None = None,
    *,
    pulumi_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    assume_role: Mapping[str, Any] | None = None,
    profile_path: str | Path | None = None,
    transport: object = None,
    clock: Clock = SYSTEM_CLOCK,
    timeout: float = 10.0,
) -> CredentialsProvider:
    """A provider of the credentials the chain finds, renewing temporary ones before they expire.

    ``explicit`` (a value or a provider) is used as is, with ``assume_role`` on top when given. Else
    :func:`resolve_plan`'s order. Settings errors raise :class:`CredentialsError` now; STS, the
    metadata service and credentials URIs are asked on the first ``get()``. ``transport`` (an
    ``httpx.BaseTransport``) replaces the network for them, ``clock`` drives renewal.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    services = services_for(pulumi_config, env, transport, clock, timeout)
    if explicit is not None:
        provider = as_provider(explicit)
        if assume_role is None:
            return provider
        source = str(getattr(provider, "source", "explicit"))
        tried: tuple[str, ...] = ("explicit credentials: used",)
        plan = Plan(
            ProvidedSpec(provider, source, "explicit credentials"),
            (parse_assume_role(assume_role, "the assume_role argument", Lookup({}, env)),),
            mode="explicit + assumeRole",
            source=source,
            reason="explicit credentials, then the assume_role argument",
        )
        return build_provider(plan, services, tried)
    plan, tried, _ = resolve_plan(
        pulumi_config=pulumi_config,
        environ=env,
        profile=profile,
        assume_role=assume_role,
        profile_path=profile_path,
    )
    return build_provider(plan, services, tried)


def resolve_credentials(
    explicit: Credentials | None = None,
    *,
    pulumi_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    assume_role: Mapping[str, Any] | None = None,
    profile_path: str | Path | None = None,
    transport: object = None,
    clock: Clock = SYSTEM_CLOCK,
) -> Credentials:
    """The credentials valid now (fetched once; use :func:`resolve_provider` to have them renewed)."""
    if explicit is not None and assume_role is None:
        return explicit
    return resolve_provider(
        explicit,
        pulumi_config=pulumi_config,
        environ=environ,
        profile=profile,
        assume_role=assume_role,
        profile_path=profile_path,
        transport=transport,
        clock=clock,
    ).get()


def describe_credentials(
    *,
    pulumi_config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    assume_role: Mapping[str, Any] | None = None,
    profile_path: str | Path | None = None,
    fetch: bool = False,
    transport: object = None,
    clock: Clock = SYSTEM_CLOCK,
) -> CredentialsReport:
    """Which source and mode the chain would use and why, without a secret (``cdn-refresh whoami``).

    Without ``fetch`` nothing goes over the network: the access key id is known for long-term keys
    only. With ``fetch=True`` the credentials are fetched (STS, metadata, URI) and the report shows
    the masked key id requests would carry, and its expiration. Raises :class:`CredentialsError` as
    :func:`resolve_provider` would.
    """
    env: Mapping[str, str] = os.environ if environ is None else environ
    plan, tried, shadowed = resolve_plan(
        pulumi_config=pulumi_config,
        environ=env,
        profile=profile,
        assume_role=assume_role,
        profile_path=profile_path,
    )
    base = plan.base
    base_key = mask_access_key_id(base.credentials.access_key_id) if isinstance(base, StaticSpec) else None
    needs_sts = bool(plan.roles) or isinstance(base, OidcSpec)
    report: dict[str, Any] = {
        "mode": plan.mode,
        "source": plan.source,
        "reason": plan.reason,
        "steps": (base.describe(), *(role.describe() for role in plan.roles)),
        "tried": tried,
        "shadowed": shadowed,
        "access_key_id": base_key if not plan.roles else None,
        "base_access_key_id": base_key,
        "role_arn": plan.roles[-1].role_arn
        if plan.roles
        else (base.role_arn if isinstance(base, OidcSpec) else None),
        "sts_endpoint": public_url(sts_endpoint(pulumi_config, env)) if needs_sts else None,
        "metadata_endpoint": public_url(metadata_endpoint(env)) if isinstance(base, EcsRoleSpec) else None,
    }
    if fetch:
        provider = build_provider(plan, services_for(pulumi_config, env, transport, clock, 10.0), tried)
        current = provider.get()
        report["access_key_id"] = mask_access_key_id(current.access_key_id)
        report["expiration"] = current.expiration
        report["fetched"] = True
    return CredentialsReport(**report)
