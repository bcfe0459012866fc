"""Names of the settings this package reads: pulumi-alicloud's config keys and the environment variables.

One place for the spelling of every key, shared by the credentials chain, the endpoint resolution,
the Pulumi config store and the CLI's help.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CONFIG_ACCESS_KEY",
    "CONFIG_ASSUME_ROLE",
    "CONFIG_ASSUME_ROLE_WITH_OIDC",
    "CONFIG_CREDENTIALS_URI",
    "CONFIG_ECS_ROLE_NAME",
    "CONFIG_ENDPOINTS",
    "CONFIG_KEYS",
    "CONFIG_NAMESPACE",
    "CONFIG_PROFILE",
    "CONFIG_SECRET_KEY",
    "CONFIG_SECURITY_TOKEN",
    "CONFIG_SHARED_FILE",
    "DEFAULT_ECS_METADATA_ENDPOINT",
    "DEFAULT_PROFILE_PATH",
    "DEFAULT_ROLE_SESSION_NAME",
    "DEFAULT_SESSION_EXPIRATION",
    "DEFAULT_STS_ENDPOINT",
    "ENVIRONMENT_VARIABLES",
    "ENV_ACCESS_KEY",
    "ENV_ASSUME_ROLE_ARN",
    "ENV_ASSUME_ROLE_SESSION_EXPIRATION",
    "ENV_ASSUME_ROLE_SESSION_NAME",
    "ENV_CDN_ENDPOINT",
    "ENV_DCDN_ENDPOINT",
    "ENV_CREDENTIALS_URI",
    "ENV_ECS_METADATA_DISABLED",
    "ENV_ECS_METADATA_ENDPOINT",
    "ENV_ECS_ROLE_NAME",
    "ENV_HOST_WORKERS",
    "ENV_IMDSV1_DISABLED",
    "ENV_OIDC_PROVIDER_ARN",
    "ENV_OIDC_ROLE_ARN",
    "ENV_OIDC_SESSION_NAME",
    "ENV_OIDC_TOKEN",
    "ENV_OIDC_TOKEN_FILE",
    "ENV_PRODUCT",
    "ENV_PROFILE",
    "ENV_SECRET_KEY",
    "ENV_SECURITY_TOKEN",
    "ENV_SHARED_FILE",
    "ENV_STS_ENDPOINT",
    "SESSION_EXPIRATION_RANGE",
]

CONFIG_NAMESPACE: Final = "alicloud"
"""pulumi-alicloud's config namespace (``alicloud:accessKey`` ...)."""
CONFIG_KEYS: Final = (
    "accessKey",
    "secretKey",
    "securityToken",
    "region",
    "profile",
    "sharedCredentialsFile",
    "endpoints",
    "ecsRoleName",
    "credentialsUri",
    "assumeRole",
    "assumeRoleWithOidc",
)
"""The pulumi-alicloud config keys this package reads (under :data:`CONFIG_NAMESPACE`)."""
CONFIG_ACCESS_KEY: Final = "alicloud:accessKey"
CONFIG_SECRET_KEY: Final = "alicloud:secretKey"  # noqa: S105 (a config key name)
CONFIG_SECURITY_TOKEN: Final = "alicloud:securityToken"  # noqa: S105
CONFIG_PROFILE: Final = "alicloud:profile"
CONFIG_SHARED_FILE: Final = "alicloud:sharedCredentialsFile"
CONFIG_ENDPOINTS: Final = "alicloud:endpoints"
CONFIG_ECS_ROLE_NAME: Final = "alicloud:ecsRoleName"
CONFIG_CREDENTIALS_URI: Final = "alicloud:credentialsUri"
CONFIG_ASSUME_ROLE: Final = "alicloud:assumeRole"
"""Structured config (a JSON object): ``roleArn``, ``sessionName``, ``policy``, ``sessionExpiration``,
``externalId``."""
CONFIG_ASSUME_ROLE_WITH_OIDC: Final = "alicloud:assumeRoleWithOidc"
"""Structured config (a JSON object): ``oidcProviderArn``, ``roleArn``, ``oidcToken`` or
``oidcTokenFile``, ``roleSessionName``, ``policy``, ``sessionExpiration``."""

