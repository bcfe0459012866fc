"""Shared set-up of the provider protocol tests: an emulator server and a configured provider host."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import settings

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.pulumi import config as _pulumi_config
from alicloud_cdn_refresh.pulumi_resources import CacheRefresh, RefreshWait
from envs import clean_environ
from pulumi_engine import DynamicProviderHost
from pulumi_mocks import unwrap_secret

SECRET = f"planted-secret-{uuid.uuid4().hex}"
COMPLETE_AFTER = 1.0
"""Real seconds from submission to Complete in the emulator (the provider process has a real clock)."""


def urn(kind: str, name: str) -> str:
    return f"urn:pulumi:test::cdn-refresh::pulumi-python:dynamic/alicloud-cdn-refresh:{kind}::{name}"


@dataclass
class Rig:
    emulator: Emulator
    url: str
    host: DynamicProviderHost
    wait_provider: str
    cache_provider: str

    def served(self) -> int:
        return sum(self.emulator.requests_served.values())


class _Capture(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.providers: dict[str, str] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.providers[args.name] = unwrap_secret(args.inputs["__provider"])
        return f"{args.name}-id", {}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


def provider_strings() -> tuple[str, str]:
    """``__provider`` of both resources, taken from resources a program declares (under the mocks),
    while this process holds the secret in its provider config store."""
    _pulumi_config.store_config({"alicloud:accessKey": "testid", "alicloud:secretKey": SECRET})
    capture = _Capture()
    settings.ROOT.set(None)
    pulumi.runtime.set_mocks(capture, project="cdn-refresh", stack="test")
    try:

        @pulumi.runtime.test
        def program() -> None:
            RefreshWait("wait", object_paths=["http://www.example.com/a.txt"])
            CacheRefresh("refresh", object_paths=["http://www.example.com/a.txt"])

        program()
    finally:
        _pulumi_config.clear_config()
    return capture.providers["wait"], capture.providers["refresh"]


def start_rig(home: Path) -> Iterator[Rig]:
    emulator = Emulator(
        access_keys={"testid": SECRET}, complete_after=COMPLETE_AFTER, fail_paths=r"/broken", qps_limits=False
    )
    env = clean_environ(home)
    with emulator.serve() as server:
        host = DynamicProviderHost(env)
        try:
            host.configure(
                {
                    "alicloud:accessKey": "testid",
                    "alicloud:secretKey": SECRET,
                    "alicloud:region": "cn-hangzhou",
                    "alicloud:endpoints": json.dumps([{"cdn": server.url, "dcdn": server.url}]),
                    "cdn-refresh:unrelated": "value",
                }
            )
            wait_provider, cache_provider = provider_strings()
            yield Rig(emulator, server.url, host, wait_provider, cache_provider)
        finally:
            host.close()


def assert_no_secret(*values: Any) -> None:
    for value in values:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        assert SECRET not in text


def decoded_provider(text: str) -> bytes:
    return base64.b64decode(text)
