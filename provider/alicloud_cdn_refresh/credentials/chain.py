"""Finding credentials: arguments, Pulumi config, the environment, the CLI profile file, the optional chain.

:func:`resolve_credentials` applies the order of the Alibaba Cloud Terraform provider and
pulumi-alicloud; the names it reads are in :mod:`alicloud_cdn_refresh.settings`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from alicloud_cdn_refresh.errors import CredentialsError
from alicloud_cdn_refresh.settings import (
    CONFIG_ACCESS_KEY,
    CONFIG_PROFILE,
    CONFIG_SECRET_KEY,
    CONFIG_SECURITY_TOKEN,
    CONFIG_SHARED_FILE,
    DEFAULT_PROFILE_PATH,
    ENV_ACCESS_KEY,
    ENV_PROFILE,
    ENV_SECRET_KEY,
    ENV_SECURITY_TOKEN,
)

from .value import Credentials

__all__ = ["resolve_credentials"]

_PROFILE_MODES: Final = ("AK", "StsToken")


def _first(
    config: Mapping[str, str], config_key: str | None, environ: Mapping[str, str], env_keys: Sequence[str]
) -> tuple[str, str] | None:
    """``(where, value)`` of the first non-empty setting among the config key and the env vars."""
    if config_key is not None:
        value = config.get(config_key)
        if isinstance(value, str) and value.strip():
            return f"Pulumi config {config_key}", value.strip()
    for name in env_keys:
        value = environ.get(name)
        if value and value.strip():
            return f"environment {name}", value.strip()
    return None


def _from_config_and_env(
    config: Mapping[str, str], environ: Mapping[str, str], tried: list[str]
) -> Credentials | None:
    """Pulumi config keys, each falling back to its environment variables (as pulumi-alicloud does)."""
    key = _first(config, CONFIG_ACCESS_KEY, environ, ENV_ACCESS_KEY)
    secret = _first(config, CONFIG_SECRET_KEY, environ, ENV_SECRET_KEY)
    tried.append(
        f"Pulumi config {CONFIG_ACCESS_KEY}/{CONFIG_SECRET_KEY}/{CONFIG_SECURITY_TOKEN} (not set)"
        if config
        else "Pulumi config alicloud:accessKey/secretKey (no config given)"
    )
    tried.append("environment " + ", ".join((*ENV_ACCESS_KEY, *ENV_SECRET_KEY)) + " (not set)")
    if key is None and secret is None:
        return None
    if key is None:
        assert secret is not None
        raise CredentialsError(
            f"a secret key is set in {secret[0]} but no access key id: set "
            f"{CONFIG_ACCESS_KEY} or one of {', '.join(ENV_ACCESS_KEY)}"
        )
    if secret is None:
        raise CredentialsError(
            f"an access key id is set in {key[0]} but no secret key: set "
            f"{CONFIG_SECRET_KEY} or one of {', '.join(ENV_SECRET_KEY)}"
        )
    token = _first(config, CONFIG_SECURITY_TOKEN, environ, ENV_SECURITY_TOKEN)
    source = f"{key[0]} + {secret[0]}"
    return Credentials(key[1], secret[1], token[1] if token else None, source=source)


def _profile_selection(config: Mapping[str, str], environ: Mapping[str, str]) -> tuple[str, str] | None:
    return _first(config, CONFIG_PROFILE, environ, ENV_PROFILE)


def _from_profile_file(path: Path, selected: tuple[str, str] | None, tried: list[str]) -> Credentials | None:
    """The CLI profile file (``aliyun configure``): AK and StsToken modes."""
    where = f"profile file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        tried.append(f"{where} (not found)")
        return None
    except OSError as exc:
        tried.append(f"{where} (unreadable: {exc.strerror or type(exc).__name__})")
        return None
    try:
        document = json.loads(text)
    except ValueError:
        raise CredentialsError(f"{where} is not valid JSON") from None
    profiles = document.get("profiles") if isinstance(document, dict) else None
    if not isinstance(profiles, list):
        raise CredentialsError(f"{where} has no 'profiles' list")
    if selected is not None:
        name, chosen_by = selected[1], selected[0]
    else:
        current = document.get("current")
        name = current if isinstance(current, str) and current else "default"
        chosen_by = "'current'" if current else "the default name"
    profile = next((p for p in profiles if isinstance(p, dict) and p.get("name") == name), None)
    if profile is None:
        if selected is not None:
            known = ", ".join(str(p.get("name")) for p in profiles if isinstance(p, dict)) or "none"
            raise CredentialsError(
                f"profile {name!r} (chosen by {chosen_by}) is not in {where}; profiles there: {known}"
            )
        tried.append(f"{where} (no profile {name!r})")
        return None
    mode = str(profile.get("mode") or "AK")
    label = f"{where} profile {name!r}"
    if mode not in _PROFILE_MODES:
        tried.append(f"{label} (mode {mode} is read only by the alibabacloud-credentials chain)")
        return None
    key_id = str(profile.get("access_key_id") or "").strip()
    secret = str(profile.get("access_key_secret") or "").strip()
    token = str(profile.get("sts_token") or "").strip()
    missing = [
        field for field, value in (("access_key_id", key_id), ("access_key_secret", secret)) if not value
    ]
    if mode == "StsToken" and not token:
        missing.append("sts_token")
    if missing:
        if not key_id and not secret and mode == "AK":
            tried.append(f"{label} (mode AK, no keys)")
            return None
        raise CredentialsError(f"{label} (mode {mode}) lacks {', '.join(missing)}")
    return Credentials(key_id, secret, token or None, source=f"{label} (mode {mode})")


_CHAIN_HINT_ENV: Final = (
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
)
_DMI_FILES: Final = ("/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name")


def _on_alibaba_cloud_instance() -> bool:
    """Whether this machine says it is an Alibaba Cloud ECS instance (Linux DMI data)."""
    for name in _DMI_FILES:
        try:
            if "alibaba" in Path(name).read_text(encoding="utf-8", errors="replace").lower():
                return True
        except OSError:
            continue
    return False


def _chain_applicable(environ: Mapping[str, str], tried: list[str]) -> str | None:
    """Why the chain may find something, or ``None``: it is only asked when there is a reason.

    Asked blindly, the chain probes the ECS metadata service over the network and logs to stderr on
    every machine without credentials; so it runs when role/OIDC/URL settings exist, its own
    credentials file exists, a profile of another mode was seen, or this is an ECS instance.
    """
    hints = [name for name in _CHAIN_HINT_ENV if environ.get(name)]
    if hints:
        return "environment " + ", ".join(hints)
    if Path("~/.alibabacloud/credentials").expanduser().is_file():
        return "~/.alibabacloud/credentials"
    if any("read only by the alibabacloud-credentials chain" in place for place in tried):
        return "a profile of a role mode"
    if environ.get("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "").lower() != "true" and (
        _on_alibaba_cloud_instance()
    ):
        return "an Alibaba Cloud ECS instance"
    return None


def _from_default_chain(environ: Mapping[str, str], tried: list[str]) -> Credentials | None:
    """The optional ``alibabacloud-credentials`` chain (RAM role, OIDC, ECS metadata), if installed."""
    reason = _chain_applicable(environ, tried)
    if reason is None:
        tried.append(
            "alibabacloud-credentials chain (skipped: no role, OIDC or URL settings, "
            "no ~/.alibabacloud/credentials, not an ECS instance)"
        )
        return None
    try:
        from alibabacloud_credentials.client import Client as ChainClient
    except ImportError:
        tried.append(
            f"alibabacloud-credentials chain for {reason} (not installed: "
            "pip install 'pulumi-alicloud-cdn-refresh[credentials]')"
        )
        return None
    chain_logger = logging.getLogger("credentials")  # the package's own logger prints to stderr
    was_disabled = chain_logger.disabled
    chain_logger.disabled = True
    try:
        found = ChainClient().get_credential()
    except Exception as exc:  # the chain raises its own types, or anything from its HTTP stack
        tried.append(f"alibabacloud-credentials chain for {reason} ({type(exc).__name__})")
        return None
    finally:
        chain_logger.disabled = was_disabled
    key_id = getattr(found, "access_key_id", None)
    secret = getattr(found, "access_key_secret", None)
    if not key_id or not secret:
        tried.append(f"alibabacloud-credentials chain for {reason} (no access key)")
        return None
    provider = getattr(found, "provider_name", None) or "default"
    return Credentials(
        str(key_id),
        str(secret),
        getattr(found, "security_token", None) or None,
        source=f"alibabacloud-credentials chain ({provider})",
    )


def resolve_credentials(
    explicit: Credentials | None = None,
    *,
    pulumi_config: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    profile_path: str | Path | None = None,
    use_chain: bool = True,
) -> Credentials:
    """Find credentials in the order of pulumi-alicloud and the Terraform provider.

    1. ``explicit``;
    2. Pulumi config ``alicloud:accessKey`` / ``secretKey`` / ``securityToken`` (a plain mapping of
       namespaced keys; this module never imports Pulumi), each key falling back to the environment
       variables pulumi-alicloud reads (:mod:`alicloud_cdn_refresh.settings`), in that order;
    3. the CLI profile file (``profile_path``, else config ``alicloud:sharedCredentialsFile``, else
       ``~/.aliyun/config.json``): the ``current`` profile, or the one named by config
       ``alicloud:profile`` / ``ALICLOUD_PROFILE`` / ``ALIBABA_CLOUD_PROFILE``; modes AK and StsToken;
    4. when ``use_chain`` and the optional ``alibabacloud-credentials`` is installed, its default
       chain, if there is a reason to ask it (role/OIDC/URL variables, ``~/.alibabacloud/credentials``,
       a profile of a role mode, or an ECS instance): asked blindly it probes the metadata service.

    ``environ`` defaults to ``os.environ``. Raises :class:`CredentialsError` naming every place tried,
    or what is missing where when only half of a key pair is set.
    """
    if explicit is not None:
        return explicit
    config: Mapping[str, str] = pulumi_config or {}
    env: Mapping[str, str] = os.environ if environ is None else environ
    tried: list[str] = ["explicit credentials (none given)"]
    found = _from_config_and_env(config, env, tried)
    if found is not None:
        return found
    if profile_path is None:
        shared = config.get(CONFIG_SHARED_FILE)
        profile_path = shared if isinstance(shared, str) and shared.strip() else DEFAULT_PROFILE_PATH
    path = Path(profile_path).expanduser()
    found = _from_profile_file(path, _profile_selection(config, env), tried)
    if found is not None:
        return found
    if use_chain:
        found = _from_default_chain(env, tried)
        if found is not None:
            return found
    else:
        tried.append("alibabacloud-credentials chain (disabled)")
    raise CredentialsError(
        "no Alibaba Cloud credentials found; tried:\n" + "\n".join(f"  - {t}" for t in tried)
    )