# Each tuple is read in order, first non-empty wins (the Terraform provider's MultiEnvDefaultFunc).
ENV_ACCESS_KEY: Final = ("ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID")
ENV_SECRET_KEY: Final = (
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
)
ENV_SECURITY_TOKEN: Final = (
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
)
ENV_PROFILE: Final = ("ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE")
ENV_SHARED_FILE: Final = ("ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE")
ENV_ECS_ROLE_NAME: Final = ("ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA")
ENV_CREDENTIALS_URI: Final = ("ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI")
# Read only inside alicloud:assumeRole (the Terraform provider's defaults of its assume_role block).
ENV_ASSUME_ROLE_ARN: Final = ("ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN")
ENV_ASSUME_ROLE_SESSION_NAME: Final = ("ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME")
ENV_ASSUME_ROLE_SESSION_EXPIRATION: Final = ("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION",)
# The defaults of alicloud:assumeRoleWithOidc; the provider ARN and the token file alone also switch
# OIDC on (Kubernetes RRSA sets exactly these three variables).
ENV_OIDC_PROVIDER_ARN: Final = ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN",)
ENV_OIDC_ROLE_ARN: Final = ("ALIBABA_CLOUD_ROLE_ARN",)
ENV_OIDC_TOKEN_FILE: Final = ("ALIBABA_CLOUD_OIDC_TOKEN_FILE",)
ENV_OIDC_TOKEN: Final = ("ALIBABA_CLOUD_OIDC_TOKEN",)
ENV_OIDC_SESSION_NAME: Final = ("ALIBABA_CLOUD_ROLE_SESSION_NAME",)
ENV_STS_ENDPOINT: Final = "ALIBABA_CLOUD_STS_ENDPOINT"
ENV_ECS_METADATA_ENDPOINT: Final = "ALIBABA_CLOUD_ECS_METADATA_ENDPOINT"
ENV_ECS_METADATA_DISABLED: Final = "ALIBABA_CLOUD_ECS_METADATA_DISABLED"
ENV_IMDSV1_DISABLED: Final = "ALIBABA_CLOUD_IMDSV1_DISABLED"
ENV_CDN_ENDPOINT: Final = "ALIBABA_CLOUD_CDN_ENDPOINT"
ENV_DCDN_ENDPOINT: Final = "ALIBABA_CLOUD_DCDN_ENDPOINT"
"""Each product's endpoint variable is ``ALIBABA_CLOUD_<PRODUCT>_ENDPOINT`` (see ``products.py``)."""
# Read by the CLI only: the product of every command that talks to the API (its --product flag).
ENV_PRODUCT: Final = "CDN_REFRESH_PRODUCT"
# Read by the Pulumi dynamic providers only: the worker threads they give `python -m pulumi.dynamic`.
ENV_HOST_WORKERS: Final = "ALICLOUD_CDN_REFRESH_HOST_WORKERS"
ENVIRONMENT_VARIABLES: Final = tuple(
    dict.fromkeys(
        (
            *ENV_ACCESS_KEY,
            *ENV_SECRET_KEY,
            *ENV_SECURITY_TOKEN,
            *ENV_PROFILE,
            *ENV_SHARED_FILE,
            *ENV_ECS_ROLE_NAME,
            *ENV_CREDENTIALS_URI,
            *ENV_ASSUME_ROLE_ARN,
            *ENV_ASSUME_ROLE_SESSION_NAME,
            *ENV_ASSUME_ROLE_SESSION_EXPIRATION,
            *ENV_OIDC_PROVIDER_ARN,
            *ENV_OIDC_ROLE_ARN,
            *ENV_OIDC_TOKEN_FILE,
            *ENV_OIDC_TOKEN,
            *ENV_OIDC_SESSION_NAME,
            ENV_STS_ENDPOINT,
            ENV_ECS_METADATA_ENDPOINT,
            ENV_ECS_METADATA_DISABLED,
            ENV_IMDSV1_DISABLED,
            ENV_CDN_ENDPOINT,
            ENV_DCDN_ENDPOINT,
            ENV_PRODUCT,
            ENV_HOST_WORKERS,
        )
    )
)
"""Every environment variable this package reads (credentials, endpoints, the CLI's product); tests clear
them."""
DEFAULT_PROFILE_PATH: Final = "~/.aliyun/config.json"
DEFAULT_STS_ENDPOINT: Final = "https://sts.aliyuncs.com"
DEFAULT_ECS_METADATA_ENDPOINT: Final = "http://100.100.100.200"
DEFAULT_ROLE_SESSION_NAME: Final = "terraform"
"""The session name pulumi-alicloud (the Terraform provider) passes when none is configured."""
DEFAULT_SESSION_EXPIRATION: Final = 3600
SESSION_EXPIRATION_RANGE: Final = (900, 43200)
"""STS's DurationSeconds bounds, in seconds (the role's MaxSessionDuration caps it further)."""
