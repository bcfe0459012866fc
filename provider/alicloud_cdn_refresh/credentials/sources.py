"""Reading the settings: Pulumi config keys with their environment fallbacks, the access keys, and the
structured ``alicloud:assumeRole`` / ``alicloud:assumeRoleWithOidc`` objects.

Every value remembers where it came from (``Pulumi config alicloud:accessKey``, ``environment
ALICLOUD_SECRET_KEY``) so that messages can name it; names are in :mod:`alicloud_cdn_refresh.settings`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from alicloud_cdn_refresh import settings as names
from alicloud_cdn_refresh.errors import CredentialsError

from .specs import OidcSpec, RoleSpec, StaticSpec
from .value import Credentials

__all__ = ["Found", "Lookup", "parse_assume_role", "parse_oidc", "parse_session_expiration", "read_keys"]

_KEYS = f"{names.CONFIG_ACCESS_KEY} / {names.CONFIG_SECRET_KEY} / {names.CONFIG_SECURITY_TOKEN}"


@dataclass(frozen=True)
class Found:
    """A setting's value and where it was found."""

    where: str
    value: str


class Lookup:
    """Look settings up in a Pulumi config mapping (namespaced keys) and an environment."""

    def __init__(self, config: Mapping[str, object], environ: Mapping[str, str]) -> None:
        self.config = config
        self.environ = environ

    def config_value(self, key: str) -> object:
        """The raw config value (text, or already decoded structured config), ``None`` if unset."""
        value = self.config.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    def config_text(self, key: str) -> Found | None:
        value = self.config_value(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise CredentialsError(f"Pulumi config {key} must be a string, not {type(value).__name__}")
        return Found(f"Pulumi config {key}", value.strip())

    def env(self, env_names: Sequence[str]) -> Found | None:
        for name in env_names:
            value = self.environ.get(name)
            if value and value.strip():
                return Found(f"environment {name}", value.strip())
        return None

    def first(self, config_key: str | None, env_names: Sequence[str]) -> Found | None:
        """The config key, else the first non-empty environment variable (pulumi-alicloud's order)."""
        if config_key is not None:
            found = self.config_text(config_key)
            if found is not None:
                return found
        return self.env(env_names)

    def flag(self, name: str) -> bool:
        return self.environ.get(name, "").strip().lower() == "true"


def read_keys(lookup: Lookup, tried: list[str]) -> StaticSpec | None:
    """The first source: ``alicloud:accessKey`` / ``secretKey`` / ``securityToken``, each else its
    environment variables; ``None`` when neither key is set (what was looked at goes in ``tried``),
    an error when half a pair is."""
    key = lookup.first(names.CONFIG_ACCESS_KEY, names.ENV_ACCESS_KEY)
    secret = lookup.first(names.CONFIG_SECRET_KEY, names.ENV_SECRET_KEY)
    token = lookup.first(names.CONFIG_SECURITY_TOKEN, names.ENV_SECURITY_TOKEN)
    env_list = ", ".join((*names.ENV_ACCESS_KEY, *names.ENV_SECRET_KEY))
    if key is None and secret is None:
        tried.append(f"Pulumi config {_KEYS}: not set")
        tried.append(f"environment {env_list}: not set")
        if token is not None:
            raise CredentialsError(
                f"a security token is set in {token.where} but no access key id and secret: set "
                f"{names.CONFIG_ACCESS_KEY} / {names.CONFIG_SECRET_KEY} or "
                f"{names.ENV_ACCESS_KEY[0]} / {names.ENV_SECRET_KEY[0]} beside it, or unset it",
                tried=tried,
            )
        return None
    if key is None:
        assert secret is not None
        raise CredentialsError(
            f"a secret key is set in {secret.where} but no access key id: set "
            f"{names.CONFIG_ACCESS_KEY} or one of {', '.join(names.ENV_ACCESS_KEY)}",
            tried=tried,
        )
    if secret is None:
        raise CredentialsError(
            f"an access key id is set in {key.where} but no secret key: set "
            f"{names.CONFIG_SECRET_KEY} or one of {', '.join(names.ENV_SECRET_KEY)}",
            tried=tried,
        )
    where = key.where if key.where == secret.where else f"{key.where} + {secret.where}"
    if token is not None:
        where += f" + {token.where}"
    credentials = Credentials(key.value, secret.value, token.value if token else None, source=where)
    return StaticSpec(
        credentials, source=where, reason="access keys are the first source in pulumi-alicloud's order"
    )


def _structured(raw: object, where: str, example: str) -> Mapping[str, object]:
    value = raw
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise CredentialsError(f"{where} must be a JSON object such as {example}") from None
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # the Terraform provider's block is a one-element list/set
    if not isinstance(value, Mapping):
        raise CredentialsError(f"{where} must be an object such as {example}")
    return value


def _snake(name: str) -> str:
    out = []
    for char in name:
        if char.isupper():
            out.append("_" + char.lower())
        else:
            out.append(char)
    return "".join(out)


def _fields(value: Mapping[str, object], allowed: Sequence[str], where: str) -> dict[str, object]:
    """The object's fields by snake_case name; unknown names are an error (a typo must not drop a role)."""
    fields: dict[str, object] = {}
    unknown = []
    for key, item in value.items():
        name = _snake(str(key)).replace("o_i_d_c", "oidc")
        if name not in allowed:
            unknown.append(str(key))
            continue
        if item is not None and not (isinstance(item, str) and not item.strip()):
            fields[name] = item.strip() if isinstance(item, str) else item
    if unknown:
        camel = ", ".join(_camel(name) for name in allowed)
        raise CredentialsError(f"{where} has unknown field(s) {', '.join(sorted(unknown))}; known: {camel}")
    return fields


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def parse_session_expiration(value: object, where: str) -> int:
    """Seconds in STS's 900..43200 (whole numbers; Pulumi hands numbers over as floats)."""
    low, high = names.SESSION_EXPIRATION_RANGE
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CredentialsError(
            f"{where} must be a number of seconds ({low}..{high}), not {value!r}"
        ) from None
    if number != int(number) or not low <= number <= high:
        raise CredentialsError(f"{where} must be whole seconds in {low}..{high}, not {value!r}")
    return int(number)


def _text(fields: Mapping[str, object], name: str, where: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CredentialsError(f"{where} field {_camel(name)} must be a string")
    return value


_ROLE_FIELDS = ("role_arn", "session_name", "policy", "session_expiration", "external_id")
_OIDC_FIELDS = (
    "oidc_provider_arn",
    "role_arn",
    "oidc_token",
    "oidc_token_file",
    "role_session_name",
    "policy",
    "session_expiration",
)


def parse_assume_role(
    raw: object, where: str, lookup: Lookup, *, default_expiration: int | None = None
) -> RoleSpec:
    """``alicloud:assumeRole`` (or a per-resource ``assume_role``), as the Terraform provider reads its
    ``assume_role`` block: ``roleArn`` else ``ALICLOUD_ASSUME_ROLE_ARN`` / ``ALIBABA_CLOUD_ROLE_ARN``;
    ``sessionName`` else ``ALICLOUD_ASSUME_ROLE_SESSION_NAME`` / ``ALIBABA_CLOUD_ROLE_SESSION_NAME``
    else ``terraform``; ``sessionExpiration`` else ``ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION`` else
    ``default_expiration`` (a RamRoleArn profile's ``expired_seconds``) else 3600."""
    fields = _fields(
        _structured(raw, where, '{"roleArn": "acs:ram::123456789012:role/deployer"}'), _ROLE_FIELDS, where
    )
    role = _text(fields, "role_arn", where)
    role_where = where
    if role is None:
        found = lookup.env(names.ENV_ASSUME_ROLE_ARN)
        if found is None:
            raise CredentialsError(
                f"{where} has no roleArn (nor is {' / '.join(names.ENV_ASSUME_ROLE_ARN)} set)"
            )
        role, role_where = found.value, f"{where} with the role from {found.where}"
    session = _text(fields, "session_name", where)
    if session is None:
        found = lookup.env(names.ENV_ASSUME_ROLE_SESSION_NAME)
        session = found.value if found else names.DEFAULT_ROLE_SESSION_NAME
    if "session_expiration" in fields and fields["session_expiration"] not in (0, "0"):
        duration = parse_session_expiration(fields["session_expiration"], f"{where} sessionExpiration")
    else:
        found = lookup.env(names.ENV_ASSUME_ROLE_SESSION_EXPIRATION)
        if found is not None:
            duration = parse_session_expiration(found.value, found.where)
        else:
            duration = default_expiration or names.DEFAULT_SESSION_EXPIRATION
    return RoleSpec(
        role_arn=role,
        session_name=session,
        source=role_where,
        policy=_text(fields, "policy", where),
        duration=duration,
        external_id=_text(fields, "external_id", where),
    )


def parse_oidc(raw: object, where: str, lookup: Lookup, reason: str) -> OidcSpec:
    """``alicloud:assumeRoleWithOidc``, each field falling back to its environment variable as the
    Terraform provider's ``assume_role_with_oidc`` block does; ``raw=None`` reads the environment only."""
    fields = (
        _fields(
            _structured(raw, where, '{"oidcProviderArn": "...", "roleArn": "...", "oidcTokenFile": "..."}'),
            _OIDC_FIELDS,
            where,
        )
        if raw is not None
        else {}
    )
    used = [where] if raw is not None else []

    def pick(name: str, env_names: Sequence[str]) -> str | None:
        value = _text(fields, name, where)
        if value is not None:
            return value
        found = lookup.env(env_names)
        if found is None:
            return None
        used.append(found.where)
        return found.value

    provider_arn = pick("oidc_provider_arn", names.ENV_OIDC_PROVIDER_ARN)
    role_arn = pick("role_arn", names.ENV_OIDC_ROLE_ARN)
    token = pick("oidc_token", names.ENV_OIDC_TOKEN)
    token_file = pick("oidc_token_file", names.ENV_OIDC_TOKEN_FILE)
    session = pick("role_session_name", names.ENV_OIDC_SESSION_NAME) or names.DEFAULT_ROLE_SESSION_NAME
    source = " + ".join(dict.fromkeys(used))
    missing = []
    if not provider_arn:
        missing.append(f"the OIDC provider ARN (oidcProviderArn / {names.ENV_OIDC_PROVIDER_ARN[0]})")
    if not role_arn:
        missing.append(f"the role ARN (roleArn / {names.ENV_OIDC_ROLE_ARN[0]})")
    if not token and not token_file:
        missing.append(f"the OIDC token (oidcToken or oidcTokenFile / {names.ENV_OIDC_TOKEN_FILE[0]})")
    if missing:
        raise CredentialsError(
            f"OIDC is half set ({source}): missing {'; '.join(missing)}", mode="OIDC", source=source
        )
    assert provider_arn is not None
    assert role_arn is not None
    duration = None
    if fields.get("session_expiration") not in (None, 0, "0"):
        duration = parse_session_expiration(fields["session_expiration"], f"{where} sessionExpiration")
    return OidcSpec(
        provider_arn=provider_arn,
        role_arn=role_arn,
        session_name=session,
        source=source,
        reason=reason,
        token_file=None if token else token_file,
        token=token,
        policy=_text(fields, "policy", where),
        duration=duration,
    )
