"""The shared config file of the ``aliyun`` CLI (``~/.aliyun/config.json``) and its profile modes.

Modes: ``AK``, ``StsToken``, ``RamRoleArn`` (the profile's keys assume ``ram_role_arn``),
``EcsRamRole`` (``ram_role_name`` from the metadata service), ``OIDC`` (``oidc_provider_arn``,
``ram_role_arn``, ``oidc_token_file``), ``ChainableRamRoleArn`` (``source_profile``'s credentials
assume ``ram_role_arn``) and ``CredentialsURI`` (``credentials_uri``); field names as the ``aliyun``
CLI writes them and ``alibabacloud-credentials`` reads them. Any other mode (``CloudSSO``, ``OAuth``,
``External`` ...) is an error naming it: never a silent step to other credentials.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alicloud_cdn_refresh import settings as names
from alicloud_cdn_refresh.errors import CredentialsError

from .sources import Found, Lookup, parse_session_expiration
from .specs import BaseSpec, EcsRoleSpec, OidcSpec, RoleSpec, StaticSpec, UriSpec
from .value import Credentials

__all__ = [
    "SUPPORTED_MODES",
    "ProfileChoice",
    "choose_profile",
    "find_profile",
    "load_profiles",
    "plan_profile",
]

SUPPORTED_MODES = (
    "AK",
    "StsToken",
    "RamRoleArn",
    "EcsRamRole",
    "OIDC",
    "ChainableRamRoleArn",
    "CredentialsURI",
)


@dataclass(frozen=True)
class ProfileChoice:
    """A profile's credentials: a base, the roles assumed on top, and the one role that
    ``alicloud:assumeRole`` replaces (a RamRoleArn profile's own role, as in the Terraform provider)."""

    base: BaseSpec
    roles: tuple[RoleSpec, ...]
    replaceable: RoleSpec | None
    mode: str
    label: str


def load_profiles(path: Path, where: str) -> dict[str, Any] | None:
    """The file's JSON document; ``None`` when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CredentialsError(
            f"the profile file {path} ({where}) cannot be read: {exc.strerror or type(exc).__name__}"
        ) from None
    try:
        document = json.loads(text)
    except ValueError:
        raise CredentialsError(f"the profile file {path} ({where}) is not valid JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("profiles"), list):
        raise CredentialsError(f"the profile file {path} ({where}) has no 'profiles' list")
    return document


def profile_names(document: Mapping[str, Any]) -> list[str]:
    return [str(p.get("name")) for p in document["profiles"] if isinstance(p, dict)]


def find_profile(document: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in document["profiles"] if isinstance(p, dict) and p.get("name") == name), None)


def _field(profile: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = profile.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _require(profile: Mapping[str, Any], label: str, mode: str, *fields: str) -> None:
    missing = [field for field in fields if not _field(profile, field)]
    if missing:
        raise CredentialsError(f"{label} (mode {mode}) lacks {', '.join(missing)}", mode=mode, source=label)


def _role(profile: Mapping[str, Any], label: str, mode: str) -> RoleSpec:
    _require(profile, label, mode, "ram_role_arn")
    expired = profile.get("expired_seconds")
    duration = (
        parse_session_expiration(expired, f"{label} expired_seconds")
        if expired not in (None, "", 0, "0")
        else names.DEFAULT_SESSION_EXPIRATION
    )
    return RoleSpec(
        role_arn=_field(profile, "ram_role_arn"),
        session_name=_field(profile, "ram_session_name") or names.DEFAULT_ROLE_SESSION_NAME,
        source=label,
        policy=_field(profile, "policy") or None,
        duration=duration,
        external_id=_field(profile, "external_id") or None,
    )


def plan_profile(
    document: Mapping[str, Any], name: str, path: Path, reason: str, _seen: tuple[str, ...] = ()
) -> ProfileChoice:
    """What profile ``name`` of the file means; a clear error when it is missing or unusable."""
    label = f"profile {name!r} of {path}"
    if name in _seen:
        chain = " -> ".join([*_seen, name])
        raise CredentialsError(
            f"{label}: source_profile loops ({chain})", mode="ChainableRamRoleArn", source=label
        )
    profile = find_profile(document, name)
    if profile is None:
        known = ", ".join(profile_names(document)) or "none"
        raise CredentialsError(f"{label} does not exist ({reason}); profiles there: {known}", source=label)
    mode = _field(profile, "mode") or "AK"
    if mode in ("AK", "StsToken", "RamRoleArn"):
        fields = ["access_key_id", "access_key_secret"] + (["sts_token"] if mode == "StsToken" else [])
        _require(profile, label, mode, *fields)
        keys = Credentials(
            _field(profile, "access_key_id"),
            _field(profile, "access_key_secret"),
            _field(profile, "sts_token") or None if mode == "StsToken" else None,
            source=label,
        )
        base = StaticSpec(keys, source=label, reason=reason)
        if mode == "RamRoleArn":
            return ProfileChoice(base, (), _role(profile, label, mode), mode, label)
        return ProfileChoice(base, (), None, mode, label)
    if mode == "EcsRamRole":
        return ProfileChoice(
            EcsRoleSpec(_field(profile, "ram_role_name"), label, reason), (), None, mode, label
        )
    if mode == "CredentialsURI":
        _require(profile, label, mode, "credentials_uri")
        return ProfileChoice(
            UriSpec(_field(profile, "credentials_uri"), label, reason), (), None, mode, label
        )
    if mode == "OIDC":
        _require(profile, label, mode, "oidc_provider_arn", "ram_role_arn", "oidc_token_file")
        expired = profile.get("expired_seconds")
        oidc = OidcSpec(
            provider_arn=_field(profile, "oidc_provider_arn"),
            role_arn=_field(profile, "ram_role_arn"),
            session_name=_field(profile, "role_session_name", "ram_session_name")
            or names.DEFAULT_ROLE_SESSION_NAME,
            source=label,
            reason=reason,
            token_file=_field(profile, "oidc_token_file"),
            policy=_field(profile, "policy") or None,
            duration=parse_session_expiration(expired, f"{label} expired_seconds")
            if expired not in (None, "", 0, "0")
            else None,
        )
        return ProfileChoice(oidc, (), None, mode, label)
    if mode == "ChainableRamRoleArn":
        _require(profile, label, mode, "source_profile", "ram_role_arn")
        below = plan_profile(
            document, _field(profile, "source_profile"), path, f"source_profile of {label}", (*_seen, name)
        )
        roles = (
            *below.roles,
            *((below.replaceable,) if below.replaceable else ()),
            _role(profile, label, mode),
        )
        return ProfileChoice(below.base, roles, None, mode, label)
    raise CredentialsError(
        f"{label} has mode {mode!r}, which this package does not support; supported modes: "
        f"{', '.join(SUPPORTED_MODES)} (choose another profile, or set keys / alicloud:assumeRole)",
        mode=mode,
        source=label,
    )


def _profile_path(lookup: Lookup, override: str | Path | None) -> tuple[Path, str, bool]:
    """The profile file, where its path came from, and whether that was a setting."""
    if override is not None:
        return Path(override).expanduser(), "the profile_path argument", False
    found = lookup.first(names.CONFIG_SHARED_FILE, names.ENV_SHARED_FILE)
    if found is not None:
        return Path(found.value).expanduser(), found.where, True
    return Path(names.DEFAULT_PROFILE_PATH).expanduser(), "the default path", False


def choose_profile(
    lookup: Lookup, tried: list[str], path_override: str | Path | None, named: Found | None
) -> ProfileChoice | None:
    """The second source: the ``named`` profile (an error when it cannot be used), else the file's
    ``current`` or ``default`` one if it has keys; ``None`` when there is none (noted in ``tried``)."""
    path, path_where, path_named = _profile_path(lookup, path_override)
    document = load_profiles(path, path_where)
    if document is None:
        if named is not None or path_named:
            what = f"profile {named.value!r} ({named.where})" if named else "a profile"
            raise CredentialsError(
                f"{what} was asked for, but the profile file {path} ({path_where}) does not exist",
                tried=tried,
                source=f"profile file {path}",
            )
        tried.append(f"profile file {path} ({path_where}): not found")
        return None
    if named is not None:
        try:
            return plan_profile(document, named.value, path, f"named by {named.where}")
        except CredentialsError as error:
            raise CredentialsError(error.message, tried=tried, source=error.source, mode=error.mode) from None
    current = document.get("current")
    name = current.strip() if isinstance(current, str) and current.strip() else "default"
    chosen_by = "the file's 'current'" if name != "default" or current else "the default profile name"
    profile = find_profile(document, name)
    if profile is None:
        tried.append(f"profile file {path} ({path_where}): no profile {name!r} ({chosen_by})")
        return None
    mode = str(profile.get("mode") or "AK")
    if (
        mode == "AK"
        and not str(profile.get("access_key_id") or "").strip()
        and not str(profile.get("access_key_secret") or "").strip()
    ):
        tried.append(f"profile {name!r} of {path} ({chosen_by}): mode AK without keys")
        return None
    try:
        return plan_profile(document, name, path, f"chosen by {chosen_by}")
    except CredentialsError as error:
        raise CredentialsError(error.message, tried=tried, source=error.source, mode=error.mode) from None
