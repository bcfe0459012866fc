"""Names of the settings this package reads: pulumi-alicloud's config keys and the environment variables.

One place for the spelling of every key, shared by the credentials chain, the endpoint resolution,
the Pulumi config store and the CLI's help.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CONFIG_ACCESS_KEY",
    "CONFIG_ENDPOINTS",
    "CONFIG_KEYS",
    "CONFIG_NAMESPACE",
    "CONFIG_PROFILE",
    "CONFIG_SECRET_KEY",
    "CONFIG_SECURITY_TOKEN",
    "CONFIG_SHARED_FILE",
    "DEFAULT_PROFILE_PATH",
    "ENVIRONMENT_VARIABLES",
    "ENV_ACCESS_KEY",
    "ENV_CDN_ENDPOINT",
    "ENV_PROFILE",
    "ENV_SECRET_KEY",
    "ENV_SECURITY_TOKEN",
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
)
"""The pulumi-alicloud config keys this package reads (under :data:`CONFIG_NAMESPACE`)."""
CONFIG_ACCESS_KEY: Final = "alicloud:accessKey"
CONFIG_SECRET_KEY: Final = "alicloud:secretKey"  # noqa: S105 (a config key name)
CONFIG_SECURITY_TOKEN: Final = "alicloud:securityToken"  # noqa: S105
CONFIG_PROFILE: Final = "alicloud:profile"
CONFIG_SHARED_FILE: Final = "alicloud:sharedCredentialsFile"
CONFIG_ENDPOINTS: Final = "alicloud:endpoints"

ENV_ACCESS_KEY: Final = ("ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID")
ENV_SECRET_KEY: Final = (
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
)
ENV_SECURITY_TOKEN: Final = ("ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN")
ENV_PROFILE: Final = ("ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE")
ENV_CDN_ENDPOINT: Final = "ALIBABA_CLOUD_CDN_ENDPOINT"
ENVIRONMENT_VARIABLES: Final = (
    *ENV_ACCESS_KEY,
    *ENV_SECRET_KEY,
    *ENV_SECURITY_TOKEN,
    *ENV_PROFILE,
    ENV_CDN_ENDPOINT,
)
"""Every environment variable this package reads for credentials and the endpoint (tests clear them)."""
DEFAULT_PROFILE_PATH: Final = "~/.aliyun/config.json"
