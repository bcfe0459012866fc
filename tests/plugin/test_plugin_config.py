"""The plugin and its configuration over gRPC, as the engine drives them: GetPluginInfo, GetSchema,
Handshake, CheckConfig, DiffConfig, Configure (from its arguments and from the older variables map).

One ``pulumi-resource-alicloud-cdn-refresh`` process for the module (``plugin_rig``); configuration
carries its secrets in the engine's encoding. Configuration per provider instance, two accounts in
one program: ``test_plugin_accounts.py``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2

from plugin_rig import SECRET, Answer, PluginRig, decode, encode, provider_args, start_plugin_rig, urn

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "schema.json"


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PluginRig]:
    yield from start_plugin_rig(tmp_path_factory.mktemp("home"))


# --------------------------------------------------------------------------- the plugin and its package


def test_the_plugin_prints_its_port_first_and_answers_on_it(rig: PluginRig) -> None:
    assert 0 < rig.plugin.port < 65536
    assert rig.plugin.startup_seconds < 15


def test_get_plugin_info_reports_the_package_version(rig: PluginRig) -> None:
    info = rig.plugin.call("GetPluginInfo", empty_pb2.Empty())
    assert info.version == metadata.version("pulumi-alicloud-cdn-refresh")
    assert info.version == json.loads(SCHEMA.read_text(encoding="utf-8"))["version"]


def test_get_schema_serves_schema_json(rig: PluginRig) -> None:
    response = rig.plugin.call("GetSchema", provider_pb2.GetSchemaRequest(version=0))
    assert response.schema == SCHEMA.read_text(encoding="utf-8")


def test_handshake_accepts_secrets(rig: PluginRig) -> None:
    response = rig.plugin.call("Handshake", provider_pb2.ProviderHandshakeRequest(engine_address="x"))
    assert response.accept_secrets


# --------------------------------------------------------------------------- configuration


def _check_config(rig: PluginRig, news: dict[str, object]) -> tuple[Answer, list[tuple[str, str]]]:
    request = provider_pb2.CheckRequest(urn=urn("Provider", "p"), olds=encode({}), news=encode(news))
    response = rig.plugin.call("CheckConfig", request)
    return decode(response.inputs), [(f.property, f.reason) for f in response.failures]


def test_check_config_takes_pulumi_alicloud_keys_and_keeps_secrets_secret(rig: PluginRig) -> None:
    news = provider_args(
        rig.url,
        assumeRole=json.dumps({"roleArn": "acs:ram::123456789012:role/deployer", "sessionExpiration": 900}),
        profile="ci",
        sharedCredentialsFile="/tmp/none.json",
        version="0.1.0",  # the engine's own input of a default provider
    )
    inputs, failures = _check_config(rig, news)
    assert failures == []
    assert inputs.secrets == {"accessKey", "secretKey"}
    assert inputs.values["endpoints"] == news["endpoints"]


@pytest.mark.parametrize(
    ("news", "key", "reason"),
    [
        (
            {"acessKey": "x"},
            "acessKey",
            "alicloud-cdn-refresh:acessKey is not a setting of alicloud-cdn-refresh",
        ),
        (
            {"endpoints": json.dumps([{"cdn": "ftp://x"}])},
            "endpoints",
            "'ftp://x' from alicloud-cdn-refresh:endpoints (cdn) is not a host or an http(s) URL",
        ),
        ({"endpoints": "not json"}, "endpoints", "must be a JSON list of objects"),
        ({"assumeRole": json.dumps({"roleArm": "x"})}, "assumeRole", "unknown field(s) roleArm"),
        (
            {"assumeRoleWithOidc": "[]"},
            "assumeRoleWithOidc",
            "alicloud-cdn-refresh:assumeRoleWithOidc must be",
        ),
        ({"region": 5}, "region", "alicloud-cdn-refresh:region must be a string"),
    ],
)
def test_check_config_names_the_key_and_what_is_wrong(
    rig: PluginRig, news: dict, key: str, reason: str
) -> None:
    _, failures = _check_config(rig, news)
    assert [name for name, _ in failures] == [key]
    assert reason in failures[0][1], failures


def test_diff_config_updates_never_replaces(rig: PluginRig) -> None:
    olds = provider_args(rig.url)
    news = provider_args(rig.url, key="other")
    request = provider_pb2.DiffRequest(urn=urn("Provider", "p"), olds=encode(olds), news=encode(news))
    diff = rig.plugin.call("DiffConfig", request)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(diff.diffs) == ["accessKey"]
    assert list(diff.replaces) == []
    same = rig.plugin.call(
        "DiffConfig", provider_pb2.DiffRequest(urn=urn("Provider", "p"), olds=encode(olds), news=encode(olds))
    )
    assert same.changes == provider_pb2.DiffResponse.DIFF_NONE


def test_configure_accepts_secrets_and_supports_preview(rig: PluginRig) -> None:
    response = rig.plugin.configure(provider_args(rig.url))
    assert response.acceptSecrets
    assert response.supportsPreview


def test_configure_from_the_older_variables_map_then_from_args(rig: PluginRig) -> None:
    variables = {
        "alicloud-cdn-refresh:config:accessKey": "testid",
        "alicloud-cdn-refresh:config:secretKey": SECRET,
        "alicloud-cdn-refresh:config:endpoints": json.dumps([{"cdn": rig.url}]),
        "alicloud:accessKey": "not-ours",
    }
    rig.plugin.call("Configure", provider_pb2.ConfigureRequest(variables=variables, acceptSecrets=True))
    path = f"http://www.example.com/config/{uuid.uuid4().hex[:8]}.txt"
    rig.emulator.seed_task(path, status="Complete")
    result, failures = rig.plugin.invoke({"objectPath": path})
    assert failures == []
    assert result.values["totalCount"] == 1
    rig.plugin.configure(provider_args(rig.url))
