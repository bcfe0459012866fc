"""Explicit provider instances carry their own settings, so one program can gate two accounts.

The engine starts one plugin process per provider instance (the default provider, and each
``new Provider(...)``) and configures each with its own arguments. Here two processes, as for two
providers of one program: A configured with account A's keys, B with nothing but the endpoint (so it
falls back to the environment, as every other part does: account B's keys are there) and later
with account C's keys (its own settings beat the environment). One emulator knows the three keys and
records which key signed each call.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from alicloud_cdn_refresh.emulator import Emulator
from alicloud_cdn_refresh.products import Action
from envs import clean_environ
from plugin_rig import FakeEngine, PluginProcess, Secret, provider_args
from pulumi_engine import ProviderRpcError

A = "http://www.example.com"
KEYS = {"key-a": f"secret-a-{uuid.uuid4().hex}", "key-b": f"secret-b-{uuid.uuid4().hex}"}
KEY_C = ("key-c", f"secret-c-{uuid.uuid4().hex}")


@dataclass
class Accounts:
    emulator: Emulator
    url: str
    engine: FakeEngine
    a: PluginProcess
    b: PluginProcess


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Accounts]:
    emulator = Emulator(access_keys={**KEYS, KEY_C[0]: KEY_C[1]}, complete_after=0.5, qps_limits=False)
    home = tmp_path_factory.mktemp("home")
    env_b = clean_environ(
        home, ALIBABA_CLOUD_ACCESS_KEY_ID="key-b", ALIBABA_CLOUD_ACCESS_KEY_SECRET=KEYS["key-b"]
    )
    with emulator.serve() as server:
        engine = FakeEngine()
        a = PluginProcess(engine, clean_environ(home))
        b = PluginProcess(engine, env_b)
        try:
            a.configure(provider_args(server.url, key="key-a", secret=KEYS["key-a"]))
            b.configure({"endpoints": json.dumps([{"cdn": server.url}])})
            yield Accounts(emulator, server.url, engine, a, b)
        finally:
            a.close()
            b.close()
            engine.close()


def _refresh(plugin: PluginProcess) -> str:
    path = f"{A}/accounts/{uuid.uuid4().hex[:8]}.js"
    _, outs = plugin.create(
        "CacheRefresh", plugin.checked("CacheRefresh", objectPaths=[path], timeoutSeconds=30)
    )
    assert outs.values["tasks"][0]["status"] == "Complete"
    return path


def _signed(emulator: Emulator) -> dict[str, int]:
    return dict(emulator.calls_by_access_key(Action.REFRESH_OBJECT_CACHES))


def test_each_resource_is_submitted_with_its_own_providers_key(accounts: Accounts) -> None:
    before = _signed(accounts.emulator)
    _refresh(accounts.a)
    _refresh(accounts.a)
    _refresh(accounts.b)
    after = _signed(accounts.emulator)
    assert after.get("key-a", 0) - before.get("key-a", 0) == 2
    assert after.get("key-b", 0) - before.get("key-b", 0) == 1  # B's settings: the environment's keys
    assert after.get("key-c", 0) == before.get("key-c", 0)


def test_a_providers_own_keys_beat_the_environment(accounts: Accounts) -> None:
    accounts.b.configure(provider_args(accounts.url, key=KEY_C[0], secret=KEY_C[1]))
    try:
        before = _signed(accounts.emulator)
        _refresh(accounts.b)
        after = _signed(accounts.emulator)
        assert after.get("key-c", 0) - before.get("key-c", 0) == 1
        assert after.get("key-b", 0) == before.get("key-b", 0)
    finally:
        accounts.b.configure({"endpoints": json.dumps([{"cdn": accounts.url}])})


def test_no_credentials_anywhere_is_one_error_in_the_plugins_words(accounts: Accounts) -> None:
    accounts.a.configure({"endpoints": json.dumps([{"cdn": accounts.url}])})  # A's environment has none
    try:
        with pytest.raises(ProviderRpcError) as caught:
            accounts.a.invoke({"objectPath": f"{A}/a.txt"})
        details = caught.value.details
        assert details.startswith("getRefreshTasks failed:")
        assert "alicloud-cdn-refresh:accessKey" in details
        assert "alicloud:accessKey" not in details
        assert "Traceback" not in details
    finally:
        accounts.a.configure(provider_args(accounts.url, key="key-a", secret=KEYS["key-a"]))


def test_a_half_configured_key_pair_is_refused_naming_both_keys(accounts: Accounts) -> None:
    accounts.a.configure({"accessKey": Secret("key-a"), "endpoints": json.dumps([{"cdn": accounts.url}])})
    try:
        with pytest.raises(ProviderRpcError) as caught:
            accounts.a.invoke({"objectPath": f"{A}/a.txt"})
        assert "alicloud-cdn-refresh:secretKey" in caught.value.details
    finally:
        accounts.a.configure(provider_args(accounts.url, key="key-a", secret=KEYS["key-a"]))
